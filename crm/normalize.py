"""Normalization of the identities leads are deduplicated by: email, LinkedIn URL, company domain.

Every write path (API, UI, import) goes through these, so "Jane@Acme.com " and "jane@acme.com"
are one person and a LinkedIn URL copied from the app, a browser or a CSV export is one profile.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# Addresses people use for themselves: their domain says nothing about the company.
FREE_MAIL_DOMAINS = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "hotmail.fr",
        "live.com",
        "live.fr",
        "msn.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.fr",
        "yahoo.de",
        "yahoo.es",
        "yahoo.it",
        "yahoo.co.in",
        "yahoo.co.jp",
        "ymail.com",
        "rocketmail.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "gmx.at",
        "web.de",
        "mail.com",
        "zoho.com",
        "zohomail.com",
        "yandex.com",
        "yandex.ru",
        "mail.ru",
        "inbox.ru",
        "list.ru",
        "bk.ru",
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
        "naver.com",
        "hanmail.net",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "sfr.fr",
        "wanadoo.fr",
        "t-online.de",
        "libero.it",
        "virgilio.it",
        "btinternet.com",
        "sky.com",
        "comcast.net",
        "verizon.net",
        "att.net",
        "sbcglobal.net",
        "cox.net",
        "fastmail.com",
        "hey.com",
        "tutanota.com",
        "tuta.io",
        "seznam.cz",
        "wp.pl",
        "o2.pl",
        "onet.pl",
        "rediffmail.com",
    ]
)

# Deliberately simple: one @, a dot in the domain, no spaces. Strict RFC 5322 parsing rejects
# addresses that real mail servers accept, and accepts ones no SDR ever wants to send to.
_EMAIL_RE = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$"
)
_SLUG_SAFE = re.compile(r"^[\w\-.%~]+$", re.UNICODE)


class InvalidValue(ValueError):
    """A value that cannot be normalized; the message says why, for the user."""


def normalize_email(raw: str | None) -> str | None:
    """Trimmed, lower-cased email, None when blank; InvalidValue when not an address."""
    if raw is None:
        return None
    value = raw.strip().strip("<>").strip().lower()
    if value.startswith("mailto:"):
        value = value[len("mailto:") :]
    if not value:
        return None
    if len(value) > 254 or not _EMAIL_RE.match(value) or ".." in value:
        raise InvalidValue(f"'{raw.strip()}' is not a valid email address")
    return value


def normalize_linkedin_url(raw: str | None) -> str | None:
    """Canonical ``https://www.linkedin.com/in/<slug>/`` for a personal profile URL.

    Accepts what people paste: no scheme, ``http``, locale or mobile subdomains (``uk.``,
    ``m.``), query strings and fragments, trailing ``/en/`` locale segments, percent-encoded
    slugs. Sales Navigator ``/sales/lead/`` URLs are not profile URLs and are refused.
    """
    if raw is None:
        return None
    value = raw.strip()
    if not value:
        return None
    if "://" not in value:
        value = "https://" + value.lstrip("/")
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        raise InvalidValue(f"'{raw.strip()}' is not a LinkedIn URL")
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() not in {"in", "pub"}:
        raise InvalidValue(f"'{raw.strip()}' is not a LinkedIn profile URL (expected /in/<name>)")
    slug = unquote(segments[1]).strip().lower()
    if not slug or not _SLUG_SAFE.match(slug):
        raise InvalidValue(f"'{raw.strip()}' has an unreadable LinkedIn profile name")
    return f"https://www.linkedin.com/in/{_quote_slug(slug)}/"


def _quote_slug(slug: str) -> str:
    # Keep unicode slugs readable and identical whether they arrived encoded or not.
    return slug.replace("%", "%25").replace(" ", "%20")


_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def normalize_website(raw: str | None) -> str:
    """A company website as typed ("acme.com", "https://acme.com/about"); InvalidValue for any
    scheme but http and https (a ``javascript:`` or ``data:`` URL is not a website)."""
    value = (raw or "").strip()
    # Browsers drop tabs and newlines inside a URL and control characters before it, so
    # "java\tscript:" is "javascript:" to them: judge the URL as they will read it.
    scheme = _SCHEME.match(re.sub(r"[\t\n\r]", "", value).lstrip("".join(map(chr, range(33)))))
    # "acme.com:8080" parses as scheme "acme.com": a scheme is only one without a dot.
    if scheme and "." not in scheme.group(1) and scheme.group(1).lower() not in ("http", "https"):
        raise InvalidValue("A website is an http:// or https:// address.")
    return value


def domain_from_website(raw: str | None) -> str | None:
    """Bare registrable-looking host of a website URL: ``https://www.Acme.com/x`` → ``acme.com``."""
    if raw is None:
        return None
    value = raw.strip().lower()
    if not value:
        return None
    if "://" not in value:
        value = "http://" + value.lstrip("/")
    try:
        host = (urlsplit(value).hostname or "").strip(".")
    except ValueError:  # e.g. "http://[oops" (an unclosed IPv6 literal): no usable host
        return None
    if host.startswith("www."):
        host = host[4:]
    if "." not in host or " " in host:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return host


def domain_from_email(email: str | None) -> str | None:
    """The company domain an email reveals, or None for free-mail and malformed addresses."""
    if not email or "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1].strip().lower()
    if domain in FREE_MAIL_DOMAINS:
        return None
    return domain_from_website(domain)


def company_domain(*, website: str | None = None, email: str | None = None) -> str | None:
    """A company's domain: from its website when known, else from a work email."""
    domain = domain_from_website(website)
    if domain and domain not in FREE_MAIL_DOMAINS:
        return domain
    return domain_from_email(email)


def search_text(*parts: str | None) -> str:
    """The lower-cased haystack the lead search looks in."""
    return " ".join(p.strip().lower() for p in parts if p and p.strip())
