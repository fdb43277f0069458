"""The domain page (state, use, findings with their fix, readiness, history, Check now), the
policy form, the mailbox edit page; another workspace's rows are 404."""

from __future__ import annotations

import re

import pytest

from outreach.models import DeliverabilityPolicy, DomainCheck, DomainState, Mailbox
from outreach.services.domain_checks import domain_check_run
from outreach.services.domains import sending_domain_create, sending_domain_pause
from outreach.services.mailboxes import mailbox_update

from .domain_zone import DOMAIN, acme_zone


def page_url(domain):
    return f"/w/acme/outreach/domains/{domain.pk}/"


def test_the_domains_list_links_each_domain_to_its_page(web, acme_dns, mailbox, sending_domain):
    domain_check_run(domain=sending_domain)

    html = web.get("/w/acme/outreach/domains/").content.decode()

    assert f'href="{page_url(sending_domain)}"' in html
    assert "DNS OK" in html or "warning" in html
    assert f'href="/w/acme/outreach/mailboxes/{mailbox.pk}/"' in html
    assert 'id="deliverability-policy"' in html


def test_the_page_shows_the_pause_the_findings_and_the_record_to_publish(
    web, acme_dns, mailbox, sending_domain
):
    mailbox_update(mailbox=mailbox, data={"dkim_selector": "s1"})
    acme_dns.load(acme_zone(without=("dmarc",)))
    domain_check_run(domain=sending_domain)

    response = web.get(page_url(sending_domain))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Paused" in html and "Failed the deliverability check" in html
    errors = html.index('data-severity="error"')
    assert errors < html.index('data-severity="info"')
    assert 'data-code="dmarc.missing"' in html
    code = re.search(r'<code id="(fix-value-error-\d+)">(v=DMARC1[^<]*)</code>', html)
    assert code is not None, "the DMARC record to publish, in a <code> block"
    assert f'data-copy="{code.group(1)}"' in html  # its copy button
    assert f"_dmarc.{DOMAIN}" in html
    assert "Gmail and Yahoo (2024)" in html and "Microsoft Outlook (2025)" in html
    assert 'data-item="dmarc"' in html and "✗ fail" in html
    assert html.count("<tr>") >= 2  # mailbox row + history row
    assert "Paused the domain" in html  # the history says what the check did
    assert "0 / 30" in html  # sent today against the domain's cap
    assert '<script src="http' not in html  # no CDN


def test_a_warming_domain_says_how_many_days_are_left(web, workspace):
    import datetime as dt

    domain = sending_domain_create(
        workspace=workspace, domain="new.acme.test", added_on=dt.date.today()
    )

    html = web.get(page_url(domain)).content.decode()

    assert "Warming up" in html and "14 days left" in html
    assert "not been checked yet" in html


def test_check_now_with_htmx_swaps_the_health_section(web, acme_dns, mailbox, sending_domain):
    response = web.post(
        f"{page_url(sending_domain)}check/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="domain-health"
    )

    assert response.status_code == 200
    assert 'id="domain-health"' in response.content.decode()
    assert DomainCheck.objects.filter(domain=sending_domain, trigger="manual").count() == 1


def test_check_now_without_htmx_redirects_back_to_the_page(web, acme_dns, mailbox, sending_domain):
    acme_dns.load(acme_zone(without=("spf",)))

    response = web.post(f"{page_url(sending_domain)}check/")

    assert response.status_code == 302 and response["Location"] == page_url(sending_domain)
    sending_domain.refresh_from_db()
    assert sending_domain.state == DomainState.PAUSED


def test_another_workspaces_domain_and_mailbox_are_404(web, other_workspace):
    from outreach.services.mailboxes import mailbox_create

    foreign = sending_domain_create(workspace=other_workspace, domain="mail.globex.test")
    theirs = mailbox_create(workspace=other_workspace, domain=foreign, address="s@mail.globex.test")

    assert web.get(page_url(foreign)).status_code == 404
    assert web.post(f"{page_url(foreign)}check/").status_code == 404
    assert web.get(f"/w/acme/outreach/mailboxes/{theirs.pk}/").status_code == 404
    assert web.post(f"/w/acme/outreach/mailboxes/{theirs.pk}/", {}).status_code == 404
    assert web.get(f"/w/globex/outreach/domains/{foreign.pk}/").status_code == 404
    assert not DomainCheck.objects.exists()


def test_check_now_is_post_only(web, sending_domain):
    assert web.get(f"{page_url(sending_domain)}check/").status_code == 405


def mailbox_form(mailbox, **changes):
    data = {
        "display_name": "Olivia",
        "signature": "Olivia Hart\nAcme",
        "dkim_selector": "s1",
        "transport": "smtp",
        "smtp_host": mailbox.smtp_host,
        "smtp_port": mailbox.smtp_port,
        "smtp_security": "starttls",
        "smtp_username": mailbox.smtp_username,
        "smtp_password": "",
        "imap_host": "",
        "imap_port": 993,
        "imap_security": "ssl",
        "imap_username": "",
        "imap_password": "",
        "daily_cap": 25,
        "ramp_start": 4,
        "ramp_step": 3,
        "window_weekdays": [0, 1, 2],
        "window_start": "08:00",
        "window_end": "16:30",
        "timezone": "Europe/Stockholm",
        "gap_min_seconds": 120,
        "gap_max_seconds": 240,
    }
    data.update(changes)
    return data


def test_a_mailbox_can_be_edited_and_its_password_is_write_only(web, mailbox):
    stored_password = mailbox.smtp_password
    page = web.get(f"/w/acme/outreach/mailboxes/{mailbox.pk}/").content.decode()
    assert stored_password not in page and 'name="smtp_password"' in page
    assert 'name="address"' not in page  # the address is not editable

    response = web.post(f"/w/acme/outreach/mailboxes/{mailbox.pk}/", mailbox_form(mailbox))

    assert response.status_code == 302
    assert response["Location"] == f"/w/acme/outreach/domains/{mailbox.domain_id}/"
    saved = Mailbox.objects.get(pk=mailbox.pk)
    assert (saved.daily_cap, saved.ramp_start, saved.ramp_step) == (25, 4, 3)
    assert saved.window_weekdays == [0, 1, 2] and str(saved.window_end) == "16:30:00"
    assert (saved.gap_min_seconds, saved.gap_max_seconds) == (120, 240)
    assert saved.signature == "Olivia Hart\nAcme" and saved.dkim_selector == "s1"
    assert saved.smtp_password == stored_password  # blank kept the stored one

    web.post(
        f"/w/acme/outreach/mailboxes/{mailbox.pk}/", mailbox_form(mailbox, smtp_password="new-one")
    )
    assert Mailbox.objects.get(pk=mailbox.pk).smtp_password == "new-one"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"gap_max_seconds": 10}, "at least the minimum gap"),
        ({"window_end": "07:00"}, "must end after it starts"),
        # A picker now: the form refuses what is not one of its time zones.
        ({"timezone": "Mars/Olympus"}, "Mars/Olympus is not one of the available choices"),
        ({"dkim_selector": "bad selector"}, "DNS labels"),
    ],
)
def test_a_bad_mailbox_edit_shows_the_reason(web, mailbox, changes, message):
    response = web.post(
        f"/w/acme/outreach/mailboxes/{mailbox.pk}/", mailbox_form(mailbox, **changes)
    )

    assert response.status_code == 200 and message in response.content.decode()
    assert Mailbox.objects.get(pk=mailbox.pk).daily_cap == mailbox.daily_cap


def test_the_policy_form_saves_the_workspaces_policy(web, workspace, sending_domain, settings):
    settings.DNS_RESOLVERS_ALLOWED = [("127.0.0.1", 53)]
    response = web.post(
        "/w/acme/outreach/domains/policy/",
        {
            "ip_blocklists": "zen.spamhaus.org\nbl.example",
            "domain_blocklists": "",
            "dns_nameserver": "127.0.0.1",
            "dns_port": 53,
        },
    )

    assert response.status_code == 302
    policy = DeliverabilityPolicy.objects.get(workspace=workspace)
    assert policy.pause_on_failure is False  # the box was left unticked
    assert policy.ip_blocklists == ["zen.spamhaus.org", "bl.example"]


def test_a_bad_policy_from_the_form_is_not_saved(web, workspace):
    response = web.post(
        "/w/acme/outreach/domains/policy/",
        {"dns_nameserver": "not-an-ip", "dns_port": 53},
        follow=True,
    )

    assert "is not an IP address" in response.content.decode()
    assert not DeliverabilityPolicy.objects.exists()


def test_a_manual_pause_is_shown_with_its_own_reason(web, acme_dns, sending_domain):
    sending_domain_pause(domain=sending_domain, reason="Holiday")
    domain_check_run(domain=sending_domain)

    html = web.get(page_url(sending_domain)).content.decode()

    assert "data-paused-reason>Holiday<" in html
