from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404

from crm.models import Membership, Workspace


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user).select_related("workspace").order_by("workspace__name")
    )


def membership_get(*, user: User, slug: str) -> Membership:
    """The user's membership of the workspace with this slug; 404 when not a member."""
    membership = (
        Membership.objects.filter(user=user, workspace__slug=slug)
        .select_related("workspace")
        .first()
    )
    if membership is None:
        raise Http404("No such workspace")
    return membership


def workspace_members(*, workspace: Workspace) -> QuerySet:
    """People of a workspace: who a lead or a task can be assigned to."""
    return get_user_model().objects.filter(memberships__workspace=workspace).order_by("email")
