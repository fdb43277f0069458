"""One planning tick plus the sends it planned, in this process: email without a Celery worker."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from outreach.sending.planner import plan_due_sends
from outreach.sending.sender import send_message, sweep_stale_sends


class Command(BaseCommand):
    help = "Plan every due sequence email and send it now (for cron; the worker does this itself)."

    def handle(self, *args, **options):
        swept = sweep_stale_sends()
        planned: list[tuple[float, int]] = []
        start = time.monotonic()
        outcomes = plan_due_sends(enqueue=lambda pk, delay: planned.append((start + delay, pk)))
        results: dict[str, int] = {}
        for due, message_id in sorted(planned):
            # Planned sends are at most a minute ahead (the mailbox's gap): wait for them.
            time.sleep(max(0.0, due - time.monotonic()))
            outcome = send_message(message_id=message_id).outcome
            results[outcome] = results.get(outcome, 0) + 1
        for message_id in swept.requeue_ids:
            outcome = send_message(message_id=message_id).outcome
            results[outcome] = results.get(outcome, 0) + 1
        self.stdout.write(
            f"{timezone.now():%Y-%m-%d %H:%M} planned {dict(outcomes) or 'nothing'}; "
            f"sent {results or 'nothing'}; lost mid-send {swept.unknown}"
        )
