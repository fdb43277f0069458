"""The registries other apps fill at start-up: columns, filters, bulk actions, badges, lead-page
actions and list-page figures, and what the pages make of them."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.web.extensions.badges import NAV_BADGES, NavBadge
from crm.web.extensions.bulk_actions import BULK_ACTIONS, BulkAction, BulkRefused
from crm.web.extensions.columns import LEAD_COLUMNS, LeadColumn
from crm.web.extensions.filters import LEAD_FILTERS, LeadFilter
from crm.web.extensions.lead_actions import LEAD_ACTIONS, LeadAction
from crm.web.extensions.list_columns import LIST_COLUMNS, ListColumn
from crm.web.extensions.registry import Registry
from tests.factories import LeadFactory, LeadListFactory

LEADS = "/w/acme/leads/"


def column(key: str, **kwargs) -> LeadColumn:
    return LeadColumn(key, key.title(), "crm/leads/cells/text.html", **kwargs)


def test_a_registry_lists_entries_by_order_then_registration():
    registry: Registry[LeadColumn] = Registry("columns")
    registry.register(column("b", order=5))
    registry.register(column("c", order=1))
    registry.register(column("a", order=5))
    assert [c.key for c in registry.all()] == ["c", "b", "a"]


def test_registering_the_same_entry_twice_is_harmless_but_a_clash_is_refused():
    registry: Registry[LeadColumn] = Registry("columns")
    entry = column("stage")
    registry.register(entry)
    registry.register(entry)
    assert registry.all() == [entry]
    with pytest.raises(ImproperlyConfigured, match="stage"):
        registry.register(column("stage", order=3))


def test_temporarily_puts_the_registry_back_as_it_was():
    registry: Registry[LeadColumn] = Registry("columns")
    kept = registry.register(column("kept"))
    with registry.temporarily(column("extra")):
        assert registry.get("extra") is not None
        registry.unregister("kept")
    assert registry.all() == [kept]


def test_the_apps_register_their_pieces_at_start_up():
    assert LEAD_COLUMNS.get("stage") is not None  # pipelines
    assert LEAD_FILTERS.get("stage") is not None  # pipelines
    assert BULK_ACTIONS.get("enroll") is not None  # outreach
    assert LEAD_FILTERS.get("sequence") is not None  # outreach


def test_a_registered_column_shows_its_values_with_one_query_per_page(web, workspace):
    calls = []

    def load(ws, leads):
        calls.append(len(leads))
        return {lead.pk: f"score {lead.pk % 7}" for lead in leads}

    LeadFactory.create_batch(3, workspace=workspace)
    web.get(LEADS)  # the session remembers the workspace on the first visit
    with LEAD_COLUMNS.temporarily(column("score", load=load)):
        with CaptureQueriesContext(connection) as few:
            html = web.get(LEADS).content.decode()
        LeadFactory.create_batch(30, workspace=workspace)
        with CaptureQueriesContext(connection) as many:
            web.get(LEADS)
    assert '<th class="" data-column="score">Score</th>' in html
    assert "score " in html
    assert calls == [3, 33]
    # More rows, same number of queries: the column never costs a query per row.
    assert len(many) == len(few)


def test_a_registered_filter_is_in_the_form_and_narrows_the_table(web, workspace):
    LeadFactory(workspace=workspace, first_name="Ada", last_name="Short", title="CEO")
    LeadFactory(workspace=workspace, first_name="Grace", last_name="Long", title="CTO")
    seniority = LeadFilter(
        "seniority",
        "Seniority",
        lambda ws: forms.ChoiceField(choices=[("", "Any seniority"), ("CEO", "CEO")]),
        lambda qs, value, ws: qs.filter(title=value),
    )
    with LEAD_FILTERS.temporarily(seniority):
        page = web.get(LEADS).content.decode()
        filtered = web.get(LEADS, {"seniority": "CEO"}).content.decode()
        nonsense = web.get(LEADS, {"seniority": "Pope"}).content.decode()
    assert 'name="seniority"' in page and 'aria-label="Seniority"' in page
    assert "Ada Short" in filtered and "Grace Long" not in filtered
    assert "1</strong> lead match" in filtered
    # An impossible value is dropped, as for the core filters, never an error page.
    assert "Ada Short" in nonsense and "Grace Long" in nonsense


def test_a_registered_bulk_action_is_offered_and_called_with_the_ticked_leads(
    web, workspace, owner
):
    seen = {}

    def handler(*, workspace, lead_ids, actor, data):
        seen.update(workspace=workspace, ids=sorted(lead_ids), user=actor.user, note=data["note"])
        return f"Starred {len(lead_ids)}."

    def refuse(*, workspace, lead_ids, actor, data):
        raise BulkRefused("Pick a colour first.")

    leads = LeadFactory.create_batch(2, workspace=workspace)
    star = BulkAction("star", "Star", handler, icon="flame")
    paint = BulkAction("paint", "Paint", refuse)
    with BULK_ACTIONS.temporarily(star, paint):
        assert 'value="star"' in web.get(LEADS).content.decode()
        done = web.post(
            f"{LEADS}bulk/",
            {"action": "star", "lead_ids": [x.pk for x in leads], "note": "hi"},
            follow=True,
        ).content.decode()
        refused = web.post(
            f"{LEADS}bulk/", {"action": "paint", "lead_ids": [leads[0].pk]}, follow=True
        ).content.decode()
    assert "Starred 2." in done
    assert seen == {"workspace": workspace, "ids": sorted(x.pk for x in leads), "user": owner,
                    "note": "hi"}  # fmt: skip
    assert "Pick a colour first." in refused


def test_an_action_that_needs_options_is_hidden_without_them(web, workspace):
    LeadFactory(workspace=workspace)
    nothing = BulkAction(
        "nothing", "Nothing", lambda **kw: "", options=lambda ws: [], needs_options=True
    )
    with BULK_ACTIONS.temporarily(nothing):
        assert 'value="nothing"' not in web.get(LEADS).content.decode()


def test_navigation_badges_show_counts_and_a_broken_one_is_left_out(web, workspace):
    def broken(ws, user):
        raise RuntimeError("boom")

    badges = (
        NavBadge("tasks_due", "crm:tasks", lambda ws, user: 4, title="due today"),
        NavBadge("broken", "crm:lists", broken),
        NavBadge("zero", "crm:companies", lambda ws, user: 0),
    )
    with NAV_BADGES.temporarily(*badges):
        html = web.get("/w/acme/").content.decode()
    assert '<span class="nav-badge" title="4 due today" data-badge>4</span>' in html
    assert html.count("data-badge>") == 1


def test_lead_page_actions_appear_and_unknown_urls_are_skipped(web, lead):
    actions = (
        LeadAction("pipeline", "Pipeline", "pipelines:lead", icon="columns"),
        LeadAction("missing", "Missing", "nowhere:lead"),
    )
    with LEAD_ACTIONS.temporarily(*actions):
        html = web.get(f"/w/acme/leads/{lead.pk}/").content.decode()
    assert f'href="/w/acme/pipeline/leads/{lead.pk}/" data-lead-action="pipeline"' in html
    assert "Missing" not in html


def test_list_page_columns_add_a_figure_to_every_list(web, workspace):
    first = LeadListFactory(workspace=workspace, name="Dream 100")
    LeadListFactory(workspace=workspace, name="Target accounts")
    calls = []

    def load(ws, lists):
        calls.append(len(lists))
        return {first.pk: 1234}

    with LIST_COLUMNS.temporarily(ListColumn("in_sequences", "In sequences", load)):
        html = web.get("/w/acme/lists/").content.decode()
    assert calls == [2]
    assert html.count('data-list-figure="in_sequences"') == 2
    assert "1,234" in html
