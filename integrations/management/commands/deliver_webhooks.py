"""python manage.py deliver_webhooks [--json]

One delivery pass in this process, no worker needed: pending events become deliveries for
the endpoints that listen, then every due delivery is sent (retries included).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from integrations.webhooks.outbound.passes import webhooks_pass


class Command(BaseCommand):
    help = "Send due webhook deliveries once (for cron, or to flush the queue by hand)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--json", action="store_true", help="End with one JSON line")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        counts = webhooks_pass()
        if opts["json"]:
            self.stdout.write(json.dumps(counts.as_dict()))
        else:
            self.stdout.write(
                f"Delivered {counts.delivered}, failed {counts.failed}, "
                f"to retry later {counts.retry_later}."
            )
