"""domain_check_run(): history, the pause a failing domain gets, and the planner obeying it.

The DNS is a real server on loopback (dnslib), reached through the workspace's policy.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from crm.errors import ValidationFailed
from outreach.models import (
    CheckAction,
    CheckStatus,
    DomainCheck,
    DomainState,
    Enrollment,
    OutboundMessage,
)
from outreach.sending.planner import plan_due_sends
from outreach.services.domain_checks import deliverability_policy_update, domain_check_run
from outreach.services.domains import sending_domain_pause, sending_domain_resume
from outreach.services.enrollments import enrollments_add
from outreach.services.mailboxes import mailbox_update
from outreach.tasks import check_domain_task
from tests.factories import LeadFactory

from .domain_zone import DOMAIN, SMTP_IP, acme_zone

MONDAY_10 = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def signed(mailbox):
    """The fixtures' mailbox, signing with DKIM selector s1 and sending over STARTTLS."""
    return mailbox_update(mailbox=mailbox, data={"dkim_selector": "s1"})


def policy(workspace, dns, **changes):
    values = {
        "pause_on_failure": True,
        "ip_blocklists": [],
        "domain_blocklists": [],
        "dns_nameserver": "127.0.0.1",
        "dns_port": dns.port,
        **changes,
    }
    return deliverability_policy_update(workspace=workspace, **values)


def check(domain, **kwargs):
    result = domain_check_run(domain=domain, **kwargs)
    domain.refresh_from_db()
    return result


def send_tick(workspace, sequence, actor, capture):
    lead = LeadFactory(workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    with time_machine.travel(MONDAY_10, tick=False), capture(execute=True):
        return plan_due_sends(now=timezone.now())


def test_a_good_domain_passes_and_is_kept_as_history(acme_dns, signed, sending_domain):
    mailbox_update(mailbox=signed, data={"smtp_security": "starttls"})

    first = check(sending_domain)
    second = check(sending_domain)

    assert first.status in (CheckStatus.OK, CheckStatus.WARNINGS), first.findings
    assert first.errors == 0 and first.failing_reason == "" and first.action == ""
    assert first.readiness["ready"] is True
    assert {i["key"]: i["state"] for i in first.readiness["items"]} == {
        "spf": "pass",
        "dkim": "pass",
        "dmarc": "pass",
        "aligned": "pass",
        "fcrdns": "pass",
        "tls": "pass",
        "unsubscribe": "pass",
    }
    assert sending_domain.state != DomainState.PAUSED
    assert list(sending_domain.checks.order_by("-checked_at", "-id")) == [second, first]
    assert ("s1._domainkey.mail.acme.test", "TXT") in acme_dns.queries  # its own selector
    assert first.duration_ms >= 0 and first.workspace_id == sending_domain.workspace_id


def test_readiness_names_what_the_providers_would_refuse(
    acme_dns, signed, sending_domain, settings
):
    settings.SITE_URL = "http://localhost:8000"  # List-Unsubscribe over plain HTTP

    result = check(sending_domain)  # and the fixtures' mailbox sends without TLS

    items = {i["key"]: i["state"] for i in result.readiness["items"]}
    assert items["tls"] == "fail" and items["unsubscribe"] == "fail" and items["spf"] == "pass"
    providers = {p["key"]: p["ready"] for p in result.readiness["providers"]}
    assert providers == {"gmail_yahoo_2024": False, "microsoft_2025": False}
    assert sending_domain.state != DomainState.PAUSED  # readiness informs; it does not pause


def test_a_domain_without_dmarc_is_paused_and_nothing_is_sent(
    acme_dns, signed, sending_domain, sequence, actor, workspace, smtp_server,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    acme_dns.load(acme_zone(without=("dmarc",)))

    status = check_domain_task.delay(sending_domain.pk).get()

    sending_domain.refresh_from_db()
    assert status == CheckStatus.FAILING
    assert sending_domain.state == DomainState.PAUSED
    assert "DMARC" in sending_domain.paused_reason
    assert sending_domain.paused_reason.startswith("Failed the deliverability check")
    stored = DomainCheck.objects.get()
    assert (
        stored.action == CheckAction.PAUSED
        and stored.failing_reason == sending_domain.paused_reason
    )
    assert "dmarc.missing" in [f["code"] for f in stored.findings]
    fix = next(f["fix"] for f in stored.findings if f["code"] == "dmarc.missing")
    assert fix["name"] == f"_dmarc.{DOMAIN}" and fix["value"].startswith("v=DMARC1")

    outcomes = send_tick(workspace, sequence, actor, django_capture_on_commit_callbacks)

    assert outcomes.get("planned", 0) == 0 and outcomes["domain_paused"] == 1
    assert OutboundMessage.objects.count() == 0 and smtp_server.received == []


def test_fixing_the_zone_and_checking_again_resumes_it_and_sending_goes_on(
    acme_dns, signed, sending_domain, sequence, actor, workspace, smtp_server,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    acme_dns.load(acme_zone(without=("dmarc",)))
    check(sending_domain)
    assert sending_domain.state == DomainState.PAUSED

    acme_dns.load(acme_zone())
    result = check(sending_domain)

    assert result.action == CheckAction.RESUMED
    assert sending_domain.state == DomainState.READY and sending_domain.paused_reason == ""
    outcomes = send_tick(workspace, sequence, actor, django_capture_on_commit_callbacks)
    assert outcomes["planned"] == 1 and len(smtp_server.received) == 1


def test_a_dns_timeout_is_could_not_check_and_never_a_pause(acme_dns, signed, sending_domain):
    acme_dns.load(
        {
            DOMAIN: [("TIMEOUT", None)],
            f"_dmarc.{DOMAIN}": [("TIMEOUT", None)],
            f"s1._domainkey.{DOMAIN}": [("TIMEOUT", None)],
        }
    )

    result = check(sending_domain, resolver=acme_dns.config(timeout=0.3))

    assert result.status == CheckStatus.COULD_NOT_CHECK
    assert sending_domain.state != DomainState.PAUSED and result.action == ""
    codes = {f["code"] for f in result.findings if f["retryable"]}
    assert {"spf.dns_unavailable", "dmarc.dns_unavailable"} <= codes
    assert "dmarc.missing" not in {f["code"] for f in result.findings}


def test_a_timeout_does_not_resume_a_domain_the_checker_paused(acme_dns, signed, sending_domain):
    acme_dns.load(acme_zone(without=("dmarc",)))
    check(sending_domain)
    acme_dns.load({f"_dmarc.{DOMAIN}": [("SERVFAIL", None)], **acme_zone(without=("dmarc",))})

    result = check(sending_domain)

    assert result.status == CheckStatus.COULD_NOT_CHECK and result.action == ""
    assert sending_domain.state == DomainState.PAUSED


def test_the_whole_run_has_a_deadline(acme_dns, signed, sending_domain):
    acme_dns.load({DOMAIN: [("TIMEOUT", None)]})

    result = check(sending_domain, resolver=acme_dns.config(timeout=2.0), timeout=0.3)

    assert result.status == CheckStatus.COULD_NOT_CHECK
    assert [f["code"] for f in result.findings] == ["check.timeout"]
    assert sending_domain.state != DomainState.PAUSED
    assert result.duration_ms < 2000


def test_a_pause_set_by_hand_survives_a_passing_check(acme_dns, signed, sending_domain):
    sending_domain_pause(domain=sending_domain, reason="Waiting for the new ESP")

    result = check(sending_domain)

    assert result.action == "" and result.status != CheckStatus.FAILING
    assert sending_domain.state == DomainState.PAUSED
    assert sending_domain.paused_reason == "Waiting for the new ESP"


def test_a_pause_set_by_hand_keeps_its_reason_when_the_check_fails(
    acme_dns, signed, sending_domain
):
    sending_domain_pause(domain=sending_domain, reason="Waiting for the new ESP")
    acme_dns.load(acme_zone(without=("dmarc",)))

    check(sending_domain)
    acme_dns.load(acme_zone())
    check(sending_domain)

    assert sending_domain.state == DomainState.PAUSED
    assert sending_domain.paused_reason == "Waiting for the new ESP"


def test_a_checker_pause_replaced_by_hand_is_no_longer_lifted(acme_dns, signed, sending_domain):
    acme_dns.load(acme_zone(without=("dmarc",)))
    check(sending_domain)
    sending_domain_pause(domain=sending_domain, reason="Keep it off until Monday")
    acme_dns.load(acme_zone())

    check(sending_domain)

    assert sending_domain.paused_reason == "Keep it off until Monday"


def test_a_domain_resumed_by_hand_is_paused_again_by_the_next_failing_check(
    acme_dns, signed, sending_domain
):
    acme_dns.load(acme_zone(without=("dmarc",)))
    check(sending_domain)
    sending_domain_resume(domain=sending_domain)

    result = check(sending_domain)

    assert result.action == CheckAction.PAUSED and sending_domain.state == DomainState.PAUSED


@pytest.mark.parametrize(
    ("without", "words"),
    [(("spf",), "SPF"), (("dkim",), "selector s1")],
)
def test_missing_spf_or_dkim_for_the_mailboxes_pauses(
    acme_dns, signed, sending_domain, without, words
):
    acme_dns.load(acme_zone(without=without))

    result = check(sending_domain)

    assert result.status == CheckStatus.FAILING
    assert sending_domain.state == DomainState.PAUSED and words in sending_domain.paused_reason


def test_an_smtp_host_spf_does_not_authorize_fails_spf(acme_dns, signed, sending_domain, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = [*settings.OUTBOUND_ALLOW_PRIVATE, "127.0.0.9"]
    mailbox_update(mailbox=signed, data={"smtp_host": "127.0.0.9"})

    check(sending_domain)

    assert (
        sending_domain.state == DomainState.PAUSED and "127.0.0.9" in sending_domain.paused_reason
    )


def test_a_listing_on_a_configured_blocklist_pauses(acme_dns, signed, sending_domain, workspace):
    policy(workspace, acme_dns, ip_blocklists=["bl.example"])
    reversed_ip = ".".join(reversed(SMTP_IP.split(".")))
    acme_dns.load(
        acme_zone(
            extra=(
                ("2.0.0.127.bl.example", "A", "127.0.0.2"),  # RFC 5782 test entry
                (f"{reversed_ip}.bl.example", "A", "127.0.0.2"),
                (f"{reversed_ip}.bl.example", "TXT", "Listed for spam"),
            )
        )
    )

    result = check(sending_domain)

    assert "blocklist.listed" in [f["code"] for f in result.findings]
    assert (
        sending_domain.state == DomainState.PAUSED and "bl.example" in sending_domain.paused_reason
    )


def test_with_pausing_off_a_failure_is_recorded_but_the_domain_sends(
    acme_dns, signed, sending_domain, workspace
):
    policy(workspace, acme_dns, pause_on_failure=False)
    acme_dns.load(acme_zone(without=("dmarc",)))

    result = check(sending_domain)

    assert result.status == CheckStatus.FAILING and "DMARC" in result.failing_reason
    assert sending_domain.state != DomainState.PAUSED


def test_turning_pausing_off_resumes_only_what_the_checker_paused(
    acme_dns, signed, sending_domain, workspace
):
    from outreach.services.domains import sending_domain_create

    acme_dns.load(acme_zone(without=("dmarc",)))
    check(sending_domain)
    other = sending_domain_create(workspace=workspace, domain="news.acme.test")
    sending_domain_pause(domain=other, reason="By hand")

    policy(workspace, acme_dns, pause_on_failure=False)

    sending_domain.refresh_from_db()
    other.refresh_from_db()
    assert sending_domain.state == DomainState.READY
    assert other.state == DomainState.PAUSED and other.paused_reason == "By hand"


def test_without_mailboxes_dkim_is_discovered_among_common_selectors(acme_dns, sending_domain):
    result = check(sending_domain)

    assert result.errors == 0, result.findings
    assert ("google._domainkey.mail.acme.test", "TXT") in acme_dns.queries
    assert sending_domain.state != DomainState.PAUSED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"dns_nameserver": "dns.example"}, "dns_nameserver"),
        ({"ip_blocklists": ["not a zone"]}, "ip_blocklists"),
        ({"domain_blocklists": ["-bad-.example"]}, "domain_blocklists"),
        ({"dns_port": 0}, "dns_port"),
    ],
)
def test_a_bad_policy_is_refused_with_the_field(workspace, dns_server, changes, field):
    with pytest.raises(ValidationFailed) as refused:
        policy(workspace, dns_server, **changes)
    assert field in refused.value.errors


def test_blocklist_zones_are_normalized(workspace, dns_server):
    saved = policy(workspace, dns_server, ip_blocklists=["ZEN.Spamhaus.org.", "zen.spamhaus.org"])
    assert saved.ip_blocklists == ["zen.spamhaus.org"]


def test_enrollment_rows_untouched_by_a_check(acme_dns, signed, sending_domain, sequence, actor):
    lead = LeadFactory(workspace=sending_domain.workspace)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    before = list(Enrollment.objects.values_list("status", "next_send_at"))
    acme_dns.load(acme_zone(without=("dmarc",)))

    check(sending_domain)

    # The pause gates the planner; enrollments wait, they are not stopped or rescheduled.
    assert list(Enrollment.objects.values_list("status", "next_send_at")) == before


def test_a_domain_whose_mailboxes_only_capture_is_reported_but_not_paused(
    acme_dns, signed, sending_domain
):
    mailbox_update(mailbox=signed, data={"transport": "capture"})
    acme_dns.load(acme_zone(without=("dmarc",)))

    result = check(sending_domain)

    assert result.status == CheckStatus.FAILING and "DMARC" in result.failing_reason
    assert sending_domain.state != DomainState.PAUSED and result.action == ""
    mailbox_update(mailbox=signed, data={"transport": "smtp"})  # now it would send for real
    assert check(sending_domain).action == CheckAction.PAUSED
