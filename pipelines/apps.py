from django.apps import AppConfig


class PipelinesConfig(AppConfig):
    name = "pipelines"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pipelines import events

        events.register()

        from pipelines import crm_extensions

        crm_extensions.register()
