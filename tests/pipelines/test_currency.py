"""One currency per workspace unless a deal says otherwise: the default applies wherever an
amount comes without a currency, the demo sells in one currency, and no empty deal shows $0.00."""

import json

import pytest
from django.urls import reverse

from crm.demo import DEMO_CURRENCY, demo_load
from pipelines.models import PipelineEntry
from pipelines.selectors.board import board_columns
from pipelines.services import (
    entry_update,
    pipeline_create_default,
    pipeline_settings_update,
    rule_customer_paid,
)


@pytest.fixture
def in_euros(workspace, entry):
    """A workspace that switched to EUR after its lead was placed (in the old default, USD)."""
    assert entry.currency == "USD"
    pipeline_settings_update(workspace=workspace, data={"default_currency": "EUR"})
    return workspace


def test_a_deal_value_set_through_the_api_without_currency_is_in_the_default(api, in_euros, entry):
    r = api.patch(
        f"/api/v1/entries/{entry.pk}",
        json.dumps({"value_minor": 250_000}),
        content_type="application/json",
    )
    assert r.status_code == 200
    assert (r.json()["value_minor"], r.json()["currency"]) == (250_000, "EUR")


def test_a_currency_given_is_kept(in_euros, entry):
    entry_update(entry=entry, data={"value_minor": 100, "currency": "GBP"})
    entry.refresh_from_db()
    assert entry.currency == "GBP"


def test_a_payment_without_currency_is_in_the_default(api, in_euros, entry):
    r = api.post(
        f"/api/v1/leads/{entry.lead_id}/payments",
        json.dumps({"amount_minor": 49_000}),
        content_type="application/json",
    )
    assert r.status_code == 200
    entry.refresh_from_db()
    assert (entry.value_minor, entry.currency) == (49_000, "EUR")


def test_the_board_totals_one_currency_after_mixed_writes(in_euros, entry, lead, actor):
    rule_customer_paid(lead=lead, actor=actor, amount_minor=10_000)
    columns = board_columns(pipeline=pipeline_create_default(workspace=in_euros))
    assert {cur for c in columns for cur in c.totals} == {"EUR"}


def test_the_demo_sells_in_one_currency(db):
    workspace = demo_load(leads=60)
    entries = PipelineEntry.objects.filter(workspace=workspace)
    assert set(entries.values_list("currency", flat=True)) == {DEMO_CURRENCY}
    assert entries.filter(value_minor__gt=0).exists()
    columns = board_columns(pipeline=pipeline_create_default(workspace=workspace))
    assert {cur for c in columns for cur in c.totals} == {DEMO_CURRENCY}


def _url(name, **kwargs):
    return reverse(f"pipelines:{name}", kwargs={"ws": "acme", **kwargs})


def test_a_lead_without_a_deal_shows_no_zero_amount(web, in_euros, entry):
    panel = web.get(_url("lead_panel", lead_id=entry.lead_id)).content.decode()
    assert "$0.00" not in panel and "No deal value yet" in panel
    assert 'name="currency" maxlength="3" value="EUR"' in panel
    quick = web.get(_url("entry", entry_id=entry.pk)).content.decode()
    assert "$0.00" not in quick and "no value yet" in quick
    assert 'id="pl-currency" name="currency" value="EUR"' in quick
