"""Money for people: integer minor units + ISO currency, shown with the right decimals.

The server renders a plain form (``€1,250.00``); the board's script re-renders amounts with the
browser's locale (Intl.NumberFormat) so a French user sees ``1 250,00 €``.
"""

from __future__ import annotations

from django.utils.formats import number_format

# ISO 4217 currencies without minor units (most have 2 decimals; these few have 0 or 3).
EXPONENTS = {
    "JPY": 0,
    "KRW": 0,
    "VND": 0,
    "CLP": 0,
    "ISK": 0,
    "XOF": 0,
    "XAF": 0,
    "HUF": 2,
    "BHD": 3,
    "KWD": 3,
    "OMR": 3,
    "JOD": 3,
    "TND": 3,
}
SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "CHF": "CHF ",
    "CAD": "CA$",
    "AUD": "A$",
}


def exponent(currency: str) -> int:
    return EXPONENTS.get(currency.upper(), 2)


def to_major(minor: int, currency: str) -> float:
    return minor / (10 ** exponent(currency))


def to_minor(amount: str, currency: str) -> int:
    """``"1,250.5"`` EUR → 125050. Raises ValueError on text that is not an amount."""
    cleaned = amount.replace(",", "").replace(" ", "").strip()
    if not cleaned:
        raise ValueError("empty")
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(amount) from None
    if value < 0:
        raise ValueError(amount)
    return int((value * (10 ** exponent(currency))).to_integral_value())


def format_money(minor: int, currency: str) -> str:
    digits = exponent(currency)
    amount = number_format(to_major(minor, currency), decimal_pos=digits, force_grouping=True)
    symbol = SYMBOLS.get(currency.upper())
    return f"{symbol}{amount}" if symbol else f"{amount} {currency.upper()}"
