"""The dashboard: its numbers are the ones the linked pages show, and its activity reads as
sentences."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.actors import Actor
from crm.models import ActivityKind
from crm.services.activities import activity_record
from tests.factories import LeadFactory, TaskFactory


def page(web, name, query=""):
    return web.get(reverse(name, kwargs={"ws": "acme"}) + query).content.decode()


def tab_count(html, label):
    return int(re.search(rf">{label}<span class=\"badge[^\"]*\">(\d+)</span>", html).group(1))


@pytest.fixture
def busy_day(workspace, owner, member, lead):
    now = timezone.now()
    for n in range(12):  # more than the dashboard lists
        TaskFactory(workspace=workspace, lead=lead, assignee=owner, due_at=now - dt.timedelta(n))
    TaskFactory(workspace=workspace, assignee=member, due_at=now)
    TaskFactory(workspace=workspace, assignee=owner, due_at=now + dt.timedelta(days=3))
    TaskFactory(workspace=workspace, assignee=owner, due_at=now, done_at=now)


def test_my_tasks_for_today_counts_what_the_tasks_page_shows(web, busy_day):
    dashboard = page(web, "crm:dashboard")
    mine = int(re.search(r"My tasks for today <span class=\"count\">(\d+)</span>", dashboard)[1])
    tasks_page = page(web, "crm:tasks", "?view=today&whose=mine")
    assert mine == tab_count(tasks_page, "Due today") == 12
    assert "?view=today&amp;whose=mine" in dashboard


def test_the_due_today_card_counts_what_its_link_opens(web, busy_day):
    dashboard = page(web, "crm:dashboard")
    card = re.search(r'id="stat-due-today" href="([^"]+)".*?stat-value">(\d+)<', dashboard, re.S)
    link, due = card[1].replace("&amp;", "&"), int(card[2])
    everyone = web.get(link).content.decode()
    assert due == tab_count(everyone, "Due today") == 13
    overdue = int(re.search(r"(\d+) of them overdue", dashboard)[1])
    assert overdue == tab_count(everyone, "Overdue")


def test_catch_ups_are_counted_in_one_place(web, busy_day):
    # The catch-up count is the pipeline panel's (the reports page's selector), not a second
    # card of tasks under the same name.
    assert "Catch-ups due" not in page(web, "crm:dashboard")


def _line(html, activity_id):
    item = re.search(rf'id="activity-{activity_id}".*?timeline-head[^>]*>(.*?)</div>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item[1])).strip()


def test_activity_lines_read_as_sentences(web, workspace, owner, actor):
    owner.first_name, owner.last_name = "Olivia", "Owens"
    owner.save()
    emma = LeadFactory(workspace=workspace, first_name="Emma", last_name="Stone")
    moved = activity_record(
        lead=emma,
        kind=ActivityKind.STAGE_CHANGED,
        actor=actor,
        body="Cold → Warm: met at a fair",
        payload={"from": "Cold", "to": "Warm", "reason": "met at a fair"},
    )
    replied = activity_record(
        lead=emma,
        kind=ActivityKind.EMAIL_REPLIED,
        actor=Actor.system("inbox sync"),
        body="Sounds good, call me",
        payload={"subject": "Re: Quick question"},
    )
    sent = activity_record(
        lead=emma,
        kind=ActivityKind.EMAIL_SENT,
        actor=Actor.system("sequence"),
        body="Quick question",
        payload={"step": 2},
    )
    ruled = activity_record(
        lead=emma,
        kind=ActivityKind.STAGE_CHANGED,
        actor=Actor.rule("payment (Stripe)"),
        payload={"from": "Warm", "to": "Customer"},
    )
    html = page(web, "crm:dashboard")
    assert _line(html, moved.pk) == "Olivia Owens moved Emma Stone from Cold to Warm"
    assert _line(html, replied.pk) == "Emma Stone replied to “Re: Quick question”"
    assert _line(html, sent.pk) == "A sequence emailed Emma Stone (step 2): “Quick question”"
    via_stripe = "The payment rule (via Stripe) moved Emma Stone from Warm to Customer"
    assert _line(html, ruled.pk) == via_stripe
    # On the lead's own page the same sentence, with the reason underneath.
    lead_page = web.get(reverse("crm:lead", kwargs={"ws": "acme", "lead_id": emma.pk}))
    text = lead_page.content.decode()
    assert _line(text, moved.pk) == "Olivia Owens moved Emma Stone from Cold to Warm"
    assert "met at a fair" in text
