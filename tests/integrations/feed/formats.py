"""Documents in the real wire formats the sources speak, built around recent dates."""

from __future__ import annotations

import datetime as dt
import json
from email.utils import format_datetime


def ago(**delta: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(**delta)


def rss2(items: list[tuple[str, str, dt.datetime]], *, title: str = "Jane's blog") -> bytes:
    """RSS 2.0; each item (guid/link, description HTML, pubDate)."""
    entries = "".join(
        f"""<item><title>Post {i}</title><link>{link}</link><guid isPermaLink="true">{link}</guid>
        <description><![CDATA[{html}]]></description><pubDate>{format_datetime(when)}</pubDate>
        </item>"""
        for i, (link, html, when) in enumerate(items)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{title}</title><link>https://jane.example/</link>
<description>Notes</description>{entries}</channel></rss>""".encode()


def atom(entries: list[tuple[str, str, dt.datetime]]) -> bytes:
    """Atom 1.0; each entry (link, content HTML, updated)."""
    body = "".join(
        f"""<entry><id>tag:jane.example,2026:{i}</id><title>Entry {i}</title>
        <link rel="alternate" href="{link}"/><updated>{when.isoformat()}</updated>
        <content type="html">{html.replace("&", "&amp;").replace("<", "&lt;")}</content></entry>"""
        for i, (link, html, when) in enumerate(entries)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Jane (Atom)</title><id>tag:jane.example,2026</id>
<updated>{dt.datetime.now(dt.UTC).isoformat()}</updated>{body}</feed>""".encode()


def youtube(channel: str, videos: list[tuple[str, str, dt.datetime]]) -> bytes:
    """YouTube's channel feed (Atom with yt: and media: extensions); (video id, title, when)."""
    body = "".join(
        f"""<entry><id>yt:video:{vid}</id><yt:videoId>{vid}</yt:videoId>
        <yt:channelId>{channel}</yt:channelId><title>{title}</title>
        <link rel="alternate" href="https://www.youtube.com/watch?v={vid}"/>
        <author><name>Jane</name><uri>https://www.youtube.com/channel/{channel}</uri></author>
        <published>{when.isoformat()}</published><updated>{when.isoformat()}</updated>
        <media:group><media:title>{title}</media:title>
        <media:description>About {title}</media:description></media:group></entry>"""
        for vid, title, when in videos
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/"
 xmlns="http://www.w3.org/2005/Atom"><link rel="self" href="https://www.youtube.com/feeds/videos.xml?channel_id={channel}"/>
<id>yt:channel:{channel[2:]}</id><yt:channelId>{channel}</yt:channelId><title>Jane</title>
<published>2020-01-01T00:00:00+00:00</published>{body}</feed>""".encode()


def html_page(feed_href: str | None, *, title: str = "Jane's site") -> bytes:
    link = (
        f'<link rel="alternate" type="application/rss+xml" title="Feed" href="{feed_href}">'
        if feed_href
        else ""
    )
    return f"""<!DOCTYPE html><html><head><title>{title}</title>
<link rel="stylesheet" href="/style.css">{link}</head><body><h1>Hello</h1></body></html>""".encode()


DID = "did:plc:abcdefghijklmnopqrstuvwx"
OTHER_DID = "did:plc:zzzzzzzzzzzzzzzzzzzzzzzz"


def bsky_profile(handle: str, did: str = DID) -> bytes:
    return json.dumps(
        {"did": did, "handle": handle, "displayName": "Jane", "followersCount": 12}
    ).encode()


def bsky_post(rkey: str, text: str, when: dt.datetime, *, did: str = DID) -> dict:
    return {
        "uri": f"at://{did}/app.bsky.feed.post/{rkey}",
        "cid": f"bafy{rkey}",
        "author": {"did": did, "handle": "someone.bsky.social"},
        "record": {"$type": "app.bsky.feed.post", "text": text, "createdAt": when.isoformat()},
        "replyCount": 0,
        "repostCount": 1,
        "likeCount": 3,
        "indexedAt": when.isoformat(),
        "labels": [],
    }


def bsky_feed(items: list[dict], cursor: str | None = None) -> bytes:
    body: dict = {"feed": items}
    if cursor:
        body["cursor"] = cursor
    return json.dumps(body).encode()


def mastodon_account(account_id: str, user: str) -> bytes:
    return json.dumps(
        {"id": account_id, "username": user, "acct": user, "display_name": "Jane", "locked": False}
    ).encode()


def mastodon_status(
    status_id: str, html: str, when: dt.datetime, *, host: str, reblog: bool = False
) -> dict:
    return {
        "id": status_id,
        "created_at": when.isoformat().replace("+00:00", "Z"),
        "in_reply_to_id": None,
        "visibility": "public",
        "url": f"https://{host}/@jane/{status_id}",
        "uri": f"https://{host}/users/jane/statuses/{status_id}",
        "content": html,
        "reblog": {"id": "1"} if reblog else None,
        "account": {"id": "7", "username": "jane"},
    }
