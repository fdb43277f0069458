"""A bug behind an API operation answers a JSON problem (logged with its traceback), never
Django's HTML error page."""

from __future__ import annotations

import logging

from django.test import Client

from crm.api.fallback import server_error
from tests.crm.api.calls import V1


def test_an_unexpected_error_in_an_operation_is_a_logged_json_500(api, monkeypatch, caplog):
    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    monkeypatch.setattr("crm.api.tags.tags_all", broken)
    client = Client(raise_request_exception=False, **api.defaults)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(V1 + "/tags")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert "RuntimeError: a bug" in caplog.text


def test_the_500_handler_answers_json_under_the_api_and_html_elsewhere(rf):
    api_answer = server_error(rf.get("/api/v1/leads"))
    page_answer = server_error(rf.get("/w/acme/leads/"))

    assert api_answer["Content-Type"] == "application/json"
    assert api_answer.status_code == page_answer.status_code == 500
    assert page_answer["Content-Type"].startswith("text/html")
