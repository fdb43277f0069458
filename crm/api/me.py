"""/me: which person and workspace an API key acts as (a quick check of a new key)."""

from __future__ import annotations

from ninja import Router

from crm.api.caller import ApiRequest
from crm.api.schemas.common import errors
from crm.api.schemas.me import MeOut
from crm.selectors.workspaces import membership_get

router = Router(tags=["me"])


@router.get("/me", response={200: MeOut, **errors()}, summary="The API key's user and workspace")
def me_view(request: ApiRequest):
    workspace = request.workspace
    membership = membership_get(user=request.user, slug=workspace.slug)
    return {
        "user": request.user,
        "workspace": workspace,
        "role": membership.role,
        "key_name": request.auth.name,
    }
