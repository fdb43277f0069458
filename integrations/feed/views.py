"""The feed page, its one-key actions, the daily goals page and the panels other pages embed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm.actors import Actor
from crm.errors import DomainError
from crm.models import Activity, Lead, Membership, Role
from crm.selectors.leads import lead_get
from crm.web.access import signed_in_user, workspace_view
from crm.web.responses import is_htmx, redirect_back
from integrations.feed.cards import card_of, feed_page
from integrations.feed.drafts import dm_draft
from integrations.feed.engagement_models import EngagementKind
from integrations.feed.forms import FeedFilterForm, GoalForm, ReadinessForm
from integrations.feed.goals import goal_of, goal_progress, team_progress
from integrations.feed.models import Post
from integrations.feed.readiness import (
    CONTACT_KINDS,
    engaged_days,
    ready_after_days,
    ready_leads,
)
from integrations.feed.selectors import post_get
from integrations.feed.services.engagements import engagement_record
from integrations.feed.services.goals import feed_settings_set, goals_set


def _membership(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


@workspace_view
def feed(request: HttpRequest) -> HttpResponse:
    """Post cards newest first; HTMX asks for the next page with ``cursor``."""
    workspace = request.workspace  # type: ignore[attr-defined]
    user = signed_in_user(request)
    form = FeedFilterForm(request.GET or None, workspace=workspace)
    try:
        page = feed_page(
            workspace=workspace,
            user=user,
            filters=form.filters(),
            cursor=request.GET.get("cursor") or None,
        )
    except DomainError:
        return redirect("integrations:feed", ws=workspace.slug)
    query = request.GET.copy()
    query.pop("cursor", None)
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "by_lead": form.by_lead,
        "groups": page.by_lead() if form.by_lead else None,
        "query": query.urlencode(),
        "posts_url": reverse(
            "integrations:feed_draft", kwargs={"ws": workspace.slug, "post_id": 0}
        ).removesuffix("0/draft/"),
        "progress": goal_progress(membership=_membership(request)),
    }
    if is_htmx(request) and request.GET.get("cursor"):
        return render(request, "feed/_cards.html", context)
    return render(request, "feed/page.html", context)


def _lead_for(request: HttpRequest, post: Post) -> Lead:
    if post.lead_id is not None:
        return lead_get(workspace=post.workspace, lead_id=post.lead_id)
    # A company's post: the action is logged on the lead the card shows (or the one picked).
    lead_id = request.POST.get("lead_id") or ""
    if not lead_id.isdigit():
        lead = (
            Lead.objects.filter(workspace=post.workspace, company_id=post.company_id)
            .order_by("id")
            .first()
            if post.company_id is not None
            else None
        )
        if lead is None:
            raise DomainError("This company has no lead to log the engagement on.")
        return lead
    return lead_get(workspace=post.workspace, lead_id=int(lead_id))


@workspace_view
@require_POST
def engage(request: HttpRequest, post_id: int) -> HttpResponse:
    """Liked, Commented, Connected, DM sent or Skip on one card (idempotent).

    The page's script asks for JSON (the card's new state and today's goal progress); without
    JavaScript the form posts and comes back to the feed.
    """
    workspace = request.workspace  # type: ignore[attr-defined]
    user = signed_in_user(request)
    post = post_get(workspace=workspace, post_id=post_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    kind = request.POST.get("kind", "")
    try:
        lead = _lead_for(request, post)
        result = engagement_record(
            workspace=workspace,
            user=user,
            lead=lead,
            post=post,
            kind=kind,
            comment=request.POST.get("comment", ""),
            actor=Actor.of_user(user),
        )
    except DomainError as exc:
        if wants_json:
            return JsonResponse({"ok": False, "error": str(exc)}, status=exc.status)
        messages.error(request, str(exc))
        return redirect_back(request, reverse("integrations:feed", kwargs={"ws": workspace.slug}))
    if not wants_json:
        if result.created and kind != EngagementKind.SKIPPED:
            messages.success(request, f"{EngagementKind(kind).label}: {lead}.")
        return redirect_back(request, reverse("integrations:feed", kwargs={"ws": workspace.slug}))
    card = card_of(workspace=workspace, user=user, post=post)
    progress = goal_progress(membership=_membership(request))
    return JsonResponse(
        {
            "ok": True,
            "created": result.created,
            "kind": kind,
            "lead_id": lead.pk,
            "stage": card.stage.name if card.stage else None,
            "ready": card.ready,
            "done": sorted(card.done),
            "goal": {
                "engagements": progress.today.engagements,
                "engagements_target": progress.engagements_target,
                "engagements_percent": progress.engagements_percent,
                "comments": progress.today.comments,
                "comments_target": progress.comments_target,
                "comments_percent": progress.comments_percent,
            },
        },
        status=201 if result.created else 200,
    )


@workspace_view
def draft(request: HttpRequest, post_id: int) -> HttpResponse:
    """ "Write email / DM": a DM draft to copy that quotes the post, and the lead's email link."""
    workspace = request.workspace  # type: ignore[attr-defined]
    post = post_get(workspace=workspace, post_id=post_id)
    try:
        lead = _lead_for(request, post)
    except DomainError:
        lead = None
    context = {"post": post, "lead": lead, "text": dm_draft(lead=lead, post=post) if lead else ""}
    return render(request, "feed/_draft.html", context)


@workspace_view
def goals(request: HttpRequest) -> HttpResponse:
    """The member's daily targets and time zone; owners and admins also set readiness."""
    workspace = request.workspace  # type: ignore[attr-defined]
    user = signed_in_user(request)
    membership = _membership(request)
    is_admin = membership.role in (Role.OWNER, Role.ADMIN)
    form = GoalForm.of(goal_of(workspace=workspace, user_id=user.pk), membership.time_zone)
    ready_form = ReadinessForm(
        initial={"ready_after_engaged_days": ready_after_days(workspace=workspace)}
    )
    status = 200
    if request.method == "POST":
        try:
            if "ready_after_engaged_days" in request.POST and is_admin:
                ready_form = ReadinessForm(request.POST)
                if ready_form.is_valid():
                    feed_settings_set(
                        workspace=workspace,
                        ready_after_engaged_days=ready_form.cleaned_data[
                            "ready_after_engaged_days"
                        ],
                    )
                    messages.success(request, "Readiness rule saved.")
                    return redirect("integrations:feed_goals", ws=workspace.slug)
            else:
                form = GoalForm(request.POST)
                if form.is_valid():
                    goals_set(
                        workspace=workspace,
                        user=user,
                        engagements=form.cleaned_data["engagements"],
                        comments=form.cleaned_data["comments"],
                        time_zone=form.cleaned_data["time_zone"],
                    )
                    messages.success(request, "Daily goals saved.")
                    return redirect("integrations:feed_goals", ws=workspace.slug)
        except DomainError as exc:
            form.add_error(None, str(exc))
        status = 422
    return render(
        request,
        "feed/goals.html",
        {
            "form": form,
            "ready_form": ready_form,
            "is_admin": is_admin,
            "progress": goal_progress(membership=membership),
            "zone": membership.zone,
        },
        status=status,
    )


@workspace_view
def goals_panel(request: HttpRequest) -> HttpResponse:
    """The dashboard's card: today's progress bars, the streak, the last 7 days; the team's for
    owners and admins; and the leads ready for outreach (an HTMX fragment)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    ready, ready_count = ready_leads(workspace=workspace)
    return render(
        request,
        "feed/_goals_panel.html",
        {
            "rows": team_progress(membership=_membership(request)),
            "ready": ready,
            "ready_count": ready_count,
        },
    )


@workspace_view
def lead_panel(request: HttpRequest, lead_id: int) -> HttpResponse:
    """The lead page's feed card: ready for outreach or how far along, and the latest posts."""
    workspace = request.workspace  # type: ignore[attr-defined]
    lead = get_object_or_404(Lead, workspace=workspace, pk=lead_id)
    needed = ready_after_days(workspace=workspace)
    days = engaged_days(workspace=workspace, lead_ids=[lead.pk]).get(lead.pk, 0)
    contacted = Activity.objects.filter(lead=lead, kind__in=CONTACT_KINDS).exists()
    return render(
        request,
        "feed/_lead_panel.html",
        {
            "lead": lead,
            "needed": needed,
            "days": days,
            "contacted": contacted,
            "ready": not contacted and days >= needed,
            "posts": Post.objects.filter(workspace=workspace, lead=lead).order_by(
                "-posted_at", "-id"
            )[:3],
        },
    )
