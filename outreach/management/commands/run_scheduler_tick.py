"""One planning tick: due enrollments become queued messages handed to the Celery "send" queue."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from outreach.sending.planner import plan_due_sends


class Command(BaseCommand):
    help = "Run one planning tick now (what Celery beat runs every minute)."

    def handle(self, *args, **options):
        outcomes = plan_due_sends()
        self.stdout.write(
            ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())) or "Nothing due."
        )
