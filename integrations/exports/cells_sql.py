"""PostgreSQL expressions that turn a lead's stored values into the text the Python export writes.

Each function mirrors one branch of ``formulas.neutralize`` / ``leads_csv.leads_csv_rows`` for a
column read from the database; tests/integrations/test_export_copy.py compares both paths cell by
cell. Everything returns text or NULL (NULL and "" are written alike).
"""

from __future__ import annotations

from crm.models import LeadList, LeadTag, ListMembership, Tag


def literal(text: str) -> str:
    """A SQL string literal (custom field keys are slugs, but quoting must not depend on it).

    ``%`` is doubled: the statements go through psycopg's client-side parameter merging.
    """
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def yes_no(column: str) -> str:
    return f"CASE WHEN {column} THEN 'yes' WHEN NOT {column} THEN 'no' END"


def iso_seconds(column: str) -> str:
    """``datetime.isoformat(timespec="seconds")`` of the UTC value Django reads (truncated)."""
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""


def _python_float(value: str) -> str:
    """``str(float)`` of a JSON number that has a fraction or exponent.

    PostgreSQL's float8 output gives the same shortest round-trip digits as Python's repr, and
    the same "1e+16" / "1.5e-05" exponent style, but switches to exponents one decade earlier
    (1e15, where Python writes 1000000000000000.0) and omits Python's ".0" on whole numbers.
    """
    shortest = f"({value})::float8::text"
    fixed = f"{shortest}::numeric::text"
    return (
        f"CASE WHEN right({shortest}, 4) = 'e+15' THEN "
        f"{fixed} || CASE WHEN strpos({fixed}, '.') = 0 THEN '.0' ELSE '' END "
        f"WHEN strpos({shortest}, '.') = 0 AND strpos({shortest}, 'e') = 0 "
        f"THEN {shortest} || '.0' ELSE {shortest} END"
    )


def json_value(column: str, key: str) -> str:
    """The text Python gives one key of a JSON object column: strings as they are, booleans as
    yes/no, numbers as ``str(int)`` or ``str(float)``, missing and null as NULL.

    Values ``json_is_plain`` rejects (arrays, objects, extreme numbers) are not rendered right:
    an export holding any of them takes the Python path.
    """
    value = f"({column} -> {literal(key)})"
    number = f"{value}::numeric::text"
    return (
        f"CASE jsonb_typeof({value}) "
        f"WHEN 'string' THEN {column} ->> {literal(key)} "
        f"WHEN 'boolean' THEN {yes_no(f'{value}::boolean')} "
        f"WHEN 'number' THEN CASE WHEN strpos({number}, '.') = 0 THEN {number} "
        f"ELSE {_python_float(value)} END END"
    )


def json_is_plain(column: str, key: str) -> str:
    """SQL that is true when ``json_value`` renders this row's value as Python would.

    Both paths read jsonb's own text of a number (1e16 is stored, and read back by Django, as
    10000000000000000), so most numbers agree. Not handled here, left to the Python path:
    arrays, objects, a column that is not an object, fractions PostgreSQL cannot turn into a
    float8 (Python makes them inf or 0.0) and integers too long for Python's int().
    """
    value = f"({column} -> {literal(key)})"
    magnitude = f"abs({value}::numeric)"
    return (
        f"({column} IS NULL OR jsonb_typeof({column}) = 'object') AND "
        f"CASE jsonb_typeof({value}) WHEN 'array' THEN false WHEN 'object' THEN false "
        f"WHEN 'number' THEN CASE WHEN strpos({value}::numeric::text, '.') = 0 "
        f"THEN length({value}::numeric::text) <= 4300 "
        f"ELSE {magnitude} < 1e300 AND ({magnitude} = 0 OR {magnitude} >= 1e-300) END "
        f"ELSE true END"
    )


def names_joined(kind: str, lead_id: str) -> str:
    """Tag or list names of the lead, ", "-joined in the order they were added (link row id)."""
    link, named = (LeadTag, Tag) if kind == "tags" else (ListMembership, LeadList)
    named_fk = "tag_id" if kind == "tags" else "lead_list_id"
    return (
        f'(SELECT string_agg(n."name", \', \' ORDER BY l."id") '
        f'FROM "{link._meta.db_table}" l JOIN "{named._meta.db_table}" n '
        f'ON n."id" = l."{named_fk}" WHERE l."lead_id" = {lead_id})'
    )
