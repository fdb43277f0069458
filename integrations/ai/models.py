"""A workspace's model connection and the slot drafts waiting for (or past) review."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crm.crypto import EncryptedTextField
from crm.models import Workspace
from outreach.models import Enrollment


class AiSettings(models.Model):
    """Per-workspace overrides of the instance's AI defaults; blank means "the default".

    Nothing is ever sent to a model while ``enabled`` is false.
    """

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="ai")
    enabled = models.BooleanField(default=False)
    base_url = models.CharField(max_length=500, blank=True)
    model = models.CharField(max_length=200, blank=True)
    api_key = EncryptedTextField(blank=True)  # write-only: never returned by a page or the API
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"AI {'on' if self.enabled else 'off'} for workspace {self.workspace_id}"


class DraftStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    UNGROUNDED = "ungrounded", "Not grounded"
    NO_SOURCE = "no_source", "No usable source"
    FAILED = "failed", "Model unreachable"


class SlotDraft(models.Model):
    """The model's subject (slot1), intro (slot2) and PS (slot3) for one enrollment.

    ``sources`` is exactly what the model was given (numbered), ``source_ids`` what it cited.
    Only PENDING drafts are offered for review; an approved draft's text is frozen, and what a
    reviewer approved (edited or not) is kept in ``approved_slots`` beside the model's text.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="slot_drafts")
    status = models.CharField(max_length=12, choices=DraftStatus.choices)
    reason = models.CharField(max_length=500, blank=True)
    slot1 = models.CharField(max_length=200, blank=True)
    slot2 = models.CharField(max_length=500, blank=True)
    slot3 = models.CharField(max_length=500, blank=True)
    sources = models.JSONField(default=list, blank=True)
    source_ids = models.JSONField(default=list, blank=True)
    approved_slots = models.JSONField(default=dict, blank=True)
    model = models.CharField(max_length=200, blank=True)
    request_id = models.CharField(max_length=200, blank=True)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "status", "id"], name="slotdraft_ws_status"),
        ]

    def __str__(self) -> str:
        return f"Draft {self.pk} for enrollment {self.enrollment_id} ({self.status})"
