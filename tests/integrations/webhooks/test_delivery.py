"""Delivering events: signed per Standard Webhooks, one message per subject, retried, disabled."""

from __future__ import annotations

import datetime as dt
import time

import time_machine
from django.core import mail
from django.utils import timezone

from crm.actors import Actor
from crm.events import events_record_batch
from crm.models import Event
from integrations.webhooks.outbound.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
)
from integrations.webhooks.outbound.outcome import BACKOFF


def test_a_new_lead_reaches_the_receiver_signed_and_shaped_like_the_api(
    receiver, endpoint_for, new_lead, deliver, api
):
    endpoint_for(receiver, "lead.created")
    lead = new_lead(title="CTO")

    assert deliver() == {"delivered": 1, "failed": 0, "retry_later": 0}

    [got] = receiver.received
    assert got.verified
    assert got.msg_id == f"evt_{Event.objects.get(type='lead.created').pk}"
    assert abs(int(got.headers["webhook-timestamp"]) - time.time()) < 30
    body = got.json
    assert body["type"] == "lead.created"
    assert body["timestamp"].endswith("Z")
    assert body["data"]["lead"] == api.get(f"/api/v1/leads/{lead.pk}").json()


def test_only_the_types_an_endpoint_listens_to_are_sent(
    receiver, endpoint_for, new_lead, deliver, workspace
):
    endpoint_for(receiver, "lead.deleted")
    new_lead()
    deliver()
    assert receiver.received == []
    assert not Event.objects.filter(workspace=workspace, dispatched_at__isnull=True).exists()


def test_a_batch_event_is_one_message_per_lead_with_its_own_id(
    receiver, endpoint_for, new_lead, deliver, workspace, owner
):
    endpoint_for(receiver, "lead.created")
    leads = [new_lead() for _ in range(3)]
    Event.objects.update(dispatched_at=timezone.now())  # only the batch below
    event = events_record_batch(
        type="lead.created",
        workspace_id=workspace.pk,
        actor=Actor.of_user(owner),
        subject_ids=[lead.pk for lead in leads],
        origin="import",
    )

    assert deliver()["delivered"] == 3
    assert sorted(r.msg_id for r in receiver.ok) == sorted(
        f"evt_{event.pk}_{lead.pk}" for lead in leads
    )
    assert {r.json["data"]["lead"]["id"] for r in receiver.ok} == {lead.pk for lead in leads}


def test_leads_from_imports_can_be_left_out(
    receiver, endpoint_for, new_lead, deliver, workspace, owner
):
    endpoint_for(receiver, "lead.created", include_imported=False)
    lead = new_lead()
    Event.objects.update(dispatched_at=timezone.now())
    events_record_batch(
        type="lead.created",
        workspace_id=workspace.pk,
        actor=Actor.of_user(owner),
        subject_ids=[lead.pk],
        origin="import",
    )
    deliver()
    assert receiver.received == []


def test_a_500_is_retried_after_the_back_off_with_the_same_id(
    receiver, endpoint_for, new_lead, deliver
):
    endpoint_for(receiver, "lead.created")
    receiver.answer((500, 0))
    new_lead()

    assert deliver() == {"delivered": 0, "failed": 0, "retry_later": 1}
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_status_code == 500
    wait = delivery.next_attempt_at - WebhookAttempt.objects.get().started_at
    assert BACKOFF[0] <= wait < BACKOFF[0] + dt.timedelta(seconds=2)
    assert deliver()["delivered"] == 0  # not due yet

    with time_machine.travel(timezone.now() + dt.timedelta(seconds=6)):
        assert deliver() == {"delivered": 1, "failed": 0, "retry_later": 0}
    first, second = receiver.received
    assert first.msg_id == second.msg_id
    assert first.body == second.body
    assert first.verified and second.verified
    attempts = list(WebhookAttempt.objects.order_by("started_at"))
    assert [a.status_code for a in attempts] == [500, 200]
    assert attempts[0].response_excerpt == "receiver says no"


def test_a_receiver_that_does_not_answer_in_time_is_retried(
    receiver, endpoint_for, new_lead, deliver, settings
):
    settings.WEBHOOK_TIMEOUT = 1
    endpoint_for(receiver, "lead.created")
    receiver.answer((200, 3))  # answers too late
    new_lead()

    assert deliver() == {"delivered": 0, "failed": 0, "retry_later": 1}
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert "timed out" in attempt.error.lower() or "timeout" in attempt.error.lower()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=6)):
        assert deliver()["delivered"] == 1
    assert len({r.msg_id for r in receiver.received}) == 1


def test_retries_follow_the_schedule_then_the_delivery_fails(
    receiver, endpoint_for, new_lead, deliver
):
    endpoint_for(receiver, "lead.created")
    receiver.answer(*[(503, 0)] * (len(BACKOFF) + 1))
    new_lead()
    moment = timezone.now()
    for delay in BACKOFF:
        with time_machine.travel(moment):
            assert deliver()["retry_later"] == 1
        moment += delay + dt.timedelta(seconds=1)
    with time_machine.travel(moment):
        assert deliver() == {"delivered": 0, "failed": 1, "retry_later": 0}
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == len(BACKOFF) + 1


def test_an_endpoint_failing_for_five_days_is_disabled_and_its_creator_told(
    receiver, endpoint_for, new_lead, deliver, owner, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver, "lead.created")
    receiver.answer(*[(500, 0)] * 50)
    start = timezone.now()
    with time_machine.travel(start):
        new_lead()
        deliver()
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.failing_since is not None

    with time_machine.travel(start + dt.timedelta(days=4, hours=23)):
        new_lead()
        deliver()
    endpoint.refresh_from_db()
    assert endpoint.enabled

    with (
        time_machine.travel(start + dt.timedelta(days=5, minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        new_lead()
        deliver()
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert "5 days" in endpoint.disabled_reason
    assert not WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).exists()
    [message] = mail.outbox
    assert message.to == [owner.email]
    assert endpoint.url in message.subject

    sent = len(receiver.received)
    new_lead()
    deliver()
    assert len(receiver.received) == sent  # nothing goes to a disabled endpoint


def test_a_success_ends_the_failure_streak(receiver, endpoint_for, new_lead, deliver):
    endpoint = endpoint_for(receiver, "lead.created")
    receiver.answer((500, 0))
    new_lead()
    deliver()
    endpoint.refresh_from_db()
    assert endpoint.failing_since is not None
    new_lead()
    deliver()
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None


def test_410_gone_disables_the_endpoint_at_once(receiver, endpoint_for, new_lead, deliver):
    endpoint = endpoint_for(receiver, "lead.created")
    receiver.answer((410, 0))
    new_lead()
    assert deliver() == {"delivered": 0, "failed": 0, "retry_later": 1}
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert "410" in endpoint.disabled_reason
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED


def test_a_redirect_is_a_failure_and_is_not_followed(receiver, endpoint_for, new_lead, deliver):
    endpoint_for(receiver, "lead.created")
    receiver.answer((302, 0))
    new_lead()
    assert deliver()["retry_later"] == 1
    assert len(receiver.received) == 1
    assert "Redirects" in WebhookAttempt.objects.get().error


def test_a_leased_delivery_is_not_sent_twice_until_the_lease_times_out(
    receiver, endpoint_for, new_lead, deliver
):
    from integrations.webhooks.outbound.claim import deliveries_claim, lease_timeout
    from integrations.webhooks.outbound.passes import outbox_dispatch

    endpoint_for(receiver, "lead.created")
    new_lead()
    outbox_dispatch()
    [claimed] = deliveries_claim(worker="dead", limit=10, due_before=timezone.now())
    assert deliveries_claim(worker="other", limit=10, due_before=timezone.now()) == []
    assert deliver()["delivered"] == 0
    with time_machine.travel(timezone.now() + lease_timeout() + dt.timedelta(seconds=1)):
        assert deliver()["delivered"] == 1
    assert receiver.ok[0].msg_id == claimed.msg_id
