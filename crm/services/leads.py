from __future__ import annotations

import zoneinfo
from typing import Any

from django.db import IntegrityError, transaction

from crm.actors import Actor
from crm.errors import Conflict, ValidationFailed
from crm.events import event_record
from crm.events.lead_subject import new_lead_as_api
from crm.models import ActivityKind, Company, EmailStatus, Lead, Membership, Workspace
from crm.normalize import InvalidValue, normalize_email, normalize_linkedin_url, search_text
from crm.services.activities import activity_record
from crm.services.companies import company_resolve
from crm.services.custom_fields import custom_values_clean

LEAD_TEXT_FIELDS = {
    "first_name": 100,
    "last_name": 100,
    "title": 200,
    "phone": 50,
    "city": 120,
    "region": 120,
    "country": 120,
    "address": 300,
    "postal_code": 20,
    "source": 100,
}
SLOT_KEYS = frozenset({"slot1", "slot2", "slot3"})
_TIMEZONES = zoneinfo.available_timezones()


def _clean(workspace: Workspace, data: dict[str, Any], current: Lead | None) -> dict[str, Any]:
    """Normalize and validate lead input, collecting every field's problem at once."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for field, limit in LEAD_TEXT_FIELDS.items():
        if field in data:
            value = (data[field] or "").strip()
            if len(value) > limit:
                errors[field] = [f"At most {limit} characters."]
            clean[field] = value
    for field, normalizer in (("email", normalize_email), ("linkedin_url", normalize_linkedin_url)):
        if field in data:
            try:
                clean[field] = normalizer(data[field])
            except InvalidValue as exc:
                errors[field] = [str(exc)]
    if "email_status" in data:
        if data["email_status"] not in EmailStatus.values:
            errors["email_status"] = [f"Must be one of {', '.join(EmailStatus.values)}."]
        clean["email_status"] = data["email_status"]
    if "timezone" in data:
        tz = (data["timezone"] or "").strip()
        if tz and tz not in _TIMEZONES:
            errors["timezone"] = [f"'{tz}' is not an IANA time zone (e.g. Europe/Paris)."]
        clean["timezone"] = tz
    if "social_handles" in data:
        handles = data["social_handles"] or {}
        if not isinstance(handles, dict):
            errors["social_handles"] = ["Must be an object of network → handle."]
        clean["social_handles"] = {str(k): str(v).strip() for k, v in dict(handles).items() if v}
    if "slots" in data:
        slots = data["slots"] or {}
        bad = [k for k in slots if k not in SLOT_KEYS]
        if not isinstance(slots, dict) or bad:
            errors["slots"] = [f"Slots are {', '.join(sorted(SLOT_KEYS))}."]
        else:
            clean["slots"] = {k: str(v).strip() for k, v in slots.items() if v and str(v).strip()}
    if "do_not_contact" in data:
        clean["do_not_contact"] = bool(data["do_not_contact"])
    if "owner_id" in data:
        owner_id = data["owner_id"]
        if (
            owner_id is not None
            and not Membership.objects.filter(workspace=workspace, user_id=owner_id).exists()
        ):
            errors["owner_id"] = ["The owner must be a member of this workspace."]
        clean["owner_id"] = owner_id
    if "company_id" in data:
        company_id = data["company_id"]
        if (
            company_id is not None
            and not Company.objects.filter(workspace=workspace, pk=company_id).exists()
        ):
            errors["company_id"] = ["No such company in this workspace."]
        clean["company_id"] = company_id
    if "referred_by_id" in data:
        ref = data["referred_by_id"]
        if ref is not None and (
            (current and ref == current.pk)
            or not Lead.objects.filter(workspace=workspace, pk=ref).exists()
        ):
            errors["referred_by_id"] = ["No such lead in this workspace."]
        clean["referred_by_id"] = ref
    if errors:
        raise ValidationFailed("Invalid lead.", errors=errors)
    if "custom_fields" in data:
        clean["custom_fields"] = custom_values_clean(
            workspace=workspace,
            entity="lead",
            values=data["custom_fields"] or {},
            partial_of=current.custom_fields if current else None,
        )
    return clean


def _refresh_search_text(lead: Lead) -> None:
    company_name = lead.company.name if lead.company_id and lead.company else ""
    lead.search_text = search_text(
        lead.first_name, lead.last_name, lead.email, company_name, lead.title
    )


def lead_find_existing(
    *, workspace: Workspace, email: str | None, linkedin_url: str | None
) -> Lead | None:
    """The lead with this identity: by normalized email, else by canonical LinkedIn URL."""
    if email:
        lead = Lead.objects.filter(workspace=workspace, email=email).first()
        if lead:
            return lead
    if linkedin_url:
        return Lead.objects.filter(workspace=workspace, linkedin_url=linkedin_url).first()
    return None


def lead_create(
    *,
    workspace: Workspace,
    actor: Actor,
    data: dict[str, Any],
    on_conflict: str = "error",
    place_in_pipeline: bool = True,
) -> tuple[Lead, bool]:
    """Create a lead; returns ``(lead, created)``.

    ``data`` may name a company by ``company_id`` or by ``company_name``/``company_website``
    (found by domain, then name, else created). A lead whose email or LinkedIn URL is already
    known is a Conflict, or with ``on_conflict="return"`` the existing lead is returned as is.
    Records ``lead.created``; the pipelines app places the new lead at its default pipeline's
    Cold stage in the same transaction, unless the caller places it itself (referrals start
    Warm) and passes ``place_in_pipeline=False``.
    """
    if on_conflict not in {"error", "return"}:
        raise ValidationFailed.field("on_conflict", "Must be 'error' or 'return'.")
    clean = _clean(workspace, data, None)
    if not clean.get("email") and not clean.get("linkedin_url"):
        raise ValidationFailed(
            "A lead needs an email or a LinkedIn URL.",
            errors={"email": ["Give an email or a LinkedIn URL."]},
        )
    existing = lead_find_existing(
        workspace=workspace, email=clean.get("email"), linkedin_url=clean.get("linkedin_url")
    )
    if existing:
        if on_conflict == "return":
            return existing, False
        raise Conflict(
            "A lead with this email or LinkedIn URL already exists.", existing_id=existing.pk
        )
    with transaction.atomic():
        if "company_id" not in clean and (data.get("company_name") or data.get("company_website")):
            company = company_resolve(
                workspace=workspace,
                name=data.get("company_name") or "",
                website=data.get("company_website") or "",
                email=clean.get("email"),
            )
            clean["company_id"] = company.pk if company else None
        lead = Lead(workspace=workspace, **clean)
        _refresh_search_text(lead)
        try:
            with transaction.atomic():
                lead.save()
        except IntegrityError:
            # Lost a race with another writer of the same person.
            existing = lead_find_existing(
                workspace=workspace, email=lead.email, linkedin_url=lead.linkedin_url
            )
            if existing and on_conflict == "return":
                return existing, False
            raise Conflict(
                "A lead with this email or LinkedIn URL already exists.",
                existing_id=existing.pk if existing else None,
            ) from None
        activity_record(
            lead=lead,
            kind=ActivityKind.CREATED,
            actor=actor,
            payload={"source": lead.source} if lead.source else {},
        )
        event_record(
            type="lead.created",
            workspace_id=workspace.pk,
            actor=actor,
            subject_id=lead.pk,
            subject=new_lead_as_api(lead),
            hints={"place_in_pipeline": place_in_pipeline},
        )
    return lead, True


def lead_update(*, lead: Lead, actor: Actor, data: dict[str, Any]) -> Lead:
    """Change some fields of a lead, recording which ones on its timeline."""
    clean = _clean(lead.workspace, data, lead)
    if "email" in clean or "linkedin_url" in clean:
        email = clean.get("email", lead.email)
        linkedin = clean.get("linkedin_url", lead.linkedin_url)
        if not email and not linkedin:
            raise ValidationFailed.field("email", "A lead needs an email or a LinkedIn URL.")
    changed = [f for f, v in clean.items() if getattr(lead, f) != v]
    if not changed:
        return lead
    for field in changed:
        setattr(lead, field, clean[field])
    _refresh_search_text(lead)
    try:
        with transaction.atomic():
            lead.save()
            activity_record(
                lead=lead, kind=ActivityKind.UPDATED, actor=actor, payload={"fields": changed}
            )
            event_record(
                type="lead.updated",
                workspace_id=lead.workspace_id,
                actor=actor,
                subject_id=lead.pk,
                data={"fields": changed},
            )
    except IntegrityError:
        raise Conflict("Another lead already has this email or LinkedIn URL.") from None
    return lead


def lead_delete(*, lead: Lead, actor: Actor) -> None:
    """Delete a lead with its timeline, tasks and memberships; ``lead.deleted`` keeps its last
    state."""
    with transaction.atomic():
        event_record(
            type="lead.deleted", workspace_id=lead.workspace_id, actor=actor, subject_id=lead.pk
        )
        lead.delete()
