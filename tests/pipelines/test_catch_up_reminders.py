import datetime as dt

import time_machine
from django.utils import timezone

from crm.models import Task, TaskKind
from pipelines.services import (
    catch_up_reminders_create,
    conversation_log,
    pipeline_settings_update,
    rule_customer_paid,
)
from pipelines.tasks import catch_up_reminders

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _customer_since(entry, actor, when):
    with time_machine.travel(when, tick=False):
        rule_customer_paid(lead=entry.lead, actor=actor)


def test_no_reminder_before_30_days_then_one(workspace, entry, actor):
    _customer_since(entry, actor, START)
    with time_machine.travel(START + dt.timedelta(days=29), tick=False):
        assert catch_up_reminders_create(workspace=workspace) == 0
    with time_machine.travel(START + dt.timedelta(days=31), tick=False):
        assert catch_up_reminders_create(workspace=workspace) == 1
        assert catch_up_reminders_create(workspace=workspace) == 0
    task = Task.objects.get(kind=TaskKind.CATCH_UP)
    assert task.lead == entry.lead and task.title.startswith("Catch up with")


def test_a_conversation_restarts_the_clock(workspace, entry, actor):
    _customer_since(entry, actor, START)
    with time_machine.travel(START + dt.timedelta(days=20), tick=False):
        conversation_log(lead=entry.lead, kind="call", actor=actor)
    with time_machine.travel(START + dt.timedelta(days=40), tick=False):
        assert catch_up_reminders_create(workspace=workspace) == 0
    with time_machine.travel(START + dt.timedelta(days=51), tick=False):
        assert catch_up_reminders_create(workspace=workspace) == 1


def test_the_interval_is_per_workspace(workspace, entry, actor):
    pipeline_settings_update(workspace=workspace, data={"catch_up_after_days": 7})
    _customer_since(entry, actor, START)
    with time_machine.travel(START + dt.timedelta(days=8), tick=False):
        assert catch_up_reminders_create(workspace=workspace) == 1


def test_reminders_can_be_switched_off(workspace, entry, actor):
    pipeline_settings_update(workspace=workspace, data={"catch_up_reminders": False})
    _customer_since(entry, actor, START)
    with time_machine.travel(START + dt.timedelta(days=90), tick=False):
        assert catch_up_reminders_create(workspace=workspace) == 0


def test_the_beat_task_sweeps_every_workspace(workspace, other_workspace, entry, actor):
    _customer_since(entry, actor, START)
    with time_machine.travel(START + dt.timedelta(days=31), tick=False):
        assert catch_up_reminders.delay().get() == 1
        assert Task.objects.get(kind=TaskKind.CATCH_UP).due_at == timezone.now()
