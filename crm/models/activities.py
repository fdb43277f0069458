from django.conf import settings
from django.db import models

from crm.models.workspaces import Workspace


class ActivityKind(models.TextChoices):
    CREATED = "created", "Created"
    IMPORTED = "imported", "Imported"
    UPDATED = "updated", "Updated"
    NOTE = "note", "Note"
    LIST_ADDED = "list_added", "Added to list"
    LIST_REMOVED = "list_removed", "Removed from list"
    TAGGED = "tagged", "Tagged"
    UNTAGGED = "untagged", "Untagged"
    TASK_CREATED = "task_created", "Task created"
    TASK_DONE = "task_done", "Task done"
    EMAIL_SENT = "email_sent", "Email sent"
    EMAIL_REPLIED = "email_replied", "Email replied"
    BOUNCED = "bounced", "Bounced"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    LIKED = "liked", "Liked"
    COMMENTED = "commented", "Commented"
    CONNECTED = "connected", "Connected"
    DM_SENT = "dm_sent", "DM sent"
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"
    STAGE_CHANGED = "stage_changed", "Stage changed"
    WEBHOOK = "webhook", "Webhook"


class ActorType(models.TextChoices):
    USER = "user", "User"
    SYSTEM = "system", "System"
    RULE = "rule", "Rule"
    INTEGRATION = "integration", "Integration"


class Activity(models.Model):
    """One entry of a lead's append-only timeline, written with the change it records."""

    # A copy of the lead's workspace for scoping: the lead's own key already guarantees it
    # exists, so no database constraint re-checks it on every insert (Django still cascades).
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="activities", db_constraint=False
    )
    # Indexed by activity_lead_time, which starts with it.
    lead = models.ForeignKey(
        "crm.Lead", on_delete=models.CASCADE, related_name="activities", db_index=False
    )
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    actor_type = models.CharField(max_length=12, choices=ActorType.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    body = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["lead", "-created_at", "-id"], name="activity_lead_time")]

    def __str__(self) -> str:
        return f"{self.kind} on lead {self.lead_id}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # The timeline is history: rows are written once and never edited.
        if self.pk is not None and not self._state.adding:
            raise ValueError("Activities are append-only")
        super().save(*args, **kwargs)
