"""What is sent to the model for a sequence's slots: the messages and the answer's shape."""

from __future__ import annotations

from typing import Any

from integrations.ai.sources import Source

PROMPT_VERSION = 1
LIMITS = {"subject": 60, "intro": 200, "ps": 200}  # characters; also checked on the answer

SYSTEM = (
    "You write the personal parts of a short cold email from {sender}. Write a subject "
    "(at most 60 characters), an intro line and a PS line (each at most 200 characters): "
    "informal, short and specific to this person. Use ONLY the numbered sources below; never "
    "invent a fact, number, name or event. Answer with JSON: subject, intro, ps, and "
    "source_ids (the numbers of the sources you used; at least one)."
)

ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "subject": {"type": "string"},
        "intro": {"type": "string"},
        "ps": {"type": "string"},
        "source_ids": {"type": "array", "items": {"type": "integer"}},
    },
    "required": ["subject", "intro", "ps", "source_ids"],
    "additionalProperties": False,
}


def slot_messages(*, sources: list[Source], sender: str) -> list[dict[str, str]]:
    """The exact messages of one call (the settings page shows them as they are)."""
    numbered = "\n".join(f"[{s.id}] {s.text}" for s in sources)
    return [
        {"role": "system", "content": SYSTEM.format(sender=sender or "the sender")},
        {"role": "user", "content": f"Sources:\n{numbered}"},
    ]


def response_format(*, structured: bool) -> dict[str, Any]:
    """Strict JSON schema when the server supports structured outputs, else JSON mode."""
    if structured:
        return {
            "type": "json_schema",
            "json_schema": {"name": "sequence_slots", "strict": True, "schema": ANSWER_SCHEMA},
        }
    return {"type": "json_object"}
