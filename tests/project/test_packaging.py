"""A plain `pip install .` must carry the SQL files: queries/ is package data."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_ships_every_query_file(tmp_path):
    """Built from a copy in a temporary folder: setuptools writes build/ and *.egg-info beside the sources."""
    source = tmp_path / "src"
    skip = shutil.ignore_patterns(".venv", ".git", "build", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis")

    def ignore(folder: str, names: list[str]) -> set[str]:  # the top-level data/ holds warehouses, not code
        return set(skip(folder, names)) | ({"data"} if Path(folder) == ROOT else set())

    shutil.copytree(ROOT, source, ignore=ignore)
    before = sorted(p.name for p in ROOT.iterdir())
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    subprocess.run([*command, "-w", str(tmp_path), str(source)], check=True, capture_output=True)
    assert sorted(p.name for p in ROOT.iterdir()) == before
    wheel = next(tmp_path.glob("vcar_insights-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {str(p.relative_to(ROOT)) for p in (ROOT / "queries").rglob("*.sql")}
    assert expected and expected <= names
    assert "dashboard/app.py" in names and "etl/cli/__init__.py" in names and "etl/ingest/logs/transform.py" in names
    gazetteer = {str(p.relative_to(ROOT)) for p in (ROOT / "etl" / "core" / "data").iterdir()}
    assert "etl/core/data/places.tsv.gz" in gazetteer and gazetteer <= names  # the inquiry places, offline
    assert any(n.endswith("entry_points.txt") for n in names)
