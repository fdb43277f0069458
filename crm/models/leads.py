from django.conf import settings
from django.db import models

from crm.models.companies import Company
from crm.models.workspaces import Workspace


class EmailStatus(models.TextChoices):
    UNKNOWN = "unknown", "Unknown"
    VALID = "valid", "Valid"
    RISKY = "risky", "Risky"
    CATCH_ALL = "catch_all", "Catch-all"
    INVALID = "invalid", "Invalid"


class Lead(models.Model):
    """A person being prospected. Identity for dedupe: email, else LinkedIn URL."""

    # No index of its own: the indexes below start with the workspace, and each index a lead
    # carries costs every insert (imports write a million).
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="leads", db_index=False
    )
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    # Stored normalized (trimmed, lower-case); NULL when unknown so uniqueness ignores blanks.
    email = models.CharField(max_length=254, null=True, blank=True)
    email_status = models.CharField(
        max_length=12, choices=EmailStatus.choices, default=EmailStatus.UNKNOWN
    )
    title = models.CharField(max_length=200, blank=True)
    company = models.ForeignKey(
        Company, on_delete=models.SET_NULL, null=True, blank=True, related_name="leads"
    )
    # Canonical https://www.linkedin.com/in/<slug>/ form; NULL when unknown.
    linkedin_url = models.CharField(max_length=300, null=True, blank=True)
    social_handles = models.JSONField(default=dict, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    city = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=120, blank=True)
    # Postal address: account managers send customers gifts.
    address = models.CharField(max_length=300, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    timezone = models.CharField(max_length=64, blank=True)
    source = models.CharField(max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_leads",
    )
    custom_fields = models.JSONField(default=dict, blank=True)
    # Sequence slot values ("slot1" subject, "slot2" intro, "slot3" PS) kept from imports or typed
    # by the SDR, copied into an enrollment when the lead joins a sequence.
    slots = models.JSONField(default=dict, blank=True)
    referred_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    do_not_contact = models.BooleanField(default=False)
    # Lower-cased "first last email company title" kept by the services for fast text search.
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=False)
    updated_at = models.DateTimeField(auto_now=True)

    tags = models.ManyToManyField("crm.Tag", through="crm.LeadTag", related_name="leads")
    lists = models.ManyToManyField(
        "crm.LeadList", through="crm.ListMembership", related_name="leads"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "email"],
                condition=models.Q(email__isnull=False),
                name="lead_unique_email",
            ),
            models.UniqueConstraint(
                fields=["workspace", "linkedin_url"],
                condition=models.Q(linkedin_url__isnull=False),
                name="lead_unique_linkedin",
            ),
        ]
        # Keyset pagination walks (workspace, sort key, id); one index per sortable column.
        indexes = [
            # Walks of a workspace's leads in id order (exports, bulk jobs).
            models.Index(fields=["workspace", "id"], name="lead_ws_id"),
            models.Index(fields=["workspace", "created_at", "id"], name="lead_ws_created"),
            models.Index(fields=["workspace", "last_name", "id"], name="lead_ws_last_name"),
            models.Index(fields=["workspace", "updated_at", "id"], name="lead_ws_updated"),
            models.Index(fields=["workspace", "owner", "id"], name="lead_ws_owner"),
            models.Index(fields=["workspace", "country", "id"], name="lead_ws_country"),
            models.Index(fields=["workspace", "company", "id"], name="lead_ws_company"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.linkedin_url or f"Lead {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
