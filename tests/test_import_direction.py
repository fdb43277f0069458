"""Dependencies point one way: crm <- pipelines <- outreach <- integrations.

Each app imports only the apps to its left; the project's composition root inside crm may import
every app. Read from the source (every import statement, also inside functions), so an import
"moved into a function to avoid a cycle" is caught too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = {"crm": 0, "pipelines": 1, "outreach": 2, "integrations": 3}
COMPOSITION_ROOT = {
    "crm/settings.py",
    "crm/urls.py",
    "crm/api/routers.py",
    "crm/celery.py",
    "crm/wsgi.py",
    "crm/asgi.py",
    "crm/demo.py",
}


def imported_modules(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def violations(app: str, path: Path, source: str) -> list[str]:
    relative = path.relative_to(ROOT).as_posix()
    if relative in COMPOSITION_ROOT:
        return []
    bad = []
    for line, module in imported_modules(source):
        top = module.split(".")[0]
        if top in ORDER and ORDER[top] > ORDER[app]:
            bad.append(f"{relative}:{line} imports {module}")
    return bad


def modules_of(app: str) -> list[Path]:
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize("app", list(ORDER))
def test_each_app_imports_only_the_apps_to_its_left(app):
    bad = [v for p in modules_of(app) for v in violations(app, p, p.read_text())]
    assert bad == [], "imports against crm <- pipelines <- outreach <- integrations:\n" + "\n".join(
        bad
    )


def test_the_check_catches_an_import_inside_a_function():
    source = "def f():\n    from outreach.models import Mailbox\n"
    assert violations("crm", ROOT / "crm/services/leads.py", source) == [
        "crm/services/leads.py:2 imports outreach.models"
    ]
    assert violations("integrations", ROOT / "integrations/x.py", source) == []


def test_the_composition_root_may_import_every_app():
    source = "import integrations.api\n"
    assert violations("crm", ROOT / "crm/api/routers.py", source) == []
    assert violations("crm", ROOT / "crm/web/views/leads.py", source) != []
