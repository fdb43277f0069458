"""Import jobs (a CSV or Excel file becoming leads), their per-row errors, and saved mappings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from crm.models import LeadList, Workspace


class ImportStatus(models.TextChoices):
    DRAFT = "draft", "Waiting for mapping"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class DuplicatePolicy(models.TextChoices):
    SKIP = "skip", "Skip existing leads"
    FILL = "fill", "Fill empty fields only"
    OVERWRITE = "overwrite", "Overwrite with the file's values"


class ImportJob(models.Model):
    """One file imported into a workspace, from upload to report.

    ``cursor_row`` is the spreadsheet row number of the last row whose chunk is committed; it is
    written in the same transaction as that chunk's leads, so a killed worker resumes after it
    without losing or repeating a row.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    # -- the file, as inspected at upload
    file_path = models.CharField(max_length=500)
    file_name = models.CharField(max_length=255)
    file_size = models.BigIntegerField(default=0)
    file_format = models.CharField(max_length=10, default="csv")
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=2, blank=True)
    header_row = models.PositiveIntegerField(default=1)
    headers = models.JSONField(default=list, blank=True)
    preset = models.CharField(max_length=30, blank=True)
    # One target per column, by position ("" = ignored): header names may repeat.
    mapping = models.JSONField(default=list, blank=True)
    # -- options
    on_duplicate = models.CharField(
        max_length=10, choices=DuplicatePolicy.choices, default=DuplicatePolicy.SKIP
    )
    lead_list = models.ForeignKey(LeadList, on_delete=models.SET_NULL, null=True, blank=True)
    tag_ids = models.JSONField(default=list, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Initial pipeline stage kind; applied through the pipelines app when it offers placement.
    stage = models.CharField(max_length=30, default="cold")
    stage_applied = models.BooleanField(default=False)
    source_label = models.CharField(max_length=100, blank=True)
    # -- run state
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.DRAFT
    )
    cursor_row = models.PositiveIntegerField(default=0)
    bytes_done = models.BigIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Where the current run began, so the rate and ETA ignore rows of an earlier, killed run.
    run_started_at = models.DateTimeField(null=True, blank=True)
    run_rows_start = models.PositiveIntegerField(default=0)
    run_bytes_start = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["workspace", "-created_at"], name="importjob_ws_created")]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.file_name} ({self.status})"


class ImportRowError(models.Model):
    """One problem with one row of an import; ``values`` are the row's cells as in the file."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row_number = models.PositiveIntegerField()
    column = models.CharField(max_length=200, blank=True)
    message = models.TextField()
    values = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["job", "row_number"], name="importerror_job_row")]

    def __str__(self) -> str:
        return f"Row {self.row_number}: {self.column} {self.message}"


class SavedMapping(models.Model):
    """A named header → target mapping a team reuses for files from the same tool."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="import_mappings"
    )
    name = models.CharField(max_length=100)
    # Normalized header text → target.
    columns = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("workspace", Lower("name"), name="savedmapping_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


# Webhooks, inbound automation and idempotency keys live with their code; imported here so
# Django registers their models.
from integrations.ai.models import AiSettings, SlotDraft  # noqa: E402, F401
from integrations.automation.models import InboundLeadUrl  # noqa: E402, F401
from integrations.idempotency.models import IdempotentRequest  # noqa: E402, F401
from integrations.webhooks.models import InboundWebhook, WebhookProvider  # noqa: E402, F401
from integrations.webhooks.outbound.models import (  # noqa: E402, F401
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
