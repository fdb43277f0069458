"""Public webhook URLs, outside any workspace (the token in the URL picks it)."""

from django.urls import path

from integrations.automation.views import inbound_lead
from integrations.webhooks.views import stripe_webhook

app_name = "webhooks"

urlpatterns = [
    path("hooks/stripe/<str:token>/", stripe_webhook, name="stripe"),
    path("hooks/leads/<str:token>/", inbound_lead, name="inbound_lead"),
]
