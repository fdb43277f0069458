from django.db import models

from crm.models import Lead, Workspace
from outreach.models.enrollments import Enrollment
from outreach.models.mailboxes import Mailbox
from outreach.models.sequences import Step, StepVariant


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # Claimed, then the worker vanished: it may or may not have left. Never resent.
    UNKNOWN = "unknown", "Unknown (lost mid-send)"
    # Never handed to SMTP (suppressed at the last moment, mailbox paused): may be planned again.
    CANCELLED = "cancelled", "Cancelled"


class OutboundMessage(models.Model):
    """One email, written before any SMTP traffic so a crash can never cause a second copy."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="messages")
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="outbound_messages")
    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="messages")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="messages")
    variant = models.ForeignKey(StepVariant, on_delete=models.PROTECT, related_name="messages")
    step_position = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    message_id = models.CharField(max_length=255, unique=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)
    from_header = models.CharField(max_length=400)
    to_email = models.CharField(max_length=254)
    subject = models.CharField(max_length=1000)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    unsubscribe_token = models.CharField(max_length=200)
    # Days the reservation was counted on, so a cancelled message can give its unit back.
    quota_mailbox_day = models.DateField()
    quota_domain_day = models.DateField()
    send_after = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # The exact bytes handed to the transport (always kept for the capture transport).
    raw_mime = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # The database itself refuses a second live message for the same step of a lead.
            models.UniqueConstraint(
                fields=["enrollment", "step_position"],
                condition=~models.Q(status="cancelled"),
                name="outbound_one_per_step",
            )
        ]
        indexes = [
            models.Index(fields=["status", "claimed_at"], name="outbound_status_claimed"),
            models.Index(fields=["mailbox", "sent_at"], name="outbound_mailbox_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.status})"


class InboundKind(models.TextChoices):
    REPLY = "reply", "Reply"
    AUTO_REPLY = "auto_reply", "Auto-reply"
    HARD_BOUNCE = "hard_bounce", "Hard bounce"
    SOFT_BOUNCE = "soft_bounce", "Soft bounce"
    UNSUBSCRIBE = "unsubscribe", "Unsubscribe request"
    OTHER = "other", "Unmatched"


class ReplyCategory(models.TextChoices):
    """What a reply meant (``outreach.inbox.classify``): the stage rules follow it."""

    INTERESTED = "interested", "Interested"
    MEETING_REQUEST = "meeting_request", "Meeting request"
    NOT_INTERESTED = "not_interested", "Not interested"
    OUT_OF_OFFICE = "out_of_office", "Out of office"
    WRONG_PERSON = "wrong_person", "Wrong person / referred elsewhere"
    UNSUBSCRIBE = "unsubscribe", "Unsubscribe request"
    BOUNCE = "bounce", "Bounce"
    UNSURE = "unsure", "Needs category"


class CategorySource(models.TextChoices):
    RULES = "rules", "Rules"
    AI = "ai", "AI"
    PERSON = "person", "Person"


class InboundMessage(models.Model):
    """What inbox sync saw, classified and matched to what we sent."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="inbound_messages")
    uidvalidity = models.BigIntegerField()
    uid = models.BigIntegerField()
    kind = models.CharField(max_length=12, choices=InboundKind.choices)
    message_id = models.CharField(max_length=255, blank=True)
    from_email = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=1000, blank=True)
    text = models.TextField(blank=True)
    bounce_status = models.CharField(max_length=20, blank=True)
    outbound = models.ForeignKey(
        OutboundMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound"
    )
    lead = models.ForeignKey(
        Lead, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_messages"
    )
    # Set by a person reading the reply ("interested"): the figure founders judge a variant by.
    positive = models.BooleanField(default=False)
    category = models.CharField(
        max_length=20, choices=ReplyCategory.choices, default=ReplyCategory.UNSURE
    )
    category_confidence = models.FloatField(default=0.0)
    category_by = models.CharField(
        max_length=10, choices=CategorySource.choices, default=CategorySource.RULES
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "uidvalidity", "uid"], name="inbound_unique_uid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} from {self.from_email}"
