"""The leads table's bulk bar enrolls the ticked leads in a sequence and says who was skipped;
its Sequence filter shows who is in one. Both come from outreach through crm's registries."""

from __future__ import annotations

from outreach.models import Enrollment
from outreach.services.enrollments import enrollments_add
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


def test_the_sequence_filter_shows_the_leads_enrolled_in_it(web, workspace, sequence, actor):
    inside = LeadFactory(workspace=workspace, first_name="Ines", last_name="Inside")
    LeadFactory(workspace=workspace, first_name="Otto", last_name="Outside")
    enrollments_add(sequence=sequence, lead_ids=[inside.pk], actor=actor)
    page = web.get("/w/acme/leads/").content.decode()
    assert f'<option value="{sequence.pk}">{sequence.name}</option>' in page
    html = web.get("/w/acme/leads/", {"sequence": sequence.pk}).content.decode()
    assert "Ines Inside" in html and "Otto Outside" not in html


def test_enroll_is_offered_on_a_lists_page_too(web, workspace, sequence):
    from tests.factories import LeadListFactory

    lead_list = LeadListFactory(workspace=workspace)
    html = web.get(f"/w/acme/lists/{lead_list.pk}/").content.decode()
    assert 'value="enroll"' in html and 'value="remove_from_list"' in html
    assert 'value="add_to_list"' not in html
