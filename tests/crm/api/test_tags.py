"""/tags: labels, and tagging or untagging many leads at once."""

from __future__ import annotations

from crm.models import Activity, ActivityKind, Tag
from tests.factories import LeadFactory, TagFactory

from .calls import delete, get, patch, post


def test_creating_a_tag_twice_gives_the_same_tag(api, workspace):
    first = post(api, "/tags", {"name": "Hot lead", "color": "red"})
    assert first.status_code == 201
    again = post(api, "/tags", {"name": "hot  LEAD"})
    assert again.json()["id"] == first.json()["id"]
    assert Tag.objects.filter(workspace=workspace).count() == 1


def test_it_names_the_field_at_fault(api):
    assert "color" in post(api, "/tags", {"name": "x", "color": "plaid"}).json()["errors"]
    assert "name" in post(api, "/tags", {"name": " "}).json()["errors"]
    assert "name" in post(api, "/tags", {"name": "x" * 61}).json()["errors"]
    assert "colour" in post(api, "/tags", {"name": "x", "colour": "red"}).json()["errors"]


def test_it_tags_and_untags_many_leads(api, workspace, foreign_lead):
    tag = TagFactory(workspace=workspace)
    leads = [LeadFactory(workspace=workspace) for _ in range(3)]
    ids = [lead.pk for lead in leads] + [foreign_lead.pk]
    assert post(api, f"/tags/{tag.pk}/leads", {"lead_ids": ids}).json() == {"changed": 3}
    assert get(api, f"/tags/{tag.pk}").json()["lead_count"] == 3
    assert Activity.objects.filter(kind=ActivityKind.TAGGED).count() == 3
    assert not foreign_lead.tags.exists()
    assert post(api, f"/tags/{tag.pk}/leads/remove", {"lead_ids": ids}).json() == {"changed": 3}
    assert get(api, f"/tags/{tag.pk}").json()["lead_count"] == 0


def test_it_lists_renames_and_deletes_tags(api, workspace, other_workspace):
    tag = TagFactory(workspace=workspace, name="warm")
    TagFactory(workspace=workspace, name="cold")
    TagFactory(workspace=other_workspace, name="theirs")
    assert [t["name"] for t in get(api, "/tags").json()] == ["cold", "warm"]
    response = patch(api, f"/tags/{tag.pk}", {"name": "Warmish", "color": "amber"})
    assert response.json()["name"] == "Warmish" and response.json()["color"] == "amber"
    assert patch(api, f"/tags/{tag.pk}", {"name": "COLD"}).status_code == 409
    assert delete(api, f"/tags/{tag.pk}").status_code == 204
    assert not Tag.objects.filter(pk=tag.pk).exists()


def test_another_workspaces_tag_is_not_found(api, other_workspace, lead):
    tag = TagFactory(workspace=other_workspace)
    assert get(api, f"/tags/{tag.pk}").status_code == 404
    assert patch(api, f"/tags/{tag.pk}", {"name": "mine"}).status_code == 404
    assert post(api, f"/tags/{tag.pk}/leads", {"lead_ids": [lead.pk]}).status_code == 404
    assert post(api, f"/tags/{tag.pk}/leads/remove", {"lead_ids": [lead.pk]}).status_code == 404
    assert delete(api, f"/tags/{tag.pk}").status_code == 404
    assert not lead.tags.exists()
