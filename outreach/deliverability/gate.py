"""Which required checks a domain fails: what decides whether its sending is paused.

Required (Gmail/Yahoo/Microsoft reject or junk mail without them): SPF passing for the
mailboxes' SMTP hosts, a usable DKIM key at every selector the mailboxes sign with, a DMARC
record, and no listing on a configured blocklist. An area DNS could not answer is *unknown*:
it neither fails (a flaky resolver must not pause a healthy domain) nor passes (a paused
domain is not resumed on a guess).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .findings import Finding, Severity
from .report import DomainReport

REQUIRED_AREAS = ("spf", "dkim", "dmarc", "blocklist")
_REASON_LIMIT = 160  # per area, so four reasons fit the domain's 500-character pause reason


@dataclass
class Gate:
    failures: dict[str, str] = field(default_factory=dict)  # area -> plain reason
    unknown: list[str] = field(default_factory=list)  # areas DNS could not answer

    @property
    def passes(self) -> bool:
        """Every required area was checked and passed."""
        return not self.failures and not self.unknown

    def reason(self) -> str:
        return "Failed the deliverability check: " + "; ".join(self.failures.values())


def _short(text: str) -> str:
    return text if len(text) <= _REASON_LIMIT else text[: _REASON_LIMIT - 1].rstrip() + "…"


def _first_error(findings: list[Finding], area: str, default: str) -> str:
    for finding in findings:
        if (
            finding.code.startswith(area + ".")
            and finding.severity is Severity.ERROR
            and not finding.retryable
        ):
            return _short(finding.message)
    return default


def missing_selectors(report: DomainReport, selectors: Sequence[str]) -> list[str]:
    """The mailboxes' selectors without a usable key (all of them count, not just one)."""
    usable = {key.selector.lower() for key in report.dkim_keys if key.usable}
    return [s for s in dict.fromkeys(s.lower() for s in selectors) if s not in usable]


def evaluate(report: DomainReport, *, selectors: Sequence[str] = ()) -> Gate:
    """Decide each required area from a report; ``selectors`` are the mailboxes' own."""
    gate = Gate()
    for area in REQUIRED_AREAS:
        if any(f.retryable and f.code.startswith(area + ".") for f in report.findings):
            gate.unknown.append(area)
    if any(f.retryable and f.code.startswith("check.") for f in report.findings):
        gate.unknown.extend(a for a in REQUIRED_AREAS if a not in gate.unknown)
        return gate
    if "spf" not in gate.unknown and not report.readiness.spf:
        gate.failures["spf"] = _first_error(
            report.findings, "spf", "SPF does not authorize the mailboxes' SMTP hosts."
        )
    if "dkim" not in gate.unknown:
        missing = missing_selectors(report, selectors)
        if missing:
            gate.failures["dkim"] = _short(f"No usable DKIM key at selector {', '.join(missing)}.")
        elif not report.readiness.dkim:
            gate.failures["dkim"] = _first_error(report.findings, "dkim", "No usable DKIM key.")
    if "dmarc" not in gate.unknown and not report.readiness.dmarc:
        gate.failures["dmarc"] = _first_error(report.findings, "dmarc", "No DMARC record.")
    if "blocklist" not in gate.unknown:
        listed = [f for f in report.findings if f.code == "blocklist.listed"]
        if listed:
            gate.failures["blocklist"] = _short(listed[0].message)
    return gate
