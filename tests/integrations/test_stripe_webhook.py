"""Stripe tells Kindling a lead paid: signed events only, once per event, in the right workspace."""

from __future__ import annotations

import json
import time

import pytest
from django.db import connection
from django.test import Client

from crm.services.api_keys import api_key_create
from integrations.webhooks.models import InboundWebhook
from integrations.webhooks.services import stripe_webhook_configure
from integrations.webhooks.stripe import signature_header
from pipelines.models import PipelineEntry, StageChange
from pipelines.services import entries_place_new_leads, pipeline_create_default
from tests.crm.api.calls import JSON, get
from tests.factories import LeadFactory

SECRET = "whsec_test_0123456789abcdefghij"


@pytest.fixture
def hook(workspace):
    return stripe_webhook_configure(workspace=workspace, signing_secret=SECRET)


@pytest.fixture
def prospect(workspace, actor):
    pipeline_create_default(workspace=workspace)
    lead = LeadFactory(workspace=workspace, email="cfo@initech.example")
    entries_place_new_leads(workspace=workspace, lead_ids=[lead.pk], actor=actor)
    return lead


def _checkout(event_id: str = "evt_1", email: str = "CFO@Initech.example", amount: int = 490000):
    return {
        "id": event_id,
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "payment_status": "paid",
                "customer_details": {"email": email},
                "amount_total": amount,
                "currency": "eur",
            }
        },
    }


def _deliver(hook, event, *, secret: str = SECRET, timestamp: int | None = None, header=None):  # type: ignore[no-untyped-def]
    body = json.dumps(event).encode()
    signature = header or signature_header(
        payload=body, secret=secret, timestamp=timestamp or int(time.time())
    )
    return Client().post(
        f"/hooks/stripe/{hook.token}/", body, content_type=JSON, HTTP_STRIPE_SIGNATURE=signature
    )


def _entry(lead):
    return PipelineEntry.objects.select_related("stage").get(lead=lead)


def test_a_paid_checkout_makes_the_lead_a_customer_with_its_deal_value(hook, prospect):
    response = _deliver(hook, _checkout())
    assert response.status_code == 200
    assert response.json() == {
        "status": "customer",
        "detail": "The payer is a customer.",
        "lead_id": prospect.pk,
    }
    entry = _entry(prospect)
    assert entry.stage.kind == "customer"
    assert (entry.value_minor, entry.currency) == (490000, "EUR")
    change = StageChange.objects.filter(entry=entry).latest("id")
    # The customer rule moved it, on behalf of the Stripe integration.
    assert (change.actor_type, change.actor_name) == ("rule", "payment (Stripe)")


def test_a_retried_delivery_changes_nothing(hook, prospect):
    assert _deliver(hook, _checkout()).status_code == 200
    assert _deliver(hook, _checkout()).status_code == 200
    assert StageChange.objects.filter(entry__lead=prospect, to_stage__kind="customer").count() == 1
    hook.refresh_from_db()
    assert hook.events_received == 2


@pytest.mark.parametrize(
    "tamper",
    ["wrong secret", "old timestamp", "no header", "garbled header", "body changed"],
)
def test_an_unsigned_or_forged_event_is_refused(hook, prospect, tamper):
    event = _checkout()
    if tamper == "wrong secret":
        response = _deliver(hook, event, secret="whsec_someone_else_000000000")
    elif tamper == "old timestamp":
        response = _deliver(hook, event, timestamp=int(time.time()) - 3600)
    elif tamper == "no header":
        response = Client().post(f"/hooks/stripe/{hook.token}/", event, content_type=JSON)
    elif tamper == "garbled header":
        response = _deliver(hook, event, header="v1=,t=abc")
    else:
        signed_for = json.dumps(_checkout(amount=1)).encode()
        header = signature_header(payload=signed_for, secret=SECRET, timestamp=int(time.time()))
        response = _deliver(hook, event, header=header)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert _entry(prospect).stage.kind == "cold"


def test_other_events_and_unknown_payers_are_acknowledged_and_ignored(hook, prospect):
    refund = {"id": "evt_2", "type": "charge.refunded", "data": {"object": {"amount": 5}}}
    assert _deliver(hook, refund).json()["status"] == "ignored"
    stranger = _deliver(hook, _checkout("evt_3", email="nobody@else.example"))
    assert stranger.status_code == 200 and stranger.json()["status"] == "ignored"
    hook.refresh_from_db()
    assert "nobody@else.example" in hook.last_error
    assert _entry(prospect).stage.kind == "cold"


def test_invoice_and_charge_events_count_as_payments(hook, prospect, workspace):
    invoice = {
        "id": "evt_inv",
        "type": "invoice.paid",
        "data": {"object": {"customer_email": "cfo@initech.example", "amount_paid": 1200}},
    }
    assert _deliver(hook, invoice).json()["status"] == "customer"
    other = LeadFactory(workspace=workspace, email="ops@initech.example")
    charge = {
        "id": "evt_ch",
        "type": "charge.succeeded",
        "data": {"object": {"billing_details": {"email": other.email}, "amount": 300}},
    }
    assert _deliver(hook, charge).json() == {
        "status": "customer",
        "detail": "The payer is a customer.",
        "lead_id": other.pk,
    }


def test_a_payment_never_reaches_another_workspaces_lead(hook, other_workspace):
    foreign = LeadFactory(workspace=other_workspace, email="cfo@initech.example")
    assert _deliver(hook, _checkout()).json()["status"] == "ignored"
    assert not PipelineEntry.objects.filter(lead=foreign, stage__kind="customer").exists()


def test_an_unknown_endpoint_is_not_found_and_get_is_not_allowed(hook):
    assert Client().post("/hooks/stripe/nope/", {}, content_type=JSON).status_code == 404
    assert Client().get(f"/hooks/stripe/{hook.token}/").status_code == 405


def test_the_signing_secret_is_encrypted_at_rest_and_never_returned(hook, api):
    with connection.cursor() as cur:
        cur.execute("SELECT signing_secret FROM integrations_inboundwebhook")
        (stored,) = cur.fetchone()
    assert SECRET not in stored
    body = get(api, "/webhooks/stripe").json()
    assert body["configured"] is True
    assert body["url"].endswith(f"/hooks/stripe/{hook.token}/")
    assert SECRET not in json.dumps(body)


def test_owners_set_the_secret_members_cannot_and_bad_secrets_are_explained(api, workspace, member):
    assert get(api, "/webhooks/stripe").json() == {
        "configured": False,
        "url": None,
        "events_received": 0,
        "last_event_at": None,
        "last_error": "",
    }
    first = api.put("/api/v1/webhooks/stripe", {"signing_secret": SECRET}, content_type=JSON)
    assert first.status_code == 200
    rolled = api.put(
        "/api/v1/webhooks/stripe",
        {"signing_secret": "whsec_rolled_abcdefghijklmnop"},
        content_type=JSON,
    )
    assert rolled.json()["url"] == first.json()["url"]
    assert InboundWebhook.objects.get(workspace=workspace).signing_secret.startswith("whsec_rol")
    bad = api.put("/api/v1/webhooks/stripe", {"signing_secret": "sk_live_x"}, content_type=JSON)
    assert bad.status_code == 422
    assert "whsec_" in bad.json()["detail"]
    _, token = api_key_create(workspace=workspace, user=member, name="member")
    as_member = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    refused = as_member.put(
        "/api/v1/webhooks/stripe", {"signing_secret": SECRET}, content_type=JSON
    )
    assert refused.status_code == 403


def test_the_stripe_page_connects_a_workspace(web, workspace):
    page = "/w/acme/integrations/stripe/"
    assert "Save the signing secret first" in web.get(page).content.decode()
    bad = web.post(page, {"signing_secret": "nope"})
    assert bad.status_code == 422 and "whsec_" in bad.content.decode()
    saved = web.post(page, {"signing_secret": SECRET}, follow=True)
    hook = InboundWebhook.objects.get(workspace=workspace)
    html = saved.content.decode()
    assert f"/hooks/stripe/{hook.token}/" in html
    assert SECRET not in html


def test_members_cannot_change_the_secret_and_strangers_see_nothing(
    client, workspace, member, stranger, other_workspace
):
    client.force_login(member)
    refused = client.post("/w/acme/integrations/stripe/", {"signing_secret": SECRET})
    assert refused.status_code == 403
    assert not InboundWebhook.objects.exists()
    client.force_login(stranger)
    assert client.get("/w/acme/integrations/stripe/").status_code == 404
