"""The workspace pages: endpoints, one endpoint with its log and buttons, the inbound URL."""

from __future__ import annotations

import pytest
from django.test import Client

from integrations.automation.models import InboundLeadUrl
from integrations.webhooks.outbound.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

BASE = "/w/acme/integrations"


@pytest.fixture
def member_web(member):
    client = Client()
    client.force_login(member)
    return client


def test_an_admin_adds_an_endpoint_and_sees_the_secret_once(web, receiver):
    answer = web.post(
        f"{BASE}/webhooks/",
        {"url": receiver.url, "event_types": ["lead.created"], "include_imported": "on"},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert answer.status_code == 302
    page = web.get(answer["Location"]).content.decode()
    assert endpoint.secret in page
    assert endpoint.secret not in web.get(answer["Location"]).content.decode()
    assert endpoint.event_types == ["lead.created"]
    assert receiver.url in web.get(f"{BASE}/webhooks/").content.decode()


def test_a_refused_url_shows_the_reason(web, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = []
    answer = web.post(f"{BASE}/webhooks/", {"url": "http://127.0.0.1:9/h"})
    assert answer.status_code == 422
    assert "private" in answer.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_log_shows_attempts_and_the_buttons_work(
    web, receiver, endpoint_for, new_lead, deliver
):
    endpoint = endpoint_for(receiver, "lead.created")
    receiver.answer((500, 0))
    new_lead()
    deliver()
    page = web.get(f"{BASE}/webhooks/{endpoint.pk}/").content.decode()
    assert "HTTP 500" in page and "receiver says no" in page

    web.post(f"{BASE}/webhooks/{endpoint.pk}/test/")
    assert receiver.ok[-1].json["type"] == "webhook.test"

    web.post(f"{BASE}/webhooks/{endpoint.pk}/rotate-secret/")
    endpoint.refresh_from_db()
    assert endpoint.secret in web.get(f"{BASE}/webhooks/{endpoint.pk}/").content.decode()

    delivery = WebhookDelivery.objects.exclude(event_type="webhook.test").get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    web.post(f"{BASE}/webhooks/deliveries/{delivery.pk}/replay/")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING

    web.post(f"{BASE}/webhooks/{endpoint.pk}/delete/")
    assert not WebhookEndpoint.objects.exists()


def test_members_read_the_log_but_change_nothing(member_web, receiver, endpoint_for):
    endpoint = endpoint_for(receiver)
    assert member_web.get(f"{BASE}/webhooks/{endpoint.pk}/").status_code == 200
    member_web.post(f"{BASE}/webhooks/{endpoint.pk}/delete/")
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert member_web.post(f"{BASE}/webhooks/", {"url": receiver.url}).status_code == 403
    assert member_web.get(f"{BASE}/inbound/").status_code == 403


def test_another_workspaces_endpoint_is_a_404(web, other_workspace, stranger, receiver):
    from integrations.webhooks.outbound.endpoints import endpoint_create

    theirs, _ = endpoint_create(workspace=other_workspace, url=receiver.url, created_by=stranger)
    assert web.get(f"{BASE}/webhooks/{theirs.pk}/").status_code == 404
    assert web.post(f"{BASE}/webhooks/{theirs.pk}/delete/").status_code == 404


def test_the_inbound_page_shows_the_url_and_makes_a_new_one(web, workspace):
    page = web.get(f"{BASE}/inbound/").content.decode()
    token = InboundLeadUrl.objects.get(workspace=workspace).token
    assert f"/hooks/leads/{token}/" in page
    web.post(f"{BASE}/inbound/")
    assert InboundLeadUrl.objects.get(workspace=workspace).token != token


def test_settings_link_to_webhooks_and_the_inbound_url(web):
    page = web.get("/w/acme/settings/").content.decode()
    assert f"{BASE}/webhooks/" in page and f"{BASE}/inbound/" in page
