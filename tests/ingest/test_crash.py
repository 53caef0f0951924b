"""A run killed at any point leaves the warehouse as it was before the file it was loading; the next run
completes the work and nothing is counted twice."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.core import faults
from etl.sample.generate import generate
from tests.conftest import START

pytestmark = pytest.mark.slow


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


def vcar(env: dict[str, str], *args: str, kill_at: str | None = None) -> subprocess.CompletedProcess:
    """Run the CLI; with ``kill_at`` the process kills itself there (etl/core/faults.py) and must die of it."""
    run_env = env | ({faults.ENV: kill_at} if kill_at else {})
    done = subprocess.run([sys.executable, "-m", "etl.cli", *args], env=run_env, capture_output=True, text=True)
    if kill_at:
        assert done.returncode == -signal.SIGKILL, f"{kill_at} was never reached: {done.stderr[-300:]}"
    else:
        assert done.returncode == 0, done.stderr[-500:]
    return done


def fresh_env(root: Path, mmdb: Path) -> dict[str, str]:
    return os.environ | {
        "VCAR_WAREHOUSE": str(root / "w" / "warehouse.duckdb"),
        "VCAR_SECRETS_DIR": str(root / "secrets"),
        "VCAR_GEOIP_DB": str(mmdb),
        "VCAR_BATCH_LINES": "2000",
    }


def usage_report(env: dict[str, str]) -> dict:
    last = START + dt.timedelta(days=3)
    return json.loads(vcar(env, "report", "usage", "--from", str(START), "--to", str(last), "--json").stdout)


# Where a log load is killed: in the retention that seals due days before anything is read (retention@1), while
# parsing (after a few staged batches), after the events of a file are inserted, after a file's aggregates are
# rebuilt, just before a file's commit (commit@1 is the first retention's), and in the retention that runs once
# every file is loaded (retention@2, so it comes last).
LOG_KILLS = ("retention@1", "logs.batch@3", "logs.load@1", "logs.rebuild@2", "commit@2", "logs.batch@1",
             "retention@2")


def test_a_log_load_killed_anywhere_then_rerun_equals_an_uninterrupted_run(tmp_path, mmdb):
    data = tmp_path / "data"
    generate(data, days=4, start=START, seed=7, visitors_per_day=400)
    logs = str(data / "logs")
    reference = fresh_env(tmp_path / "ref", mmdb)
    vcar(reference, "ingest", "logs", logs)
    expected = consistent(Path(reference["VCAR_WAREHOUSE"]))

    env = fresh_env(tmp_path / "run", mmdb)
    warehouse = Path(env["VCAR_WAREHOUSE"])
    states = []
    for point in LOG_KILLS:  # each run resumes the previous killed one and is killed further on
        vcar(env, "ingest", "logs", logs, kill_at=point)
        if warehouse.exists():
            states.append(consistent(warehouse))  # at rest after a kill: nothing half-loaded
    assert len(set(states)) >= 3, "the kills should land at different stages of the load"
    finished = json.loads(vcar(env, "ingest", "logs", logs, "--json").stdout)
    assert consistent(warehouse) == expected
    assert usage_report(env) == usage_report(reference)
    assert not list(warehouse.parent.glob(".vcar-stage-*")), "staging left by killed runs is cleaned up"
    parts = ("lines_loaded", "lines_rejected", "lines_not_requests", "lines_ignored", "lines_skipped_already_loaded")
    assert finished["lines_read"] == sum(finished[part] for part in parts)
    again = json.loads(vcar(env, "ingest", "logs", logs, "--json").stdout)
    assert again["lines_loaded"] == 0


def warehouse_rows(env: dict[str, str], sql: str) -> list[tuple]:
    with duckdb.connect(env["VCAR_WAREHOUSE"], read_only=True) as con:
        return con.execute(sql).fetchall()


# command, input file, kill points, tables that must stay empty after a kill, the report and the SQL whose
# results must equal an uninterrupted import's
IMPORTS = {
    "inquiries": (
        ("ingest", "inquiries"), "inquiries.csv", ("inquiries.upsert@1", "commit@1"), ("inquiries", "ingest_runs"),
        ("report", "inquiries", "--from", str(START), "--to", str(START + dt.timedelta(days=2)), "--json"),
        "SELECT count(*), count(DISTINCT subject_email), count(DISTINCT country) FROM inquiries",
    ),
    "rights": (
        ("rights", "import"), "rights_requests.csv", ("rights.saved@5", "commit@1"), ("rights_requests", "audit_log"),
        ("rights", "list", "--as-of", str(START + dt.timedelta(days=20)), "--json"),
        "SELECT action, count(*) FROM audit_log GROUP BY ALL ORDER BY ALL",
    ),
}


@pytest.mark.parametrize("kind", IMPORTS)
def test_an_import_killed_then_rerun_equals_an_uninterrupted_one(tmp_path, mmdb, kind):
    command, file, kills, tables, report, sql = IMPORTS[kind]
    data = tmp_path / "data"
    generate(data, days=3, start=START, seed=5, visitors_per_day=200)
    path = str(data / file)
    reference = fresh_env(tmp_path / "ref", mmdb)
    vcar(reference, *command, path)

    env = fresh_env(tmp_path / "run", mmdb)
    for point in kills:
        vcar(env, *command, path, kill_at=point)
        for table in tables:  # the transaction rolled back: no rows, no run record, no audit trace
            assert warehouse_rows(env, f"SELECT count(*) FROM {table}") == [(0,)], (point, table)
    vcar(env, *command, path)
    assert warehouse_rows(env, sql) == warehouse_rows(reference, sql)
    assert json.loads(vcar(env, *report).stdout) == json.loads(vcar(reference, *report).stdout)


def test_readers_and_writers_together_never_fail_or_see_half_a_load(tmp_path, mmdb, monkeypatch):
    """While a log ingest, a retention run, four rights registrations and a rights update write, a reader
    issues the dashboard's queries in a loop: every read succeeds (waiting for the lock when needed) and sees
    aggregates that match the events, never a half-loaded file; every writer succeeds."""
    from etl.compliance import rights
    from etl.core import warehouse
    from etl.core.settings import load_settings
    from etl.reporting.reports import usage_report as report_of

    data = tmp_path / "data"
    generate(data, days=6, start=START, seed=11, visitors_per_day=500)
    env = fresh_env(tmp_path, mmdb)
    for key, value in env.items():
        if key.startswith("VCAR_"):
            monkeypatch.setenv(key, value)
    cfg = load_settings()
    waiting = rights.add(cfg, type_="erasure", received=START, email="waiting@example.cn").request_id

    def start(*args: str) -> subprocess.Popen:
        cmd = [sys.executable, "-m", "etl.cli", *args]
        return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    writers = [start("ingest", "logs", str(data / "logs")), start("retention", "--json")]
    writers += [start("rights", "add", "--type", "access", "--received", str(START + dt.timedelta(days=i)),
                      "--email", f"subject{i}@example.cn") for i in range(4)]
    writers.append(start("rights", "update", waiting, "--status", "in_progress"))
    last, as_of = START + dt.timedelta(days=5), START + dt.timedelta(days=10)
    seen, deadline = [], time.monotonic() + 120
    while any(w.poll() is None for w in writers) and time.monotonic() < deadline:
        with warehouse.read(cfg.warehouse, wait_seconds=60) as con:
            pageviews = con.execute("SELECT count(*) FROM events WHERE is_pageview").fetchone()[0]
            aggregated = con.execute("SELECT coalesce(sum(pageviews), 0) FROM agg_daily").fetchone()[0]
            days = con.execute("SELECT count(DISTINCT day) FROM events").fetchone()[0]
        assert aggregated == pageviews
        report = report_of(cfg, START, last)
        assert report["pageviews"] == sum(day["pageviews"] for day in report["by_day"])
        seen.append((days, len(rights.listing(cfg, as_of=as_of))))
        time.sleep(0.05)
    for writer in writers:
        assert writer.wait(timeout=120) == 0, writer.stderr.read()
    assert len(seen) >= 3
    assert [s[0] for s in seen] == sorted(s[0] for s in seen)  # whole files appear one after another
    assert [s[1] for s in seen] == sorted(s[1] for s in seen)
    assert len(rights.listing(cfg, as_of=as_of)) == 5 and report_of(cfg, START, last)["pageviews"] > 0
    assert rights.get(cfg, waiting).status == "in_progress"
