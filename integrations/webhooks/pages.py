"""The workspace page that connects Stripe: the URL to paste there, the secret to paste here."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from crm.errors import DomainError
from crm.web.access import signed_in_user, workspace_view
from integrations.webhooks.models import InboundWebhook, WebhookProvider
from integrations.webhooks.services import stripe_webhook_configure
from pipelines.permissions import require_admin


@workspace_view
def stripe_page(request: HttpRequest) -> HttpResponse:
    """GET shows the endpoint and what it received; POST (owners, admins) sets the secret."""
    workspace = request.workspace  # type: ignore[attr-defined]
    error, status = "", 200
    if request.method == "POST":
        try:
            require_admin(workspace=workspace, user=signed_in_user(request))
            stripe_webhook_configure(
                workspace=workspace, signing_secret=request.POST.get("signing_secret", "")
            )
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, "Stripe's signing secret is saved.")
            return redirect("integrations_webhooks:stripe", ws=workspace.slug)
    hook = InboundWebhook.objects.filter(
        workspace=workspace, provider=WebhookProvider.STRIPE
    ).first()
    url = (
        settings.SITE_URL + reverse("webhooks:stripe", kwargs={"token": hook.token})
        if hook
        else None
    )
    return render(
        request,
        "integrations/stripe.html",
        {"hook": hook, "url": url, "error": error},
        status=status,
    )
