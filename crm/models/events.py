"""Domain events: what happened in a workspace, written in the transaction of the change."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from crm.models.workspaces import Workspace


class Event(models.Model):
    """One thing that happened (an outbox row), committed together with the change it reports.

    ``subject_ids`` names the records the event is about without foreign keys (a deleted lead's
    event outlives it); an import writes one event for a whole chunk of leads, fanned out into
    one delivery per lead later. ``payload`` holds the event's own fields and, for single-subject
    events, the subject as the API returned it when it happened. ``dispatched_at`` is set once
    the event has been turned into webhook deliveries (the outbox's "sent" mark).
    """

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    type = models.CharField(max_length=64)
    subject_type = models.CharField(max_length=32, blank=True)
    subject_ids = models.JSONField(default=list, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    # Where the change came from when it matters to consumers ("import" lets webhook endpoints
    # leave out leads created by imports).
    origin = models.CharField(max_length=16, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"], name="event_pending", condition=Q(dispatched_at__isnull=True)
            ),
            models.Index(fields=["workspace", "type", "-id"], name="event_workspace_type"),
        ]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"

    @property
    def public_id(self) -> str:
        return f"evt_{self.pk}"
