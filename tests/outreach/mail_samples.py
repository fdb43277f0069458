"""Incoming emails as real servers and clients write them (replies, DSNs, out-of-office)."""

from __future__ import annotations


def reply(*, to_message_id: str, sender: str, body: str = "Sounds good, call me Tuesday.") -> bytes:
    return f"""From: Ada <{sender}>
To: sender@mail.acme.test
Subject: Re: Quick question
Message-ID: <reply-{abs(hash((to_message_id, body)))}@prospect.test>
In-Reply-To: {to_message_id}
References: {to_message_id}
Content-Type: text/plain; charset=utf-8

{body}

On Mon, 4 Mar 2030 at 10:00, Olivia Hart <sender@mail.acme.test> wrote:
> Hi Ada,
> Saw your post about hiring SDRs.
""".encode()


def plain_from(*, sender: str, subject: str, body: str, headers: str = "", n: int = 0) -> bytes:
    return f"""From: {sender}
To: sender@mail.acme.test
Subject: {subject}
Message-ID: <plain-{n}-{abs(hash((sender, subject)))}@prospect.test>
{headers}Content-Type: text/plain; charset=utf-8

{body}
""".encode()


def out_of_office(*, to_message_id: str, sender: str) -> bytes:
    return f"""From: {sender}
To: sender@mail.acme.test
Subject: Automatic reply: Quick question
Auto-Submitted: auto-replied
Message-ID: <ooo-{abs(hash(to_message_id))}@prospect.test>
In-Reply-To: {to_message_id}
Content-Type: text/plain; charset=utf-8

I am out of the office until Monday.
""".encode()


def delivery_report(*, original_message_id: str, recipient: str, status: str) -> bytes:
    action = "failed" if status.startswith("5") else "delayed"
    return f"""From: Mail Delivery System <MAILER-DAEMON@mx.prospect.test>
To: sender@mail.acme.test
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-{status}-{abs(hash(original_message_id))}@mx.prospect.test>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.prospect.test. Your message could not be delivered.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.prospect.test
Arrival-Date: Mon, 4 Mar 2030 10:00:05 +0000

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 {status} <{recipient}>: Recipient address rejected

--BOUNDARY
Content-Type: text/rfc822-headers

From: Olivia Hart <sender@mail.acme.test>
To: {recipient}
Subject: Quick question
Message-ID: {original_message_id}

--BOUNDARY--
""".encode()


def outlook_reply(*, to_message_id: str, sender: str, body: str) -> bytes:
    """A reply written in Outlook (French locale): header block instead of "wrote:", a
    signature whose tagline would read as interest, and the quoted pitch below."""
    return f"""From: Ada <{sender}>
To: sender@mail.acme.test
Subject: RE: Quick question
Message-ID: <outlook-{abs(hash((to_message_id, body)))}@prospect.test>
In-Reply-To: {to_message_id}
References: {to_message_id}
Content-Type: text/plain; charset=utf-8

{body}

Cordialement,
Ada Lovelace
Directrice des opérations | Analytical Engines
Intéressé par nos machines ? Réservez une démo : https://engines.test/demo

________________________________
De : Olivia Hart <sender@mail.acme.test>
Envoyé : lundi 4 mars 2030 10:00
À : Ada <{sender}>
Objet : Quick question

Hi Ada, would you be interested in a quick call next week?
""".encode()
