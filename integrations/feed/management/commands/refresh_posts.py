"""python manage.py refresh_posts [--workspace SLUG] [--all] [--json]

One refresh pass in this process over the sources that are due (--all: every enabled source,
now), with a progress bar on stderr. With --json the last stdout line is
{"sources": n, "new_posts": n, "not_modified": n, "errors": n}. Exit 0 unless the command
itself fails: sources that could not be refreshed are counted in "errors".
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from crm.models import Workspace
from integrations.feed.refresh import RefreshCounts, refresh_sources


class Command(BaseCommand):
    help = "Fetch new posts from the sources that are due."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--workspace", default=None, help="Only this workspace's sources")
        parser.add_argument(
            "--all", dest="everything", action="store_true", help="Every enabled source, now"
        )
        parser.add_argument("--json", action="store_true", help="End with a JSON summary line")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        workspace = None
        if opts["workspace"]:
            workspace = Workspace.objects.filter(slug=opts["workspace"]).first()
            if workspace is None:
                raise CommandError(f"No workspace with slug '{opts['workspace']}'.")
        with tqdm(unit="source", disable=None, leave=False) as bar:

            def progress(counts: RefreshCounts, known: int) -> None:
                bar.total = known
                bar.update(counts.sources - bar.n)

            counts = refresh_sources(
                workspace=workspace, everything=opts["everything"], on_progress=progress
            )
        summary = {
            "sources": counts.sources,
            "new_posts": counts.new_posts,
            "not_modified": counts.not_modified,
            "errors": counts.errors,
        }
        if opts["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(
                f"{counts.sources} sources: {counts.new_posts} new posts, "
                f"{counts.not_modified} unchanged, {counts.errors} errors."
            )
