"""Paging parameters refuse nonsense with a 422 instead of failing."""

from __future__ import annotations

import pytest

from tests.crm.api.calls import get, post


@pytest.mark.parametrize(
    "params", [{"offset": -1}, {"limit": 0}, {"limit": 501}, {"offset": 2**70}]
)
def test_bad_paging_is_a_422(api, params):
    response = get(api, "/suppressions", params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_paging_walks_the_list(api):
    for n in range(3):
        assert post(api, "/suppressions", {"value": f"person{n}@example.com"}).status_code == 201
    first = get(api, "/suppressions", {"limit": 2}).json()
    rest = get(api, "/suppressions", {"limit": 2, "offset": 2}).json()
    assert len(first) == 2 and len(rest) == 1
    assert {r["id"] for r in first}.isdisjoint({r["id"] for r in rest})


def test_an_absurd_id_is_not_found(api):
    assert api.delete(f"/api/v1/suppressions/{2**70}").status_code in (404, 422)


@pytest.mark.parametrize("params", [{"offset": -1}, {"limit": 0}, {"offset": 2**70}])
def test_bad_paging_of_a_domains_checks_is_a_422(api, workspace, params):
    from outreach.models import SendingDomain

    domain = SendingDomain.objects.create(
        workspace=workspace, domain="acme-mail.example", added_on="2026-01-01"
    )
    response = get(api, f"/sending-domains/{domain.pk}/checks", params)
    assert response.status_code == 422
    assert get(api, f"/sending-domains/{domain.pk}/checks").json() == []
