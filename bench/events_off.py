"""A baseline switch for benchmarks: events are not written (the in-process reactions still run).

``events_off()`` makes ``event_record``/``events_record_batch`` skip the outbox row and the
subject snapshot, so a run measures exactly what recording events costs.
"""

from __future__ import annotations

from typing import Any


class _Unsaved:
    @staticmethod
    def create(**fields: Any) -> Any:
        from crm.models import Event

        return Event(**fields)


def events_off() -> None:
    from crm.events import record

    class _NoRows:
        objects = _Unsaved()

    record.Event = _NoRows  # type: ignore[assignment,misc]
    record.subjects_build = lambda *a, **k: {}  # type: ignore[assignment]
