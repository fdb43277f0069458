"""Every router of the API, by URL prefix. Each app owns its router module."""

from ninja import Router

from crm.api.activities import router as activities_router
from crm.api.companies import router as companies_router
from crm.api.custom_fields import router as custom_fields_router
from crm.api.leads import router as leads_router
from crm.api.lists import router as lists_router
from crm.api.me import router as me_router
from crm.api.tags import router as tags_router
from crm.api.tasks import router as tasks_router
from integrations.ai.api import router as ai_router
from integrations.api import router as integrations_router
from integrations.feed.api import router as feed_router
from integrations.feed.engagement_api import router as engagements_router
from integrations.webhooks.api import router as webhooks_router
from integrations.webhooks.outbound.api import router as outbound_webhooks_router
from outreach.api import router as outreach_router
from pipelines.api import router as pipelines_router

ROUTERS: list[tuple[str, Router]] = [
    ("", me_router),
    ("", leads_router),
    ("", activities_router),
    ("", companies_router),
    ("", lists_router),
    ("", tags_router),
    ("", tasks_router),
    ("", custom_fields_router),
    ("", pipelines_router),
    ("", integrations_router),
    ("", feed_router),
    ("", engagements_router),
    ("", webhooks_router),
    ("", outbound_webhooks_router),
    ("", outreach_router),
    ("", ai_router),
]
