"""Dependency hygiene: the installed set is exactly the locked set, and the audit judges pins as it says."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from scripts.audit_deps import judge, read_lock

ROOT = Path(__file__).resolve().parents[2]
NOT_LOCKED = {"vcar-insights", "pip", "setuptools", "wheel"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_what_is_installed_is_exactly_what_is_locked():
    locked = {canonical(name): version for name, version in read_lock(ROOT / "requirements.lock")}
    installed = {canonical(d.metadata["Name"]): d.version for d in metadata.distributions()}
    installed = {name: version for name, version in installed.items() if name not in NOT_LOCKED}
    assert installed == locked


def test_every_declared_dependency_is_locked():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    names = {canonical(re.match(r"[A-Za-z0-9._-]+", r).group(0)) for r in declared} - NOT_LOCKED
    locked = {canonical(name) for name, _ in read_lock(ROOT / "requirements.lock")}
    assert names <= locked


def test_a_pin_at_the_latest_release_is_judged_by_its_listed_vulnerabilities():
    document = {
        "info": {"version": "2.0"},
        "vulnerabilities": [
            {"id": "PYSEC-1", "fixed_in": ["2.1"], "withdrawn": None},
            {"id": "GHSA-old", "fixed_in": [], "withdrawn": "2024-01-01"},
        ],
    }
    assert judge("lib", "2.0", document).vulnerabilities == ["PYSEC-1 (fixed in 2.1)"]
    assert judge("lib", "2.0", {"info": {"version": "2.0"}, "vulnerabilities": []}).vulnerabilities == []


def test_a_pin_behind_the_latest_is_not_called_clean():
    verdict = judge("lib", "1.9", {"info": {"version": "2.0"}, "vulnerabilities": []})
    assert verdict.unaudited and not verdict.vulnerabilities


def test_a_lock_line_that_is_not_an_exact_pin_is_refused_with_its_place(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("# comment\nduckdb==2.0.1\npolars>=2.1\n")
    with pytest.raises(SystemExit, match=r"requirements.lock:3: not an exact pin"):
        read_lock(lock)
