"""Forms of notes, tasks, companies, lists and API keys."""

from __future__ import annotations

from typing import Any

from django import forms

from crm.models import ListKind, TaskKind, Workspace
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
