"""How a timeline entry reads: who did what, with which icon, in the user's words."""

from __future__ import annotations

from dataclasses import dataclass

from crm.models import Activity, ActivityKind, ActorType

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
    activity: Activity
    icon: str
    tone: str
    actor: str
    summary: str

    @property
    def body(self) -> str:
        return self.activity.body if self.activity.kind == ActivityKind.NOTE else ""


def _actor(activity: Activity) -> str:
    if activity.actor_type == ActorType.USER and activity.actor_user is not None:
        user = activity.actor_user
        return user.get_full_name() or user.email or user.get_username()
    name = (activity.payload or {}).get("actor_name")
    if name:
        return str(name)
    return {"system": "Kindling", "rule": "An automation", "integration": "An integration"}.get(
        activity.actor_type, "Someone"
    )


def _summary(activity: Activity) -> str:
    p = activity.payload or {}
    kind = activity.kind
    if kind == ActivityKind.NOTE:
        return "logged a catch-up" if p.get("catch_up") else "added a note"
    if kind == ActivityKind.CREATED:
        return f"created the lead{' from ' + p['source'] if p.get('source') else ''}"
    if kind == ActivityKind.UPDATED:
        fields = ", ".join(f.replace("_id", "").replace("_", " ") for f in p.get("fields", []))
        return f"updated {fields}" if fields else "updated the lead"
    if kind in (ActivityKind.LIST_ADDED, ActivityKind.LIST_REMOVED):
        verb = "added the lead to" if kind == ActivityKind.LIST_ADDED else "removed the lead from"
        return f"{verb} “{p.get('list', 'a list')}”"
    if kind in (ActivityKind.TAGGED, ActivityKind.UNTAGGED):
        verb = "tagged" if kind == ActivityKind.TAGGED else "removed the tag"
        return f"{verb} “{p.get('tag', '')}”"
    if kind == ActivityKind.TASK_CREATED:
        return f"created a task: {activity.body}"
    if kind == ActivityKind.TASK_DONE:
        return f"completed: {activity.body}"
    if kind == ActivityKind.STAGE_CHANGED and p.get("to"):
        return f"moved the lead to {p.get('to')}"
    return activity.get_kind_display().lower()  # type: ignore[attr-defined]


def timeline_entries(activities: list[Activity]) -> list[TimelineEntry]:
    entries = []
    for activity in activities:
        icon, tone = ICONS.get(activity.kind, ("clock", ""))  # type: ignore[call-overload]
        entries.append(TimelineEntry(activity, icon, tone, _actor(activity), _summary(activity)))
    return entries
