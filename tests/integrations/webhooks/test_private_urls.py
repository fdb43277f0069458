"""Private addresses: refused when an endpoint is made, and again when a delivery is sent."""

from __future__ import annotations

import pytest

from crm.errors import ValidationFailed
from integrations.webhooks.outbound.endpoints import endpoint_create
from integrations.webhooks.outbound.models import DeliveryStatus, WebhookAttempt, WebhookDelivery


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "https://localhost/hook",
        "https://10.0.0.5/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://2130706433/hook",
        "ftp://example.com/hook",
    ],
)
def test_a_private_or_odd_url_is_refused_at_creation(workspace, owner, url, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = []
    with pytest.raises(ValidationFailed) as refused:
        endpoint_create(workspace=workspace, url=url, created_by=owner)
    assert "url" in refused.value.errors


def test_plain_http_to_a_public_host_is_refused(workspace, owner):
    with pytest.raises(ValidationFailed, match="https"):
        endpoint_create(workspace=workspace, url="http://93.184.215.14/hook", created_by=owner)


def test_a_host_on_the_allow_list_is_accepted(workspace, owner, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = ["127.0.0.0/8"]
    endpoint, _ = endpoint_create(
        workspace=workspace, url="http://127.0.0.1:9/hook", created_by=owner
    )
    assert endpoint.pk


def test_an_address_that_became_private_is_refused_at_delivery(
    receiver, endpoint_for, new_lead, deliver, settings
):
    endpoint_for(receiver, "lead.created")
    settings.OUTBOUND_ALLOW_PRIVATE = []  # the admin took it off the list
    new_lead()

    assert deliver() == {"delivered": 0, "failed": 0, "retry_later": 1}
    assert receiver.received == []
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert "private" in attempt.error
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING
