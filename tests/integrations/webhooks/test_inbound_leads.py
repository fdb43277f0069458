"""The inbound lead URL: a secret token in the path, an upsert by email or LinkedIn URL, with
list, tags, stage and deal value; Idempotency-Key makes retries safe."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from crm.models import Lead
from integrations.automation.services import inbound_url_get_or_create, inbound_url_rotate
from pipelines.models import PipelineEntry


@pytest.fixture
def inbound_url(workspace):
    inbound = inbound_url_get_or_create(workspace=workspace)
    return reverse("webhooks:inbound_lead", kwargs={"token": inbound.token})


def _post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_a_post_creates_a_lead_in_the_list_with_tags_stage_and_deal_value(
    client, inbound_url, workspace
):
    answer = _post(
        client,
        inbound_url,
        {
            "email": "Ada@Example.com",
            "first_name": "Ada",
            "company_name": "Analytical Engines",
            "list_name": "Webinar signups",
            "tags": ["webinar", "q1"],
            "stage": "warm",
            "value_minor": 120000,
            "currency": "EUR",
        },
    )
    assert answer.status_code == 201, answer.content
    lead = Lead.objects.get(workspace=workspace)
    assert answer.json()["id"] == lead.pk
    assert lead.email == "ada@example.com"
    assert [lst.name for lst in lead.lists.all()] == ["Webinar signups"]
    assert sorted(t.name for t in lead.tags.all()) == ["q1", "webinar"]
    entry = PipelineEntry.objects.get(lead=lead)
    assert entry.stage.kind == "warm"
    assert (entry.value_minor, entry.currency) == (120000, "EUR")


def test_a_known_email_updates_the_lead_instead_of_duplicating_it(client, inbound_url, workspace):
    _post(client, inbound_url, {"email": "ada@example.com", "title": "CTO"})
    answer = _post(
        client, inbound_url, {"email": "ADA@example.com", "title": "CEO", "tags": "vip, board"}
    )
    assert answer.status_code == 200
    lead = Lead.objects.get(workspace=workspace)
    assert lead.title == "CEO"
    assert sorted(t.name for t in lead.tags.all()) == ["board", "vip"]


def test_a_known_linkedin_url_is_the_same_lead(client, inbound_url, workspace):
    _post(client, inbound_url, {"linkedin_url": "https://www.linkedin.com/in/ada-l/"})
    answer = _post(
        client, inbound_url, {"linkedin_url": "linkedin.com/in/ada-l", "first_name": "Ada"}
    )
    assert answer.status_code == 200
    assert Lead.objects.get(workspace=workspace).first_name == "Ada"


def test_a_plain_form_post_works(client, inbound_url, workspace):
    answer = client.post(inbound_url, {"email": "form@example.com", "tags": "a, b"})
    assert answer.status_code == 201
    assert Lead.objects.filter(workspace=workspace, email="form@example.com").exists()


def test_bad_input_is_a_422_and_leaves_nothing_half_made(client, inbound_url, workspace):
    assert _post(client, inbound_url, {"first_name": "No identity"}).status_code == 422
    assert _post(client, inbound_url, {"email": "x@example.com", "shoe_size": 9}).status_code == 422
    answer = _post(client, inbound_url, {"email": "x@example.com", "stage": "Nowhere"})
    assert answer.status_code == 422
    assert "stage" in answer.json()["errors"]
    assert not Lead.objects.filter(workspace=workspace).exists()


def test_an_unknown_or_rotated_token_is_a_404(client, inbound_url, workspace):
    assert _post(client, "/hooks/leads/not-a-token/", {"email": "a@example.com"}).status_code == 404
    inbound_url_rotate(workspace=workspace)
    assert _post(client, inbound_url, {"email": "a@example.com"}).status_code == 404
    assert client.get(inbound_url).status_code == 405 or client.get(inbound_url).status_code == 404


def test_the_same_idempotency_key_replays_the_first_answer(client, inbound_url, workspace):
    body = {"email": "ada@example.com", "tags": ["once"]}
    first = _post(client, inbound_url, body, HTTP_IDEMPOTENCY_KEY="form-42")
    again = _post(client, inbound_url, body, HTTP_IDEMPOTENCY_KEY="form-42")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Lead.objects.filter(workspace=workspace).count() == 1


def test_the_same_key_with_another_body_is_a_422(client, inbound_url):
    _post(client, inbound_url, {"email": "ada@example.com"}, HTTP_IDEMPOTENCY_KEY="k1")
    other = _post(client, inbound_url, {"email": "bob@example.com"}, HTTP_IDEMPOTENCY_KEY="k1")
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]


def test_the_inbound_lead_is_placed_in_the_default_pipeline(client, inbound_url, workspace):
    _post(client, inbound_url, {"email": "new@example.com"})
    lead = Lead.objects.get(workspace=workspace)
    assert PipelineEntry.objects.filter(lead=lead).count() == 1
