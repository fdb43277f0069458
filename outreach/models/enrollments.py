from django.db import models

from crm.models import Lead, Workspace
from outreach.models.mailboxes import Mailbox
from outreach.models.sequences import Sequence


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    REPLIED = "replied", "Replied"
    BOUNCED = "bounced", "Bounced"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    STOPPED = "stopped", "Stopped"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


# An enrollment in one of these may still send; the others are over for good.
LIVE_STATUSES = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)


class Enrollment(models.Model):
    """A lead in a sequence, bound to one mailbox for its whole life."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="enrollments")
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="enrollments")
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="enrollments")
    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(
        max_length=14, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE
    )
    # Position of the next step to send; equals the step count once finished.
    step_position = models.PositiveSmallIntegerField(default=0)
    slots = models.JSONField(default=dict, blank=True)
    # NULL while a message is in flight or when nothing more is due: the planner never sees it.
    next_send_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sequence", "lead"], name="enrollment_unique_lead")
        ]
        indexes = [
            # The planner's keyset walk: only active rows, so its cost follows what is due.
            models.Index(
                fields=["next_send_at", "id"],
                condition=models.Q(status="active", next_send_at__isnull=False),
                name="enrollment_due",
            ),
            models.Index(fields=["lead", "status"], name="enrollment_lead_status"),
        ]

    def __str__(self) -> str:
        return f"{self.lead} in {self.sequence}"
