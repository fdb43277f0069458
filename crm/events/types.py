"""The catalogue of event types: each app declares the ones it emits, with an example payload.

The catalogue is what webhook endpoints may subscribe to (an unknown type is refused) and what
the API documentation lists, one example per type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    # The record type the event is about ("lead", "workspace"…): ``data`` carries it under
    # that key, as the API returns it.
    subject: str
    example: dict[str, Any] = field(default_factory=dict)


_TYPES: dict[str, EventType] = {}


def event_type_register(
    name: str, *, description: str, subject: str, example: dict[str, Any] | None = None
) -> EventType:
    """Declare an event type (idempotent, so an app's ready() may run twice in tests)."""
    if not _NAME.match(name):
        raise ValueError(f"Event type {name!r}: dot-separated lower-case words.")
    kind = EventType(name, description, subject, example or {})
    _TYPES[name] = kind
    return kind


def event_type_get(name: str) -> EventType:
    try:
        return _TYPES[name]
    except KeyError:
        raise KeyError(
            f"Unknown event type {name!r}; declare it with event_type_register."
        ) from None


def event_types() -> list[EventType]:
    """Every declared type, sorted by name."""
    return [_TYPES[name] for name in sorted(_TYPES)]
