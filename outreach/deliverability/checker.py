"""Run every deliverability check for many sending domains at once.

All domains share one :class:`DnsClient`, so a name two checks need (an ESP's SPF include,
a report destination) is asked once per run, and the client's semaphore bounds the load.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .blocklists import Blocklist, check_blocklists
from .dkim import check_dkim
from .dmarc import check_dmarc
from .dmarc_discovery import COMMON_PUBLIC_SUFFIXES
from .findings import Finding, dns_unavailable, error
from .mx import check_mx
from .policy_records import PolicyFetcher, check_policy_records
from .rdns import check_fcrdns
from .report import DomainReport, Readiness
from .resolver import DnsClient, DnsUnavailable, ResolverConfig
from .spf_lint import check_spf


@dataclass(frozen=True)
class Mailbox:
    """A mailbox that sends for a domain: its From address and the SMTP host it sends through."""

    address: str
    smtp_host: str = ""
    smtp_ips: tuple[str, ...] = ()  # when empty, the smtp_host's addresses are looked up
    sending_domain: str = ""  # envelope / DKIM domain; defaults to the From address's domain

    @property
    def from_domain(self) -> str:
        return self.address.rpartition("@")[2].lower()

    @property
    def domain(self) -> str:
        return (self.sending_domain or self.from_domain).lower()


@dataclass
class DomainChecker:
    """Checks sending domains; one instance is one run (one DNS cache)."""

    resolver_config: ResolverConfig = field(default_factory=ResolverConfig)
    selectors: Sequence[str] | Mapping[str, Sequence[str]] = ()
    blocklists: Sequence[Blocklist] = ()
    mta_sts_fetcher: PolicyFetcher | None = None
    public_suffixes: frozenset[str] = COMMON_PUBLIC_SUFFIXES
    client: DnsClient | None = None

    async def check_many(
        self, domains: Sequence[str], mailboxes: Sequence[Mailbox] = ()
    ) -> list[DomainReport]:
        """Reports in the order of ``domains``, checked concurrently."""
        self.client = self.client or DnsClient(self.resolver_config)
        return list(
            await asyncio.gather(
                *(self.check(d, [m for m in mailboxes if m.domain == d.lower()]) for d in domains)
            )
        )

    async def check(self, domain: str, mailboxes: Sequence[Mailbox] = ()) -> DomainReport:
        client = self.client = self.client or DnsClient(self.resolver_config)
        domain = domain.lower().rstrip(".")
        ips, host_findings = await self._smtp_ips(mailboxes, client)
        selectors = self.selectors
        if isinstance(selectors, Mapping):
            selectors = selectors.get(domain, ())
        other_checks = asyncio.gather(
            check_mx(domain, client),
            check_policy_records(domain, client, self.mta_sts_fetcher),
            check_blocklists(self.blocklists, client, ips=ips, domains=[domain]),
            *(check_fcrdns(ip, client) for ip in ips),
        )
        spf, dkim, dmarc, other_findings = await asyncio.gather(
            check_spf(domain, client, smtp_ips=ips),
            check_dkim(domain, client, selectors=tuple(selectors)),
            check_dmarc(
                domain,
                client,
                from_domains=sorted({m.from_domain for m in mailboxes}),
                public_suffixes=self.public_suffixes,
            ),
            other_checks,
        )
        findings = [*host_findings, *spf.findings, *dkim.findings, *dmarc.findings]
        for found in other_findings:
            findings.extend(found)
        readiness = Readiness(
            spf=spf.usable and not host_findings and (spf.authorizes_mailboxes or not ips),
            dkim=dkim.has_usable_key,
            dmarc=dmarc.record is not None,
            aligned=dmarc.from_domains_aligned,
        )
        return DomainReport(domain, findings, readiness, dkim_keys=dkim.keys, smtp_ips=ips)

    async def _smtp_ips(
        self, mailboxes: Sequence[Mailbox], client: DnsClient
    ) -> tuple[list[str], list[Finding]]:
        """The SMTP hosts' addresses, and findings for hosts whose addresses are unknown.

        A host left out of the SPF check must never let readiness read "passes every SMTP
        host", so each one we could not resolve is reported.
        """
        ips: list[str] = []
        problems: dict[str, Finding] = {}
        for mailbox in mailboxes:
            found = list(mailbox.smtp_ips)
            host = mailbox.smtp_host.lower().rstrip(".")
            if not found and host and host not in problems:
                try:
                    for rdtype in ("A", "AAAA"):
                        found.extend((await client.query(host, rdtype)).records)
                except DnsUnavailable as exc:
                    problems[host] = dns_unavailable("spf", exc)
                    continue  # the other hosts and the record itself are still checked
                if not found:
                    problems[host] = error(
                        "spf.smtp_host_unknown",
                        f"The SMTP host {host} (used by {mailbox.address}) has no A or AAAA "
                        "record, so SPF cannot be checked for it. Correct the mailbox's host.",
                    )
            ips.extend(ip for ip in found if ip not in ips)
        return ips, list(problems.values())


def check_domains(
    domains: Sequence[str],
    *,
    mailboxes: Sequence[Mailbox] = (),
    resolver_config: ResolverConfig | None = None,
    selectors: Sequence[str] | Mapping[str, Sequence[str]] = (),
    blocklists: Sequence[Blocklist] = (),
    mta_sts_fetcher: PolicyFetcher | None = None,
) -> list[DomainReport]:
    """Check many sending domains concurrently; the synchronous entry for tasks and commands."""
    checker = DomainChecker(
        resolver_config or ResolverConfig(),
        selectors=selectors,
        blocklists=blocklists,
        mta_sts_fetcher=mta_sts_fetcher,
    )
    return asyncio.run(checker.check_many(domains, mailboxes))
