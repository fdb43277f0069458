from django.core.management.base import BaseCommand, CommandError

from crm.actors import Actor
from crm.errors import DomainError
from crm.models import Lead, Workspace
from pipelines.models import PipelineEntry
from pipelines.selectors.stage_lookup import stage_named


class Command(BaseCommand):
    help = (
        "Move a lead to a stage of a pipeline (by stage name). With --from, refuse when the lead "
        "is no longer at that stage (exit code 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, help="Workspace slug")
        parser.add_argument("--lead", required=True, help="Lead id or email")
        parser.add_argument("--to", required=True, help="Stage name or kind, e.g. Warm")
        parser.add_argument("--from", dest="from_stage", help="Stage the lead should be at now")
        parser.add_argument("--pipeline", help="Pipeline name; default: the default pipeline")
        parser.add_argument("--reason", default="", help="Why, for the history")

    def handle(
        self, *args, workspace, lead, to, from_stage=None, pipeline=None, reason="", **options
    ):
        from pipelines.services import entry_move, pipeline_create_default

        ws = Workspace.objects.filter(slug=workspace).first()
        if ws is None:
            raise CommandError(f"No workspace '{workspace}'.")
        leads = Lead.objects.filter(workspace=ws)
        person = (
            leads.filter(pk=int(lead))
            if lead.isdigit()
            else leads.filter(email=lead.strip().lower())
        ).first()
        if person is None:
            raise CommandError(f"No lead '{lead}' in {workspace}.")
        board = (
            ws.pipelines.filter(name=pipeline).first()
            if pipeline
            else pipeline_create_default(workspace=ws)
        )
        if board is None:
            raise CommandError(f"No pipeline '{pipeline}'.")
        entry = (
            PipelineEntry.objects.select_related("stage", "lead")
            .filter(pipeline=board, lead=person)
            .first()
        )
        if entry is None:
            raise CommandError(f"{person} is not in {board}.")

        was = entry.stage
        try:
            expected = (
                stage_named(pipeline=board, ref=from_stage, field="from") if from_stage else None
            )
            to_stage = stage_named(pipeline=board, ref=to, field="to")
            entry_move(
                entry=entry,
                to_stage=to_stage,
                expected_from_stage=expected,
                actor=Actor.system("cli"),
                reason=reason,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{person}: {expected or was} → {to_stage}")
