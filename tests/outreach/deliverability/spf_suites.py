"""Load the openspf-format SPF suites (multi-document YAML) into test cases and zones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .dns_server import Zone, normalize


@dataclass(frozen=True)
class SpfCase:
    id: str
    scenario: str
    helo: str
    host: str
    mailfrom: str
    results: tuple[str, ...]
    explanation: str | None
    zone: Zone


def _zone(zonedata: dict) -> Zone:
    """Translate suite zonedata: SPF entries are served as TXT unless the name has its own
    TXT entries (``TXT: NONE`` suppresses that); ``TIMEOUT`` makes the name not answer."""
    zone: Zone = {}
    for name, entries in (zonedata or {}).items():
        served: list[tuple[str, object]] = []
        has_txt = any(isinstance(e, dict) and "TXT" in e for e in entries)
        for entry in entries:
            if isinstance(entry, str):
                served.append((entry, None))  # TIMEOUT / SERVFAIL
                continue
            ((rtype, value),) = entry.items()
            if value == "NONE":
                continue
            if rtype == "SPF":
                served.append(("SPF", value))
                if not has_txt:
                    served.append(("TXT", value))
            else:
                served.append((rtype, value))
        zone[normalize(str(name))] = served
    return zone


def load_suite(path: Path) -> list[SpfCase]:
    cases = []
    with path.open(encoding="utf-8") as handle:
        for document in yaml.safe_load_all(handle):
            if not document:
                continue
            zone = _zone(document.get("zonedata"))
            for test_id, test in document["tests"].items():
                results = test["result"]
                cases.append(
                    SpfCase(
                        id=test_id,
                        scenario=str(
                            document.get("description") or document.get("comment", "")
                        ).strip(),
                        helo=str(test.get("helo", "")),
                        host=str(test["host"]),
                        mailfrom=str(test.get("mailfrom", "")),
                        results=tuple(results) if isinstance(results, list) else (results,),
                        explanation=test.get("explanation"),
                        zone=zone,
                    )
                )
    return cases
