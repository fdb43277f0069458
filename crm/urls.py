from django.urls import include, path

from crm.api import api
from crm.api.docs import docs_redirect

urlpatterns = [
    path("api/v1/", api.urls),
    path("api/docs", docs_redirect),
    path("w/<slug:ws>/pipeline/", include("pipelines.urls")),
    path("w/<slug:ws>/outreach/", include("outreach.urls")),
    path("w/<slug:ws>/integrations/", include("integrations.webhooks.workspace_urls")),
    path("w/<slug:ws>/", include("integrations.urls")),
    path("", include("outreach.public_urls")),
    path("", include("integrations.webhooks.urls")),
    path("", include("crm.web.account_urls")),
    path("", include("crm.web.urls")),
]

# Under /api/, a failure outside an operation is still a JSON problem (crm/api/fallback.py).
handler500 = "crm.api.fallback.server_error"
