"""Per-workspace switches of the stage rules and catch-up reminders."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from crm.errors import ValidationFailed
from crm.models import Workspace
from pipelines.models import PipelineSettings

SWITCHES = (
    "engagement_moves_to_engaged",
    "reply_moves_to_warm",
    "payment_moves_to_customer",
    "conversation_moves_to_next_catch_up",
    "last_catch_up_asks_for_referrals",
    "catch_up_reminders",
)


def pipeline_settings_get(*, workspace: Workspace) -> PipelineSettings:
    """The workspace's rule switches, created with every rule on at first use."""
    found = PipelineSettings.objects.filter(workspace=workspace).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return PipelineSettings.objects.create(workspace=workspace)
    except IntegrityError:
        return PipelineSettings.objects.get(workspace=workspace)


def pipeline_settings_update(*, workspace: Workspace, data: dict[str, Any]) -> PipelineSettings:
    """Switch rules on or off, set the catch-up interval (days) or the default currency."""
    current = pipeline_settings_get(workspace=workspace)
    errors: dict[str, list[str]] = {}
    for switch in SWITCHES:
        if switch in data:
            setattr(current, switch, bool(data[switch]))
    if "catch_up_after_days" in data:
        days = data["catch_up_after_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
            errors["catch_up_after_days"] = ["A number of days from 1 to 365."]
        else:
            current.catch_up_after_days = days
    if "default_currency" in data:
        code = str(data["default_currency"] or "").strip().upper()
        if len(code) != 3 or not code.isalpha():
            errors["default_currency"] = ["A three-letter ISO 4217 code, e.g. EUR."]
        else:
            current.default_currency = code
    if errors:
        raise ValidationFailed("Invalid pipeline settings.", errors=errors)
    current.save()
    return current
