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
    "outreach-check-domains-daily": {
        "task": "outreach.tasks.check_all_domains",
        "schedule": crontab(hour=5, minute=17),  # daily, before the working day in Europe
        "options": {"queue": "dns", "expires": 3600},
    },
    "outreach-recheck-unfinished-domains": {
        "task": "outreach.tasks.check_unfinished_domains",
        "schedule": crontab(minute=47),  # hourly: "could not check — will retry"
        "options": {"queue": "dns", "expires": 1800},
    },
}
