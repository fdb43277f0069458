import dataclasses
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from crm.models import Workspace
from pipelines.selectors.reports import (
    report_catch_ups_due,
    report_conversion,
    report_pipeline_value,
    report_referrals,
    report_time_in_stage,
)
from pipelines.services import pipeline_create_default, pipeline_settings_get

REPORTS = ("value", "conversion", "time-in-stage", "referrals", "catch-ups-due")


class Command(BaseCommand):
    help = "Print a pipeline report as JSON (the same numbers as the API and the charts)."

    def add_arguments(self, parser):
        parser.add_argument("report", choices=REPORTS)
        parser.add_argument("--workspace", required=True, help="Workspace slug")
        parser.add_argument("--days", type=int, default=90, help="Range: the last N days")

    def handle(self, *args, report, workspace, days, **options):
        ws = Workspace.objects.filter(slug=workspace).first()
        if ws is None:
            raise CommandError(f"No workspace '{workspace}'.")
        pipeline = pipeline_create_default(workspace=ws)
        until = timezone.now()
        since = until - dt.timedelta(days=days)
        if report == "value":
            rows = [dataclasses.asdict(r) for r in report_pipeline_value(pipeline=pipeline)]
        elif report == "conversion":
            rows = [
                {**dataclasses.asdict(r), "rate": r.rate}
                for r in report_conversion(pipeline=pipeline, since=since, until=until)
            ]
        elif report == "time-in-stage":
            rows = [
                dataclasses.asdict(r)
                for r in report_time_in_stage(pipeline=pipeline, since=since, until=until)
            ]
        elif report == "referrals":
            rows = report_referrals(workspace=ws, since=since, until=until)
        else:
            after = pipeline_settings_get(workspace=ws).catch_up_after_days
            count, entries = report_catch_ups_due(workspace=ws, now=until, days=after)
            rows = {
                "count": count,
                "items": [
                    {
                        "lead_id": e.lead_id,
                        "name": str(e.lead),
                        "stage": e.stage.name,
                        "last_conversation_at": e.last_conversation_at,
                    }
                    for e in entries
                ],
            }
        self.stdout.write(json.dumps(rows, indent=2, default=str))
