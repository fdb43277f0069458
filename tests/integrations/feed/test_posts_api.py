"""/posts: pushed posts (LinkedIn and the like), the list with filters and keyset pages, delete."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from crm.models import Event
from integrations.feed.models import Post
from integrations.feed.shapes import post_as_api
from tests.crm.api.calls import delete, get, post
from tests.factories import LeadFactory, LeadListFactory

pytestmark = pytest.mark.django_db
LINKEDIN_POST = "https://www.linkedin.com/posts/jane-doe_pricing-activity-7123456789"


def test_a_pushed_post_is_created_once_and_found_again_by_its_url(api, lead):
    body = {
        "lead_email": lead.email,
        "network": "linkedin",
        "url": LINKEDIN_POST,
        "text": "We <b>launched</b>",
    }
    first = post(api, "/posts", body)
    again = post(api, "/posts", {**body, "text": "changed"})

    assert first.status_code == 201
    assert first.json()["text"] == "We launched" and first.json()["pushed"] is True
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert again.json()["text"] == "We launched"
    event = Event.objects.get(type="post.detected")
    assert event.subject_ids == [lead.pk]
    assert event.payload["post"] == first.json()
    assert event.payload["lead"]["id"] == lead.pk


def test_the_lead_can_be_named_by_id_or_linkedin_url(api, workspace):
    lead = LeadFactory(workspace=workspace, linkedin_url="https://www.linkedin.com/in/jane-doe/")
    by_url = post(
        api, "/posts", {"lead_linkedin_url": "linkedin.com/in/jane-doe", "url": LINKEDIN_POST}
    )
    by_id = post(api, "/posts", {"lead_id": lead.pk, "url": LINKEDIN_POST + "-2"})
    assert (by_url.status_code, by_id.status_code) == (201, 201)
    assert by_url.json()["lead_id"] == by_id.json()["lead_id"] == lead.pk


def test_an_unknown_lead_is_a_404_with_a_message(api, foreign_lead):
    unknown = post(api, "/posts", {"lead_email": "nobody@nowhere.example", "url": LINKEDIN_POST})
    foreign = post(api, "/posts", {"lead_id": foreign_lead.pk, "url": LINKEDIN_POST})
    assert (
        unknown.status_code == 404
        and unknown.json()["detail"] == "No lead with this email in this workspace."
    )
    assert foreign.status_code == 404
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"url": LINKEDIN_POST},
        {"lead_id": 1, "lead_email": "a@b.example", "url": LINKEDIN_POST},
        {"lead_email": "a@b.example", "url": "javascript:alert(1)"},
        {"lead_email": "a@b.example", "url": LINKEDIN_POST, "network": "myspace"},
    ],
)
def test_bad_pushes_are_422(api, lead, body):
    if "lead_email" in body:
        body = {**body, "lead_email": lead.email}
    assert post(api, "/posts", body).status_code == 422


def test_a_post_older_than_the_retention_is_refused(api, lead):
    old = (timezone.now() - dt.timedelta(days=120)).isoformat()
    response = post(api, "/posts", {"lead_id": lead.pk, "url": LINKEDIN_POST, "posted_at": old})
    assert response.status_code == 422
    assert "not kept" in response.json()["errors"]["posted_at"][0]


def _make(workspace, lead, n, network="rss", hours=0):
    return Post.objects.create(
        workspace=workspace,
        lead=lead,
        network=network,
        external_id=f"id-{lead.pk}-{n}",
        url=f"https://x.example/{lead.pk}/{n}",
        posted_at=timezone.now() - dt.timedelta(hours=hours),
    )


def test_the_list_is_newest_first_in_keyset_pages_with_filters(api, workspace):
    jane, joe = LeadFactory(workspace=workspace), LeadFactory(workspace=workspace)
    listed = LeadListFactory(workspace=workspace)
    jane.lists.add(listed)
    posts = [_make(workspace, jane, i, hours=i) for i in range(5)]
    _make(workspace, joe, 99, network="bluesky", hours=1)

    first = get(api, "/posts", {"lead_id": jane.pk, "limit": 2}).json()
    second = get(
        api, "/posts", {"lead_id": jane.pk, "limit": 2, "cursor": first["next_cursor"]}
    ).json()
    third = get(
        api, "/posts", {"lead_id": jane.pk, "limit": 2, "cursor": second["next_cursor"]}
    ).json()

    assert [p["id"] for p in first["items"] + second["items"] + third["items"]] == [
        p.pk for p in posts
    ]
    assert third["next_cursor"] is None
    assert [p["lead_id"] for p in get(api, "/posts", {"network": "bluesky"}).json()["items"]] == [
        joe.pk
    ]
    since = (timezone.now() - dt.timedelta(hours=1, minutes=30)).isoformat()
    assert len(get(api, "/posts", {"since": since}).json()["items"]) == 3
    on_list = get(api, "/posts", {"list_id": listed.pk}).json()["items"]
    assert {p["lead_id"] for p in on_list} == {jane.pk}
    assert get(api, "/posts", {"cursor": "garbage"}).status_code == 422


def test_a_post_is_read_and_deleted_in_its_workspace_only(
    api, workspace, lead, foreign_lead, other_workspace
):
    mine = _make(workspace, lead, 1)
    theirs = _make(other_workspace, foreign_lead, 1)
    assert get(api, f"/posts/{mine.pk}").json() == post_as_api(mine)
    assert get(api, f"/posts/{theirs.pk}").status_code == 404
    assert delete(api, f"/posts/{theirs.pk}").status_code == 404
    assert delete(api, f"/posts/{mine.pk}").status_code == 204
    assert not Post.objects.filter(pk=mine.pk).exists()
    assert Post.objects.filter(pk=theirs.pk).exists()
    assert get(api, "/posts").json()["items"] == []
