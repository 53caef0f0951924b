"""The layout is the architecture: dependencies point one way (dashboard -> etl -> queries), each sub-package of
etl/ says what it owns, and the subsystems that others build on do not reach back into them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def imports_under(folder: str) -> dict[str, set[str]]:
    return {str(p.relative_to(ROOT)): imported(p) for p in sorted((ROOT / folder).rglob("*.py"))}


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [("etl", "dashboard"), ("queries", "etl"), ("queries", "dashboard"), ("etl/compliance", "etl.logs"),
     ("etl/compliance", "etl.inquiries"), ("etl/compliance", "etl.sample"), ("etl/logs", "etl.inquiries"),
     ("etl/logs", "etl.sample"), ("etl/inquiries", "etl.logs"), ("etl/inquiries", "etl.sample")],
)  # fmt: skip
def test_dependencies_point_one_way(folder, forbidden):
    wrong = {file: sorted(m for m in modules if m == forbidden or m.startswith(forbidden + "."))
             for file, modules in imports_under(folder).items()}  # fmt: skip
    assert {file: mods for file, mods in wrong.items() if mods} == {}


def test_the_rule_sees_a_forbidden_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from dashboard import loaders\n")
    assert "dashboard" in imported(probe)


def test_every_package_says_what_it_owns():
    packages = [p for p in (ROOT / "etl").rglob("__init__.py")] + [ROOT / "queries" / "__init__.py"]
    assert [str(p) for p in packages if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))] == []
