"""Setting a mailbox up: provider presets, a time-zone list, day and hour pickers, the ramp's
next 30 days; and a capture-only domain failing its checks does not claim to be "Ready"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from outreach.models import CheckStatus, DomainCheck, DomainCheckState, Mailbox
from outreach.ramp_preview import ramp_preview
from outreach.services.mailboxes import mailbox_create

NEW = "/w/acme/outreach/mailboxes/new/"


def test_a_provider_preset_fills_the_servers_left_empty(web, sending_domain):
    response = web.post(
        NEW,
        {
            "domain": sending_domain.pk,
            "address": "bo@mail.acme.test",
            "transport": "smtp",
            "provider": "google",
            "smtp_username": "bo@mail.acme.test",
            "daily_cap": 30,
            "ramp_start": 5,
            "ramp_step": 2,
            "window_weekdays": [0, 1, 2, 3, 4],
            "window_start": "09:00",
            "window_end": "17:00",
            "timezone": "Europe/Paris",
            "gap_min_seconds": 300,
            "gap_max_seconds": 600,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    box = Mailbox.objects.get(address="bo@mail.acme.test")
    assert (box.smtp_host, box.smtp_port, box.smtp_security) == ("smtp.gmail.com", 587, "starttls")
    assert (box.imap_host, box.imap_port, box.imap_security) == ("imap.gmail.com", 993, "ssl")
    assert box.timezone == "Europe/Paris"


def test_the_form_offers_presets_labels_and_pickers(web, sending_domain):
    html = web.get(NEW).content.decode()
    for label in ("Google Workspace", "Microsoft 365", "Zoho Mail", "Other (type the servers)"):
        assert label in html
    assert '"smtp_host": "smtp.office365.com"' in html
    assert "SMTP server" in html and "SMTP encryption" in html and "From name" in html
    assert re.search(r'<select name="timezone"[^>]*>', html)
    assert '<option value="America/New_York">America/New York</option>' in html
    assert 'type="time"' in html and 'name="window_start"' in html
    assert html.count('name="window_weekdays"') == 7


def test_an_unknown_time_zone_is_refused(web, sending_domain):
    response = web.post(NEW, {"domain": sending_domain.pk, "timezone": "Mars/Olympus"})
    assert "Select a valid choice" in response.content.decode()


def test_the_ramp_is_shown_as_the_cap_of_each_of_the_next_30_days(web, sending_domain):
    html = web.get(NEW).content.decode()
    caps = [int(c) for c in re.findall(r'data-cap="(\d+)"', html)]
    assert len(caps) == 30
    # Live: the form asks again with the values typed so far.
    again = web.get(
        "/w/acme/outreach/mailboxes/ramp/",
        {
            "domain": sending_domain.pk,
            "daily_cap": 12,
            "ramp_start": 3,
            "ramp_step": 3,
            "window_weekdays": list(range(7)),
            "timezone": "UTC",
        },
    ).content.decode()
    caps = [int(c) for c in re.findall(r'data-cap="(\d+)"', again)]
    assert len(caps) == 30 and max(caps) == 12


def test_the_preview_follows_the_caps_rules(sending_domain):
    today = timezone.localdate()
    sending_domain.added_on = today - dt.timedelta(days=sending_domain.warmup_days - 2)
    draft = Mailbox(
        domain=sending_domain,
        daily_cap=10,
        ramp_start=2,
        ramp_step=4,
        window_weekdays=[0, 1, 2, 3, 4, 5, 6],
        ramp_starts_on=sending_domain.warm_on,
    )
    days = ramp_preview(mailbox=draft, domain=sending_domain, start=today)
    assert [d.cap for d in days[:6]] == [0, 0, 2, 6, 10, 10]
    assert "warming up" in days[0].note
    draft.window_weekdays = [0, 1, 2, 3, 4]
    days = ramp_preview(mailbox=draft, domain=sending_domain, start=today)
    assert all(d.cap == 0 and d.note for d in days if d.day.weekday() >= 5)


@pytest.fixture
def capture_mailbox(workspace, sending_domain):
    return mailbox_create(
        workspace=workspace,
        domain=sending_domain,
        address="demo@mail.acme.test",
        data={"transport": "capture"},
    )


@pytest.fixture
def failing_check(workspace, sending_domain):
    sending_domain.added_on = timezone.localdate() - dt.timedelta(days=60)
    sending_domain.save()
    check = DomainCheck.objects.create(
        workspace=workspace,
        domain=sending_domain,
        status=CheckStatus.FAILING,
        errors=1,
        failing_reason="SPF does not pass for the SMTP host.",
    )
    DomainCheckState.objects.update_or_create(domain=sending_domain, defaults={"last_check": check})
    return check


def test_a_capture_only_domain_failing_its_checks_says_so(web, capture_mailbox, failing_check):
    html = web.get("/w/acme/outreach/domains/").content.decode()
    assert 'data-readiness="capture_failing"' in html
    assert "Capture only: checks failing" in html
    assert ">Ready<" not in html
    detail = web.get(f"/w/acme/outreach/domains/{failing_check.domain_id}/").content.decode()
    assert "Capture only: checks failing" in detail and "SPF does not pass" in detail


def test_a_healthy_warm_domain_is_ready(web, capture_mailbox, sending_domain):
    sending_domain.added_on = timezone.localdate() - dt.timedelta(days=60)
    sending_domain.save()
    html = web.get("/w/acme/outreach/domains/").content.decode()
    assert 'data-readiness="ready"' in html
