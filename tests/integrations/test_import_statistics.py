"""After a bulk import on PostgreSQL the lead table's planner statistics count the new rows
(ANALYZE at the end, not only every doubling past 10,000 rows)."""

from __future__ import annotations

import pytest
from django.db import connection

from crm.models import Lead


def _believed_rows() -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Lead._meta.db_table]
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics: PostgreSQL")
def test_the_lead_table_is_analyzed_after_an_import(run_import, workspace):
    rows = "".join(f"lead{n}@acme.test,Lead {n}\n" for n in range(40))

    job = run_import(f"Email,First name\n{rows}".encode())

    assert job.created == 40
    assert _believed_rows() == Lead.objects.count()
