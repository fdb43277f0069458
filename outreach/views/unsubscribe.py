"""The public unsubscribe endpoint of every email's List-Unsubscribe header and footer link.

GET only shows a confirmation page (scanners and mail filters open links by themselves); its
button POSTs the form proof. A POST unsubscribes with the RFC 8058 one-click body
``List-Unsubscribe=One-Click`` (no cookie and no CSRF token: the signed token is the proof) or
with that form's proof; any other POST is a 400 that changes nothing. A forged token is a 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from outreach.services.unsubscribe import (
    unsubscribe_form_proof,
    unsubscribe_form_proof_valid,
    unsubscribe_lead_for_token,
    unsubscribe_with_token,
)

NOT_A_REQUEST = (
    "This request does not ask to unsubscribe: a one-click unsubscribe posts "
    "List-Unsubscribe=One-Click, a person presses the button on this page. Nobody was unsubscribed."
)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    lead = unsubscribe_lead_for_token(token=token)
    if lead is None or not lead.email:
        raise Http404("This unsubscribe link is not valid.")
    email = lead.email
    if request.method == "GET":
        return _confirmation(request, token, email=email, error="", status=200)
    if request.POST.get("List-Unsubscribe") == "One-Click":
        unsubscribe_with_token(token=token)
        return HttpResponse("Unsubscribed.", content_type="text/plain")
    if unsubscribe_form_proof_valid(token=token, proof=request.POST.get("confirm", "")):
        unsubscribe_with_token(token=token)
        return _noindex(render(request, "outreach/unsubscribed.html", {"email": email}))
    return _confirmation(request, token, email=email, error=NOT_A_REQUEST, status=400)


def _confirmation(
    request: HttpRequest, token: str, *, email: str, error: str, status: int
) -> HttpResponse:
    context = {"email": email, "proof": unsubscribe_form_proof(token=token), "error": error}
    return _noindex(render(request, "outreach/unsubscribe_confirm.html", context, status=status))


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    return response
