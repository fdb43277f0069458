"""Finding a stage the way a person names it: by its name or by its kind, within one pipeline."""

from __future__ import annotations

from crm.errors import ValidationFailed
from pipelines.models import Pipeline, Stage


def stage_named(*, pipeline: Pipeline, ref: str, field: str) -> Stage:
    """The one stage of ``pipeline`` whose name (any case) or kind is ``ref``.

    A name wins over a kind, so "Customer" is the stage of that name even when other stages are
    of kind customer. Nothing found, or several stages found, is a ValidationFailed on
    ``field`` naming the candidates, so the caller can pick one by name or id.
    """
    wanted = ref.strip()
    stages = list(Stage.objects.filter(pipeline=pipeline).order_by("position", "id"))
    by_name = [s for s in stages if s.name.casefold() == wanted.casefold()]
    found = by_name or [s for s in stages if s.kind == wanted.lower()]
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(f"{s.name} (id {s.pk})" for s in found)
        raise ValidationFailed.field(
            field, f"'{wanted}' matches several stages of {pipeline}: {names}. Name one of them."
        )
    names = ", ".join(s.name for s in stages)
    raise ValidationFailed.field(field, f"No stage '{wanted}' in {pipeline} ({names}).")
