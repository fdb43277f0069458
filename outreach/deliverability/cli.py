"""Command line: ``python -m outreach.deliverability.cli example.com [--json]``.

The Django management command wraps :func:`main`; it works without Django for quick checks.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from .checker import check_domains
from .report import DomainReport
from .resolver import ResolverConfig

MARKS = {"error": "✗", "warning": "!", "info": "·"}
DESCRIPTION = "Check sending domains' DNS for deliverability (SPF, DKIM, DMARC, MX …)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options, shared with ``manage.py check_domains`` so the two never drift apart."""
    parser.add_argument("domains", nargs="+", metavar="DOMAIN")
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    parser.add_argument("--nameserver", action="append", default=[], help="resolver IP (repeat)")
    parser.add_argument("--port", type=int, default=53)
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds per DNS attempt")
    parser.add_argument("--selector", action="append", default=[], help="DKIM selector (repeat)")


def print_report(report: DomainReport, out: TextIO) -> None:
    ready = "ready" if report.readiness.ready else "not ready"
    print(f"{report.domain}: {ready} {report.summary()}", file=out)
    for finding in report.findings:
        print(f"  {MARKS[str(finding.severity)]} {finding.code}: {finding.message}", file=out)
        if finding.fix is not None:
            fix = finding.fix
            print(f"      publish: {fix.name} {fix.type} {fix.value}", file=out)


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    """Exit status 0 when no domain has errors, 1 otherwise, 2 when a check was incomplete."""
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    add_arguments(parser)
    return run(parser.parse_args(argv), out)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Check ``args.domains`` and print the reports; the exit status as for :func:`main`."""
    config = ResolverConfig(
        nameservers=tuple(args.nameserver),
        port=args.port,
        timeout=args.timeout,
        lifetime=args.timeout * 2,
    )
    reports = check_domains(args.domains, resolver_config=config, selectors=args.selector)
    if args.json:
        json.dump([r.to_dict() for r in reports], out, indent=2)
        out.write("\n")
    else:
        for report in reports:
            print_report(report, out)
    if any(r.incomplete for r in reports):
        return 2
    return 1 if any(r.errors for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
