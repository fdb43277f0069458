"""Web UI pages of the integrations app, under /w/<workspace slug>/."""

from django.urls import path

from integrations.ai import pages as ai
from integrations.feed import views as feed
from integrations.views import exports, imports

app_name = "integrations"
urlpatterns: list = [
    path("imports/", imports.imports_index, name="imports"),
    path("imports/<int:job_id>/", imports.import_detail, name="import"),
    path("imports/<int:job_id>/preview/", imports.import_preview_view, name="import_preview"),
    path("imports/<int:job_id>/progress/", imports.import_progress_view, name="import_progress"),
    path("imports/<int:job_id>/cancel/", imports.import_cancel_view, name="import_cancel"),
    path("imports/<int:job_id>/resume/", imports.import_resume_view, name="import_resume"),
    path("imports/<int:job_id>/errors.csv", imports.import_errors_csv, name="import_errors_csv"),
    path("exports/leads/", exports.export_leads, name="export_leads"),
    path("ai/settings/", ai.ai_settings_page, name="ai_settings"),
    path("ai/review/", ai.review_page, name="ai_review"),
    path("ai/review/generate/", ai.generate, name="ai_generate"),
    path("ai/drafts/<int:draft_id>/<slug:action>/", ai.draft_decide, name="ai_draft_decide"),
    path("feed/", feed.feed, name="feed"),
    path("feed/posts/<int:post_id>/engage/", feed.engage, name="feed_engage"),
    path("feed/posts/<int:post_id>/draft/", feed.draft, name="feed_draft"),
    path("feed/goals/", feed.goals, name="feed_goals"),
    path("feed/goals/panel/", feed.goals_panel, name="feed_goals_panel"),
    path("feed/leads/<int:lead_id>/panel/", feed.lead_panel, name="feed_lead_panel"),
]
