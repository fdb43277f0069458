"""Small embedded views of related records (a lead's company, owner, tags)."""

from __future__ import annotations

from typing import Any

from ninja import Schema

from crm.people import display_name


class UserRef(Schema):
    id: int
    email: str
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return display_name(obj)


class CompanyRef(Schema):
    id: int
    name: str
    domain: str | None


class TagRef(Schema):
    id: int
    name: str
    color: str
