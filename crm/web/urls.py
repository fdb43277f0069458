"""Web UI of the core CRM.

``login``, ``logout`` and ``home`` are top-level names (settings.LOGIN_URL and
LOGIN_REDIRECT_URL use them); every workspace page is in the ``crm`` namespace and takes ``ws``.
"""

from django.urls import include, path

from crm.web.views import (
    auth,
    companies,
    dashboard,
    lead_page,
    lead_views,
    leads,
    lists,
    settings,
    tasks,
)

workspace_pages = [
    path("", dashboard.dashboard, name="dashboard"),
    path("leads/", leads.leads_index, name="leads"),
    path("leads/new/", leads.lead_new, name="lead_new"),
    path("leads/bulk/", leads.leads_bulk, name="leads_bulk"),
    path("leads/columns/", lead_views.columns_choose, name="leads_columns"),
    path("leads/views/", lead_views.view_save, name="lead_view_save"),
    path("leads/views/<int:view_id>/", lead_views.view_open, name="lead_view"),
    path("leads/views/<int:view_id>/delete/", lead_views.view_delete, name="lead_view_delete"),
    path("leads/<int:lead_id>/", lead_page.lead_detail, name="lead"),
    path("leads/<int:lead_id>/edit/", lead_page.lead_edit, name="lead_edit"),
    path("leads/<int:lead_id>/delete/", lead_page.lead_delete_view, name="lead_delete"),
    path("leads/<int:lead_id>/notes/", lead_page.lead_note_add, name="lead_note_add"),
    path("leads/<int:lead_id>/tasks/", lead_page.lead_task_add, name="lead_task_add"),
    path("companies/", companies.companies_index, name="companies"),
    path("companies/new/", companies.company_new, name="company_new"),
    path("companies/<int:company_id>/", companies.company_detail, name="company"),
    path("lists/", lists.lists_index, name="lists"),
    path("lists/new/", lists.list_new, name="list_new"),
    path("lists/<int:list_id>/", lists.list_detail, name="list"),
    path("tasks/", tasks.tasks_index, name="tasks"),
    path("tasks/<int:task_id>/done/", tasks.task_done, name="task_done"),
    path("tasks/<int:task_id>/undo/", tasks.task_undo, name="task_undo"),
    path("settings/", settings.settings_page, name="settings"),
    path("settings/api-keys/", settings.api_key_new, name="api_key_new"),
    path("settings/members/", settings.member_add, name="member_add"),
    path("settings/members/<int:user_id>/", settings.member_change, name="member_change"),
    path(
        "settings/members/<int:user_id>/invite/",
        settings.member_invite_again,
        name="member_invite_again",
    ),
    path("settings/custom-fields/", settings.custom_field_new, name="custom_field_new"),
    path(
        "settings/api-keys/<int:key_id>/revoke/",
        settings.api_key_revoke_view,
        name="api_key_revoke",
    ),
]

urlpatterns = [
    path("", auth.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("w/<slug:ws>/", include((workspace_pages, "crm"))),
]
