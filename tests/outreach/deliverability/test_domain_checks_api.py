"""The deliverability API: health list, check now, history, findings, policy; scoped."""

from __future__ import annotations

import json

import pytest

from outreach.models import DomainCheck, DomainState
from outreach.services.domain_checks import domain_check_run
from outreach.services.domains import sending_domain_create

from .domain_zone import DOMAIN, acme_zone


def post(api, path, body=None, method="post"):
    return getattr(api, method)(
        f"/api/v1{path}", json.dumps(body or {}), content_type="application/json"
    )


@pytest.fixture
def domain(workspace):
    return sending_domain_create(workspace=workspace, domain=DOMAIN)


@pytest.fixture
def foreign(other_workspace):
    return sending_domain_create(workspace=other_workspace, domain="mail.globex.test")


def test_check_now_answers_with_the_stored_check_and_its_fixes(api, acme_dns, domain):
    acme_dns.load(acme_zone(without=("dmarc",)))

    response = post(api, f"/sending-domains/{domain.pk}/checks")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "failing" and body["action"] == "paused"
    assert body["bulk_sender_ready"] is False
    missing = next(f for f in body["findings"] if f["code"] == "dmarc.missing")
    assert missing["severity"] == "error"
    assert missing["fix"]["name"] == f"_dmarc.{DOMAIN}" and missing["fix"]["type"] == "TXT"
    assert body["id"] == DomainCheck.objects.get().pk
    state = api.get(f"/api/v1/sending-domains/{domain.pk}").json()
    assert state["state"] == DomainState.PAUSED and "DMARC" in state["paused_reason"]


def test_history_is_newest_first_and_a_check_has_its_findings(api, acme_dns, domain):
    first = domain_check_run(domain=domain)
    acme_dns.load(acme_zone(without=("spf",)))
    second = domain_check_run(domain=domain)

    history = api.get(f"/api/v1/sending-domains/{domain.pk}/checks").json()
    one = api.get(f"/api/v1/sending-domains/{domain.pk}/checks/{first.pk}").json()
    page = api.get(f"/api/v1/sending-domains/{domain.pk}/checks?limit=1&offset=1").json()

    assert [c["id"] for c in history] == [second.pk, first.pk]
    assert "findings" not in history[0]
    assert one["id"] == first.pk and one["findings"] == first.findings
    assert [c["id"] for c in page] == [first.pk]


def test_the_domains_list_carries_each_last_check(api, acme_dns, domain, workspace):
    other = sending_domain_create(workspace=workspace, domain="news.acme.test")
    check = domain_check_run(domain=domain)

    rows = {r["domain"]: r for r in api.get("/api/v1/deliverability/domains").json()}

    assert rows[DOMAIN]["last_check"]["id"] == check.pk
    assert rows[DOMAIN]["last_check"]["status"] == check.status
    assert rows[other.domain]["last_check"] is None


def test_the_policy_can_be_read_and_replaced(api, workspace, settings):
    settings.DNS_RESOLVERS_ALLOWED = [("127.0.0.1", 5353)]
    assert api.get("/api/v1/deliverability/policy").json() == {
        "pause_on_failure": True,
        "ip_blocklists": [],
        "domain_blocklists": [],
        "dns_nameserver": None,
        "dns_port": 53,
    }
    body = {
        "pause_on_failure": False,
        "ip_blocklists": ["Zen.Spamhaus.org"],
        "domain_blocklists": ["dbl.spamhaus.org"],
        "dns_nameserver": "127.0.0.1",
        "dns_port": 5353,
    }

    response = post(api, "/deliverability/policy", body, method="put")

    assert response.status_code == 200, response.content
    assert response.json() == {**body, "ip_blocklists": ["zen.spamhaus.org"]}
    assert api.get("/api/v1/deliverability/policy").json()["dns_port"] == 5353


@pytest.mark.parametrize(
    "body",
    [
        {"dns_nameserver": "resolver.example"},
        {"ip_blocklists": ["not a zone"]},
        {"dns_port": 70000},
        {"pause_on_failure": True, "surprise": 1},
    ],
)
def test_a_bad_policy_is_a_422_with_a_message(api, body):
    response = post(api, "/deliverability/policy", body, method="put")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_another_workspaces_domain_and_checks_are_404(api, foreign, acme_dns, domain):
    theirs = DomainCheck.objects.create(
        workspace=foreign.workspace, domain=foreign, status="ok", findings=[]
    )
    ours = domain_check_run(domain=domain)

    assert api.get(f"/api/v1/sending-domains/{foreign.pk}/checks").status_code == 404
    assert post(api, f"/sending-domains/{foreign.pk}/checks").status_code == 404
    assert api.get(f"/api/v1/sending-domains/{foreign.pk}/checks/{theirs.pk}").status_code == 404
    # Our domain's URL with their check id is a 404 too.
    assert api.get(f"/api/v1/sending-domains/{domain.pk}/checks/{theirs.pk}").status_code == 404
    assert api.get(f"/api/v1/sending-domains/{foreign.pk}/checks/{ours.pk}").status_code == 404
    assert DomainCheck.objects.filter(domain=foreign).count() == 1
    listed = [r["domain"] for r in api.get("/api/v1/deliverability/domains").json()]
    assert listed == [DOMAIN]


def test_a_new_domain_through_the_api_is_checked_after_commit(
    api, acme_dns, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, "/sending-domains", {"domain": DOMAIN, "added_on": "2020-01-01"})

    assert response.status_code == 201
    assert DomainCheck.objects.get().trigger == "added"


def test_mailboxes_take_a_dkim_selector(api, domain):
    body = {"domain_id": domain.pk, "address": f"olivia@{DOMAIN}", "dkim_selector": "Google"}
    created = post(api, "/mailboxes", body)
    assert created.status_code == 201 and created.json()["dkim_selector"] == "google"

    bad = post(api, f"/mailboxes/{created.json()['id']}", {"dkim_selector": "no spaces"}, "patch")

    assert bad.status_code == 422 and "dkim_selector" in bad.json()["errors"]


def test_it_refuses_a_request_without_a_key(client, db):
    assert client.get("/api/v1/deliverability/policy").status_code == 401
