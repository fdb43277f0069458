"""What a user types for a source, in one canonical form per network (pure: no database).

"@jane.bsky.social", "https://bsky.app/profile/jane.bsky.social" and "Jane.bsky.social" are one
Bluesky source; a Medium, Substack, YouTube channel or Hacker News profile becomes the feed URL
those sites publish, so the fetcher only sees RSS. The data migration and the lead subscriber
use the same rules, so an identity is never duplicated under another spelling.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from crm.normalize import InvalidValue, normalize_linkedin_url

NETWORKS = (
    "linkedin",
    "bluesky",
    "mastodon",
    "x",
    "rss",
    "youtube",
    "substack",
    "medium",
    "hn",
    "website",
)
# Keys people use in a lead's social_handles, mapped to a network ("Blog" is a site to discover).
HANDLE_KEYS = {
    "linkedin": "linkedin",
    "bluesky": "bluesky",
    "bsky": "bluesky",
    "mastodon": "mastodon",
    "fediverse": "mastodon",
    "x": "x",
    "twitter": "x",
    "rss": "rss",
    "feed": "rss",
    "atom": "rss",
    "youtube": "youtube",
    "substack": "substack",
    "medium": "medium",
    "hn": "hn",
    "hackernews": "hn",
    "hacker_news": "hn",
    "website": "website",
    "personal_website": "website",
    "site": "website",
    "blog": "website",
}

_BSKY_HANDLE = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")
_DID = re.compile(r"^did:(plc:[a-z2-7]{24}|web:[a-z0-9.:-]+)$")
_HOST = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}(:\d{1,5})?$")
_IPV4_HOST = re.compile(r"^\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?$")
_USER = re.compile(r"^[a-z0-9_][a-z0-9_.-]{0,63}$", re.IGNORECASE)
_X_USER = re.compile(r"^[A-Za-z0-9_]{1,15}$")
_YT_CHANNEL = re.compile(r"^UC[A-Za-z0-9_-]{22}$")
_SUBSTACK = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class Handle:
    """A source in canonical form: ``value`` identifies it, ``feed_url`` is known up front."""

    network: str
    value: str
    feed_url: str = ""


def network_for_key(key: str) -> str | None:
    """The network a social_handles key stands for ("Twitter" → x), or None if unknown."""
    return HANDLE_KEYS.get(re.sub(r"[\s-]+", "_", key.strip().lower()))


def _url(raw: str) -> str:
    value = raw.strip()
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise InvalidValue("This is not a valid URL.") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidValue("Give an http:// or https:// URL.")
    if not host or not re.match(r"^[a-z0-9._:-]+$", host) or host.startswith((".", "-")):
        raise InvalidValue("This URL has no valid host name.")
    if parts.username or parts.password:
        raise InvalidValue("URLs with a user name or password are not accepted.")
    return value


def _bluesky(raw: str) -> Handle:
    value = raw.strip()
    if "bsky.app/profile/" in value:
        value = value.split("bsky.app/profile/", 1)[1].split("/", 1)[0]
    value = value.lstrip("@").strip().lower()
    if not (_BSKY_HANDLE.match(value) or _DID.match(value)):
        raise InvalidValue("A Bluesky handle looks like name.bsky.social (or a did:plc: id).")
    return Handle("bluesky", value)


def _mastodon(raw: str) -> Handle:
    value = raw.strip()
    scheme = "https"
    if value.startswith(("http://", "https://")):
        parts = urlsplit(value)
        scheme = parts.scheme
        path = parts.path.strip("/")
        if path.startswith("@"):
            user = path[1:].split("/", 1)[0]
        elif path.startswith("users/"):
            user = path.split("/")[1]
        else:
            raise InvalidValue("A Mastodon profile URL looks like https://host/@name.")
        host = (parts.hostname or "").lower()
        if parts.port:
            host = f"{host}:{parts.port}"
    else:
        pieces = value.lstrip("@").split("@")
        if len(pieces) != 2:
            raise InvalidValue("A Mastodon handle looks like @name@host.")
        user, host = pieces[0], pieces[1].lower()
    if not _USER.match(user) or not (_HOST.match(host) or _IPV4_HOST.match(host)):
        raise InvalidValue("A Mastodon handle looks like @name@host.")
    # The server's base URL; http only when the user gave an http:// profile URL.
    return Handle("mastodon", f"@{user}@{host}", f"{scheme}://{host}")


def _x(raw: str) -> Handle:
    value = raw.strip()
    match = re.match(r"^(?:https?://)?(?:www\.|mobile\.)?(?:x|twitter)\.com/([^/?#]+)", value)
    user = match.group(1) if match else value.lstrip("@")
    if not _X_USER.match(user):
        raise InvalidValue("An X handle is @name (letters, digits, _; at most 15).")
    return Handle("x", user.lower())


def _youtube(raw: str) -> Handle:
    value = raw.strip()
    if _YT_CHANNEL.match(value):
        value = f"https://www.youtube.com/channel/{value}"
    url = _url(value)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.endswith("youtube.com"):
        query = parse_qs(parts.query)
        if parts.path.startswith("/feeds/videos.xml"):
            return Handle("youtube", url, url)
        if parts.path.startswith("/channel/"):
            channel = parts.path.split("/")[2]
            if _YT_CHANNEL.match(channel):
                feed = f"https://www.youtube.com/feeds/videos.xml?channel_id={channel}"
                return Handle("youtube", feed, feed)
        if parts.path == "/playlist" and query.get("list"):
            feed = f"https://www.youtube.com/feeds/videos.xml?playlist_id={query['list'][0]}"
            return Handle("youtube", feed, feed)
    # An @handle or custom URL: the channel page advertises its feed; found at fetch time.
    return Handle("youtube", url)


def _substack(raw: str) -> Handle:
    value = raw.strip().lower()
    if _SUBSTACK.match(value):
        value = f"{value}.substack.com"
    url = _url(value)
    host = (urlsplit(url).hostname or "").lower()
    if host.endswith(".substack.com"):
        feed = f"https://{host}/feed"
        return Handle("substack", feed, feed)
    return Handle("substack", url)  # a custom domain: discovered like a website


def _medium(raw: str) -> Handle:
    value = raw.strip()
    if value.startswith("@"):
        value = f"https://medium.com/{value}"
    url = _url(value)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = parts.path.strip("/")
    if host in ("medium.com", "www.medium.com"):
        if path.startswith("feed/"):
            path = path[5:]
        if not path:
            raise InvalidValue("A Medium source is https://medium.com/@name or a publication.")
        feed = f"https://medium.com/feed/{path.split('/')[0]}"
        return Handle("medium", feed, feed)
    if host.endswith(".medium.com"):
        feed = f"https://{host}/feed"
        return Handle("medium", feed, feed)
    return Handle("medium", url)


def _hn(raw: str) -> Handle:
    value = raw.strip()
    user = value
    if "://" in value or "ycombinator.com" in value or "hnrss.org" in value:
        query = parse_qs(urlsplit(_url(value)).query)
        user = (query.get("id") or [""])[0]
    if not re.match(r"^[A-Za-z0-9_-]{2,15}$", user):
        raise InvalidValue("A Hacker News source is a user name or news.ycombinator.com/user?id=…")
    feed = f"https://hnrss.org/submitted?id={user}"
    return Handle("hn", feed, feed)


def _feed_url(network: str) -> Callable[[str], Handle]:
    def normalize(raw: str) -> Handle:
        url = _url(raw)
        return Handle(network, url, url if network == "rss" else "")

    return normalize


def _linkedin(raw: str) -> Handle:
    value = normalize_linkedin_url(raw)
    if not value:
        raise InvalidValue("Give a LinkedIn profile URL.")
    return Handle("linkedin", value)


_NORMALIZERS = {
    "linkedin": _linkedin,
    "bluesky": _bluesky,
    "mastodon": _mastodon,
    "x": _x,
    "rss": _feed_url("rss"),
    "website": _feed_url("website"),
    "youtube": _youtube,
    "substack": _substack,
    "medium": _medium,
    "hn": _hn,
}


def handle_normalize(network: str, raw: str) -> Handle:
    """The canonical form of ``raw`` on ``network``; InvalidValue with a sentence if malformed."""
    if network not in _NORMALIZERS:
        raise InvalidValue(f"Unknown network {network!r}; one of {', '.join(NETWORKS)}.")
    if not raw or not raw.strip():
        raise InvalidValue("Give a handle or a URL.")
    if len(raw) > 1000:
        raise InvalidValue("At most 1,000 characters.")
    return _NORMALIZERS[network](raw)
