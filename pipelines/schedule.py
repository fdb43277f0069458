"""Celery beat entries of the pipelines app; the project settings merge BEAT_SCHEDULE."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "pipelines-catch-up-reminders": {
        "task": "pipelines.catch_up_reminders",
        # Early morning, so the reminders are in the account managers' day list.
        "schedule": crontab(hour=6, minute=0),
    },
}
