"""Companies of a chunk of rows, found or created set-based with ``company_resolve``'s rules.

By domain (from the website, else a work email), then by name (case-insensitive, oldest first);
a name match without a domain learns the domain; otherwise a new company. Results are cached for
the whole import: an export of 1M people names maybe 100k companies, each looked up once.
"""

from __future__ import annotations

from functools import lru_cache

from crm.normalize import FREE_MAIL_DOMAINS, domain_from_email, domain_from_website
from integrations.imports.rows import LeadRow


@lru_cache(maxsize=100_000)
def _website_domain(website: str) -> str | None:
    domain = domain_from_website(website)
    return domain if domain and domain not in FREE_MAIL_DOMAINS else None


@lru_cache(maxsize=100_000)
def _email_domain(part: str) -> str | None:
    return domain_from_email("x@" + part)


def row_company_domain(row: LeadRow) -> str | None:
    """``crm.normalize.company_domain`` for a row, memoized (rows share few domains)."""
    company = row.company
    if company is None:
        return None
    if company.website:
        domain = _website_domain(company.website)
        if domain:
            return domain
    if row.email:
        return _email_domain(row.email.rpartition("@")[2])
    return None


class NewCompany:
    __slots__ = ("domain", "fields", "id", "lname", "name", "website")

    def __init__(
        self, name: str, lname: str, domain: str | None, website: str, fields: dict[str, str]
    ):
        self.name = name
        self.lname = lname
        self.domain = domain
        self.website = website
        self.fields = fields
        self.id: int | None = None


class CompanyResolver:
    """Per-import cache of domain → company and lower(name) → company."""

    def __init__(self, writer):  # type: ignore[no-untyped-def]
        self.writer = writer
        self.by_domain: dict[str, tuple[int | NewCompany, str]] = {}
        self.by_name: dict[str, tuple[int | NewCompany, str, bool]] = {}
        self.looked_up_domains: set[str] = set()
        self.looked_up_names: set[str] = set()

    def resolve(self, rows: list[LeadRow]) -> dict[int, tuple[int | None, str]]:
        """row number → (company id, company name) for rows naming a company."""
        keyed = []
        for row in rows:
            if row.company is not None:
                keyed.append((row, row_company_domain(row), row.company.name[:200].lower()))
        self._prefetch(keyed)
        new: list[NewCompany] = []
        learned_domains: dict[int, str] = {}
        picks: dict[int, int | NewCompany] = {}
        names: dict[int, str] = {}
        for row, domain, lname in keyed:
            hit = self.by_domain.get(domain) if domain else None
            if hit is not None:
                picks[row.number], names[row.number] = hit
                continue
            named = self.by_name.get(lname) if lname else None
            if named is not None:
                company, name, has_domain = named
                if domain and not has_domain:
                    if isinstance(company, NewCompany):
                        company.domain = domain
                    else:
                        learned_domains[company] = domain
                    self.by_name[lname] = (company, name, True)
                    self.by_domain[domain] = (company, name)
                picks[row.number], names[row.number] = company, name
                continue
            ref = row.company
            assert ref is not None  # only rows naming a company are keyed
            name = ref.name[:200] or domain or ""
            created = NewCompany(name, lname, domain, ref.website[:500], ref.fields)
            new.append(created)
            if domain:
                self.by_domain[domain] = (created, name)
            if lname:
                self.by_name[lname] = (created, name, bool(domain))
            picks[row.number], names[row.number] = created, name
        if learned_domains:
            self.writer.company_set_domains(learned_domains)
        if new:
            self.writer.companies_insert(new)
            self._settle(new)
        return {
            number: (pick.id if isinstance(pick, NewCompany) else pick, names[number])
            for number, pick in picks.items()
        }

    def _prefetch(self, keyed: list) -> None:
        domains = {d for _, d, _ in keyed if d and d not in self.looked_up_domains}
        lnames = {n for _, _, n in keyed if n and n not in self.looked_up_names}
        if domains:
            for company_id, domain, name in self.writer.companies_by_domain(domains):
                self.by_domain.setdefault(domain, (company_id, name))
            self.looked_up_domains |= domains
        if lnames:
            # Oldest first, so the first company of a name wins, as in company_resolve.
            for company_id, lname, name, domain in self.writer.companies_by_name(lnames):
                self.by_name.setdefault(lname, (company_id, name, bool(domain)))
            self.looked_up_names |= lnames

    def _settle(self, new: list[NewCompany]) -> None:
        # Replace placeholders by ids so later chunks hit the cache with plain ints.
        for company in new:
            if company.domain and self.by_domain.get(company.domain, (None,))[0] is company:
                self.by_domain[company.domain] = (company.id, company.name)  # type: ignore[assignment]
            named = self.by_name.get(company.lname)
            if named is not None and named[0] is company:
                self.by_name[company.lname] = (company.id, named[1], named[2])  # type: ignore[assignment]
