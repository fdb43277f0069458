"""URLs outside any workspace: the unsubscribe link of every email (``/u/<token>/``)."""

from django.urls import path

from outreach.views.unsubscribe import unsubscribe

app_name = "outreach_public"

urlpatterns = [
    path("u/<str:token>/", unsubscribe, name="unsubscribe"),
]
