"""Public webhook URLs, outside any workspace (the token in the URL picks it)."""

from django.urls import path

from integrations.webhooks.views import stripe_webhook

app_name = "webhooks"

urlpatterns = [
    path("hooks/stripe/<str:token>/", stripe_webhook, name="stripe"),
]
