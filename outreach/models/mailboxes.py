import datetime as dt

from django.db import models

from crm.crypto import EncryptedTextField
from crm.models import Workspace
from outreach.models.domains import SendingDomain


class Transport(models.TextChoices):
    SMTP = "smtp", "SMTP"
    # Keeps the exact MIME message and sends nothing: demos, staging, the first days of a setup.
    CAPTURE = "capture", "Capture (send nothing)"


class Security(models.TextChoices):
    SSL = "ssl", "Implicit TLS"
    STARTTLS = "starttls", "STARTTLS"
    NONE = "none", "None (loopback only)"


class MailboxState(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"


def default_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class Mailbox(models.Model):
    """One sending address with its servers, caps, ramp and send window."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="mailboxes")
    domain = models.ForeignKey(SendingDomain, on_delete=models.PROTECT, related_name="mailboxes")
    address = models.CharField(max_length=254)
    display_name = models.CharField(max_length=120, blank=True)
    signature = models.TextField(blank=True)
    # The DKIM selector its mail is signed with (s= in DKIM-Signature); empty: discovered
    # among the common selectors by the deliverability checks.
    dkim_selector = models.CharField(max_length=63, blank=True)
    transport = models.CharField(
        max_length=10, choices=Transport.choices, default=Transport.CAPTURE
    )

    smtp_host = models.CharField(max_length=253, blank=True)
    smtp_port = models.PositiveIntegerField(default=587)
    smtp_security = models.CharField(
        max_length=10, choices=Security.choices, default=Security.STARTTLS
    )
    smtp_username = models.CharField(max_length=254, blank=True)
    smtp_password = EncryptedTextField(blank=True)
    imap_host = models.CharField(max_length=253, blank=True)
    imap_port = models.PositiveIntegerField(default=993)
    imap_security = models.CharField(max_length=10, choices=Security.choices, default=Security.SSL)
    imap_username = models.CharField(max_length=254, blank=True)
    imap_password = EncryptedTextField(blank=True)

    daily_cap = models.PositiveIntegerField(default=30)
    ramp_start = models.PositiveIntegerField(default=5)
    ramp_step = models.PositiveIntegerField(default=2)
    # Ramp day 1; set when the mailbox is added (never before its domain's warm-up ends).
    ramp_starts_on = models.DateField()
    window_weekdays = models.JSONField(default=default_weekdays)  # Monday = 0
    window_start = models.TimeField(default=dt.time(9, 0))
    window_end = models.TimeField(default=dt.time(17, 0))
    timezone = models.CharField(max_length=64, default="UTC")
    gap_min_seconds = models.PositiveIntegerField(default=300)
    gap_max_seconds = models.PositiveIntegerField(default=600)

    state = models.CharField(
        max_length=10, choices=MailboxState.choices, default=MailboxState.ACTIVE
    )
    paused_reason = models.CharField(max_length=1000, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # When the next message may leave: the planner spaces sends by gap + jitter through it.
    next_free_at = models.DateTimeField(null=True, blank=True)
    imap_uidvalidity = models.BigIntegerField(null=True, blank=True)
    imap_last_uid = models.BigIntegerField(default=0)
    imap_synced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "mailboxes"
        constraints = [
            models.UniqueConstraint(fields=["workspace", "address"], name="mailbox_unique_address")
        ]

    def __str__(self) -> str:
        return self.address

    @property
    def from_header(self) -> str:
        from email.utils import formataddr

        return formataddr((self.display_name, self.address)) if self.display_name else self.address
