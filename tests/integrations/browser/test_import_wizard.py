"""The import wizard in a real Chromium: upload, confirm the mapping, preview, run while the
progress bar moves, then download the refused rows."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.utils import timezone

from crm.models import Lead
from integrations.imports.run import import_run
from integrations.models import ImportJob


def _big_file(tmp_path) -> str:
    lines = ["First Name,Last Name,E-mail,Job Title,Company,Icebreaker"]
    for i in range(30):
        email = "broken-address" if i in (7, 19) else f"lead{i}@acme{i % 3}.com"
        lines.append(f"Lead,Number {i},{email},AE,Acme {i % 3},Saw your post #{i}")
    path = tmp_path / "prospects.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _end_live_server_sessions(*, since) -> None:  # type: ignore[no-untyped-def]
    # The live server's request threads keep PostgreSQL sessions open (CONN_MAX_AGE); they
    # would block dropping the test database at the end of the run.
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
            "current_database() AND pid <> pg_backend_pid() AND backend_start >= %s",
            [since],
        )


@pytest.mark.browser
def test_an_sdr_imports_a_file_and_downloads_the_refused_rows(
    chromium,
    live_server,
    transactional_db,
    owner,
    workspace,
    client,
    settings,
    monkeypatch,
    tmp_path,
):
    from playwright.sync_api import expect

    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    queued: list[int] = []
    # No worker in this test: the test itself runs the job, so it can watch the bar move.
    monkeypatch.setattr("integrations.tasks.import_enqueue", queued.append)
    client.force_login(owner)
    cookie = client.cookies["sessionid"]
    started = timezone.now()

    context = chromium.new_context(accept_downloads=True)
    try:
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/w/acme/imports/")

        page.set_input_files("#id_file", _big_file(tmp_path))
        page.click("text=Upload and map columns")
        expect(page.locator("#mapping-table")).to_contain_text("E-mail")
        icebreaker = page.locator("select[aria-label='Target of Icebreaker']")
        expect(icebreaker).to_have_value("slot2")
        page.select_option("select[aria-label='Target of Job Title']", "title")

        page.click("#preview-button")
        expect(page.locator("#preview-counts")).to_contain_text("28 new")
        expect(page.locator("#preview-counts")).to_contain_text("2 invalid")
        expect(page.locator("#preview-card")).to_contain_text("lead0@acme0.com")

        page.fill("#id_list_name", "Webinar follow-up")
        page.fill("#id_tags", "webinar")
        page.click("#start-button")
        expect(page.locator("#job-status")).to_have_text("Queued")
        assert len(queued) == 1

        seen_progress: list[str] = []

        def watch(job: ImportJob) -> None:
            # While we wait here the browser polls the progress fragment (HTMX, every second).
            if job.rows_done < 30:
                locator = page.locator("#progress-rows")
                expect(locator).to_contain_text(f"{job.rows_done} /", timeout=10_000)
                seen_progress.append(locator.inner_text())

        import_run(job_id=queued[0], chunk_rows=10, on_chunk=watch)

        expect(page.locator("#count-created")).to_have_text("28", timeout=10_000)
        assert seen_progress and seen_progress[0].startswith("10 /")
        expect(page.locator("#errors-table")).to_contain_text("broken-address")
        with page.expect_download() as download_info:
            page.click("#download-errors")
        report = download_info.value.path().read_text(encoding="utf-8-sig")
    finally:
        context.close()
    _end_live_server_sessions(since=started)

    rows = list(csv.reader(io.StringIO(report)))
    assert rows[0][-1] == "error"
    assert [r[2] for r in rows[1:]] == ["broken-address", "broken-address"]
    assert Lead.objects.filter(workspace=workspace).count() == 28
    assert Lead.objects.get(email="lead3@acme0.com").slots == {"slot2": "Saw your post #3"}
