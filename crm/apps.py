from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


class CrmConfig(AppConfig):
    name = "crm"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The database cache (the embedded default, crm.throttle's counters) needs its table:
        # created by every migrate, so `make run`, production upgrades and tests all have it.
        post_migrate.connect(_cache_table_create, sender=self)

        from crm.events import catalog

        catalog.register()

        from crm.web import lead_columns

        lead_columns.register()


def _cache_table_create(using: str = "default", **kwargs: Any) -> None:
    call_command("createcachetable", database=using, verbosity=0)
