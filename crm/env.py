"""Typed readers for environment variables.

Every setting comes from the environment with a default that works on a laptop. A bad value stops
start-up with a message naming the variable, so a typo in production fails at boot, not at 3 a.m.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str, *, schemes: set[str]) -> str:
    raw = os.environ.get(name, "").strip() or default
    if not raw:
        return raw
    scheme = urlsplit(raw).scheme
    if scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(f"{name} must start with one of {allowed}://, got {raw!r}")
    return raw


def env_secret_file(name: str, path: Path, *, generate: Callable[[], str]) -> str:
    """The variable's value, else a value generated once and kept in ``path``.

    Generating into ``var/`` lets a laptop start with no configuration while keeping sessions and
    encrypted secrets valid across restarts.
    """
    raw = os.environ.get(name, "").strip()
    if raw:
        return raw
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value: str = generate()
    path.write_text(value)
    path.chmod(0o600)
    return value


def random_secret_key() -> str:
    return secrets.token_urlsafe(50)
