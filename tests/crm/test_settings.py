"""Start-up refuses bad configuration with a message that names the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from crm.env import env_bool, env_int, env_ip_ports, env_list, env_secret_file, env_url

ROOT = Path(__file__).resolve().parents[2]


def _check(tmp_path, **env):
    environ = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}
    }
    environ.update({"KINDLING_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "name, value",
    [
        ("DATABASE_URL", "mysql://root@localhost/kindling"),
        ("CELERY_BROKER_URL", "kafka://localhost"),
        ("DEBUG", "maybe"),
        ("ENCRYPTION_KEY", "not-a-fernet-key"),
        ("SITE_URL", "ftp://example.com"),
        ("API_PAGE_SIZE_MAX", "lots"),
        ("DNS_RESOLVERS_ALLOWED", "dns.google"),
        ("DNS_RESOLVERS_ALLOWED", "9.9.9.9:99999"),
        ("LOGIN_FAILURE_LIMIT", "0"),
        ("TRUSTED_PROXY_COUNT", "-1"),
        ("CACHE_URL", "memcached://127.0.0.1:11211"),
    ],
)
def test_a_bad_value_stops_startup_naming_the_variable(tmp_path, name, value):
    result = _check(tmp_path, **{name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_defaults_boot_on_a_laptop_and_generate_keys_once(tmp_path):
    result = _check(tmp_path)
    assert result.returncode == 0, result.stderr
    secret = (tmp_path / "secret_key").read_text()
    key = (tmp_path / "encryption_key").read_text()
    assert _check(tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == secret
    assert (tmp_path / "encryption_key").read_text() == key
    assert (tmp_path / "celery" / "queue").is_dir()


def test_env_bool(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", True) is True


def test_env_int_checks_minimum(monkeypatch):
    monkeypatch.setenv("N", "0")
    with pytest.raises(ImproperlyConfigured, match="N must be at least 1"):
        env_int("N", 5, minimum=1)


def test_env_list_and_url(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.com, b.com,,")
    assert env_list("HOSTS", []) == ["a.com", "b.com"]
    monkeypatch.setenv("U", "redis://x")
    with pytest.raises(ImproperlyConfigured, match="U must start with one of"):
        env_url("U", "", schemes={"postgres"})


def test_a_given_secret_wins_over_the_file(monkeypatch, tmp_path):
    path = tmp_path / "k"
    path.write_text("from-file")
    monkeypatch.setenv("K", "from-env")
    assert env_secret_file("K", path, generate=lambda: "new") == "from-env"
    monkeypatch.delenv("K")
    assert env_secret_file("K", path, generate=lambda: "new") == "from-file"


def test_env_ip_ports_reads_addresses_with_optional_ports(monkeypatch):
    monkeypatch.setenv("R", "9.9.9.9, 1.1.1.1:5353, 2620:fe::fe, [2606:4700::1111]:853")
    assert env_ip_ports("R", default_port=53) == [
        ("9.9.9.9", 53),
        ("1.1.1.1", 5353),
        ("2620:fe::fe", 53),
        ("2606:4700::1111", 853),
    ]
    monkeypatch.delenv("R")
    assert env_ip_ports("R", default_port=53) == []


@pytest.mark.parametrize(
    "value", ["dns.google", "1.1.1.1:0", "1.1.1.1:", "[::1]x", "::1:99999x", "1.1.1.1:53:1"]
)
def test_env_ip_ports_refuses_what_is_not_an_address(monkeypatch, value):
    monkeypatch.setenv("R", value)
    with pytest.raises(ImproperlyConfigured, match="R must list IP or IP:port"):
        env_ip_ports("R", default_port=53)
