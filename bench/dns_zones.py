"""Synthetic sending domains for the DNS benchmark, as zone files for nsd.

Each domain looks like a small company's: SPF with one to three ESP includes (some nested,
some with ``a:`` terms), MX hosts with addresses, a 2048-bit DKIM key at selector ``s1`` and a
DMARC policy, some sending reports to a third-party DMARC service. About one domain in ten is
broken the common ways (no DMARC, two SPF records, a dead include) so error paths are timed too.
Every name either tool asks about lives in a served zone, so nothing leaves the machine.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

TLD = "example"
SELECTOR = "s1"

PROVIDERS: dict[str, list[str]] = {
    # A big provider: an include of three nested netblock records.
    "bigmail.example": [
        '_spf IN TXT "v=spf1 include:_nb1.bigmail.example include:_nb2.bigmail.example '
        'include:_nb3.bigmail.example ~all"',
        '_nb1 IN TXT "v=spf1 ip4:172.217.0.0/19 ip4:108.177.8.0/21 ip4:173.194.0.0/16 ~all"',
        '_nb2 IN TXT "v=spf1 ip6:2001:4860:4000::/36 ip6:2404:6800:4000::/36 ~all"',
        '_nb3 IN TXT "v=spf1 ip4:35.190.247.0/24 ip4:64.233.160.0/19 ~all"',
    ],
    "espmail.example": ['spf IN TXT "v=spf1 ip4:198.51.100.0/24 ip4:203.0.113.0/25 -all"'],
    "crmtools.example": [
        '_spf IN TXT "v=spf1 include:spf1.crmtools.example ~all"',
        'spf1 IN TXT "v=spf1 ip4:192.0.2.128/25 -all"',
    ],
    "helpdesk.example": [
        'spf IN TXT "v=spf1 a:out.helpdesk.example ~all"',
        "out IN A 192.0.2.77",
    ],
    # A DMARC report service that authorizes every domain to send it reports (RFC 7489 §7.1).
    "dmarcdesk.example": ['*._report._dmarc IN TXT "v=DMARC1"'],
}
INCLUDES = [
    "include:_spf.bigmail.example",
    "include:spf.espmail.example",
    "include:_spf.crmtools.example",
    "include:spf.helpdesk.example",
]


def dkim_key() -> str:
    """One real 2048-bit public key (every domain may share it: the checks parse, not sign)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()


def txt(value: str) -> str:
    """A TXT value as zone-file strings of at most 255 bytes."""
    return " ".join(f'"{value[i : i + 255]}"' for i in range(0, len(value), 255))


def domain_names(count: int) -> list[str]:
    return [f"d{n:05d}.{TLD}" for n in range(count)]


def domain_records(n: int, domain: str, key: str) -> list[str]:
    includes = [INCLUDES[(n + k) % len(INCLUDES)] for k in range(1 + n % 3)]
    spf = " ".join(["v=spf1", "mx", *includes, "~all"])
    rua = f"dmarc@{domain}" if n % 5 else f"{domain}@dmarcdesk.example"
    records = [
        "@ IN MX 10 mx1",
        "@ IN MX 20 mx2",
        f"mx1 IN A 192.0.2.{n % 250 + 1}",
        f"mx2 IN A 198.51.100.{n % 250 + 1}",
        f"{SELECTOR}._domainkey IN TXT {txt(key)}",
    ]
    broken = n % 10 == 9
    kind = (n // 10) % 3
    if broken and kind == 0:
        records.append(f"@ IN TXT {txt(spf)}")  # ... and no DMARC record
    elif broken and kind == 1:
        records += [f"@ IN TXT {txt(spf)}", '@ IN TXT "v=spf1 ip4:192.0.2.1 -all"']
    else:
        if broken:  # an include that no longer exists
            spf = spf.replace("~all", "include:gone.espmail.example ~all")
        records.append(f"@ IN TXT {txt(spf)}")
    if not (broken and kind == 0):
        records.append(f'_dmarc IN TXT "v=DMARC1; p=quarantine; rua=mailto:{rua}"')
    records.append('@ IN TXT "google-site-verification=abcdefghijklmnopqrstuvwxyz0123456789"')
    return records


def build_zones(count: int) -> tuple[list[str], dict[str, list[str]]]:
    """The domain names, and every zone (the TLD's, the providers', the domains') to serve."""
    key = dkim_key()
    names = domain_names(count)
    zones: dict[str, list[str]] = {}
    tld: list[str] = []
    for origin in [*PROVIDERS, *names]:
        label = origin.removesuffix("." + TLD)
        tld += [f"{label} IN NS ns1.{label}", f"ns1.{label} IN A 127.0.0.1"]
    zones[TLD] = tld  # the parent, so DS/NS questions get answers rather than REFUSED
    zones.update(PROVIDERS)
    for n, name in enumerate(names):
        zones[name] = domain_records(n, name, key)
    return names, zones
