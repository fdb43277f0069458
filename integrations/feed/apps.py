from django.apps import AppConfig


class FeedConfig(AppConfig):
    """Social post sources, fetching and posts (the data layer of the social feed)."""

    name = "integrations.feed"
    label = "feed"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from integrations.feed import crm_extensions, events, subscribers

        events.register()
        subscribers.register()
        crm_extensions.register()
