"""/leads/{id}/sources, /companies/{id}/sources, /sources/{id}, /posts: the feed's data API."""

from __future__ import annotations

from ninja import Query, Router
from ninja.responses import Status

from crm.api.caller import ApiRequest, actor_of
from crm.api.schemas.common import errors
from crm.errors import NotFound, ValidationFailed
from crm.models import Lead
from crm.normalize import InvalidValue, normalize_email, normalize_linkedin_url
from crm.selectors.leads import lead_get
from crm.selectors.records import company_get
from integrations.feed.schemas import (
    PostFilterQuery,
    PostIn,
    PostOut,
    PostPageOut,
    SourceIn,
    SourceOut,
    SourcePatch,
)
from integrations.feed.selectors import (
    PostFilters,
    identities_of,
    identity_get,
    post_get,
    posts_page,
)
from integrations.feed.services.identities import (
    identity_add,
    identity_delete,
    identity_retry,
    identity_update,
)
from integrations.feed.services.posts import post_delete, post_push

router = Router(tags=["feed"])


@router.get(
    "/leads/{lead_id}/sources",
    response={200: list[SourceOut], **errors(404)},
    summary="List a lead's post sources",
    description="Its social identities with their fetch state; `needs_attention` says why a "
    "source stopped being fetched.",
)
def lead_sources(request: ApiRequest, lead_id: int):
    lead = lead_get(workspace=request.workspace, lead_id=lead_id)
    return list(identities_of(workspace=request.workspace, lead=lead))


@router.post(
    "/leads/{lead_id}/sources",
    response={201: SourceOut, 200: SourceOut, **errors(404, 422)},
    summary="Add a post source to a lead",
    description="Not fetched now: due at the next refresh. The same source again is a 200 with "
    "the existing one. The first source of a network also appears in the lead's "
    "`social_handles`.",
)
def lead_source_add(request: ApiRequest, lead_id: int, payload: SourceIn):
    lead = lead_get(workspace=request.workspace, lead_id=lead_id)
    identity, created = identity_add(
        workspace=request.workspace,
        actor=actor_of(request),
        network=payload.network,
        value=payload.value,
        lead=lead,
    )
    return Status(201 if created else 200, identity)


@router.get(
    "/companies/{company_id}/sources",
    response={200: list[SourceOut], **errors(404)},
    summary="List a company's post sources",
)
def company_sources(request: ApiRequest, company_id: int):
    company = company_get(workspace=request.workspace, company_id=company_id)
    return list(identities_of(workspace=request.workspace, company=company))


@router.post(
    "/companies/{company_id}/sources",
    response={201: SourceOut, 200: SourceOut, **errors(404, 422)},
    summary="Add a post source to a company",
    description="The company's news: its posts appear once, with the company's leads.",
)
def company_source_add(request: ApiRequest, company_id: int, payload: SourceIn):
    company = company_get(workspace=request.workspace, company_id=company_id)
    identity, created = identity_add(
        workspace=request.workspace,
        actor=actor_of(request),
        network=payload.network,
        value=payload.value,
        company=company,
    )
    return Status(201 if created else 200, identity)


@router.get(
    "/sources/{source_id}", response={200: SourceOut, **errors(404)}, summary="Get a source"
)
def source_detail(request: ApiRequest, source_id: int):
    return identity_get(workspace=request.workspace, identity_id=source_id)


@router.patch(
    "/sources/{source_id}",
    response={200: SourceOut, **errors(404, 422)},
    summary="Change a source",
    description="Turn it off or on, or change its handle (its fetch state starts afresh).",
)
def source_update(request: ApiRequest, source_id: int, payload: SourcePatch):
    identity = identity_get(workspace=request.workspace, identity_id=source_id)
    return identity_update(
        identity=identity, actor=actor_of(request), enabled=payload.enabled, value=payload.value
    )


@router.post(
    "/sources/{source_id}/retry",
    response={200: SourceOut, **errors(404)},
    summary="Retry a source",
    description="Clears `needs_attention` and makes the source due now (resolved afresh).",
)
def source_retry(request: ApiRequest, source_id: int):
    return identity_retry(identity=identity_get(workspace=request.workspace, identity_id=source_id))


@router.delete(
    "/sources/{source_id}",
    response={204: None, **errors(404, 422)},
    summary="Remove a source",
    description="Its posts stay. A profile handle also leaves the lead's `social_handles`.",
)
def source_delete(request: ApiRequest, source_id: int):
    identity = identity_get(workspace=request.workspace, identity_id=source_id)
    identity_delete(identity=identity, actor=actor_of(request))
    return Status(204, None)


@router.get(
    "/posts",
    response={200: PostPageOut, **errors(422)},
    summary="List posts",
    description="Newest first; pages follow `next_cursor` (keyset pagination).",
)
def posts_list(request: ApiRequest, query: Query[PostFilterQuery]):
    page = posts_page(
        workspace=request.workspace,
        filters=PostFilters(
            lead_id=query.lead_id,
            company_id=query.company_id,
            list_id=query.list_id,
            network=query.network,
            since=query.since,
        ),
        cursor=query.cursor,
        limit=query.limit,
    )
    return {"items": page.posts, "next_cursor": page.next_cursor}


def _lead_of(request: ApiRequest, payload: PostIn) -> Lead:
    if payload.lead_id is not None:
        return lead_get(workspace=request.workspace, lead_id=payload.lead_id)
    try:
        if payload.lead_email:
            email = normalize_email(payload.lead_email)
            lead = Lead.objects.filter(workspace=request.workspace, email=email).first()
            field = "lead_email"
        else:
            url = normalize_linkedin_url(payload.lead_linkedin_url)
            lead = Lead.objects.filter(workspace=request.workspace, linkedin_url=url).first()
            field = "lead_linkedin_url"
    except InvalidValue as exc:
        raise ValidationFailed.field(
            "lead_email" if payload.lead_email else "lead_linkedin_url", str(exc)
        ) from None
    if lead is None:
        what = field.removeprefix("lead_").replace("_", " ")
        raise NotFound(
            f"No lead with this {what} in this workspace.", errors={field: ["Unknown lead."]}
        )
    return lead


@router.post(
    "/posts",
    response={201: PostOut, 200: PostOut, **errors(404, 422)},
    summary="Push a post",
    description="A post from a network Kindling does not read (LinkedIn, X without a key). "
    "Name the lead by `lead_id`, `lead_email` or `lead_linkedin_url`. 201 with the new post; "
    "200 with the existing post when its URL is already known; 404 for an unknown lead.",
)
def post_push_view(request: ApiRequest, payload: PostIn):
    lead = _lead_of(request, payload)
    post, created = post_push(
        lead=lead,
        actor=actor_of(request),
        network=payload.network,
        url=payload.url,
        text=payload.text,
        posted_at=payload.posted_at,
    )
    return Status(201 if created else 200, post)


@router.get("/posts/{post_id}", response={200: PostOut, **errors(404)}, summary="Get a post")
def post_detail(request: ApiRequest, post_id: int):
    return post_get(workspace=request.workspace, post_id=post_id)


@router.delete("/posts/{post_id}", response={204: None, **errors(404)}, summary="Delete a post")
def post_delete_view(request: ApiRequest, post_id: int):
    post_delete(post=post_get(workspace=request.workspace, post_id=post_id))
    return Status(204, None)
