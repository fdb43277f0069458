"""The feed page's filters and the daily goals form."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from crm.models import LeadList, ListKind, Workspace
from crm.people import display_name
from integrations.feed.cards import FeedFilters
from integrations.feed.engagement_models import DailyGoal
from integrations.feed.models import Network
from integrations.feed.services.goals import READY_DAYS_MAX, TARGET_MAX
from pipelines.models import Stage

SHOW_NEW = "new"
SHOW_ALL = "all"
AGES = [("", "Any age"), ("1", "Last 24 hours"), ("3", "Last 3 days"), ("7", "Last 7 days"),
        ("30", "Last 30 days")]  # fmt: skip


class FeedFilterForm(forms.Form):
    show = forms.ChoiceField(
        choices=[(SHOW_NEW, "Not engaged by me yet"), (SHOW_ALL, "All posts")], required=False
    )
    mode = forms.ChoiceField(choices=[("posts", "Posts"), ("leads", "By lead")], required=False)
    list = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    list_kind = forms.ChoiceField(required=False)
    stage = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    owner = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    network = forms.ChoiceField(required=False)
    age = forms.TypedChoiceField(choices=AGES, coerce=int, empty_value=None, required=False)

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        fields = self.fields
        lists = LeadList.objects.filter(workspace=workspace).order_by("name")
        fields["list"].choices = [("", "Any list")] + [(str(x.pk), x.name) for x in lists]  # type: ignore[attr-defined]
        fields["list_kind"].choices = [("", "Any kind of list"), *ListKind.choices]  # type: ignore[attr-defined]
        stages = Stage.objects.filter(pipeline__workspace=workspace, pipeline__is_default=True)
        fields["stage"].choices = [("", "Any stage")] + [  # type: ignore[attr-defined]
            (str(s.pk), s.name) for s in stages.order_by("position", "id")
        ]
        owners = get_user_model().objects.filter(memberships__workspace=workspace)
        fields["owner"].choices = [("", "Any owner")] + [  # type: ignore[attr-defined]
            (str(u.pk), display_name(u)) for u in owners.order_by("email")
        ]
        fields["network"].choices = [("", "Any network"), *Network.choices]  # type: ignore[attr-defined]
        for f in fields.values():
            f.widget.attrs.setdefault("class", "select select-sm")

    def filters(self) -> FeedFilters:
        """The filters to apply (the defaults where a value is missing or invalid)."""
        data = self.cleaned_data if self.is_valid() else {}
        return FeedFilters(
            list_id=data.get("list"),
            list_kind=data.get("list_kind") or "",
            stage_id=data.get("stage"),
            owner_id=data.get("owner"),
            network=data.get("network") or "",
            unengaged=(data.get("show") or SHOW_NEW) == SHOW_NEW,
            age_days=data.get("age"),
        )

    @property
    def by_lead(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("mode") == "leads"


class GoalForm(forms.Form):
    engagements = forms.IntegerField(
        min_value=0, max_value=TARGET_MAX, label="Engagements a day (likes, comments, connections)"
    )
    comments = forms.IntegerField(min_value=0, max_value=TARGET_MAX, label="Comments a day")
    time_zone = forms.CharField(
        required=False, max_length=64, label="Your time zone", help_text="e.g. Europe/Berlin"
    )

    @classmethod
    def of(cls, goal: DailyGoal, time_zone: str) -> GoalForm:
        return cls(
            initial={
                "engagements": goal.engagements,
                "comments": goal.comments,
                "time_zone": time_zone,
            }
        )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "input")


class ReadinessForm(forms.Form):
    ready_after_engaged_days = forms.IntegerField(
        min_value=1,
        max_value=READY_DAYS_MAX,
        label="Ready for outreach after engaging on this many different days",
        widget=forms.NumberInput(attrs={"class": "input"}),
    )
