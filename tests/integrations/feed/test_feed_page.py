"""The feed page: cards newest first, filters, "by lead", actions without a reload, the draft,
and the panels it puts on the dashboard and the lead page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.models import ActivityKind, ListKind, ListMembership
from integrations.feed.engagement_models import Engagement
from integrations.feed.models import Network
from integrations.feed.services.engagements import engagement_record
from pipelines.models import PipelineEntry
from tests.factories import CompanyFactory, LeadFactory, LeadListFactory
from tests.integrations.feed.engagement_data import make_post

pytestmark = pytest.mark.django_db

FEED = "/w/acme/feed/"
JSON = {"HTTP_ACCEPT": "application/json"}


def test_cards_show_the_newest_post_first_with_the_lead_and_company(web, workspace):
    company = CompanyFactory(workspace=workspace, name="Initech")
    lead = LeadFactory(workspace=workspace, first_name="Ada", last_name="Byron", company=company)
    make_post(lead=lead, text="Older thoughts", hours_ago=5)
    make_post(lead=lead, text="Fresh take on pricing", hours_ago=1)
    page = web.get(FEED).content.decode()
    assert page.index("Fresh take on pricing") < page.index("Older thoughts")
    assert "Ada Byron" in page and "Initech" in page


def test_post_text_is_escaped(web, lead):
    make_post(lead=lead, text="<script>alert(1)</script> hello")
    page = web.get(FEED).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_posts_i_acted_on_leave_the_default_view_but_not_all_posts(
    web, workspace, owner, actor, lead
):
    seen = make_post(lead=lead, text="Already liked")
    make_post(lead=lead, text="Still new")
    engagement_record(
        workspace=workspace, user=owner, lead=lead, post=seen, kind="liked", actor=actor
    )
    assert "Already liked" not in web.get(FEED).content.decode()
    assert "Still new" in web.get(FEED).content.decode()
    assert "Already liked" in web.get(FEED + "?show=all").content.decode()


def test_another_members_engagement_does_not_hide_my_card(web, workspace, member, actor, lead):
    post = make_post(lead=lead, text="Liked by Mark")
    engagement_record(
        workspace=workspace, user=member, lead=lead, post=post, kind="liked", actor=actor
    )
    assert "Liked by Mark" in web.get(FEED).content.decode()


def test_filters_by_list_kind_network_owner_and_age(web, workspace, owner):
    dream = LeadListFactory(workspace=workspace, kind=ListKind.DREAM_100)
    on_list = LeadFactory(workspace=workspace, owner=owner)
    ListMembership.objects.create(lead_list=dream, lead=on_list)
    elsewhere = LeadFactory(workspace=workspace)
    make_post(lead=on_list, text="Dream post", network=Network.MASTODON)
    make_post(lead=elsewhere, text="Other post", hours_ago=24 * 10)

    def shown(query: str) -> tuple[bool, bool]:
        page = web.get(FEED + query).content.decode()
        return "Dream post" in page, "Other post" in page

    assert shown("") == (True, True)
    assert shown(f"?list={dream.pk}") == (True, False)
    assert shown("?list_kind=dream_100") == (True, False)
    assert shown("?network=mastodon") == (True, False)
    assert shown(f"?owner={owner.pk}") == (True, False)
    assert shown("?age=7") == (True, False)


def test_the_stage_filter_keeps_the_leads_at_that_stage(web, workspace, owner, actor):
    engaged = LeadFactory(workspace=workspace)
    cold = LeadFactory(workspace=workspace)
    engagement_record(
        workspace=workspace, user=owner, lead=engaged, post=make_post(lead=engaged),
        kind="liked", actor=actor,
    )  # fmt: skip
    make_post(lead=engaged, text="Engaged lead's new post")
    make_post(lead=cold, text="Cold lead's post")
    stage = PipelineEntry.objects.get(lead=engaged).stage
    page = web.get(f"{FEED}?stage={stage.pk}").content.decode()
    assert "Engaged lead&#x27;s new post" in page
    assert "Cold lead" not in page


def test_a_company_post_is_one_card_shown_with_its_leads(web, workspace):
    company = CompanyFactory(workspace=workspace, name="Globodyne")
    LeadFactory(workspace=workspace, company=company, first_name="Ann", last_name="Lee")
    LeadFactory(workspace=workspace, company=company, first_name="Bo", last_name="Kim")
    make_post(company=company, text="We raised a round")
    page = web.get(FEED).content.decode()
    assert page.count("We raised a round") == 1
    assert "Company news" in page and "Ann Lee" in page and "Bo Kim" in page


def test_by_lead_mode_groups_each_leads_posts(web, workspace):
    ada = LeadFactory(workspace=workspace, first_name="Ada", last_name="One")
    bob = LeadFactory(workspace=workspace, first_name="Bob", last_name="Two")
    make_post(lead=ada, text="ada-1", hours_ago=1)
    make_post(lead=bob, text="bob-1", hours_ago=2)
    make_post(lead=ada, text="ada-2", hours_ago=3)
    page = web.get(FEED + "?mode=leads").content.decode()
    assert page.count('class="feed-group"') == 2
    assert page.index("ada-2") < page.index("bob-1")


def test_pages_follow_a_cursor_without_repeating_a_post(web, lead):
    for n in range(30):
        make_post(lead=lead, text=f"post number {n:02d}", hours_ago=n + 1)
    first = web.get(FEED).context["page"]
    assert len(first.cards) == 25 and first.next_cursor
    second = web.get(FEED, {"cursor": first.next_cursor}, HTTP_HX_REQUEST="true")
    texts = [c.post.text for c in second.context["page"].cards]
    assert texts == [f"post number {n:02d}" for n in range(25, 30)]


def test_the_page_costs_a_fixed_number_of_queries(web, workspace):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert web.get(FEED).status_code == 200
        return len(ctx.captured_queries)

    lead = LeadFactory(workspace=workspace)
    make_post(lead=lead)
    queries()  # the first visit also remembers the workspace in the session
    few = queries()
    for _ in range(10):
        other = LeadFactory(workspace=workspace, company=CompanyFactory(workspace=workspace))
        ListMembership.objects.create(lead_list=LeadListFactory(workspace=workspace), lead=other)
        make_post(lead=other)
    assert queries() == few


def test_liking_from_the_page_answers_json_with_the_new_stage_and_goal(web, lead):
    post = make_post(lead=lead)
    response = web.post(f"{FEED}posts/{post.pk}/engage/", {"kind": "liked"}, **JSON)
    assert response.status_code == 201
    body = response.json()
    assert body["stage"] == "Engaged"
    assert body["goal"]["engagements"] == 1 and body["goal"]["engagements_target"] == 20
    again = web.post(f"{FEED}posts/{post.pk}/engage/", {"kind": "liked"}, **JSON)
    assert again.status_code == 200
    assert Engagement.objects.filter(post=post).count() == 1


def test_a_comment_keeps_its_text_on_the_timeline(web, lead):
    post = make_post(lead=lead)
    web.post(f"{FEED}posts/{post.pk}/engage/", {"kind": "commented", "comment": "Nice one"}, **JSON)
    assert lead.activities.get(kind=ActivityKind.COMMENTED).body == "Nice one"


def test_without_javascript_the_form_posts_and_comes_back(web, lead):
    post = make_post(lead=lead)
    response = web.post(f"{FEED}posts/{post.pk}/engage/", {"kind": "connected", "next": FEED})
    assert response.status_code == 302 and response["Location"] == FEED
    assert lead.activities.filter(kind=ActivityKind.CONNECTED).exists()


def test_a_bad_kind_is_a_clear_error(web, lead):
    post = make_post(lead=lead)
    response = web.post(f"{FEED}posts/{post.pk}/engage/", {"kind": "loved"}, **JSON)
    assert response.status_code == 422
    assert response.json()["ok"] is False


def test_another_workspaces_post_is_a_404(web, foreign_lead):
    post = make_post(lead=foreign_lead)
    assert web.post(f"{FEED}posts/{post.pk}/engage/", {"kind": "liked"}).status_code == 404
    assert web.get(f"{FEED}posts/{post.pk}/draft/").status_code == 404
    assert post.text not in web.get(FEED + "?show=all").content.decode()


def test_the_draft_quotes_the_post_and_links_the_email(web, workspace):
    lead = LeadFactory(workspace=workspace, first_name="Ada", email="ada@example.test")
    post = make_post(lead=lead, text="Why onboarding emails fail")
    page = web.get(f"{FEED}posts/{post.pk}/draft/").content.decode()
    assert "Hi Ada," in page
    assert "Why onboarding emails fail" in page
    assert "mailto:ada@example.test" in page


def test_the_goals_page_saves_targets_and_time_zone(web, workspace, owner):
    response = web.post(
        "/w/acme/feed/goals/", {"engagements": "30", "comments": "8", "time_zone": "Europe/Paris"}
    )
    assert response.status_code == 302
    progress = web.get("/w/acme/feed/goals/").context["progress"]
    assert (progress.engagements_target, progress.comments_target) == (30, 8)
    assert owner.memberships.get(workspace=workspace).time_zone == "Europe/Paris"
    bad = web.post(
        "/w/acme/feed/goals/", {"engagements": "3", "comments": "1", "time_zone": "Nowhere"}
    )
    assert bad.status_code == 422


def test_a_member_cannot_change_the_readiness_rule(client, workspace, member):
    client.force_login(member)
    client.post("/w/acme/feed/goals/", {"ready_after_engaged_days": "1"})
    from integrations.feed.readiness import ready_after_days

    assert ready_after_days(workspace=workspace) == 3


def test_the_dashboard_offers_the_goals_card(web, workspace, owner, member, actor):
    assert "/w/acme/feed/goals/panel/" in web.get("/w/acme/").content.decode()
    lead = LeadFactory(workspace=workspace)
    engagement_record(
        workspace=workspace, user=owner, lead=lead, post=make_post(lead=lead), kind="liked",
        actor=actor,
    )  # fmt: skip
    panel = web.get("/w/acme/feed/goals/panel/").content.decode()
    assert "1 / 20" in panel
    assert "mark@acme.test" in panel  # owners see the team


def test_the_lead_page_offers_the_readiness_panel(web, workspace, owner, actor, lead):
    assert (
        f"/w/acme/feed/leads/{lead.pk}/panel/"
        in web.get(f"/w/acme/leads/{lead.pk}/").content.decode()
    )
    now = timezone.now()
    for days_ago in (3, 2, 1):
        post = make_post(lead=lead, posted_at=now - dt.timedelta(days=days_ago))
        engagement = engagement_record(
            workspace=workspace, user=owner, lead=lead, post=post, kind="liked", actor=actor
        ).engagement
        lead.activities.filter(pk=engagement.activity_id).update(
            created_at=now - dt.timedelta(days=days_ago)
        )
    panel = web.get(f"/w/acme/feed/leads/{lead.pk}/panel/").content.decode()
    assert "Ready for outreach" in panel
    assert "Ready for outreach" in web.get(FEED + "?show=all").content.decode()


def test_another_workspaces_lead_panel_is_a_404(web, foreign_lead):
    assert web.get(f"/w/acme/feed/leads/{foreign_lead.pk}/panel/").status_code == 404


@pytest.mark.parametrize("few_leads", [2000, 0], ids=["ids spelled out", "subqueries"])
def test_lead_filters_keep_company_news_of_matching_leads(web, workspace, monkeypatch, few_leads):
    monkeypatch.setattr("integrations.feed.cards.FEW_LEADS", few_leads)
    targets = LeadListFactory(workspace=workspace, kind=ListKind.TARGET_ACCOUNTS)
    listed = CompanyFactory(workspace=workspace)
    ListMembership.objects.create(
        lead_list=targets, lead=LeadFactory(workspace=workspace, company=listed)
    )
    unlisted = CompanyFactory(workspace=workspace)
    LeadFactory(workspace=workspace, company=unlisted)
    make_post(company=listed, text="Listed company news")
    make_post(company=unlisted, text="Unlisted company news")
    page = web.get(FEED, {"list": targets.pk}).content.decode()
    assert "Listed company news" in page
    assert "Unlisted company news" not in page
    page = web.get(FEED, {"list_kind": "target_accounts"}).content.decode()
    assert "Listed company news" in page and "Unlisted" not in page
