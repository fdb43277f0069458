"""Failed logins and bad API keys, counted per client in the shared cache, then a cool-down.

Counting runs in Django's cache (the database cache on the embedded default, Redis in
production), so every web process sees the same numbers. After ``LOGIN_FAILURE_LIMIT`` failed
logins within ``WINDOW`` for one account from one address, that account is refused from that
address — even with the right password — until the window ends; an address that fails on many
accounts is stopped after ``IP_FACTOR`` times as many. Nothing locks an account everywhere, so
nobody can lock a victim out from their own address, and every cool-down ends by itself.
Bad API keys are counted per address the same way.

IPv6 clients are counted per /64 (one subscriber's network), since a single host may pick
any address inside it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from crm.errors import DomainError

WINDOW = 15 * 60  # seconds
IP_FACTOR = 5


@dataclass(frozen=True)
class CoolDown:
    """Attempts are refused for ``seconds`` more."""

    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))

    def message(self, what: str) -> str:
        unit = "minute" if self.minutes == 1 else "minutes"
        return f"Too many {what} from your address. Try again in {self.minutes} {unit}."


class TooManyAttempts(DomainError):
    """Refused during a cool-down; ``retry_after`` seconds until it ends (HTTP Retry-After)."""

    status = 429

    def __init__(self, wait: CoolDown, what: str) -> None:
        super().__init__(wait.message(what))
        self.retry_after = wait.seconds


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` proxies the address
    the outermost of them saw (X-Forwarded-For entries a client added itself are ignored)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if not hops:
        return remote
    candidate = hops[-proxies] if len(hops) >= proxies else hops[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _client(ip: str) -> str:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _account(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]


class _Counter:
    """Failures under one key within a fixed window that starts at the first failure."""

    def __init__(self, key: str, limit: int) -> None:
        self.key, self.limit = f"throttle:{key}", limit

    def cool_down(self) -> CoolDown | None:
        values = cache.get_many([self.key, f"{self.key}:start"])
        if values.get(self.key, 0) < self.limit:
            return None
        started = values.get(f"{self.key}:start", time.time())
        return CoolDown(max(1, int(started + WINDOW - time.time())))

    def add_failure(self) -> None:
        now = time.time()
        cache.add(f"{self.key}:start", now, WINDOW)
        if cache.add(self.key, 1, WINDOW):
            return
        try:
            cache.incr(self.key)  # atomic on Redis; a read and a write on the database cache
        except ValueError:  # expired between the two calls: a new window
            cache.set(self.key, 1, WINDOW)
            return
        # Only Redis keeps the expiry through incr(); the window still ends where it began.
        started = cache.get(f"{self.key}:start", now)
        cache.touch(self.key, max(1, int(started + WINDOW - now)))

    def clear(self) -> None:
        cache.delete_many([self.key, f"{self.key}:start"])


def _login_counters(username: str, ip: str) -> list[_Counter]:
    limit = settings.LOGIN_FAILURE_LIMIT
    client = _client(ip)
    return [
        _Counter(f"login:{_account(username)}:{client}", limit),
        _Counter(f"login-ip:{client}", limit * IP_FACTOR),
    ]


def login_cool_down(*, username: str, ip: str) -> CoolDown | None:
    """The cool-down a login for ``username`` from ``ip`` is in, if any (checked first)."""
    waits = [c.cool_down() for c in _login_counters(username, ip)]
    return max((w for w in waits if w), key=lambda w: w.seconds, default=None)


def login_failed(*, username: str, ip: str) -> None:
    for counter in _login_counters(username, ip):
        counter.add_failure()


def login_succeeded(*, username: str, ip: str) -> None:
    """Forget this account's failures from this address (the address's own count stays)."""
    _login_counters(username, ip)[0].clear()


def _api_counter(ip: str) -> _Counter:
    return _Counter(f"api-key:{_client(ip)}", settings.LOGIN_FAILURE_LIMIT)


def api_key_cool_down(*, ip: str) -> CoolDown | None:
    """The cool-down an address is in after too many bad API keys, if any."""
    return _api_counter(ip).cool_down()


def api_key_failed(*, ip: str) -> None:
    _api_counter(ip).add_failure()
