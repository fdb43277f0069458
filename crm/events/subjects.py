"""How each kind of subject appears in an event: exactly as the API returns it.

Apps register a builder per subject type; it turns ids into API-shaped dicts in a few queries
whatever their number (an import's chunk of 10,000 leads is built at delivery time).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

SubjectBuilder = Callable[[int, list[int]], dict[int, dict[str, Any]]]
_BUILDERS: dict[str, SubjectBuilder] = {}


def subject_builder_register(subject_type: str, builder: SubjectBuilder) -> None:
    """``builder(workspace_id, ids)`` returns ``{id: api_dict}`` for the ids that still exist."""
    _BUILDERS[subject_type] = builder


def subjects_build(
    subject_type: str, *, workspace_id: int, ids: Iterable[int]
) -> dict[int, dict[str, Any]]:
    builder = _BUILDERS.get(subject_type)
    wanted = list(dict.fromkeys(ids))
    if builder is None or not wanted:
        return {}
    return builder(workspace_id, wanted)
