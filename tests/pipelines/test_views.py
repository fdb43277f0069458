"""The pipeline pages: board, moves, quick view, panels, reports, settings, and who sees them."""

import pytest
from django.test import Client
from django.urls import reverse

from crm.models import Lead
from pipelines.models import PipelineEntry
from pipelines.services import entries_place_new_leads, entry_update, rule_customer_paid
from tests.factories import LeadFactory


def url(name, **kwargs):
    return reverse(f"pipelines:{name}", kwargs={"ws": "acme", **kwargs})


def _place(workspace, actor, n):
    leads = LeadFactory.create_batch(n, workspace=workspace)
    entries_place_new_leads(workspace=workspace, lead_ids=[x.pk for x in leads], actor=actor)
    return leads


def test_the_board_shows_columns_cards_and_totals(web, workspace, actor):
    leads = _place(workspace, actor, 2)
    entry_update(entry=PipelineEntry.objects.get(lead=leads[0]), data={"value_minor": 1500_00})
    page = web.get(url("board"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Catch-up 4" in html and str(leads[0]) in html
    assert "$1,500.00" in html
    # Moves go through the card's ⋯ menu (one shared menu of stages), not a form per card.
    assert f'aria-label="Move {leads[0]}"' in html and 'id="pl-stage-menu"' in html
    assert "pl-move" not in html


def test_board_queries_do_not_grow_with_cards(web, workspace, actor, django_assert_max_num_queries):
    _place(workspace, actor, 2)
    web.get(url("board"))
    with django_assert_max_num_queries(22) as small:
        web.get(url("board"))
    _place(workspace, actor, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        web.get(url("board"))


def test_filters_and_the_next_page_of_a_column(web, workspace, actor, stages):
    leads = _place(workspace, actor, 25)
    page = web.get(url("board") + f"?q={leads[0].email}")
    assert page.content.decode().count('class="pl-card"') == 1
    first = web.get(url("board")).content.decode()
    assert "Show more" in first
    from pipelines.selectors.board import column_page

    cursor = column_page(stage=stages["Cold"], limit=20).next_cursor
    more = web.get(url("column", stage_id=stages["Cold"].pk) + f"?cursor={cursor}")
    assert more.content.decode().count('class="pl-card"') == 5


def test_a_move_answers_json_with_new_totals_and_a_stale_one_409(web, entry, stages):
    entry_update(entry=entry, data={"value_minor": 100_00})
    move = url("move", entry_id=entry.pk)
    data = {"to_stage_id": stages["Warm"].pk, "expected_from_stage_id": stages["Cold"].pk}
    ok = web.post(move, data, HTTP_ACCEPT="application/json")
    assert ok.status_code == 200
    columns = {c["stage_id"]: c for c in ok.json()["columns"]}
    assert columns[stages["Warm"].pk]["count"] == 1
    assert "$100.00" in columns[stages["Warm"].pk]["totals_html"]
    assert columns[stages["Cold"].pk]["count"] == 0
    # The same move again is no conflict (the lead is where it was asked to go)…
    assert web.post(move, data, HTTP_ACCEPT="application/json").status_code == 200
    # …a move from where the lead no longer is, elsewhere, is.
    stale = web.post(
        move, {**data, "to_stage_id": stages["Lost"].pk}, HTTP_ACCEPT="application/json"
    )
    assert stale.status_code == 409 and "Warm" in stale.json()["detail"]


def test_a_move_without_script_redirects_with_a_message(web, entry, stages):
    data = {"to_stage_id": stages["Engaged"].pk, "expected_from_stage_id": stages["Cold"].pk}
    response = web.post(url("move", entry_id=entry.pk), data, follow=True)
    assert "moved to Engaged" in response.content.decode()
    stale = {**data, "to_stage_id": stages["Lost"].pk}
    again = web.post(url("move", entry_id=entry.pk), stale, follow=True)
    assert "Someone else moved this lead first" in again.content.decode()


def test_quick_view_and_deal_value(web, entry):
    assert "History" in web.get(url("entry", entry_id=entry.pk)).content.decode()
    web.post(url("deal", entry_id=entry.pk), {"value": "1,250.50", "currency": "eur"})
    entry.refresh_from_db()
    assert (entry.value_minor, entry.currency) == (125050, "EUR")


def test_the_lead_panel_records_two_referrals(web, entry, actor):
    rule_customer_paid(lead=entry.lead, actor=actor)
    panel = web.get(url("lead_panel", lead_id=entry.lead_id))
    assert "Customer" in panel.content.decode()
    response = web.post(
        url("referrals_add", lead_id=entry.lead_id),
        {
            "name": ["Ada Lovelace", "Alan Turing", ""],
            "email": ["ada@x.test", "alan@x.test", ""],
            "linkedin_url": ["", "", ""],
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Recorded 2 referrals." in html and "Ada Lovelace" in html
    assert Lead.objects.filter(referred_by=entry.lead).count() == 2
    bad = web.post(
        url("referrals_add", lead_id=entry.lead_id),
        {"name": ["No Contact"], "email": [""], "linkedin_url": [""]},
        HTTP_HX_REQUEST="true",
    )
    assert "people.0.email" in bad.content.decode()


def test_the_lead_panel_logs_a_conversation(web, entry, actor):
    rule_customer_paid(lead=entry.lead, actor=actor)
    html = web.post(
        url("conversation_add", lead_id=entry.lead_id), {"kind": "call"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Catch-up 1" in html


def test_the_dashboard_panel(web, entry, stages, actor):
    web.post(
        url("move", entry_id=entry.pk),
        {"to_stage_id": stages["Warm"].pk, "expected_from_stage_id": stages["Cold"].pk},
    )
    html = web.get(url("dashboard_panel")).content.decode()
    assert "Moved today" in html and str(entry.lead) in html


def test_reports_page_draws_from_local_chart_js(web, entry, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        page = web.get(url("reports"))
    html = page.content.decode()
    assert "pipelines/vendor/chart.umd.js" in html and "pl-charts" in html
    assert "Cold → Engaged" in html


def test_settings_switch_rules_and_edit_stages(web, workspace, stages):
    assert web.get(url("settings")).status_code == 200
    web.post(
        url("rules_save"),
        {"reply_moves_to_warm": "on", "catch_up_after_days": "14", "default_currency": "EUR"},
    )
    from pipelines.services import pipeline_settings_get

    current = pipeline_settings_get(workspace=workspace)
    assert current.reply_moves_to_warm and not current.engagement_moves_to_engaged
    assert current.catch_up_after_days == 14
    web.post(
        url("stage_save", stage_id=stages["Warm"].pk),
        {"name": "Hot", "kind": "warm", "probability": "40"},
    )
    stages["Warm"].refresh_from_db()
    assert stages["Warm"].name == "Hot"


def test_members_cannot_change_rules(client, member, workspace, stages):
    client.force_login(member)
    client.post(
        url("stage_save", stage_id=stages["Warm"].pk),
        {"name": "Hijacked", "kind": "warm", "probability": "1"},
    )
    stages["Warm"].refresh_from_db()
    assert stages["Warm"].name == "Warm"


@pytest.mark.parametrize("name", ["board", "reports", "settings", "dashboard_panel"])
def test_strangers_get_404(client, stranger, other_workspace, workspace, name):
    client.force_login(stranger)
    assert client.get(url(name)).status_code == 404


def test_strangers_cannot_move_acme_leads(client, stranger, other_workspace, entry, stages):
    client.force_login(stranger)
    theirs = reverse("pipelines:move", kwargs={"ws": "globex", "entry_id": entry.pk})
    data = {"to_stage_id": stages["Warm"].pk, "expected_from_stage_id": stages["Cold"].pk}
    assert client.post(theirs, data).status_code == 404
    assert isinstance(client, Client)
