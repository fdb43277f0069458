"""Every write of the pipelines app. Import entry points from here."""

from pipelines.services.catch_up import catch_up_reminders_create, catch_up_reminders_create_all
from pipelines.services.entries import entries_move_all, entry_move, entry_update
from pipelines.services.placement import entries_place_new_leads, entry_place
from pipelines.services.referrals import referrals_record
from pipelines.services.rules import (
    conversation_log,
    engagement_log,
    rule_conversation_logged,
    rule_customer_paid,
    rule_engagement_logged,
    rule_reply_received,
)
from pipelines.services.settings import pipeline_settings_get, pipeline_settings_update
from pipelines.services.structure import (
    pipeline_create,
    pipeline_create_default,
    pipeline_delete,
    pipeline_rename,
    stage_create,
    stage_delete,
    stage_update,
    stages_reorder,
)

__all__ = [
    "catch_up_reminders_create",
    "catch_up_reminders_create_all",
    "conversation_log",
    "engagement_log",
    "entries_move_all",
    "entries_place_new_leads",
    "entry_move",
    "entry_place",
    "entry_update",
    "pipeline_create",
    "pipeline_create_default",
    "pipeline_delete",
    "pipeline_rename",
    "pipeline_settings_get",
    "pipeline_settings_update",
    "referrals_record",
    "rule_conversation_logged",
    "rule_customer_paid",
    "rule_engagement_logged",
    "rule_reply_received",
    "stage_create",
    "stage_delete",
    "stage_update",
    "stages_reorder",
]
