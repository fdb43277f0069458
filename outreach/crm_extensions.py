"""What outreach adds to crm's pages: the "Enroll" bulk action and the "In sequence" filter.

Registered from ``OutreachConfig.ready()``; crm only knows the registries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, QuerySet

from crm.actors import Actor
from crm.models import Lead, Workspace
from crm.web.extensions.bulk_actions import BULK_ACTIONS, BulkAction, BulkRefused
from crm.web.extensions.filters import LEAD_FILTERS, LeadFilter
from outreach.models import Enrollment, SequenceStatus
from outreach.selectors import sequence_get, sequences_of
from outreach.services.enrollments import enrollments_add


def open_sequences(workspace: Workspace) -> list[Any]:
    """Sequences that take new leads, for the Enroll action's select."""
    return list(sequences_of(workspace=workspace).exclude(status=SequenceStatus.ARCHIVED))


def enroll(
    *, workspace: Workspace, lead_ids: Sequence[int], actor: Actor, data: Mapping[str, str]
) -> str:
    """Enroll the leads; the message says how many and why some were skipped."""
    raw = data.get("sequence_id", "")
    if not raw.isdigit():
        raise BulkRefused("Choose a sequence first.")
    sequence = sequence_get(workspace=workspace, sequence_id=int(raw))
    report = enrollments_add(sequence=sequence, lead_ids=list(lead_ids), actor=actor)
    n, skipped = len(report.added), len(report.skipped)
    text = f"Enrolled {n} lead{'s' if n != 1 else ''} in “{sequence.name}”."
    if skipped:
        reasons = sorted({reason for _, reason in report.skipped})
        text += f" Skipped {skipped}: {'; '.join(reasons)}."
    return text


def _sequence_field(workspace: Workspace) -> forms.Field:
    choices = [("", "Any sequence")] + [
        (str(s.pk), s.name) for s in sequences_of(workspace=workspace).only("pk", "name")
    ]
    return forms.TypedChoiceField(choices=choices, coerce=int, empty_value=None)


def _in_sequence(qs: QuerySet[Lead], sequence_id: int, workspace: Workspace) -> QuerySet[Lead]:
    # The enrollment's (sequence, lead) unique index answers the semi-join.
    return qs.filter(
        Exists(Enrollment.objects.filter(lead=OuterRef("pk"), sequence_id=sequence_id))
    )


ENROLL = BulkAction(
    "enroll",
    "Enroll",
    enroll,
    template="outreach/leads_table/enroll.html",
    options=open_sequences,
    needs_options=True,
    icon="send",
    order=50,
)
SEQUENCE_FILTER = LeadFilter("sequence", "Sequence", _sequence_field, _in_sequence, order=50)


def register() -> None:
    BULK_ACTIONS.register(ENROLL)
    LEAD_FILTERS.register(SEQUENCE_FILTER)
