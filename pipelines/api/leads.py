"""/leads/{id}/…: a lead's pipelines, the events that drive the stage rules, its referrals."""

from __future__ import annotations

from ninja import Router
from ninja.responses import Status

from crm.api.caller import ApiRequest, actor_of
from crm.api.schemas.common import RecordId, errors
from crm.selectors.leads import lead_get
from pipelines.schemas import (
    ConversationIn,
    EngagementIn,
    EntryOut,
    EventIn,
    PaymentIn,
    ReferralsIn,
    ReferralsOut,
)
from pipelines.selectors.board import entries_of_lead, referrals_of
from pipelines.services import (
    conversation_log,
    engagement_log,
    referrals_record,
    rule_customer_paid,
    rule_reply_received,
)

router = Router(tags=["pipelines"])


def _lead(request: ApiRequest, lead_id: int):  # type: ignore[no-untyped-def]
    return lead_get(workspace=request.workspace, lead_id=lead_id)


def _entries(lead) -> list:  # type: ignore[no-untyped-def]
    entries = entries_of_lead(lead=lead)
    for entry in entries:
        entry.lead = lead
    return entries


@router.get(
    "/leads/{lead_id}/pipelines",
    response={200: list[EntryOut], **errors(404)},
    summary="A lead's place in each pipeline",
)
def lead_pipelines(request: ApiRequest, lead_id: RecordId):
    return _entries(_lead(request, lead_id))


@router.post(
    "/leads/{lead_id}/engagements",
    response={201: list[EntryOut], **errors(404, 422)},
    summary="Log a like, comment, connection or DM",
    description="On the timeline; a Cold lead moves to Engaged (when the rule is on).",
)
def lead_engagement(request: ApiRequest, lead_id: RecordId, payload: EngagementIn):
    lead = _lead(request, lead_id)
    engagement_log(lead=lead, kind=payload.kind, body=payload.body, actor=actor_of(request))
    return Status(201, _entries(lead))


@router.post(
    "/leads/{lead_id}/conversations",
    response={201: list[EntryOut], **errors(404, 422)},
    summary="Log a call, meeting or catch-up note",
    description="A customer moves to the next Catch-up stage (when the rule is on).",
)
def lead_conversation(request: ApiRequest, lead_id: RecordId, payload: ConversationIn):
    lead = _lead(request, lead_id)
    conversation_log(lead=lead, kind=payload.kind, body=payload.body, actor=actor_of(request))
    return Status(201, _entries(lead))


@router.post(
    "/leads/{lead_id}/replies",
    response={200: list[EntryOut], **errors(404, 422)},
    summary="Record a real reply",
    description="A Cold or Engaged lead moves to Warm (when the rule is on). Idempotent by "
    "`event_key`.",
)
def lead_reply(request: ApiRequest, lead_id: RecordId, payload: EventIn):
    lead = _lead(request, lead_id)
    rule_reply_received(lead=lead, actor=actor_of(request), event_key=payload.event_key)
    return _entries(lead)


@router.post(
    "/leads/{lead_id}/payments",
    response={200: list[EntryOut], **errors(404, 422)},
    summary="Record a payment",
    description="The lead becomes a Customer at catch-up 0; the amount (minor units) becomes "
    "the deal value. Idempotent by `event_key` (e.g. the Stripe event id).",
)
def lead_payment(request: ApiRequest, lead_id: RecordId, payload: PaymentIn):
    lead = _lead(request, lead_id)
    rule_customer_paid(
        lead=lead,
        actor=actor_of(request),
        amount_minor=payload.amount_minor,
        currency=payload.currency,
        event_key=payload.event_key,
    )
    return _entries(lead)


@router.get(
    "/leads/{lead_id}/referrals",
    response={200: ReferralsOut, **errors(404)},
    summary="Who referred this lead, and whom it referred",
)
def lead_referrals(request: ApiRequest, lead_id: RecordId):
    lead = _lead(request, lead_id)
    return {"referred_by": lead.referred_by, "referrals": referrals_of(lead=lead)}


@router.post(
    "/leads/{lead_id}/referrals",
    response={201: ReferralsOut, **errors(404, 422)},
    summary="Record the people a customer referred",
    description="Each becomes a Warm lead with `referred_by` (a known person is linked, not "
    "duplicated). One invalid person rejects the lot: errors under `people.<i>.<field>`.",
)
def lead_referrals_create(request: ApiRequest, lead_id: RecordId, payload: ReferralsIn):
    lead = _lead(request, lead_id)
    referrals_record(
        customer=lead,
        people=[p.dict(exclude_none=True) for p in payload.people],
        actor=actor_of(request),
    )
    return Status(201, {"referred_by": lead.referred_by, "referrals": referrals_of(lead=lead)})
