"""How a timeline entry reads: a sentence saying who did what to whom, with its icon."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm.models import Activity, ActivityKind, ActorType
from crm.people import display_name

ICONS = {
    ActivityKind.NOTE: ("note", "is-note"),
    ActivityKind.EMAIL_SENT: ("send", "is-email"),
    ActivityKind.EMAIL_REPLIED: ("inbox", "is-email"),
    ActivityKind.BOUNCED: ("alert", "is-email"),
    ActivityKind.UNSUBSCRIBED: ("alert", "is-email"),
    ActivityKind.TASK_CREATED: ("check", "is-task"),
    ActivityKind.TASK_DONE: ("tick", "is-task"),
    ActivityKind.LIST_ADDED: ("list", ""),
    ActivityKind.LIST_REMOVED: ("list", ""),
    ActivityKind.TAGGED: ("tag", ""),
    ActivityKind.UNTAGGED: ("tag", ""),
    ActivityKind.IMPORTED: ("upload", ""),
    ActivityKind.CREATED: ("plus", ""),
    ActivityKind.UPDATED: ("edit", ""),
    ActivityKind.STAGE_CHANGED: ("columns", ""),
    ActivityKind.CALL: ("phone", "is-task"),
    ActivityKind.MEETING: ("calendar", "is-task"),
    ActivityKind.LIKED: ("flame", ""),
    ActivityKind.COMMENTED: ("note", ""),
    ActivityKind.CONNECTED: ("link", ""),
    ActivityKind.DM_SENT: ("send", "is-email"),
    ActivityKind.WEBHOOK: ("external", ""),
}


@dataclass
class TimelineEntry:
    """One line of a timeline as a sentence: ``subject`` ``before`` *the lead* ``after``.

    ``subject`` is who acted (empty when the lead itself did, as in "Emma replied"); the page
    puts the lead's name, or a link to it, between ``before`` and ``after``.
    """

    activity: Activity
    icon: str
    tone: str
    subject: str
    before: str
    after: str
    detail: str = ""

    @property
    def actor(self) -> str:
        return self.subject

    @property
    def body(self) -> str:
        """The words said or written (a note, a call, why a lead moved), under the sentence."""
        return self.detail

    @property
    def summary(self) -> str:
        """The sentence after its subject, with "the lead" for the lead (plain text uses)."""
        lead = "the lead" if self.subject or self.before else "The lead"
        return " ".join(part for part in (self.before, lead) if part) + self.after


RULE_NAMES = {"catch-up 4": "referral"}
SYSTEM_NAMES = {
    "": "Kindling",
    "sequence": "A sequence",
    "inbox sync": "Inbox sync",
    "unsubscribe link": "The unsubscribe link",
    "cli": "A command",
    "preview": "A preview",
}


def _actor(activity: Activity) -> str:
    """Who acted, as the subject of a sentence."""
    if activity.actor_type == ActorType.USER and activity.actor_user is not None:
        return display_name(activity.actor_user)
    name = str((activity.payload or {}).get("actor_name") or "").strip()
    if activity.actor_type == ActorType.RULE:
        # "payment (Stripe)": the payment rule, triggered by Stripe.
        rule, _, via = name.partition(" (")
        if not rule:
            return "An automation"
        via = f" (via {via.rstrip(')')})" if via else ""
        return f"The {RULE_NAMES.get(rule, rule)} rule{via}"
    if activity.actor_type == ActorType.SYSTEM:
        return SYSTEM_NAMES.get(name, f"Kindling ({name})")
    if activity.actor_type == ActorType.INTEGRATION:
        return name[:1].upper() + name[1:] if name else "An integration"
    return name or "Someone"


def _quoted(text: Any) -> str:
    return f"“{text}”" if text else ""


def _sentence(activity: Activity) -> tuple[str, str, str, str]:
    """(subject, before, after, detail) of an activity; the lead goes between before and after."""
    p = activity.payload or {}
    kind = activity.kind
    who = _actor(activity)
    body = activity.body.strip()
    if kind == ActivityKind.NOTE:
        if p.get("catch_up"):
            return who, "logged a catch-up with", "", body
        return who, "added a note on", "", body
    if kind == ActivityKind.CREATED:
        source = f" (source: {p['source']})" if p.get("source") else ""
        return who, "added", source, ""
    if kind == ActivityKind.IMPORTED:
        where = p.get("file") or p.get("filename")
        return who, "imported", f" from {where}" if where else "", ""
    if kind == ActivityKind.UPDATED:
        fields = [f.replace("_id", "").replace("_", " ") for f in p.get("fields", [])]
        if not fields:
            return who, "updated", "", ""
        listed = ", ".join(fields[:-1]) + (" and " if len(fields) > 1 else "") + fields[-1]
        return who, f"updated the {listed} of", "", ""
    if kind == ActivityKind.LIST_ADDED:
        return who, "added", f" to the list {_quoted(p.get('list', 'a list'))}", ""
    if kind == ActivityKind.LIST_REMOVED:
        return who, "removed", f" from the list {_quoted(p.get('list', 'a list'))}", ""
    if kind == ActivityKind.TAGGED:
        return who, "tagged", f" {_quoted(p.get('tag', ''))}", ""
    if kind == ActivityKind.UNTAGGED:
        return who, f"removed the tag {_quoted(p.get('tag', ''))} from", "", ""
    if kind == ActivityKind.TASK_CREATED:
        return who, "set a task on", f": {body}" if body else "", ""
    if kind == ActivityKind.TASK_DONE:
        return who, "completed a task on", f": {body}" if body else "", ""
    if kind == ActivityKind.EMAIL_SENT:
        step = f" (step {p['step']})" if p.get("step") else ""
        return who, "emailed", step + (f": {_quoted(body)}" if body else ""), ""
    if kind == ActivityKind.EMAIL_REPLIED:
        about = p.get("subject")
        return "", "", " replied" + (f" to {_quoted(about)}" if about else ""), body[:280]
    if kind == ActivityKind.BOUNCED:
        hard = "" if p.get("hard", True) else " (temporarily)"
        return "", "An email to", f" bounced{hard}", ""
    if kind == ActivityKind.UNSUBSCRIBED:
        how = {"link": " with the link in an email", "reply": " by replying"}.get(
            str(p.get("by")), ""
        )
        return "", "", f" unsubscribed{how}", ""
    if kind == ActivityKind.LIKED:
        return who, "liked a post by", "", body
    if kind == ActivityKind.COMMENTED:
        return who, "commented on a post by", "", body
    if kind == ActivityKind.CONNECTED:
        return who, "connected with", "", body
    if kind == ActivityKind.DM_SENT:
        return who, "sent a direct message to", "", body
    if kind == ActivityKind.CALL:
        return who, "called", "", body
    if kind == ActivityKind.MEETING:
        return who, "met", "", body
    if kind == ActivityKind.STAGE_CHANGED and p.get("to"):
        since = f" from {p['from']}" if p.get("from") else ""
        return who, "moved", f"{since} to {p['to']}", str(p.get("reason") or "")
    if kind == ActivityKind.WEBHOOK:
        return who, "sent an event about", f": {body}" if body else "", ""
    label = str(activity.get_kind_display()).lower()  # type: ignore[attr-defined]
    return who, f"recorded {_quoted(label)} on", "", body


def timeline_entries(activities: list[Activity]) -> list[TimelineEntry]:
    entries = []
    for activity in activities:
        icon, tone = ICONS.get(activity.kind, ("clock", ""))  # type: ignore[call-overload]
        subject, before, after, detail = _sentence(activity)
        entries.append(TimelineEntry(activity, icon, tone, subject, before, after, detail))
    return entries
