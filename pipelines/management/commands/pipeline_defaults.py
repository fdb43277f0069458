from django.core.management.base import BaseCommand, CommandError

from crm.actors import Actor
from crm.models import Lead, Workspace
from pipelines.services import entries_place_new_leads, pipeline_create_default


class Command(BaseCommand):
    help = (
        "Give workspaces their default pipeline (idempotent); with --place-leads, put every lead "
        "not yet in it at its Cold stage."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workspace", help="Only this workspace (slug); default: all")
        parser.add_argument(
            "--place-leads", action="store_true", help="Also place the leads that have no entry yet"
        )

    def handle(self, *args, workspace=None, place_leads=False, **options):
        workspaces = Workspace.objects.order_by("pk")
        if workspace:
            workspaces = workspaces.filter(slug=workspace)
            if not workspaces.exists():
                raise CommandError(f"No workspace '{workspace}'.")
        for ws in workspaces.iterator():
            pipeline = pipeline_create_default(workspace=ws)
            line = f"{ws.slug}: {pipeline.name}"
            if place_leads:
                ids = Lead.objects.filter(workspace=ws).values_list("pk", flat=True).iterator()
                placed = entries_place_new_leads(
                    workspace=ws, lead_ids=ids, actor=Actor.system("pipeline_defaults")
                )
                line += f", {placed} leads placed"
            self.stdout.write(line)
