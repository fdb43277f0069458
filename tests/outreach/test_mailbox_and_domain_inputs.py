"""What the sending-domain and mailbox endpoints accept: no null settings, dates a read can
use, public domain names only, times of day as documented, and paging like every list."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from outreach.models import Mailbox, SendingDomain
from outreach.services.domains import sending_domain_create
from tests.crm.api.calls import get, patch, post

WARM = dt.date(2020, 1, 1)


@pytest.fixture
def domain(workspace):
    return sending_domain_create(workspace=workspace, domain="mail.acme.test", added_on=WARM)


@pytest.fixture
def mailbox_id(api, domain):
    response = post(api, "/mailboxes", {"domain_id": domain.pk, "address": "o@mail.acme.test"})
    assert response.status_code == 201
    return response.json()["id"]


MAILBOX_FIELDS = ["daily_cap", "smtp_host", "timezone", "window_start", "window_weekdays",
                  "display_name", "smtp_port", "gap_min_seconds", "transport"]  # fmt: skip


@pytest.mark.parametrize("field", MAILBOX_FIELDS)
def test_null_in_a_mailbox_create_is_a_422_naming_the_field(api, domain, field):
    body = {"domain_id": domain.pk, "address": "o@mail.acme.test", field: None}

    response = post(api, "/mailboxes", body)

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Mailbox.objects.exists()


@pytest.mark.parametrize("field", MAILBOX_FIELDS)
def test_null_in_a_mailbox_update_is_a_422_and_changes_nothing(api, mailbox_id, field):
    response = patch(api, f"/mailboxes/{mailbox_id}", {"signature": "Olivia", field: None})

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert Mailbox.objects.get(pk=mailbox_id).signature == ""


def test_the_schema_documents_mailbox_settings_as_never_null(api):
    document = api.get("/api/v1/openapi.json").json()
    settings = document["components"]["schemas"]["MailboxSettings"]["properties"]
    for name, field in settings.items():
        assert "anyOf" not in field and field.get("type") != "null", name
        assert "default" not in field, name


def test_the_service_refuses_null_settings_too(workspace, domain):
    from crm.errors import ValidationFailed
    from outreach.services.mailboxes import mailbox_create

    with pytest.raises(ValidationFailed) as refused:
        mailbox_create(
            workspace=workspace, domain=domain, address="o@mail.acme.test", data={"timezone": None}
        )
    assert refused.value.errors == {"timezone": ["Cannot be null."]}


def test_window_times_are_hh_mm_as_the_schema_says(api, mailbox_id):
    document = api.get("/api/v1/openapi.json").json()
    pattern = document["components"]["schemas"]["MailboxOut"]["properties"]["window_start"]
    assert "format" not in pattern

    response = patch(
        api, f"/mailboxes/{mailbox_id}", {"window_start": "08:30", "window_end": "17:45:30"}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["window_start"], body["window_end"]) == ("08:30", "17:45:30")
    for value in (body["window_start"], body["window_end"]):
        assert re.fullmatch(pattern["pattern"], value)


@pytest.mark.parametrize("value", ["08:30:00Z", "08:30+02:00", "8:30", "25:00", "08:30:00.5"])
def test_a_window_time_with_an_offset_or_out_of_range_is_a_422(api, mailbox_id, value):
    response = patch(api, f"/mailboxes/{mailbox_id}", {"window_start": value})

    assert response.status_code == 422
    assert "window_start" in response.json()["errors"]


@pytest.mark.parametrize("added_on", ["9999-12-31", "0001-01-01", "3000-01-01"])
def test_a_domain_added_on_a_date_reads_cannot_use_is_refused_and_not_kept(api, added_on):
    response = post(api, "/sending-domains", {"domain": "mail.acme.test", "added_on": added_on})

    assert response.status_code == 422
    assert "added_on" in response.json()["errors"]
    assert not SendingDomain.objects.exists()
    assert get(api, "/sending-domains").status_code == 200
    assert get(api, "/deliverability/domains").status_code == 200


def test_the_service_refuses_such_a_date_from_any_caller(workspace):
    from crm.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        sending_domain_create(
            workspace=workspace, domain="mail.acme.test", added_on=dt.date(9999, 12, 31)
        )
    assert not SendingDomain.objects.exists()


def test_the_domain_page_refuses_such_a_date_with_a_form_error(web, workspace):
    response = web.post(
        f"/w/{workspace.slug}/outreach/domains/",
        {"domain": "mail.acme.test", "timezone": "UTC", "added_on": "9999-12-31",
         "warmup_days": 14, "daily_cap": 30},
    )  # fmt: skip

    assert response.status_code in (200, 422)
    assert b"between the years" in response.content
    assert not SendingDomain.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["metadata.google.internal", "x.localhost", "printer.local", "mail.corp", "x.invalid",
     "abc.onion", "router.home.arpa", "nas.lan"],
)  # fmt: skip
def test_internal_names_are_not_sending_domains(api, name):
    response = post(api, "/sending-domains", {"domain": name})

    assert response.status_code == 422
    assert "internal name" in response.json()["errors"]["domain"][0]


@pytest.mark.parametrize("name", ["mail.acme.test", "news.example", "getacme.com"])
def test_public_and_documentation_names_are_accepted(api, name):
    assert post(api, "/sending-domains", {"domain": name}).status_code == 201


@pytest.fixture
def sequence_id(api, mailbox_id):
    response = post(api, "/sequences", {"name": "Founders", "mailbox_ids": [mailbox_id]})
    assert response.status_code == 201
    return response.json()["id"]


@pytest.mark.parametrize(
    "params", [{"offset": -1}, {"limit": 0}, {"limit": 501}, {"status": "nope"}, {"q": "x" * 201}]
)
def test_bad_paging_of_enrollments_is_a_422_as_on_other_lists(api, sequence_id, params):
    response = get(api, f"/sequences/{sequence_id}/enrollments", params)

    assert response.status_code == 422
    assert set(response.json()["errors"]) == set(params)
