"""The leads table's bulk bar enrolls the ticked leads in a sequence and says who was skipped."""

from __future__ import annotations

from outreach.models import Enrollment
from outreach.services.suppression import suppression_add
from tests.factories import LeadFactory


def test_ticked_leads_are_enrolled_and_the_skipped_explained(web, workspace, sequence):
    ok = LeadFactory(workspace=workspace, email="ok@prospect.example")
    blocked = LeadFactory(workspace=workspace, email="no@prospect.example")
    suppression_add(workspace=workspace, value=blocked.email, reason="manual")
    table = web.get("/w/acme/leads/").content.decode()
    assert f'<option value="{sequence.pk}">' in table

    response = web.post(
        "/w/acme/leads/bulk/",
        {"action": "enroll", "sequence_id": sequence.pk, "lead_ids": [ok.pk, blocked.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert f"Enrolled 1 lead in “{sequence.name}”. Skipped 1:" in html
    assert list(Enrollment.objects.values_list("lead_id", flat=True)) == [ok.pk]


def test_a_sequence_must_be_chosen_and_belong_to_the_workspace(
    web, workspace, sequence, other_workspace, foreign_lead
):
    lead = LeadFactory(workspace=workspace)
    none = web.post("/w/acme/leads/bulk/", {"action": "enroll", "lead_ids": [lead.pk]}, follow=True)
    assert "Choose a sequence first." in none.content.decode()
    foreign = web.post(
        "/w/acme/leads/bulk/",
        {"action": "enroll", "sequence_id": sequence.pk, "lead_ids": [foreign_lead.pk]},
        follow=True,
    )
    assert "Enrolled 0 leads" in foreign.content.decode()
    assert not Enrollment.objects.exists()
