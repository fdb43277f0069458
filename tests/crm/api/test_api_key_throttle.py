"""Bad API keys are counted per address: after too many, every key from there gets a 429."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

ME = "/api/v1/me"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.LOGIN_FAILURE_LIMIT = 3


def call(token, ip="203.0.113.7", header="bearer"):
    auth = (
        {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if header == "bearer"
        else {"HTTP_X_API_KEY": token}
    )
    return Client(REMOTE_ADDR=ip, **auth).get(ME)


@pytest.mark.parametrize("header", ["bearer", "x-api-key"])
def test_after_too_many_bad_keys_even_a_good_one_waits(api_token, header):
    for guess in ("kdl_aaaa_bbbb", "kdl_cccc_dddd", "not-a-key"):
        assert call(guess, header=header).status_code == 401

    response = call(api_token, header=header)

    assert response.status_code == 429
    assert response.json()["detail"] == (
        "Too many invalid API keys from your address. Try again in 15 minutes."
    )
    assert 895 <= int(response["Retry-After"]) <= 900


def test_other_addresses_and_good_keys_are_not_counted(api_token):
    for _ in range(5):
        call("kdl_aaaa_bbbb", ip="198.51.100.66")
        assert call(api_token).status_code == 200

    assert call(api_token, ip="203.0.113.8").status_code == 200


def test_a_call_without_any_key_is_not_a_guess(api_token):
    for _ in range(5):
        assert Client(REMOTE_ADDR="203.0.113.7").get(ME).status_code == 401

    assert call(api_token).status_code == 200


def test_the_cool_down_ends_by_itself(api_token):
    start = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            call("kdl_aaaa_bbbb")
    with time_machine.travel(start + dt.timedelta(minutes=15, seconds=1), tick=False):
        assert call(api_token).status_code == 200


def test_an_ipv6_client_is_counted_per_64_network(api_token):
    for host in range(1, 4):
        call("kdl_aaaa_bbbb", ip=f"2001:db8:1:2::{host}")

    assert call(api_token, ip="2001:db8:1:2:ffff::9").status_code == 429
    assert call(api_token, ip="2001:db8:1:3::1").status_code == 200
