"""One chunk of validated rows → database writes: dedupe, duplicate policy, companies, lists.

Identity is email, else LinkedIn URL (as ``lead_find_existing``). Within a file the first row of a
person wins and later rows of the same person count as duplicates; against the workspace the
job's policy decides: ``skip`` leaves existing leads as they are, ``fill`` writes only their
empty fields, ``overwrite`` writes every non-empty cell. Empty cells never erase anything.
Existing leads still join the import's list and tags: that is usually why the file was imported.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crm.models import ActivityKind, EmailStatus
from crm.normalize import search_text
from integrations.imports.companies import CompanyResolver
from integrations.imports.policy import EXISTING_COLUMNS, lead_changes
from integrations.imports.rows import BadRow, LeadRow
from integrations.imports.writer_base import LeadWriter
from integrations.models import DuplicatePolicy


@dataclass
class ListTarget:
    id: int
    name: str
    size_limit: int | None


@dataclass
class ChunkOutcome:
    created: int = 0
    updated: int = 0
    duplicates: int = 0
    failed: int = 0
    created_ids: list[int] = field(default_factory=list)
    errors: list[tuple[int, str, str, list[str]]] = field(default_factory=list)

    def fail(self, number: int, cells: list[str], problems: Sequence[tuple[str, str]]) -> None:
        self.failed += 1
        for column, message in problems:
            self.errors.append((number, column, message, cells))


@dataclass
class ChunkPlan:
    """What ``ChunkImporter.prepare`` decided for a chunk, for ``write`` to carry out."""

    outcome: ChunkOutcome
    new_rows: list[LeadRow]
    existing: list[tuple[LeadRow, tuple]]
    companies: dict[int, tuple[int | None, str]]
    by_email: dict[str, tuple]
    by_linkedin: dict[str, tuple]


class ChunkImporter:
    """Holds what lasts across chunks of one import: people seen, companies known."""

    def __init__(
        self,
        *,
        writer: LeadWriter,
        policy: str,
        lead_list: ListTarget | None,
        tag_ids: Sequence[int],
        owner_id: int | None,
        import_payload: dict[str, Any],
        place_new_leads: Callable[[list[int]], Any] | None = None,
    ):
        self.writer = writer
        self.policy = policy
        self.lead_list = lead_list
        self.tag_ids = list(tag_ids)
        self.owner_id = owner_id
        self.payload = import_payload
        self.place_new_leads = place_new_leads
        self.seen_emails: set[str] = set()
        self.seen_linkedins: set[str] = set()
        self.seen_lead_ids: set[int] = set()
        self.companies = CompanyResolver(writer)

    # -- people already handled by this import ----------------------------------------------
    def _seen(self, row: LeadRow) -> bool:
        return (row.email is not None and row.email in self.seen_emails) or (
            row.linkedin is not None and row.linkedin in self.seen_linkedins
        )

    def _remember(self, row: LeadRow) -> None:
        if row.email:
            self.seen_emails.add(row.email)
        if row.linkedin:
            self.seen_linkedins.add(row.linkedin)

    def _forget(self, row: LeadRow) -> None:
        self.seen_emails.discard(row.email)  # type: ignore[arg-type]
        self.seen_linkedins.discard(row.linkedin)  # type: ignore[arg-type]

    def replay(self, rows: Sequence[LeadRow | BadRow]) -> None:
        """Rebuild memory of people from rows committed by an earlier, interrupted run."""
        for row in rows:
            if isinstance(row, LeadRow):
                self._remember(row)

    # -- one chunk ----------------------------------------------------------------------------
    def apply(self, rows: Sequence[LeadRow | BadRow]) -> ChunkOutcome:
        """Write one chunk: ``write(prepare(rows))``."""
        return self.write(self.prepare(rows))

    def prepare(self, rows: Sequence[LeadRow | BadRow]) -> ChunkPlan:
        """Decide what the chunk does: dedupe, find existing leads, fit the list, companies.

        Reads and updates what lasts across chunks (people seen, companies known), so chunks
        must be prepared one at a time and in file order; their ``write`` may then overlap.
        """
        out = ChunkOutcome()
        fresh: list[LeadRow] = []
        for row in rows:
            if isinstance(row, BadRow):
                out.fail(row.number, row.cells, row.problems)
            elif self._seen(row):
                out.duplicates += 1
            else:
                self._remember(row)
                fresh.append(row)
        full = self.policy != DuplicatePolicy.SKIP
        found = self.writer.leads_find(
            [r.email for r in fresh if r.email],
            [r.linkedin for r in fresh if r.linkedin],
            EXISTING_COLUMNS if full else (),
        )
        by_email = {rec[1]: rec for rec in found if rec[1]}
        by_linkedin = {rec[2]: rec for rec in found if rec[2]}
        pairs = [
            (
                row,
                (by_email.get(row.email) if row.email else None)
                or (by_linkedin.get(row.linkedin) if row.linkedin else None),
            )
            for row in fresh
        ]
        pairs = self._once_per_lead(pairs, out)
        pairs = self._fit_list(pairs, out)
        new_rows = [row for row, existing in pairs if existing is None]
        old = [(row, existing) for row, existing in pairs if existing is not None]
        need_company = new_rows + [r for r, e in old if full and self._wants_company(r, e)]
        companies = self.companies.resolve(need_company) if need_company else {}
        return ChunkPlan(out, new_rows, old, companies, by_email, by_linkedin)

    def write(self, plan: ChunkPlan) -> ChunkOutcome:
        """Create the new leads, apply the policy to existing ones, record the row errors."""
        out = plan.outcome
        self._create(plan.new_rows, plan.companies, out)
        self._existing(plan.existing, plan.companies, plan.by_email, plan.by_linkedin, out)
        if out.errors:
            self.writer.row_errors_insert(self.payload["import_id"], out.errors)
        return out

    def _once_per_lead(self, pairs: list, out: ChunkOutcome) -> list:
        """A lead already handled by an earlier row (found through another identity: one row
        by email, a later one by LinkedIn URL) is that person again: the later row is a
        duplicate, as within the file. (It also keeps two chunks from updating one lead.)"""
        kept = []
        for row, existing in pairs:
            if existing is None:
                kept.append((row, existing))
            elif existing[0] in self.seen_lead_ids:
                out.duplicates += 1
            else:
                self.seen_lead_ids.add(existing[0])
                kept.append((row, existing))
        return kept

    def _fit_list(self, pairs: list, out: ChunkOutcome) -> list:
        """Rows that fit the list's size limit; the others become row errors, unwritten."""
        target = self.lead_list
        if target is None or target.size_limit is None or not pairs:
            return pairs
        room = target.size_limit - self.writer.list_lock_size(target.id)
        members = self.writer.list_members(target.id, [e[0] for _, e in pairs if e is not None])
        kept = []
        for row, existing in pairs:
            if existing is not None and existing[0] in members:
                kept.append((row, existing))
            elif room > 0:
                room -= 1
                kept.append((row, existing))
            else:
                self._forget(row)
                if existing is not None:
                    self.seen_lead_ids.discard(existing[0])
                out.fail(
                    row.number,
                    row.cells,
                    [
                        (
                            "list",
                            f"'{target.name}' holds at most {target.size_limit} leads and is full",
                        )
                    ],
                )
        return kept

    def _wants_company(self, row: LeadRow, existing: tuple) -> bool:
        if row.company is None:
            return False
        company_id = existing[3 + EXISTING_COLUMNS.index("company_id")]
        return self.policy == DuplicatePolicy.OVERWRITE or company_id is None

    def _create(self, rows: list[LeadRow], companies: dict, out: ChunkOutcome) -> None:
        if not rows:
            return
        records = []
        for row in rows:
            f = row.fields
            company_id, company_name = companies.get(row.number, (None, ""))
            first, last, title = f.get("first_name", ""), f.get("last_name", ""), f.get("title", "")
            records.append(
                (
                    first,
                    last,
                    row.email,
                    f.get("email_status", EmailStatus.UNKNOWN),
                    title,
                    company_id,
                    row.linkedin,
                    f.get("phone", ""),
                    f.get("city", ""),
                    f.get("region", ""),
                    f.get("country", ""),
                    f.get("address", ""),
                    f.get("postal_code", ""),
                    f.get("timezone", ""),
                    f.get("source", ""),
                    json.dumps(row.custom, ensure_ascii=False) if row.custom else "{}",
                    json.dumps(row.slots, ensure_ascii=False) if row.slots else "{}",
                    search_text(first, last, row.email, company_name, title),
                )
            )
        ids = self.writer.leads_insert(
            records,
            list_id=self.lead_list.id if self.lead_list else None,
            tag_ids=self.tag_ids,
        )
        for lead_id in ids:
            if lead_id is None:
                out.duplicates += 1  # created meanwhile by someone else: theirs stands
            else:
                out.created += 1
                out.created_ids.append(lead_id)
        if out.created_ids and self.place_new_leads is not None:
            self.place_new_leads(out.created_ids)

    def _existing(
        self, pairs: list, companies: dict, by_email: dict, by_linkedin: dict, out: ChunkOutcome
    ) -> None:
        if not pairs:
            return
        changes = []
        for row, existing in pairs:
            change = lead_changes(
                row,
                existing,
                policy=self.policy,
                owner_id=self.owner_id,
                companies=companies,
                by_email=by_email,
                by_linkedin=by_linkedin,
            )
            if change:
                changes.append((existing[0], change))
                out.updated += 1
            else:
                out.duplicates += 1
        if changes:
            self.writer.leads_update(changes)
            by_fields: dict[tuple[str, ...], list[int]] = {}
            for lead_id, change in changes:
                fields = tuple(sorted(k for k in change if k != "search_text"))
                by_fields.setdefault(fields, []).append(lead_id)
            for fields, lead_ids in by_fields.items():
                self.writer.activities_insert(
                    lead_ids, ActivityKind.UPDATED, {**self.payload, "fields": list(fields)}
                )
        lead_ids = [existing[0] for _, existing in pairs]
        if self.lead_list is not None:
            added = self.writer.memberships_add(self.lead_list.id, lead_ids)
            if added:
                self.writer.activities_insert(
                    added,
                    ActivityKind.LIST_ADDED,
                    {**self.payload, "list_id": self.lead_list.id, "list": self.lead_list.name},
                )
        if self.tag_ids:
            self.writer.tags_add(self.tag_ids, lead_ids)
