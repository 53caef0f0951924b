"""docs/security.md maps each threat to its tests: every test it names must exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def defined_tests(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_test_named_in_the_threat_model_exists():
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = re.findall(r"`(tests/(?:\w+/)?test_\w+\.py)::(test_\w+)`", text)
    assert len(named) >= 30
    missing = [f"{file}::{test}" for file, test in named
               if not (ROOT / file).exists() or test not in defined_tests(ROOT / file)]
    assert missing == []


def test_every_security_test_module_is_in_the_threat_model():
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    for module in ("test_access", "test_crash", "test_fuzz", "test_hostile", "test_privacy", "test_dependencies"):
        assert re.search(rf"tests/\w+/{module}\.py::", text), module
