from __future__ import annotations

import re
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from crm.actors import Actor
from crm.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from crm.events import event_record
from crm.models import Membership, Role, Workspace
from crm.normalize import InvalidValue, normalize_email

_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")


def _required_address(email: str) -> str:
    try:
        address = normalize_email(email)
    except InvalidValue as exc:
        raise ValidationFailed.field("email", str(exc)) from None
    if not address:
        raise ValidationFailed.field("email", "An email is required.")
    return address


def user_get_or_create(*, email: str, password: str | None = None) -> tuple[User, str | None]:
    """The user with this email, created when new; returns ``(user, generated_password)``.

    A new user without a given password gets a generated one, returned once so a command can
    print it; nothing stores it in clear.
    """
    address = _required_address(email)
    User = get_user_model()
    user = User.objects.filter(email__iexact=address).first()
    if user is not None:
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
        return user, None
    generated = None
    if not password:
        generated = password = secrets.token_urlsafe(12)
    user = User.objects.create_user(username=address, email=address, password=password)
    return user, generated


def workspace_create(*, name: str, slug: str, owner: User) -> Workspace:
    """Create a workspace with its owner; ``workspace.created`` gives it its default pipeline."""
    slug = slug.strip().lower()
    if not _SLUG_RE.match(slug):
        raise ValidationFailed.field(
            "slug", "Use 1–60 lower-case letters, digits and dashes (not at either end)."
        )
    try:
        with transaction.atomic():
            workspace = Workspace.objects.create(name=name.strip() or slug, slug=slug)
            Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
            event_record(
                type="workspace.created",
                workspace_id=workspace.pk,
                actor=Actor.of_user(owner),
                subject_id=workspace.pk,
                subject={"id": workspace.pk, "slug": workspace.slug, "name": workspace.name},
                data={"owner_id": owner.pk},
            )
    except IntegrityError:
        raise Conflict(f"A workspace '{slug}' already exists.") from None
    return workspace


def membership_add(*, workspace: Workspace, user: User, role: str = Role.MEMBER) -> Membership:
    """Give a person access to a workspace, or change their role.

    The last owner cannot be turned into an admin or member: a workspace always has an owner.
    """
    if role not in Role.values:
        raise ValidationFailed.field("role", f"Must be one of {', '.join(Role.values)}.")
    with transaction.atomic():
        current = (
            Membership.objects.select_for_update().filter(workspace=workspace, user=user).first()
        )
        if current is not None and current.role == Role.OWNER and role != Role.OWNER:
            _keep_an_owner(workspace, leaving=user)
        membership, _ = Membership.objects.update_or_create(
            workspace=workspace, user=user, defaults={"role": role}
        )
    return membership


def membership_remove(*, workspace: Workspace, user: User) -> None:
    """Take a person out of a workspace; their leads and tasks stay, unassigned from nobody.

    The last owner cannot leave: someone must be able to manage the workspace.
    """
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().filter(workspace=workspace, user=user).first()
        )
        if membership is None:
            raise NotFound("This person is not a member of the workspace.")
        if membership.role == Role.OWNER:
            _keep_an_owner(workspace, leaving=user)
        membership.delete()


def _keep_an_owner(workspace: Workspace, *, leaving: User) -> None:
    others = Membership.objects.select_for_update().filter(workspace=workspace, role=Role.OWNER)
    if not others.exclude(user=leaving).exists():
        raise Conflict("A workspace needs at least one owner: make someone else owner first.")


def _require_team_manager(workspace: Workspace, by: User, *, touches_owner: bool) -> None:
    """Owners and admins manage the team; only an owner changes an owner or makes one."""
    role = (
        Membership.objects.filter(workspace=workspace, user=by)
        .values_list("role", flat=True)
        .first()
    )
    if role not in (Role.OWNER, Role.ADMIN):
        raise PermissionDenied("Only owners and admins change the team and the custom fields.")
    if touches_owner and role != Role.OWNER:
        raise PermissionDenied("Only an owner can change an owner or make someone an owner.")


def _is_owner(workspace: Workspace, user: User) -> bool:
    return Membership.objects.filter(workspace=workspace, user=user, role=Role.OWNER).exists()


def team_member_add(
    *, workspace: Workspace, by: User, email: str, role: str, name: str = ""
) -> Membership:
    """``by`` adds a person by email, or changes the role of someone already there.

    A new person is created without a usable password (and with ``name``, when given): they
    choose one from the invitation that crm.services.invitations sends. Nobody hands over a
    password.
    """
    if role == Role.OWNER:
        _require_team_manager(workspace, by, touches_owner=False)
        if not _is_owner(workspace, by):
            raise ValidationFailed.field("role", "Only an owner can make someone an owner.")
    with transaction.atomic():
        user = _invitee_get_or_create(email=email, name=name)
        _require_team_manager(workspace, by, touches_owner=False)
        current = Membership.objects.filter(workspace=workspace, user=user).first()
        if current is not None and current.role == Role.OWNER and not _is_owner(workspace, by):
            raise PermissionDenied("Only an owner can change an owner.")
        membership = membership_add(workspace=workspace, user=user, role=role)
    return membership


def _invitee_get_or_create(*, email: str, name: str) -> User:
    address = _required_address(email)
    User = get_user_model()
    user = User.objects.filter(email__iexact=address).first()
    if user is not None:
        return user
    first, _, last = " ".join(name.split()).partition(" ")
    # No password: an unusable one until the invitation's link sets it.
    return User.objects.create_user(
        username=address, email=address, password=None, first_name=first[:150], last_name=last[:150]
    )


def team_member_change(
    *, workspace: Workspace, by: User, membership: Membership, role: str | None
) -> None:
    """``by`` gives a member another role, or takes them out of the team (``role=None``)."""
    touches_owner = membership.role == Role.OWNER or role == Role.OWNER
    _require_team_manager(workspace, by, touches_owner=touches_owner)
    if role is None:
        membership_remove(workspace=workspace, user=membership.user)
    else:
        membership_add(workspace=workspace, user=membership.user, role=role)
