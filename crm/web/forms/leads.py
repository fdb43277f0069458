"""Forms of the leads table and the lead page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from crm.models import CustomFieldDefinition, CustomFieldType, EmailStatus, Lead, Workspace
from crm.selectors.leads import SORTS, LeadFilters
from crm.selectors.records import custom_fields_of, lists_all, tags_all
from crm.selectors.workspaces import workspace_members
from crm.timebounds import validate_storable_date
from crm.web.extensions.filters import LEAD_FILTERS, LeadFilter

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
    created_after = forms.DateField(required=False, validators=[validate_storable_date])
    created_before = forms.DateField(required=False, validators=[validate_storable_date])
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
        self.workspace = workspace
        self.extension_filters: tuple[LeadFilter, ...] = tuple(LEAD_FILTERS.all())
        for extension in self.extension_filters:
            field = extension.field(workspace)
            field.required = False
            field.label = extension.label
            field.widget.attrs.setdefault("aria-label", extension.label)
            if isinstance(field, forms.ChoiceField):
                field.widget.attrs.setdefault("class", "select")
            self.fields[extension.key] = field

    def extension_fields(self) -> tuple[forms.BoundField, ...]:
        """The filters other apps added, for the template."""
        return tuple(self[f.key] for f in self.extension_filters)

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
        extra: dict[str, Any] = {}
        refinements = []
        for extension in self.extension_filters:
            value = self._valid(extension.key)
            if value in (None, "", [], ()):
                continue
            extra[extension.key] = value
            refinements.append(_bound(extension, value, self.workspace))
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
            extra=extra,
            refinements=refinements,
        )

    def chosen_sort(self) -> str:
        return self._valid("sort") or "-created_at"

    def active_filter_count(self) -> int:
        names: tuple[str, ...] = (
            "list", "tag", "owner", "company", "country", "created_after", "created_before",
        )  # fmt: skip
        names += tuple(f.key for f in self.extension_filters)
        return sum(1 for n in names if self._valid(n))


def _bound(
    extension: LeadFilter, value: Any, workspace: Workspace
) -> Callable[[QuerySet[Lead]], QuerySet[Lead]]:
    return lambda qs: extension.apply(qs, value, workspace)


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
    """What to do with the leads ticked in a table; the action's own inputs are its handler's."""

    action = forms.CharField(max_length=60)
    lead_ids = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        # Any integer is accepted here; the services ignore ids of other workspaces.
        choice_field(self, "lead_ids").choices = [
            (v, v) for v in data.getlist("lead_ids") if v.isdigit()
        ]
