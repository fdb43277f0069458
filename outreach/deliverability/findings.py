"""What a check reports: findings a user can act on, each with the record to publish."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum

from .resolver import DnsUnavailable


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class DnsRecord:
    """A DNS record to publish or change: the fix a user copies into their DNS provider."""

    name: str
    type: str
    value: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Finding:
    """One observation about a sending domain.

    ``code`` is stable (``spf.missing``, ``dkim.weak_key`` …) so the UI, the pause reason and
    tests can rely on it; ``message`` is for people and may change wording.
    """

    code: str
    severity: Severity
    message: str
    fix: DnsRecord | None = None
    retryable: bool = False  # True when DNS could not answer: check again, do not alarm

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "fix": self.fix.to_dict() if self.fix else None,
            "retryable": self.retryable,
        }


def error(code: str, message: str, fix: DnsRecord | None = None) -> Finding:
    return Finding(code, Severity.ERROR, message, fix)


def warning(code: str, message: str, fix: DnsRecord | None = None) -> Finding:
    return Finding(code, Severity.WARNING, message, fix)


def info(code: str, message: str, fix: DnsRecord | None = None) -> Finding:
    return Finding(code, Severity.INFO, message, fix)


def dns_unavailable(check: str, exc: DnsUnavailable) -> Finding:
    """DNS did not answer: say "could not check", never "missing" (a flaky resolver must not
    pause a healthy domain)."""
    return Finding(
        f"{check}.dns_unavailable",
        Severity.ERROR,
        f"Could not check {check.upper()}: DNS lookup of {exc.name} ({exc.rdtype}) failed "
        f"({exc.reason}). Will retry.",
        retryable=True,
    )
