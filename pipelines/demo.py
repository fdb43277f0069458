"""The demo workspace's pipeline: leads spread over the stages the way real selling moves them.

Every move goes through the stage rules and services (engagement, reply, payment,
conversations, referrals), so the board, the history, the reports and the dashboard of the
demo show what a team would see after a few weeks, not rows pushed into place.
"""

from __future__ import annotations

import random

from crm.actors import Actor
from crm.models import ActivityKind, Lead, Workspace
from pipelines.models import PipelineEntry, StageKind
from pipelines.services import (
    conversation_log,
    engagement_log,
    entry_move,
    entry_update,
    pipeline_create_default,
    referrals_record,
    rule_customer_paid,
    rule_reply_received,
)

ENGAGEMENTS = (ActivityKind.LIKED, ActivityKind.COMMENTED, ActivityKind.CONNECTED)
# In major units of the workspace's default currency.
DEAL_SIZES = (1_200, 2_400, 4_800, 9_600, 18_000)
REFERRED = (
    {"first_name": "Ines", "last_name": "Moreau", "email": "ines.moreau@brightlane.example"},
    {"first_name": "Tom", "last_name": "Berg", "email": "tom.berg@northpeak.example"},
)


def pipeline_demo_load(*, workspace: Workspace, leads: list[Lead], actor: Actor) -> None:
    """Move the demo's leads through the default pipeline (deterministic for a given list)."""
    rng = random.Random(7)
    pipeline = pipeline_create_default(workspace=workspace)
    # About a quarter of the leads stay Cold, as on any real board.
    count = min(70, len(leads) * 3 // 4)
    people = rng.sample(leads, count)
    engaged, lost = people[: count * 6 // 7], people[count * 6 // 7 :]
    for lead in engaged:
        engagement_log(lead=lead, kind=rng.choice(ENGAGEMENTS), actor=actor)
    warm = engaged[: len(engaged) // 2]
    for lead in warm:
        rule_reply_received(lead=lead, actor=actor, event_key=f"demo-reply-{lead.pk}")
        entry = PipelineEntry.objects.get(pipeline=pipeline, lead=lead)
        value = rng.choice(DEAL_SIZES) * 100
        # In the workspace's default currency, like every amount given without one.
        entry_update(entry=entry, data={"value_minor": value})
    customers = warm[: len(warm) // 2]
    for lead in customers:
        rule_customer_paid(
            lead=lead,
            actor=actor,
            amount_minor=rng.choice(DEAL_SIZES) * 100,
            event_key=f"demo-paid-{lead.pk}",
        )
    # Account managers have had 1 to 4 conversations with most customers; the ones at
    # Catch-up 4 get their "ask for 2 referrals" task from the rule.
    for n, lead in enumerate(customers[: len(customers) * 2 // 3]):
        for _ in range(n % 4 + 1):
            conversation_log(lead=lead, kind=rng.choice(("call", "meeting")), actor=actor)
    if customers:
        referrer = customers[min(3, len(customers) - 1)]
        referrals_record(customer=referrer, people=[dict(p) for p in REFERRED], actor=actor)
    lost_stage = pipeline.stages.get(kind=StageKind.LOST)
    for lead in lost:
        entry = PipelineEntry.objects.select_related("stage").get(pipeline=pipeline, lead=lead)
        entry_move(
            entry=entry,
            to_stage=lost_stage,
            expected_from_stage=entry.stage,
            actor=actor,
            reason="No budget this year",
        )
