"""/api/docs: the address DESIGN.md promises, sending people to the versioned docs page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse


def docs_redirect(request: HttpRequest) -> HttpResponseRedirect:
    # A temporary redirect: /api/docs follows whichever version is current.
    return HttpResponseRedirect(reverse("api:openapi-view"))
