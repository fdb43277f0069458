"""What an import needs from the database, set-based; one subclass per database engine.

The engine (``chunk.py``) decides what to write; a writer only knows how to do it quickly.
Everything here runs inside the chunk's transaction. Statements are plain SQL on the tables the
crm models define; columns we do not set get the model's default, so a field added later to
Lead or Company does not break imports.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from crm.models import Activity, Company, Lead, LeadTag, ListMembership

# Lead columns an import fills per row, in staging order; the rest are constants per import.
LEAD_ROW_COLUMNS = (
    "first_name",
    "last_name",
    "email",
    "email_status",
    "title",
    "company_id",
    "linkedin_url",
    "phone",
    "city",
    "region",
    "country",
    "address",
    "postal_code",
    "timezone",
    "source",
    "custom_fields",
    "slots",
    "search_text",
)
COMPANY_ROW_COLUMNS = (
    "name",
    "domain",
    "website",
    "industry",
    "size",
    "linkedin_url",
    "city",
    "region",
    "country",
)
IN_BATCH = 2000


@dataclass
class ImportActor:
    """Who the timeline says imported the leads, and the payload of each ``imported`` entry."""

    actor_type: str
    actor_user_id: int | None
    payload: dict[str, Any]


def model_defaults(model: type[Model], skip: Iterable[str]) -> dict[str, Any]:
    """column → database value of each column's default, for columns an import leaves alone."""
    skipped = set(skip)
    defaults: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in skipped or field.name in skipped:
            continue
        value = field.get_default()
        column = str(field.column)
        if field.get_internal_type() == "JSONField":
            defaults[column] = json.dumps(value)
        else:
            defaults[column] = field.get_db_prep_save(value, connection)
    return defaults


def batched(items: Sequence[Any], size: int = IN_BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class LeadWriter:
    """Shared SQL, correct on every database; subclasses replace the hot paths."""

    lead_table = Lead._meta.db_table
    company_table = Company._meta.db_table
    activity_table = Activity._meta.db_table
    membership_table = ListMembership._meta.db_table
    leadtag_table = LeadTag._meta.db_table

    def __init__(self, *, workspace_id: int, owner_id: int | None, actor: ImportActor):
        self.workspace_id = workspace_id
        self.owner_id = owner_id
        self.actor = actor
        self.lead_defaults = model_defaults(
            Lead, (*LEAD_ROW_COLUMNS, "workspace_id", "owner_id", "created_at", "updated_at")
        )
        self.company_defaults = model_defaults(
            Company, (*COMPANY_ROW_COLUMNS, "workspace_id", "created_at", "updated_at")
        )

    def after_commit(self) -> None:
        """Called after each chunk committed, outside any transaction (statistics upkeep)."""

    def finish(self) -> None:
        """Called once after the last chunk committed (statistics upkeep)."""

    # -- time ---------------------------------------------------------------------------------
    def now(self) -> Any:
        return connection.ops.adapt_datetimefield_value(timezone.now())

    def json(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    # -- companies ----------------------------------------------------------------------------
    def companies_by_domain(self, domains: set[str]) -> list[tuple[int, str, str]]:
        found = []
        with connection.cursor() as cur:
            for part in batched(sorted(domains)):
                marks = ",".join(["%s"] * len(part))
                cur.execute(
                    f"SELECT id, domain, name FROM {self.company_table} "
                    f"WHERE workspace_id = %s AND domain IN ({marks})",
                    [self.workspace_id, *part],
                )
                found.extend(cur.fetchall())
        return found

    def companies_by_name(self, lnames: set[str]) -> list[tuple[int, str, str, str | None]]:
        found = []
        with connection.cursor() as cur:
            for part in batched(sorted(lnames)):
                marks = ",".join(["%s"] * len(part))
                cur.execute(
                    f"SELECT id, LOWER(name), name, domain FROM {self.company_table} "
                    f"WHERE workspace_id = %s AND LOWER(name) IN ({marks})",
                    [self.workspace_id, *part],
                )
                found.extend(cur.fetchall())
        return sorted(found)

    def company_set_domains(self, domains: dict[int, str]) -> None:
        now = self.now()
        with connection.cursor() as cur:
            cur.executemany(
                f"UPDATE {self.company_table} SET domain = %s, updated_at = %s "
                "WHERE id = %s AND domain IS NULL",
                [(domain, now, company_id) for company_id, domain in domains.items()],
            )

    def company_values(self, company: Any) -> tuple:
        fields = company.fields
        return (
            company.name,
            company.domain,
            company.website,
            fields.get("company_industry", ""),
            fields.get("company_size", ""),
            fields.get("company_linkedin_url", ""),
            fields.get("company_city", ""),
            fields.get("company_region", ""),
            fields.get("company_country", ""),
        )

    def companies_insert(self, companies: list) -> None:  # pragma: no cover - per engine
        raise NotImplementedError

    # -- leads --------------------------------------------------------------------------------
    def leads_find(
        self, emails: Sequence[str], linkedins: Sequence[str], columns: Sequence[str]
    ) -> list[tuple]:
        """Existing leads with any of these identities: (id, email, linkedin_url, *columns)."""
        select = ", ".join(("id", "email", "linkedin_url", *columns))
        found: list[tuple] = []
        with connection.cursor() as cur:
            for field, values in (("email", emails), ("linkedin_url", linkedins)):
                for part in batched(values):
                    marks = ",".join(["%s"] * len(part))
                    cur.execute(
                        # No "IS NOT NULL" here: SQLite would turn it into a range scan of
                        # the partial index; IN already implies it, so the index still serves.
                        f"SELECT {select} FROM {self.lead_table} WHERE workspace_id = %s "
                        f"AND {field} IN ({marks})",
                        [self.workspace_id, *part],
                    )
                    found.extend(cur.fetchall())
        return found

    def leads_insert(
        self, records: list[tuple], *, list_id: int | None, tag_ids: Sequence[int]
    ) -> list[int | None]:  # pragma: no cover - per engine
        """Create leads (records in LEAD_ROW_COLUMNS order) with their ``imported`` timeline
        entry, list membership and tags. Returns each record's new id, or None when another
        writer created the same person first."""
        raise NotImplementedError

    def leads_update(self, changes: list[tuple[int, dict[str, Any]]]) -> None:
        """Write changed fields of existing leads, grouped by the set of fields changed."""
        groups: dict[tuple[str, ...], list[tuple]] = {}
        now = self.now()
        for lead_id, values in changes:
            columns = tuple(sorted(values))
            groups.setdefault(columns, []).append((*(values[c] for c in columns), now, lead_id))
        with connection.cursor() as cur:
            for columns, params in groups.items():
                assignments = ", ".join(f"{c} = %s" for c in columns)
                cur.executemany(
                    f"UPDATE {self.lead_table} SET {assignments}, updated_at = %s WHERE id = %s",
                    params,
                )

    # -- timeline, lists, tags ----------------------------------------------------------------
    def activities_insert(self, lead_ids: Sequence[int], kind: str, payload: dict) -> None:
        now = self.now()
        data = self.json(payload)
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {self.activity_table} (workspace_id, lead_id, kind, actor_type, "
                "actor_user_id, body, payload, created_at) VALUES (%s, %s, %s, %s, %s, '', %s, %s)",
                [
                    (
                        self.workspace_id,
                        lead_id,
                        kind,
                        self.actor.actor_type,
                        self.actor.actor_user_id,
                        data,
                        now,
                    )
                    for lead_id in lead_ids
                ],
            )

    def list_lock_size(self, list_id: int) -> int:
        """Lock the list against concurrent additions and count its members."""
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute("SELECT id FROM crm_leadlist WHERE id = %s FOR UPDATE", [list_id])
            cur.execute(
                f"SELECT COUNT(*) FROM {self.membership_table} WHERE lead_list_id = %s", [list_id]
            )
            return cur.fetchone()[0]

    def list_members(self, list_id: int, lead_ids: Sequence[int]) -> set[int]:
        members: set[int] = set()
        with connection.cursor() as cur:
            for part in batched(list(lead_ids)):
                marks = ",".join(["%s"] * len(part))
                cur.execute(
                    f"SELECT lead_id FROM {self.membership_table} "
                    f"WHERE lead_list_id = %s AND lead_id IN ({marks})",
                    [list_id, *part],
                )
                members.update(r[0] for r in cur.fetchall())
        return members

    def memberships_add(self, list_id: int, lead_ids: Sequence[int]) -> list[int]:
        """Put existing leads on the list; returns those that were not on it yet."""
        fresh = sorted(set(lead_ids) - self.list_members(list_id, lead_ids))
        now = self.now()
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {self.membership_table} (lead_list_id, lead_id, added_at) "
                "VALUES (%s, %s, %s)",
                [(list_id, lead_id, now) for lead_id in fresh],
            )
        return fresh

    def tags_add(self, tag_ids: Sequence[int], lead_ids: Sequence[int]) -> None:
        for tag_id in tag_ids:
            have: set[int] = set()
            with connection.cursor() as cur:
                for part in batched(list(lead_ids)):
                    marks = ",".join(["%s"] * len(part))
                    cur.execute(
                        f"SELECT lead_id FROM {self.leadtag_table} "
                        f"WHERE tag_id = %s AND lead_id IN ({marks})",
                        [tag_id, *part],
                    )
                    have.update(r[0] for r in cur.fetchall())
                cur.executemany(
                    f"INSERT INTO {self.leadtag_table} (lead_id, tag_id) VALUES (%s, %s)",
                    [(lead_id, tag_id) for lead_id in lead_ids if lead_id not in have],
                )

    # -- the error report ---------------------------------------------------------------------
    def row_errors_insert(self, job_id: int, errors: list[tuple[int, str, str, list[str]]]) -> None:
        with connection.cursor() as cur:
            cur.executemany(
                'INSERT INTO integrations_importrowerror (job_id, row_number, "column", message, '
                '"values") VALUES (%s, %s, %s, %s, %s)',
                [
                    (job_id, number, column[:200], message, self.json(values))
                    for number, column, message, values in errors
                ],
            )
