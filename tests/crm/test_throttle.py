"""Where the throttling counters live and which address a request is counted under."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from crm.throttle import _login_counters, client_ip, login_cool_down, login_failed

ROOT = Path(__file__).resolve().parents[2]


def request(remote="10.0.0.2", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "198.51.100.66", "10.0.0.2"),  # no proxy trusted: the header is anyone's to write
        (1, None, "10.0.0.2"),
        (1, "198.51.100.66", "198.51.100.66"),
        (1, "6.6.6.6, 198.51.100.66", "198.51.100.66"),  # the client's own entry is ignored
        (2, "6.6.6.6, 198.51.100.66, 10.0.0.9", "198.51.100.66"),
        (3, "198.51.100.66, 10.0.0.9", "198.51.100.66"),  # fewer hops than proxies
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:DB8::1", "2001:db8::1"),
    ],
)
def test_the_client_address(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request(forwarded=forwarded)) == expected


def _manage(tmp_path, *argv, **env):
    environ = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}
    }
    environ.update({"KINDLING_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "manage.py", *argv],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_migrate_creates_the_database_caches_table(tmp_path):
    database = tmp_path / "fresh.sqlite3"
    result = _manage(tmp_path, "migrate", "--noinput", DATABASE_URL=f"sqlite:///{database}")

    assert result.returncode == 0, result.stderr
    tables = sqlite3.connect(database).execute("SELECT name FROM sqlite_master").fetchall()
    assert ("kindling_cache",) in tables


@pytest.mark.parametrize(
    "env, backend",
    [
        ({}, "django.core.cache.backends.db.DatabaseCache"),
        ({"CACHE_URL": "redis://cache.internal:6379/2"}, "django.core.cache.backends.redis."),
        ({"REDIS_URL": "rediss://cache.internal:6380/0"}, "django.core.cache.backends.redis."),
    ],
)
def test_the_cache_is_the_database_unless_redis_is_given(tmp_path, env, backend):
    script = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = _manage(tmp_path, "shell", "-c", script, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith(backend)


@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"),
    reason="needs the Redis of a PostgreSQL/Redis run (CELERY_BROKER_URL=redis://…)",
)
def test_the_counters_work_on_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CELERY_BROKER_URL"],
            "KEY_PREFIX": f"throttle-test-{os.getpid()}",
        }
    }
    settings.LOGIN_FAILURE_LIMIT = 2
    who = {"username": "olivia@acme.test", "ip": "203.0.113.7"}
    try:
        login_failed(**who)
        assert login_cool_down(**who) is None
        login_failed(**who)
        wait = login_cool_down(**who)
        assert wait is not None and 890 <= wait.seconds <= 900
    finally:
        for counter in _login_counters(**who):  # not cache.clear(): that empties the Redis db
            counter.clear()
