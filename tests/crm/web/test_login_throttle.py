"""Failed logins are throttled per account and address, then per address; cool-downs end alone."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

PASSWORD = "correct horse battery"  # the owner persona's


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.LOGIN_FAILURE_LIMIT = 3


def log_in(email, password, ip="203.0.113.7", **headers):
    client = Client(REMOTE_ADDR=ip, **headers)
    response = client.post("/login/", {"username": email, "password": password})
    return response, client


def logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def test_the_right_password_logs_in(owner):
    response, _ = log_in(owner.email, PASSWORD)
    assert logged_in(response)


def test_after_the_limit_even_the_right_password_is_refused_with_a_clear_message(owner):
    for _ in range(3):
        response, _ = log_in(owner.email, "wrong")
        assert response.status_code == 200
        assert "do not match" in response.content.decode()

    response, _ = log_in(owner.email, PASSWORD)

    assert response.status_code == 429
    assert "Too many failed logins from your address. Try again in 15 minutes." in (
        response.content.decode()
    )
    assert not logged_in(response)


def test_the_cool_down_ends_by_itself(owner):
    start = dt.datetime(2030, 3, 4, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            log_in(owner.email, "wrong")
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        response, _ = log_in(owner.email, PASSWORD)
        assert response.status_code == 429
        assert "Try again in 5 minutes." in response.content.decode()
    with time_machine.travel(start + dt.timedelta(minutes=15, seconds=1), tick=False):
        response, _ = log_in(owner.email, PASSWORD)
        assert logged_in(response)


def test_an_attacker_cannot_lock_the_owner_out_from_another_address(owner):
    for _ in range(10):
        log_in(owner.email, "wrong", ip="198.51.100.66")

    response, _ = log_in(owner.email, PASSWORD, ip="203.0.113.7")

    assert logged_in(response)


def test_an_address_guessing_many_accounts_is_stopped(owner, stranger):
    # Three tries per account stay under the per-account limit; the address's own count
    # (5 x the limit) stops it.
    for n in range(5):
        for _ in range(3 if n < 4 else 2):
            log_in(f"nobody{n}@acme.test", "wrong")
    response, _ = log_in(stranger.email, "wrong")
    assert response.status_code == 200  # the 15th failure is still answered normally

    response, _ = log_in(stranger.email, PASSWORD)

    assert response.status_code == 429


def test_a_successful_login_forgets_that_accounts_failures(owner):
    for _ in range(2):
        log_in(owner.email, "wrong")
    assert logged_in(log_in(owner.email, PASSWORD)[0])
    for _ in range(2):
        response, _ = log_in(owner.email, "wrong")

    assert response.status_code == 200


def test_the_email_is_counted_whatever_its_case(owner):
    for email in ("Olivia@acme.test", "OLIVIA@ACME.TEST", " olivia@acme.test"):
        log_in(email, "wrong")

    assert log_in(owner.email, PASSWORD)[0].status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(owner, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(3):
        log_in(owner.email, "wrong", ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.66")

    # Another client behind the same proxy is not affected …
    other = log_in(owner.email, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")[0]
    assert logged_in(other)
    # … and the attacker cannot escape by forging an X-Forwarded-For entry of its own.
    forged = "1.2.3.4, 198.51.100.66"
    response, _ = log_in(owner.email, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR=forged)
    assert response.status_code == 429
