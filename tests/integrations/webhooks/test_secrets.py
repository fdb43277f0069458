"""Endpoint secrets: Standard Webhooks format, encrypted at rest, rotated with 24 h overlap."""

from __future__ import annotations

import base64
import datetime as dt

import time_machine
from django.db import connection
from django.utils import timezone

from integrations.webhooks.outbound.endpoints import endpoint_rotate_secret
from integrations.webhooks.outbound.models import WebhookEndpoint


def test_a_secret_is_whsec_and_32_random_bytes_stored_encrypted(receiver, endpoint_for):
    endpoint = endpoint_for(receiver)
    secret = receiver.secrets[0]
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT secret FROM {WebhookEndpoint._meta.db_table} WHERE id = %s", [endpoint.pk]
        )
        stored = cur.fetchone()[0]
    assert secret not in stored and secret.removeprefix("whsec_") not in stored


def test_during_a_rotation_both_secrets_sign_for_24_hours(
    receiver, endpoint_for, new_lead, deliver
):
    endpoint = endpoint_for(receiver, "lead.created")
    old = receiver.secrets.pop()
    new = endpoint_rotate_secret(endpoint=endpoint)
    assert new != old

    for secret in (old, new):  # a receiver holding either one accepts the delivery
        receiver.secrets = [secret]
        new_lead()
        deliver()
        assert receiver.received[-1].verified
        assert len(receiver.received[-1].headers["webhook-signature"].split(" ")) == 2

    with time_machine.travel(timezone.now() + dt.timedelta(hours=24, minutes=1)):
        receiver.secrets = [old]
        receiver.answer((200, 0))
        new_lead()
        deliver()
        last = receiver.received[-1]
        assert not last.verified  # the old secret no longer signs
        assert last.headers["webhook-signature"].count("v1,") == 1
        receiver.secrets = [new]
        assert receiver.verify(last.headers, last.body)
