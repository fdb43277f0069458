"""Forms of notes, tasks, companies, lists and API keys."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from crm.models import CustomFieldType, ListKind, Role, TaskKind, Workspace
from crm.web.forms.leads import choice_field, member_choices


class NoteForm(forms.Form):
    body = forms.CharField(
        required=False,
        label="Note",
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "Write a note… what did you learn?"}
        ),
    )
    catch_up = forms.BooleanField(required=False, label="This was a catch-up conversation")


class TaskForm(forms.Form):
    title = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"placeholder": "Follow up…"})
    )
    kind = forms.ChoiceField(choices=TaskKind.choices, initial=TaskKind.FOLLOW_UP)
    due_on = forms.DateField(
        required=False, label="Due", widget=forms.DateInput(attrs={"type": "date"})
    )
    assignee = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "assignee").choices = member_choices(workspace, "Me")

    def service_data(self) -> dict[str, Any]:
        c = self.cleaned_data
        data: dict[str, Any] = {
            "title": c.get("title", ""),
            "kind": c["kind"],
            "due_at": c.get("due_on"),
        }
        if c.get("assignee"):
            data["assignee_id"] = int(c["assignee"])
        return data


class CompanyForm(forms.Form):
    name = forms.CharField(required=False)
    website = forms.CharField(required=False)
    industry = forms.CharField(required=False)
    size = forms.CharField(required=False, help_text="e.g. 51-200")
    city = forms.CharField(required=False)
    country = forms.CharField(required=False)
    linkedin_url = forms.CharField(required=False, label="LinkedIn URL")

    def service_data(self) -> dict[str, Any]:
        return {k: v or "" for k, v in self.cleaned_data.items()}


class ListForm(forms.Form):
    name = forms.CharField(required=False)
    kind = forms.ChoiceField(choices=ListKind.choices, initial=ListKind.PROSPECTING)
    size_limit = forms.IntegerField(
        required=False,
        label="Size limit",
        help_text="Leave empty for the kind's usual limit (Dream 100: 100, target accounts: 40).",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def service_data(self) -> dict[str, Any]:
        c = self.cleaned_data
        data: dict[str, Any] = {"name": c.get("name", ""), "kind": c["kind"]}
        if c.get("size_limit") is not None:
            data["size_limit"] = c["size_limit"]
        if c.get("description"):
            data["description"] = c["description"]
        return data


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"placeholder": "e.g. Zapier, my laptop"})
    )


class MemberForm(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"placeholder": "name@company.com"}))
    name = forms.CharField(
        max_length=150,
        required=False,
        # Not "id_name": the API key form on the same page has a name field too.
        widget=forms.TextInput(attrs={"placeholder": "Name", "id": "id_member_name"}),
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


class CustomFieldForm(forms.Form):
    label = forms.CharField(
        max_length=80, widget=forms.TextInput(attrs={"placeholder": "Seniority"})
    )
    key = forms.CharField(
        max_length=40,
        required=False,
        help_text="Column name for imports and the API; made from the label when empty.",
    )
    field_type = forms.ChoiceField(choices=CustomFieldType.choices, initial=CustomFieldType.TEXT)
    entity = forms.ChoiceField(
        choices=[("lead", "Leads"), ("company", "Companies")], required=False, label="On"
    )
    choices = forms.CharField(
        required=False,
        help_text="For a choice field: the options, separated by commas.",
        widget=forms.TextInput(attrs={"placeholder": "C-level, VP, Director"}),
    )

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        key = data.get("key") or re.sub(r"[^a-z0-9]+", "_", data.get("label", "").lower()).strip(
            "_"
        )
        return {
            "key": key,
            "label": data.get("label", ""),
            "field_type": data.get("field_type", CustomFieldType.TEXT),
            "entity": data.get("entity") or "lead",
            "choices": [c for c in (data.get("choices") or "").split(",") if c.strip()],
        }
