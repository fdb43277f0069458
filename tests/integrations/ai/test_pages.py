"""The AI settings page (write-only key, test connection, what is sent) and the review queue."""

from __future__ import annotations

from integrations.ai.drafting import slot_drafts_generate
from integrations.ai.models import AiSettings, DraftStatus, SlotDraft
from tests.integrations.ai.conftest import API_KEY

GOOD = {"subject": "Lyon", "intro": "Saw the Lyon team.", "ps": "PS: hi", "source_ids": [3]}


def test_saving_the_settings_keeps_the_key_out_of_the_page(web, stub, workspace):
    response = web.post(
        "/w/acme/ai/settings/",
        {"enabled": "on", "base_url": stub.url, "model": "stub-model", "api_key": API_KEY},
        follow=True,
    )

    assert response.status_code == 200
    ai = AiSettings.objects.get(workspace=workspace)
    assert ai.enabled and ai.api_key == API_KEY
    assert API_KEY not in response.content.decode()
    # Saving again with the key field blank keeps the stored key.
    web.post("/w/acme/ai/settings/", {"enabled": "on", "base_url": stub.url, "api_key": ""})
    ai.refresh_from_db()
    assert ai.api_key == API_KEY


def test_a_member_cannot_change_the_settings(client, member, stub, workspace):
    client.force_login(member)

    response = client.post("/w/acme/ai/settings/", {"enabled": "on", "base_url": stub.url})

    assert response.status_code == 403
    assert not AiSettings.objects.filter(workspace=workspace, enabled=True).exists()


def test_the_test_button_calls_the_model(web, ai_on, stub):
    stub.queue(stub.answer("OK"))

    response = web.post("/w/acme/ai/settings/", {"action": "test"})

    assert b"Connected" in response.content
    assert len(stub.requests) == 1


def test_what_is_sent_shows_the_exact_messages_and_sends_nothing(web, ai_on, stub, rich_lead):
    response = web.get(f"/w/acme/ai/settings/?lead={rich_lead.pk}")

    page = response.content.decode()
    assert "[1] The lead&#x27;s name is Ada Moreau." in page
    assert "Northwind Robotics uses HubSpot, Kubernetes." in page
    assert stub.requests == []


def test_another_workspaces_lead_is_404_on_what_is_sent(web, foreign_lead):
    assert web.get(f"/w/acme/ai/settings/?lead={foreign_lead.pk}").status_code == 404


def test_the_review_queue_shows_drafts_with_sources_and_approves(
    web, ai_on, stub, workspace, sequence, enrollment
):
    stub.queue(stub.answer(GOOD))
    slot_drafts_generate(workspace=workspace, sequence=sequence)
    draft = SlotDraft.objects.get()

    page = web.get(f"/w/acme/ai/review/?sequence={sequence.pk}").content.decode()
    assert "Saw the Lyon team." in page and "(used)" in page

    web.post(
        f"/w/acme/ai/drafts/{draft.pk}/approve/",
        {"slot1": "Lyon!", "slot2": draft.slot2, "slot3": draft.slot3, "sequence": sequence.pk},
    )

    enrollment.refresh_from_db()
    assert enrollment.slots["slot1"] == "Lyon!"
    assert SlotDraft.objects.get().status == DraftStatus.APPROVED
    assert "Nothing to review" in web.get("/w/acme/ai/review/").content.decode()


def test_the_review_queue_is_scoped_to_the_workspace(web, stranger, other_workspace):
    from tests.integrations.ai.conftest import make_sequence

    foreign = make_sequence(other_workspace)

    assert web.get(f"/w/acme/ai/review/?sequence={foreign.pk}").status_code == 404
    assert web.get("/w/globex/ai/review/").status_code == 404


def test_what_is_sent_is_exactly_what_drafting_sends(
    web, ai_on, stub, workspace, sequence, enrollment, rich_lead
):
    from django.utils.html import escape

    stub.queue(stub.answer(GOOD))
    slot_drafts_generate(workspace=workspace, sequence=sequence)
    (request,) = stub.requests

    page = web.get(f"/w/acme/ai/settings/?lead={rich_lead.pk}").content.decode()

    for message in request["json"]["messages"]:
        assert escape(message["content"]) in page
