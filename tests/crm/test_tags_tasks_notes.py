import datetime as dt

import pytest
from django.utils import timezone

from crm.errors import Conflict, ValidationFailed
from crm.models import Activity, ActivityKind, LeadTag
from crm.services.activities import note_add
from crm.services.tags import leads_tag, leads_untag, tag_get_or_create, tag_update
from crm.services.tasks import task_complete, task_create, task_reopen
from tests.factories import LeadFactory


def test_tags_are_found_case_insensitively(workspace):
    hot = tag_get_or_create(workspace=workspace, name="  Hot   lead ")
    assert hot.name == "Hot lead"
    assert tag_get_or_create(workspace=workspace, name="hot LEAD") == hot


def test_renaming_onto_another_tag_is_a_conflict(workspace):
    tag_get_or_create(workspace=workspace, name="hot")
    cold = tag_get_or_create(workspace=workspace, name="cold")
    with pytest.raises(Conflict):
        tag_update(tag=cold, name="HOT")


def test_an_unknown_color_is_refused(workspace):
    with pytest.raises(ValidationFailed):
        tag_get_or_create(workspace=workspace, name="x", color="plaid")


def test_tagging_many_leads_counts_new_links_only(workspace, actor, foreign_lead):
    leads = LeadFactory.create_batch(3, workspace=workspace)
    tag = tag_get_or_create(workspace=workspace, name="hot")
    ids = [x.pk for x in leads] + [foreign_lead.pk]
    assert leads_tag(workspace=workspace, lead_ids=ids, tag=tag, actor=actor) == 3
    assert leads_tag(workspace=workspace, lead_ids=ids, tag=tag, actor=actor) == 0
    assert leads_untag(workspace=workspace, lead_ids=ids[:1], tag=tag, actor=actor) == 1
    assert LeadTag.objects.filter(tag=tag).count() == 2
    assert Activity.objects.filter(kind=ActivityKind.TAGGED).count() == 3


def test_a_task_on_a_lead_is_on_its_timeline_and_assigned_to_its_creator(workspace, actor, lead):
    due = timezone.now() + dt.timedelta(days=1)
    task = task_create(
        workspace=workspace, actor=actor, lead=lead, data={"title": "Call back", "due_at": due}
    )
    assert task.assignee == actor.user
    assert Activity.objects.filter(lead=lead, kind=ActivityKind.TASK_CREATED).exists()


def test_a_date_only_due_date_means_nine_in_the_morning(workspace, actor):
    task = task_create(
        workspace=workspace, actor=actor, data={"title": "x", "due_at": dt.date(2026, 1, 5)}
    )
    assert timezone.localtime(task.due_at).hour == 9


def test_completing_twice_logs_once(workspace, actor, lead):
    task = task_create(workspace=workspace, actor=actor, lead=lead, data={"title": "x"})
    task_complete(task=task, actor=actor)
    task_complete(task=task, actor=actor)
    assert task.is_done
    assert Activity.objects.filter(lead=lead, kind=ActivityKind.TASK_DONE).count() == 1
    assert not task_reopen(task=task).is_done


def test_an_assignee_must_be_a_member(workspace, actor, stranger):
    with pytest.raises(ValidationFailed) as exc:
        task_create(
            workspace=workspace, actor=actor, data={"title": "x", "assignee_id": stranger.pk}
        )
    assert "assignee_id" in exc.value.errors


def test_a_task_cannot_point_at_another_workspaces_lead(workspace, actor, foreign_lead):
    with pytest.raises(ValidationFailed):
        task_create(workspace=workspace, actor=actor, lead=foreign_lead, data={"title": "x"})


def test_notes_are_trimmed_and_never_empty(lead, actor):
    note = note_add(lead=lead, body="  Met at SaaStr  ", actor=actor)
    assert note.body == "Met at SaaStr" and note.kind == ActivityKind.NOTE
    with pytest.raises(ValidationFailed):
        note_add(lead=lead, body="   ", actor=actor)


def test_the_timeline_is_append_only(lead, actor):
    note = note_add(lead=lead, body="hello", actor=actor)
    note.body = "rewritten history"
    with pytest.raises(ValueError, match="append-only"):
        note.save()
