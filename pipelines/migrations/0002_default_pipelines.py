"""Give every existing workspace its default pipeline (new ones get it from workspace_create)."""

from django.db import migrations

from pipelines.defaults import DEFAULT_PIPELINE_NAME, DEFAULT_STAGES


def create_default_pipelines(apps, schema_editor):
    Workspace = apps.get_model("crm", "Workspace")
    Pipeline = apps.get_model("pipelines", "Pipeline")
    Stage = apps.get_model("pipelines", "Stage")
    for workspace in Workspace.objects.exclude(pipelines__is_default=True):
        pipeline = Pipeline.objects.create(
            workspace=workspace, name=DEFAULT_PIPELINE_NAME, is_default=True
        )
        Stage.objects.bulk_create(
            Stage(pipeline=pipeline, name=name, kind=kind, position=i, probability=p)
            for i, (name, kind, p) in enumerate(DEFAULT_STAGES)
        )


class Migration(migrations.Migration):
    dependencies = [("pipelines", "0001_initial")]

    operations = [migrations.RunPython(create_default_pipelines, migrations.RunPython.noop)]
