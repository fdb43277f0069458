"""The Celery app. Tasks are thin: they take ids and call a service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")

app = Celery("kindling")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _beat_schedule() -> dict:
    # Each app keeps its periodic work in a plain-data `schedule.py` next to its tasks.
    from importlib import import_module

    schedule: dict = {}
    for app_name in ("pipelines", "outreach", "integrations", "integrations.feed"):
        try:
            module = import_module(f"{app_name}.schedule")
        except ModuleNotFoundError:
            continue
        schedule.update(module.BEAT_SCHEDULE)
    return schedule


app.conf.beat_schedule = _beat_schedule()
