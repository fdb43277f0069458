from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from crm.models import Workspace
from outreach.models import (
    Enrollment,
    Mailbox,
    OutboundMessage,
    SendingDomain,
    Sequence,
    Suppression,
    Transport,
)


def domains_of(*, workspace: Workspace) -> QuerySet[SendingDomain]:
    return SendingDomain.objects.filter(workspace=workspace).order_by("domain")


def domain_get(*, workspace: Workspace, domain_id: int) -> SendingDomain:
    return get_object_or_404(SendingDomain, workspace=workspace, pk=domain_id)


def mailboxes_of(*, workspace: Workspace) -> QuerySet[Mailbox]:
    return Mailbox.objects.filter(workspace=workspace).select_related("domain").order_by("address")


def mailbox_get(*, workspace: Workspace, mailbox_id: int) -> Mailbox:
    return get_object_or_404(
        Mailbox.objects.select_related("domain"), workspace=workspace, pk=mailbox_id
    )


def mailboxes_with_inbox() -> QuerySet[Mailbox]:
    """Every mailbox inbox sync should poll (all workspaces: used by the scheduler only)."""
    return Mailbox.objects.filter(transport=Transport.SMTP).exclude(imap_host="")


def sequences_of(*, workspace: Workspace) -> QuerySet[Sequence]:
    return Sequence.objects.filter(workspace=workspace).order_by("-created_at", "-id")


def sequence_get(*, workspace: Workspace, sequence_id: int) -> Sequence:
    return get_object_or_404(Sequence, workspace=workspace, pk=sequence_id)


def enrollments_of(*, sequence: Sequence) -> QuerySet[Enrollment]:
    return sequence.enrollments.select_related("lead", "mailbox").order_by("id")


def enrollment_get(*, workspace: Workspace, enrollment_id: int) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.select_related("lead__company", "mailbox", "sequence"),
        workspace=workspace,
        pk=enrollment_id,
    )


def message_get(*, workspace: Workspace, message_id: int) -> OutboundMessage:
    return get_object_or_404(OutboundMessage, workspace=workspace, pk=message_id)


def captured_messages(*, workspace: Workspace) -> QuerySet[OutboundMessage]:
    """What capture mailboxes "sent": the viewer of the demo workspace."""
    return (
        OutboundMessage.objects.filter(workspace=workspace, mailbox__transport=Transport.CAPTURE)
        .exclude(raw_mime="")
        .select_related("lead", "mailbox")
        .order_by("-sent_at", "-id")
    )


def suppressions_of(*, workspace: Workspace) -> QuerySet[Suppression]:
    return Suppression.objects.filter(workspace=workspace).order_by("-created_at", "-id")
