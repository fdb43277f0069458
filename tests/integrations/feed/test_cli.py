"""The scripted interfaces: add_post_source and refresh_posts, as a shell would run them."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from integrations.feed.models import SocialIdentity
from tests.factories import CompanyFactory
from tests.integrations.feed.formats import ago, rss2
from tests.integrations.feed.site import Reply

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_add_post_source_prints_the_id_and_the_same_id_again(workspace, lead):
    args = (
        "add_post_source",
        "--workspace",
        "acme",
        "--lead",
        lead.email.upper(),
        "--kind",
        "bluesky",
        "--value",
        "@Jane.bsky.social",
    )
    first, _ = _run(*args)
    again, _ = _run(*args)
    identity = SocialIdentity.objects.get(lead=lead, network="bluesky")
    assert first.strip() == again.strip() == str(identity.pk)
    assert identity.last_checked_at is None  # added, not fetched


def test_add_post_source_takes_a_lead_id_or_a_company_domain(workspace, lead):
    company = CompanyFactory(workspace=workspace, domain="acme.example")
    by_id, _ = _run(
        "add_post_source",
        "--workspace",
        "acme",
        "--lead-id",
        str(lead.pk),
        "--kind",
        "rss",
        "--value",
        "https://jane.example/feed",
    )
    by_domain, _ = _run(
        "add_post_source",
        "--workspace",
        "acme",
        "--company",
        "https://www.acme.example",
        "--kind",
        "website",
        "--value",
        "acme.example/blog",
    )
    assert SocialIdentity.objects.get(pk=int(by_id)).lead == lead
    assert SocialIdentity.objects.get(pk=int(by_domain)).company == company


@pytest.mark.parametrize(
    ("who", "kind", "value", "message"),
    [
        (("--lead", "nobody@nowhere.example"), "rss", "https://x.example/f", "No lead with email"),
        (("--lead-id", "999999"), "rss", "https://x.example/f", "No lead with id 999999"),
        (("--company", "unknown.example"), "rss", "https://x.example/f", "No company with domain"),
        (None, "mastodon", "not-a-handle", "A Mastodon handle looks like @name@host."),
        (None, "rss", "ftp://x.example/f", "http"),
    ],
)
def test_add_post_source_refuses_with_exit_2(workspace, lead, who, kind, value, message):
    who = who or ("--lead", lead.email)
    with pytest.raises(CommandError) as raised:
        _run("add_post_source", "--workspace", "acme", *who, "--kind", kind, "--value", value)
    assert raised.value.returncode == 2
    assert message in str(raised.value)
    assert not SocialIdentity.objects.exists()


def test_refresh_posts_json_counts_every_kind_of_outcome(site, workspace, lead, settings):
    settings.FEED_FETCH_TIMEOUT = 1
    site.routes["/ok.xml"] = Reply(
        body=rss2(
            [("https://j.example/1", "a", ago(hours=1)), ("https://j.example/2", "b", ago(hours=2))]
        ),
        headers={"Content-Type": "application/rss+xml", "ETag": '"e1"'},
    )
    site.routes["/limited.xml"] = Reply(429, headers={"Retry-After": "120"})
    site.routes["/slow.xml"] = Reply(body=rss2([]), delay=2)
    for path in ("/ok.xml", "/limited.xml", "/slow.xml"):
        _run(
            "add_post_source",
            "--workspace",
            "acme",
            "--lead",
            lead.email,
            "--kind",
            "rss",
            "--value",
            site.url(path),
        )

    out, _ = _run("refresh_posts", "--json")
    assert json.loads(out.strip().splitlines()[-1]) == {
        "sources": 3,
        "new_posts": 2,
        "not_modified": 0,
        "errors": 2,
    }

    site.routes["/ok.xml"] = lambda seen: (
        Reply(304) if seen.headers.get("if-none-match") == '"e1"' else Reply(500)
    )
    out, _ = _run("refresh_posts", "--workspace", "acme", "--all", "--json")
    assert json.loads(out.strip().splitlines()[-1]) == {
        "sources": 3,
        "new_posts": 0,
        "not_modified": 1,
        "errors": 2,
    }

    # Nothing due right after: the pass is empty.
    out, _ = _run("refresh_posts", "--json")
    assert json.loads(out.strip().splitlines()[-1])["sources"] == 0


def test_refresh_posts_without_json_prints_a_sentence(workspace):
    out, _ = _run("refresh_posts")
    assert out.strip() == "0 sources: 0 new posts, 0 unchanged, 0 errors."


def test_refresh_posts_of_an_unknown_workspace_fails(workspace):
    with pytest.raises(CommandError):
        _run("refresh_posts", "--workspace", "nope")
