"""/tasks: reminders on leads, their due dates, assignees and completion."""

from __future__ import annotations

from crm.models import Activity, ActivityKind, Task
from tests.factories import LeadFactory, TaskFactory

from .calls import delete, get, patch, post


def test_a_task_on_a_lead_goes_to_the_keys_user_and_the_timeline(api, lead, owner):
    response = post(
        api,
        "/tasks",
        {
            "title": "Follow up on demo",
            "kind": "follow_up",
            "lead_id": lead.pk,
            "due_at": "2030-01-02",
        },
    )
    assert response.status_code == 201
    task = response.json()
    assert task["lead_id"] == lead.pk
    assert task["assignee"]["id"] == owner.pk
    assert task["due_at"].startswith("2030-01-02T09:00")
    assert task["done"] is False
    assert Activity.objects.filter(lead=lead, kind=ActivityKind.TASK_CREATED).exists()


def test_it_names_the_field_at_fault(api, stranger, foreign_lead):
    cases = [
        ({"title": ""}, "title"),
        ({"title": "x", "kind": "nap"}, "kind"),
        ({"title": "x", "due_at": "soon"}, "due_at"),
        ({"title": "x", "assignee_id": stranger.pk}, "assignee_id"),
        ({"title": "x", "lead_id": foreign_lead.pk}, "lead_id"),
        ({"title": "x", "done": True}, "done"),
    ]
    for body, field in cases:
        response = post(api, "/tasks", body)
        assert response.status_code == 422, body
        assert any(key.startswith(field) for key in response.json()["errors"]), body
    assert not Task.objects.exists()


def test_complete_twice_is_complete_once_and_reopen_undoes_it(api, workspace, lead, owner):
    task = TaskFactory(workspace=workspace, lead=lead, assignee=owner)
    first = post(api, f"/tasks/{task.pk}/complete")
    assert first.status_code == 200 and first.json()["done"] is True
    assert post(api, f"/tasks/{task.pk}/complete").json()["done_at"] == first.json()["done_at"]
    assert Activity.objects.filter(kind=ActivityKind.TASK_DONE).count() == 1
    assert post(api, f"/tasks/{task.pk}/reopen").json()["done"] is False


def test_it_lists_open_tasks_first_and_filters(api, workspace, owner, member):
    lead = LeadFactory(workspace=workspace)
    done = TaskFactory(workspace=workspace, assignee=owner)
    post(api, f"/tasks/{done.pk}/complete")
    mine = TaskFactory(workspace=workspace, assignee=owner, lead=lead)
    theirs = TaskFactory(workspace=workspace, assignee=member)
    body = get(api, "/tasks").json()
    assert body["count"] == 3
    assert [t["id"] for t in body["items"]][-1] == done.pk
    assert [t["id"] for t in get(api, "/tasks", {"open_only": True}).json()["items"]] == [
        mine.pk,
        theirs.pk,
    ]
    assert [t["id"] for t in get(api, "/tasks", {"lead_id": lead.pk}).json()["items"]] == [mine.pk]
    by_member = get(api, "/tasks", {"assignee_id": member.pk}).json()["items"]
    assert [t["id"] for t in by_member] == [theirs.pk]


def test_it_changes_and_deletes_a_task(api, workspace, member):
    task = TaskFactory(workspace=workspace, title="Call")
    response = patch(api, f"/tasks/{task.pk}", {"assignee_id": member.pk})
    assert response.json()["assignee"]["id"] == member.pk
    assert response.json()["title"] == "Call"
    assert patch(api, f"/tasks/{task.pk}", {"lead_id": 1}).status_code == 422
    assert delete(api, f"/tasks/{task.pk}").status_code == 204
    assert get(api, f"/tasks/{task.pk}").status_code == 404


def test_another_workspaces_task_is_not_found(api, other_workspace, foreign_lead):
    task = TaskFactory(workspace=other_workspace, lead=foreign_lead)
    assert get(api, f"/tasks/{task.pk}").status_code == 404
    assert patch(api, f"/tasks/{task.pk}", {"title": "Mine"}).status_code == 404
    assert post(api, f"/tasks/{task.pk}/complete").status_code == 404
    assert post(api, f"/tasks/{task.pk}/reopen").status_code == 404
    assert delete(api, f"/tasks/{task.pk}").status_code == 404
    assert get(api, "/tasks", {"lead_id": foreign_lead.pk}).status_code == 404
    task.refresh_from_db()
    assert task.done_at is None and task.title != "Mine"
