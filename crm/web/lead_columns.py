"""crm's own columns and bulk actions of the leads table, in the same registries other apps use."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db.models import OuterRef, QuerySet, Subquery

from crm.actors import Actor
from crm.models import Activity, Lead, Workspace
from crm.selectors.records import list_get, lists_all
from crm.services.lists import list_add_leads, list_remove_leads
from crm.services.tags import leads_tag, tag_get_or_create
from crm.web import lead_cells as cells
from crm.web.extensions.bulk_actions import (
    BULK_ACTIONS,
    LEADS_PAGE,
    LIST_PAGE,
    BulkAction,
    BulkRefused,
)
from crm.web.extensions.columns import LEAD_COLUMNS, LeadColumn


def _with_company_and_owner(qs: QuerySet[Lead]) -> QuerySet[Lead]:
    return qs.select_related("company", "owner")


def _with_last_activity(qs: QuerySet[Lead]) -> QuerySet[Lead]:
    # One index seek per row of the page (activity_lead_time), not a scan of the timeline.
    latest = Activity.objects.filter(lead=OuterRef("pk")).order_by("-created_at", "-id")
    return qs.annotate(last_activity_at=Subquery(latest.values("created_at")[:1]))


COLUMNS = (
    LeadColumn(
        "name", "Name", "", render=cells.name, sort="last_name", required=True, order=0,
    ),
    LeadColumn(
        "company", "Company", "", render=cells.company, prepare=_with_company_and_owner,
        order=10,
    ),
    LeadColumn("email", "Email", "", render=cells.email, order=20, css_class="hide-sm"),
    LeadColumn("location", "Location", "", render=cells.location, order=30, css_class="hide-sm"),
    LeadColumn(
        "owner", "Owner", "", render=cells.owner, prepare=_with_company_and_owner, order=40,
        css_class="hide-sm",
    ),
    LeadColumn("title", "Job title", "", render=cells.text, default=False, order=45),
    LeadColumn("source", "Source", "", render=cells.text, default=False, order=46),
    LeadColumn(
        "last_activity_at", "Last activity", "", render=cells.ago, prepare=_with_last_activity,
        order=70, css_class="nowrap",
    ),
    LeadColumn(
        "created_at", "Added", "", render=cells.day, sort="created_at", order=80,
        css_class="nowrap",
    ),
    LeadColumn(
        "updated_at", "Updated", "", render=cells.ago, sort="updated_at", default=False,
        order=90, css_class="nowrap hide-sm",
    ),
)  # fmt: skip


def _plural(n: int) -> str:
    return f"{n} lead{'s' if n != 1 else ''}"


def _list_id(data: Mapping[str, str]) -> int:
    raw = data.get("list_id", "")
    if not raw.isdigit():
        raise BulkRefused("Choose a list first.")
    return int(raw)


def add_to_list(
    *, workspace: Workspace, lead_ids: Sequence[int], actor: Actor, data: Mapping[str, str]
) -> str:
    lead_list = list_get(workspace=workspace, list_id=_list_id(data))
    n = list_add_leads(lead_list=lead_list, lead_ids=list(lead_ids), actor=actor)
    return f"Added {_plural(n)} to “{lead_list}”."


def remove_from_list(
    *, workspace: Workspace, lead_ids: Sequence[int], actor: Actor, data: Mapping[str, str]
) -> str:
    lead_list = list_get(workspace=workspace, list_id=_list_id(data))
    n = list_remove_leads(lead_list=lead_list, lead_ids=list(lead_ids), actor=actor)
    return f"Removed {_plural(n)} from “{lead_list}”."


def tag(
    *, workspace: Workspace, lead_ids: Sequence[int], actor: Actor, data: Mapping[str, str]
) -> str:
    found = tag_get_or_create(workspace=workspace, name=data.get("tag_name", ""))
    n = leads_tag(workspace=workspace, lead_ids=list(lead_ids), tag=found, actor=actor)
    return f"Tagged {_plural(n)} “{found.name}”."


ACTIONS = (
    BulkAction(
        "add_to_list", "Add to list", add_to_list, template="crm/leads/actions/add_to_list.html",
        options=lambda ws: list(lists_all(workspace=ws)), icon="list",
        pages=frozenset({LEADS_PAGE}), order=10,
    ),
    BulkAction(
        "tag", "Tag", tag, template="crm/leads/actions/tag.html", icon="tag", order=20,
    ),
    BulkAction(
        "remove_from_list", "Remove from list", remove_from_list,
        template="crm/leads/actions/remove_from_list.html", danger=True,
        pages=frozenset({LIST_PAGE}), order=30,
    ),
)  # fmt: skip


def register() -> None:
    for column in COLUMNS:
        LEAD_COLUMNS.register(column)
    for action in ACTIONS:
        BULK_ACTIONS.register(action)
