"""The DMARC check for a sending domain: policy, reporting, and report authorization."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .dmarc_discovery import (
    COMMON_PUBLIC_SUFFIXES,
    Discovery,
    aligned,
    discover,
    rfc7489_policy,
)
from .dmarc_record import DmarcRecord, DmarcSyntaxError, ReportUri, is_dmarc_record, parse_dmarc
from .findings import DnsRecord, Finding, dns_unavailable, error, info, warning
from .resolver import DnsClient, DnsUnavailable


@dataclass
class DmarcCheck:
    findings: list[Finding] = field(default_factory=list)
    record: DmarcRecord | None = None
    policy_domain: str = ""
    organizational_domain: str = ""
    from_domains_aligned: bool = False  # every mailbox's From domain aligns with this domain


def starter_record(domain: str, policy: str = "none", rua: str = "") -> DnsRecord:
    """A record to publish: reports on from day one, so moving to enforcement is informed."""
    rua = rua or f"mailto:dmarc-reports@{domain}"
    return DnsRecord(f"_dmarc.{domain}", "TXT", f"v=DMARC1; p={policy}; rua={rua}")


def record_findings(domain: str, text: str) -> list[Finding]:
    """Findings about one record's text, independent of where it was found."""
    try:
        record = parse_dmarc(text)
    except DmarcSyntaxError as exc:
        return [
            error("dmarc.malformed", f"The DMARC record is invalid: {exc}.", starter_record(domain))
        ]
    found: list[Finding] = []
    rua = ",".join(u.uri for u in record.rua)
    if "p" not in record.tags:
        found.append(
            warning(
                "dmarc.missing_p",
                "The record has no p= tag; receivers treat it as p=none.",
                starter_record(domain, "none", rua),
            )
        )
    if record.p == "none":
        found.append(
            warning(
                "dmarc.p_none",
                "p=none only monitors: receivers do not act on mail that fails DMARC. "
                "Move to quarantine once reports show your mail passes.",
                starter_record(domain, "quarantine", rua),
            )
        )
    elif record.sp == "none" or record.np == "none":
        found.append(info("dmarc.sp_none", "Subdomains (sp=none or np=none) are not protected."))
    if not record.rua:
        found.append(
            warning(
                "dmarc.no_rua",
                "No rua= address: you will not receive aggregate reports.",
                starter_record(domain, record.p),
            )
        )
    if record.t == "y":
        found.append(
            info("dmarc.testing", "t=y: receivers are asked to apply a policy one step milder.")
        )
    if record.removed_tags:
        found.append(
            info(
                "dmarc.removed_tag",
                f"{', '.join(record.removed_tags)} no longer exist in DMARC (RFC 9989) and are "
                "ignored.",
            )
        )
    if record.unknown_tags:
        found.append(
            info(
                "dmarc.unknown_tag", f"Unknown tags are ignored: {', '.join(record.unknown_tags)}."
            )
        )
    return found


async def _authorization_findings(
    domain: str, org: str, uris: Sequence[ReportUri], client: DnsClient
) -> list[Finding]:
    """RFC 9989 §3.3 / RFC 7489 §7.1: a report destination outside the organization must
    publish ``<domain>._report._dmarc.<destination>`` or it receives nothing."""
    found = []
    for destination in sorted({u.domain for u in uris if u.domain}):
        if (await discover(destination, client)).organizational_domain == org:
            continue
        name = f"{domain}._report._dmarc.{destination}"
        texts = (await client.query(name, "TXT")).txt_strings()
        if not any(is_dmarc_record(t) for t in texts):
            found.append(
                warning(
                    "dmarc.report_unauthorized",
                    f"{destination} has not authorized reports for {domain}; "
                    f"receivers will not send them there. {destination} must publish this record.",
                    DnsRecord(name, "TXT", "v=DMARC1"),
                )
            )
    return found


async def check_dmarc(
    domain: str,
    client: DnsClient,
    *,
    from_domains: Sequence[str] = (),
    public_suffixes: frozenset[str] = COMMON_PUBLIC_SUFFIXES,
) -> DmarcCheck:
    """Discover the governing policy (RFC 9989 tree walk) and judge it."""
    check = DmarcCheck()
    try:
        discovery = await discover(domain, client)
        await _judge(domain, discovery, client, check, public_suffixes)
        if check.record is not None:
            mode = check.record.adkim
            check.from_domains_aligned = all(
                [await aligned(d, domain, mode, client) for d in from_domains]
            )
            if not check.from_domains_aligned:
                check.findings.append(
                    warning(
                        "dmarc.not_aligned",
                        f"Some mailboxes send From a domain that does not align with {domain}: "
                        f"{', '.join(from_domains)}.",
                    )
                )
    except DnsUnavailable as exc:
        check.findings.append(dns_unavailable("dmarc", exc))
    return check


async def _judge(
    domain: str,
    discovery: Discovery,
    client: DnsClient,
    check: DmarcCheck,
    suffixes: frozenset[str],
) -> None:
    check.organizational_domain = discovery.organizational_domain
    own = discovery.at_author
    if own is not None and len(own.texts) > 1:
        check.findings.append(
            error(
                "dmarc.multiple_records",
                f"_dmarc.{domain} holds {len(own.texts)} DMARC records; receivers ignore them "
                "all. Keep one.",
                starter_record(domain),
            )
        )
    elif own is not None and own.texts:
        check.findings.extend(record_findings(domain, own.texts[0]))
    if discovery.policy is None:
        if not (own and own.texts):
            check.findings.append(
                error(
                    "dmarc.missing", f"No DMARC policy applies to {domain}.", starter_record(domain)
                )
            )
        return
    record = discovery.policy.record
    assert record is not None  # discovery only keeps records that parsed
    check.record, check.policy_domain = record, discovery.policy.domain
    if check.policy_domain != domain:
        check.findings.append(
            info(
                "dmarc.inherited",
                f"{domain} has no DMARC record of its own; the policy of "
                f"{check.policy_domain} applies (sp={record.sp}).",
            )
        )
        inherited = record_findings(domain, record.text)
        check.findings.extend(f for f in inherited if f.code == "dmarc.p_none")
    uris = [*record.rua, *record.ruf]
    org = discovery.organizational_domain
    check.findings.extend(await _authorization_findings(domain, org, uris, client))
    legacy = await rfc7489_policy(domain, client, suffixes)
    if legacy.domain != check.policy_domain or legacy.record is None:
        legacy_answer = f"the policy of {legacy.domain}" if legacy.record else "no policy"
        check.findings.append(
            info(
                "dmarc.rfc7489_differs",
                f"Receivers still on RFC 7489 (public suffix list) find {legacy_answer} "
                f"instead of {check.policy_domain}'s.",
            )
        )
