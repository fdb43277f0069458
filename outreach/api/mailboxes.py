"""/sending-domains and /mailboxes: where email leaves from, its caps, warm-up and health."""

from __future__ import annotations

from ninja import Router
from ninja.responses import Status

from crm.api.caller import ApiRequest
from crm.api.schemas.common import errors
from outreach.schemas import (
    ConnectionOut,
    DkimDiscoveryOut,
    DomainIn,
    DomainOut,
    MailboxIn,
    MailboxOut,
    MailboxSettings,
    PauseIn,
)
from outreach.selectors import domain_get, domains_of, mailbox_get, mailboxes_of
from outreach.services.connection_test import mailbox_test_connection
from outreach.services.dkim_discovery import dkim_selector_discover
from outreach.services.domain_checks import sending_domain_add
from outreach.services.domains import sending_domain_pause, sending_domain_resume
from outreach.services.mailboxes import (
    mailbox_create,
    mailbox_pause,
    mailbox_resume,
    mailbox_update,
)

router = Router(tags=["sending"])


@router.get("/sending-domains", response={200: list[DomainOut], **errors()})
def domains_view(request: ApiRequest):
    return domains_of(workspace=request.workspace)


@router.post(
    "/sending-domains",
    response={201: DomainOut, **errors(409, 422)},
    description="Adds the domain (its warm-up starts) and queues its first DNS check.",
)
def domain_create_view(request: ApiRequest, payload: DomainIn):
    domain = sending_domain_add(
        workspace=request.workspace,
        domain=payload.domain,
        timezone_name=payload.timezone,
        added_on=payload.added_on,
        warmup_days=payload.warmup_days,
        daily_cap=payload.daily_cap,
    )
    return Status(201, domain)


@router.get("/sending-domains/{domain_id}", response={200: DomainOut, **errors(404)})
def domain_detail(request: ApiRequest, domain_id: int):
    return domain_get(workspace=request.workspace, domain_id=domain_id)


@router.post("/sending-domains/{domain_id}/pause", response={200: DomainOut, **errors(404, 422)})
def domain_pause_view(request: ApiRequest, domain_id: int, payload: PauseIn):
    domain = domain_get(workspace=request.workspace, domain_id=domain_id)
    return sending_domain_pause(domain=domain, reason=payload.reason)


@router.post("/sending-domains/{domain_id}/resume", response={200: DomainOut, **errors(404)})
def domain_resume_view(request: ApiRequest, domain_id: int):
    domain = domain_get(workspace=request.workspace, domain_id=domain_id)
    return sending_domain_resume(domain=domain)


@router.get("/mailboxes", response={200: list[MailboxOut], **errors()})
def mailboxes_view(request: ApiRequest):
    return mailboxes_of(workspace=request.workspace)


@router.post("/mailboxes", response={201: MailboxOut, **errors(404, 409, 422)})
def mailbox_create_view(request: ApiRequest, payload: MailboxIn):
    domain = domain_get(workspace=request.workspace, domain_id=payload.domain_id)
    data = payload.dict(exclude_unset=True, exclude={"domain_id", "address"})
    mailbox = mailbox_create(
        workspace=request.workspace, domain=domain, address=payload.address, data=data
    )
    return Status(201, mailbox)


@router.get("/mailboxes/{mailbox_id}", response={200: MailboxOut, **errors(404)})
def mailbox_detail(request: ApiRequest, mailbox_id: int):
    return mailbox_get(workspace=request.workspace, mailbox_id=mailbox_id)


@router.patch(
    "/mailboxes/{mailbox_id}",
    response={200: MailboxOut, **errors(404, 422)},
    description="A blank or omitted password keeps the stored one.",
)
def mailbox_update_view(request: ApiRequest, mailbox_id: int, payload: MailboxSettings):
    mailbox = mailbox_get(workspace=request.workspace, mailbox_id=mailbox_id)
    return mailbox_update(mailbox=mailbox, data=payload.dict(exclude_unset=True))


@router.post(
    "/mailboxes/{mailbox_id}/test",
    response={200: ConnectionOut, **errors(404)},
    description="Logs in to the SMTP and IMAP servers. A failure is told in Kindling's words "
    "(never the server's banner); a host at a private or internal address is not dialled.",
)
def mailbox_test_view(request: ApiRequest, mailbox_id: int):
    mailbox = mailbox_get(workspace=request.workspace, mailbox_id=mailbox_id)
    return mailbox_test_connection(mailbox=mailbox)


@router.post(
    "/mailboxes/{mailbox_id}/dkim-discovery",
    response={200: DkimDiscoveryOut, **errors(404, 422)},
    description="Sends the mailbox a test message from itself, reads the DKIM-Signature of the "
    "copy in its INBOX and saves the selector when exactly one aligned with the From domain "
    "is found. Waits up to a minute for the message.",
)
def mailbox_dkim_discovery_view(request: ApiRequest, mailbox_id: int):
    mailbox = mailbox_get(workspace=request.workspace, mailbox_id=mailbox_id)
    return dkim_selector_discover(mailbox=mailbox)


@router.post("/mailboxes/{mailbox_id}/pause", response={200: MailboxOut, **errors(404, 422)})
def mailbox_pause_view(request: ApiRequest, mailbox_id: int, payload: PauseIn):
    mailbox = mailbox_get(workspace=request.workspace, mailbox_id=mailbox_id)
    mailbox_pause(mailbox=mailbox, reason=payload.reason)
    return mailbox


@router.post("/mailboxes/{mailbox_id}/resume", response={200: MailboxOut, **errors(404)})
def mailbox_resume_view(request: ApiRequest, mailbox_id: int):
    mailbox = mailbox_get(workspace=request.workspace, mailbox_id=mailbox_id)
    mailbox_resume(mailbox=mailbox)
    return mailbox
