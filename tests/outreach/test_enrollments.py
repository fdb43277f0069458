"""Enrolling leads: one mailbox for life, round-robin; skipped leads come back with a reason."""

from __future__ import annotations

import pytest

from crm.errors import Conflict
from crm.models import EmailStatus
from crm.selectors.leads import LeadFilters
from outreach.models import Enrollment, EnrollmentStatus
from outreach.services.enrollments import (
    enrollment_pause,
    enrollment_resume,
    enrollment_stop,
    enrollments_add,
    enrollments_add_from_filter,
    enrollments_add_from_list,
)
from outreach.services.mailboxes import mailbox_create
from outreach.services.sequences import sequence_create, step_add
from outreach.services.suppression import suppression_add
from tests.factories import LeadFactory, LeadListFactory
from tests.outreach.conftest import smtp_settings


def test_enrollments_go_round_robin_over_the_sequences_mailboxes(
    workspace, sending_domain, mailbox, smtp_server, actor
):
    second = mailbox_create(
        workspace=workspace,
        domain=sending_domain,
        address="two@mail.acme.test",
        data=smtp_settings(smtp_server),
    )
    sequence = sequence_create(workspace=workspace, name="RR", mailboxes=[mailbox, second])
    leads = LeadFactory.create_batch(5, workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk for lead in leads[:3]], actor=actor)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk for lead in leads[3:]], actor=actor)

    by_lead = dict(Enrollment.objects.values_list("lead_id", "mailbox_id"))
    assert [by_lead[lead.pk] for lead in leads] == [mailbox.pk, second.pk] * 2 + [mailbox.pk]


def test_leads_that_may_not_be_emailed_are_skipped_with_a_reason(
    workspace, sequence, actor, foreign_lead
):
    ok = LeadFactory(workspace=workspace)
    dnc = LeadFactory(workspace=workspace, do_not_contact=True)
    invalid = LeadFactory(workspace=workspace, email_status=EmailStatus.INVALID)
    no_email = LeadFactory(workspace=workspace, email=None)
    suppressed = LeadFactory(workspace=workspace, email="x@blocked.test")
    suppression_add(workspace=workspace, value="blocked.test", reason="manual")
    other = sequence_create(
        workspace=workspace, name="Other", mailboxes=list(sequence.mailboxes.all())
    )
    busy = LeadFactory(workspace=workspace)
    enrollments_add(sequence=other, lead_ids=[busy.pk], actor=actor)

    ids = [ok.pk, dnc.pk, invalid.pk, no_email.pk, suppressed.pk, busy.pk, foreign_lead.pk, ok.pk]
    report = enrollments_add(sequence=sequence, lead_ids=ids, actor=actor)

    assert len(report.added) == 1
    assert dict(report.skipped) == {
        dnc.pk: "do-not-contact",
        invalid.pk: "invalid email",
        no_email.pk: "no email address",
        suppressed.pk: "suppressed",
        busy.pk: "already active in another sequence",
        foreign_lead.pk: "not found",
    }


def test_a_lead_is_enrolled_once_per_sequence(workspace, sequence, lead, actor):
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    report = enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    assert report.skipped == [(lead.pk, "already in this sequence")]


def test_slots_come_from_the_lead_and_can_be_overridden(workspace, sequence, actor):
    lead = LeadFactory(workspace=workspace, slots={"slot1": "From import", "slot2": "Intro"})
    enrollments_add(
        sequence=sequence, lead_ids=[lead.pk], actor=actor, slots={lead.pk: {"slot1": "Typed"}}
    )
    assert Enrollment.objects.get().slots == {"slot1": "Typed", "slot2": "Intro"}


def test_it_enrolls_a_list_and_a_filter(workspace, sequence, actor):
    lead_list = LeadListFactory(workspace=workspace)
    listed = LeadFactory.create_batch(2, workspace=workspace)
    for lead in listed:
        lead_list.memberships.create(lead=lead)
    assert (
        len(enrollments_add_from_list(sequence=sequence, lead_list=lead_list, actor=actor).added)
        == 2
    )

    LeadFactory(workspace=workspace, country="Sweden")
    report = enrollments_add_from_filter(
        sequence=sequence, filters=LeadFilters(country="sweden"), actor=actor
    )
    assert len(report.added) == 1


def test_pause_resume_and_stop(workspace, sequence, lead, actor):
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    enrollment = Enrollment.objects.get()

    assert enrollment_pause(enrollment=enrollment).status == EnrollmentStatus.PAUSED
    assert enrollment_resume(enrollment=enrollment).status == EnrollmentStatus.ACTIVE
    assert enrollment_stop(enrollment=enrollment).status == EnrollmentStatus.STOPPED
    with pytest.raises(Conflict):
        enrollment_resume(enrollment=enrollment)


def test_a_sequence_without_mailboxes_takes_no_leads(workspace, lead, actor):
    from crm.errors import ValidationFailed

    sequence = sequence_create(workspace=workspace, name="Empty", mailboxes=[])
    step_add(sequence=sequence, subject="Hi", body="Hello")
    with pytest.raises(ValidationFailed):
        enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
