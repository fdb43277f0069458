"""Bulk-sender readiness: the mailbox providers' published rules as a checklist.

Gmail and Yahoo (February 2024) and Microsoft Outlook (May 2025) ask bulk senders for SPF and
DKIM that pass, a DMARC policy (``p=none`` is enough) aligned with the From domain, and a
one-click unsubscribe; Gmail also asks for forward-confirmed reverse DNS of the sending IPs and
TLS. Each item is ``pass``, ``fail``, ``unknown`` (DNS could not answer) or ``n/a``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .gate import missing_selectors
from .report import DomainReport

PASS, FAIL, UNKNOWN, NOT_APPLICABLE = "pass", "fail", "unknown", "n/a"


@dataclass(frozen=True)
class Sending:
    """What the checker cannot see in DNS: how our own messages leave."""

    smtp_tls: bool | None  # every SMTP mailbox uses TLS; None when none sends over SMTP
    unsubscribe_https: bool  # the one-click List-Unsubscribe URL is HTTPS (RFC 8058)


PROVIDERS = (
    (
        "gmail_yahoo_2024",
        "Gmail and Yahoo (2024)",
        ("spf", "dkim", "dmarc", "aligned", "fcrdns", "tls", "unsubscribe"),
    ),
    (
        "microsoft_2025",
        "Microsoft Outlook (2025)",
        ("spf", "dkim", "dmarc", "aligned", "unsubscribe"),
    ),
)
LABELS = {
    "spf": "SPF passes for the sending hosts",
    "dkim": "DKIM key published for every mailbox",
    "dmarc": "DMARC record (p=none or stricter)",
    "aligned": "From domain aligned with SPF or DKIM",
    "fcrdns": "Sending IPs have forward-confirmed reverse DNS",
    "tls": "Mail is sent over TLS",
    "unsubscribe": "One-click unsubscribe (RFC 8058, HTTPS)",
}


def _unknown(report: DomainReport, *areas: str) -> bool:
    return any(f.retryable and f.code.split(".")[0] in (*areas, "check") for f in report.findings)


def _state(ok: bool, unknown: bool = False) -> str:
    return UNKNOWN if unknown else (PASS if ok else FAIL)


def bulk_sender_readiness(
    report: DomainReport, sending: Sending, *, selectors: Sequence[str] = ()
) -> dict:
    """The checklist and each provider's verdict, as stored on a DomainCheck."""
    codes = set(report.codes())
    rdns_bad = codes & {"rdns.missing", "rdns.not_confirmed"}
    states = {
        "spf": _state(report.readiness.spf, _unknown(report, "spf")),
        "dkim": _state(
            report.readiness.dkim and not missing_selectors(report, selectors),
            _unknown(report, "dkim"),
        ),
        "dmarc": _state(report.readiness.dmarc, _unknown(report, "dmarc")),
        "aligned": _state(report.readiness.aligned, _unknown(report, "dmarc")),
        "fcrdns": (
            NOT_APPLICABLE
            if not report.smtp_ips
            else _state(not rdns_bad, _unknown(report, "rdns"))
        ),
        "tls": NOT_APPLICABLE if sending.smtp_tls is None else _state(sending.smtp_tls),
        "unsubscribe": _state(sending.unsubscribe_https),
    }
    items = [{"key": key, "label": LABELS[key], "state": states[key]} for key in LABELS]
    providers = []
    for key, label, needs in PROVIDERS:
        ready = all(states[n] in (PASS, NOT_APPLICABLE) for n in needs)
        providers.append({"key": key, "label": label, "ready": ready, "needs": list(needs)})
    return {
        "ready": all(p["ready"] for p in providers),
        "items": items,
        "providers": providers,
    }
