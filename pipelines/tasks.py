"""Celery tasks of the pipelines app: thin, they call a service."""

from celery import shared_task

from pipelines.services import catch_up_reminders_create_all


@shared_task(name="pipelines.catch_up_reminders")
def catch_up_reminders() -> int:
    """Open catch-up tasks for customers nobody talked to for N days (per workspace)."""
    return catch_up_reminders_create_all()
