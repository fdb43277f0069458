"""PostgreSQL: COPY into a temporary staging table, then one set-based statement per chunk.

New leads go ``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING``: with no conflict target,
PostgreSQL skips rows clashing with either partial unique index (email, LinkedIn URL), so a
person created concurrently by someone else is skipped rather than failing the chunk. The same
statement writes the ``imported`` timeline entries, list memberships and tags of exactly the rows
it inserted (data-modifying CTEs), in one round trip.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from django.db import connection

from crm.models import Lead
from integrations.imports.writer_base import COMPANY_ROW_COLUMNS, LEAD_ROW_COLUMNS, LeadWriter

_STAGE_TYPES = {"company_id": "bigint", "custom_fields": "jsonb", "slots": "jsonb"}
_STAGE = "import_lead_stage"


# A workspace growing from nothing to a million leads outruns autovacuum's statistics: with a
# stale row estimate the planner answers "which of these 10,000 emails exist?" by scanning the
# whole workspace instead of probing the unique index (measured: 2 s instead of 20 ms per chunk
# at 900k leads). So the import refreshes them itself each time its own inserts double.
ANALYZE_FIRST_AFTER = 10_000


class PostgresWriter(LeadWriter):
    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(**kwargs)
        self.inserted = 0
        self.analyzed_at = 0
        self.checked_statistics = False
        # Chunks may be written by two threads at once (see parallel.py).
        self._count_lock = threading.Lock()

    def after_commit(self) -> None:
        """Refresh the planner's statistics once the import's own inserts doubled them.

        Runs between chunks, outside their transactions: an ANALYZE inside one would hold
        its statistics rows until that chunk commits, and a second one would fail on them.
        """
        if self.inserted >= max(ANALYZE_FIRST_AFTER, 2 * self.analyzed_at):
            with self._raw().cursor() as cur:
                cur.execute(f"ANALYZE {self.lead_table}")
                cur.execute(f"ANALYZE {self.company_table}")
            self.analyzed_at = self.inserted

    def finish(self) -> None:
        """After the last chunk: refresh the statistics when this import added a tenth or more
        of the rows they count (autovacuum's own threshold, applied now instead of minutes
        later): issue 16's walk-through saw a lead page take 18 ms after a bulk import, 6 ms
        once analyzed."""
        fresh = self.inserted - self.analyzed_at
        if fresh <= 0:
            return
        with self._raw().cursor() as cur:
            cur.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [self.lead_table]
            )
            found = cur.fetchone()
            if fresh * 10 >= max(found[0] if found else 0, 0):
                cur.execute(f"ANALYZE {self.lead_table}")
                cur.execute(f"ANALYZE {self.company_table}")
        self.analyzed_at = self.inserted

    def _statistics_stale(self, cur) -> bool:  # type: ignore[no-untyped-def]
        # Live rows counted by the statistics collector vs. rows the planner believes in.
        cur.execute(
            "SELECT c.reltuples, s.n_live_tup FROM pg_class c "
            "JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = %s",
            [self.lead_table],
        )
        found = cur.fetchone()
        if found is None:
            return False
        believed, live = max(found[0], 0), found[1]
        return live > ANALYZE_FIRST_AFTER and live > 2 * believed

    def now(self):  # type: ignore[no-untyped-def]
        from django.utils import timezone

        return timezone.now()

    def _raw(self):  # type: ignore[no-untyped-def]
        connection.ensure_connection()
        return connection.connection

    # Queries taking arrays go through psycopg's own cursor: it binds the array as one server-side
    # parameter, where Django's client-side binding would quote 10,000 strings into the SQL text.
    def companies_by_domain(self, domains: set[str]) -> list[tuple[int, str, str]]:
        with self._raw().cursor() as cur:
            cur.execute(
                f"SELECT id, domain, name FROM {self.company_table} WHERE workspace_id = %s "
                "AND domain IS NOT NULL AND domain = ANY(%s)",
                [self.workspace_id, list(domains)],
            )
            return cur.fetchall()

    def companies_by_name(self, lnames: set[str]) -> list[tuple[int, str, str, str | None]]:
        with self._raw().cursor() as cur:
            cur.execute(
                f"SELECT id, LOWER(name), name, domain FROM {self.company_table} "
                "WHERE workspace_id = %s AND LOWER(name) = ANY(%s)",
                [self.workspace_id, list(lnames)],
            )
            return sorted(cur.fetchall())

    def companies_insert(self, companies: list) -> None:
        now = self.now()
        columns = (
            "id",
            *COMPANY_ROW_COLUMNS,
            "workspace_id",
            "created_at",
            "updated_at",
            *self.company_defaults,
        )
        consts = (self.workspace_id, now, now, *self.company_defaults.values())
        with self._raw().cursor() as cur:
            # Ids first (one round trip), so the rows can be copied straight into the table.
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [self.company_table, len(companies)],
            )
            for company, (company_id,) in zip(companies, cur.fetchall(), strict=True):
                company.id = company_id
            with cur.copy(f"COPY {self.company_table} ({', '.join(columns)}) FROM STDIN") as copy:
                for company in companies:
                    copy.write_row((company.id, *self.company_values(company), *consts))

    def leads_find(
        self, emails: Sequence[str], linkedins: Sequence[str], columns: Sequence[str]
    ) -> list[tuple]:
        select = ", ".join(("id", "email", "linkedin_url", *columns))
        found: list[tuple] = []
        with self._raw().cursor() as cur:
            if not self.checked_statistics:
                self.checked_statistics = True
                if self._statistics_stale(cur):
                    cur.execute(f"ANALYZE {self.lead_table}")
            # These statements are costed high enough to be JIT-compiled, which takes longer
            # than running them; the setting ends with the chunk's transaction.
            cur.execute("SET LOCAL jit = off")
            for field, values in (("email", emails), ("linkedin_url", linkedins)):
                if values:
                    # One probe of the unique index per key, sorted so that neighbouring probes
                    # share pages. LATERAL (with LIMIT, which keeps it from being flattened into
                    # a hash join) holds at any table size; "= ANY(array)" turns into a scan of
                    # the whole workspace once the planner thinks a chunk of keys is many.
                    cur.execute(
                        "SELECT l.* FROM unnest(%s::text[]) AS k(v) CROSS JOIN LATERAL "
                        f"(SELECT {select} FROM {self.lead_table} WHERE workspace_id = %s "
                        f"AND {field} = k.v LIMIT 1) AS l",
                        [sorted(values), self.workspace_id],
                    )
                    found.extend(cur.fetchall())
        return found

    def _stage(self, cur) -> None:  # type: ignore[no-untyped-def]
        columns = ", ".join(f"{c} {_STAGE_TYPES.get(c, 'text')}" for c in LEAD_ROW_COLUMNS)
        cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (n integer, {columns})")
        cur.execute(f"TRUNCATE {_STAGE}")

    def leads_insert(
        self, records: list[tuple], *, list_id: int | None, tag_ids: Sequence[int]
    ) -> list[int | None]:
        if not records:
            return []
        now = self.now()
        row_columns = ", ".join(LEAD_ROW_COLUMNS)
        const_columns = ", ".join(self.lead_defaults)
        # Typed placeholders: an untyped NULL or JSON text in a SELECT list would become text.
        types = {f.column: f.db_type(connection) for f in Lead._meta.concrete_fields}
        const_marks = ", ".join(f"%s::{types[c]}" for c in self.lead_defaults)
        sql = f"""
            WITH ins AS (
                INSERT INTO {self.lead_table}
                    ({row_columns}, workspace_id, owner_id, created_at, updated_at, {const_columns})
                SELECT {row_columns}, %s::bigint, %s::bigint, %s::timestamptz, %s::timestamptz,
                    {const_marks} FROM {_STAGE} ORDER BY n
                ON CONFLICT DO NOTHING
                RETURNING id, email, linkedin_url
            ), act AS (
                INSERT INTO {self.activity_table} (workspace_id, lead_id, kind, actor_type,
                    actor_user_id, body, payload, created_at)
                SELECT %s, id, 'imported', %s, %s, '', %s::jsonb, %s FROM ins
            ), mem AS (
                INSERT INTO {self.membership_table} (lead_list_id, lead_id, added_at)
                SELECT %s::bigint, id, %s FROM ins WHERE %s::bigint IS NOT NULL
            ), tag AS (
                INSERT INTO {self.leadtag_table} (lead_id, tag_id)
                SELECT ins.id, t FROM ins, unnest(%s::bigint[]) AS t
            )
            SELECT id, email, linkedin_url FROM ins
        """
        params = [
            self.workspace_id,
            self.owner_id,
            now,
            now,
            *self.lead_defaults.values(),
            self.workspace_id,
            self.actor.actor_type,
            self.actor.actor_user_id,
            self.json(self.actor.payload),
            now,
            list_id,
            now,
            list_id,
            list(tag_ids),
        ]
        with self._raw().cursor() as cur:
            self._stage(cur)
            with cur.copy(f"COPY {_STAGE} (n, {row_columns}) FROM STDIN") as copy:
                for n, record in enumerate(records):
                    copy.write_row((n, *record))
            cur.execute(sql, params)
            inserted = cur.fetchall()
        with self._count_lock:
            self.inserted += len(inserted)
        by_email = {email: lead_id for lead_id, email, _ in inserted if email}
        by_linkedin = {url: lead_id for lead_id, _, url in inserted if url}
        email_at = LEAD_ROW_COLUMNS.index("email")
        linkedin_at = LEAD_ROW_COLUMNS.index("linkedin_url")
        return [
            by_email.get(r[email_at]) if r[email_at] else by_linkedin.get(r[linkedin_at])
            for r in records
        ]

    def activities_insert(self, lead_ids: Sequence[int], kind: str, payload: dict) -> None:
        with self._raw().cursor() as cur:
            cur.execute(
                f"INSERT INTO {self.activity_table} (workspace_id, lead_id, kind, actor_type, "
                "actor_user_id, body, payload, created_at) "
                "SELECT %s, l, %s, %s, %s, '', %s::jsonb, %s FROM unnest(%s::bigint[]) AS l",
                [
                    self.workspace_id,
                    kind,
                    self.actor.actor_type,
                    self.actor.actor_user_id,
                    self.json(payload),
                    self.now(),
                    list(lead_ids),
                ],
            )

    def memberships_add(self, list_id: int, lead_ids: Sequence[int]) -> list[int]:
        with self._raw().cursor() as cur:
            cur.execute(
                f"INSERT INTO {self.membership_table} (lead_list_id, lead_id, added_at) "
                "SELECT %s, l, %s FROM unnest(%s::bigint[]) AS l ON CONFLICT DO NOTHING "
                "RETURNING lead_id",
                [list_id, self.now(), list(lead_ids)],
            )
            return [r[0] for r in cur.fetchall()]

    def tags_add(self, tag_ids: Sequence[int], lead_ids: Sequence[int]) -> None:
        with self._raw().cursor() as cur:
            cur.execute(
                f"INSERT INTO {self.leadtag_table} (lead_id, tag_id) "
                "SELECT l, t FROM unnest(%s::bigint[]) AS l, unnest(%s::bigint[]) AS t "
                "ON CONFLICT DO NOTHING",
                [list(lead_ids), list(tag_ids)],
            )
