"""Times checkdmarc over a list of domains; run by ``bench/dns_checks.py`` in checkdmarc's venv.

checkdmarc lives in its own virtualenv so the project's stays clean; this script imports
nothing from Kindling. Usage: ``python dns_checkdmarc_run.py PORT DOMAINS_FILE`` — prints one
JSON object: seconds, queries (DNS messages sent), domains checked, checkdmarc's version.

Pointing checkdmarc at a server on another port takes two settings (read from its source):
``resolver=`` (a ``dns.resolver.Resolver`` whose ``port`` we set) serves every ordinary
lookup, while its DNSSEC check queries ``nameservers=`` directly, so that list holds a
``Do53Nameserver`` with the port too. ``--nameserver`` on its CLI cannot carry a port.
"""

from __future__ import annotations

import json
import sys
import time
from importlib.metadata import version

import checkdmarc
import dns.nameserver
import dns.query
import dns.resolver

SENT = {"queries": 0}


def counting(send):
    def wrapper(*args, **kwargs):
        SENT["queries"] += 1
        return send(*args, **kwargs)

    return wrapper


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    with open(path) as lines:
        domains = [line.strip() for line in lines if line.strip()]
    # Count every DNS message on the wire, whichever checkdmarc path sends it.
    dns.query.udp = counting(dns.query.udp)
    dns.query.tcp = counting(dns.query.tcp)
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = port
    resolver.timeout = resolver.lifetime = 2.0
    started = time.perf_counter()
    results = checkdmarc.check_domains(
        domains,
        nameservers=[dns.nameserver.Do53Nameserver("127.0.0.1", port)],
        resolver=resolver,
        timeout=2.0,
    )
    seconds = time.perf_counter() - started
    results = results if isinstance(results, list) else [results]
    failed = sum(1 for r in results if "error" in r["spf"] and "timed out" in r["spf"]["error"])
    print(
        json.dumps(
            {
                "seconds": seconds,
                "queries": SENT["queries"],
                "domains": len(results),
                "timeouts": failed,
                "version": version("checkdmarc"),
                "spf_valid": sum(1 for r in results if r["spf"].get("valid")),
            }
        )
    )


if __name__ == "__main__":
    main()
