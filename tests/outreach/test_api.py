"""The outreach API: the same services as the UI, scoped to the key's workspace."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from outreach.models import Enrollment
from tests.factories import LeadFactory


def post(api, path, body):
    return api.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


@pytest.fixture
def domain_id(api):
    response = post(api, "/sending-domains", {"domain": "mail.acme.test", "added_on": "2020-01-01"})
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.fixture
def mailbox_id(api, domain_id):
    response = post(
        api,
        "/mailboxes",
        {
            "domain_id": domain_id,
            "address": "olivia@mail.acme.test",
            "display_name": "Olivia",
            "transport": "capture",
            "smtp_password": "very-secret",
            "imap_password": "also-secret",
        },
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_a_domain_shows_its_warm_up(api):
    today = dt.date.today().isoformat()
    body = post(api, "/sending-domains", {"domain": "new.acme.test", "added_on": today}).json()
    assert body["state"] == "warming"
    assert body["warmup_days_left"] == 14


def test_passwords_are_never_returned(api, mailbox_id):
    for response in (api.get(f"/api/v1/mailboxes/{mailbox_id}"), api.get("/api/v1/mailboxes")):
        text = response.content.decode()
        assert "very-secret" not in text and "also-secret" not in text
    body = api.get(f"/api/v1/mailboxes/{mailbox_id}").json()
    assert body["has_smtp_password"] is True
    assert "smtp_password" not in body


def test_a_sequence_end_to_end_through_the_api(api, workspace, mailbox_id):
    sequence = post(api, "/sequences", {"name": "Q3", "mailbox_ids": [mailbox_id]}).json()
    sid = sequence["id"]
    step = post(
        api, f"/sequences/{sid}/steps", {"subject": "Hi {{first_name}}", "body": "{{slot1}}"}
    )
    assert step.status_code == 201
    lead = LeadFactory(workspace=workspace, first_name="Ada")
    enrolled = post(api, f"/sequences/{sid}/enrollments", {"lead_ids": [lead.pk, 999999]}).json()
    assert enrolled["added"] == 1
    assert enrolled["skipped"] == [{"lead_id": 999999, "reason": "not found"}]

    refused = post(api, f"/sequences/{sid}/activate", {})
    assert refused.status_code == 422
    assert refused.json()["errors"]["leads"][0].endswith("no slot1")

    Enrollment.objects.update(slots={"slot1": "Loved your talk."})
    assert post(api, f"/sequences/{sid}/activate", {}).json()["status"] == "active"
    enrollment_id = enrolled["enrollment_ids"][0]
    preview = api.get(f"/api/v1/enrollments/{enrollment_id}/preview").json()
    assert preview["subject"] == "Hi Ada"
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in preview["mime"]
    assert post(api, f"/enrollments/{enrollment_id}/pause", {}).json()["status"] == "paused"
    assert api.get(f"/api/v1/sequences/{sid}/results").json()["enrolled"] == 1


def test_another_workspaces_records_are_404(api, other_workspace, stranger):
    from outreach.services.domains import sending_domain_create

    foreign = sending_domain_create(workspace=other_workspace, domain="globex.test")
    assert api.get(f"/api/v1/sending-domains/{foreign.pk}").status_code == 404
    assert (
        post(api, "/mailboxes", {"domain_id": foreign.pk, "address": "x@globex.test"}).status_code
        == 404
    )


def test_it_refuses_a_request_without_a_key(db):
    assert Client().get("/api/v1/sequences").status_code == 401


def test_suppressions_can_be_added_and_lifted(api):
    created = post(api, "/suppressions", {"value": "Competitor.test"})
    assert created.status_code == 201
    assert created.json()["value"] == "competitor.test"
    assert api.delete(f"/api/v1/suppressions/{created.json()['id']}").status_code == 204
