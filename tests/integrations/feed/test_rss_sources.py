"""RSS, Atom, YouTube and discovered feeds, fetched from a real server on loopback."""

from __future__ import annotations

import pytest

from crm.models import Event
from integrations.feed.models import Post, SocialIdentity
from integrations.feed.services.identities import identity_add
from tests.integrations.feed.formats import ago, atom, html_page, rss2, youtube
from tests.integrations.feed.site import Reply

RSS = "application/rss+xml"
pytestmark = pytest.mark.django_db


def _add(workspace, feed_actor, lead, network, value):
    identity, _ = identity_add(
        workspace=workspace, actor=feed_actor, network=network, value=value, lead=lead
    )
    return identity


def test_it_reads_an_rss_2_feed_into_sanitized_posts(site, refresh, workspace, feed_actor, lead):
    site.routes["/feed.xml"] = Reply(
        body=rss2(
            [
                (
                    "https://jane.example/a",
                    "<p>Hello <b>world</b><script>alert(1)</script></p>",
                    ago(hours=2),
                ),
                ("https://jane.example/b", "Second &amp; last", ago(days=1)),
            ]
        ),
        headers={"Content-Type": RSS},
    )
    _add(workspace, feed_actor, lead, "rss", site.url("/feed.xml"))

    counts = refresh()

    assert (counts.sources, counts.new_posts, counts.errors) == (1, 2, 0)
    newest = Post.objects.order_by("-posted_at").first()
    assert newest.url == "https://jane.example/a"
    assert newest.text == "Hello world"
    assert "script" not in newest.html and "<b>world</b>" in newest.html
    assert newest.lead == lead and newest.network == "rss"
    assert Event.objects.filter(type="post.detected", subject_ids=[lead.pk]).count() == 2


def test_it_reads_an_atom_feed(site, refresh, workspace, feed_actor, lead):
    site.routes["/atom"] = Reply(
        body=atom([("https://jane.example/atom-1", "<p>Atom text</p>", ago(hours=5))]),
        headers={"Content-Type": "application/atom+xml"},
    )
    _add(workspace, feed_actor, lead, "rss", site.url("/atom"))

    assert refresh().new_posts == 1
    post = Post.objects.get()
    assert (post.external_id, post.text, post.title) == (
        "tag:jane.example,2026:0",
        "Atom text",
        "Entry 0",
    )


def test_it_reads_a_youtube_channel_feed(site, refresh, workspace, feed_actor, lead):
    channel = "UC" + "a" * 22
    site.routes["/feeds/videos.xml"] = Reply(
        body=youtube(
            channel, [("vid1", "Launch day", ago(days=2)), ("vid2", "Q&amp;A", ago(days=3))]
        ),
        headers={"Content-Type": "application/atom+xml; charset=UTF-8"},
    )
    identity = _add(
        workspace, feed_actor, lead, "youtube", site.url(f"/feeds/videos.xml?channel_id={channel}")
    )

    assert refresh().new_posts == 2
    assert identity.network == "youtube"
    urls = set(Post.objects.values_list("url", flat=True))
    assert urls == {"https://www.youtube.com/watch?v=vid1", "https://www.youtube.com/watch?v=vid2"}
    assert site.requests_to("/feeds/videos.xml")[0].query == {"channel_id": [channel]}


def test_a_website_source_discovers_its_feed_from_the_page(
    site, refresh, workspace, feed_actor, lead
):
    site.routes["/"] = Reply(body=html_page("/blog/feed/"), headers={"Content-Type": "text/html"})
    site.routes["/blog/feed/"] = Reply(
        body=rss2([("https://jane.example/found", "Found it", ago(hours=1))]),
        headers={"Content-Type": RSS},
    )
    identity = _add(workspace, feed_actor, lead, "website", site.url("/"))

    assert refresh().new_posts == 1
    identity.refresh_from_db()
    assert identity.resolved_url == site.url("/blog/feed/")
    # Next time the feed is read directly, the page is not fetched again.
    refresh(everything=True)
    assert len(site.requests_to("/")) == 1


def test_a_second_pass_sends_validators_and_a_304_counts_as_not_modified(
    site, refresh, workspace, feed_actor, lead
):
    body = rss2([("https://jane.example/a", "A", ago(hours=1))])

    def conditional(seen):
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(
            body=body,
            headers={
                "Content-Type": RSS,
                "ETag": '"v1"',
                "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT",
            },
        )

    site.routes["/feed.xml"] = conditional
    _add(workspace, feed_actor, lead, "rss", site.url("/feed.xml"))
    first = refresh()
    second = refresh(everything=True)

    assert (first.new_posts, first.not_modified) == (1, 0)
    assert (second.sources, second.new_posts, second.not_modified, second.errors) == (1, 0, 1, 0)
    last = site.requests_to("/feed.xml")[-1]
    assert last.headers["if-modified-since"] == "Tue, 01 Dec 2026 10:00:00 GMT"
    assert Post.objects.count() == 1


def _attention(identity) -> str:
    identity.refresh_from_db()
    return identity.needs_attention


def test_malformed_xml_is_an_error_with_a_clear_reason(site, refresh, workspace, feed_actor, lead):
    site.routes["/broken.xml"] = Reply(
        body=b'<?xml version="1.0"?>\n<rss version="2.0"><channel>'
        b"<title>Oops</ti<<tle><item></channel",
        headers={"Content-Type": RSS},
    )
    identity = _add(workspace, feed_actor, lead, "rss", site.url("/broken.xml"))

    counts = refresh()

    assert (counts.errors, counts.new_posts) == (1, 0)
    identity.refresh_from_db()
    assert "not a valid RSS or Atom feed" in identity.last_error
    assert identity.consecutive_failures == 1


def test_an_html_page_where_a_feed_was_expected_needs_attention(
    site, refresh, workspace, feed_actor, lead
):
    site.routes["/news"] = Reply(body=html_page(None), headers={"Content-Type": "text/html"})
    identity = _add(workspace, feed_actor, lead, "rss", site.url("/news"))

    assert refresh().errors == 1
    assert "is a web page, not an RSS or Atom feed" in _attention(identity)


def test_a_site_without_a_feed_link_needs_attention(site, refresh, workspace, feed_actor, lead):
    site.routes["/"] = Reply(body=html_page(None), headers={"Content-Type": "text/html"})
    identity = _add(workspace, feed_actor, lead, "website", site.url("/"))

    assert refresh().errors == 1
    assert "No RSS or Atom feed is advertised" in _attention(identity)


def test_an_oversized_body_is_cut_and_refused(site, refresh, workspace, feed_actor, lead):
    # 50 MB announced without a length: the client stops reading at its cap.
    site.routes["/huge.xml"] = Reply(stream_bytes=50_000_000, headers={"Content-Type": RSS})
    site.routes["/declared.xml"] = Reply(body=b"x" * 2_000_001, headers={"Content-Type": RSS})
    huge = _add(workspace, feed_actor, lead, "rss", site.url("/huge.xml"))
    declared = _add(workspace, feed_actor, lead, "rss", site.url("/declared.xml"))

    counts = refresh(max_bytes=1_000_000)

    assert counts.errors == 2
    assert "larger than" in _attention(huge)
    assert "larger than" in _attention(declared)


@pytest.mark.parametrize(
    "target", ["http://10.0.0.1/feed", "http://169.254.169.254/latest/meta-data/"]
)
def test_a_redirect_to_a_private_address_is_refused(
    site, refresh, workspace, feed_actor, lead, target
):
    site.routes["/moved"] = Reply(302, headers={"Location": target})
    identity = _add(workspace, feed_actor, lead, "rss", site.url("/moved"))

    assert refresh().errors == 1
    reason = _attention(identity)
    assert reason.startswith("Refused:") and "private or internal address" in reason


def test_posts_older_than_the_retention_are_not_kept(
    site, refresh, workspace, feed_actor, lead, settings
):
    settings.POSTS_RETENTION_DAYS = 30
    site.routes["/feed.xml"] = Reply(
        body=rss2(
            [
                ("https://jane.example/new", "new", ago(days=2)),
                ("https://jane.example/old", "old", ago(days=45)),
            ]
        ),
        headers={"Content-Type": RSS},
    )
    _add(workspace, feed_actor, lead, "rss", site.url("/feed.xml"))

    assert refresh().new_posts == 1
    assert list(Post.objects.values_list("url", flat=True)) == ["https://jane.example/new"]


def test_a_company_source_stores_company_posts_without_lead_events(
    site, refresh, workspace, feed_actor
):
    from tests.factories import CompanyFactory

    company = CompanyFactory(workspace=workspace)
    site.routes["/news.xml"] = Reply(
        body=rss2([("https://acme.example/news/1", "We raised", ago(hours=3))]),
        headers={"Content-Type": RSS},
    )
    identity_add(
        workspace=workspace,
        actor=feed_actor,
        network="rss",
        value=site.url("/news.xml"),
        company=company,
    )

    assert refresh().new_posts == 1
    post = Post.objects.get()
    assert (post.lead_id, post.company_id) == (None, company.pk)
    assert not Event.objects.filter(type="post.detected").exists()
    assert SocialIdentity.objects.get().last_posted_at is not None
