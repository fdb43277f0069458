"""Sequence activation refuses what would fail at send time, and says exactly what and who."""

from __future__ import annotations

import pytest

from crm.errors import ValidationFailed
from crm.services.custom_fields import custom_field_define
from outreach.models import SequenceStatus
from outreach.services.enrollments import enrollments_add
from outreach.services.sequences import (
    sequence_activate,
    sequence_create,
    sequence_problems,
    step_add,
    variant_add,
)
from tests.factories import LeadFactory


@pytest.fixture
def draft(workspace, mailbox):
    return sequence_create(workspace=workspace, name="Draft", mailboxes=[mailbox])


def test_it_refuses_unknown_variables_naming_the_step(draft):
    step_add(sequence=draft, subject="Hi {{frist_name}}", body="{{slot1}}")
    with pytest.raises(ValidationFailed) as exc:
        sequence_activate(sequence=draft)
    assert exc.value.errors["variables"] == ["step 1 A: unknown variable {{frist_name}}"]


def test_it_lists_the_leads_whose_required_slot_is_empty(workspace, draft, actor):
    step_add(sequence=draft, subject="{{slot1}}", body="Hi {{first_name|there}}, {{slot2|}}")
    ready = LeadFactory(workspace=workspace, slots={"slot1": "About your Q3 hiring"})
    empty = LeadFactory(workspace=workspace, first_name="Bo", last_name="Ek")
    enrollments_add(sequence=draft, lead_ids=[ready.pk, empty.pk], actor=actor)

    problems = sequence_problems(sequence=draft)

    assert problems == {"leads": [f"lead {empty.pk} (Bo Ek): no slot1"]}


def test_custom_fields_are_known_variables(workspace, draft):
    custom_field_define(workspace=workspace, key="tier", label="Tier")
    step_add(sequence=draft, subject="For {{custom.tier|you}}", body="Hi")
    assert sequence_activate(sequence=draft).status == SequenceStatus.ACTIVE


def test_a_sequence_needs_steps_and_mailboxes(workspace):
    empty = sequence_create(workspace=workspace, name="Empty", mailboxes=[])
    assert set(sequence_problems(sequence=empty)) == {"steps", "mailboxes"}


def test_variants_split_enrollments_evenly(workspace, draft, actor):
    from outreach.models import Enrollment
    from outreach.rendering.compose import variant_for

    step = step_add(sequence=draft, subject="A subject", body="A body")
    variant_add(step=step, label="B", subject="B subject", body="B body")
    leads = LeadFactory.create_batch(10, workspace=workspace)
    enrollments_add(sequence=draft, lead_ids=[lead.pk for lead in leads], actor=actor)

    labels = [variant_for(step, e).label for e in Enrollment.objects.all()]
    assert labels.count("A") == labels.count("B") == 5


def test_a_malformed_template_is_refused_when_written(draft):
    with pytest.raises(ValidationFailed) as exc:
        step_add(sequence=draft, subject="Hi {{first_name", body="x")
    assert "subject" in exc.value.errors


def test_the_first_step_cannot_reply_in_a_thread(draft):
    with pytest.raises(ValidationFailed):
        step_add(sequence=draft, subject="", body="x", same_thread=True)
