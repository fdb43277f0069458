"""SQLite: ``executemany`` in the chunk's transaction, ids assigned by us.

Django opens SQLite transactions with BEGIN IMMEDIATE, so the chunk holds the write lock from
its first statement: nobody else can insert between our existence check and our insert, which
makes explicit ids (max + 1 …) safe and spares a round trip per row to learn them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from integrations.imports.writer_base import COMPANY_ROW_COLUMNS, LEAD_ROW_COLUMNS, LeadWriter

# Index pages of a million-lead table do not fit SQLite's default 2 MB cache; 128 MB holds the
# hot ones and makes inserts into a dozen indexes much faster. Only this connection pays.
CACHE_KIB = 128 * 1024
# Per-connection settings for the import, neither of which weakens durability: the database
# stays in WAL mode with synchronous=NORMAL (set for every connection in settings) and each chunk
# is one transaction committed normally. The WAL is checkpointed every ~64 MB instead of every
# 4 MB: fewer, larger checkpoints while chunks write a dozen indexes. (No mmap: its pages
# would count against the import's memory bound.)
IMPORT_PRAGMAS = (
    f"PRAGMA cache_size = -{CACHE_KIB}",
    "PRAGMA wal_autocheckpoint = 16384",
)


class SQLiteWriter(LeadWriter):
    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        with connection.cursor() as cur:
            for pragma in IMPORT_PRAGMAS:
                cur.execute(pragma)

    def _next_ids(self, cur, table: str, count: int) -> list[int]:  # type: ignore[no-untyped-def]
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        top = cur.fetchone()[0]
        cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        seq = cur.fetchone()
        # AUTOINCREMENT never reuses the id of a deleted row; neither do we.
        start = max(top, seq[0] if seq else 0) + 1
        return list(range(start, start + count))

    def companies_insert(self, companies: list) -> None:
        now = self.now()
        consts = (self.workspace_id, now, now, *self.company_defaults.values())
        columns = (
            "id",
            *COMPANY_ROW_COLUMNS,
            "workspace_id",
            "created_at",
            "updated_at",
            *self.company_defaults,
        )
        with connection.cursor() as cur:
            ids = self._next_ids(cur, self.company_table, len(companies))
            for company, company_id in zip(companies, ids, strict=True):
                company.id = company_id
            cur.executemany(
                f"INSERT INTO {self.company_table} ({', '.join(columns)}) "
                f"VALUES ({', '.join(['%s'] * len(columns))})",
                [(c.id, *self.company_values(c), *consts) for c in companies],
            )

    def leads_insert(
        self, records: list[tuple], *, list_id: int | None, tag_ids: Sequence[int]
    ) -> list[int | None]:
        if not records:
            return []
        now = self.now()
        consts = (self.workspace_id, self.owner_id, now, now, *self.lead_defaults.values())
        columns = (
            "id",
            *LEAD_ROW_COLUMNS,
            "workspace_id",
            "owner_id",
            "created_at",
            "updated_at",
            *self.lead_defaults,
        )
        with connection.cursor() as cur:
            ids = self._next_ids(cur, self.lead_table, len(records))
            cur.executemany(
                f"INSERT INTO {self.lead_table} ({', '.join(columns)}) "
                f"VALUES ({', '.join(['%s'] * len(columns))})",
                [(lead_id, *record, *consts) for lead_id, record in zip(ids, records, strict=True)],
            )
            # The new leads are exactly the ids first … last (we hold the write lock), so their
            # timeline entries, list memberships and tags are each one INSERT … SELECT.
            new_leads = f"FROM {self.lead_table} WHERE id BETWEEN %s AND %s"
            span = (ids[0], ids[-1])
            cur.execute(
                f"INSERT INTO {self.activity_table} (workspace_id, lead_id, kind, actor_type, "
                "actor_user_id, body, payload, created_at) "
                f"SELECT %s, id, 'imported', %s, %s, '', %s, %s {new_leads}",
                (
                    self.workspace_id,
                    self.actor.actor_type,
                    self.actor.actor_user_id,
                    self.json(self.actor.payload),
                    now,
                    *span,
                ),
            )
            if list_id is not None:
                cur.execute(
                    f"INSERT INTO {self.membership_table} (lead_list_id, lead_id, added_at) "
                    f"SELECT %s, id, %s {new_leads}",
                    (list_id, now, *span),
                )
            for tag_id in tag_ids:
                cur.execute(
                    f"INSERT INTO {self.leadtag_table} (lead_id, tag_id) SELECT id, %s {new_leads}",
                    (tag_id, *span),
                )
        return list(ids)
