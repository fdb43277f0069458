"""Editing a sequence: steps and variants change, move and go, but never under a lead who
already received them; slots per enrollment; results per step and variant; the draft preview."""

from __future__ import annotations

import pytest
from django.utils import timezone

from crm.errors import Conflict, ValidationFailed
from outreach.models import Enrollment, EnrollmentStatus, InboundKind, InboundMessage
from outreach.selectors.previews import Draft, draft_preview
from outreach.selectors.results import sequence_results
from outreach.sending.planner import plan_due_sends
from outreach.services.enrollments import (
    enrollment_slots_update,
    enrollment_stop,
    enrollments_add,
    enrollments_bulk,
)
from outreach.services.replies import reply_mark_positive
from outreach.services.sequences import (
    sequence_activate,
    sequence_create,
    sequence_lead_gaps,
    sequence_stop,
)
from outreach.services.steps import (
    step_add,
    step_move,
    step_remove,
    step_save,
    step_update,
    variant_add,
    variant_next_label,
    variant_remove,
    variant_update,
)
from tests.factories import LeadFactory


@pytest.fixture
def draft(workspace, mailbox):
    return sequence_create(workspace=workspace, name="Draft", mailboxes=[mailbox])


def subjects(sequence):
    return [s.variants.first().subject for s in sequence.steps.order_by("position")]


def send_due_now(capture):
    with capture(execute=True):
        plan_due_sends(now=timezone.now())


def test_steps_swap_places(draft):
    step_add(sequence=draft, subject="One", body="1")
    two = step_add(sequence=draft, subject="Two", body="2")
    step_add(sequence=draft, subject="Three", body="3")
    step_move(step=two, direction=1)
    assert subjects(draft) == ["One", "Three", "Two"]
    step_move(step=two, direction=-1)
    step_move(step=two, direction=-1)
    assert subjects(draft) == ["Two", "One", "Three"]
    with pytest.raises(ValidationFailed):
        step_move(step=two, direction=-1)


def test_a_same_thread_step_cannot_become_first(draft):
    step_add(sequence=draft, subject="One", body="1")
    follow = step_add(sequence=draft, subject="", body="bump", same_thread=True)
    with pytest.raises(ValidationFailed) as exc:
        step_move(step=follow, direction=-1)
    assert "same_thread" in exc.value.errors
    with pytest.raises(ValidationFailed):
        step_remove(step=draft.steps.get(position=0))


def test_removing_a_step_closes_the_gap_for_waiting_leads(workspace, draft, actor):
    one = step_add(sequence=draft, subject="One", body="1")
    step_add(sequence=draft, subject="Two", body="2")
    step_add(sequence=draft, subject="Three", body="3")
    lead = LeadFactory(workspace=workspace)
    enrollments_add(sequence=draft, lead_ids=[lead.pk], actor=actor)
    Enrollment.objects.update(step_position=2)  # waiting for "Three"
    step_remove(step=draft.steps.get(position=1))
    assert subjects(draft) == ["One", "Three"]
    assert Enrollment.objects.get().step_position == 1
    assert one.variants.exists()


def test_a_step_or_variant_a_lead_received_stays(
    workspace, sequence, actor, django_capture_on_commit_callbacks
):
    lead = LeadFactory(workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    send_due_now(django_capture_on_commit_callbacks)
    first = sequence.steps.get(position=0)
    with pytest.raises(Conflict, match="already gone to 1 lead"):
        step_remove(step=first)
    with pytest.raises(Conflict):
        step_move(step=first, direction=1)
    variant_add(step=first, label="B", subject="Other", body="Other")
    with pytest.raises(Conflict):
        variant_remove(variant=first.variants.get(label="A"))
    # Its text may still change for the leads to come; what was sent keeps its own copy.
    variant_update(variant=first.variants.get(label="A"), subject="New", body="New body")
    assert lead.outbound_messages.get().subject != "New"


def test_the_last_variant_stays_and_labels_fill_gaps(draft):
    step = step_add(sequence=draft, subject="A", body="a")
    with pytest.raises(Conflict):
        variant_remove(variant=step.variants.get())
    variant_add(step=step, label=variant_next_label(step=step), subject="B", body="b")
    c = variant_add(step=step, label=variant_next_label(step=step), subject="C", body="c")
    variant_remove(variant=step.variants.get(label="B"))
    assert variant_next_label(step=step) == "B"
    assert c.label == "C"


def test_saving_a_step_checks_timing_and_text_together(draft):
    step_add(sequence=draft, subject="One", body="1")
    follow = step_add(sequence=draft, subject="", body="bump", same_thread=True)
    variant = follow.variants.get()
    # Leaving the thread needs a subject: both change in one save.
    step_save(
        step=follow,
        variant=variant,
        delay_days=2,
        business_days=True,
        same_thread=False,
        subject="A new thread",
        body="bump",
    )
    follow.refresh_from_db()
    assert (follow.same_thread, follow.delay_days, follow.business_days) == (False, 2, True)
    with pytest.raises(ValidationFailed) as exc:
        step_save(
            step=follow,
            variant=variant,
            delay_days=2,
            business_days=False,
            same_thread=False,
            subject="",
            body="x",
        )
    assert "subject" in exc.value.errors
    with pytest.raises(ValidationFailed):
        step_update(step=draft.steps.get(position=0), same_thread=True)


def test_lead_gaps_name_each_lead_and_what_it_lacks(workspace, draft, actor):
    step_add(sequence=draft, subject="{{slot1}}", body="{{slot3}} {{first_name|there}}")
    full = LeadFactory(workspace=workspace, slots={"slot1": "a", "slot3": "b"})
    empty = LeadFactory(workspace=workspace)
    enrollments_add(sequence=draft, lead_ids=[full.pk, empty.pk], actor=actor)
    gaps = sequence_lead_gaps(sequence=draft)
    assert [(g.lead_id, g.missing) for g in gaps] == [(empty.pk, ["slot1", "slot3"])]
    enrollment = Enrollment.objects.get(lead=empty)
    enrollment_slots_update(enrollment=enrollment, slots={"slot1": "x", "slot3": "y"})
    assert sequence_lead_gaps(sequence=draft) == []


def test_slots_of_an_ended_enrollment_are_refused(workspace, sequence, actor):
    lead = LeadFactory(workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[lead.pk], actor=actor)
    enrollment = enrollment_stop(enrollment=Enrollment.objects.get())
    with pytest.raises(Conflict):
        enrollment_slots_update(enrollment=enrollment, slots={"slot1": "x"})
    with pytest.raises(ValidationFailed):
        enrollment_slots_update(enrollment=enrollment, slots={"slot7": "x"})


def test_bulk_changes_report_what_could_not_change(workspace, sequence, actor):
    leads = LeadFactory.create_batch(3, workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[x.pk for x in leads], actor=actor)
    ids = list(Enrollment.objects.order_by("id").values_list("id", flat=True))
    enrollment_stop(enrollment=Enrollment.objects.get(pk=ids[0]))
    changed, refused = enrollments_bulk(sequence=sequence, enrollment_ids=ids, action="pause")
    assert changed == 2
    assert refused == [(ids[0], "The enrollment is stopped; it cannot become paused.")]


def test_stopping_a_sequence_ends_every_live_enrollment(workspace, sequence, actor):
    leads = LeadFactory.create_batch(2, workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[x.pk for x in leads], actor=actor)
    assert sequence_stop(sequence=sequence) == 2
    assert set(Enrollment.objects.values_list("status", flat=True)) == {EnrollmentStatus.STOPPED}
    with pytest.raises(Conflict):
        enrollments_add(sequence=sequence, lead_ids=[leads[0].pk], actor=actor)
    with pytest.raises(Conflict):
        sequence_activate(sequence=sequence)


def test_results_count_per_step_and_variant(
    workspace, sequence, actor, django_capture_on_commit_callbacks
):
    first = sequence.steps.get(position=0)
    variant_add(step=first, label="B", subject="Other {{company|idea}}", body="Hi B")
    leads = LeadFactory.create_batch(4, workspace=workspace)
    enrollments_add(sequence=sequence, lead_ids=[x.pk for x in leads], actor=actor)
    send_due_now(django_capture_on_commit_callbacks)
    messages = {m.variant.label: m for m in first.messages.select_related("variant", "enrollment")}
    replied = messages["A"]
    InboundMessage.objects.create(
        workspace=workspace,
        mailbox=replied.mailbox,
        uidvalidity=1,
        uid=1,
        kind=InboundKind.REPLY,
        outbound=replied,
        lead=replied.lead,
    )
    reply_mark_positive(inbound=InboundMessage.objects.get(), positive=True)
    Enrollment.objects.filter(pk=messages["B"].enrollment_id).update(
        status=EnrollmentStatus.UNSUBSCRIBED
    )

    results = sequence_results(sequence=sequence)

    by = {(r.step, r.variant): r for r in results["variants"]}
    a, b = by[(1, "A")], by[(1, "B")]
    assert (a.enrolled, a.sent, a.replied, a.positive, a.unsubscribed) == (2, 2, 1, 1, 0)
    assert (b.enrolled, b.sent, b.replied, b.positive, b.unsubscribed) == (2, 2, 0, 0, 1)
    assert a.reply_rate == 0.5
    assert by[(2, "A")].sent == 0  # the follow-up is not due yet
    assert (results["contacted"], results["replied"], results["positive"]) == (4, 1, 1)
    assert results["reply_rate"] == 0.25


def test_only_a_reply_can_be_positive(workspace, mailbox):
    bounce = InboundMessage.objects.create(
        workspace=workspace, mailbox=mailbox, uidvalidity=1, uid=2, kind=InboundKind.HARD_BOUNCE
    )
    with pytest.raises(ValidationFailed):
        reply_mark_positive(inbound=bounce)


def test_the_draft_preview_uses_the_sample_lead_and_threads_follow_ups(sequence):
    first = draft_preview(
        sequence=sequence,
        draft=Draft(position=0, same_thread=False, subject="Hey {{first_name}}", body="{{slot1}}"),
    )
    assert first.errors == [] and first.preview is not None
    assert first.preview.subject == "Hey Alex"
    follow = draft_preview(
        sequence=sequence,
        draft=Draft(position=1, same_thread=True, subject="", body="Bumping, {{first_name}}"),
    )
    headers = dict(follow.headers)
    assert follow.preview is not None
    assert follow.preview.subject.startswith("Re: ")
    assert headers["In-Reply-To"].startswith("<step-1@")


def test_the_results_cost_the_same_queries_for_ten_leads_as_for_two(
    workspace, sequence, actor, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            sequence_results(sequence=sequence)
        return len(ctx.captured_queries)

    enrollments_add(
        sequence=sequence,
        lead_ids=[x.pk for x in LeadFactory.create_batch(2, workspace=workspace)],
        actor=actor,
    )
    send_due_now(django_capture_on_commit_callbacks)
    few = queries()
    enrollments_add(
        sequence=sequence,
        lead_ids=[x.pk for x in LeadFactory.create_batch(8, workspace=workspace)],
        actor=actor,
    )
    send_due_now(django_capture_on_commit_callbacks)
    assert queries() == few
