"""The export's PostgreSQL path: the server writes the CSV rows (COPY ... TO STDOUT), Python relays.

Formatting rows in Python tops out near 75,000 rows/s; with COPY the server quotes and joins the
cells and Python only hands the bytes on. The SELECT wraps the caller's queryset, so its filters
are kept, and computes each cell with the rules of the Python path (cells_sql, formulas). COPY
ends rows with "\\n"; each row arrives as its own message, so the "\\r\\n" the Python path writes
is put back per row without touching newlines inside quoted cells.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext

from django.db import connections, transaction
from django.db.models import QuerySet

from crm.models import Lead
from integrations.exports import cells_sql
from integrations.exports.columns import CUSTOM_PREFIX, FIXED_COLUMNS, SLOT_COLUMNS
from integrations.exports.formulas import neutralize_sql

ROWS_PER_CHUNK = 2000


class _Select:
    """The caller's queryset as a subquery ``base(c0, c1, …)``, c0 the lead id, and the text
    expression of each export column over it."""

    def __init__(self, *, leads: QuerySet[Lead], columns: list[tuple[str, str]]) -> None:
        paths: dict[str, int] = {"id": 0}
        self.cells: list[str] = []
        self.json: list[tuple[str, str]] = []

        def base(path: str) -> str:
            return f"base.c{paths.setdefault(path, len(paths))}"

        for name, _ in columns:
            if name == "id":
                self.cells.append("base.c0::text")
            elif name == "do_not_contact":
                self.cells.append(cells_sql.yes_no(base("do_not_contact")))
            elif name == "created_at":
                self.cells.append(cells_sql.iso_seconds(base("created_at")))
            elif name in FIXED_COLUMNS:
                self.cells.append(base(FIXED_COLUMNS[name][1]))
            elif name in SLOT_COLUMNS or name.startswith(CUSTOM_PREFIX):
                source = "slots" if name in SLOT_COLUMNS else "custom_fields"
                key = name if name in SLOT_COLUMNS else name[len(CUSTOM_PREFIX) :]
                self.json.append((base(source), key))
                self.cells.append(cells_sql.json_value(base(source), key))
            else:
                self.cells.append(cells_sql.names_joined(name, "base.c0"))
        query = leads.order_by().values_list(*paths).query
        sql, self.params = query.sql_with_params()
        aliases = ", ".join(f"c{i}" for i in range(len(paths)))
        self.base = f"({sql}) AS base ({aliases})"
        # A lone empty cell is written "" by csv.writer (an empty line would be no row at all);
        # COPY quotes an empty string the same way, so one-column exports keep "" instead of NULL.
        self.single = len(columns) == 1

    def json_is_plain(self) -> str:
        """SELECT answering whether every JSON value exported is one ``json_value`` renders."""
        odd = " OR ".join(f"NOT ({cells_sql.json_is_plain(c, k)})" for c, k in self.json)
        return f"SELECT NOT EXISTS (SELECT 1 FROM {self.base} WHERE {odd})"

    def copy(self) -> str:
        """The COPY statement. The cells are computed below an OFFSET 0 fence so that the outer
        neutralization, which names each value three times, does not compute it three times."""
        computed = ", ".join(f"{cell} AS v{i}" for i, cell in enumerate(self.cells))
        inner = f"SELECT base.c0 AS lead_id, {computed} FROM {self.base} ORDER BY base.c0 OFFSET 0"
        empty = "COALESCE({}, '')" if self.single else "NULLIF({}, '')"
        finished = ", ".join(
            empty.format(neutralize_sql(f"cells.v{i}")) for i in range(len(self.cells))
        )
        select = f"SELECT {finished} FROM ({inner}) AS cells ORDER BY cells.lead_id"
        return f"COPY ({select}) TO STDOUT WITH (FORMAT csv, ENCODING 'UTF8')"


def copy_renders(*, leads: QuerySet[Lead], columns: list[tuple[str, str]]) -> bool:
    """Whether COPY can write this export exactly as the Python path would (one query when
    custom fields or slots are exported, none otherwise)."""
    select = _Select(leads=leads, columns=columns)
    if not select.json:
        return True
    with connections[leads.db].cursor() as cursor:
        cursor.execute(select.json_is_plain(), select.params)
        return bool(cursor.fetchone()[0])


def copy_csv_chunks(*, leads: QuerySet[Lead], columns: list[tuple[str, str]]) -> Iterator[str]:
    """The CSV data rows (no BOM, no header) in id order, as text chunks of a few thousand rows.

    Rows are read as the server sends them, so memory stays bounded; a consumer that stops
    early (a closed download) cancels the COPY and leaves the connection usable. Until the
    chunks are exhausted or closed the connection is busy with the COPY: the caller must not
    query it in between (psycopg would wait on its own lock).
    """
    select = _Select(leads=leads, columns=columns)
    connection = connections[leads.db]
    # Cancelling a COPY aborts the transaction it runs in; inside the caller's transaction a
    # savepoint keeps that to the COPY. Outside one, COPY has its own implicit transaction.
    guard: AbstractContextManager[object] = (
        transaction.atomic(using=leads.db) if connection.in_atomic_block else nullcontext()
    )
    with guard, connection.cursor() as cursor:
        # Django's SQL binds its parameters client-side (%s); COPY takes no server-side
        # parameters, so they are merged into the statement here.
        statement = cursor.cursor.mogrify(select.copy(), tuple(select.params))
        with cursor.cursor.copy(statement) as copy:
            rows: list[memoryview | bytes] = []
            while row := copy.read():
                rows.append(row[:-1])
                if len(rows) == ROWS_PER_CHUNK:
                    rows.append(b"")
                    yield b"\r\n".join(rows).decode()
                    rows = []
            if rows:
                rows.append(b"")
                yield b"\r\n".join(rows).decode()
