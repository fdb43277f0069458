"""Formula neutralization (CSV injection), in Python and in SQL, from one list of characters.

A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is prefixed with ``'`` so
a spreadsheet shows it as text instead of running it as a formula: a lead's "title" can be
written by anyone. The PostgreSQL export applies the rule in SQL; both versions live here so
they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt

RISKY_START = ("=", "+", "-", "@", "\t", "\r")
RISKY_FIRST = frozenset(RISKY_START)


def neutralize(value: object) -> str:
    """The cell as text, defused if a spreadsheet would take it for a formula."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, dt.datetime):
        text = value.isoformat(timespec="seconds")
    else:
        text = str(value)
    if text.startswith(RISKY_START):
        return "'" + text
    return text


def _sql_char(char: str) -> str:
    # Tab and carriage return as chr(): a literal one inside the statement would be invisible.
    return f"'{char}'" if char.isprintable() else f"chr({ord(char)})"


_RISKY_SQL = ", ".join(_sql_char(c) for c in RISKY_START)


def neutralize_sql(text: str) -> str:
    """SQL for ``neutralize`` of a text expression (NULL stays NULL)."""
    return f"CASE WHEN left({text}, 1) IN ({_RISKY_SQL}) THEN '''' || {text} ELSE {text} END"
