"""Mail providers' server settings, so a mailbox is set up by picking its provider.

Plain data: the mailbox form offers them and fills the SMTP and IMAP fields from them (in the
browser as soon as one is picked, and on the server for fields left empty).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Provider:
    label: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    imap_host: str
    imap_port: int
    imap_security: str
    help: str = ""


PROVIDERS: dict[str, Provider] = {
    "google": Provider(
        "Google Workspace",
        "smtp.gmail.com",
        587,
        "starttls",
        "imap.gmail.com",
        993,
        "ssl",
        "Use an app password (Google Account → Security → App passwords); IMAP must be on.",
    ),
    "microsoft": Provider(
        "Microsoft 365",
        "smtp.office365.com",
        587,
        "starttls",
        "outlook.office365.com",
        993,
        "ssl",
        "SMTP AUTH must be enabled for the mailbox in the Microsoft 365 admin center.",
    ),
    "zoho": Provider(
        "Zoho Mail",
        "smtp.zoho.com",
        587,
        "starttls",
        "imap.zoho.com",
        993,
        "ssl",
        "Accounts in the EU data centre use smtp.zoho.eu and imap.zoho.eu.",
    ),
}
CUSTOM = "custom"
PROVIDER_CHOICES = [(CUSTOM, "Other (type the servers)")] + [
    (key, p.label) for key, p in PROVIDERS.items()
]
SERVER_FIELDS = (
    "smtp_host",
    "smtp_port",
    "smtp_security",
    "imap_host",
    "imap_port",
    "imap_security",
)


def provider_of(settings: dict) -> str:
    """The preset whose servers these are, else "custom" (for an existing mailbox's form)."""
    for key, p in PROVIDERS.items():
        if settings.get("smtp_host") == p.smtp_host and settings.get("imap_host") == p.imap_host:
            return key
    return CUSTOM


def presets_json() -> dict[str, dict]:
    """What the form's script reads to fill the fields."""
    return {key: asdict(p) for key, p in PROVIDERS.items()}
