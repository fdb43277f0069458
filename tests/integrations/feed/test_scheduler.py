"""The refresh pass as a scheduler: limits, back-off, needs-attention, adaptive checks, dedupe."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from integrations.feed.models import Post, SocialIdentity
from integrations.feed.scheduler import (
    check_interval,
    failure_backoff,
    next_check_after_failure,
    next_check_after_success,
)
from integrations.feed.services.identities import identity_add, identity_retry
from tests.factories import LeadFactory
from tests.integrations.feed.formats import ago, rss2
from tests.integrations.feed.site import Reply

RSS = {"Content-Type": "application/rss+xml"}


def test_the_interval_follows_how_often_the_person_posts():
    assert check_interval(0) == dt.timedelta(days=1)
    assert check_interval(7) == dt.timedelta(days=1)
    assert check_interval(14) == dt.timedelta(hours=12)
    assert check_interval(1000) == dt.timedelta(minutes=30)


def test_next_checks_are_jittered_within_ten_percent():
    now = timezone.now()
    rng = random.Random(4)
    delays = {next_check_after_success(now, posts_last_week=0, rng=rng) - now for _ in range(50)}
    assert len(delays) > 40
    assert all(dt.timedelta(hours=21.6) <= d <= dt.timedelta(hours=26.4) for d in delays)


def test_failures_back_off_exponentially_up_to_a_day():
    assert [failure_backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [15, 30, 60, 120]
    assert failure_backoff(20) == dt.timedelta(days=1)


def test_retry_after_wins_over_the_back_off():
    now = timezone.now()
    assert next_check_after_failure(now, failures=1, retry_after=7200) == now + dt.timedelta(
        hours=2
    )
    assert next_check_after_failure(now, failures=1, retry_after=1) == now + dt.timedelta(minutes=1)


def _rss_source(workspace, actor, lead, url):
    identity, _ = identity_add(
        workspace=workspace, actor=actor, network="rss", value=url, lead=lead
    )
    return identity


@pytest.mark.django_db
def test_no_more_than_the_per_host_limit_is_fetched_at_once(
    site, refresh, workspace, feed_actor, settings
):
    settings.FEED_PER_HOST_CONCURRENCY = 2
    settings.FEED_FETCH_CONCURRENCY = 8
    site.routes["/slow.xml"] = Reply(body=rss2([]), headers=RSS, delay=0.3)
    for i in range(6):
        for host in ("blog-a.test", "blog-b.test"):
            lead = LeadFactory(workspace=workspace)
            _rss_source(workspace, feed_actor, lead, site.url(f"/slow.xml?{i}", host=host))

    started = timezone.now()
    counts = refresh(per_host=2, max_concurrency=8)
    took = (timezone.now() - started).total_seconds()

    assert (counts.sources, counts.errors) == (12, 0)
    assert max(site.most_in_flight.values()) == 2
    assert set(site.most_in_flight) == {f"blog-a.test:{site.port}", f"blog-b.test:{site.port}"}
    # Two hosts at two at a time: 12 sources of 0.3 s take about 0.9 s, not 3.6 s.
    assert took < 2.5


@pytest.mark.django_db
def test_a_failing_source_backs_off_and_needs_attention_after_the_limit(
    site, refresh, workspace, feed_actor, lead, settings
):
    settings.POST_SOURCE_MAX_FAILURES = 3
    site.routes["/down.xml"] = Reply(500, b"oops")
    site.routes["/fine.xml"] = Reply(
        body=rss2([("https://ok.example/1", "ok", ago(hours=1))]), headers=RSS
    )
    down = _rss_source(workspace, feed_actor, lead, site.url("/down.xml"))
    fine = _rss_source(workspace, feed_actor, lead, site.url("/fine.xml"))

    first = refresh()
    down.refresh_from_db()
    backoff_1 = down.next_check_at - timezone.now()
    refresh(everything=True)
    down.refresh_from_db()
    backoff_2 = down.next_check_at - timezone.now()
    refresh(everything=True)

    # The healthy source was read although its neighbour failed.
    assert (first.sources, first.errors, first.new_posts) == (2, 1, 1)
    assert dt.timedelta(minutes=13) < backoff_1 < dt.timedelta(minutes=17)
    assert dt.timedelta(minutes=26) < backoff_2 < dt.timedelta(minutes=34)
    down.refresh_from_db()
    assert down.consecutive_failures == 3
    assert (
        down.needs_attention
        == f"Failed 3 times in a row; last error: {site.url('/down.xml')} answered HTTP 500."
    )
    fine.refresh_from_db()
    assert fine.needs_attention == "" and fine.consecutive_failures == 0

    # Retried by hand: due now, counters cleared.
    identity_retry(identity=down)
    down.refresh_from_db()
    assert (down.needs_attention, down.consecutive_failures) == ("", 0)
    assert down.next_check_at <= timezone.now()


@pytest.mark.django_db
def test_a_timeout_is_an_error_that_does_not_hold_up_the_others(
    site, refresh, workspace, feed_actor, lead, settings
):
    site.routes["/stuck.xml"] = Reply(body=rss2([]), headers=RSS, delay=3)
    site.routes["/fine.xml"] = Reply(
        body=rss2([("https://ok.example/1", "ok", ago(hours=1))]), headers=RSS
    )
    stuck = _rss_source(workspace, feed_actor, lead, site.url("/stuck.xml"))
    _rss_source(workspace, feed_actor, lead, site.url("/fine.xml"))

    counts = refresh(timeout=0.5)

    assert (counts.sources, counts.errors, counts.new_posts) == (2, 1, 1)
    stuck.refresh_from_db()
    assert "no answer within 0.5 s" in stuck.last_error


@pytest.mark.django_db
def test_the_next_check_adapts_to_the_posting_rate(site, refresh, workspace, feed_actor, lead):
    busy_items = [(f"https://busy.example/{i}", "x", ago(hours=i * 5)) for i in range(28)]
    site.routes["/busy.xml"] = Reply(body=rss2(busy_items), headers=RSS)
    site.routes["/quiet.xml"] = Reply(
        body=rss2([("https://quiet.example/1", "x", ago(days=20))]), headers=RSS
    )
    busy = _rss_source(workspace, feed_actor, lead, site.url("/busy.xml"))
    quiet = _rss_source(workspace, feed_actor, lead, site.url("/quiet.xml"))

    refresh()

    now = timezone.now()
    busy.refresh_from_db()
    quiet.refresh_from_db()
    # 28 posts in the last week: every 6 hours (±10 %); nothing this week: once a day.
    assert dt.timedelta(hours=5.3) < busy.next_check_at - now < dt.timedelta(hours=6.7)
    assert dt.timedelta(hours=21) < quiet.next_check_at - now < dt.timedelta(hours=27)
    assert quiet.last_posted_at < now - dt.timedelta(days=19)


@pytest.mark.django_db
def test_a_new_source_is_due_at_once_and_the_same_post_is_stored_once(
    site, refresh, workspace, feed_actor, lead
):
    items = [("https://jane.example/a", "A", ago(hours=1))]
    site.routes["/feed.xml"] = Reply(body=rss2(items), headers=RSS)
    site.routes["/feed"] = Reply(body=rss2(items), headers=RSS)
    identity = _rss_source(workspace, feed_actor, lead, site.url("/feed.xml"))
    assert identity.next_check_at <= timezone.now()
    _rss_source(workspace, feed_actor, lead, site.url("/feed"))  # the same posts, another URL

    first, second = refresh(), refresh(everything=True)

    assert (first.sources, first.new_posts) == (2, 1)
    assert (second.new_posts, second.not_modified) == (0, 2)
    assert Post.objects.count() == 1


@pytest.mark.django_db
def test_a_disabled_source_or_a_linkedin_identity_is_never_fetched(
    site, refresh, workspace, feed_actor, lead
):
    site.routes["/feed.xml"] = Reply(body=rss2([]), headers=RSS)
    identity = _rss_source(workspace, feed_actor, lead, site.url("/feed.xml"))
    SocialIdentity.objects.filter(pk=identity.pk).update(enabled=False)
    identity_add(
        workspace=workspace,
        actor=feed_actor,
        network="linkedin",
        value="https://www.linkedin.com/in/jane-doe",
        lead=lead,
    )

    assert refresh(everything=True).sources == 0
    assert site.seen == []


@pytest.mark.django_db
def test_a_bug_on_one_sources_data_fails_only_that_source(
    site, refresh, workspace, feed_actor, lead, monkeypatch
):
    from integrations.feed.sources.rss import adapter as rss_adapter

    site.routes["/odd.xml"] = Reply(body=rss2([]), headers=RSS)
    site.routes["/fine.xml"] = Reply(
        body=rss2([("https://ok.example/1", "ok", ago(hours=1))]), headers=RSS
    )
    odd = _rss_source(workspace, feed_actor, lead, site.url("/odd.xml"))
    _rss_source(workspace, feed_actor, lead, site.url("/fine.xml"))
    real = rss_adapter.feed_result

    def crash_on_odd(fetched, *, feed_url):
        if feed_url.endswith("/odd.xml"):
            raise KeyError("surprise")
        return real(fetched, feed_url=feed_url)

    monkeypatch.setattr(rss_adapter, "feed_result", crash_on_odd)

    counts = refresh()

    assert (counts.sources, counts.errors, counts.new_posts) == (2, 1, 1)
    odd.refresh_from_db()
    assert odd.last_error == "Unexpected error while reading this source (KeyError)."


@pytest.mark.django_db
def test_posts_past_the_retention_are_pruned(workspace, lead, settings):
    from integrations.feed.services.posts import posts_prune

    settings.POSTS_RETENTION_DAYS = 90
    for n, days in enumerate((1, 89, 91, 400)):
        Post.objects.create(
            workspace=workspace,
            lead=lead,
            network="rss",
            external_id=f"p{n}",
            url=f"https://x.example/{n}",
            posted_at=timezone.now() - dt.timedelta(days=days),
        )
    assert posts_prune() == 2
    assert sorted(Post.objects.values_list("external_id", flat=True)) == ["p0", "p1"]


@pytest.mark.django_db
def test_a_pass_leases_its_sources_so_a_concurrent_pass_skips_them(
    site, refresh, workspace, feed_actor, lead, monkeypatch
):
    from integrations.feed import refresh as refresh_module

    due_while_running: list[int] = []
    real = refresh_module.sources_record

    def record(**kwargs):
        # Before the outcome is written, a second pass starting now would find nothing due.
        due_while_running.append(
            SocialIdentity.objects.filter(next_check_at__lte=timezone.now()).count()
        )
        return real(**kwargs)

    monkeypatch.setattr(refresh_module, "sources_record", record)
    site.routes["/feed.xml"] = Reply(body=rss2([]), headers=RSS)
    identity = _rss_source(workspace, feed_actor, lead, site.url("/feed.xml"))

    refresh()

    assert due_while_running == [0]
    identity.refresh_from_db()
    assert identity.next_check_at - timezone.now() > refresh_module.LEASE
