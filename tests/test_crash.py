"""A run killed at any point leaves the warehouse as it was before the file it was loading; the next run
completes the work and nothing is counted twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from etl.generate import generate
from tests.conftest import START


def consistent(warehouse: Path) -> tuple[int, int]:
    """Check the invariants of a warehouse at rest; return (events, lines the manifest says are done)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        events, rejects = one("SELECT count(*) FROM events"), one("SELECT count(*) FROM log_rejects")
        done = one("SELECT coalesce(sum(lines_done), 0) FROM log_files")
        assert events + rejects == done  # every line the manifest counts is loaded or rejected, once
        per_file = con.execute(
            "SELECT f.file_key, f.lines_done, (SELECT count(*) FROM events e WHERE e.file_key = f.file_key) "
            "+ (SELECT count(*) FROM log_rejects r WHERE r.file_key = f.file_key) FROM log_files f"
        ).fetchall()
        assert all(lines == rows for _, lines, rows in per_file)
        pageviews = one("SELECT count(*) FROM events WHERE is_pageview")
        assert one("SELECT coalesce(sum(pageviews), 0) FROM agg_daily") == pageviews  # aggregates match events
        assert one("SELECT coalesce(sum(pageviews), 0) FROM visits") == pageviews
    return events, done


def test_kill_at_any_point_then_rerun_completes_exactly_once(tmp_path, mmdb):
    data = tmp_path / "data"
    generate(data, days=4, start=START, seed=7, visitors_per_day=400)
    env = os.environ | {
        "VCAR_WAREHOUSE": str(tmp_path / "w" / "warehouse.duckdb"),
        "VCAR_SECRETS_DIR": str(tmp_path / "secrets"),
        "VCAR_GEOIP_DB": str(mmdb),
        "VCAR_BATCH_LINES": "2000",
    }
    cmd = [sys.executable, "-m", "etl.cli", "ingest", "logs", str(data / "logs")]
    reference = tmp_path / "ref"
    ref_env = env | {"VCAR_WAREHOUSE": str(reference / "warehouse.duckdb"), "VCAR_SECRETS_DIR": str(reference / "s")}
    t0 = time.monotonic()
    subprocess.run(cmd, env=ref_env, check=True, capture_output=True)
    full_run = time.monotonic() - t0
    expected, expected_done = consistent(reference / "warehouse.duckdb")

    warehouse = Path(env["VCAR_WAREHOUSE"])
    killed_states = set()
    for fraction in (0.15, 0.3, 0.45, 0.6, 0.7, 0.8, 0.9):
        child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(full_run * fraction)
        child.send_signal(signal.SIGKILL)
        child.wait()
        if warehouse.exists():
            killed_states.add(consistent(warehouse)[1])
    assert len(killed_states) >= 2, "the kills should land in different places"
    finished = subprocess.run(cmd + ["--json"], env=env, check=True, capture_output=True, text=True)
    assert consistent(warehouse) == (expected, expected_done)
    assert not list(warehouse.parent.glob(".vcar-stage-*")), "staging left by killed runs is cleaned up"
    assert '"lines_read"' in finished.stdout
    again = subprocess.run(cmd + ["--json"], env=env, check=True, capture_output=True, text=True)
    assert '"lines_loaded": 0' in again.stdout


def test_readers_during_a_load_see_whole_days_and_never_fail(tmp_path, mmdb):
    """A reader loops over the warehouse while an ingest writes: every read succeeds (waiting for the lock when
    needed) and sees aggregates that match the events, never a half-loaded file."""
    from etl import warehouse

    data = tmp_path / "data"
    generate(data, days=6, start=START, seed=11, visitors_per_day=500)
    db = tmp_path / "w" / "warehouse.duckdb"
    env = os.environ | {"VCAR_WAREHOUSE": str(db), "VCAR_SECRETS_DIR": str(tmp_path / "s"),
                        "VCAR_GEOIP_DB": str(mmdb), "VCAR_BATCH_LINES": "2000"}  # fmt: skip
    with warehouse.write(db):
        pass
    cmd = [sys.executable, "-m", "etl.cli", "ingest", "logs", str(data / "logs")]
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen, deadline = [], time.monotonic() + 120
    while child.poll() is None and time.monotonic() < deadline:
        with warehouse.read(db, wait_seconds=60) as con:
            pageviews = con.execute("SELECT count(*) FROM events WHERE is_pageview").fetchone()[0]
            aggregated = con.execute("SELECT coalesce(sum(pageviews), 0) FROM agg_daily").fetchone()[0]
            days = con.execute("SELECT count(DISTINCT day) FROM events").fetchone()[0]
        assert aggregated == pageviews
        seen.append(days)
        time.sleep(0.05)
    assert child.wait(timeout=120) == 0, child.stderr.read()
    assert len(seen) >= 3 and seen == sorted(seen)  # whole files appear one after another; no read raised
