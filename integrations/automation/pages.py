"""The workspace page of the inbound lead URL: the URL to paste in a form builder, a new token."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from crm.errors import DomainError
from crm.web.access import signed_in_user, workspace_view
from integrations.automation.services import inbound_url_get_or_create, inbound_url_rotate
from integrations.webhooks.outbound.permissions import require_webhook_admin


@workspace_view
def inbound_page(request: HttpRequest) -> HttpResponse:
    """GET shows the URL (owners and admins: it is a credential); POST makes a new token."""
    workspace = request.workspace  # type: ignore[attr-defined]
    try:
        require_webhook_admin(workspace=workspace, user=signed_in_user(request))
    except DomainError as exc:
        return render(
            request, "integrations/webhooks/inbound.html", {"denied": exc.message}, status=403
        )
    if request.method == "POST":
        inbound_url_rotate(workspace=workspace)
        messages.success(request, "A new URL is made; the old one stopped working.")
        return redirect("integrations_webhooks:inbound", ws=workspace.slug)
    inbound = inbound_url_get_or_create(workspace=workspace)
    url = settings.SITE_URL + reverse("webhooks:inbound_lead", kwargs={"token": inbound.token})
    return render(request, "integrations/webhooks/inbound.html", {"inbound": inbound, "url": url})
