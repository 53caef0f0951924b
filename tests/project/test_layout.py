"""The layout is the architecture: packages stand on floors (core at the bottom, the CLI and the dashboard at the
top), every import points down, each package says what it owns, and the pipelines beside each other stay apart."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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


# The floors of the house, lowest first: a package imports only packages on lower floors (and its own modules).
# Packages on one floor stay apart; so do the two ingest pipelines.
FLOORS: list[tuple[str, ...]] = [
    ("queries",),
    ("etl.core",),
    ("etl.access",),
    ("etl.compliance",),
    ("etl.ingest", "etl.admin"),
    ("etl.geoip", "etl.sample"),
    ("etl.reporting",),
    ("etl.cli",),
    ("dashboard",),
]
APART = [("etl.ingest.logs", "etl.ingest.inquiries")]
FLOOR_OF = {package: n for n, floor in enumerate(FLOORS) for package in floor}


def package_of(module: str) -> str | None:
    """The package of FLOORS a dotted module name belongs to (the longest that matches), if any."""
    found = [p for p in FLOOR_OF if module == p or module.startswith(p + ".")]
    return max(found, key=len) if found else None


def wrong_way(root: Path) -> list[str]:
    """Every import of a package on the same or a higher floor, and between packages kept apart."""
    found = []
    for path in sorted(p for top in ("etl", "dashboard", "queries") for p in (root / top).rglob("*.py")):
        name = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        here = package_of(name)
        for module in sorted(imported(path)):
            there = package_of(module)
            apart = any(name.startswith(a + ".") and (module == b or module.startswith(b + "."))
                        for pair in APART for a, b in (pair, pair[::-1]))
            up = here is not None and there is not None and there != here and FLOOR_OF[there] >= FLOOR_OF[here]
            if apart or up:
                found.append(f"{path.relative_to(root)} imports {module}")
    return found


def test_dependencies_point_down_the_floors():
    assert wrong_way(ROOT) == []


def test_the_floors_see_an_import_that_runs_back_up(tmp_path):
    probes = {
        "etl/core": "from etl.reporting import charts\n",
        "etl/ingest/logs": "import etl.ingest.inquiries\n",
        "etl/geoip": "from etl.sample import networks\n",
    }
    for top, body in probes.items():
        (tmp_path / top).mkdir(parents=True, exist_ok=True)
        (tmp_path / top / "probe.py").write_text(body)
    (tmp_path / "dashboard").mkdir()
    (tmp_path / "dashboard" / "page.py").write_text("from etl.reporting import charts\n")  # down: fine
    assert wrong_way(tmp_path) == [
        "etl/core/probe.py imports etl.reporting",
        "etl/core/probe.py imports etl.reporting.charts",
        "etl/geoip/probe.py imports etl.sample",
        "etl/geoip/probe.py imports etl.sample.networks",
        "etl/ingest/logs/probe.py imports etl.ingest.inquiries",
    ]


def test_every_package_sits_on_a_floor():
    packages = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "etl").glob("*/__init__.py")}
    assert {p for p in packages if package_of(p) is None} == set()


def test_benchmarks_and_scripts_import_nothing_from_the_tests():
    found = {str(p.relative_to(ROOT)): sorted(m for m in imported(p) if m == "tests" or m.startswith("tests."))
             for top in ("benchmarks", "scripts") for p in (ROOT / top).rglob("*.py")}
    assert {file: mods for file, mods in found.items() if mods} == {}


def test_the_rule_sees_a_forbidden_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from dashboard import loaders\n")
    assert "dashboard" in imported(probe)


def test_every_package_says_what_it_owns():
    packages = [p for p in (ROOT / "etl").rglob("__init__.py")] + [ROOT / "queries" / "__init__.py"]
    assert [str(p) for p in packages if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))] == []


def module_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of this tree it imports (``from pkg import mod`` counts as importing ``pkg.mod``)."""
    paths = {".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): p
             for top in ("etl", "dashboard") for p in (root / top).rglob("*.py")}
    return {name: {m for m in imported(path) if m in paths and m != name} for name, path in paths.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other, round and round (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_one_that_imports_it_back():
    assert circles(module_graph(ROOT)) == []


def test_a_circle_is_seen(tmp_path):
    (tmp_path / "etl" / "core").mkdir(parents=True)
    (tmp_path / "dashboard").mkdir()
    (tmp_path / "etl" / "core" / "a.py").write_text("from etl.core import b\n")
    (tmp_path / "etl" / "core" / "b.py").write_text("def f():\n    from etl.core.a import x\n")
    assert circles(module_graph(tmp_path)) == [["etl.core.a", "etl.core.b"]]


SLOW_CALLS = {"vcar", "app_as", "run_page", "open_page", "browser_page", "Popen", "from_file", "run_job"}


def _marks(decorators: list[ast.expr]) -> set[str]:
    """The pytest marks named in a list of decorators (``@pytest.mark.slow``) or a ``pytestmark`` value."""
    names = set()
    for node in decorators:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Attribute) and sub.value.attr == "mark":
                names.add(sub.attr)
    return names


def unmarked_slow_tests(folder: Path) -> list[str]:
    """Tests that start a process, a page or a browser (SLOW_CALLS, subprocess.run) but are marked neither slow nor
    browser, so make test-fast would run them."""
    found = []
    for path in sorted(folder.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = set()
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in node.targets):
                module |= _marks([node.value])
        for node in tree.body:
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
                continue
            calls = {c.func.attr if isinstance(c.func, ast.Attribute) else getattr(c.func, "id", "")
                     for c in ast.walk(node) if isinstance(c, ast.Call)}
            subprocess_run = any(isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute)
                                 and c.func.attr == "run" and getattr(c.func.value, "id", "") == "subprocess"
                                 for c in ast.walk(node))
            marked = (module | _marks(node.decorator_list)) & {"slow", "browser"}
            if (calls & SLOW_CALLS or subprocess_run) and not marked:
                found.append(f"{path.name}::{node.name}")
    return found


def test_every_test_that_starts_a_process_or_a_page_is_marked_slow():
    assert unmarked_slow_tests(ROOT / "tests") == []


def test_the_slow_check_sees_an_unmarked_process(tmp_path):
    (tmp_path / "test_probe.py").write_text(
        "import pytest, subprocess\n\ndef test_a():\n    subprocess.run(['true'])\n\n"
        "@pytest.mark.slow\ndef test_b():\n    vcar('--help')\n\ndef test_c():\n    assert 1\n"
    )
    assert unmarked_slow_tests(tmp_path) == ["test_probe.py::test_a"]
