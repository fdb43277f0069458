"""Target list (and its size limit), tags, owner, source label and pipeline stage."""

from __future__ import annotations

from crm.models import Activity, Lead, ListMembership
from crm.services.lists import list_create
from tests.factories import LeadFactory


def _rows(n: int, start: int = 0) -> bytes:
    lines = ["Email,First Name"] + [f"p{i}@acme.com,P{i}" for i in range(start, start + n)]
    return ("\n".join(lines) + "\n").encode()


def test_it_puts_new_and_existing_leads_on_the_list_with_tags(run_import, workspace, member):
    old = LeadFactory(workspace=workspace, email="p0@acme.com")
    job = run_import(
        _rows(3),
        list_name="Q3 outbound",
        tags=["apollo", "q3"],
        owner_id=member.pk,
        source_label="Apollo Q3",
    )

    assert (job.created, job.duplicates) == (2, 1)
    lead_list = job.lead_list
    assert lead_list.name == "Q3 outbound"
    assert ListMembership.objects.filter(lead_list=lead_list).count() == 3
    new = Lead.objects.get(workspace=workspace, email="p1@acme.com")
    assert sorted(t.name for t in new.tags.all()) == ["apollo", "q3"]
    assert sorted(t.name for t in old.tags.all()) == ["apollo", "q3"]
    assert (new.owner_id, new.source) == (member.pk, "Apollo Q3")
    assert Activity.objects.get(lead=new, kind="imported").payload["source"] == "Apollo Q3"
    assert Activity.objects.filter(lead=old, kind="list_added").count() == 1


def test_it_refuses_rows_beyond_a_target_account_lists_limit(run_import, workspace):
    accounts = list_create(workspace=workspace, data={"name": "Top 40", "kind": "target_accounts"})
    first = run_import(_rows(38), list_id=accounts.pk)

    job = run_import(_rows(5, start=38), list_id=accounts.pk)

    assert first.created == 38
    assert (job.status, job.created, job.failed) == ("done", 2, 3)
    assert accounts.memberships.count() == 40
    messages = {e.message for e in job.row_errors.all()}
    assert messages == {"'Top 40' holds at most 40 leads and is full"}
    assert not Lead.objects.filter(email="p42@acme.com").exists()


def test_it_places_new_leads_in_the_pipeline_when_pipelines_offer_it(run_import, workspace):
    from integrations.imports import run as runner

    job = run_import(_rows(2))

    placer_exists = runner.stage_placer(job, None) is not None  # type: ignore[arg-type]
    assert job.stage == "cold"
    assert job.stage_applied is placer_exists
    if placer_exists:
        from pipelines.models import PipelineEntry

        assert PipelineEntry.objects.filter(lead__workspace=workspace).count() == 2
