"""The DNS of the outreach fixtures' sending domain (mail.acme.test), good or broken on demand."""

from __future__ import annotations

from .dns_server import Zone, zone_from_pairs
from .test_checker import DKIM_KEY

DOMAIN = "mail.acme.test"
SMTP_IP = "127.0.0.1"  # the loopback SMTP server the fixtures' mailbox sends through


def acme_zone(
    *, without: tuple[str, ...] = (), extra: tuple[tuple[str, str, object], ...] = ()
) -> Zone:
    """SPF allowing the SMTP host, DKIM at s1, DMARC, MX, forward-confirmed PTR.

    ``without`` drops records by what they are: "spf", "dkim", "dmarc", "mx", "ptr".
    """
    records: dict[str, list[tuple[str, str, object]]] = {
        "spf": [(DOMAIN, "TXT", f"v=spf1 ip4:{SMTP_IP} -all")],
        "dkim": [(f"s1._domainkey.{DOMAIN}", "TXT", DKIM_KEY)],
        "dmarc": [
            (f"_dmarc.{DOMAIN}", "TXT", f"v=DMARC1; p=quarantine; rua=mailto:dmarc@{DOMAIN}")
        ],
        "mx": [(DOMAIN, "MX", [10, "mx.acme.test"]), ("mx.acme.test", "A", "127.0.0.2")],
        "ptr": [
            ("1.0.0.127.in-addr.arpa", "PTR", "smtp.acme.test"),
            ("smtp.acme.test", "A", SMTP_IP),
        ],
    }
    pairs = [pair for name, rows in records.items() if name not in without for pair in rows]
    return zone_from_pairs([*pairs, *extra])
