"""A NUL character in any text parameter is a 422, the same on every API operation and page;
an export never answers an empty 200 for a request it could not run."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from crm.models import Lead
from integrations.exports.download import _cut_short_on_error
from outreach.services.domains import sending_domain_create
from outreach.services.mailboxes import mailbox_create
from outreach.services.sequences import sequence_create
from tests.crm.api.calls import V1, get, post

NUL = "Text cannot contain NUL characters."


@pytest.fixture
def sequence(workspace):
    import datetime as dt

    domain = sending_domain_create(
        workspace=workspace, domain="mail.acme.test", added_on=dt.date(2020, 1, 1)
    )
    mailbox = mailbox_create(workspace=workspace, domain=domain, address="o@mail.acme.test")
    return sequence_create(workspace=workspace, name="Founders", mailboxes=[mailbox])


@pytest.mark.parametrize(
    "path",
    ["/sequences/{sid}/enrollments", "/exports/leads.csv", "/leads", "/leads/count", "/tasks"],
)
def test_nul_in_a_query_parameter_is_a_422_naming_it(api, sequence, path):
    response = get(api, path.format(sid=sequence.pk), {"q": "a\x00b"})

    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Invalid request.", "errors": {"q": [NUL]}}


def test_nul_in_a_json_body_is_a_422_naming_the_field(api):
    response = post(api, "/leads", {"email": "a@acme.test", "custom_fields": {"x": "a\x00"}})

    assert response.status_code == 422
    assert response.json()["errors"] == {"custom_fields.x": [NUL]}
    assert not Lead.objects.exists()


def test_nul_in_a_page_query_string_or_form_is_a_422(web, workspace):
    assert web.get(f"/w/{workspace.slug}/leads/", {"q": "a\x00b"}).status_code == 422
    assert web.get(f"/w/{workspace.slug}/exports/leads/", {"q": "a\x00"}).status_code == 422
    response = web.post(f"/w/{workspace.slug}/lists/new/", {"name": "Q\x004"})
    assert response.status_code == 422
    assert NUL.encode() in response.content


def test_a_raw_nul_in_the_url_path_is_refused(api):
    response = api.get(V1 + "/leads/1\x00")

    assert response.status_code in (404, 422)


def test_an_export_that_fails_after_it_started_is_cut_short_and_logged(caplog):
    def chunks():
        yield "\ufeffid,email\r\n"
        raise RuntimeError("the database went away")

    stream = _cut_short_on_error(chunks())

    assert next(stream) == "\ufeffid,email\r\n"
    with caplog.at_level(logging.ERROR), pytest.raises(RuntimeError):
        next(stream)
    assert "cut short" in caplog.text


def test_an_export_whose_query_cannot_run_fails_before_the_first_byte(api, monkeypatch):
    # A filter the database refuses fails while the answer can still say so.
    from crm.selectors import leads as selectors

    original = selectors.leads_filtered

    def refused(**kwargs):  # type: ignore[no-untyped-def]
        return original(**kwargs).extra(where=["no_such_column = 1"])

    monkeypatch.setattr("integrations.api.leads_filtered", refused)
    client = Client(raise_request_exception=False, **api.defaults)

    response = client.get(V1 + "/exports/leads.csv")

    assert response.status_code == 500
    assert not response.streaming
    assert response.json()["detail"]
