"""The Celery side: beat runs a delivery pass every 5 seconds and purges old idempotency keys."""

from __future__ import annotations

from integrations.schedule import BEAT_SCHEDULE
from integrations.tasks import webhooks_deliver_task


def test_beat_runs_a_delivery_pass_every_five_seconds():
    entries = {entry["task"]: entry for entry in BEAT_SCHEDULE.values()}
    assert entries["integrations.webhooks_deliver"]["schedule"] == 5.0
    assert "integrations.idempotency_purge" in entries


def test_the_task_delivers_what_is_pending(receiver, endpoint_for, new_lead):
    endpoint_for(receiver, "lead.created")
    new_lead()
    assert webhooks_deliver_task.delay().get() == {"delivered": 1, "failed": 0, "retry_later": 0}
    assert receiver.ok[0].json["type"] == "lead.created"
