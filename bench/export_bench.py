"""Export benchmark: stream every lead of the bench workspace to CSV (run import_bench first).

python bench/export_bench.py --db postgres   # database kindling_bench_import
python bench/export_bench.py --db sqlite     # var/bench/bench.sqlite3
python bench/export_bench.py --db postgres --python   # the Python path, for comparison
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URLS = {
    "postgres": "postgres://postgres@127.0.0.1/kindling_bench_import",
    "sqlite": f"sqlite:///{ROOT / 'var' / 'bench' / 'bench.sqlite3'}",
}
COLUMNS = (
    "first_name,last_name,email,title,company_name,company_domain,linkedin_url,phone,city,country"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=sorted(URLS), default="sqlite")
    parser.add_argument("--columns", default=COLUMNS)
    parser.add_argument("--output", default=str(ROOT / "var" / "bench" / "export.csv"))
    parser.add_argument(
        "--python", action="store_true", help="format rows in Python even on PostgreSQL"
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = URLS[args.db]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    import django

    django.setup()
    from crm.models import Workspace
    from crm.selectors.leads import LeadFilters, leads_filtered
    from integrations.exports.columns import columns_resolve
    from integrations.exports.leads_csv import leads_csv_chunks, python_csv_chunks

    workspace = Workspace.objects.get(slug="bench")
    columns = columns_resolve(workspace=workspace, names=args.columns.split(","))
    leads = leads_filtered(workspace=workspace, filters=LeadFilters())
    started = time.perf_counter()
    rows = 0
    with open(args.output, "w", encoding="utf-8", newline="") as out:
        chunks = python_csv_chunks if args.python else leads_csv_chunks
        for part in chunks(leads=leads, columns=columns):
            out.write(part)
    took = time.perf_counter() - started
    rows = leads.count()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"export {args.db}{' (python)' if args.python else ''}: {rows} leads in {took:.1f} s "
        f"= {rows / took:,.0f} rows/s, "
        f"peak RSS {peak:,.0f} MB",
        flush=True,
    )


if __name__ == "__main__":
    main()
