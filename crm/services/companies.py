from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from crm.errors import Conflict, ValidationFailed
from crm.models import Company, Workspace
from crm.normalize import InvalidValue, company_domain, domain_from_website, normalize_website
from crm.services.custom_fields import custom_values_clean

COMPANY_TEXT_FIELDS = {
    "name": 200,
    "website": 500,
    "industry": 120,
    "size": 40,
    "city": 120,
    "region": 120,
    "country": 120,
    "address": 300,
    "postal_code": 20,
    "linkedin_url": 300,
}


def _clean(workspace: Workspace, data: dict[str, Any], current: Company | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for field, limit in COMPANY_TEXT_FIELDS.items():
        if field in data:
            value = (data[field] or "").strip()
            if len(value) > limit:
                errors[field] = [f"At most {limit} characters."]
            clean[field] = value
    if "name" in clean and not clean["name"]:
        errors["name"] = ["A company needs a name."]
    if "website" in clean:
        try:
            clean["website"] = normalize_website(clean["website"])
        except InvalidValue as exc:
            errors["website"] = [str(exc)]
    if "domain" in data:
        raw = (data["domain"] or "").strip()
        clean["domain"] = domain_from_website(raw) if raw else None
        if raw and clean["domain"] is None:
            errors["domain"] = [f"'{raw}' is not a domain name."]
    elif "website" in clean and (current is None or not current.domain):
        clean["domain"] = domain_from_website(clean["website"])
    if "technologies" in data:
        techs = data["technologies"] or []
        if isinstance(techs, str):
            techs = [t for t in (p.strip() for p in techs.split(",")) if t]
        clean["technologies"] = list(techs)
    if errors:
        raise ValidationFailed("Invalid company.", errors=errors)
    if "custom_fields" in data:
        clean["custom_fields"] = custom_values_clean(
            workspace=workspace,
            entity="company",
            values=data["custom_fields"] or {},
            partial_of=current.custom_fields if current else None,
        )
    return clean


def company_create(*, workspace: Workspace, data: dict[str, Any]) -> Company:
    """Create a company; its domain is normalized and unique in the workspace."""
    clean = _clean(workspace, {"name": "", **data}, None)
    try:
        with transaction.atomic():
            return Company.objects.create(workspace=workspace, **clean)
    except IntegrityError:
        existing = Company.objects.filter(workspace=workspace, domain=clean.get("domain")).first()
        raise Conflict(
            f"A company with domain {clean.get('domain')} already exists.",
            existing_id=existing.pk if existing else None,
        ) from None


def company_update(*, company: Company, data: dict[str, Any]) -> Company:
    """Change some fields of a company."""
    clean = _clean(company.workspace, data, company)
    for field, value in clean.items():
        setattr(company, field, value)
    try:
        with transaction.atomic():
            company.save()
    except IntegrityError:
        raise Conflict(f"Another company already has domain {company.domain}.") from None
    return company


def company_delete(*, company: Company) -> None:
    """Delete a company; its leads stay, without a company."""
    company.delete()


def company_resolve(
    *, workspace: Workspace, name: str = "", website: str = "", email: str | None = None
) -> Company | None:
    """The company a lead works for, found by domain then by name, created when new.

    The domain comes from the website, else from a work email (never from free mail), so
    people from one company share one row however their export spelled its name.
    """
    name = (name or "").strip()[:200]
    try:
        website = normalize_website(website)
    except InvalidValue as exc:
        raise ValidationFailed.field("company_website", str(exc)) from None
    domain = company_domain(website=website, email=email)
    if domain:
        company = Company.objects.filter(workspace=workspace, domain=domain).first()
        if company:
            return company
    if name:
        company = (
            Company.objects.filter(workspace=workspace, name__iexact=name).order_by("id").first()
        )
        if company:
            if domain and not company.domain:
                company.domain = domain
                company.save(update_fields=["domain", "updated_at"])
            return company
    if not name and not domain:
        return None
    with transaction.atomic():
        return Company.objects.create(
            workspace=workspace,
            name=name or domain or "",
            domain=domain,
            website=(website or "").strip()[:500],
        )
