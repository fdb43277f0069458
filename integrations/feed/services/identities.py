"""Writes of social identities: add, change, remove, retry by hand, and mirror a lead's profile.

A lead's ``social_handles`` and LinkedIn URL stay the stored fields the lead API reads and
writes; the identities marked ``from_profile`` mirror them (``identities_sync_from_leads``, run
by the lead subscriber inside the lead's transaction). A source added here for a network the
lead's profile does not name yet is written into ``social_handles`` too, and removing a profile
identity removes it there, so both views always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from crm.actors import Actor
from crm.errors import ValidationFailed
from crm.models import Company, Lead, Workspace
from crm.normalize import InvalidValue
from crm.services.leads import lead_update
from integrations.feed.handles import Handle, handle_normalize, network_for_key
from integrations.feed.models import PUSH_ONLY_NETWORKS, SocialIdentity


def _handle(network: str, value: str) -> Handle:
    try:
        return handle_normalize(network, value)
    except InvalidValue as exc:
        raise ValidationFailed.field("value", str(exc)) from None


def _first_check(network: str) -> Any:
    return None if network in PUSH_ONLY_NETWORKS else timezone.now()


def identity_add(
    *,
    workspace: Workspace,
    actor: Actor,
    network: str,
    value: str,
    lead: Lead | None = None,
    company: Company | None = None,
) -> tuple[SocialIdentity, bool]:
    """Add a source to a lead or a company without fetching it; ``(identity, created)``.

    The same source again (in any spelling) returns the existing one. A new source is due at
    once. Malformed values are a ValidationFailed on ``value``.
    """
    if (lead is None) == (company is None):
        raise ValidationFailed("A source belongs to a lead or to a company.")
    handle = _handle(network, value)
    owner: dict[str, Any] = {"lead": lead} if lead is not None else {"company": company}
    with transaction.atomic():
        existing = SocialIdentity.objects.filter(
            workspace=workspace, network=handle.network, value=handle.value, **owner
        ).first()
        if existing is not None:
            return existing, False
        profile_key = lead is not None and _profile_has_room(lead, handle.network)
        identity = SocialIdentity.objects.create(
            workspace=workspace,
            network=handle.network,
            value=handle.value,
            resolved_url=handle.feed_url,
            from_profile=profile_key,
            next_check_at=_first_check(handle.network),
            **owner,
        )
        if profile_key and lead is not None:
            handles = {**lead.social_handles, handle.network: handle.value}
            lead_update(lead=lead, actor=actor, data={"social_handles": handles})
    return identity, True


def _profile_has_room(lead: Lead, network: str) -> bool:
    if network == "linkedin":
        return False  # the lead's LinkedIn URL is its identity for dedupe: changed on the lead
    return all(network_for_key(key) != network for key in lead.social_handles)


def identity_update(
    *, identity: SocialIdentity, actor: Actor, enabled: bool | None = None, value: str | None = None
) -> SocialIdentity:
    """Turn a source on or off, or change its handle (which starts its fetch state afresh)."""
    with transaction.atomic():
        if enabled is not None:
            identity.enabled = enabled
            if enabled and identity.next_check_at is None:
                identity.next_check_at = _first_check(identity.network)
        if value is not None:
            handle = _handle(identity.network, value)
            if handle.value != identity.value:
                if identity.from_profile:
                    raise ValidationFailed.field(
                        "value", "This source mirrors the lead's profile: change it on the lead."
                    )
                _reset(identity)
                identity.value, identity.resolved_url = handle.value, handle.feed_url
        identity.save()
    return identity


def _reset(identity: SocialIdentity) -> None:
    identity.resolved_id = ""
    identity.etag = identity.last_modified = identity.cursor = ""
    identity.consecutive_failures = 0
    identity.last_error = identity.needs_attention = ""
    identity.next_check_at = _first_check(identity.network)


def identity_retry(*, identity: SocialIdentity) -> SocialIdentity:
    """A person retries a source that needs attention: due now, resolved afresh."""
    handle = _handle(identity.network, identity.value)
    _reset(identity)
    identity.resolved_url = handle.feed_url
    identity.enabled = True
    identity.save()
    return identity


def identity_delete(*, identity: SocialIdentity, actor: Actor) -> None:
    """Remove a source (its posts stay). A profile handle also leaves the lead's profile."""
    with transaction.atomic():
        if identity.from_profile and identity.lead_id is not None:
            if identity.network == "linkedin":
                raise ValidationFailed.field(
                    "network", "The LinkedIn URL is the lead's identity: change it on the lead."
                )
            lead = Lead.objects.select_for_update().get(pk=identity.lead_id)
            handles = {
                key: raw
                for key, raw in lead.social_handles.items()
                if network_for_key(key) != identity.network
            }
            identity.delete()
            lead_update(lead=lead, actor=actor, data={"social_handles": handles})
            return
        identity.delete()


def _profile_handles(
    linkedin_url: str | None, handles: dict[str, Any]
) -> dict[tuple[str, str], str]:
    """(network, value) → feed URL of what a lead's profile names (malformed ones skipped)."""
    given = [("linkedin", linkedin_url)] if linkedin_url else []
    for key, raw in (handles or {}).items():
        network = network_for_key(str(key))
        if network and network != "linkedin" and raw:
            given.append((network, str(raw)))
    wanted: dict[tuple[str, str], str] = {}
    for network, raw in given:
        try:
            handle = handle_normalize(network, raw)
        except InvalidValue:
            continue  # kept in social_handles as typed; nothing to fetch
        wanted[(handle.network, handle.value)] = handle.feed_url
    return wanted


def identities_sync_from_leads(*, workspace_id: int, lead_ids: Iterable[int]) -> None:
    """Make the leads' profile identities match their social_handles and LinkedIn URL.

    In a few queries for a whole batch (an import's chunk of new leads): missing ones are
    created (due at once), ones no longer named are removed, and a source added earlier by hand
    that the profile now names becomes a profile identity.
    """
    ids = list(lead_ids)
    if not ids:
        return
    leads = Lead.objects.filter(workspace_id=workspace_id, pk__in=ids).values_list(
        "pk", "linkedin_url", "social_handles"
    )
    wanted = {pk: _profile_handles(url, handles) for pk, url, handles in leads}
    current: dict[int, dict[tuple[str, str], tuple[int, bool]]] = {}
    for pk, lead_id, network, value, from_profile in SocialIdentity.objects.filter(
        lead_id__in=list(wanted)
    ).values_list("pk", "lead_id", "network", "value", "from_profile"):
        current.setdefault(lead_id, {})[(network, value)] = (pk, from_profile)
    create: list[SocialIdentity] = []
    adopt: list[int] = []
    drop: list[int] = []
    now = timezone.now()
    for lead_id, names in wanted.items():
        have = current.get(lead_id, {})
        for key, feed_url in names.items():
            if key not in have:
                network, value = key
                create.append(
                    SocialIdentity(
                        workspace_id=workspace_id,
                        lead_id=lead_id,
                        network=network,
                        value=value,
                        resolved_url=feed_url,
                        from_profile=True,
                        next_check_at=None if network in PUSH_ONLY_NETWORKS else now,
                    )
                )
            elif not have[key][1]:
                adopt.append(have[key][0])
        drop.extend(pk for key, (pk, profile) in have.items() if profile and key not in names)
    if create:
        SocialIdentity.objects.bulk_create(create, ignore_conflicts=True)
    if adopt:
        SocialIdentity.objects.filter(pk__in=adopt).update(from_profile=True)
    if drop:
        SocialIdentity.objects.filter(pk__in=drop).delete()
