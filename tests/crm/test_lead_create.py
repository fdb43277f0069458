import pytest

from crm.errors import Conflict, ValidationFailed
from crm.models import Activity, ActivityKind, Company
from crm.services.leads import lead_create, lead_update


def test_it_normalizes_email_and_linkedin(workspace, actor):
    lead, created = lead_create(
        workspace=workspace,
        actor=actor,
        data={
            "first_name": " Jane ",
            "email": "  Jane.Doe@Acme.COM ",
            "linkedin_url": "uk.linkedin.com/in/Jane-Doe/en/?trk=x",
        },
    )
    assert created
    assert lead.email == "jane.doe@acme.com"
    assert lead.linkedin_url == "https://www.linkedin.com/in/jane-doe/"
    assert lead.first_name == "Jane"


def test_it_records_creation_on_the_timeline(workspace, actor):
    lead, _ = lead_create(workspace=workspace, actor=actor, data={"email": "a@b.test"})
    activity = Activity.objects.get(lead=lead)
    assert activity.kind == ActivityKind.CREATED
    assert activity.actor_user == actor.user


def test_it_refuses_a_lead_without_identity(workspace, actor):
    with pytest.raises(ValidationFailed) as exc:
        lead_create(workspace=workspace, actor=actor, data={"first_name": "Nobody"})
    assert "email" in exc.value.errors


def test_it_reports_every_bad_field_at_once(workspace, actor):
    with pytest.raises(ValidationFailed) as exc:
        lead_create(
            workspace=workspace,
            actor=actor,
            data={
                "email": "not-an-email",
                "linkedin_url": "https://example.com/x",
                "timezone": "Mars/Base",
            },
        )
    assert set(exc.value.errors) == {"email", "linkedin_url", "timezone"}


def test_a_known_email_is_a_conflict_or_the_existing_lead(workspace, actor):
    first, _ = lead_create(workspace=workspace, actor=actor, data={"email": "x@acme.test"})
    with pytest.raises(Conflict) as exc:
        lead_create(workspace=workspace, actor=actor, data={"email": "X@ACME.test "})
    assert exc.value.existing_id == first.pk
    again, created = lead_create(
        workspace=workspace, actor=actor, data={"email": "x@acme.test"}, on_conflict="return"
    )
    assert again == first and not created


def test_a_known_linkedin_url_is_the_same_person(workspace, actor):
    first, _ = lead_create(
        workspace=workspace, actor=actor, data={"linkedin_url": "linkedin.com/in/bob"}
    )
    again, created = lead_create(
        workspace=workspace,
        actor=actor,
        data={"linkedin_url": "https://m.linkedin.com/in/Bob?x=1#top"},
        on_conflict="return",
    )
    assert again == first and not created


def test_the_same_email_may_exist_in_another_workspace(workspace, other_workspace, actor):
    lead_create(workspace=workspace, actor=actor, data={"email": "x@acme.test"})
    _, created = lead_create(workspace=other_workspace, actor=actor, data={"email": "x@acme.test"})
    assert created


def test_company_comes_from_work_email_not_free_mail(workspace, actor):
    work, _ = lead_create(
        workspace=workspace, actor=actor, data={"email": "a@initech.io", "company_name": "Initech"}
    )
    free, _ = lead_create(
        workspace=workspace, actor=actor, data={"email": "b@gmail.com", "company_name": "Hooli"}
    )
    assert work.company.domain == "initech.io"
    assert free.company.domain is None
    colleague, _ = lead_create(
        workspace=workspace,
        actor=actor,
        data={"email": "c@initech.io", "company_name": "INITECH Inc"},
    )
    assert colleague.company == work.company
    assert Company.objects.filter(workspace=workspace).count() == 2


def test_update_logs_changed_fields(workspace, actor):
    lead, _ = lead_create(workspace=workspace, actor=actor, data={"email": "a@b.test"})
    lead_update(lead=lead, actor=actor, data={"title": "CTO", "first_name": ""})
    entry = Activity.objects.filter(lead=lead, kind=ActivityKind.UPDATED).get()
    assert entry.payload["fields"] == ["title"]
