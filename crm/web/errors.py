"""Service refusals (crm.errors.DomainError) shown where the user can act on them."""

from __future__ import annotations

from django import forms

from crm.errors import DomainError

# Services name references by their id column; the forms name the field the user sees.
SERVICE_TO_FORM_FIELD = {
    "owner_id": "owner",
    "company_id": "company_name",
    "assignee_id": "assignee",
    "lead_ids": None,
}


def form_add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Put each field's messages next to the field, anything else above the form."""
    placed_inline = False
    for key, messages in exc.errors.items():
        name: str | None = SERVICE_TO_FORM_FIELD.get(key, key)
        if name and name.startswith("custom_fields."):
            name = "cf_" + name.split(".", 1)[1]
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
        placed_inline = placed_inline or target is not None
    if not exc.errors or (not placed_inline and exc.message not in form.non_field_errors()):
        form.add_error(None, exc.message)
