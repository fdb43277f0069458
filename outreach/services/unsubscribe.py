from __future__ import annotations

from django.db import transaction

from crm.actors import Actor
from crm.models import ActivityKind, Lead
from crm.services.activities import activity_record
from outreach.models import (
    LIVE_STATUSES,
    Enrollment,
    EnrollmentStatus,
    Suppression,
    SuppressionReason,
)
from outreach.rendering.compose import unsubscribe_token_read
from outreach.services.suppression import suppression_add


@transaction.atomic
def unsubscribe_with_token(*, token: str) -> Lead | None:
    """Suppress the address an email's unsubscribe link names and stop its sequences.

    Returns the lead, or None for a token that is forged or names nobody. Safe to repeat: the
    second click changes nothing and logs nothing.
    """
    ids = unsubscribe_token_read(token)
    if ids is None:
        return None
    workspace_id, lead_id = ids
    lead = (
        Lead.objects.filter(workspace_id=workspace_id, pk=lead_id)
        .select_related("workspace")
        .first()
    )
    if lead is None or not lead.email:
        return None
    new = not Suppression.objects.filter(workspace_id=workspace_id, value=lead.email).exists()
    suppression_add(
        workspace=lead.workspace,
        value=lead.email,
        reason=SuppressionReason.UNSUBSCRIBED,
        note="Unsubscribe link",
    )
    Enrollment.objects.filter(lead=lead, status__in=LIVE_STATUSES).update(
        status=EnrollmentStatus.UNSUBSCRIBED, stop_reason="Unsubscribe link", next_send_at=None
    )
    if new:
        activity_record(
            lead=lead,
            kind=ActivityKind.UNSUBSCRIBED,
            actor=Actor.system("unsubscribe link"),
            payload={"by": "link", "address": lead.email},
        )
    return lead
