"""What a person decides about a reply inbox sync recorded."""

from __future__ import annotations

from django.db import transaction

from crm.errors import ValidationFailed
from outreach.models import InboundKind, InboundMessage


@transaction.atomic
def reply_mark_positive(*, inbound: InboundMessage, positive: bool = True) -> InboundMessage:
    """Mark a reply positive (interested) or take the mark back; results count positives per
    step and variant."""
    if inbound.kind != InboundKind.REPLY:
        raise ValidationFailed.field("kind", "Only a reply can be marked positive.")
    InboundMessage.objects.filter(pk=inbound.pk).update(positive=positive)
    inbound.positive = positive
    return inbound
