"""Celery tasks of the integrations app: thin, they take ids and call the import runner."""

from __future__ import annotations

from celery import shared_task


# Routed to the "import" queue by its callers (import_enqueue), so a big file never delays sends.
@shared_task(name="integrations.import_run", acks_late=True)
def import_run_task(job_id: int) -> None:
    from integrations.imports.run import import_run

    import_run(job_id=job_id)


def import_enqueue(job_id: int) -> None:
    import_run_task.apply_async(args=[job_id], queue="import")


# Beat runs it every 5 seconds (the first retry's delay); a pass takes only what is due, and
# parallel passes lease different rows, so an overlapping run is harmless.
@shared_task(name="integrations.webhooks_deliver")
def webhooks_deliver_task() -> dict[str, int]:
    from integrations.webhooks.outbound.passes import webhooks_pass

    return webhooks_pass().as_dict()


@shared_task(name="integrations.idempotency_purge")
def idempotency_purge_task() -> int:
    from integrations.idempotency.replay import idempotent_requests_purge

    return idempotent_requests_purge()


# AI drafts live with their code; imported so the worker registers the task.
from integrations.ai.tasks import ai_generate_task  # noqa: E402, F401
