"""The public inbound lead URL: no login, no CSRF token; the secret token in the path is the
credential. JSON or a plain HTML form post; ``Idempotency-Key`` honoured for 24 hours."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from crm.api.schemas.leads import LeadOut
from crm.errors import DomainError
from crm.models import Lead, Tag
from integrations.automation.models import InboundLeadUrl
from integrations.automation.schemas import InboundLeadIn
from integrations.automation.services import inbound_lead_upsert
from integrations.idempotency.replay import idempotent_response

MAX_BODY_BYTES = 256 * 1024


def _problem(status: int, detail: str, errors: dict[str, list[str]] | None = None) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": errors or {}}, status=status)


def _body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return {k: v for k, v in request.POST.items() if v != ""}
    parsed = json.loads(request.body or b"{}")
    if not isinstance(parsed, dict):
        raise ValueError("not an object")
    return parsed


def _upsert(request: HttpRequest, inbound: InboundLeadUrl) -> HttpResponse:
    try:
        raw = _body(request)
    except (ValueError, UnicodeDecodeError):
        return _problem(400, "The body is not a JSON object.")
    try:
        payload = InboundLeadIn.model_validate(raw)
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for err in exc.errors():
            name = ".".join(str(p) for p in err.get("loc", ())) or "request"
            errors.setdefault(name, []).append(str(err.get("msg", "invalid")))
        return _problem(422, "Invalid lead.", errors)
    try:
        lead, created = inbound_lead_upsert(
            inbound=inbound, data=payload.model_dump(exclude_unset=True)
        )
    except DomainError as exc:
        return _problem(exc.status, exc.message, exc.errors)
    lead = (
        Lead.objects.prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("name")), "lists"
        )
        .select_related("company", "owner")
        .get(pk=lead.pk)
    )
    body = LeadOut.from_orm(lead).model_dump(mode="json")
    return JsonResponse(body, status=201 if created else 200)


@csrf_exempt
@require_POST
def inbound_lead(request: HttpRequest, token: str) -> HttpResponse:
    inbound = get_object_or_404(InboundLeadUrl.objects.select_related("workspace"), token=token)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
        return _problem(413, "The request body is too large.")
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return _upsert(request, inbound)
    return idempotent_response(
        workspace_id=inbound.workspace_id,
        key=key.strip(),
        request=request,
        produce=lambda: _upsert(request, inbound),
    )
