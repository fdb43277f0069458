"""Celery tasks of the core app: thin, they take ids and call the code that does the work."""

from __future__ import annotations

from celery import shared_task

from crm.web.bulk import bulk_job_run


@shared_task(name="crm.leads_bulk_action", ignore_result=True)
def leads_bulk_action(
    workspace_id: int,
    user_id: int,
    action_key: str,
    query: str,
    list_id: int | None,
    data: dict[str, str],
    after: int,
) -> None:
    """A bulk action on every lead a table filter matches (too many to run in the request)."""
    bulk_job_run(
        workspace_id=workspace_id,
        user_id=user_id,
        action_key=action_key,
        query=query,
        list_id=list_id,
        data=data,
        after=after,
    )
