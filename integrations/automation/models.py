"""The per-workspace inbound lead URL: its secret token is the only credential."""

from __future__ import annotations

from django.db import models

from crm.models import Workspace


class InboundLeadUrl(models.Model):
    """``/hooks/leads/<token>/``: upserts a lead into the workspace; rotating the token
    breaks the old URL at once."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="inbound_lead_url"
    )
    token = models.CharField(max_length=64, unique=True)
    leads_received = models.PositiveIntegerField(default=0)
    last_received_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"inbound lead URL of {self.workspace_id}"
