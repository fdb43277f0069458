"""Stage rules: what moves a lead on its own. Other apps call these; each can be switched off.

Every rule is idempotent by state (a lead already past the target stays put) and, given an
``event_key`` (a Stripe event id, a message id), by event: a replayed webhook applies once.
Moves made by a rule are recorded with the rule's name and the person or integration behind it.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.actors import Actor
from crm.errors import ValidationFailed
from crm.events import event_record
from crm.models import Activity, ActivityKind, ActorType, Lead, Membership, Task, TaskKind
from crm.services.activities import activity_logged, activity_record
from crm.services.tasks import task_create
from pipelines.defaults import REFERRALS_TO_ASK
from pipelines.models import PipelineEntry, RuleRun, Stage, StageKind
from pipelines.services.entries import entry_move
from pipelines.services.placement import entries_place_new_leads
from pipelines.services.settings import pipeline_settings_get
from pipelines.services.structure import pipeline_create_default

ENGAGEMENT_KINDS = frozenset(
    {ActivityKind.LIKED, ActivityKind.COMMENTED, ActivityKind.CONNECTED, ActivityKind.DM_SENT}
)
CONVERSATION_KINDS = frozenset({ActivityKind.CALL, ActivityKind.MEETING, ActivityKind.NOTE})
# Never from Lost (a person's decision: see rule_reply_received) nor from Customer.
BEFORE_WARM = (StageKind.COLD, StageKind.ENGAGED)
BEFORE_CUSTOMER = (StageKind.COLD, StageKind.ENGAGED, StageKind.WARM, StageKind.LOST)


def _as_rule(actor: Actor, rule: str) -> Actor:
    """The rule moves the lead, on behalf of whoever (or whatever) logged the event."""
    return Actor(ActorType.RULE, actor.user, rule if not actor.name else f"{rule} ({actor.name})")


def _first_time(lead: Lead, rule: str, event_key: str) -> bool:
    if not event_key:
        return True
    try:
        with transaction.atomic():
            RuleRun.objects.create(workspace_id=lead.workspace_id, rule=rule, event_key=event_key)
    except IntegrityError:
        return False
    return True


def _default_entry(lead: Lead, actor: Actor) -> PipelineEntry:
    """The lead's entry in the default pipeline, locked; a lead not yet placed starts Cold."""
    pipeline = pipeline_create_default(workspace=lead.workspace)
    query = PipelineEntry.objects.select_for_update().select_related("stage", "pipeline")
    entry = query.filter(pipeline=pipeline, lead=lead).first()
    if entry is None:
        entries_place_new_leads(workspace=lead.workspace, lead_ids=[lead.pk], actor=actor)
        entry = query.get(pipeline=pipeline, lead=lead)
    entry.lead = lead
    return entry


def _stage(entry: PipelineEntry, kind: str, after: Stage | None = None) -> Stage | None:
    stages = Stage.objects.filter(pipeline_id=entry.pipeline_id, kind=kind)
    if after is not None:
        stages = stages.filter(position__gt=after.position)
    return stages.order_by("position", "id").first()


def _move(entry: PipelineEntry, to: Stage | None, actor: Actor, reason: str, **extra) -> bool:  # type: ignore[no-untyped-def]
    if to is None or to.pk == entry.stage_id:
        return False
    entry_move(
        entry=entry,
        to_stage=to,
        expected_from_stage=entry.stage,
        actor=actor,
        reason=reason,
        extra=extra,
    )
    return True


def rule_engagement_logged(
    *, lead: Lead, kind: str, actor: Actor, event_key: str = ""
) -> PipelineEntry | None:
    """A like, comment, connection or DM on a Cold lead moves it to Engaged."""
    if kind not in ENGAGEMENT_KINDS:
        raise ValidationFailed.field(
            "kind", f"Must be one of {', '.join(sorted(ENGAGEMENT_KINDS))}."
        )
    if not pipeline_settings_get(workspace=lead.workspace).engagement_moves_to_engaged:
        return None
    with transaction.atomic():
        if not _first_time(lead, "engagement", event_key):
            return None
        entry = _default_entry(lead, actor)
        if entry.stage.kind == StageKind.COLD:
            label = ActivityKind(kind).label.lower()
            _move(
                entry,
                _stage(entry, StageKind.ENGAGED),
                _as_rule(actor, "engagement"),
                f"Engagement logged ({label})",
            )
    return entry


def rule_reply_received(*, lead: Lead, actor: Actor, event_key: str = "") -> PipelineEntry | None:
    """An interested reply moves a Cold or Engaged lead to Warm; a Lost lead stays Lost and its
    owner gets a task to look at it.

    The caller decides what counts as interested (the inbox sync: a reply categorized interested
    or meeting request; a not-interested or unsure reply never comes here).
    """
    if not pipeline_settings_get(workspace=lead.workspace).reply_moves_to_warm:
        return None
    with transaction.atomic():
        if not _first_time(lead, "reply", event_key):
            return None
        entry = _default_entry(lead, actor)
        if entry.stage.kind in BEFORE_WARM:
            _move(
                entry, _stage(entry, StageKind.WARM), _as_rule(actor, "reply"), "Replied by email"
            )
        elif entry.stage.kind == StageKind.LOST:
            # Lost was decided by a person (or a rule they switched on), often for a reason the
            # reply does not change (budget, a competitor, "do not contact"): reopening it
            # silently would put the lead back in everyone's pipeline. The owner decides.
            task_create(
                workspace=lead.workspace,
                actor=_as_rule(actor, "reply"),
                data={
                    "title": f"{lead} replied with interest while Lost: reopen?"[:200],
                    "kind": TaskKind.FOLLOW_UP,
                    "due_at": timezone.now(),
                    "assignee_id": _member_or_none(lead, entry.owner_id or lead.owner_id),
                },
                lead=lead,
            )
    return entry


def _member_or_none(lead: Lead, user_id: int | None) -> int | None:
    """The user when still a member of the lead's workspace (a task cannot go to a leaver)."""
    if (
        user_id
        and Membership.objects.filter(workspace_id=lead.workspace_id, user_id=user_id).exists()
    ):
        return user_id
    return None


def rule_customer_paid(
    *,
    lead: Lead,
    actor: Actor,
    amount_minor: int | None = None,
    currency: str | None = None,
    event_key: str = "",
) -> PipelineEntry | None:
    """A payment (typed in, or a Stripe webhook) makes the lead a Customer at catch-up 0.

    The amount, when given, becomes the deal value (in the workspace's default currency unless
    one is given). A lead already a customer stays where it is.
    """
    if amount_minor is not None and (not isinstance(amount_minor, int) or amount_minor < 0):
        raise ValidationFailed.field("amount_minor", "A whole, non-negative amount in minor units.")
    code = (currency or "").strip().upper()
    if currency is not None and (len(code) != 3 or not code.isalpha()):
        raise ValidationFailed.field("currency", "A three-letter ISO 4217 code, e.g. EUR.")
    if not pipeline_settings_get(workspace=lead.workspace).payment_moves_to_customer:
        return None
    with transaction.atomic():
        if not _first_time(lead, "payment", event_key):
            return None
        entry = _default_entry(lead, actor)
        if entry.stage.kind not in BEFORE_CUSTOMER:
            return entry
        extra: dict[str, int | str] = {}
        reason = "Payment received"
        if amount_minor is not None:
            # An amount without a currency is in the workspace's default currency.
            code = code or pipeline_settings_get(workspace=lead.workspace).default_currency
            extra["value_minor"] = amount_minor
            extra["currency"] = code
            reason += f" ({amount_minor} minor units {code})"
        _move(entry, _stage(entry, StageKind.CUSTOMER), _as_rule(actor, "payment"), reason, **extra)
    return entry


def rule_conversation_logged(
    *, lead: Lead, actor: Actor, event_key: str = ""
) -> PipelineEntry | None:
    """A call, meeting or catch-up note with a customer moves it to the next Catch-up stage.

    The conversation is counted and dated even with the move switched off (the catch-up
    reminder reads the date). At the last catch-up stage the lead stays and the count grows.
    """
    with transaction.atomic():
        if not _first_time(lead, "conversation", event_key):
            return None
        pipeline = pipeline_create_default(workspace=lead.workspace)
        entry = (
            PipelineEntry.objects.select_for_update()
            .select_related("stage")
            .filter(pipeline=pipeline, lead=lead)
            .first()
        )
        if entry is None or entry.stage.kind not in (StageKind.CUSTOMER, StageKind.CATCH_UP):
            return entry
        entry.lead = lead
        now = timezone.now()
        moved = False
        if pipeline_settings_get(workspace=lead.workspace).conversation_moves_to_next_catch_up:
            after = entry.stage if entry.stage.kind == StageKind.CATCH_UP else None
            moved = _move(
                entry,
                _stage(entry, StageKind.CATCH_UP, after),
                _as_rule(actor, "conversation"),
                "Conversation logged",
                last_conversation_at=now,
            )
        if not moved:
            entry.catch_up_count += 1
            entry.last_conversation_at = now
            entry.save(update_fields=["catch_up_count", "last_conversation_at"])
    return entry


def after_move(*, entry: PipelineEntry, to_stage: Stage, actor: Actor) -> None:
    """Reaching the last catch-up stage asks the owner for referrals (once while open)."""
    if to_stage.kind != StageKind.CATCH_UP or _stage(entry, StageKind.CATCH_UP, to_stage):
        return
    lead = entry.lead
    if not pipeline_settings_get(workspace=lead.workspace).last_catch_up_asks_for_referrals:
        return
    if Task.objects.filter(lead=lead, kind=TaskKind.ASK_REFERRAL, done_at__isnull=True).exists():
        return
    owner_id = entry.owner_id or lead.owner_id
    if (
        owner_id
        and not Membership.objects.filter(workspace_id=lead.workspace_id, user_id=owner_id).exists()
    ):
        owner_id = None
    task_create(
        workspace=lead.workspace,
        actor=_as_rule(actor, "catch-up 4"),
        data={
            "title": f"Ask for {REFERRALS_TO_ASK} referrals",
            "kind": TaskKind.ASK_REFERRAL,
            "due_at": timezone.now(),
            "assignee_id": owner_id,
        },
        lead=lead,
    )


def engagement_log(
    *, lead: Lead, kind: str, actor: Actor, body: str = "", payload: dict[str, Any] | None = None
) -> Activity:
    """Log a like, comment, connection or DM on the timeline and apply the engagement rule.

    ``payload`` goes on the timeline entry (the feed puts the post's id there).
    """
    if kind not in ENGAGEMENT_KINDS:
        raise ValidationFailed.field(
            "kind", f"Must be one of {', '.join(sorted(ENGAGEMENT_KINDS))}."
        )
    with transaction.atomic():
        activity = activity_record(
            lead=lead, kind=kind, actor=actor, body=body.strip(), payload=payload
        )
        rule_engagement_logged(lead=lead, kind=kind, actor=actor)
        event_record(
            type="engagement.logged",
            workspace_id=lead.workspace_id,
            actor=actor,
            subject_id=lead.pk,
            data={
                "engagement": {
                    "kind": kind,
                    "body": activity.body,
                    "post_id": activity.payload.get("post_id"),
                    "activity_id": activity.pk,
                }
            },
        )
    return activity


def conversation_log(*, lead: Lead, kind: str, actor: Actor, body: str = "") -> Activity:
    """Log a call, meeting or catch-up note with a customer and apply the catch-up rule."""
    if kind not in CONVERSATION_KINDS:
        raise ValidationFailed.field("kind", "Must be call, meeting or note.")
    text = body.strip()
    if kind == ActivityKind.NOTE and not text:
        raise ValidationFailed.field("body", "A catch-up note cannot be empty.")
    with transaction.atomic():
        activity = activity_record(
            lead=lead, kind=kind, actor=actor, body=text, payload={"catch_up": True}
        )
        # The catch-up rule reacts to the event (pipelines.events), as for a note.
        activity_logged(activity=activity, actor=actor)
    return activity
