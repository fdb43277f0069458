"""Who made a change: a person, the system, an automatic rule or an integration.

Services take an Actor so the timeline and stage history can say who did what.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crm.models import ActorType

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class Actor:
    type: str
    user: User | None = None
    name: str = ""

    @classmethod
    def of_user(cls, user: User) -> Actor:
        return cls(ActorType.USER, user)

    @classmethod
    def system(cls, name: str = "") -> Actor:
        return cls(ActorType.SYSTEM, None, name)

    @classmethod
    def rule(cls, name: str) -> Actor:
        return cls(ActorType.RULE, None, name)

    @classmethod
    def integration(cls, name: str) -> Actor:
        return cls(ActorType.INTEGRATION, None, name)

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None
