"""What pipelines adds to crm's pages: the leads table's Stage column and Stage filter.

Registered from ``PipelinesConfig.ready()``; crm only knows the registries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from crm.models import Lead, Workspace
from crm.web.extensions.columns import LEAD_COLUMNS, LeadColumn
from crm.web.extensions.filters import LEAD_FILTERS, LeadFilter
from pipelines.models import PipelineEntry, Stage, StageKind


def stages_of_leads(workspace: Workspace, leads: Sequence[Lead]) -> dict[int, Any]:
    """Each lead's stage in the default pipeline, for one page of the table in one query."""
    entries = PipelineEntry.objects.filter(
        pipeline__workspace=workspace,
        pipeline__is_default=True,
        lead_id__in=[lead.pk for lead in leads],
    ).select_related("stage")
    return {entry.lead_id: entry.stage for entry in entries}


def _stage_field(workspace: Workspace) -> forms.Field:
    stages = list(
        Stage.objects.filter(pipeline__workspace=workspace)
        .select_related("pipeline")
        .order_by("-pipeline__is_default", "pipeline__name", "position", "id")
    )
    several = len({s.pipeline_id for s in stages}) > 1
    choices = [("", "Any stage")] + [
        (str(s.pk), f"{s.pipeline.name}: {s.name}" if several else s.name) for s in stages
    ]
    return forms.TypedChoiceField(choices=choices, coerce=int, empty_value=None)


def _at_stage(qs: QuerySet[Lead], stage_id: int, workspace: Workspace) -> QuerySet[Lead]:
    # Walks the stage's entries (index entry_column), then a semi-join on the lead.
    return qs.filter(Exists(PipelineEntry.objects.filter(lead=OuterRef("pk"), stage_id=stage_id)))


# Badge colours by stage kind, as on the board.
KIND_BADGES = {
    StageKind.CUSTOMER: "badge-green",
    StageKind.CATCH_UP: "badge-green",
    StageKind.WARM: "badge-amber",
    StageKind.ENGAGED: "badge-blue",
    StageKind.LOST: "badge-slate",
}


def stage_cell(lead: Lead, stage: Stage | None, workspace: Workspace) -> SafeString:
    if stage is None:
        return mark_safe('<span class="faint">—</span>')
    return format_html(
        '<span class="badge {}" data-stage-kind="{}">{}</span>',
        KIND_BADGES.get(stage.kind, "badge-accent"),  # type: ignore[call-overload]
        stage.kind,
        stage.name,
    )


STAGE_COLUMN = LeadColumn(
    "stage",
    "Stage",
    "",
    render=stage_cell,
    load=stages_of_leads,
    order=35,
    css_class="nowrap",
)
STAGE_FILTER = LeadFilter("stage", "Stage", _stage_field, _at_stage, order=40)


def register() -> None:
    LEAD_COLUMNS.register(STAGE_COLUMN)
    LEAD_FILTERS.register(STAGE_FILTER)
