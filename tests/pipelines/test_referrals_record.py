import pytest

from crm.errors import ValidationFailed
from crm.models import Activity, Lead, Task, TaskKind
from pipelines.services import conversation_log, referrals_record, rule_customer_paid
from tests.factories import LeadFactory
from tests.pipelines.conftest import at, stage_of


@pytest.fixture
def customer(entry, actor):
    rule_customer_paid(lead=entry.lead, actor=actor)
    return entry.lead


def test_the_referral_flow_end_to_end(customer, stages, pipeline, actor):
    for _ in range(4):
        conversation_log(lead=customer, kind="call", actor=actor)
    ask = Task.objects.get(lead=customer, kind=TaskKind.ASK_REFERRAL)
    people = referrals_record(
        customer=customer,
        people=[
            {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@engines.test"},
            {"first_name": "Alan", "linkedin_url": "https://linkedin.com/in/alan-t"},
        ],
        actor=actor,
    )
    assert [p.first_name for p in people] == ["Ada", "Alan"]
    for person in people:
        assert person.referred_by == customer
        assert stage_of(person, pipeline).name == "Warm"
        assert Activity.objects.filter(lead=person, body=f"Referred by {customer}").exists()
    assert set(customer.referrals.all()) == set(people)
    assert Activity.objects.filter(lead=customer, body__startswith="Referred 2:").exists()
    ask.refresh_from_db()
    assert ask.is_done


def test_a_known_person_is_linked_and_warmed_not_duplicated(
    customer, workspace, stages, pipeline, actor
):
    known = LeadFactory(workspace=workspace, email="known@lead.test")
    referrals_record(customer=customer, people=[{"email": "KNOWN@lead.test"}], actor=actor)
    known.refresh_from_db()
    assert known.referred_by == customer
    assert Lead.objects.filter(email="known@lead.test").count() == 1
    assert stage_of(known, pipeline).name == "Warm"


def test_a_known_person_further_along_stays_there(
    customer, workspace, stages, pipeline, actor, entry
):
    other = LeadFactory(workspace=workspace)
    referrals_record(customer=customer, people=[{"email": other.email}], actor=actor)
    from pipelines.models import PipelineEntry

    at(PipelineEntry.objects.get(lead=other), stages["Customer"])
    referrals_record(customer=customer, people=[{"email": other.email}], actor=actor)
    assert stage_of(other, pipeline).name == "Customer"


def test_one_invalid_person_rejects_the_lot(customer, actor):
    with pytest.raises(ValidationFailed) as exc:
        referrals_record(
            customer=customer,
            people=[{"email": "ok@x.test"}, {"first_name": "No identity"}],
            actor=actor,
        )
    assert "people.1.email" in exc.value.errors
    assert not Lead.objects.filter(email="ok@x.test").exists()


def test_a_customer_cannot_refer_themselves(customer, actor):
    with pytest.raises(ValidationFailed):
        referrals_record(customer=customer, people=[{"email": customer.email}], actor=actor)
