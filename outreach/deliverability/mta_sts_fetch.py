"""Fetch a domain's MTA-STS policy (RFC 8461 §3.3) through the public-only HTTP client.

HTTPS with a valid certificate for ``mta-sts.<domain>``, no redirects (the RFC forbids
following them), a small size limit, and never a private address: the domain's owner chooses
where that name points, and it must not make Kindling fetch from its own network.
"""

from __future__ import annotations

import asyncio
import ssl

from crm.net.http import FetchFailed, Resolve, UnsafeURL, public_get, system_resolve

MAX_POLICY_BYTES = 64 * 1024


async def mta_sts_policy_fetch(
    domain: str,
    *,
    resolve: Resolve = system_resolve,
    verify: ssl.SSLContext | bool = True,
    port: int = 443,
) -> str | None:
    """The policy text, or None when it cannot be fetched (the check reports it as missing).

    ``resolve``, ``verify`` and ``port`` exist for tests against a local HTTPS server.
    """
    netloc = f"mta-sts.{domain}" + ("" if port == 443 else f":{port}")
    url = f"https://{netloc}/.well-known/mta-sts.txt"
    try:
        got = await asyncio.to_thread(
            public_get,
            url,
            timeout=5.0,
            max_bytes=MAX_POLICY_BYTES,
            resolve=resolve,
            verify=verify,
            accept=("text/plain",),
            max_redirects=0,
        )
    except (UnsafeURL, FetchFailed):
        return None
    if got.status != 200 or got.truncated:
        return None
    return got.text
