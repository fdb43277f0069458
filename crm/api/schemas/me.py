"""Who is calling: the API key's user and workspace."""

from __future__ import annotations

from ninja import Schema

from crm.api.schemas.refs import UserRef


class WorkspaceRef(Schema):
    id: int
    name: str
    slug: str


class MeOut(Schema):
    user: UserRef
    workspace: WorkspaceRef
    role: str
    key_name: str
