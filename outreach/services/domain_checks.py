"""Run the deliverability checks on a sending domain, keep the result, apply the policy.

The DNS work happens outside any transaction; storing the check and pausing or resuming the
domain happen in one, with the domain row locked, so two checks of one domain (the daily run
and a "Check now") cannot interleave their decisions.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import re
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crm.errors import ValidationFailed
from crm.models import Workspace
from outreach.deliverability import Blocklist, DomainChecker, DomainReport, ResolverConfig
from outreach.deliverability import Mailbox as CheckedMailbox
from outreach.deliverability.findings import Finding, Severity
from outreach.deliverability.gate import Gate, evaluate
from outreach.deliverability.mta_sts_fetch import mta_sts_policy_fetch
from outreach.deliverability.readiness import Sending, bulk_sender_readiness
from outreach.deliverability.report import Readiness
from outreach.models import (
    CheckAction,
    CheckStatus,
    CheckTrigger,
    DeliverabilityPolicy,
    DomainCheck,
    DomainCheckState,
    DomainState,
    Mailbox,
    Security,
    SendingDomain,
    Transport,
)
from outreach.selectors.domain_checks import deliverability_policy_get
from outreach.services.domains import (
    sending_domain_create,
    sending_domain_pause,
    sending_domain_resume,
)

# A whole run's deadline: a "Check now" answers within it, whatever DNS does.
CHECK_TIMEOUT = 20.0
_ZONE_RE = re.compile(r"^([a-z0-9_](?:[a-z0-9_-]*[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


def sending_domain_add(
    *,
    workspace: Workspace,
    domain: str,
    timezone_name: str = "UTC",
    added_on: dt.date | None = None,
    warmup_days: int = 14,
    daily_cap: int = 30,
) -> SendingDomain:
    """Add a sending domain (as the UI and API do) and check its DNS once it is committed."""
    from outreach.tasks import check_domain_task

    with transaction.atomic():
        created = sending_domain_create(
            workspace=workspace,
            domain=domain,
            timezone_name=timezone_name,
            added_on=added_on,
            warmup_days=warmup_days,
            daily_cap=daily_cap,
        )
        transaction.on_commit(
            lambda: check_domain_task.apply_async(
                (created.pk, CheckTrigger.ADDED.value), queue="dns"
            )
        )
    return created


def _resolver_config(
    policy: DeliverabilityPolicy, resolver: ResolverConfig | None
) -> ResolverConfig:
    return resolver if resolver is not None else policy_resolver(policy)


def policy_resolver(policy: DeliverabilityPolicy) -> ResolverConfig:
    """The resolver a workspace's checks ask: its own choice while the admin allows it.

    A resolver saved before the admin's list existed, or struck from it since, is not asked:
    the system's is.
    """
    if policy.dns_nameserver and resolver_allowed(policy.dns_nameserver, policy.dns_port):
        return ResolverConfig(nameservers=(policy.dns_nameserver,), port=policy.dns_port)
    return ResolverConfig()


def resolver_allowed(address: str, port: int) -> bool:
    """Whether the instance's admin lists this resolver in ``DNS_RESOLVERS_ALLOWED``.

    A workspace must not make the worker send DNS questions to internal services (the cloud
    metadata address, a database port): only the admin's resolvers, or the system's, are used.
    """
    wanted = (ipaddress.ip_address(address), port)
    return any(
        (ipaddress.ip_address(ip), int(allowed_port)) == wanted
        for ip, allowed_port in settings.DNS_RESOLVERS_ALLOWED
    )


def _resolver_refusal(address: str, port: int) -> str:
    allowed = [_ip_port(ip, p) for ip, p in settings.DNS_RESOLVERS_ALLOWED]
    if not allowed:
        return (
            "This Kindling uses its system's resolver only: leave the DNS server empty "
            "(the admin lists other resolvers in DNS_RESOLVERS_ALLOWED)."
        )
    return (
        f"{_ip_port(address, port)} is not a resolver the admin allows; choose one of "
        f"{', '.join(allowed)}, or leave it empty for the system's."
    )


def _ip_port(address: str, port: int) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def _blocklists(policy: DeliverabilityPolicy) -> list[Blocklist]:
    return [Blocklist(zone, "ip") for zone in policy.ip_blocklists] + [
        Blocklist(zone, "domain") for zone in policy.domain_blocklists
    ]


def _sending(mailboxes: list[Mailbox]) -> Sending:
    smtp = [m for m in mailboxes if m.transport == Transport.SMTP]
    return Sending(
        smtp_tls=all(m.smtp_security != Security.NONE for m in smtp) if smtp else None,
        unsubscribe_https=settings.SITE_URL.startswith("https://"),
    )


def _checked_mailbox(mailbox: Mailbox) -> CheckedMailbox:
    """The checker's view of a mailbox: capture mailboxes send from no host at all."""
    if mailbox.transport != Transport.SMTP or not mailbox.smtp_host:
        return CheckedMailbox(mailbox.address)
    try:
        address = ipaddress.ip_address(mailbox.smtp_host.strip("[]"))
    except ValueError:
        return CheckedMailbox(mailbox.address, smtp_host=mailbox.smtp_host)
    return CheckedMailbox(mailbox.address, smtp_ips=(str(address),))


def _check(
    name: str,
    mailboxes: list[Mailbox],
    *,
    config: ResolverConfig,
    policy: DeliverabilityPolicy,
    selectors: list[str],
    timeout: float,
) -> DomainReport:
    checker = DomainChecker(
        config,
        selectors=selectors,
        blocklists=_blocklists(policy),
        # The HTTPS policy is fetched with the public-only client (system resolver).
        mta_sts_fetcher=mta_sts_policy_fetch,
    )
    checked = [_checked_mailbox(m) for m in mailboxes]

    async def run() -> DomainReport:
        return await asyncio.wait_for(checker.check(name, checked), timeout)

    try:
        return asyncio.run(run())
    except TimeoutError:
        late = Finding(
            "check.timeout",
            Severity.ERROR,
            f"The checks did not finish within {timeout:g} seconds (DNS is slow or "
            "unreachable). Will retry.",
            retryable=True,
        )
        return DomainReport(name, [late], Readiness(False, False, False, False))


def _status(report: DomainReport, gate: Gate) -> str:
    if gate.failures:
        return CheckStatus.FAILING
    if report.incomplete:
        return CheckStatus.COULD_NOT_CHECK
    if report.errors:
        return CheckStatus.FAILING
    if report.summary()["warning"]:
        return CheckStatus.WARNINGS
    return CheckStatus.OK


def domain_check_run(
    *,
    domain: SendingDomain,
    resolver: ResolverConfig | None = None,
    trigger: str = CheckTrigger.MANUAL,
    timeout: float = CHECK_TIMEOUT,
) -> DomainCheck:
    """Check the domain's DNS with its mailboxes, store the result and apply the policy.

    With the workspace's ``pause_on_failure`` on, a domain failing a required check is paused
    with the reason, and a domain this checker paused is resumed once every required check
    passes again. A pause set by hand is never lifted here, and a check DNS could not finish
    ("could not check — will retry") neither pauses nor resumes. A domain whose mailboxes all
    capture (send nothing) is reported but not paused: there is no reputation to protect, and
    the demo keeps working. ``resolver`` overrides the policy's nameserver (tests, the CLI).
    """
    policy = deliverability_policy_get(workspace=domain.workspace)
    mailboxes = list(Mailbox.objects.filter(domain=domain, workspace_id=domain.workspace_id))
    selectors = sorted({m.dkim_selector.lower() for m in mailboxes if m.dkim_selector})
    started = time.monotonic()
    report = _check(
        domain.domain,
        mailboxes,
        config=_resolver_config(policy, resolver),
        policy=policy,
        selectors=selectors,
        timeout=timeout,
    )
    duration_ms = round((time.monotonic() - started) * 1000)
    gate = evaluate(report, selectors=selectors)
    counts = report.summary()
    with transaction.atomic():
        locked = SendingDomain.objects.select_for_update().get(pk=domain.pk)
        state, _ = DomainCheckState.objects.select_for_update().get_or_create(domain=locked)
        check = DomainCheck.objects.create(
            workspace_id=locked.workspace_id,
            domain=locked,
            checked_at=timezone.now(),
            trigger=trigger,
            status=_status(report, gate),
            errors=counts["error"],
            warnings=counts["warning"],
            infos=counts["info"],
            findings=[finding.to_dict() for finding in report.findings],
            readiness=bulk_sender_readiness(report, _sending(mailboxes), selectors=selectors),
            duration_ms=duration_ms,
            failing_reason=gate.reason() if gate.failures else "",
        )
        capture_only = bool(mailboxes) and all(m.transport == Transport.CAPTURE for m in mailboxes)
        enforce = policy.pause_on_failure and not capture_only
        check.action = _apply_policy(locked, state, gate, enforce=enforce)
        if check.action:
            check.save(update_fields=["action"])
        state.last_check = check
        state.save()
    domain.state, domain.paused_reason = locked.state, locked.paused_reason
    return check


def _apply_policy(
    domain: SendingDomain, state: DomainCheckState, gate: Gate, *, enforce: bool
) -> str:
    paused = domain.state == DomainState.PAUSED
    ours = (
        paused
        and bool(state.checker_paused_reason)
        and (domain.paused_reason == state.checker_paused_reason)
    )
    if not paused:
        state.checker_paused_reason = ""  # resumed by hand: the old pause is no longer ours
    if gate.failures and enforce:
        if paused and not ours:
            return CheckAction.NONE  # paused by hand: the person decides when it resumes
        reason = gate.reason()[:500]
        sending_domain_pause(domain=domain, reason=reason)
        state.checker_paused_reason = reason
        return CheckAction.NONE if ours else CheckAction.PAUSED
    if ours and (gate.passes or not enforce):
        sending_domain_resume(domain=domain)
        state.checker_paused_reason = ""
        return CheckAction.RESUMED
    return CheckAction.NONE


def _zones(values: list[str], field: str) -> list[str]:
    zones: list[str] = []
    for value in values:
        zone = value.strip().lower().rstrip(".")
        if not _ZONE_RE.match(zone):
            raise ValidationFailed.field(field, f"'{value}' is not a DNS zone.")
        if zone not in zones:
            zones.append(zone)
    if len(zones) > 20:
        raise ValidationFailed.field(field, "At most 20 blocklists.")
    return zones


@transaction.atomic
def deliverability_policy_update(
    *,
    workspace: Workspace,
    pause_on_failure: bool,
    ip_blocklists: list[str],
    domain_blocklists: list[str],
    dns_nameserver: str | None,
    dns_port: int = 53,
) -> DeliverabilityPolicy:
    """Replace the workspace's policy.

    The DNS server must be one the admin allows (``DNS_RESOLVERS_ALLOWED``), or empty for the
    system's resolver. Turning ``pause_on_failure`` off resumes at once every domain the
    checker paused (a pause set by hand stays).
    """
    nameserver = (dns_nameserver or "").strip() or None
    if nameserver is not None:
        try:
            nameserver = str(ipaddress.ip_address(nameserver))
        except ValueError:
            raise ValidationFailed.field(
                "dns_nameserver", f"'{dns_nameserver}' is not an IP address."
            ) from None
    if not 1 <= dns_port <= 65535:
        raise ValidationFailed.field("dns_port", "The port must be between 1 and 65535.")
    if nameserver is not None and not resolver_allowed(nameserver, dns_port):
        raise ValidationFailed.field("dns_nameserver", _resolver_refusal(nameserver, dns_port))
    policy, _ = DeliverabilityPolicy.objects.select_for_update().get_or_create(workspace=workspace)
    policy.pause_on_failure = pause_on_failure
    policy.ip_blocklists = _zones(ip_blocklists, "ip_blocklists")
    policy.domain_blocklists = _zones(domain_blocklists, "domain_blocklists")
    policy.dns_nameserver = nameserver
    policy.dns_port = dns_port
    policy.save()
    if not pause_on_failure:
        states = DomainCheckState.objects.select_related("domain").filter(
            domain__workspace=workspace, domain__state=DomainState.PAUSED
        )
        for state in states.exclude(checker_paused_reason=""):
            if state.domain.paused_reason == state.checker_paused_reason:
                sending_domain_resume(domain=state.domain)
                state.checker_paused_reason = ""
                state.save(update_fields=["checker_paused_reason"])
    return policy
