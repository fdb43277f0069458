"""DNS deliverability checks for sending domains: SPF, DKIM, DMARC, MX, FCrDNS, blocklists,
MTA-STS, TLS-RPT and BIMI. Pure Python; the Django models store the reports."""

from .blocklists import Blocklist
from .checker import DomainChecker, Mailbox, check_domains
from .dkim import COMMON_SELECTORS, DkimKey
from .findings import DnsRecord, Finding, Severity
from .report import DomainReport, Readiness
from .resolver import DnsClient, DnsUnavailable, ResolverConfig
from .spf import SpfResult, check_host, check_host_async

__all__ = [
    "COMMON_SELECTORS",
    "Blocklist",
    "DkimKey",
    "DnsClient",
    "DnsRecord",
    "DnsUnavailable",
    "DomainChecker",
    "DomainReport",
    "Finding",
    "Mailbox",
    "Readiness",
    "ResolverConfig",
    "Severity",
    "SpfResult",
    "check_domains",
    "check_host",
    "check_host_async",
]
