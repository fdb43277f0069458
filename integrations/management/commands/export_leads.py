"""python manage.py export_leads --workspace SLUG [--list NAME] [--tag NAME] [--columns a,b]
--output FILE

Streams the workspace's leads (or one list's, or one tag's) to a CSV file Excel opens cleanly.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crm.errors import DomainError
from crm.models import LeadList, Tag, Workspace
from crm.selectors.leads import LeadFilters, leads_filtered
from integrations.exports.columns import columns_resolve
from integrations.exports.leads_csv import leads_csv_chunks


class Command(BaseCommand):
    help = "Export leads to CSV (UTF-8 with BOM, formula-safe)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--workspace", required=True)
        parser.add_argument("--list", dest="list_name", default="")
        parser.add_argument("--tag", dest="tag_name", default="")
        parser.add_argument("--columns", default="", help="Comma-separated column names")
        parser.add_argument("--output", required=True, help="File path, or - for stdout")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        workspace = Workspace.objects.filter(slug=opts["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace with slug '{opts['workspace']}'.")
        filters = LeadFilters()
        if opts["list_name"]:
            lead_list = LeadList.objects.filter(
                workspace=workspace, name__iexact=opts["list_name"]
            ).first()
            if lead_list is None:
                raise CommandError(f"No list named '{opts['list_name']}'.")
            filters.list_id = lead_list.pk
        if opts["tag_name"]:
            tag = Tag.objects.filter(workspace=workspace, name__iexact=opts["tag_name"]).first()
            if tag is None:
                raise CommandError(f"No tag named '{opts['tag_name']}'.")
            filters.tag_id = tag.pk
        names = [c for c in opts["columns"].split(",") if c.strip()] or None
        try:
            columns = columns_resolve(workspace=workspace, names=names)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        leads = leads_filtered(workspace=workspace, filters=filters)
        started = time.perf_counter()
        out = (
            sys.stdout
            if opts["output"] == "-"
            else open(  # noqa: SIM115
                Path(opts["output"]), "w", encoding="utf-8", newline=""
            )
        )
        try:
            for part in leads_csv_chunks(leads=leads, columns=columns):
                out.write(part)
        finally:
            if out is not sys.stdout:
                out.close()
        if out is not sys.stdout:
            took = time.perf_counter() - started
            self.stderr.write(f"Exported to {opts['output']} in {took:.1f} s")
