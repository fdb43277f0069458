"""The sequence editor, enrollment and results pages: they render, they act through the
services, bad input is a message (never a 500), and another workspace's records are a 404."""

from __future__ import annotations

import pytest

from crm.models import EmailStatus
from outreach.models import Enrollment, EnrollmentStatus, InboundKind, InboundMessage, Step
from outreach.services.enrollments import enrollments_add
from outreach.services.sequences import sequence_create, step_add
from tests.factories import LeadFactory, LeadListFactory


@pytest.fixture
def enrolled(workspace, sequence, actor):
    ada = LeadFactory(workspace=workspace, first_name="Ada", last_name="Lovelace")
    enrollments_add(sequence=sequence, lead_ids=[ada.pk], actor=actor)
    return Enrollment.objects.get(lead=ada)


def url(sequence, rest=""):
    return f"/w/acme/outreach/sequences/{sequence.pk}/{rest}"


def test_every_sequence_page_renders(web, sequence, enrolled):
    step = sequence.steps.first()
    for path in (
        "/w/acme/outreach/sequences/",
        url(sequence),
        url(sequence, "settings/"),
        url(sequence, "steps/new/"),
        url(sequence, f"steps/{step.pk}/"),
        url(sequence, f"steps/{step.pk}/variants/new/"),
        url(sequence, "enrollments/"),
        url(sequence, "enrollments/?status=active&q=ada"),
        url(sequence, "enroll/"),
        url(sequence, "enroll/?q=ada&list=&tag="),
        url(sequence, "results/"),
        url(sequence, f"enrollments/{enrolled.pk}/"),
    ):
        response = web.get(path)
        assert response.status_code == 200, path


def test_a_step_is_added_edited_and_given_a_variant(web, sequence):
    response = web.post(
        url(sequence, "steps/new/"),
        {
            "delay_days": 4,
            "business_days": "on",
            "same_thread": "on",
            "body": "Last try, {{first_name|there}}.",
        },
    )
    step = Step.objects.get(sequence=sequence, position=2)
    assert response.status_code == 302
    assert (step.delay_days, step.business_days, step.same_thread) == (4, True, True)

    variant = step.variants.get()
    response = web.post(
        url(sequence, f"steps/{step.pk}/?variant={variant.pk}"),
        {"delay_days": 5, "subject": "New thread", "body": "Changed."},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    variant.refresh_from_db()
    assert (step.delay_days, step.same_thread, variant.subject) == (5, False, "New thread")

    web.post(url(sequence, f"steps/{step.pk}/variants/new/"), {"subject": "B", "body": "Other"})
    assert list(step.variants.values_list("label", flat=True)) == ["A", "B"]


def test_a_template_mistake_is_shown_on_the_form(web, sequence):
    step = sequence.steps.first()
    response = web.post(
        url(sequence, f"steps/{step.pk}/"),
        {"delay_days": 0, "subject": "Hi {{first_name", "body": "x"},
    )
    assert response.status_code == 200
    assert b"Unclosed" in response.content
    assert "{{first_name" not in step.variants.get().subject


def test_bad_numbers_are_form_errors(web, sequence):
    response = web.post(url(sequence, "steps/new/"), {"delay_days": "soon", "body": "x"})
    assert response.status_code == 200
    assert b"Enter a whole number" in response.content


def test_steps_move_and_unsent_ones_can_be_removed(web, workspace, mailbox):
    draft = sequence_create(workspace=workspace, name="Draft", mailboxes=[mailbox])
    one = step_add(sequence=draft, subject="One", body="1")
    two = step_add(sequence=draft, subject="Two", body="2", delay_days=2)
    web.post(url(draft, f"steps/{two.pk}/up/"))
    assert list(draft.steps.values_list("variants__subject", flat=True)) == ["Two", "One"]
    web.post(url(draft, f"steps/{one.pk}/remove/"))
    assert list(draft.steps.values_list("variants__subject", "position")) == [("Two", 0)]
    response = web.post(url(draft, f"steps/{two.pk}/sideways/"), follow=True)
    assert b"Unknown action" in response.content


def test_the_live_preview_renders_the_draft_for_the_chosen_lead(web, sequence, enrolled):
    data = {
        "position": 0,
        "label": "A",
        "subject": "Idea for {{company|your team}}",
        "body": "Hi {{first_name|there}},\n\n{{slot2|Saw your post.}}",
        "preview_enrollment": enrolled.pk,
    }
    response = web.post(url(sequence, "preview/"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Hi Ada," in text and "List-Unsubscribe-Post" in text
    assert "To</dt><dd>" in text and enrolled.lead.email in text

    sample = web.post(url(sequence, "preview/"), {**data, "preview_enrollment": ""}).content
    assert b"Hi Alex," in sample


def test_the_preview_lists_unknown_variables_and_missing_values(web, sequence, enrolled):
    response = web.post(
        url(sequence, "preview/"),
        {
            "position": 0,
            "subject": "Hi {{frist_name}}",
            "body": "{{slot1}}",
            "preview_enrollment": enrolled.pk,
        },
    )
    text = response.content.decode()
    assert "Subject: unknown variable {{frist_name}}" in text
    assert "has no slot1 " in text and "has no frist_name" not in text


def test_a_same_thread_preview_replies_to_the_first_email(web, sequence, enrolled):
    second = sequence.steps.get(position=1)
    response = web.post(
        url(sequence, "preview/"),
        {
            "position": 1,
            "step_id": second.pk,
            "same_thread": "on",
            "body": "Bump",
            "preview_enrollment": enrolled.pk,
        },
    )
    text = response.content.decode()
    assert "Re: " in text and "In-Reply-To" in text


def test_the_preview_refuses_a_missing_position(web, sequence):
    assert web.post(url(sequence, "preview/"), {"subject": "x"}).status_code == 400


def test_activation_refusal_lists_the_leads_concerned(web, workspace, mailbox, actor):
    draft = sequence_create(workspace=workspace, name="Draft", mailboxes=[mailbox])
    step_add(sequence=draft, subject="{{slot1}}", body="Hi")
    bo = LeadFactory(workspace=workspace, first_name="Bo", last_name="Ek")
    enrollments_add(sequence=draft, lead_ids=[bo.pk], actor=actor)
    response = web.post(url(draft, "activate/"), follow=True)
    text = response.content.decode()
    assert "cannot be activated yet" in text
    assert "Bo Ek" in text and "Fill slots" in text
    enrollment = Enrollment.objects.get(lead=bo)
    web.post(url(draft, f"enrollments/{enrollment.pk}/"), {"slot1": "About Q3"})
    web.post(url(draft, "activate/"))
    draft.refresh_from_db()
    assert draft.status == "active"


def test_leads_are_enrolled_by_selection_and_the_skipped_are_explained(web, workspace, sequence):
    ok = LeadFactory(workspace=workspace)
    dnc = LeadFactory(workspace=workspace, first_name="Dee", last_name="Enc", do_not_contact=True)
    bad = LeadFactory(workspace=workspace, email_status=EmailStatus.INVALID)
    response = web.post(
        url(sequence, "enroll/"), {"how": "selection", "lead_ids": [ok.pk, dnc.pk, bad.pk]}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "1 enrolled, 2 skipped" in text
    assert "Dee Enc" in text and "do-not-contact" in text.lower()
    assert list(Enrollment.objects.filter(sequence=sequence).values_list("lead_id", flat=True)) == [
        ok.pk
    ]


def test_leads_are_enrolled_by_the_leads_table_filter(web, workspace, sequence):
    LeadFactory(workspace=workspace, country="Sweden")
    LeadFactory(workspace=workspace, country="Sweden")
    LeadFactory(workspace=workspace, country="France")
    response = web.post(url(sequence, "enroll/?country=Sweden"), {"how": "filter"})
    assert b"2 enrolled" in response.content
    assert set(Enrollment.objects.values_list("lead__country", flat=True)) == {"Sweden"}


def test_leads_are_enrolled_by_list(web, workspace, sequence):
    lead_list = LeadListFactory(workspace=workspace)
    lead_list.memberships.create(lead=LeadFactory(workspace=workspace))
    response = web.post(url(sequence, "enroll/"), {"how": "list", "list_id": lead_list.pk})
    assert b"1 enrolled" in response.content


def test_enroll_page_bad_input_is_a_message(web, sequence, other_workspace):
    foreign = LeadListFactory(workspace=other_workspace)
    for data in (
        {"how": "selection", "lead_ids": ["abc"]},
        {"how": "selection"},
        {"how": "list", "list_id": foreign.pk},
        {"how": "teleport"},
    ):
        response = web.post(url(sequence, "enroll/"), data)
        assert response.status_code == 422, data
        assert b"form-errors" in response.content
    assert not Enrollment.objects.exists()


def test_enrollments_pause_resume_and_stop(web, sequence, enrolled):
    base = f"/w/acme/outreach/enrollments/{enrolled.pk}/"
    web.post(base + "pause/")
    enrolled.refresh_from_db()
    assert enrolled.status == EnrollmentStatus.PAUSED
    web.post(base + "resume/")
    enrolled.refresh_from_db()
    assert enrolled.status == EnrollmentStatus.ACTIVE
    web.post(base + "stop/")
    enrolled.refresh_from_db()
    assert enrolled.status == EnrollmentStatus.STOPPED
    response = web.post(base + "resume/", follow=True)
    assert b"cannot become active" in response.content


def test_enrollments_change_in_bulk(web, workspace, sequence, actor):
    leads = LeadFactory.create_batch(3, workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[x.pk for x in leads], actor=actor)
    ids = list(Enrollment.objects.values_list("id", flat=True))
    web.post(url(sequence, "enrollments/bulk/"), {"enrollment_ids": ids[:2], "action": "pause"})
    assert sorted(Enrollment.objects.values_list("status", flat=True)) == [
        "active",
        "paused",
        "paused",
    ]
    response = web.post(
        url(sequence, "enrollments/bulk/"),
        {"enrollment_ids": ["x"], "action": "pause"},
        follow=True,
    )
    assert b"Tick at least one enrollment" in response.content


def test_the_whole_sequence_pauses_resumes_and_stops(web, sequence, enrolled):
    web.post(url(sequence, "pause/"))
    sequence.refresh_from_db()
    assert sequence.status == "paused"
    web.post(url(sequence, "resume/"))
    sequence.refresh_from_db()
    assert sequence.status == "active"
    web.post(url(sequence, "stop/"))
    sequence.refresh_from_db()
    enrolled.refresh_from_db()
    assert (sequence.status, enrolled.status) == ("archived", "stopped")


def test_slots_are_edited_per_enrollment(web, enrolled):
    page = url(enrolled.sequence, f"enrollments/{enrolled.pk}/")
    response = web.post(
        page, {"slot1": "  Your   Q3 plan ", "slot2": "Loved the talk.", "slot3": ""}
    )
    assert response.status_code == 302
    enrolled.refresh_from_db()
    assert enrolled.slots == {"slot1": "Your Q3 plan", "slot2": "Loved the talk."}
    too_long = web.post(page, {"slot1": "x" * 2001})
    assert too_long.status_code == 422


def test_settings_change_the_options(web, sequence, mailbox):
    response = web.post(
        url(sequence, "settings/"),
        {
            "name": "Renamed",
            "mailboxes": [mailbox.pk],
            "stop_company_on_reply": "on",
            "use_lead_timezone": "on",
        },
    )
    assert response.status_code == 302
    sequence.refresh_from_db()
    assert sequence.name == "Renamed"
    assert (sequence.stop_on_reply, sequence.stop_company_on_reply, sequence.use_lead_timezone) == (
        False,
        True,
        True,
    )
    assert web.post(url(sequence, "settings/"), {"name": ""}).status_code == 200


def test_a_reply_is_marked_positive_from_the_results_page(web, workspace, sequence, enrolled):
    reply = InboundMessage.objects.create(
        workspace=workspace,
        mailbox=enrolled.mailbox,
        uidvalidity=1,
        uid=1,
        kind=InboundKind.REPLY,
        from_email=enrolled.lead.email,
        subject="Re: hi",
        text="Sounds good, call me",
        lead=enrolled.lead,
    )
    page = web.get(url(sequence, "results/"))
    assert b"Sounds good, call me" in page.content and b"sequence-chart" in page.content
    response = web.post(
        f"/w/acme/outreach/replies/{reply.pk}/positive/", {"positive": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and b"Positive" in response.content
    reply.refresh_from_db()
    assert reply.positive is True


def test_another_workspaces_sequence_pages_are_404(
    client, stranger, other_workspace, sequence, enrolled
):
    client.force_login(stranger)
    step = sequence.steps.first()
    for path in (
        url(sequence),
        url(sequence, "enrollments/"),
        url(sequence, "results/"),
        url(sequence, f"steps/{step.pk}/"),
        url(sequence, f"enrollments/{enrolled.pk}/"),
    ):
        assert client.get(path).status_code == 404, path
    # Their own workspace URL with Acme's ids: still nothing.
    assert client.get(f"/w/globex/outreach/sequences/{sequence.pk}/").status_code == 404
    assert (
        client.post(
            f"/w/globex/outreach/sequences/{sequence.pk}/preview/", {"position": 0}
        ).status_code
        == 404
    )
    assert client.post(f"/w/globex/outreach/enrollments/{enrolled.pk}/stop/").status_code == 404
    enrolled.refresh_from_db()
    assert enrolled.status == "active"


def test_an_enrollment_under_another_sequence_is_404(web, workspace, enrolled, mailbox):
    other = sequence_create(workspace=workspace, name="Other", mailboxes=[mailbox])
    assert web.get(url(other, f"enrollments/{enrolled.pk}/")).status_code == 404


def test_a_preview_for_another_sequences_enrollment_is_404(
    web, workspace, sequence, enrolled, mailbox
):
    other = sequence_create(workspace=workspace, name="Other", mailboxes=[mailbox])
    step_add(sequence=other, subject="x", body="y")
    response = web.post(
        url(other, "preview/"),
        {"position": 0, "subject": "s", "body": "b", "preview_enrollment": enrolled.pk},
    )
    assert response.status_code == 404


def test_the_preview_never_runs_what_a_template_or_a_lead_contains(web, workspace, sequence, actor):
    lead = LeadFactory(workspace=workspace, first_name="<script>alert(1)</script>")
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    enrollment = Enrollment.objects.get(lead=lead)
    response = web.post(
        url(sequence, "preview/"),
        {
            "position": 0,
            "subject": "Hi {{first_name}}",
            "body": "Hi {{first_name}}",
            "body_html": "<p>Hi {{first_name}}</p><script>steal()</script>",
            "preview_enrollment": enrollment.pk,
        },
    )
    text = response.content.decode()
    assert "<script>" not in text
    assert 'sandbox=""' in text and "&lt;script&gt;steal()" in text
