"""``{{ user|display_name }}``: a built-in filter (see TEMPLATES in settings), so every template
names people the same way."""

from __future__ import annotations

from typing import Any

from django import template

from crm.people import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user: Any) -> str:
    return _display_name(user)
