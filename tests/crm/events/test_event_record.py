"""Domain events: one row in the changing transaction, the subject as the API shows it."""

from __future__ import annotations

import pytest
from django.db import transaction

from crm.actors import Actor
from crm.events import Occurrence, event_record, event_types, subscribe
from crm.events.bus import _AFTER_COMMIT, _IN_TRANSACTION
from crm.models import Event
from crm.services.activities import note_add
from crm.services.leads import lead_create, lead_delete, lead_update
from crm.services.lists import list_add_leads, list_remove_leads
from tests.crm.api.calls import get
from tests.factories import LeadFactory, LeadListFactory


def _events(type_: str) -> list[Event]:
    return list(Event.objects.filter(type=type_).order_by("id"))


@pytest.fixture
def reactions():
    """Subscribers added by a test, removed afterwards (the registry lives for the process)."""
    added: list[tuple[dict, str, object]] = []

    def add(event_type: str, handler, *, in_transaction: bool = False) -> None:  # type: ignore[no-untyped-def]
        subscribe(event_type, handler, in_transaction=in_transaction)
        table = _IN_TRANSACTION if in_transaction else _AFTER_COMMIT
        added.append((table, event_type, handler))

    yield add
    for table, event_type, handler in added:
        table[event_type].remove(handler)


def test_a_created_lead_is_an_event_with_the_lead_exactly_as_the_api_returns_it(
    workspace, actor, api
):
    lead, _ = lead_create(
        workspace=workspace, actor=actor, data={"email": "ada@example.com", "title": "CTO"}
    )
    (event,) = _events("lead.created")
    assert event.workspace_id == workspace.pk and event.subject_ids == [lead.pk]
    assert event.payload["lead"] == get(api, f"/leads/{lead.pk}").json()
    assert event.payload["actor"] == {"type": "user", "user_id": actor.user_id, "name": None}
    assert event.dispatched_at is None and event.origin == ""


def test_updates_name_their_fields_and_a_deleted_lead_keeps_its_last_state(workspace, actor):
    lead = LeadFactory(workspace=workspace, email="ada@example.com")
    lead_update(lead=lead, actor=actor, data={"title": "CEO", "city": "Paris"})
    (updated,) = _events("lead.updated")
    assert sorted(updated.payload["fields"]) == ["city", "title"]
    assert updated.payload["lead"]["title"] == "CEO"
    lead_id = lead.pk
    lead_delete(lead=lead, actor=actor)
    (deleted,) = _events("lead.deleted")
    assert deleted.payload["lead"]["email"] == "ada@example.com"
    assert deleted.subject_ids == [lead_id]


def test_no_event_survives_a_change_that_rolled_back(workspace, actor, reactions):
    seen: list[Occurrence] = []
    reactions("lead.created", seen.append)
    with pytest.raises(RuntimeError), transaction.atomic():
        lead_create(workspace=workspace, actor=actor, data={"email": "gone@example.com"})
        raise RuntimeError("the request failed after the lead was written")
    assert not Event.objects.filter(type="lead.created").exists()
    assert seen == []


def test_after_commit_reactions_see_committed_changes_only_and_never_break_them(
    workspace, actor, reactions, django_capture_on_commit_callbacks
):
    seen: list[Occurrence] = []

    def broken(occurrence: Occurrence) -> None:
        raise ValueError("a subscriber bug")

    reactions("lead.created", broken)
    reactions("lead.created", seen.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lead, _ = lead_create(workspace=workspace, actor=actor, data={"email": "a@example.com"})
        assert seen == []
    for callback in callbacks:
        callback()
    assert [o.subject_ids for o in seen] == [(lead.pk,)]


def test_in_transaction_reactions_roll_back_with_the_change(workspace, actor, reactions):
    def refuse(occurrence: Occurrence) -> None:
        raise RuntimeError("placement failed")

    reactions("lead.created", refuse, in_transaction=True)
    with pytest.raises(RuntimeError):
        lead_create(workspace=workspace, actor=actor, data={"email": "x@example.com"})
    assert not workspace.leads.filter(email="x@example.com").exists()


def test_list_changes_are_one_row_for_many_leads(workspace, actor):
    leads = LeadFactory.create_batch(3, workspace=workspace)
    dream = LeadListFactory(workspace=workspace, name="Dream 100")
    list_add_leads(lead_list=dream, lead_ids=[lead.pk for lead in leads], actor=actor)
    list_remove_leads(lead_list=dream, lead_ids=[leads[0].pk], actor=actor)
    (added,) = _events("list.lead_added")
    assert sorted(added.subject_ids) == sorted(lead.pk for lead in leads)
    assert added.payload["list"] == {"id": dream.pk, "name": "Dream 100", "kind": dream.kind}
    (removed,) = _events("list.lead_removed")
    assert removed.subject_ids == [leads[0].pk]


def test_a_logged_note_is_an_activity_event(workspace, actor, lead):
    note = note_add(lead=lead, body="Called about the roll-out", actor=actor)
    (event,) = _events("activity.logged")
    assert event.payload["activity"]["id"] == note.pk
    assert event.payload["activity"]["kind"] == "note"
    assert event.payload["lead"]["id"] == lead.pk


def test_an_unknown_type_is_refused(workspace, actor):
    with pytest.raises(KeyError, match="Unknown event type"):
        event_record(type="lead.exploded", workspace_id=workspace.pk, actor=actor)


def test_every_type_the_issue_names_is_declared_with_an_example(db):
    names = {kind.name for kind in event_types()}
    assert {
        "workspace.created",
        "lead.created",
        "lead.updated",
        "lead.deleted",
        "lead.stage_changed",
        "list.lead_added",
        "list.lead_removed",
        "activity.logged",
        "engagement.logged",
        "import.finished",
        "customer.paid",
    } <= names
    assert all(kind.example for kind in event_types())


def test_a_rule_actor_is_recorded_as_such(workspace):
    lead = LeadFactory(workspace=workspace)
    lead_update(lead=lead, actor=Actor.rule("catch-up"), data={"title": "VP"})
    (event,) = _events("lead.updated")
    assert event.payload["actor"] == {"type": "rule", "user_id": None, "name": "catch-up"}


def test_many_subjects_with_their_own_data_are_recorded_in_one_go(workspace, actor, reactions):
    from crm.events import EventItem, events_record_each

    seen: list[Occurrence] = []
    reactions("lead.updated", seen.append, in_transaction=True)
    leads = LeadFactory.create_batch(2, workspace=workspace)
    events = events_record_each(
        type="lead.updated",
        actor=actor,
        items=[
            EventItem(workspace_id=workspace.pk, subject_id=lead.pk, data={"fields": [name]})
            for lead, name in zip(leads, ["title", "city"], strict=True)
        ],
    )
    assert [e.subject_ids for e in events] == [[leads[0].pk], [leads[1].pk]]
    assert [e.payload["fields"] for e in _events("lead.updated")] == [["title"], ["city"]]
    assert [o.event_id for o in seen] == [e.pk for e in events]
