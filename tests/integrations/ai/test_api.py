"""/api/v1/ai: settings with a write-only key, generate / list / approve / reject, scoped."""

from __future__ import annotations

import json

import pytest

from integrations.ai.models import DraftStatus, SlotDraft
from tests.integrations.ai.conftest import API_KEY, make_sequence

GOOD = {"subject": "Lyon", "intro": "Saw the Lyon team.", "ps": "PS: hi", "source_ids": [3]}


def _post(api, path, body=None):
    return api.post(f"/api/v1{path}", data=json.dumps(body or {}), content_type="application/json")


def test_settings_never_return_the_key(api, stub):
    response = api.patch(
        "/api/v1/ai/settings",
        data=json.dumps({"enabled": True, "base_url": stub.url, "api_key": API_KEY}),
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["has_api_key"] is True
    assert API_KEY not in response.content.decode()
    assert API_KEY not in api.get("/api/v1/ai/settings").content.decode()


def test_the_key_is_encrypted_at_rest(ai_on):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT api_key FROM integrations_aisettings")
        (stored,) = cursor.fetchone()
    assert stored and API_KEY not in stored


def test_a_member_cannot_change_the_settings(client, member, workspace):
    from crm.services.api_keys import api_key_create

    _, token = api_key_create(workspace=workspace, user=member, name="m")
    response = client.patch(
        "/api/v1/ai/settings",
        data=json.dumps({"enabled": True}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 403


def test_test_connection_reports_the_models_answer(api, ai_on, stub):
    stub.queue(stub.answer("OK"))

    response = _post(api, "/ai/settings/test")

    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert stub.requests[0]["headers"]["authorization"] == f"Bearer {API_KEY}"


def test_generate_then_approve_through_the_api(
    api, ai_on, stub, sequence, enrollment, django_capture_on_commit_callbacks
):
    stub.queue(stub.answer(GOOD))

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            api, f"/sequences/{sequence.pk}/ai-drafts", {"enrollment_ids": [enrollment.pk]}
        )

    assert response.status_code == 202, response.content
    listed = api.get(f"/api/v1/ai-drafts?sequence_id={sequence.pk}&status=pending").json()
    assert [d["slot2"] for d in listed] == ["Saw the Lyon team."]
    assert listed[0]["sources"][2]["id"] == 3

    approved = _post(api, f"/ai-drafts/{listed[0]['id']}/approve", {"slot3": "PS: edited"})

    assert approved.status_code == 200, approved.content
    assert approved.json()["slots_written"] == ["slot1", "slot2", "slot3"]
    enrollment.refresh_from_db()
    assert enrollment.slots["slot3"] == "PS: edited"


def test_generate_is_refused_while_ai_is_off(api, stub, sequence, enrollment):
    response = _post(api, f"/sequences/{sequence.pk}/ai-drafts")

    assert response.status_code == 409
    assert stub.requests == []


def test_generate_is_refused_for_a_private_url(api, ai_on, stub, sequence, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = []

    response = _post(api, f"/sequences/{sequence.pk}/ai-drafts")

    assert response.status_code == 422
    assert "base_url" in response.json()["errors"]


def test_reject_through_the_api(api, ai_on, stub, workspace, sequence, enrollment):
    from integrations.ai.drafting import slot_drafts_generate

    stub.queue(stub.answer(GOOD))
    slot_drafts_generate(workspace=workspace, sequence=sequence)
    draft = SlotDraft.objects.get()

    response = _post(api, f"/ai-drafts/{draft.pk}/reject")

    assert response.status_code == 200
    assert response.json()["status"] == DraftStatus.REJECTED
    assert _post(api, f"/ai-drafts/{draft.pk}/reject").status_code == 409


@pytest.fixture
def foreign_draft(other_workspace, stranger, stub, actor):
    from integrations.ai.configure import ai_settings_update
    from integrations.ai.drafting import slot_drafts_generate
    from outreach.services.enrollments import enrollments_add
    from tests.factories import LeadFactory

    ai_settings_update(workspace=other_workspace, enabled=True, base_url=stub.url)
    sequence = make_sequence(other_workspace)
    lead = LeadFactory(workspace=other_workspace, title="CTO")
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    stub.queue(stub.answer({**GOOD, "source_ids": [2]}))
    slot_drafts_generate(workspace=other_workspace, sequence=sequence)
    return SlotDraft.objects.get(workspace=other_workspace)


def test_another_workspaces_drafts_and_sequences_are_404(api, foreign_draft):
    sequence_id = foreign_draft.enrollment.sequence_id

    assert api.get(f"/api/v1/ai-drafts/{foreign_draft.pk}").status_code == 404
    assert _post(api, f"/ai-drafts/{foreign_draft.pk}/approve").status_code == 404
    assert _post(api, f"/ai-drafts/{foreign_draft.pk}/reject").status_code == 404
    assert _post(api, f"/sequences/{sequence_id}/ai-drafts").status_code == 404
    assert api.get("/api/v1/ai-drafts").json() == []
    foreign_draft.refresh_from_db()
    assert foreign_draft.status == DraftStatus.PENDING
