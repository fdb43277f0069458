"""Workspace pages of the webhooks, under /w/<workspace slug>/integrations/."""

from django.urls import path

from integrations.automation.pages import inbound_page
from integrations.webhooks.outbound import pages as outbound
from integrations.webhooks.pages import stripe_page

app_name = "integrations_webhooks"

urlpatterns = [
    path("stripe/", stripe_page, name="stripe"),
    path("inbound/", inbound_page, name="inbound"),
    path("webhooks/", outbound.endpoints_page, name="endpoints"),
    path("webhooks/<int:endpoint_id>/", outbound.endpoint_page, name="endpoint"),
    path(
        "webhooks/<int:endpoint_id>/<slug:action>/",
        outbound.endpoint_action,
        name="endpoint_action",
    ),
    path(
        "webhooks/deliveries/<int:delivery_id>/replay/",
        outbound.delivery_replay_page,
        name="delivery_replay",
    ),
]
