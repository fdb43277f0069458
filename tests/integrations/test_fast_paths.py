"""The import's shortcuts give exactly what the general code gives (they exist only for speed)."""

from __future__ import annotations

import random

import pytest

from crm.normalize import InvalidValue, normalize_linkedin_url
from integrations.imports.rows import RowCleaner, linkedin_normalized


def _either(function, raw: str) -> str | None:  # type: ignore[no-untyped-def]
    try:
        return function(raw)
    except InvalidValue:
        return "refused"


@pytest.mark.parametrize(
    "raw",
    [
        "https://www.linkedin.com/in/jane-doe/",
        "linkedin.com/in/Søren-Nørgaard",
        "http://uk.linkedin.com/in/ZOË_x",
        "https://www.linkedin.com/in/٣٤٥",
        # Lower-casing "İ" adds a combining dot, which the general rule refuses.
        "https://www.linkedin.com/in/İstanbul-ng",
        "https://www.linkedin.com/in/a%20b/",
        "www.linkedin.com/in/x.y",
    ],
)
def test_the_linkedin_shortcut_agrees_with_the_general_rule(raw):
    assert _either(linkedin_normalized, raw) == _either(normalize_linkedin_url, raw)


def test_the_linkedin_shortcut_agrees_on_random_slugs():
    rng = random.Random(7)
    alphabet = "abcXYZ019_-øÖİßΣςﬁ\u0301٣.%~ "
    prefixes = ["https://www.linkedin.com/in/", "linkedin.com/in/", "http://m.linkedin.com/in/"]
    for _ in range(5000):
        slug = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        raw = rng.choice(prefixes) + slug + rng.choice(["", "/"])
        assert _either(linkedin_normalized, raw) == _either(normalize_linkedin_url, raw), raw


@pytest.mark.parametrize(
    ("cells", "blank"),
    [([""] * 3, True), (["  ", "\t", "\u3000"], True), (["", " x "], False), ([], True)],
)
def test_a_row_of_whitespace_is_blank(cells, blank):
    cleaner = RowCleaner(
        headers=["Email", "Name", "X"], mapping=["email", "", ""], custom_fields={}
    )
    assert (cleaner.clean(2, cells) is None) is blank
