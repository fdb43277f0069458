"""Thin Celery tasks: ids in, a service call, nothing else. Queues: "send", "inbox", "dns"."""

from __future__ import annotations

import logging

from celery import shared_task

from outreach.sending.planner import plan_due_sends
from outreach.sending.sender import send_message, sweep_stale_sends

logger = logging.getLogger(__name__)


@shared_task(name="outreach.plan_due_sends", ignore_result=True)
def plan_due_sends_task() -> dict:
    return dict(plan_due_sends())


@shared_task(name="outreach.send_message", bind=True, ignore_result=True, acks_late=False)
def send_message_task(self, message_id: int) -> str:  # type: ignore[no-untyped-def]
    # acks_late off: redelivering a send after a worker crash is pointless — the claim would
    # refuse it and the sweeper owns what a crash leaves behind.
    result = send_message(message_id=message_id)
    if result.outcome == "retry" and result.retry_in is not None:
        send_message_task.apply_async((message_id,), countdown=result.retry_in, queue="send")
    return result.outcome


@shared_task(name="outreach.sweep_stale_sends", ignore_result=True)
def sweep_stale_sends_task() -> dict:
    swept = sweep_stale_sends()
    for message_id in swept.requeue_ids:
        send_message_task.apply_async((message_id,), queue="send")
    return {"unknown": swept.unknown, "requeued": len(swept.requeue_ids)}


@shared_task(name="outreach.sync_inboxes", ignore_result=True)
def sync_inboxes_task() -> int:
    """Fan out: one sync task per mailbox with an inbox, on the "inbox" queue."""
    from outreach.selectors import mailboxes_with_inbox

    ids = list(mailboxes_with_inbox().values_list("pk", flat=True))
    for mailbox_id in ids:
        sync_inbox_task.apply_async((mailbox_id,), queue="inbox")
    return len(ids)


@shared_task(name="outreach.sync_inbox", ignore_result=True)
def sync_inbox_task(mailbox_id: int) -> dict:
    from outreach.inbox.sync import InboxUnavailable, inbox_sync
    from outreach.models import Mailbox

    mailbox = Mailbox.objects.filter(pk=mailbox_id).first()
    if mailbox is None:
        return {}
    try:
        return dict(inbox_sync(mailbox=mailbox))
    except InboxUnavailable as exc:
        # The next scheduled sync tries again; the mailbox page shows the last sync time.
        logger.warning("Inbox sync of mailbox %s failed: %s", mailbox_id, exc)
        return {"error": 1}


# -- deliverability checks (queue "dns", routed by the "outreach.tasks.check_*" names) --------


@shared_task(name="outreach.tasks.check_domain", ignore_result=True)
def check_domain_task(domain_id: int, trigger: str = "manual") -> str:
    from outreach.models import SendingDomain
    from outreach.services.domain_checks import domain_check_run

    domain = SendingDomain.objects.select_related("workspace").filter(pk=domain_id).first()
    if domain is None:
        return ""  # deleted since it was queued
    return domain_check_run(domain=domain, trigger=trigger).status


@shared_task(name="outreach.tasks.check_all_domains", ignore_result=True)
def check_all_domains_task() -> int:
    """The daily run: one check task per sending domain, every workspace."""
    from outreach.selectors.domain_checks import domain_ids_to_check

    ids = domain_ids_to_check()
    for domain_id in ids:
        check_domain_task.apply_async((domain_id, "daily"), queue="dns")
    return len(ids)


@shared_task(name="outreach.tasks.check_unfinished_domains", ignore_result=True)
def check_unfinished_domains_task() -> int:
    """Domains whose last check DNS could not finish ("could not check — will retry")."""
    from outreach.selectors.domain_checks import domain_ids_to_retry

    ids = domain_ids_to_retry()
    for domain_id in ids:
        check_domain_task.apply_async((domain_id, "retry"), queue="dns")
    return len(ids)
