"""The one template language of sequences: variables, fallbacks and spintax. Nothing executes.

    {{first_name}}           a variable
    {{first_name|there}}     a fallback when the lead has no first name
    {Hi|Hello|Hey}           spintax: one option, chosen deterministically per enrollment and step

A template is parsed once into literal text, variables and choices; lead data is only ever
inserted as text after parsing, so a value like ``{{slot1}}`` or ``{a|b}`` in a lead's name
stays literally that and can neither run code nor reach other data.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_VAR_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)?$")


class TemplateError(ValueError):
    """The template itself is malformed (an unclosed ``{{``, an empty variable name …)."""


@dataclass(frozen=True)
class Var:
    name: str
    fallback: str | None


@dataclass(frozen=True)
class Choice:
    options: tuple[tuple, ...]  # each option is a tuple of nodes


Node = str | Var | Choice


def parse(template: str) -> tuple[Node, ...]:
    nodes, _ = _parse(template, 0, inside_choice=False)
    return nodes


def _parse(text: str, i: int, *, inside_choice: bool) -> tuple[tuple[Node, ...], int]:
    nodes: list[Node] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            nodes.append("".join(buf))
            buf.clear()

    while i < len(text):
        if text.startswith("{{", i):
            close = text.find("}}", i + 2)
            if close < 0:
                raise TemplateError(f"Unclosed '{{{{' at character {i + 1}.")
            flush()
            nodes.append(_variable(text[i + 2 : close]))
            i = close + 2
        elif text[i] == "{" and _has_choice(text, i):
            flush()
            choice, i = _parse_choice(text, i + 1)
            nodes.append(choice)
        elif inside_choice and text[i] in "|}":
            break
        else:
            buf.append(text[i])
            i += 1
    flush()
    return tuple(nodes), i


def _has_choice(text: str, i: int) -> bool:
    # "{" starts spintax only when its matching "}" follows with a "|" at its own level; a lone
    # brace (a code sample, an emoticon) stays text.
    depth, j, bar = 0, i, False
    while j < len(text):
        if j != i and text.startswith("{{", j):
            close = text.find("}}", j + 2)
            if close < 0:
                return False
            j = close + 2
            continue
        c = text[j]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return bar
        elif c == "|" and depth == 1:
            bar = True
        j += 1
    return False


def _parse_choice(text: str, i: int) -> tuple[Choice, int]:
    options: list[tuple[Node, ...]] = []
    while True:
        option, i = _parse(text, i, inside_choice=True)
        options.append(option)
        if i >= len(text):
            raise TemplateError("Unclosed '{' in spintax.")
        if text[i] == "}":
            return Choice(tuple(options)), i + 1
        i += 1  # past "|"


def _variable(inner: str) -> Var:
    name, sep, fallback = inner.partition("|")
    name = name.strip().lower()
    if not _VAR_NAME.match(name):
        raise TemplateError(f"'{{{{{inner}}}}}' is not a variable name.")
    return Var(name, fallback.strip() if sep else None)


def variables_of(nodes: tuple[Node, ...]) -> list[Var]:
    found: list[Var] = []
    for node in nodes:
        if isinstance(node, Var):
            found.append(node)
        elif isinstance(node, Choice):
            for option in node.options:
                found.extend(variables_of(option))
    return found


class MissingValue(ValueError):
    def __init__(self, names: list[str]):
        super().__init__(f"No value for {', '.join(sorted(set(names)))} and no fallback.")
        self.names = sorted(set(names))


def render(nodes: tuple[Node, ...], values: dict[str, str], *, seed: str, escape=None) -> str:
    """The text for these values. ``seed`` fixes every spintax choice; ``escape`` (HTML) applies
    to inserted values only, never to the template's own text."""
    rng = random.Random(seed)
    missing: list[str] = []
    out = _render(nodes, values, rng, escape, missing)
    if missing:
        raise MissingValue(missing)
    return out


def _render(nodes, values, rng, escape, missing) -> str:  # type: ignore[no-untyped-def]
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node, Var):
            value = (values.get(node.name) or "").strip()
            if not value:
                if node.fallback is None:
                    missing.append(node.name)
                value = node.fallback or ""
            parts.append(escape(value) if escape else value)
        else:
            option = node.options[rng.randrange(len(node.options))]
            parts.append(_render(option, values, rng, escape, missing))
    return "".join(parts)
