"""Celery beat entries of the outreach engine; the project settings merge ``BEAT_SCHEDULE``."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "outreach-plan-due-sends": {
        "task": "outreach.plan_due_sends",
        "schedule": crontab(),  # every minute
        "options": {"queue": "send", "expires": 55},
    },
    "outreach-sweep-stale-sends": {
        "task": "outreach.sweep_stale_sends",
        "schedule": crontab(minute="*/5"),
        "options": {"queue": "send", "expires": 240},
    },
    "outreach-sync-inboxes": {
        "task": "outreach.sync_inboxes",
        "schedule": crontab(minute="*/5"),
        "options": {"queue": "inbox", "expires": 240},
    },
}
