"""Outreach pages under ``/w/<slug:ws>/outreach/`` (the public unsubscribe URL: public_urls)."""

from django.urls import path

from outreach.views import domains, enrollments, messages, results, sequences, steps

app_name = "outreach"

urlpatterns = [
    path("sequences/", sequences.sequences_index, name="sequences"),
    path("sequences/new/", sequences.sequence_new, name="sequence_new"),
    path("sequences/<int:sequence_id>/", sequences.sequence_detail, name="sequence"),
    path(
        "sequences/<int:sequence_id>/settings/",
        sequences.sequence_settings,
        name="sequence_settings",
    ),
    path("sequences/<int:sequence_id>/steps/new/", steps.step_new, name="step_new"),
    path("sequences/<int:sequence_id>/steps/<int:step_id>/", steps.step_edit, name="step"),
    path(
        "sequences/<int:sequence_id>/steps/<int:step_id>/variants/new/",
        steps.variant_new,
        name="variant_new",
    ),
    path(
        "sequences/<int:sequence_id>/steps/<int:step_id>/variants/<int:variant_id>/remove/",
        steps.variant_delete,
        name="variant_remove",
    ),
    path(
        "sequences/<int:sequence_id>/steps/<int:step_id>/<str:action>/",
        steps.step_action,
        name="step_action",
    ),
    path("sequences/<int:sequence_id>/preview/", steps.step_preview, name="step_preview"),
    path(
        "sequences/<int:sequence_id>/enrollments/",
        enrollments.sequence_enrollments,
        name="sequence_enrollments",
    ),
    path(
        "sequences/<int:sequence_id>/enrollments/bulk/",
        enrollments.enrollments_bulk_action,
        name="enrollments_bulk",
    ),
    path("sequences/<int:sequence_id>/enroll/", enrollments.sequence_enroll, name="enroll"),
    path(
        "sequences/<int:sequence_id>/enrollments/<int:enrollment_id>/",
        enrollments.enrollment_detail,
        name="enrollment",
    ),
    path(
        "sequences/<int:sequence_id>/results/",
        results.sequence_results_page,
        name="sequence_results",
    ),
    path("replies/<int:inbound_id>/positive/", results.reply_positive, name="reply_positive"),
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
    path(
        "enrollments/<int:enrollment_id>/<str:action>/",
        enrollments.enrollment_action,
        name="enrollment_action",
    ),
    path("domains/", domains.domains_index, name="domains"),
    path("domains/policy/", domains.deliverability_policy, name="deliverability_policy"),
    path("domains/<int:domain_id>/", domains.domain_detail, name="domain"),
    path("domains/<int:domain_id>/check/", domains.domain_check_now, name="domain_check"),
    path("mailboxes/new/", domains.mailbox_new, name="mailbox_new"),
    path("mailboxes/ramp/", domains.mailbox_ramp, name="mailbox_ramp"),
    path("mailboxes/<int:mailbox_id>/", domains.mailbox_edit, name="mailbox_edit"),
    path("mailboxes/<int:mailbox_id>/<str:action>/", domains.mailbox_action, name="mailbox_action"),
    path("captured/", messages.captured_index, name="captured"),
    path("captured/<int:message_id>/", messages.captured_detail, name="captured_message"),
]
