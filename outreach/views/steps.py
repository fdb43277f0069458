"""The step editor: timing and text of a step's variants, with a live preview beside them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from crm.errors import DomainError
from crm.selectors.records import custom_fields_of
from crm.web.access import workspace_view
from crm.web.errors import form_add_domain_error
from outreach.forms import StepSettingsForm, VariantForm
from outreach.models import Sequence, Step, StepVariant
from outreach.selectors import sequence_get
from outreach.selectors.editor import sequence_enrollment_choices, step_get, steps_of, variant_get
from outreach.selectors.previews import Draft, draft_preview
from outreach.services.steps import (
    step_add,
    step_move,
    step_remove,
    step_save,
    variant_add,
    variant_next_label,
    variant_remove,
)


def _sequence_url(sequence: Sequence) -> str:
    return reverse(
        "outreach:sequence", kwargs={"ws": sequence.workspace.slug, "sequence_id": sequence.pk}
    )


def _step_url(step: Step, variant: StepVariant | None = None) -> str:
    url = reverse(
        "outreach:step",
        kwargs={
            "ws": step.sequence.workspace.slug,
            "sequence_id": step.sequence_id,
            "step_id": step.pk,
        },
    )
    return f"{url}?variant={variant.pk}" if variant else url


BASIC_VARIABLES = (
    ("{{first_name|there}}", "First name"),
    ("{{company|your team}}", "Company"),
    ("{{title}}", "Title"),
    ("{{slot1}}", "Slot 1 · subject"),
    ("{{slot2}}", "Slot 2 · intro"),
    ("{{slot3|}}", "Slot 3 · PS"),
    ("{{sender_name}}", "Your name"),
    ("{Hi|Hello|Hey}", "Spintax"),
)


def _variables(sequence: Sequence) -> list[tuple[str, str]]:
    """The insert buttons under the editor: the usual variables, then the custom fields."""
    found = list(BASIC_VARIABLES)
    for entity, prefix in (("lead", "custom"), ("company", "company")):
        for d in custom_fields_of(workspace=sequence.workspace, entity=entity):
            found.append((f"{{{{{prefix}.{d.key}}}}}", d.label))
    return found


def _editor(request: HttpRequest, sequence: Sequence, context: dict) -> HttpResponse:
    context.update(
        sequence=sequence,
        tab="steps",
        preview_leads=sequence_enrollment_choices(sequence=sequence),
        variables=_variables(sequence),
    )
    return render(request, "outreach/sequence_step.html", context)


@workspace_view
def step_new(request: HttpRequest, sequence_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    position = sequence.steps.count()
    initial = {"delay_days": 3 if position else 0, "same_thread": position > 0}
    settings_form = StepSettingsForm(request.POST or None, initial=initial)
    variant_form = VariantForm(request.POST or None)
    if request.method == "POST" and settings_form.is_valid() and variant_form.is_valid():
        try:
            step = step_add(
                sequence=sequence, **settings_form.cleaned_data, **variant_form.cleaned_data
            )
        except DomainError as exc:
            _place_error(settings_form, variant_form, exc)
        else:
            messages.success(request, f"Step {step.position + 1} added.")
            return redirect(_step_url(step))
    return _editor(
        request,
        sequence,
        {
            "mode": "new_step",
            "position": position,
            "settings_form": settings_form,
            "variant_form": variant_form,
            "label": "A",
        },
    )


@workspace_view
def step_edit(request: HttpRequest, sequence_id: int, step_id: int) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    step = step_get(sequence=sequence, step_id=step_id)
    variants = list(step.variants.all())
    if not variants:  # services keep one per step; a row deleted by hand is not a 500
        raise Http404("This step has no email.")
    chosen = request.GET.get("variant", "")
    variant = variant_get(step=step, variant_id=int(chosen)) if chosen.isdigit() else variants[0]
    settings_form = StepSettingsForm(
        request.POST or None,
        initial={
            "delay_days": step.delay_days,
            "business_days": step.business_days,
            "same_thread": step.same_thread,
        },
    )
    variant_form = VariantForm(
        request.POST or None,
        initial={"subject": variant.subject, "body": variant.body, "body_html": variant.body_html},
    )
    if request.method == "POST" and settings_form.is_valid() and variant_form.is_valid():
        try:
            step_save(
                step=step,
                variant=variant,
                **settings_form.cleaned_data,
                **variant_form.cleaned_data,
            )
        except DomainError as exc:
            _place_error(settings_form, variant_form, exc)
        else:
            messages.success(request, f"Step {step.position + 1}, variant {variant.label} saved.")
            return redirect(_step_url(step, variant))
    return _editor(
        request,
        sequence,
        {
            "mode": "edit",
            "step": step,
            "variant": variant,
            "variants": variants,
            "position": step.position,
            "settings_form": settings_form,
            "variant_form": variant_form,
            "label": variant.label,
        },
    )


@workspace_view
def variant_new(request: HttpRequest, sequence_id: int, step_id: int) -> HttpResponse:
    """A new A/B variant, starting from the first variant's text (most tests change one line)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    step = step_get(sequence=sequence, step_id=step_id)
    variants = list(step.variants.all())
    first = variants[0] if variants else None
    initial = (
        {"subject": first.subject, "body": first.body, "body_html": first.body_html}
        if first
        else {}
    )
    variant_form = VariantForm(request.POST or None, initial=initial)
    settings_form = StepSettingsForm(
        initial={
            "delay_days": step.delay_days,
            "business_days": step.business_days,
            "same_thread": step.same_thread,
        }
    )
    label = ""
    try:
        label = variant_next_label(step=step)
        if request.method == "POST" and variant_form.is_valid():
            variant = variant_add(step=step, label=label, **variant_form.cleaned_data)
            messages.success(request, f"Variant {variant.label} added: leads now split evenly.")
            return redirect(_step_url(step, variant))
    except DomainError as exc:
        _place_error(settings_form, variant_form, exc)
    return _editor(
        request,
        sequence,
        {
            "mode": "new_variant",
            "step": step,
            "variants": variants,
            "position": step.position,
            "settings_form": settings_form,
            "variant_form": variant_form,
            "label": label,
        },
    )


def _place_error(
    settings_form: StepSettingsForm, variant_form: VariantForm, exc: DomainError
) -> None:
    if set(exc.errors) & set(settings_form.fields):
        form_add_domain_error(settings_form, exc)
    else:
        form_add_domain_error(variant_form, exc)


@require_POST
@workspace_view
def step_preview(request: HttpRequest, sequence_id: int) -> HttpResponse:
    """The HTMX fragment of the editor: the exact email for the text as typed so far."""
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    data = request.POST
    position = data.get("position", "")
    step_id = data.get("step_id", "")
    lead = data.get("preview_enrollment", "")
    if (
        not position.isdigit()
        or (step_id and not step_id.isdigit())
        or (lead and not lead.isdigit())
    ):
        return HttpResponse("The preview needs a step position.", status=400)
    enrollment = (
        get_object_or_404(
            sequence.enrollments.select_related("lead__company", "mailbox__domain"), pk=int(lead)
        )
        if lead
        else None
    )
    draft = Draft(
        position=min(int(position), len(steps_of(sequence=sequence))),
        same_thread=data.get("same_thread") in {"on", "true", "1"},
        subject=data.get("subject", "")[:500],
        body=data.get("body", "")[:50_000],
        body_html=data.get("body_html", "")[:100_000],
        label=data.get("label", "A")[:10],
    )
    result = draft_preview(
        sequence=sequence,
        draft=draft,
        enrollment=enrollment,
        step_id=int(step_id) if step_id else None,
    )
    return render(request, "outreach/sequence_preview.html", {"result": result})


@require_POST
@workspace_view
def step_action(request: HttpRequest, sequence_id: int, step_id: int, action: str) -> HttpResponse:
    """Move a step up or down, or remove it."""
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    step = step_get(sequence=sequence, step_id=step_id)
    try:
        if action == "up":
            step_move(step=step, direction=-1)
        elif action == "down":
            step_move(step=step, direction=1)
        elif action == "remove":
            number = step.position + 1
            step_remove(step=step)
            messages.success(request, f"Step {number} removed.")
        else:
            messages.error(request, f"Unknown action “{action}”.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_sequence_url(sequence))


@require_POST
@workspace_view
def variant_delete(
    request: HttpRequest, sequence_id: int, step_id: int, variant_id: int
) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    sequence = sequence_get(workspace=workspace, sequence_id=sequence_id)
    step = step_get(sequence=sequence, step_id=step_id)
    variant = variant_get(step=step, variant_id=variant_id)
    try:
        variant_remove(variant=variant)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_step_url(step, variant))
    messages.success(request, f"Variant {variant.label} removed.")
    return redirect(_step_url(step))
