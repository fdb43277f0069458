"""Forms of the outreach pages: they validate shapes; the services decide the rules."""

from __future__ import annotations

import datetime as dt

from django import forms

from crm.models import LeadList
from outreach.models import Mailbox, SendingDomain

WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]


class DomainForm(forms.Form):
    domain = forms.CharField(max_length=253, help_text="e.g. getacme.com")
    timezone = forms.CharField(
        max_length=64, initial="UTC", help_text="Its daily cap resets at midnight here."
    )
    added_on = forms.DateField(required=False, help_text="Warm-up start; today when empty.")
    warmup_days = forms.IntegerField(min_value=0, max_value=365, initial=14)
    daily_cap = forms.IntegerField(min_value=1, max_value=100_000, initial=30)


class MailboxForm(forms.Form):
    domain = forms.ModelChoiceField(queryset=SendingDomain.objects.none())
    address = forms.EmailField()
    display_name = forms.CharField(max_length=120, required=False)
    transport = forms.ChoiceField(choices=[("capture", "Capture (send nothing)"), ("smtp", "SMTP")])
    smtp_host = forms.CharField(required=False)
    smtp_port = forms.IntegerField(initial=587, min_value=1, max_value=65535)
    smtp_security = forms.ChoiceField(
        choices=[("starttls", "STARTTLS"), ("ssl", "Implicit TLS"), ("none", "None")]
    )
    smtp_username = forms.CharField(required=False)
    smtp_password = forms.CharField(required=False, widget=forms.PasswordInput)
    imap_host = forms.CharField(required=False)
    imap_port = forms.IntegerField(initial=993, min_value=1, max_value=65535)
    imap_security = forms.ChoiceField(
        choices=[("ssl", "Implicit TLS"), ("starttls", "STARTTLS"), ("none", "None")]
    )
    imap_username = forms.CharField(required=False)
    imap_password = forms.CharField(required=False, widget=forms.PasswordInput)
    daily_cap = forms.IntegerField(min_value=1, initial=30)
    ramp_start = forms.IntegerField(min_value=1, initial=5)
    ramp_step = forms.IntegerField(min_value=0, initial=2)
    window_weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, initial=[0, 1, 2, 3, 4], widget=forms.CheckboxSelectMultiple
    )
    window_start = forms.TimeField(initial=dt.time(9, 0))
    window_end = forms.TimeField(initial=dt.time(17, 0))
    timezone = forms.CharField(max_length=64, initial="UTC")
    gap_min_seconds = forms.IntegerField(min_value=0, initial=300)
    gap_max_seconds = forms.IntegerField(min_value=0, initial=600)

    def __init__(self, *args, workspace, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = workspace.sending_domains.order_by("domain")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("domain")
        data.pop("address")
        return data


class SequenceForm(forms.Form):
    name = forms.CharField(max_length=120)
    mailboxes = forms.ModelMultipleChoiceField(
        queryset=Mailbox.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    stop_on_reply = forms.BooleanField(required=False, initial=True)
    stop_company_on_reply = forms.BooleanField(required=False)
    use_lead_timezone = forms.BooleanField(required=False, label="Use the lead's time zone")
    unsubscribe_line = forms.BooleanField(required=False, label="Add an unsubscribe line")

    def __init__(self, *args, workspace, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["mailboxes"].queryset = workspace.mailboxes.order_by("address")


class StepForm(forms.Form):
    subject = forms.CharField(
        max_length=500, required=False, help_text="{{first_name|there}}, {Hi|Hello}, {{slot1}}…"
    )
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}))
    delay_days = forms.IntegerField(min_value=0, max_value=365, initial=3)
    business_days = forms.BooleanField(required=False)
    same_thread = forms.BooleanField(required=False, label="Reply in the same thread")


class EnrollListForm(forms.Form):
    lead_list = forms.ModelChoiceField(queryset=LeadList.objects.none(), label="Enroll a list")

    def __init__(self, *args, workspace, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["lead_list"].queryset = workspace.lead_lists.order_by("name")
