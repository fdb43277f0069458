from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from crm.errors import Conflict, ValidationFailed
from crm.models import CustomFieldDefinition, CustomFieldType, Workspace

_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


def custom_field_define(
    *,
    workspace: Workspace,
    key: str,
    label: str,
    field_type: str = CustomFieldType.TEXT,
    entity: str = "lead",
    choices: list[str] | None = None,
) -> CustomFieldDefinition:
    """Define a workspace's own field on leads or companies."""
    errors: dict[str, list[str]] = {}
    if not _KEY_RE.match(key):
        errors["key"] = ["Use lower-case letters, digits and underscores, starting with a letter."]
    if field_type not in CustomFieldType.values:
        errors["field_type"] = [f"Must be one of {', '.join(CustomFieldType.values)}."]
    clean_choices = [c.strip() for c in (choices or []) if c.strip()]
    if field_type == CustomFieldType.CHOICE and not clean_choices:
        errors["choices"] = ["A choice field needs at least one choice."]
    if entity not in {"lead", "company"}:
        errors["entity"] = ["Must be lead or company."]
    if errors:
        raise ValidationFailed("Invalid custom field.", errors=errors)
    try:
        with transaction.atomic():
            return CustomFieldDefinition.objects.create(
                workspace=workspace,
                entity=entity,
                key=key,
                label=label.strip() or key,
                field_type=field_type,
                choices=clean_choices,
            )
    except IntegrityError:
        raise Conflict(f"A custom field '{key}' already exists.") from None


def custom_value_clean(definition: CustomFieldDefinition, raw: Any) -> Any:
    """One value converted to its stored JSON form; ValueError with a user message when invalid."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = definition.field_type
    if kind == CustomFieldType.TEXT:
        text = str(raw).strip()
        if len(text) > 2000:
            raise ValueError("is longer than 2,000 characters")
        return text
    if kind == CustomFieldType.NUMBER:
        if isinstance(raw, bool):
            raise ValueError("must be a number")
        try:
            number = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"'{raw}' is not a number") from None
        if not number.is_finite():
            raise ValueError(f"'{raw}' is not a number")
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == CustomFieldType.DATE:
        if isinstance(raw, dt.date):
            return raw.isoformat()
        try:
            return dt.date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            raise ValueError(f"'{raw}' is not a date (use YYYY-MM-DD)") from None
    if kind == CustomFieldType.CHOICE:
        value = str(raw).strip()
        by_lower = {c.lower(): c for c in definition.choices}
        if value.lower() not in by_lower:
            raise ValueError(f"'{value}' is not one of: {', '.join(definition.choices)}")
        return by_lower[value.lower()]
    raise ValueError("has an unknown type")


def custom_values_clean(
    *, workspace: Workspace, entity: str, values: dict[str, Any], partial_of: dict | None = None
) -> dict[str, Any]:
    """Validate custom field values against the workspace's definitions.

    Unknown keys and bad values raise ValidationFailed with one message per field
    (``custom_fields.<key>``). ``partial_of`` is the current dict, to merge into on update;
    a None value removes the key.
    """
    definitions = {
        d.key: d for d in CustomFieldDefinition.objects.filter(workspace=workspace, entity=entity)
    }
    result = dict(partial_of or {})
    errors: dict[str, list[str]] = {}
    for key, raw in values.items():
        definition = definitions.get(key)
        if definition is None:
            errors[f"custom_fields.{key}"] = [f"Unknown custom field '{key}'."]
            continue
        try:
            value = custom_value_clean(definition, raw)
        except ValueError as exc:
            errors[f"custom_fields.{key}"] = [f"{definition.label} {exc}."]
            continue
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    if errors:
        raise ValidationFailed("Invalid custom field values.", errors=errors)
    return result
