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
