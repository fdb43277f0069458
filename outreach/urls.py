"""Outreach pages under ``/w/<slug:ws>/outreach/`` (the public unsubscribe URL: public_urls)."""

from django.urls import path

from outreach.views import domains, messages, sequences

app_name = "outreach"

urlpatterns = [
    path("sequences/", sequences.sequences_index, name="sequences"),
    path("sequences/new/", sequences.sequence_new, name="sequence_new"),
    path("sequences/<int:sequence_id>/", sequences.sequence_detail, name="sequence"),
    path(
        "sequences/<int:sequence_id>/<str:action>/",
        sequences.sequence_status,
        name="sequence_status",
    ),
    path(
        "enrollments/<int:enrollment_id>/preview/",
        messages.enrollment_preview_page,
        name="preview",
    ),
    path("domains/", domains.domains_index, name="domains"),
    path("mailboxes/new/", domains.mailbox_new, name="mailbox_new"),
    path("mailboxes/<int:mailbox_id>/<str:action>/", domains.mailbox_action, name="mailbox_action"),
    path("captured/", messages.captured_index, name="captured"),
    path("captured/<int:message_id>/", messages.captured_detail, name="captured_message"),
]
