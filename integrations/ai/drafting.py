"""Generating slot drafts for a sequence's enrollments: sources → model → judged → stored.

Reads and writes happen on the calling thread; only the model calls run in a pool of
``AI_CONCURRENCY`` threads, so no thread needs a database connection of its own.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from crm.models import Workspace
from integrations.ai.answers import SlotTexts, Ungrounded, slot_texts
from integrations.ai.client import Answer, ModelUnavailable, chat
from integrations.ai.connection import Connection, address_check, connection_for
from integrations.ai.models import DraftStatus, SlotDraft
from integrations.ai.prompts import response_format, slot_messages
from integrations.ai.selectors import ai_settings_of, enrollments_for_drafts
from integrations.ai.sources import Source, has_usable, lead_sources
from outreach.models import Enrollment, Sequence

ANSWER_TRIES = 2  # a rejected answer is retried once, then the draft is "not grounded"


@dataclass
class GenerateReport:
    generated: int = 0  # drafts offered for review
    ungrounded: int = 0  # answers refused by the checks
    fallback: int = 0  # no usable source: no call made
    failed: int = 0  # the model could not answer after retries
    draft_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "generated": self.generated,
            "ungrounded": self.ungrounded,
            "fallback": self.fallback,
            "failed": self.failed,
            "draft_ids": self.draft_ids,
        }


@dataclass(frozen=True)
class _Outcome:
    status: str
    reason: str = ""
    texts: SlotTexts | None = None
    answer: Answer | None = None


def sender_of(enrollment: Enrollment) -> str:
    name = enrollment.mailbox.display_name or enrollment.mailbox.address
    return f"{name} at {enrollment.workspace.name}"


def _ask(connection: Connection, sources: list[Source], sender: str) -> _Outcome:
    # Runs on a pool thread: no database access here. A rejected answer is asked for once
    # more (models often get it right the second time); a second rejection is final.
    given = {s.id for s in sources}
    outcome = _Outcome(DraftStatus.FAILED, "No answer.")
    for _ in range(ANSWER_TRIES):
        try:
            answer = chat(
                connection=connection,
                messages=slot_messages(sources=sources, sender=sender),
                response_format=response_format(structured=connection.structured),
            )
        except ModelUnavailable as exc:
            return _Outcome(DraftStatus.FAILED, str(exc))
        try:
            texts = slot_texts(answer, given=given)
        except Ungrounded as exc:
            outcome = _Outcome(DraftStatus.UNGROUNDED, str(exc), answer=answer)
            continue
        return _Outcome(DraftStatus.PENDING, texts=texts, answer=answer)
    return outcome


@transaction.atomic
def _store(
    *, enrollment: Enrollment, sources: list[Source], outcome: _Outcome, model: str
) -> SlotDraft:
    # A new draft replaces the enrollment's drafts still awaiting review.
    SlotDraft.objects.filter(enrollment=enrollment, status=DraftStatus.PENDING).update(
        status=DraftStatus.REJECTED, reason="Replaced by a newer draft."
    )
    texts, answer = outcome.texts, outcome.answer
    return SlotDraft.objects.create(
        workspace_id=enrollment.workspace_id,
        enrollment=enrollment,
        status=outcome.status,
        reason=outcome.reason[:500],
        slot1=texts.subject if texts else "",
        slot2=texts.intro if texts else "",
        slot3=texts.ps if texts else "",
        sources=[s.as_dict() for s in sources],
        source_ids=texts.source_ids if texts else [],
        model=model if answer else "",
        request_id=answer.request_id[:200] if answer else "",
        prompt_tokens=answer.prompt_tokens if answer else 0,
        completion_tokens=answer.completion_tokens if answer else 0,
    )


def slot_drafts_generate(
    *, workspace: Workspace, sequence: Sequence, enrollment_ids: list[int] | None = None
) -> GenerateReport:
    """Draft slot1–3 for the sequence's live enrollments (all, or the chosen ones).

    Raises AiDisabled while the workspace has AI off (nothing is sent) and UnsafeAddress when
    the base URL leads to a private address the instance does not allow.
    """
    connection = connection_for(ai_settings_of(workspace=workspace))
    address_check(connection.base_url)
    report = GenerateReport()
    work: list[tuple[Enrollment, list[Source]]] = []
    for enrollment in enrollments_for_drafts(sequence=sequence, enrollment_ids=enrollment_ids):
        sources = lead_sources(enrollment.lead)
        if not has_usable(sources):
            reason = "No usable source beyond the lead's name and company: the fallback applies."
            draft = _store(
                enrollment=enrollment,
                sources=sources,
                outcome=_Outcome(DraftStatus.NO_SOURCE, reason),
                model=connection.model,
            )
            report.fallback += 1
            report.draft_ids.append(draft.pk)
            continue
        work.append((enrollment, sources))
    with ThreadPoolExecutor(max_workers=settings.AI_CONCURRENCY) as pool:
        futures = [
            pool.submit(_ask, connection, sources, sender_of(enrollment))
            for enrollment, sources in work
        ]
        for (enrollment, sources), future in zip(work, futures, strict=True):
            outcome = future.result()
            draft = _store(
                enrollment=enrollment, sources=sources, outcome=outcome, model=connection.model
            )
            report.draft_ids.append(draft.pk)
            if outcome.status == DraftStatus.PENDING:
                report.generated += 1
            elif outcome.status == DraftStatus.UNGROUNDED:
                report.ungrounded += 1
            else:
                report.failed += 1
    return report
