"""Template filters of the pipelines pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from pipelines.money import exponent, format_money, to_major

register = template.Library()


@register.simple_tag
def money(minor: int | None, currency: str) -> str:
    """An amount the board script can re-render in the browser's locale."""
    minor = int(minor or 0)
    return format_html(
        '<span class="pl-money" data-minor-major="{}" data-currency="{}">{}</span>',
        to_major(minor, currency),
        currency,
        format_money(minor, currency),
    )


@register.filter
def duration_days(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    days = seconds / 86_400
    return f"{days:.1f} d" if days >= 1 else f"{seconds / 3600:.1f} h"


@register.filter
def major(minor: int | None, currency: str) -> str:
    """Minor units as a plain amount for an input: 125050, EUR → "1250.50"."""
    digits = exponent(currency)
    return f"{to_major(int(minor or 0), currency):.{digits}f}"
