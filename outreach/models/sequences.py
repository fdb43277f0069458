from django.db import models

from crm.models import Workspace
from outreach.models.mailboxes import Mailbox


class SequenceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ARCHIVED = "archived", "Archived"


class Sequence(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="sequences")
    name = models.CharField(max_length=120)
    status = models.CharField(
        max_length=10, choices=SequenceStatus.choices, default=SequenceStatus.DRAFT
    )
    mailboxes = models.ManyToManyField(Mailbox, related_name="sequences", blank=True)
    stop_on_reply = models.BooleanField(default=True)
    stop_company_on_reply = models.BooleanField(default=False)
    use_lead_timezone = models.BooleanField(default=False)
    unsubscribe_line = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Step(models.Model):
    """One email of a sequence, sent ``delay_days`` after the previous one."""

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()  # 0-based
    delay_days = models.PositiveSmallIntegerField(default=0)
    business_days = models.BooleanField(default=False)
    # Follow-ups usually go as "Re:" in the first email's thread; the first step never does.
    same_thread = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["sequence", "position"], name="step_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.sequence} step {self.position + 1}"


class StepVariant(models.Model):
    """An A/B version of a step's email; enrollments split evenly between a step's variants."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="variants")
    label = models.CharField(max_length=10, default="A")
    subject = models.CharField(max_length=500, blank=True)
    body = models.TextField()
    body_html = models.TextField(blank=True)

    class Meta:
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["step", "label"], name="stepvariant_unique_label")
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.label}"
