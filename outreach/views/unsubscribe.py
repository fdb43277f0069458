"""The public unsubscribe endpoint of every email's List-Unsubscribe header.

POST is RFC 8058 one-click (a mail client posts ``List-Unsubscribe=One-Click``, with no cookie
and no CSRF token: the signed token is the proof); GET is a person clicking the link in the
body. Both suppress the address; a forged token is a 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from outreach.services.unsubscribe import unsubscribe_with_token


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    lead = unsubscribe_with_token(token=token)
    if lead is None:
        raise Http404("This unsubscribe link is not valid.")
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click":
        return HttpResponse("Unsubscribed.", content_type="text/plain")
    response = render(request, "outreach/unsubscribed.html", {"email": lead.email})
    response["X-Robots-Tag"] = "noindex"
    return response
