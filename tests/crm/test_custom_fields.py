import pytest

from crm.errors import Conflict, ValidationFailed
from crm.services.custom_fields import custom_field_define
from crm.services.leads import lead_create, lead_update


@pytest.fixture
def fields(workspace):
    custom_field_define(workspace=workspace, key="arr", label="ARR", field_type="number")
    custom_field_define(workspace=workspace, key="renewal", label="Renewal", field_type="date")
    custom_field_define(
        workspace=workspace,
        key="tier",
        label="Tier",
        field_type="choice",
        choices=["Gold", "Silver"],
    )
    custom_field_define(workspace=workspace, key="notes", label="Notes")


def test_values_are_converted_to_their_type(workspace, actor, fields):
    lead, _ = lead_create(
        workspace=workspace,
        actor=actor,
        data={
            "email": "a@b.test",
            "custom_fields": {
                "arr": "1,200",
                "renewal": "2027-03-01",
                "tier": "gold",
                "notes": " x ",
            },
        },
    )
    assert lead.custom_fields == {
        "arr": 1200,
        "renewal": "2027-03-01",
        "tier": "Gold",
        "notes": "x",
    }


def test_every_bad_value_is_reported_by_field(workspace, actor, fields):
    with pytest.raises(ValidationFailed) as exc:
        lead_create(
            workspace=workspace,
            actor=actor,
            data={
                "email": "a@b.test",
                "custom_fields": {"arr": "lots", "renewal": "31/02/2027", "tier": "Bronze", "x": 1},
            },
        )
    assert set(exc.value.errors) == {
        "custom_fields.arr",
        "custom_fields.renewal",
        "custom_fields.tier",
        "custom_fields.x",
    }
    assert "Gold, Silver" in exc.value.errors["custom_fields.tier"][0]


def test_update_merges_and_none_removes(workspace, actor, fields):
    lead, _ = lead_create(
        workspace=workspace,
        actor=actor,
        data={"email": "a@b.test", "custom_fields": {"arr": 5, "tier": "Gold"}},
    )
    lead_update(lead=lead, actor=actor, data={"custom_fields": {"arr": None, "notes": "hi"}})
    lead.refresh_from_db()
    assert lead.custom_fields == {"tier": "Gold", "notes": "hi"}


def test_definitions_are_validated_and_unique(workspace, fields):
    with pytest.raises(ValidationFailed):
        custom_field_define(workspace=workspace, key="Bad Key", label="x", field_type="color")
    with pytest.raises(ValidationFailed):
        custom_field_define(workspace=workspace, key="size", label="Size", field_type="choice")
    with pytest.raises(Conflict):
        custom_field_define(workspace=workspace, key="arr", label="ARR again")
