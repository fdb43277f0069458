"""Bulk actions on "all N matching": the filter's leads, inline or as a background job.

The table posts its filter query string instead of ids; the ids are computed again here (and in
the worker) with the same filter form as the table, so the action hits exactly what the table
matches at the time it runs. Beyond ``INLINE_MAX`` leads the request runs the first chunk itself
(so a missing input is refused at once, on the page) and a Celery job does the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import QueryDict

from crm.actors import Actor
from crm.errors import DomainError
from crm.models import Lead, Workspace
from crm.selectors.leads import leads_filtered
from crm.web.extensions.bulk_actions import BULK_ACTIONS, BulkAction, BulkRefused
from crm.web.forms.leads import LeadFilterForm

log = logging.getLogger(__name__)

# Up to this many leads the request runs the action itself; more go to a Celery job.
INLINE_MAX = 2_000
CHUNK = 1_000


def matching_leads(*, workspace: Workspace, query: str, list_id: int | None) -> QuerySet[Lead]:
    """The leads the table shows for ``query`` (its filter query string), all pages."""
    form = LeadFilterForm(QueryDict(query), workspace=workspace)
    filters = form.filters()
    if list_id is not None:
        filters.list_id = list_id
    return leads_filtered(workspace=workspace, filters=filters)


def id_chunks(leads: QuerySet[Lead], *, after: int = 0) -> Iterator[list[int]]:
    """The leads' ids in ascending chunks, starting after id ``after``."""
    # Keyset over the id: each chunk is a seek, not an OFFSET that rereads the previous ones.
    last = after
    while True:
        ids = list(leads.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not ids:
            return
        yield ids
        last = ids[-1]


def bulk_run_matching(
    *,
    workspace: Workspace,
    action: BulkAction,
    actor: Actor,
    query: str,
    list_id: int | None,
    data: Mapping[str, str],
    after: int = 0,
) -> list[str]:
    """Run ``action`` on the matching leads with an id above ``after``, a chunk at a time."""
    leads = matching_leads(workspace=workspace, query=query, list_id=list_id)
    return [
        action.handler(workspace=workspace, lead_ids=ids, actor=actor, data=data)
        for ids in id_chunks(leads, after=after)
    ]


def bulk_job_run(
    *,
    workspace_id: int,
    user_id: int,
    action_key: str,
    query: str,
    list_id: int | None,
    data: Mapping[str, str],
    after: int,
) -> None:
    """The background job's body: the rest of a large "all matching" action, after id ``after``."""
    action = BULK_ACTIONS.get(action_key)
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if action is None or workspace is None or user is None:
        log.warning("bulk %s dropped: its action, workspace or person is gone", action_key)
        return
    try:
        outcome = bulk_run_matching(
            workspace=workspace,
            action=action,
            actor=Actor.of_user(user),
            query=query,
            list_id=list_id,
            data=data,
            after=after,
        )
    except (BulkRefused, DomainError) as exc:
        log.info("bulk %s in workspace %s stopped: %s", action_key, workspace.slug, exc)
        return
    log.info("bulk %s in workspace %s: %s", action_key, workspace.slug, " ".join(outcome))
