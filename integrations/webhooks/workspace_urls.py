"""Workspace pages of the webhooks, under /w/<workspace slug>/integrations/."""

from django.urls import path

from integrations.webhooks.pages import stripe_page

app_name = "integrations_webhooks"

urlpatterns = [
    path("stripe/", stripe_page, name="stripe"),
]
