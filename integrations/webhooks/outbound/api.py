"""/webhooks/endpoints, /webhooks/deliveries, /hooks (REST hooks for Zapier and Make) and
/events/types: outbound webhooks of a workspace."""

from __future__ import annotations

import json
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from ninja import Field, Query, Router
from ninja.responses import Status

from crm.api.caller import ApiRequest
from crm.api.schemas.common import ApiDateTime, QuerySchema, RecordId, errors
from crm.errors import NotFound, ValidationFailed
from integrations.webhooks.outbound.catalogue import event_catalogue
from integrations.webhooks.outbound.endpoints import (
    endpoint_create,
    endpoint_delete,
    endpoint_rotate_secret,
    endpoint_update,
)
from integrations.webhooks.outbound.passes import deliveries_send_due
from integrations.webhooks.outbound.permissions import require_webhook_admin
from integrations.webhooks.outbound.replay import (
    deliveries_replay_failed,
    delivery_replay,
    endpoint_send_test,
)
from integrations.webhooks.outbound.schemas import (
    DeliveryDetailOut,
    DeliveryOut,
    DeliveryPageOut,
    EndpointCreatedOut,
    EndpointIn,
    EndpointOut,
    EndpointPatch,
    EventTypeOut,
    HookIn,
    HookOut,
    ReplayIn,
    ReplayOut,
    SecretOut,
)
from integrations.webhooks.outbound.selectors import (
    deliveries_of,
    delivery_get,
    endpoint_get,
    endpoints_of,
)

router = Router(tags=["webhooks"])


def _kick_delivery() -> None:
    # Imported here: the tasks module imports every app's work lazily, by design.
    from integrations.tasks import webhooks_deliver_task

    transaction.on_commit(lambda: webhooks_deliver_task.delay())


EVENTS_DESCRIPTION = (
    "Every event type a webhook endpoint may subscribe to, with the body a receiver gets for "
    "it (the examples are listed under the 200 answer). Each delivery is a `POST` of "
    "`{type, timestamp, data}` signed per Standard Webhooks: `webhook-id` (the same on every "
    "retry), `webhook-timestamp` and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of "
    "`id.timestamp.body`, keyed with the base64-decoded bytes after `whsec_`). A lead is shown "
    "exactly as `GET /leads/{id}` returns it."
)


def _examples_markdown() -> str:
    parts = ["Every event type, with an example body:"]
    for kind in event_catalogue():
        example = json.dumps(kind["example"], indent=2)
        parts.append(f"**`{kind['name']}`**: {kind['description']}\n\n```json\n{example}\n```")
    return "\n\n".join(parts)


class _CatalogueResponses(dict):  # type: ignore[type-arg]
    """The 200 answer's documentation, built when the schema is generated: apps register their
    event types at start-up, after this module is imported (ninja merges it key by key)."""

    def _built(self) -> dict[int, Any]:
        return {
            200: {
                "description": _examples_markdown(),
                "content": {"application/json": {"example": event_catalogue()}},
            }
        }

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._built())

    def __getitem__(self, key: int) -> Any:
        return self._built()[key]

    def __len__(self) -> int:
        return 1


@router.get(
    "/events/types",
    response={200: list[EventTypeOut], **errors()},
    summary="Event types, with an example of each",
    description=EVENTS_DESCRIPTION,
    openapi_extra={"responses": _CatalogueResponses()},
)
def event_types_list(request: ApiRequest):
    return event_catalogue()


# -- endpoints --------------------------------------------------------------------------------


@router.get(
    "/webhooks/endpoints",
    response={200: list[EndpointOut], **errors()},
    summary="Webhook endpoints",
)
def endpoints_list(request: ApiRequest):
    return list(endpoints_of(workspace=request.workspace))


@router.post(
    "/webhooks/endpoints",
    response={201: EndpointCreatedOut, **errors(403, 422)},
    summary="Add a webhook endpoint",
    description="Owners and admins. The answer carries the secret, shown this once. The URL "
    "must be https:// to a public host (or a host on the instance's private allow-list).",
)
def endpoint_create_view(request: ApiRequest, payload: EndpointIn):
    require_webhook_admin(workspace=request.workspace, user=request.user)
    endpoint, secret = endpoint_create(
        workspace=request.workspace,
        url=payload.url,
        created_by=request.user,
        description=payload.description,
        event_types=payload.event_types,
        include_imported=payload.include_imported,
        source="api",
    )
    out = EndpointOut.from_orm(endpoint).model_dump()
    return Status(201, {**out, "secret": secret})


@router.get(
    "/webhooks/endpoints/{endpoint_id}",
    response={200: EndpointOut, **errors(404)},
    summary="A webhook endpoint (never its secret)",
)
def endpoint_detail(request: ApiRequest, endpoint_id: int):
    return endpoint_get(workspace=request.workspace, endpoint_id=endpoint_id)


@router.patch(
    "/webhooks/endpoints/{endpoint_id}",
    response={200: EndpointOut, **errors(403, 404, 422)},
    summary="Change a webhook endpoint",
    description="Owners and admins. Only the fields sent change; `enabled: false` fails its "
    "pending deliveries (replay them later), `enabled: true` clears the disabled reason.",
)
def endpoint_update_view(request: ApiRequest, endpoint_id: int, payload: EndpointPatch):
    endpoint = endpoint_get(workspace=request.workspace, endpoint_id=endpoint_id)
    require_webhook_admin(workspace=request.workspace, user=request.user)
    return endpoint_update(endpoint=endpoint, data=payload.dict(exclude_unset=True))


@router.delete(
    "/webhooks/endpoints/{endpoint_id}",
    response={204: None, **errors(403, 404)},
    summary="Delete a webhook endpoint and its delivery log",
)
def endpoint_delete_view(request: ApiRequest, endpoint_id: int):
    endpoint = endpoint_get(workspace=request.workspace, endpoint_id=endpoint_id)
    require_webhook_admin(workspace=request.workspace, user=request.user)
    endpoint_delete(endpoint=endpoint)
    return Status(204, None)


@router.post(
    "/webhooks/endpoints/{endpoint_id}/rotate-secret",
    response={200: SecretOut, **errors(403, 404)},
    summary="Rotate the endpoint's secret",
    description="The new secret is shown once; for 24 hours deliveries carry a signature "
    "with each secret, so the receiver can switch without losing events.",
)
def endpoint_rotate_view(request: ApiRequest, endpoint_id: int):
    endpoint = endpoint_get(workspace=request.workspace, endpoint_id=endpoint_id)
    require_webhook_admin(workspace=request.workspace, user=request.user)
    secret = endpoint_rotate_secret(endpoint=endpoint)
    return {"secret": secret, "previous_valid_until": endpoint.previous_secret_expires_at}


@router.post(
    "/webhooks/endpoints/{endpoint_id}/test",
    response={200: DeliveryDetailOut, **errors(403, 404, 409)},
    summary="Send a test event now",
    description="A `webhook.test` message, sent while you wait (at most WEBHOOK_TIMEOUT "
    "seconds) and not retried; the answer shows the attempt.",
)
def endpoint_test_view(request: ApiRequest, endpoint_id: int):
    endpoint = endpoint_get(workspace=request.workspace, endpoint_id=endpoint_id)
    require_webhook_admin(workspace=request.workspace, user=request.user)
    delivery = endpoint_send_test(endpoint=endpoint)
    deliveries_send_due(ids=[delivery.pk], senders=1)
    return delivery_get(workspace=request.workspace, delivery_id=delivery.pk)


@router.post(
    "/webhooks/endpoints/{endpoint_id}/replay",
    response={200: ReplayOut, **errors(403, 404, 409, 422)},
    summary="Send again every failed delivery of a time range",
    description="Failed deliveries created in [since, until) are queued again, each with its "
    "original `webhook-id` and a fresh retry schedule.",
)
def endpoint_replay_view(request: ApiRequest, endpoint_id: int, payload: ReplayIn):
    endpoint = endpoint_get(workspace=request.workspace, endpoint_id=endpoint_id)
    require_webhook_admin(workspace=request.workspace, user=request.user)
    if payload.until is not None and payload.until <= payload.since:
        raise ValidationFailed.field("until", "Must come after `since`.")
    queued = deliveries_replay_failed(endpoint=endpoint, since=payload.since, until=payload.until)
    if queued:
        _kick_delivery()
    return {"queued": queued}


# -- deliveries -------------------------------------------------------------------------------


class DeliveryQuery(QuerySchema):
    endpoint_id: RecordId | None = None
    status: Literal["pending", "delivered", "failed"] | None = None
    since: ApiDateTime | None = None
    until: ApiDateTime | None = None
    before: RecordId | None = Field(None, description="`next_before` of the previous page.")
    limit: int = Field(50, ge=1)


@router.get(
    "/webhooks/deliveries",
    response={200: DeliveryPageOut, **errors(422)},
    summary="The delivery log, newest first",
)
def deliveries_list(request: ApiRequest, query: Query[DeliveryQuery]):
    limit = min(query.limit, settings.API_PAGE_SIZE_MAX)
    deliveries = deliveries_of(
        workspace=request.workspace,
        endpoint_id=query.endpoint_id,
        status=query.status or "",
        since=query.since,
        until=query.until,
    ).order_by("-id")
    if query.before is not None:
        deliveries = deliveries.filter(pk__lt=query.before)
    page = list(deliveries[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return {"items": page, "next_before": page[-1].pk if more else None}


@router.get(
    "/webhooks/deliveries/{delivery_id}",
    response={200: DeliveryDetailOut, **errors(404)},
    summary="One delivery: its body and every attempt",
)
def delivery_detail(request: ApiRequest, delivery_id: int):
    return delivery_get(workspace=request.workspace, delivery_id=delivery_id)


@router.post(
    "/webhooks/deliveries/{delivery_id}/replay",
    response={200: DeliveryOut, **errors(403, 404, 409)},
    summary="Send one delivery again",
    description="Same `webhook-id` and body, a fresh retry schedule.",
)
def delivery_replay_view(request: ApiRequest, delivery_id: int):
    delivery = delivery_get(workspace=request.workspace, delivery_id=delivery_id)
    require_webhook_admin(workspace=request.workspace, user=request.user)
    delivery = delivery_replay(delivery=delivery)
    _kick_delivery()
    return delivery


# -- REST hooks (Zapier, Make) ----------------------------------------------------------------


@router.post(
    "/hooks",
    response={201: HookOut, **errors(422)},
    summary="Subscribe a REST hook (Zapier, Make)",
    description="`{target_url, event}` → `{id, secret}`: the endpoint receives that one event "
    "type, signed like every webhook. Any member's API key may subscribe; `DELETE "
    "/hooks/{id}` unsubscribes.",
)
def hook_subscribe(request: ApiRequest, payload: HookIn):
    if not payload.event.strip():
        raise ValidationFailed.field("event", "Name one event type, e.g. lead.created.")
    endpoint, secret = endpoint_create(
        workspace=request.workspace,
        url=payload.target_url,
        created_by=request.user,
        description="REST hook",
        event_types=[payload.event],
        source="rest_hook",
    )
    return Status(201, {"id": endpoint.pk, "secret": secret})


@router.delete(
    "/hooks/{hook_id}",
    response={204: None, **errors(404)},
    summary="Unsubscribe a REST hook",
)
def hook_unsubscribe(request: ApiRequest, hook_id: int):
    endpoint = endpoint_get(workspace=request.workspace, endpoint_id=hook_id)
    if endpoint.source != "rest_hook":
        raise NotFound("No REST hook with this id (endpoints are deleted under /webhooks).")
    endpoint_delete(endpoint=endpoint)
    return Status(204, None)
