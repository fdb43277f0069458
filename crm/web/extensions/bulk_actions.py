"""What can be done to the leads ticked in a table (or to every lead a filter matches).

A handler gets the workspace, the lead ids (already scoped to nothing: services ignore other
workspaces' ids), the acting person and the form's other values, and returns the message to
show. It raises ``BulkRefused`` for "choose a sequence first"-style warnings and a
``DomainError`` for a rule the change would break. Beyond ``BULK_INLINE_MAX`` leads a handler
runs in a Celery task, in chunks, so it must be safe to call several times with parts of the ids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from crm.actors import Actor
from crm.models import Workspace
from crm.web.extensions.registry import Registry

LEADS_PAGE = "leads"
LIST_PAGE = "list"


class BulkRefused(Exception):
    """The action cannot start with these inputs; the message is shown as a warning."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BulkHandler(Protocol):
    def __call__(
        self,
        *,
        workspace: Workspace,
        lead_ids: Sequence[int],
        actor: Actor,
        data: Mapping[str, str],
    ) -> str: ...


@dataclass(frozen=True)
class BulkAction:
    key: str
    label: str
    handler: BulkHandler
    # Inputs shown before the button (a select of sequences…); its context has ``action``,
    # ``options`` and ``workspace``.
    template: str = ""
    # What the template offers for this workspace (the sequences to enroll in…).
    options: Callable[[Workspace], Any] | None = None
    # Hide the action while ``options`` offers nothing (no sequence to enroll in yet).
    needs_options: bool = False
    icon: str = ""
    danger: bool = False
    # Pages whose bulk bar offers it: the leads page, a list's page.
    pages: frozenset[str] = field(default_factory=lambda: frozenset({LEADS_PAGE, LIST_PAGE}))
    order: int = 100


BULK_ACTIONS: Registry[BulkAction] = Registry("bulk actions")


@dataclass(frozen=True)
class OfferedAction:
    action: BulkAction
    options: Any


def actions_offered(*, workspace: Workspace, page: str) -> list[OfferedAction]:
    """The page's bulk actions with what each offers; those that need options and have none
    are left out."""
    offered = []
    for action in BULK_ACTIONS.all():
        if page not in action.pages:
            continue
        options = action.options(workspace) if action.options is not None else None
        if action.needs_options and not options:
            continue
        offered.append(OfferedAction(action, options))
    return offered


# Form fields the bulk form itself uses; the rest is the action's own input.
_FORM_FIELDS = {
    "csrfmiddlewaretoken", "action", "lead_ids", "next", "select_all", "query", "scope_list",
}  # fmt: skip


def action_data(post: Mapping[str, Any]) -> dict[str, str]:
    """The action's own inputs from a POST (one value each), as its handler receives them."""
    return {k: str(post.get(k, "")) for k in post if k not in _FORM_FIELDS}
