"""Which customers are due a catch-up conversation."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from crm.models import Workspace
from pipelines.models import CUSTOMER_KINDS, PipelineEntry


def catch_ups_due(*, workspace: Workspace, now: dt.datetime, days: int) -> QuerySet[PipelineEntry]:
    """Customers of the default pipeline with no conversation for ``days`` days, oldest first.

    A customer never talked to counts from the day it became one (``entered_at``).
    """
    cutoff = now - dt.timedelta(days=days)
    return (
        PipelineEntry.objects.filter(
            workspace=workspace,
            pipeline__is_default=True,
            stage__kind__in=CUSTOMER_KINDS,
        )
        .filter(
            Q(last_conversation_at__lt=cutoff)
            | Q(last_conversation_at__isnull=True, entered_at__lt=cutoff)
        )
        .order_by("last_conversation_at", "id")
    )
