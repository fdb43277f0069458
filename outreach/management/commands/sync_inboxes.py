"""Read new mail of every mailbox (or one) now and act on replies, bounces and unsubscribes."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from outreach.inbox.sync import InboxUnavailable, inbox_sync
from outreach.selectors import mailboxes_with_inbox


class Command(BaseCommand):
    help = "Sync the IMAP inbox of every mailbox (or of --mailbox ADDRESS)."

    def add_arguments(self, parser):
        parser.add_argument("--mailbox", help="only this mailbox address")

    def handle(self, *args, **options):
        mailboxes = mailboxes_with_inbox().order_by("id")
        if options["mailbox"]:
            mailboxes = mailboxes.filter(address=options["mailbox"].strip().lower())
        failed = 0
        for mailbox in mailboxes:
            try:
                kinds = inbox_sync(mailbox=mailbox)
            except InboxUnavailable as exc:
                failed += 1
                self.stderr.write(f"{mailbox.address}: {exc}")
                continue
            summary = ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items())) or "no new mail"
            self.stdout.write(f"{mailbox.address}: {summary}")
        if failed:
            raise SystemExit(1)
