from django.conf import settings
from django.db import models

from crm.models.workspaces import Workspace


class TaskKind(models.TextChoices):
    TODO = "todo", "To do"
    ENGAGE = "engage", "Engage"
    FOLLOW_UP = "follow_up", "Follow up"
    CATCH_UP = "catch_up", "Catch up"
    ASK_REFERRAL = "ask_referral", "Ask for referrals"


class Task(models.Model):
    """A reminder on a lead for a person: engage, follow up, catch up, ask for referrals."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="tasks")
    lead = models.ForeignKey(
        "crm.Lead", on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=TaskKind.choices, default=TaskKind.TODO)
    due_at = models.DateTimeField(null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tasks",
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "done_at", "due_at"], name="task_ws_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
