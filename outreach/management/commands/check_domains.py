"""``manage.py check_domains DOMAIN …``: the deliverability CLI, for any domain, no workspace.

Thin on purpose: the options and the printing live in :mod:`outreach.deliverability.cli`, so
``python -m outreach.deliverability.cli`` and this command behave the same.
"""

from __future__ import annotations

import argparse
import io

from django.core.management.base import BaseCommand, CommandError

from outreach.deliverability import cli

FAILURES = {
    1: "At least one domain has DNS errors (see the ✗ lines above).",
    2: "At least one check could not finish because DNS did not answer; try again.",
}


class Command(BaseCommand):
    help = cli.DESCRIPTION

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        cli.add_arguments(parser)

    def handle(self, *args: object, **options: object) -> None:
        # cli prints with print(); Django's OutputWrapper would double every newline.
        out = io.StringIO()
        status = cli.run(argparse.Namespace(**options), out)
        self.stdout.write(out.getvalue(), ending="")
        if status:
            # returncode makes `manage.py check_domains` exit non-zero, as scripts expect.
            raise CommandError(FAILURES[status], returncode=status)
