import pytest

from crm.errors import Conflict, ValidationFailed
from crm.models import Activity, ActivityKind, ListMembership
from crm.services.lists import list_add_leads, list_create, list_remove_leads, list_update
from tests.factories import LeadFactory


def test_target_account_lists_hold_40_by_default(workspace):
    target = list_create(workspace=workspace, data={"name": "Targets", "kind": "target_accounts"})
    dream = list_create(workspace=workspace, data={"name": "Dream", "kind": "dream_100"})
    plain = list_create(workspace=workspace, data={"name": "Q4"})
    assert (target.size_limit, dream.size_limit, plain.size_limit) == (40, 100, None)


def test_it_refuses_a_41st_lead_with_a_clear_message(workspace, actor):
    target = list_create(workspace=workspace, data={"name": "Targets", "kind": "target_accounts"})
    leads = LeadFactory.create_batch(41, workspace=workspace)
    assert list_add_leads(lead_list=target, lead_ids=[x.pk for x in leads[:40]], actor=actor) == 40
    with pytest.raises(Conflict) as exc:
        list_add_leads(lead_list=target, lead_ids=[leads[40].pk], actor=actor)
    assert "at most 40" in exc.value.message and "41" in exc.value.message
    assert ListMembership.objects.filter(lead_list=target).count() == 40


def test_a_batch_that_would_overflow_adds_nothing(workspace, actor):
    small = list_create(workspace=workspace, data={"name": "Tiny", "size_limit": 2})
    leads = LeadFactory.create_batch(3, workspace=workspace)
    with pytest.raises(Conflict):
        list_add_leads(lead_list=small, lead_ids=[x.pk for x in leads], actor=actor)
    assert not ListMembership.objects.filter(lead_list=small).exists()


def test_adding_members_again_counts_only_new_ones(workspace, actor):
    lst = list_create(workspace=workspace, data={"name": "Q4", "size_limit": 2})
    a, b = LeadFactory.create_batch(2, workspace=workspace)
    list_add_leads(lead_list=lst, lead_ids=[a.pk, b.pk], actor=actor)
    assert list_add_leads(lead_list=lst, lead_ids=[a.pk, b.pk], actor=actor) == 0


def test_leads_of_another_workspace_are_ignored(workspace, actor, foreign_lead):
    lst = list_create(workspace=workspace, data={"name": "Q4"})
    assert list_add_leads(lead_list=lst, lead_ids=[foreign_lead.pk], actor=actor) == 0


def test_adds_and_removals_are_on_the_timeline(workspace, actor, lead):
    lst = list_create(workspace=workspace, data={"name": "Q4"})
    list_add_leads(lead_list=lst, lead_ids=[lead.pk], actor=actor)
    assert list_remove_leads(lead_list=lst, lead_ids=[lead.pk], actor=actor) == 1
    kinds = list(Activity.objects.filter(lead=lead).values_list("kind", flat=True))
    assert sorted(kinds) == sorted([ActivityKind.LIST_ADDED, ActivityKind.LIST_REMOVED])


def test_names_are_unique_per_workspace_case_insensitively(workspace, other_workspace):
    list_create(workspace=workspace, data={"name": "Q4"})
    with pytest.raises(Conflict):
        list_create(workspace=workspace, data={"name": "q4"})
    list_create(workspace=other_workspace, data={"name": "Q4"})


def test_a_limit_below_the_current_size_is_refused(workspace, actor):
    lst = list_create(workspace=workspace, data={"name": "Q4"})
    leads = LeadFactory.create_batch(3, workspace=workspace)
    list_add_leads(lead_list=lst, lead_ids=[x.pk for x in leads], actor=actor)
    with pytest.raises(ValidationFailed) as exc:
        list_update(lead_list=lst, data={"size_limit": 2})
    assert "size_limit" in exc.value.errors


def test_bad_kind_and_limit_are_field_errors(workspace):
    with pytest.raises(ValidationFailed) as exc:
        list_create(workspace=workspace, data={"name": "", "kind": "nope", "size_limit": 0})
    assert set(exc.value.errors) == {"name", "kind", "size_limit"}
