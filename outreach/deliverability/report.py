"""The report for one sending domain: findings, a summary, and bulk-sender readiness."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from .dkim import DkimKey
from .findings import Finding, Severity


@dataclass(frozen=True)
class Readiness:
    """What Gmail's and Yahoo's bulk-sender rules ask of a sending domain."""

    spf: bool  # an SPF record that passes every SMTP host the mailboxes send through
    dkim: bool  # at least one usable DKIM key
    dmarc: bool  # a DMARC policy applies (p=none is enough)
    aligned: bool  # every mailbox's From domain aligns with the sending domain

    @property
    def ready(self) -> bool:
        return self.spf and self.dkim and self.dmarc and self.aligned

    def to_dict(self) -> dict[str, bool]:
        return {
            "spf": self.spf,
            "dkim": self.dkim,
            "dmarc": self.dmarc,
            "aligned": self.aligned,
            "ready": self.ready,
        }


@dataclass
class DomainReport:
    domain: str
    findings: list[Finding]
    readiness: Readiness
    dkim_keys: list[DkimKey] = field(default_factory=list)
    smtp_ips: list[str] = field(default_factory=list)
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def errors(self) -> list[Finding]:
        """Errors that are facts about the domain (not "could not check")."""
        return [f for f in self.findings if f.severity is Severity.ERROR and not f.retryable]

    @property
    def incomplete(self) -> bool:
        """True when DNS failed somewhere: do not pause a domain on an incomplete report."""
        return any(f.retryable for f in self.findings)

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def summary(self) -> dict[str, int]:
        counts = {str(severity): 0 for severity in Severity}
        for finding in self.findings:
            counts[str(finding.severity)] += 1
        return counts

    def to_dict(self) -> dict[str, object]:
        return {
            "domain": self.domain,
            "checked_at": self.checked_at.isoformat(),
            "summary": self.summary(),
            "incomplete": self.incomplete,
            "readiness": self.readiness.to_dict(),
            "smtp_ips": list(self.smtp_ips),
            "dkim_keys": [key.to_dict() for key in self.dkim_keys],
            "findings": [finding.to_dict() for finding in self.findings],
        }
