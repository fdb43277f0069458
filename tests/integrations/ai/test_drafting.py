"""Drafting a sequence's slots: numbered sources in, grounded drafts out, none with AI off."""

from __future__ import annotations

import json

import pytest

from crm.net.addresses import UnsafeAddress
from integrations.ai.configure import ai_settings_update
from integrations.ai.connection import AiDisabled
from integrations.ai.drafting import slot_drafts_generate
from integrations.ai.models import DraftStatus, SlotDraft
from outreach.services.enrollments import enrollments_add
from tests.factories import LeadFactory

GOOD = {
    "subject": "Kubernetes at Northwind",
    "intro": "Saw Northwind Robotics runs Kubernetes in Lyon.",
    "ps": "PS: industrial automation is close to my heart.",
    "source_ids": [4, 6],
}


def _sources_sent(stub):
    return stub.requests[-1]["json"]["messages"][1]["content"]


def test_a_grounded_answer_becomes_a_draft_to_review(ai_on, stub, workspace, sequence, enrollment):
    stub.queue(stub.answer(GOOD))

    report = slot_drafts_generate(workspace=workspace, sequence=sequence)

    assert report.generated == 1
    draft = SlotDraft.objects.get()
    assert draft.status == DraftStatus.PENDING
    assert (draft.slot1, draft.slot2, draft.slot3) == (GOOD["subject"], GOOD["intro"], GOOD["ps"])
    assert draft.source_ids == [4, 6]
    assert draft.prompt_tokens == 120 and draft.request_id
    sent = _sources_sent(stub)
    assert "[1] The lead's name is Ada Moreau." in sent
    assert "Northwind Robotics uses HubSpot, Kubernetes." in sent
    assert [s["id"] for s in draft.sources] == list(range(1, len(draft.sources) + 1))
    enrollment.refresh_from_db()
    assert enrollment.slots == {}  # nothing reaches the slots before a person approves


def test_json_mode_answers_get_the_same_checks(
    ai_on, stub, workspace, sequence, enrollment, settings
):
    settings.AI_STRUCTURED_OUTPUTS = False
    stub.queue(*[stub.answer({**GOOD, "source_ids": [99]})] * 2)

    report = slot_drafts_generate(workspace=workspace, sequence=sequence)

    assert stub.requests[0]["json"]["response_format"] == {"type": "json_object"}
    assert report.ungrounded == 1
    assert SlotDraft.objects.get().status == DraftStatus.UNGROUNDED


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ({**GOOD, "source_ids": [42]}, "not given: [42]"),
        ({**GOOD, "source_ids": []}, "cites no source"),
        ("this is not json", "not valid JSON"),
        ({**GOOD, "subject": "x" * 61}, "longer than 60"),
        ({**GOOD, "ps": " "}, "ps is missing or empty"),
    ],
)
def test_an_ungrounded_answer_is_stored_but_never_offered(
    ai_on, stub, workspace, sequence, enrollment, content, reason
):
    stub.queue(stub.answer(content), stub.answer(content))

    slot_drafts_generate(workspace=workspace, sequence=sequence)

    assert len(stub.requests) == 2  # retried once, then refused
    draft = SlotDraft.objects.get()
    assert draft.status == DraftStatus.UNGROUNDED
    assert reason in draft.reason
    assert not SlotDraft.objects.filter(status=DraftStatus.PENDING).exists()


def test_a_refusal_or_a_cut_answer_is_not_offered(ai_on, stub, workspace, sequence, enrollment):
    stub.queue(*[stub.answer("", refusal="I can't help with that")] * 2)
    slot_drafts_generate(workspace=workspace, sequence=sequence)
    stub.queue(*[stub.answer(json.dumps(GOOD)[:30], finish_reason="length")] * 2)
    slot_drafts_generate(workspace=workspace, sequence=sequence)

    reasons = list(SlotDraft.objects.order_by("id").values_list("status", "reason"))
    assert reasons[0][0] == reasons[1][0] == DraftStatus.UNGROUNDED
    assert "refused" in reasons[0][1] and "length" in reasons[1][1]


def test_a_rejected_answer_is_retried_once(ai_on, stub, workspace, sequence, enrollment):
    stub.queue(stub.answer({**GOOD, "source_ids": [42]}), stub.answer(GOOD))

    report = slot_drafts_generate(workspace=workspace, sequence=sequence)

    assert report.generated == 1 and len(stub.requests) == 2
    assert SlotDraft.objects.get().status == DraftStatus.PENDING


def test_nothing_is_sent_while_ai_is_off(stub, workspace, sequence, enrollment):
    ai_settings_update(workspace=workspace, enabled=False, base_url=stub.url)

    with pytest.raises(AiDisabled):
        slot_drafts_generate(workspace=workspace, sequence=sequence)

    assert stub.requests == []
    assert not SlotDraft.objects.exists()


def test_a_lead_with_only_a_name_and_company_gets_no_call(ai_on, stub, workspace, sequence, actor):
    lead = LeadFactory(workspace=workspace, title="")
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)

    report = slot_drafts_generate(workspace=workspace, sequence=sequence)

    assert report.fallback == 1 and stub.requests == []
    assert SlotDraft.objects.get().status == DraftStatus.NO_SOURCE


def test_a_model_that_keeps_failing_leaves_a_failed_draft(
    ai_on, stub, workspace, sequence, enrollment
):
    from tests.integrations.ai.stub_model import Reply

    stub.queue(*[Reply(status=503, body={"error": {"message": "down"}}) for _ in range(3)])

    report = slot_drafts_generate(workspace=workspace, sequence=sequence)

    assert report.failed == 1 and len(stub.requests) == 3
    assert SlotDraft.objects.get().status == DraftStatus.FAILED


def test_a_private_base_url_is_refused_unless_the_admin_allowed_it(
    ai_on, stub, workspace, sequence, enrollment, settings
):
    settings.OUTBOUND_ALLOW_PRIVATE = []

    with pytest.raises(UnsafeAddress):
        slot_drafts_generate(workspace=workspace, sequence=sequence)

    assert stub.requests == []


def test_many_enrollments_are_drafted_in_one_run(
    ai_on, stub, workspace, sequence, actor, rich_lead
):
    leads = [LeadFactory(workspace=workspace, company=rich_lead.company) for _ in range(5)]
    enrollments_add(sequence=sequence, lead_ids=[lead.pk for lead in leads], actor=actor)
    stub.default = stub.answer({**GOOD, "source_ids": [2]})

    try:
        report = slot_drafts_generate(workspace=workspace, sequence=sequence)
    finally:
        stub.default = stub.answer({"subject": "Hi", "intro": "Hi", "ps": "Hi", "source_ids": [1]})

    assert report.generated == 5 and len(stub.requests) == 5
