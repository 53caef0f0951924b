"""The benchmark scripts fill warehouses by hand: they must follow the migrations (they run only in make bench)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import duckdb

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_the_dashboard_benchmark_fills_the_current_schema(settings_env):
    load("dashboard_pages").build(settings_env.warehouse, 2)
    with duckdb.connect(str(settings_env.warehouse), read_only=True) as con:
        counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("inquiries", "rights_requests")]
    assert counts == [100, 600]
