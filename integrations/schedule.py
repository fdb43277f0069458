"""Celery beat entries of the integrations app; the project settings merge ``BEAT_SCHEDULE``."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "integrations-webhooks-deliver": {
        "task": "integrations.webhooks_deliver",
        "schedule": 5.0,  # seconds: the first retry comes 5 s after a failure
        "options": {"expires": 4},
    },
    "integrations-idempotency-purge": {
        "task": "integrations.idempotency_purge",
        "schedule": crontab(minute=23),  # hourly
        "options": {"expires": 1800},
    },
}
