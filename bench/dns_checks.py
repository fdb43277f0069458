"""Benchmark: Kindling's deliverability checks against checkdmarc, same domains, same server.

    python bench/dns_checks.py [--domains 1000] [--checkdmarc-python PATH]

Generates synthetic sending domains (``bench/dns_zones.py``), serves them from a real nsd on
127.0.0.1 (a Python DNS server tops out near 1,500 answers a second and would measure itself),
then times ``check_domains`` and checkdmarc 6.x over all of them and prints both times, DNS
queries per second and the ratio. checkdmarc runs from its own virtualenv:

    python -m venv /tmp/checkdmarc-venv && /tmp/checkdmarc-venv/bin/pip install 'checkdmarc>=6,<7'

The two do not check exactly the same things: Kindling also checks DKIM at a selector and
MX CNAMEs, checkdmarc also checks NS, SOA, DNSSEC and MX TLSA. Queries per second is the
fairer speed figure; the wall-clock ratio is what a user waits for.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from dns_zones import SELECTOR, build_zones  # noqa: E402

from outreach.deliverability import DomainChecker, DomainReport, ResolverConfig  # noqa: E402
from tests.outreach.deliverability.nsd_server import NSD, Nsd  # noqa: E402

CHECKDMARC_PYTHON = "/tmp/checkdmarc-venv/bin/python"
GOAL_RATIO = 5.0
GOAL_SECONDS = 10.0


def time_kindling(domains: list[str], port: int) -> dict[str, object]:
    # What check_domains() does, with the checker kept so the report can say what it found.
    checker = DomainChecker(
        ResolverConfig(nameservers=("127.0.0.1",), port=port), selectors=[SELECTOR]
    )
    started = time.perf_counter()
    reports: list[DomainReport] = asyncio.run(checker.check_many(domains))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "queries": checker.client.queries_sent if checker.client else 0,
        "domains": len(reports),
        "ready": sum(r.readiness.ready for r in reports),
        "incomplete": sum(r.incomplete for r in reports),
        "with_errors": sum(bool(r.errors) for r in reports),
    }


def time_checkdmarc(domains: list[str], port: int, python: str) -> dict[str, object] | None:
    if not Path(python).exists():
        print(f"checkdmarc skipped: {python} not found (see this script's docstring)")
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
        listing.write("\n".join(domains))
        listing.flush()
        run = subprocess.run(
            [python, str(ROOT / "bench" / "dns_checkdmarc_run.py"), str(port), listing.name],
            capture_output=True,
            text=True,
            check=False,
        )
    if run.returncode != 0:
        print(f"checkdmarc failed:\n{run.stderr[-3000:]}")
        return None
    return json.loads(run.stdout.strip().splitlines()[-1])


def rate(result: dict[str, object]) -> float:
    return float(result["queries"]) / float(result["seconds"])  # type: ignore[arg-type]


def report(kindling: dict[str, object], baseline: dict[str, object] | None, count: int) -> None:
    k_seconds = float(kindling["seconds"])  # type: ignore[arg-type]
    print(f"\n{count} domains, nsd on 127.0.0.1")
    print(
        f"  Kindling check_domains: {k_seconds:7.2f} s  {kindling['queries']:>7} queries "
        f"  {rate(kindling):8.0f} q/s  {count / k_seconds:7.0f} domains/s"
    )
    print(
        f"      ready {kindling['ready']}, with errors {kindling['with_errors']}, "
        f"incomplete {kindling['incomplete']} (incomplete must be 0 for a fair time)"
    )
    verdict = "met" if k_seconds < GOAL_SECONDS else "MISSED"
    if baseline is None:
        print(f"  goal: all in under {GOAL_SECONDS:g} s: {verdict}")
        return
    b_seconds = float(baseline["seconds"])  # type: ignore[arg-type]
    print(
        f"  checkdmarc {baseline['version']}:      {b_seconds:7.2f} s  {baseline['queries']:>7} "
        f"queries   {rate(baseline):8.0f} q/s  {count / b_seconds:7.0f} domains/s"
    )
    print(f"      SPF valid for {baseline['spf_valid']} domains by checkdmarc's reading")
    ratio = b_seconds / k_seconds
    speed = rate(kindling) / rate(baseline)
    print(f"  Kindling is {ratio:.1f}× faster in wall-clock time, {speed:.1f}× in q/s")
    ratio_verdict = "met" if ratio >= GOAL_RATIO else "MISSED"
    print(
        f"  goals: ≥ {GOAL_RATIO:g}× faster: {ratio_verdict}; under {GOAL_SECONDS:g} s: {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--domains", type=int, default=1000, help="how many domains (1000)")
    parser.add_argument("--checkdmarc-python", default=CHECKDMARC_PYTHON)
    parser.add_argument("--nsd", default=NSD, help="path to nsd")
    args = parser.parse_args(argv)
    if not Path(args.nsd).exists():
        print(f"{args.nsd} not found: apt-get install nsd", file=sys.stderr)
        return 2
    # A plain `kill` must still stop nsd and remove its directory, as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    started = time.perf_counter()
    domains, zones = build_zones(args.domains)
    with Nsd(zones, program=args.nsd) as nsd:
        print(
            f"nsd (pid {nsd.process.pid if nsd.process else '?'}) serving {len(zones)} zones "
            f"on 127.0.0.1:{nsd.port}, ready in {time.perf_counter() - started:.1f} s"
        )
        kindling = time_kindling(domains, nsd.port)
        baseline = time_checkdmarc(domains, nsd.port, args.checkdmarc_python)
    report(kindling, baseline, len(domains))
    return 0


if __name__ == "__main__":
    sys.exit(main())
