"""Forms of the outreach pages: they validate shapes; the services decide the rules."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms

from outreach.mail_providers import CUSTOM, PROVIDER_CHOICES, PROVIDERS, SERVER_FIELDS
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


def _time_zones() -> list[tuple[str, str]]:
    # UTC, then Area/City names (what people look for), then the rest (GMT, EST5EDT…).
    names = sorted(zoneinfo.available_timezones(), key=lambda z: (z != "UTC", "/" not in z, z))
    return [(name, name.replace("_", " ")) for name in names]


TIME_ZONES = _time_zones()
SECURITY = [
    ("starttls", "STARTTLS (usually port 587 or 143)"),
    ("ssl", "TLS from the start (usually port 465 or 993)"),
    ("none", "None (loopback test servers only)"),
]
HOURS = {"type": "time", "step": 900}


class MailboxForm(forms.Form):
    domain = forms.ModelChoiceField(queryset=SendingDomain.objects.none(), label="Sending domain")
    address = forms.EmailField(label="Email address")
    display_name = forms.CharField(
        max_length=120, required=False, label="From name", help_text="e.g. Dana from Acme"
    )
    signature = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Plain text, added under every email.",
    )
    dkim_selector = forms.CharField(
        max_length=63,
        required=False,
        label="DKIM selector",
        help_text="The selector your provider signs with, e.g. google; found for you below.",
    )
    transport = forms.ChoiceField(
        choices=[("capture", "Keep here, send nothing (test)"), ("smtp", "Send through SMTP")],
        label="Sending",
    )
    provider = forms.ChoiceField(
        choices=PROVIDER_CHOICES,
        required=False,
        initial=CUSTOM,
        label="Provider",
        help_text="Fills in the servers below.",
    )
    smtp_host = forms.CharField(required=False, label="SMTP server")
    smtp_port = forms.IntegerField(initial=587, min_value=1, max_value=65535, label="SMTP port")
    smtp_security = forms.ChoiceField(choices=SECURITY, label="SMTP encryption")
    smtp_username = forms.CharField(required=False, label="SMTP user name")
    smtp_password = forms.CharField(
        required=False, widget=forms.PasswordInput, label="SMTP password"
    )
    imap_host = forms.CharField(
        required=False, label="IMAP server", help_text="Where replies and bounces are read."
    )
    imap_port = forms.IntegerField(initial=993, min_value=1, max_value=65535, label="IMAP port")
    imap_security = forms.ChoiceField(
        choices=[SECURITY[1], SECURITY[0], SECURITY[2]], label="IMAP encryption"
    )
    imap_username = forms.CharField(required=False, label="IMAP user name")
    imap_password = forms.CharField(
        required=False, widget=forms.PasswordInput, label="IMAP password"
    )
    daily_cap = forms.IntegerField(
        min_value=1, initial=30, label="Emails a day", help_text="Once the ramp has reached it."
    )
    ramp_start = forms.IntegerField(min_value=1, initial=5, label="Ramp: emails on day 1")
    ramp_step = forms.IntegerField(min_value=0, initial=2, label="Ramp: more each day")
    window_weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        initial=[0, 1, 2, 3, 4],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "day-picker"}),
        label="Send on",
    )
    window_start = forms.TimeField(
        initial=dt.time(9, 0), widget=forms.TimeInput(attrs=HOURS, format="%H:%M"), label="From"
    )
    window_end = forms.TimeField(
        initial=dt.time(17, 0), widget=forms.TimeInput(attrs=HOURS, format="%H:%M"), label="Until"
    )
    timezone = forms.ChoiceField(
        choices=TIME_ZONES, initial="UTC", label="Time zone", help_text="Of the send hours."
    )
    gap_min_seconds = forms.IntegerField(
        min_value=0, initial=300, label="At least (seconds between two emails)"
    )
    gap_max_seconds = forms.IntegerField(
        min_value=0, initial=600, label="At most (seconds between two emails)"
    )

    def __init__(self, *args, workspace, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        domains = workspace.sending_domains.order_by("domain")
        self.fields["domain"].queryset = domains
        only = list(domains[:2])
        if len(only) == 1:
            self.fields["domain"].initial = only[0].pk

    def clean(self) -> dict:
        data = super().clean() or {}
        preset = PROVIDERS.get(data.get("provider") or CUSTOM)
        if preset is not None:
            # Without script the fields stay as typed: fill the servers left empty.
            for name in SERVER_FIELDS:
                if not self.data.get(name):
                    data[name] = getattr(preset, name)
                    self.errors.pop(name, None)
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("domain")
        data.pop("address")
        data.pop("provider", None)
        return data


class MailboxEditForm(MailboxForm):
    """An existing mailbox's settings; its address and domain stay, blank passwords are kept."""

    def __init__(self, *args, workspace, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, workspace=workspace, **kwargs)
        del self.fields["domain"], self.fields["address"]
        for name in ("smtp_password", "imap_password"):
            self.fields[name].help_text = "Write-only: leave blank to keep the stored one."

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("provider", None)
        return data


class PolicyForm(forms.Form):
    pause_on_failure = forms.BooleanField(
        required=False, label="Pause a domain that fails a required check (resume it once fixed)"
    )
    ip_blocklists = forms.CharField(
        required=False,
        label="IP blocklists",
        help_text="DNSBL zones, one a line (e.g. zen.spamhaus.org). Checked for the SMTP hosts.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    domain_blocklists = forms.CharField(
        required=False,
        label="Domain blocklists",
        help_text="One a line (e.g. dbl.spamhaus.org).",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    dns_nameserver = forms.CharField(
        required=False,
        label="DNS server",
        help_text="Empty: the system's resolver. Otherwise one the admin allows "
        "(DNS_RESOLVERS_ALLOWED), with its port.",
    )
    dns_port = forms.IntegerField(min_value=1, max_value=65535, initial=53, label="DNS port")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("ip_blocklists", "domain_blocklists"):
            data[name] = [z for z in data[name].replace(",", " ").split() if z]
        return data


class SequenceForm(forms.Form):
    name = forms.CharField(max_length=120)
    mailboxes = forms.ModelMultipleChoiceField(
        queryset=Mailbox.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    stop_on_reply = forms.BooleanField(required=False, initial=True)
    stop_company_on_reply = forms.BooleanField(required=False)
    use_lead_timezone = forms.BooleanField(required=False, label="Use the lead's time zone")
    unsubscribe_line = forms.BooleanField(
        required=False, initial=True, label="Add an unsubscribe line"
    )

    def __init__(self, *args, workspace, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["mailboxes"].queryset = workspace.mailboxes.order_by("address")


class StepSettingsForm(forms.Form):
    """When a step goes; the email's text is a VariantForm beside it."""

    delay_days = forms.IntegerField(
        min_value=0,
        max_value=365,
        initial=3,
        label="Wait (days)",
        help_text="After the previous step.",
    )
    business_days = forms.BooleanField(required=False, label="Count business days only")
    same_thread = forms.BooleanField(required=False, label="Reply in the same thread")


class VariantForm(forms.Form):
    subject = forms.CharField(
        max_length=500,
        required=False,
        help_text="Empty in a same-thread follow-up: it goes as “Re:” the thread's subject.",
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
        max_length=50_000,
        required=False,
        help_text="{{first_name|there}} · {{company}} · {{slot1}} {{slot2}} {{slot3}} · "
        "{Hi|Hello} picks one per lead.",
    )
    body_html = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=100_000,
        required=False,
        label="HTML version (optional)",
        help_text="Simple HTML; the plain-text part is generated from it when the body is empty.",
    )


class SlotsForm(forms.Form):
    slot1 = forms.CharField(max_length=2000, required=False, label="Slot 1 · subject")
    slot2 = forms.CharField(
        max_length=2000,
        required=False,
        label="Slot 2 · intro line",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    slot3 = forms.CharField(max_length=2000, required=False, label="Slot 3 · PS line")


class IdsField(forms.Field):
    """A repeated ``name=12&name=13`` of record ids; anything else is a form error."""

    def to_python(self, value):  # type: ignore[no-untyped-def]
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        ids = []
        for v in values:
            if not str(v).isdigit():
                raise forms.ValidationError("Not a record id.")
            ids.append(int(v))
        return ids


class EnrollSelectionForm(forms.Form):
    lead_ids = IdsField(widget=forms.MultipleHiddenInput, required=False)


class EnrollmentBulkForm(forms.Form):
    enrollment_ids = IdsField(widget=forms.MultipleHiddenInput, required=False)
    action = forms.ChoiceField(choices=[("pause", "Pause"), ("resume", "Resume"), ("stop", "Stop")])
