"""SITE_URL (the links in emails) defaults to where `make run` serves: HOST and PORT."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crm.env import served_url

ROOT = Path(__file__).resolve().parents[2]


def site_url_with(tmp_path, **env) -> str:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SITE_URL", "HOST", "PORT", "DATABASE_URL", "CELERY_BROKER_URL"}
    }
    environ.update({"KINDLING_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "crm.settings"})
    environ.update(env)
    code = "from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_default_follows_host_and_port_and_a_given_site_url_wins(tmp_path):
    assert site_url_with(tmp_path) == "http://127.0.0.1:8000"  # what make run serves
    assert site_url_with(tmp_path, HOST="192.0.2.7", PORT="9123") == "http://192.0.2.7:9123"
    given = site_url_with(tmp_path, PORT="9123", SITE_URL="https://crm.acme.test/")
    assert given == "https://crm.acme.test"


@pytest.mark.parametrize(
    "host, port, url",
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("0.0.0.0", 8000, "http://localhost:8000"),  # a wildcard bind is reached locally
        ("::", 8000, "http://localhost:8000"),
        ("::1", 8080, "http://[::1]:8080"),
        ("[::1]", 8080, "http://[::1]:8080"),
        ("crm.internal", 80, "http://crm.internal"),
        ("", 8000, "http://localhost:8000"),
    ],
)
def test_served_url(host, port, url):
    assert served_url(host, port) == url
