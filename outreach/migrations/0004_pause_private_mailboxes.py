"""Pause the mailboxes whose SMTP or IMAP server is private and not allowed (nothing is deleted).

SMTP and IMAP hosts now follow the public-address rule (``OUTBOUND_ALLOW_PRIVATE`` lists the
exceptions). A mailbox saved before would only fail at its next send; pausing it now tells its
owner why. Capture mailboxes connect nowhere and stay as they are; a name that does not resolve
is left for the check made at every connection.
"""

from __future__ import annotations

from django.db import migrations

from crm.net.addresses import UnresolvableHost, UnsafeAddress, checked_address

REASON = (
    "Paused on upgrade: the {label} server {host} is a private or internal address. Use a "
    "public server, or ask the admin to list it in OUTBOUND_ALLOW_PRIVATE, then resume."
)


def _refused(host: str, port: int) -> bool:
    if not host.strip():
        return False
    try:
        checked_address(host, port or 0)
    except UnsafeAddress:
        return True
    except UnresolvableHost:
        return False
    return False


def pause_private_mailboxes(apps, schema_editor):
    Mailbox = apps.get_model("outreach", "Mailbox")
    servers = ("smtp_host", "smtp_port", "imap_host", "imap_port")
    for mailbox in Mailbox.objects.exclude(transport="capture").only("pk", *servers):
        for label, host, port in (
            ("SMTP", mailbox.smtp_host, mailbox.smtp_port),
            ("IMAP", mailbox.imap_host, mailbox.imap_port),
        ):
            if _refused(host, port):
                Mailbox.objects.filter(pk=mailbox.pk).update(
                    state="paused", paused_reason=REASON.format(label=label, host=host)[:1000]
                )
                break


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0003_inbound_positive"),
    ]

    operations = [
        migrations.RunPython(pause_private_mailboxes, migrations.RunPython.noop, elidable=True),
    ]
