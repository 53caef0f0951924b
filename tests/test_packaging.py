"""A plain `pip install .` must carry the SQL files: queries/ is package data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_every_query_file(tmp_path):
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
    subprocess.run([*command, "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("vcar_insights-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {str(p.relative_to(ROOT)) for p in (ROOT / "queries").rglob("*.sql")}
    assert expected and expected <= names
    assert "dashboard/app.py" in names and "etl/cli.py" in names
    gazetteer = {str(p.relative_to(ROOT)) for p in (ROOT / "etl" / "inquiries" / "data").iterdir()}
    assert "etl/inquiries/data/places.tsv.gz" in gazetteer and gazetteer <= names  # the inquiry places, offline
    assert any(n.endswith("entry_points.txt") for n in names)
