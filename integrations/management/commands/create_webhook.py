"""python manage.py create_webhook --workspace SLUG --url URL [--events a,b] [--json]

Adds an outbound webhook endpoint and prints its id and secret (shown this once). An unknown
event type or a refused URL is a message on stderr and exit status 2.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from crm.errors import DomainError
from crm.models import Membership, Workspace
from integrations.webhooks.outbound.endpoints import endpoint_create


class Command(BaseCommand):
    help = "Add an outbound webhook endpoint to a workspace; prints its id and secret once."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--workspace", required=True, help="Workspace slug")
        parser.add_argument("--url", required=True)
        parser.add_argument("--events", default="", help="Comma-separated types; omit for all")
        parser.add_argument("--description", default="")
        parser.add_argument("--json", action="store_true", help="End with one JSON line")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        workspace = Workspace.objects.filter(slug=opts["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace with slug '{opts['workspace']}'.", returncode=2)
        owner = (
            Membership.objects.filter(workspace=workspace, role="owner")
            .select_related("user")
            .order_by("id")
            .first()
        )
        try:
            endpoint, secret = endpoint_create(
                workspace=workspace,
                url=opts["url"],
                created_by=owner.user if owner else None,
                description=opts["description"] or "Created from the command line",
                event_types=[e for e in opts["events"].split(",") if e.strip()],
                source="cli",
            )
        except DomainError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if opts["json"]:
            self.stdout.write(json.dumps({"id": endpoint.pk, "secret": secret}))
        else:
            self.stdout.write(f"Webhook endpoint {endpoint.pk}: {endpoint.url}")
            self.stdout.write(f"Secret (shown once): {secret}")
