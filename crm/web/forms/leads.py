"""Forms of the leads table and the lead page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from crm.models import CustomFieldDefinition, CustomFieldType, EmailStatus, Lead, Workspace
from crm.selectors.leads import SORTS, LeadFilters
from crm.selectors.records import custom_fields_of, lists_all, tags_all
from crm.selectors.workspaces import workspace_members

SORT_LABELS = {
    "-created_at": "Newest first",
    "created_at": "Oldest first",
    "-updated_at": "Recently updated",
    "updated_at": "Least recently updated",
    "last_name": "Last name A→Z",
    "-last_name": "Last name Z→A",
}
assert set(SORT_LABELS) == SORTS, "every sort the selector offers needs a label"
SORT_CHOICES = list(SORT_LABELS.items())

TEXT_FIELDS = (
    "first_name", "last_name", "title", "phone", "city", "region", "country", "timezone", "source",
)  # fmt: skip


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """The form's choice field ``name``, typed, for choices that depend on the workspace."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


def member_choices(workspace: Workspace, empty: str) -> list[tuple[str, str]]:
    members = workspace_members(workspace=workspace)
    return [("", empty)] + [(str(u.pk), u.get_full_name() or u.email) for u in members]


class LeadFilterForm(forms.Form):
    """The leads table's query string. Invalid values are dropped, never an error page."""

    q = forms.CharField(required=False, max_length=200)
    list = forms.ChoiceField(required=False)
    tag = forms.ChoiceField(required=False)
    owner = forms.ChoiceField(required=False)
    company = forms.IntegerField(required=False, min_value=1)
    country = forms.CharField(required=False, max_length=120)
    created_after = forms.DateField(required=False)
    created_before = forms.DateField(required=False)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)

    def __init__(self, data: Any, *, workspace: Workspace) -> None:
        super().__init__(data)
        choice_field(self, "list").choices = [("", "Any list")] + [
            (str(x.pk), x.name) for x in lists_all(workspace=workspace)
        ]
        choice_field(self, "tag").choices = [("", "Any tag")] + [
            (str(t.pk), t.name) for t in tags_all(workspace=workspace)
        ]
        choice_field(self, "owner").choices = member_choices(workspace, "Any owner")

    def _valid(self, name: str) -> Any:
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name)

    def filters(self) -> LeadFilters:
        def as_id(name: str) -> int | None:
            value = self._valid(name)
            return int(value) if value else None

        def day_start(value: dt.date | None) -> dt.datetime | None:
            if value is None:
                return None
            return timezone.make_aware(dt.datetime.combine(value, dt.time.min))

        before = self._valid("created_before")
        return LeadFilters(
            q=(self._valid("q") or "").strip(),
            list_id=as_id("list"),
            tag_id=as_id("tag"),
            owner_id=as_id("owner"),
            company_id=self._valid("company"),
            country=(self._valid("country") or "").strip(),
            created_after=day_start(self._valid("created_after")),
            # "Created before the 5th" includes the whole 5th, as a person reads the date.
            created_before=day_start(before + dt.timedelta(days=1)) if before else None,
        )

    def chosen_sort(self) -> str:
        return self._valid("sort") or "-created_at"

    def active_filter_count(self) -> int:
        names = ("list", "tag", "owner", "company", "country", "created_after", "created_before")
        return sum(1 for n in names if self._valid(n))


class LeadForm(forms.Form):
    """Create or edit a lead. Values go to lead_create / lead_update, which validate them."""

    first_name = forms.CharField(required=False)
    last_name = forms.CharField(required=False)
    email = forms.CharField(required=False, label="Email")
    linkedin_url = forms.CharField(required=False, label="LinkedIn URL")
    title = forms.CharField(required=False, label="Job title")
    company_name = forms.CharField(required=False, label="Company")
    owner = forms.ChoiceField(required=False)
    email_status = forms.ChoiceField(choices=EmailStatus.choices, initial=EmailStatus.UNKNOWN)
    phone = forms.CharField(required=False)
    city = forms.CharField(required=False)
    region = forms.CharField(required=False)
    country = forms.CharField(required=False)
    timezone = forms.CharField(required=False, label="Time zone", help_text="e.g. Europe/Paris")
    source = forms.CharField(required=False)
    slot1 = forms.CharField(required=False, label="Slot 1 · subject")
    slot2 = forms.CharField(required=False, label="Slot 2 · intro line", widget=forms.Textarea)
    slot3 = forms.CharField(required=False, label="Slot 3 · PS line")
    do_not_contact = forms.BooleanField(required=False, label="Do not contact")

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "owner").choices = member_choices(workspace, "No owner")
        self.custom_definitions: list[CustomFieldDefinition] = list(
            custom_fields_of(workspace=workspace, entity="lead")
        )
        for d in self.custom_definitions:
            self.fields[f"cf_{d.key}"] = _custom_field(d)

    @classmethod
    def initial_of(cls, lead: Lead) -> dict[str, Any]:
        initial: dict[str, Any] = {f: getattr(lead, f) for f in TEXT_FIELDS}
        initial.update(
            email=lead.email or "",
            linkedin_url=lead.linkedin_url or "",
            company_name=lead.company.name if lead.company else "",
            owner=str(lead.owner_id or ""),
            email_status=lead.email_status,
            do_not_contact=lead.do_not_contact,
            **{k: lead.slots.get(k, "") for k in ("slot1", "slot2", "slot3")},
        )
        initial.update({f"cf_{k}": v for k, v in lead.custom_fields.items()})
        return initial

    def custom_bound_fields(self) -> list:
        return [self[f"cf_{d.key}"] for d in self.custom_definitions]

    def service_data(self) -> dict[str, Any]:
        """The cleaned form as the services' ``data`` (company is resolved by the view)."""
        c = self.cleaned_data
        data: dict[str, Any] = {f: c.get(f, "") for f in TEXT_FIELDS}
        data.update(
            email=c.get("email") or None,
            linkedin_url=c.get("linkedin_url") or None,
            owner_id=int(c["owner"]) if c.get("owner") else None,
            email_status=c.get("email_status") or EmailStatus.UNKNOWN,
            do_not_contact=bool(c.get("do_not_contact")),
            slots={k: c.get(k, "") for k in ("slot1", "slot2", "slot3") if c.get(k)},
        )
        if self.custom_definitions:
            data["custom_fields"] = {
                d.key: c.get(f"cf_{d.key}") or None for d in self.custom_definitions
            }
        return data


def _custom_field(definition: CustomFieldDefinition) -> forms.Field:
    label = definition.label
    # Values are checked by custom_values_clean; the widgets only help the user type them.
    if definition.field_type == CustomFieldType.CHOICE:
        choices = [("", "—")] + [(c, c) for c in definition.choices]
        return forms.ChoiceField(required=False, label=label, choices=choices)
    if definition.field_type == CustomFieldType.DATE:
        return forms.CharField(
            required=False, label=label, widget=forms.DateInput(attrs={"type": "date"})
        )
    if definition.field_type == CustomFieldType.NUMBER:
        return forms.CharField(
            required=False, label=label, widget=forms.TextInput(attrs={"inputmode": "decimal"})
        )
    return forms.CharField(required=False, label=label)


class BulkForm(forms.Form):
    """What to do with the leads ticked in a table."""

    ACTIONS = (
        ("add_to_list", "Add to list"),
        ("tag", "Tag"),
        ("remove_from_list", "Remove"),
        ("enroll", "Enroll in sequence"),
    )

    action = forms.ChoiceField(choices=ACTIONS)
    lead_ids = forms.TypedMultipleChoiceField(coerce=int, required=False)
    list_id = forms.IntegerField(required=False)
    tag_name = forms.CharField(required=False, max_length=60)

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        # Any integer is accepted here; the services ignore ids of other workspaces.
        choice_field(self, "lead_ids").choices = [
            (v, v) for v in data.getlist("lead_ids") if v.isdigit()
        ]
