"""Typed readers for environment variables.

Every setting comes from the environment with a default that works on a laptop. A bad value stops
start-up with a message naming the variable, so a typo in production fails at boot, not at 3 a.m.
"""

from __future__ import annotations

import ipaddress
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


def served_url(host: str, port: int) -> str:
    """The http URL of a server bound to ``host:port``; a wildcard bind is reached as localhost."""
    host = host.strip().strip("[]")
    if host in {"", "0.0.0.0", "::", "*"}:
        host = "localhost"
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}" if port == 80 else f"http://{host}:{port}"


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


def env_ip_ports(name: str, *, default_port: int) -> list[tuple[str, int]]:
    """Comma-separated ``IP`` or ``IP:port`` (``[IPv6]:port``) as (address, port) pairs.

    An address without a port gets ``default_port``; anything that is not an IP address and a
    port in 1–65535 stops start-up.
    """
    pairs = []
    for item in env_list(name, []):
        pair = _ip_port(item, default_port)
        if pair is None:
            raise ImproperlyConfigured(
                f"{name} must list IP or IP:port entries ([IPv6]:port), got {item!r}"
            )
        pairs.append(pair)
    return pairs


def _ip_port(item: str, default_port: int) -> tuple[str, int] | None:
    host, port = item, str(default_port)
    if item.startswith("["):
        host, _, rest = item[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                return None
            port = rest[1:]
    elif item.count(":") == 1:
        host, port = item.split(":")
    try:
        address = str(ipaddress.ip_address(host))
        number = int(port)
    except ValueError:
        return None
    return (address, number) if 1 <= number <= 65535 else None
