"""The first answer to a request that carried an ``Idempotency-Key``, kept for 24 hours."""

from __future__ import annotations

from django.db import models

from crm.models import Workspace


class IdempotentRequest(models.Model):
    """One key used in one workspace: which request it named and what it was answered.

    ``status_code`` stays null while the first request is still running, so a concurrent
    retry is told to wait (409) instead of doing the work twice.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of method, path and body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"", blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="idempotent_request_key")
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotent_request_created")]

    def __str__(self) -> str:
        return f"{self.key} in {self.workspace_id}"
