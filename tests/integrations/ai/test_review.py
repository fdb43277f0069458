"""A person's decision: approval fills only empty slots (unless asked), is recorded, and freezes."""

from __future__ import annotations

import pytest

from crm.errors import Conflict
from crm.models import Event
from integrations.ai.drafting import slot_drafts_generate
from integrations.ai.models import DraftStatus, SlotDraft
from integrations.ai.review import slot_draft_approve, slot_draft_reject
from outreach.services.enrollments import enrollment_slots_update

GOOD = {
    "subject": "Kubernetes in Lyon",
    "intro": "Saw the Lyon team.",
    "ps": "PS: hi",
    "source_ids": [3],
}


@pytest.fixture
def draft(ai_on, stub, workspace, sequence, enrollment):
    stub.queue(stub.answer(GOOD))
    slot_drafts_generate(workspace=workspace, sequence=sequence)
    return SlotDraft.objects.get(status=DraftStatus.PENDING)


def test_approval_fills_only_the_empty_slots(draft, enrollment, owner):
    enrollment_slots_update(enrollment=enrollment, slots={"slot2": "Typed by Olivia"})

    approved, written = slot_draft_approve(draft=draft, user=owner)

    enrollment.refresh_from_db()
    assert written == ["slot1", "slot3"]
    assert enrollment.slots == {
        "slot1": "Kubernetes in Lyon",
        "slot2": "Typed by Olivia",
        "slot3": "PS: hi",
    }
    assert approved.status == DraftStatus.APPROVED and approved.decided_by == owner


def test_approval_replaces_typed_values_only_when_asked(draft, enrollment, owner):
    enrollment_slots_update(enrollment=enrollment, slots={"slot2": "Typed by Olivia"})

    _, written = slot_draft_approve(draft=draft, user=owner, overwrite=True)

    enrollment.refresh_from_db()
    assert written == ["slot1", "slot2", "slot3"]
    assert enrollment.slots["slot2"] == "Saw the Lyon team."


def test_an_edit_is_kept_beside_the_models_text(draft, enrollment, owner):
    approved, _ = slot_draft_approve(draft=draft, user=owner, edits={"slot1": "Lyon + Kubernetes"})

    enrollment.refresh_from_db()
    assert enrollment.slots["slot1"] == "Lyon + Kubernetes"
    assert approved.slot1 == "Kubernetes in Lyon"
    assert approved.approved_slots["slot1"] == "Lyon + Kubernetes"


def test_approval_records_the_event(draft, owner):
    slot_draft_approve(draft=draft, user=owner)

    event = Event.objects.get(type="personalization.approved")
    assert event.subject_ids == [draft.pk]
    assert event.workspace_id == draft.workspace_id
    assert event.payload["draft"]["slots_written"] == ["slot1", "slot2", "slot3"]


def test_a_decided_draft_is_frozen(draft, owner):
    slot_draft_approve(draft=draft, user=owner)

    with pytest.raises(Conflict):
        slot_draft_approve(draft=draft, user=owner, overwrite=True)
    with pytest.raises(Conflict):
        slot_draft_reject(draft=draft, user=owner)


def test_rejecting_leaves_the_slots_alone(draft, enrollment, owner):
    slot_draft_reject(draft=draft, user=owner)

    enrollment.refresh_from_db()
    assert enrollment.slots == {}
    assert SlotDraft.objects.get().status == DraftStatus.REJECTED


def test_an_ungrounded_draft_cannot_be_approved(
    ai_on, stub, workspace, sequence, enrollment, owner
):
    stub.queue(*[stub.answer({**GOOD, "source_ids": [77]})] * 2)
    slot_drafts_generate(workspace=workspace, sequence=sequence)

    with pytest.raises(Conflict):
        slot_draft_approve(draft=SlotDraft.objects.get(), user=owner)
    enrollment.refresh_from_db()
    assert enrollment.slots == {}
