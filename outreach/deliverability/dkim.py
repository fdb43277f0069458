"""DKIM key records (RFC 6376 §3.6.1, RFC 8301, RFC 8463).

We cannot see which selector a mailbox provider signs with, so when none is configured we look
for keys at the selectors the big providers and tools use.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from .findings import DnsRecord, Finding, Severity, dns_unavailable, error, info, warning
from .resolver import DnsClient, DnsUnavailable
from .tag_list import TagListError, parse_tags

COMMON_SELECTORS = (
    "google", "selector1", "selector2", "k1", "k2", "k3", "s1", "s2", "default", "dkim",
    "mail", "smtp", "mx", "key1", "key2", "dkim1", "sig1", "s1024", "s2048", "zoho",
    "protonmail", "protonmail2", "fm1", "fm2", "mandrill", "mailjet", "everlytickey1",
)  # fmt: skip
MIN_BITS = 1024  # RFC 8301: verifiers must not accept smaller RSA keys
RECOMMENDED_BITS = 2048


@dataclass(frozen=True)
class DkimKey:
    """One key record found at ``<selector>._domainkey.<domain>``."""

    selector: str
    name: str
    record: str
    key_type: str = ""  # "rsa" or "ed25519" when the key decodes
    bits: int = 0
    delegated_to: str = ""  # where a CNAME (Microsoft 365, ESPs) sent the lookup
    usable: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "selector": self.selector,
            "key_type": self.key_type,
            "bits": self.bits,
            "delegated_to": self.delegated_to,
            "usable": self.usable,
        }


@dataclass
class DkimCheck:
    findings: list[Finding] = field(default_factory=list)
    keys: list[DkimKey] = field(default_factory=list)

    @property
    def has_usable_key(self) -> bool:
        return any(key.usable for key in self.keys)


def looks_like_key(text: str) -> bool:
    """Tell DKIM key records from the other TXT records that may share the name."""
    head = text.lstrip().lower()
    return head.startswith(("v=dkim", "k=", "p=")) or "; p=" in head or ";p=" in head


def _decode(key_type: str, data: str) -> int:
    """Decode the public key; return its size in bits. Raises ValueError when it is unusable."""
    try:
        raw = base64.b64decode("".join(data.split()), validate=True)
    except binascii.Error as exc:
        raise ValueError("p= is not valid base64") from exc
    if key_type == "ed25519":
        ed25519.Ed25519PublicKey.from_public_bytes(raw)  # raises unless 32 bytes
        return 256
    key = serialization.load_der_public_key(raw)  # SubjectPublicKeyInfo or PKCS#1
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("k=rsa but p= holds a different key type")
    return key.key_size


def evaluate_key(
    selector: str, name: str, text: str, delegated_to: str = ""
) -> tuple[DkimKey, list[Finding]]:
    """Judge one key record: which findings it raises and whether a verifier would use it."""
    key = DkimKey(selector, name, text, delegated_to=delegated_to)
    where = f"The DKIM key at {name}"
    try:
        tags = parse_tags(text)
    except TagListError as exc:
        return key, [error("dkim.malformed", f"{where} is malformed: {exc}.")]
    if "v" in tags and (tags["v"] != "DKIM1" or next(iter(tags)) != "v"):
        return key, [
            error("dkim.bad_version", f"{where} has v={tags['v']}; it must be v=DKIM1, first.")
        ]
    key_type = tags.get("k", "rsa").lower()
    if key_type not in ("rsa", "ed25519"):
        return key, [
            error(
                "dkim.unknown_key_type",
                f"{where} has k={key_type}: verifiers know only rsa and ed25519.",
            )
        ]
    if "p" not in tags:
        return key, [error("dkim.malformed", f"{where} has no p= tag.")]
    if not tags["p"].strip():
        return key, [
            error("dkim.revoked", f"{where} is revoked (empty p=): mail signed with it fails.")
        ]
    try:
        bits = _decode(key_type, tags["p"])
    except ValueError as exc:
        return key, [error("dkim.bad_key", f"{where} cannot be decoded: {exc}.")]
    findings = _key_policy_findings(where, tags, key_type, bits)
    usable = not any(f.severity is Severity.ERROR for f in findings)
    key = DkimKey(selector, name, text, key_type, bits, delegated_to, usable)
    return key, findings


def _key_policy_findings(
    where: str, tags: dict[str, str], key_type: str, bits: int
) -> list[Finding]:
    found = []
    if key_type == "rsa" and bits < MIN_BITS:
        found.append(
            error(
                "dkim.weak_key",
                f"{where} is {bits}-bit RSA; receivers reject keys under 1024 bits. "
                "Rotate to a 2048-bit key.",
            )
        )
    elif key_type == "rsa" and bits < RECOMMENDED_BITS:
        found.append(
            warning(
                "dkim.short_key", f"{where} is {bits}-bit RSA; 2048 bits is the recommended size."
            )
        )
    hashes = {h.strip().lower() for h in tags.get("h", "").split(":") if h.strip()}
    if hashes and "sha256" not in hashes:
        found.append(
            error(
                "dkim.sha1_only",
                f"{where} allows only h={tags['h']}; RFC 8301 forbids sha1 signatures.",
            )
        )
    services = {s.strip().lower() for s in tags.get("s", "*").split(":")}
    if not services & {"*", "email"}:
        found.append(
            error("dkim.not_for_email", f"{where} has s={tags['s']}: it may not sign email.")
        )
    flags = {t.strip().lower() for t in tags.get("t", "").split(":")}
    if "y" in flags:
        found.append(
            warning(
                "dkim.testing", f"{where} is in testing mode (t=y): receivers may ignore failures."
            )
        )
    return found


async def _at_selector(
    domain: str, selector: str, client: DnsClient
) -> tuple[list[DkimKey], list[Finding]]:
    name = f"{selector}._domainkey.{domain}"
    lookup = await client.query(name, "TXT")
    texts = [t for t in lookup.txt_strings() if looks_like_key(t)]
    keys, findings = [], []
    for text in texts:
        key, found = evaluate_key(selector, name, text, lookup.canonical_name)
        keys.append(key)
        findings.extend(found)
    if len(texts) > 1:
        findings.append(
            error(
                "dkim.multiple_records",
                f"{name} holds {len(texts)} DKIM key records; verifiers may pick any one. "
                "Keep one.",
            )
        )
    if keys and lookup.canonical_name:
        findings.append(
            info("dkim.delegated", f"{name} is delegated by CNAME to {lookup.canonical_name}.")
        )
    return keys, findings


async def check_dkim(
    domain: str, client: DnsClient, *, selectors: tuple[str, ...] = ()
) -> DkimCheck:
    """Check the configured selectors, or discover keys among common selectors."""
    check = DkimCheck()
    try:
        results = await asyncio.gather(
            *(_at_selector(domain, s, client) for s in selectors or COMMON_SELECTORS)
        )
    except DnsUnavailable as exc:
        check.findings.append(dns_unavailable("dkim", exc))
        return check
    for keys, findings in results:
        check.keys.extend(keys)
        check.findings.extend(findings)
    for key in check.keys:
        if key.usable:
            size = f"{key.bits}-bit " if key.key_type == "rsa" else ""
            check.findings.append(
                info(
                    "dkim.key_found", f"DKIM key at selector {key.selector}: {size}{key.key_type}."
                )
            )
    if not check.keys:
        selector = selectors[0] if selectors else "default"
        where = f"selector {selector}" if selectors else "any common selector"
        check.findings.append(
            error(
                "dkim.missing",
                f"No DKIM key found for {domain} at {where}. Publish the public key your mail "
                "provider gives you.",
                DnsRecord(
                    f"{selector}._domainkey.{domain}",
                    "TXT",
                    "v=DKIM1; k=rsa; p=<public key from your mail provider>",
                ),
            )
        )
    return check
