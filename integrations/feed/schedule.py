"""Celery beat entries of the feed; crm/celery.py merges ``BEAT_SCHEDULE``."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Each pass takes only the sources that are due (30 min to a day apart, adaptive), so a
    # pass every 5 minutes is mostly empty; expiring stops passes piling up behind a slow one.
    "feed-refresh-due-sources": {
        "task": "feed.refresh_due_sources",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
    "feed-prune-old-posts": {
        "task": "feed.prune_old_posts",
        "schedule": crontab(hour=4, minute=23),
        "options": {"expires": 3600},
    },
}
