"""Pipelines, their stages, a lead's place in each (entry) and the history of its moves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from crm.models import ActorType, Workspace
from pipelines.defaults import CATCH_UP_AFTER_DAYS, DEFAULT_CURRENCY


class StageKind(models.TextChoices):
    COLD = "cold", "Cold"
    ENGAGED = "engaged", "Engaged"
    WARM = "warm", "Warm"
    CUSTOMER = "customer", "Customer"
    CATCH_UP = "catch_up", "Catch-up"
    LOST = "lost", "Lost"


# Kinds whose leads have paid: conversations with them are catch-ups.
CUSTOMER_KINDS = (StageKind.CUSTOMER, StageKind.CATCH_UP)


class Pipeline(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="pipelines")
    name = models.CharField(max_length=120)
    # The sales pipeline the stage rules drive; other pipelines (partnerships…) are manual.
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"],
                condition=models.Q(is_default=True),
                name="pipeline_one_default",
            ),
            models.UniqueConstraint(fields=["workspace", "name"], name="pipeline_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=StageKind.choices)
    position = models.PositiveIntegerField()
    probability = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["pipeline", "position"], name="stage_pipeline_position")]

    def __str__(self) -> str:
        return self.name


class PipelineEntry(models.Model):
    """A lead's place in one pipeline: its stage and what the deal is worth."""

    # A scoping copy of the lead's workspace: no constraint re-checks it on every insert (an
    # import places a million leads); the lead's own key guarantees it. Django still cascades.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    # Both indexed by the composite indexes below, which start with them.
    pipeline = models.ForeignKey(
        Pipeline, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    lead = models.ForeignKey("crm.Lead", on_delete=models.CASCADE, related_name="pipeline_entries")
    # Money is integer minor units (cents) plus an ISO 4217 code.
    value_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    # NULL means "the stage's probability"; set it to override for one deal.
    probability = models.PositiveSmallIntegerField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    # Conversations logged since the lead became a customer (catch-up 1…4 and beyond).
    catch_up_count = models.PositiveIntegerField(default=0)
    last_conversation_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "pipeline entries"
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "lead"], name="entry_unique_lead"),
        ]
        indexes = [
            # A board column is a keyset walk of (stage, entered_at desc, id desc).
            models.Index(fields=["stage", "-entered_at", "-id"], name="entry_column"),
            models.Index(fields=["pipeline", "last_conversation_at"], name="entry_catch_up"),
        ]

    def __str__(self) -> str:
        return f"lead {self.lead_id} at stage {self.stage_id}"


class StageChange(models.Model):
    """One move of an entry: the history that velocity and conversion reports read."""

    # Scoping copies of the entry's workspace and pipeline, indexed by the composite indexes
    # below; the entry's own key guarantees them, so no constraint re-checks them per insert.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    pipeline = models.ForeignKey(
        Pipeline, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    entry = models.ForeignKey(
        PipelineEntry, on_delete=models.CASCADE, related_name="changes", db_index=False
    )
    # NULL from_stage: the lead entered the pipeline. Stages removed later leave NULLs behind.
    from_stage = models.ForeignKey(
        Stage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    to_stage = models.ForeignKey(
        Stage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # How long the entry sat in from_stage, kept so "median time in stage" needs no self-join.
    seconds_in_from_stage = models.BigIntegerField(null=True, blank=True)
    # Set when the entry leaves to_stage: True if that next move went forward (a later stage,
    # not Lost), False otherwise, NULL while it is still there. Conversion reads it directly.
    left_forward = models.BooleanField(null=True, blank=True)
    actor_type = models.CharField(max_length=12, choices=ActorType.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=80, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # Covering on PostgreSQL: the reports aggregate from the index alone.
            models.Index(
                fields=["pipeline", "created_at"],
                name="change_pipeline_time",
                include=["to_stage", "left_forward"],
            ),
            # Median time in stage: per stage, durations come out of the index already sorted.
            models.Index(
                fields=["pipeline", "from_stage", "seconds_in_from_stage"],
                name="change_time_in_stage",
                include=["created_at"],
            ),
            models.Index(fields=["entry", "created_at"], name="change_entry_time"),
            models.Index(fields=["workspace", "created_at"], name="change_ws_time"),
        ]

    def __str__(self) -> str:
        return f"entry {self.entry_id}: {self.from_stage_id} → {self.to_stage_id}"


class PipelineSettings(models.Model):
    """Per-workspace switches of the stage rules; created on first read."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="pipeline_settings"
    )
    engagement_moves_to_engaged = models.BooleanField(default=True)
    reply_moves_to_warm = models.BooleanField(default=True)
    payment_moves_to_customer = models.BooleanField(default=True)
    conversation_moves_to_next_catch_up = models.BooleanField(default=True)
    last_catch_up_asks_for_referrals = models.BooleanField(default=True)
    catch_up_reminders = models.BooleanField(default=True)
    catch_up_after_days = models.PositiveIntegerField(default=CATCH_UP_AFTER_DAYS)
    default_currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)

    class Meta:
        verbose_name_plural = "pipeline settings"

    def __str__(self) -> str:
        return f"pipeline settings of workspace {self.workspace_id}"


class RuleRun(models.Model):
    """An external event (a Stripe event id, an inbound message id) a rule already applied.

    Webhooks are delivered at least once; the unique key makes a replayed event a no-op.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=40)
    event_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "rule", "event_key"], name="rulerun_unique_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.event_key}"
