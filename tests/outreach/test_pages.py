"""The outreach pages render for members, and another team's workspace is a 404."""

from __future__ import annotations

from outreach.models import Enrollment, Mailbox, SendingDomain, Sequence
from outreach.services.enrollments import enrollments_add
from tests.factories import LeadFactory, LeadListFactory


def test_the_domains_page_shows_warm_up_and_todays_use(web, mailbox):
    response = web.get("/w/acme/outreach/domains/")
    assert response.status_code == 200
    assert b"mail.acme.test" in response.content
    assert b"0 / 30" in response.content


def test_a_domain_can_be_added_from_the_page(web, workspace):
    response = web.post(
        "/w/acme/outreach/domains/",
        {
            "domain": "getacme.com",
            "timezone": "Europe/Stockholm",
            "warmup_days": 14,
            "daily_cap": 30,
        },
    )
    assert response.status_code == 302
    assert SendingDomain.objects.get().domain == "getacme.com"


def test_a_capture_mailbox_can_be_added(web, sending_domain):
    response = web.post(
        "/w/acme/outreach/mailboxes/new/",
        {
            "domain": sending_domain.pk,
            "address": "bo@mail.acme.test",
            "transport": "capture",
            "smtp_port": 587,
            "smtp_security": "starttls",
            "imap_port": 993,
            "imap_security": "ssl",
            "daily_cap": 30,
            "ramp_start": 5,
            "ramp_step": 2,
            "window_weekdays": [0, 1, 2, 3, 4],
            "window_start": "09:00",
            "window_end": "17:00",
            "timezone": "UTC",
            "gap_min_seconds": 300,
            "gap_max_seconds": 600,
        },
    )
    assert response.status_code == 302, response.content
    assert Mailbox.objects.get().transport == "capture"


def test_a_sequence_is_built_and_fed_from_the_page(web, workspace, mailbox):
    response = web.post(
        "/w/acme/outreach/sequences/new/",
        {"name": "Q4", "mailboxes": [mailbox.pk], "stop_on_reply": "on"},
    )
    sequence = Sequence.objects.get()
    assert response.status_code == 302
    url = f"/w/acme/outreach/sequences/{sequence.pk}/"
    web.post(
        f"{url}steps/new/",
        {"subject": "Hi {{first_name|there}}", "body": "Hello", "delay_days": 0},
    )
    lead_list = LeadListFactory(workspace=workspace)
    lead_list.memberships.create(lead=LeadFactory(workspace=workspace))
    web.post(f"{url}enroll/", {"how": "list", "list_id": lead_list.pk})

    assert Enrollment.objects.count() == 1
    page = web.get(url)
    assert page.status_code == 200
    assert b"Hi {{first_name|there}}" in page.content
    web.post(f"{url}activate/")
    assert Sequence.objects.get().status == "active"


def test_the_preview_page_shows_the_exact_message(web, workspace, sequence, actor):
    lead = LeadFactory(workspace=workspace, first_name="Ada")
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    response = web.get(f"/w/acme/outreach/enrollments/{Enrollment.objects.get().pk}/preview/")
    assert response.status_code == 200
    assert b"List-Unsubscribe-Post" in response.content


def test_the_captured_mail_viewer_lists_nothing_at_first(web):
    assert web.get("/w/acme/outreach/captured/").status_code == 200


def test_a_stranger_gets_404(client, stranger, workspace, mailbox):
    client.force_login(stranger)
    assert client.get("/w/acme/outreach/domains/").status_code == 404
    assert client.get("/w/acme/outreach/sequences/").status_code == 404
