"""The event catalogue as receivers see it: each type with an example delivery body."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crm.events import EventType, event_types
from integrations.webhooks.outbound.fanout import iso_utc

EXAMPLE_TIME = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


def example_body(kind: EventType) -> dict[str, Any]:
    return {"type": kind.name, "timestamp": iso_utc(EXAMPLE_TIME), "data": kind.example}


def event_catalogue() -> list[dict[str, Any]]:
    """Every registered type, sorted, with its description and example body."""
    return [
        {
            "name": kind.name,
            "description": kind.description,
            "subject": kind.subject,
            "example": example_body(kind),
        }
        for kind in event_types()
    ]
