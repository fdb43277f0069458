"""Streaming CSV of leads: bounded memory, safe in spreadsheets, rows in id order.

UTF-8 with a BOM (Excel otherwise reads UTF-8 as Windows-1252); formula-like cells are
neutralized (formulas.py). On PostgreSQL the server writes the rows (leads_copy.py); elsewhere,
and for the rare JSON values COPY cannot render as Python does, rows are formatted here in
keyset batches by id. Both paths write the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator

from django.db import connections
from django.db.models import QuerySet

from crm.models import Lead, LeadTag, ListMembership
from integrations.exports.columns import CUSTOM_PREFIX, FIXED_COLUMNS, SLOT_COLUMNS
from integrations.exports.formulas import RISKY_FIRST, neutralize
from integrations.exports.leads_copy import copy_csv_chunks, copy_renders

__all__ = ["leads_csv_chunks", "leads_csv_rows", "neutralize", "python_csv_chunks"]

BOM = "\ufeff"
BATCH = 5000
# Columns that are not free text: they cannot start a formula, but need formatting.
_NOT_TEXT = frozenset({"id", "do_not_contact", "created_at"})


def _json(value: object) -> dict:
    if isinstance(value, str):
        return json.loads(value or "{}")
    return value or {}  # type: ignore[return-value]


def leads_csv_rows(*, leads: QuerySet[Lead], columns: list[tuple[str, str]]) -> Iterator[list[str]]:
    """Header row, then one row per lead, in id order."""
    yield [neutralize(header) for _, header in columns]
    names = [name for name, _ in columns]
    paths = ["id"]
    getters: list[tuple[str, int, str | None]] = []
    for name in names:
        if name in FIXED_COLUMNS:
            paths.append(FIXED_COLUMNS[name][1])
            getters.append(("field", len(paths) - 1, None))
        elif name in SLOT_COLUMNS or name.startswith(CUSTOM_PREFIX):
            source = "slots" if name in SLOT_COLUMNS else "custom_fields"
            if source not in paths:
                paths.append(source)
            key = name if name in SLOT_COLUMNS else name[len(CUSTOM_PREFIX) :]
            getters.append(("json", paths.index(source), key))
        else:
            getters.append((name, 0, None))
    simple = all(kind == "field" for kind, _, _ in getters)
    text_positions = [i for i, name in enumerate(names) if name not in _NOT_TEXT]
    other_positions = [i for i, name in enumerate(names) if name in _NOT_TEXT]
    last_id = 0
    qs = leads.order_by("id").values_list(*paths)
    while True:
        batch = list(qs.filter(id__gt=last_id)[:BATCH])
        if not batch:
            return
        last_id = batch[-1][0]
        if simple:
            # The hot path of big exports: check only the first character of text cells.
            for row in batch:
                out = list(row[1:])
                for i in text_positions:
                    value = out[i]
                    if value and value[0] in RISKY_FIRST:
                        out[i] = "'" + value
                for i in other_positions:
                    out[i] = neutralize(out[i])
                yield out
            continue
        extras = _extras(getters, [row[0] for row in batch])
        for row in batch:
            cells: list[str] = []
            for kind, index, json_key in getters:
                if kind == "field":
                    cells.append(neutralize(row[index]))
                elif kind == "json":
                    cells.append(neutralize(_json(row[index]).get(json_key or "")))
                else:
                    cells.append(neutralize(", ".join(extras[kind].get(row[0], ()))))
            yield cells


def _extras(getters: list, lead_ids: list[int]) -> dict[str, dict[int, list[str]]]:
    """Tag and list names of a batch of leads, one query each (not one per lead), in the order
    they were added (as the PostgreSQL path orders them)."""
    kinds = {kind for kind, _, _ in getters}
    extras: dict[str, dict[int, list[str]]] = {
        "tags": defaultdict(list),
        "lists": defaultdict(list),
    }
    if "tags" in kinds:
        tags = LeadTag.objects.filter(lead_id__in=lead_ids).order_by("id")
        for lead_id, name in tags.values_list("lead_id", "tag__name"):
            extras["tags"][lead_id].append(name)
    if "lists" in kinds:
        memberships = ListMembership.objects.filter(lead_id__in=lead_ids).order_by("id")
        for lead_id, name in memberships.values_list("lead_id", "lead_list__name"):
            extras["lists"][lead_id].append(name)
    return extras


def leads_csv_chunks(*, leads: QuerySet[Lead], columns: list[tuple[str, str]]) -> Iterator[str]:
    """The CSV as text chunks of a few thousand rows, BOM first (for streaming responses).

    On PostgreSQL the database connection is busy with the COPY until the chunks are exhausted
    or closed: do not query it from the loop that consumes them.
    """
    if connections[leads.db].vendor == "postgresql" and copy_renders(leads=leads, columns=columns):
        header = io.StringIO()
        csv.writer(header).writerow([neutralize(label) for _, label in columns])
        yield BOM + header.getvalue()
        yield from copy_csv_chunks(leads=leads, columns=columns)
        return
    yield from python_csv_chunks(leads=leads, columns=columns)


def python_csv_chunks(*, leads: QuerySet[Lead], columns: list[tuple[str, str]]) -> Iterator[str]:
    """The same CSV formatted in Python, on any database (the PostgreSQL path's reference)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    rows = leads_csv_rows(leads=leads, columns=columns)
    while True:
        block = [row for _, row in zip(range(1000), rows, strict=False)]
        if not block:
            break
        writer.writerows(block)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
