"""Web UI pages of the pipelines app, under /w/<workspace slug>/pipeline/."""

from django.urls import path

from pipelines.views import board, panels, reports, settings

app_name = "pipelines"
urlpatterns = [
    path("", board.board, name="board"),
    path("<int:pipeline_id>/", board.board, name="board_of"),
    path("stages/<int:stage_id>/cards/", board.column_cards, name="column"),
    path("entries/<int:entry_id>/", board.entry_quick_view, name="entry"),
    path("entries/<int:entry_id>/move/", board.move, name="move"),
    path("entries/<int:entry_id>/deal/", board.deal_update, name="deal"),
    path("leads/<int:lead_id>/", panels.lead_page, name="lead"),
    path("<int:lead_id>/panel/", panels.lead_panel, name="lead_panel"),
    path("leads/<int:lead_id>/referrals/", panels.referrals_add, name="referrals_add"),
    path("leads/<int:lead_id>/conversations/", panels.conversation_add, name="conversation_add"),
    path("leads/<int:lead_id>/payments/", panels.payment_add, name="payment_add"),
    path("dashboard/panel/", panels.dashboard_panel, name="dashboard_panel"),
    path("reports/", reports.reports, name="reports"),
    path("settings/", settings.settings_page, name="settings"),
    path("settings/rules/", settings.rules_save, name="rules_save"),
    path("settings/pipelines/", settings.pipeline_add, name="pipeline_add"),
    path("settings/<int:pipeline_id>/stages/", settings.stage_add, name="stage_add"),
    path("settings/stages/<int:stage_id>/", settings.stage_save, name="stage_save"),
    path("settings/stages/<int:stage_id>/shift/", settings.stage_shift, name="stage_shift"),
    path("settings/stages/<int:stage_id>/remove/", settings.stage_remove, name="stage_remove"),
]
