"""Judging the model's answer: well-formed, within limits, and citing only given sources.

JSON mode (no schema on the server) gets the same checks as structured output, so the two
paths cannot differ in what they accept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from integrations.ai.client import Answer
from integrations.ai.prompts import LIMITS


class Ungrounded(Exception):
    """The answer may not be offered; the message says why (shown on the draft)."""


@dataclass(frozen=True)
class SlotTexts:
    subject: str
    intro: str
    ps: str
    source_ids: list[int]


def slot_texts(answer: Answer, *, given: set[int]) -> SlotTexts:
    """The answer's texts, or Ungrounded with the reason."""
    if answer.refusal:
        raise Ungrounded(f"The model refused: {answer.refusal[:200]}")
    if answer.finish_reason in ("length", "content_filter"):
        raise Ungrounded(f"The answer was cut short ({answer.finish_reason}).")
    try:
        data = json.loads(answer.content)
    except ValueError:
        raise Ungrounded("The answer was not valid JSON.") from None
    if not isinstance(data, dict):
        raise Ungrounded("The answer was not a JSON object.")
    texts: dict[str, str] = {}
    for field, limit in LIMITS.items():
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            raise Ungrounded(f"The {field} is missing or empty.")
        if len(value.strip()) > limit:
            raise Ungrounded(f"The {field} is longer than {limit} characters.")
        texts[field] = value.strip()
    ids = data.get("source_ids")
    if not isinstance(ids, list) or not all(type(i) is int for i in ids):
        raise Ungrounded("The answer does not list the sources it used.")
    if not ids:
        raise Ungrounded("The answer cites no source.")
    unknown = sorted(set(ids) - given)
    if unknown:
        raise Ungrounded(f"The answer cites sources that were not given: {unknown}.")
    return SlotTexts(texts["subject"], texts["intro"], texts["ps"], sorted(set(ids)))
