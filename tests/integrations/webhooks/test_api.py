"""The webhooks API: endpoints, deliveries and replay, REST hooks, the event catalogue."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from crm.events import event_types
from crm.services.api_keys import api_key_create
from integrations.webhooks.outbound.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint


@pytest.fixture
def member_api(workspace, member):
    _, token = api_key_create(workspace=workspace, user=member, name="member")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_catalogue_lists_every_type_with_an_example_body(api):
    answer = api.get("/api/v1/events/types")
    assert answer.status_code == 200
    listed = {t["name"]: t for t in answer.json()}
    assert set(listed) == {kind.name for kind in event_types()}
    created = listed["lead.created"]
    assert created["description"]
    assert created["example"]["type"] == "lead.created"
    assert created["example"]["data"]["lead"]["email"]


def test_the_openapi_document_shows_an_example_per_type(api):
    schema = api.get("/api/v1/openapi.json").json()
    answer = schema["paths"]["/api/v1/events/types"]["get"]["responses"]["200"]
    for kind in event_types():
        assert f"`{kind.name}`" in answer["description"]
    example = answer["content"]["application/json"]["example"]
    assert {t["name"] for t in example} == {kind.name for kind in event_types()}


def test_an_endpoint_is_created_with_its_secret_shown_once(api, receiver):
    answer = api.post(
        "/api/v1/webhooks/endpoints",
        {"url": receiver.url, "event_types": ["lead.created"], "description": "Slack"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert created["secret"].startswith("whsec_")
    again = api.get(f"/api/v1/webhooks/endpoints/{created['id']}").json()
    assert "secret" not in again
    assert again["event_types"] == ["lead.created"]
    assert "whsec_" not in api.get("/api/v1/webhooks/endpoints").content.decode()


def test_an_unknown_event_type_or_a_private_url_is_a_422(api, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = []
    for body in (
        {"url": "https://93.184.215.14/h", "event_types": ["lead.teleported"]},
        {"url": "https://127.0.0.1/h"},
    ):
        answer = api.post("/api/v1/webhooks/endpoints", body, content_type="application/json")
        assert answer.status_code == 422, answer.content
    assert not WebhookEndpoint.objects.exists()


def test_members_read_but_only_admins_change_endpoints(member_api, receiver, endpoint_for):
    endpoint = endpoint_for(receiver)
    assert member_api.get("/api/v1/webhooks/endpoints").status_code == 200
    body = {"url": receiver.url}
    assert (
        member_api.post(
            "/api/v1/webhooks/endpoints", body, content_type="application/json"
        ).status_code
        == 403
    )
    path = f"/api/v1/webhooks/endpoints/{endpoint.pk}"
    assert member_api.delete(path).status_code == 403
    assert member_api.post(f"{path}/rotate-secret").status_code == 403


def test_another_workspaces_endpoint_and_delivery_are_404(
    receiver, endpoint_for, new_lead, deliver, other_workspace, stranger
):
    endpoint = endpoint_for(receiver, "lead.created")
    new_lead()
    deliver()
    delivery = WebhookDelivery.objects.get()
    _, token = api_key_create(workspace=other_workspace, user=stranger, name="theirs")
    them = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert them.get(f"/api/v1/webhooks/endpoints/{endpoint.pk}").status_code == 404
    assert them.delete(f"/api/v1/webhooks/endpoints/{endpoint.pk}").status_code == 404
    assert them.get(f"/api/v1/webhooks/deliveries/{delivery.pk}").status_code == 404
    assert them.post(f"/api/v1/webhooks/deliveries/{delivery.pk}/replay").status_code == 404
    assert them.delete(f"/api/v1/hooks/{endpoint.pk}").status_code == 404
    assert them.get("/api/v1/webhooks/deliveries").json()["items"] == []


def test_patch_disables_and_enables_an_endpoint(api, receiver, endpoint_for):
    endpoint = endpoint_for(receiver)
    path = f"/api/v1/webhooks/endpoints/{endpoint.pk}"
    off = api.patch(path, {"enabled": False}, content_type="application/json").json()
    assert off["enabled"] is False and off["disabled_reason"] == "Disabled by hand."
    on = api.patch(
        path, {"enabled": True, "event_types": ["lead.deleted"]}, content_type="application/json"
    ).json()
    assert on["enabled"] is True and on["disabled_reason"] == ""
    assert on["event_types"] == ["lead.deleted"]


def test_rotating_returns_a_new_secret_once(api, receiver, endpoint_for):
    endpoint = endpoint_for(receiver)
    answer = api.post(f"/api/v1/webhooks/endpoints/{endpoint.pk}/rotate-secret")
    assert answer.status_code == 200
    secret = answer.json()["secret"]
    assert secret != receiver.secrets[0]
    assert api.get(f"/api/v1/webhooks/endpoints/{endpoint.pk}").json()["rotating_until"]


def test_the_delivery_log_shows_attempts_and_one_delivery_is_replayed(
    api, receiver, endpoint_for, new_lead, deliver, django_capture_on_commit_callbacks
):
    endpoint_for(receiver, "lead.created")
    receiver.answer(*[(500, 0)] * 8)
    new_lead()
    moment = timezone.now()
    for _ in range(8):
        with time_machine.travel(moment):
            deliver()
        moment += dt.timedelta(hours=11)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED

    page = api.get("/api/v1/webhooks/deliveries?status=failed").json()
    assert [d["id"] for d in page["items"]] == [delivery.pk]
    detail = api.get(f"/api/v1/webhooks/deliveries/{delivery.pk}").json()
    assert len(detail["log"]) == 8
    assert detail["log"][0]["status_code"] == 500
    assert detail["log"][0]["response_excerpt"] == "receiver says no"
    assert detail["log"][0]["duration_ms"] >= 0
    assert detail["body"].startswith('{"type":"lead.created"')

    with django_capture_on_commit_callbacks(execute=True):
        replayed = api.post(f"/api/v1/webhooks/deliveries/{delivery.pk}/replay")
    assert replayed.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED  # the kicked pass sent it
    assert receiver.received[-1].msg_id == receiver.received[0].msg_id


def test_all_failed_deliveries_of_a_time_range_are_replayed(
    api, receiver, endpoint_for, new_lead, deliver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver, "lead.created")
    for _ in range(3):
        new_lead()
    deliver()
    WebhookDelivery.objects.update(status=DeliveryStatus.FAILED)
    old = WebhookDelivery.objects.order_by("id").first()
    WebhookDelivery.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(
            f"/api/v1/webhooks/endpoints/{endpoint.pk}/replay",
            {"since": since},
            content_type="application/json",
        )
    assert answer.json() == {"queued": 2}
    statuses = dict(WebhookDelivery.objects.values_list("pk", "status"))
    assert statuses.pop(old.pk) == DeliveryStatus.FAILED
    assert set(statuses.values()) == {DeliveryStatus.DELIVERED}


def test_a_test_event_is_sent_at_once_and_shown(api, receiver, endpoint_for):
    endpoint = endpoint_for(receiver, "lead.created")
    answer = api.post(f"/api/v1/webhooks/endpoints/{endpoint.pk}/test")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "delivered"
    assert body["log"][0]["status_code"] == 200
    assert receiver.ok[0].json["type"] == "webhook.test"


def test_rest_hooks_subscribe_and_unsubscribe(member_api, receiver, new_lead, deliver):
    answer = member_api.post(
        "/api/v1/hooks",
        {"target_url": receiver.url, "event": "lead.created"},
        content_type="application/json",
    )
    assert answer.status_code == 201
    hook = answer.json()
    assert set(hook) == {"id", "secret"}
    receiver.secrets.append(hook["secret"])
    new_lead()
    deliver()
    assert receiver.ok[0].json["type"] == "lead.created"

    assert member_api.delete(f"/api/v1/hooks/{hook['id']}").status_code == 204
    assert not WebhookEndpoint.objects.exists()
    assert member_api.delete(f"/api/v1/hooks/{hook['id']}").status_code == 404


def test_a_rest_hook_for_an_unknown_event_is_a_422(api, receiver):
    answer = api.post(
        "/api/v1/hooks",
        {"target_url": receiver.url, "event": "deal.teleported"},
        content_type="application/json",
    )
    assert answer.status_code == 422


def test_the_hooks_delete_does_not_remove_settings_endpoints(api, receiver, endpoint_for):
    endpoint = endpoint_for(receiver)
    assert api.delete(f"/api/v1/hooks/{endpoint.pk}").status_code == 404
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
