"""In-process subscribers: how one app reacts to what happened in another without importing it.

A subscriber registered ``in_transaction=True`` runs inside the transaction that records the
event, so its writes commit or roll back with the change (placement of new leads); it receives a
batch of subjects at once (an import hands over a chunk). Other subscribers run after commit and
never see a change that was rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from crm.actors import Actor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Occurrence:
    """What a subscriber is told: the event's facts, plus hints that are never stored.

    ``hints`` carry in-process details a reaction needs but a webhook consumer must not see
    (the stage an import chose, "the caller places this lead itself").
    """

    type: str
    workspace_id: int
    subject_ids: tuple[int, ...]
    data: Mapping[str, Any]
    actor: Actor
    origin: str = ""
    event_id: int | None = None
    hints: Mapping[str, Any] = field(default_factory=dict)


Handler = Callable[[Occurrence], None]
_IN_TRANSACTION: dict[str, list[Handler]] = {}
_AFTER_COMMIT: dict[str, list[Handler]] = {}


def subscribe(event_type: str, handler: Handler, *, in_transaction: bool = False) -> None:
    """Call ``handler`` for every ``event_type`` (registering the same handler twice is a no-op)."""
    table = _IN_TRANSACTION if in_transaction else _AFTER_COMMIT
    handlers = table.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def publish(occurrence: Occurrence) -> None:
    """Run the in-transaction subscribers now and queue the others for after commit."""
    for handler in _IN_TRANSACTION.get(occurrence.type, []):
        handler(occurrence)
    for handler in _AFTER_COMMIT.get(occurrence.type, []):
        transaction.on_commit(_guarded(handler, occurrence))


def _guarded(handler: Handler, occurrence: Occurrence) -> Callable[[], None]:
    def run() -> None:
        # The change is committed: a failing reaction is logged, never undoes it or stops the
        # other reactions.
        try:
            handler(occurrence)
        except Exception:
            log.exception("Subscriber %s failed on %s", handler.__qualname__, occurrence.type)

    return run
