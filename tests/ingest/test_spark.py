"""The Spark job against the embedded path: the same logs in, the same tables and reports out, no secret leaked.

Generated logs are cut into 8 files (plain and gzipped, combined and nginx JSON) and go through both paths; the
job runs twice over them (the second run must change nothing) with Spark's event log on, in local[2].
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import re
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import START, TODAY, env_for, outside_env, setting_keys

pytestmark = pytest.mark.slow

if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime: run `make java` (installs default-jre-headless as root)",
                allow_module_level=True)
pytest.importorskip("pyspark", reason="pyspark is not installed (pip install -c requirements.lock -e '.[dev]')")

from etl.ingest.logs.parse import REGEXES  # noqa: E402
from etl.ingest.logs.spark_tables import TABLES  # noqa: E402

FILES = 8


def _as_nginx_json(line: str) -> str:
    found = re.match(REGEXES["combined"], line)
    assert found, line
    return json.dumps({
        "remote_addr": found["ip"], "time_local": found["time"], "request": found["request"],
        "status": found["status"], "body_bytes_sent": found["bytes"], "http_referer": found["referrer"],
        "http_user_agent": found["ua"],
    })


def split_logs(sample: Path, out: Path) -> list[str]:
    """The sample's lines in 8 files: the first four combined, the last four nginx JSON, every other one gzipped."""
    lines: list[str] = []
    for path in sorted((sample / "logs").iterdir()):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as fh:
            lines.extend(line.rstrip("\n") for line in fh if line.strip())
    out.mkdir()
    size = -(-len(lines) // FILES)
    for n in range(FILES):
        chunk = lines[n * size : (n + 1) * size]
        if n >= FILES // 2:
            chunk = [_as_nginx_json(line) for line in chunk]
        text = "\n".join(chunk) + "\n"
        if n % 2:
            (out / f"access-{n}.log.gz").write_bytes(gzip.compress(text.encode()))
        else:
            (out / f"access-{n}.log").write_text(text, encoding="utf-8")
    return lines


@pytest.fixture(scope="module")
def both(tmp_path_factory, mmdb, sample):
    """(settings, raw lines, Spark output folder, event log folder) after the embedded load and two job runs."""
    from etl.core.settings import load_settings
    from etl.ingest.inquiries.ingest import ingest_inquiries
    from etl.ingest.logs.ingest import ingest_paths
    from etl.ingest.logs.spark_job import run_job

    root = tmp_path_factory.mktemp("spark")
    lines = split_logs(sample, root / "logs")
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env_for(root, mmdb).items():
            patch.setenv(key, value)
        cfg = load_settings()
    ingest_paths(cfg, [root / "logs"], today=TODAY)
    ingest_inquiries(cfg, sample / "inquiries.csv")
    events = root / "eventlog"
    events.mkdir()
    conf = {"spark.eventLog.enabled": "true", "spark.eventLog.dir": events.as_uri(),
            "spark.eventLog.compress": "false", "spark.eventLog.rolling.enabled": "false"}
    out = root / "out"
    first = run_job(cfg, [str(root / "logs")], str(out), master="local[2]", conf=conf, today=TODAY)
    columns = _columns(cfg)
    snapshot = {name: _rows(duckdb.connect(), _parquet(out, name), columns[name]) for name in TABLES}
    second = run_job(cfg, [str(root / "logs")], str(out), master="local[2]", conf=conf, today=TODAY)
    assert first.lines_read == second.lines_read == len(lines)
    return cfg, lines, out, events, snapshot


def _rows(con: duckdb.DuckDBPyConnection, source: str, columns: list[str]) -> list[tuple]:
    """Every row of a table as text, sorted (file_key names a file differently in each path)."""
    text = ", ".join(f"{name}::VARCHAR" for name in columns if name != "file_key")
    return sorted(con.sql(f"SELECT {text} FROM {source}").fetchall(), key=repr)


def _parquet(out: Path, table: str) -> str:
    return f"read_parquet('{out}/{table}/*/*.parquet', hive_partitioning = true)"


def _columns(cfg) -> dict[str, list[str]]:
    from etl.core import warehouse

    with warehouse.read(cfg.warehouse) as con:
        return warehouse.tables(con)


@pytest.mark.parametrize("table", list(TABLES))
def test_every_table_of_the_job_equals_the_embedded_warehouse_row_for_row(both, table):
    cfg, _, out, _, _ = both
    columns = _columns(cfg)[table]
    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        embedded = _rows(con, table, columns)
    spark = _rows(duckdb.connect(), _parquet(out, table), columns)
    assert embedded, f"the embedded {table} is empty: the comparison would prove nothing"
    assert spark == embedded


def test_a_second_run_over_the_same_input_changes_nothing(both):
    cfg, _, out, _, snapshot = both
    columns = _columns(cfg)
    for table in TABLES:
        assert _rows(duckdb.connect(), _parquet(out, table), columns[table]) == snapshot[table], table
    assert sorted(p.name for p in out.iterdir()) == sorted(TABLES), "staging or replaced folders were left behind"
    days = {p.name for p in (out / "agg_daily").iterdir()}
    assert days == {f"day={START + dt.timedelta(days=n)}" for n in range(3)}


def test_reports_over_the_parquet_output_equal_those_over_the_embedded_warehouse(both):
    from etl.reporting.reports import inquiries_report, usage_report, usage_series

    cfg, _, out, _, _ = both
    over_parquet = cfg.model_copy(update={"warehouse_parquet": str(out)})
    for report in (usage_report, inquiries_report):
        embedded = report(cfg, START, TODAY)
        assert report(over_parquet, START, TODAY) == embedded
    assert embedded["funnel"]["visitors"] > 0
    for grain in ("hour", "day"):
        assert usage_series(over_parquet, START, TODAY, grain) == usage_series(cfg, START, TODAY, grain)


def test_a_wrong_warehouse_parquet_folder_is_one_line_naming_the_setting(both, tmp_path):
    from etl.core.errors import ConfigError
    from etl.reporting.reports import usage_report

    cfg = both[0].model_copy(update={"warehouse_parquet": str(tmp_path / "nothing-here")})
    with pytest.raises(ConfigError, match=r"^setting warehouse_parquet \(VCAR_WAREHOUSE_PARQUET\): no agg_daily"):
        usage_report(cfg, START, TODAY)


def _secret_forms(secrets_dir: Path) -> list[bytes]:
    keys = [p.read_bytes() for p in secrets_dir.rglob("*") if p.is_file() and p.suffix in (".salt", ".key")]
    assert len(keys) >= 4, "the salts of three days and the user-agent key"
    forms = []
    for k in keys:
        forms += [k, k.hex().encode(), base64.b64encode(k), base64.b64encode(k).rstrip(b"=")]
    return forms


def test_no_salt_or_key_reaches_the_output_or_the_event_log(both):
    cfg, _, out, events, _ = both
    forms = _secret_forms(cfg.secrets_dir)
    files = [p for folder in (out, events) for p in folder.rglob("*") if p.is_file()]
    logs = [p for p in files if p.parent == events and b"SparkListenerApplicationStart" in p.read_bytes()]
    assert len(logs) == 2, "no plain event log of each run: the scan would prove nothing"
    for path in files:
        data = path.read_bytes()
        assert not [f for f in forms if f in data], f"a secret is in {path}"


def test_no_raw_address_or_user_agent_reaches_the_output(both):
    cfg, lines, out, _, _ = both
    found = [m for m in (re.match(REGEXES["combined"], line) for line in lines) if m]
    raw = {m["ip"] for m in found} | {m["ua"] for m in found if len(m["ua"]) > 20}
    columns = _columns(cfg)
    con = duckdb.connect()
    for table in TABLES:
        values = {v for row in _rows(con, _parquet(out, table), columns[table]) for v in row if isinstance(v, str)}
        assert not values & raw, f"raw addresses or user agents in {table}"


def test_a_missing_input_or_a_missing_out_is_one_line_with_its_exit_code(both, tmp_path):
    from tests.helpers import vcar

    cfg = both[0]
    env = {"VCAR_WAREHOUSE": str(cfg.warehouse), "VCAR_SECRETS_DIR": str(cfg.secrets_dir)}
    missing = vcar("ingest", "logs", str(tmp_path / "nope.log"), "--engine", "spark", "--out", str(tmp_path / "out"),
                   "--master", "local[1]", "--json", env=env)
    assert missing.returncode == 1, missing.stderr
    assert json.loads(missing.stdout) == {"error": f"{tmp_path / 'nope.log'}: no such file or folder", "exit_code": 1}
    no_out = vcar("ingest", "logs", "x.log", "--engine", "spark", env=env)
    assert no_out.returncode == 2
    assert no_out.stderr.strip() == "vcar: error: --engine spark needs --out DIR (the folder the Parquet tables go to)"


class _Folders:
    """The two calls expire_partitions makes, over a dict of folder -> children."""

    def __init__(self, tree: dict[str, list[str]]) -> None:
        self.tree = tree

    def children(self, path: str) -> list[str]:
        return list(self.tree.get(path, []))

    def delete(self, path: str) -> None:
        parent, name = path.rsplit("/", 1)
        self.tree[parent].remove(name)


def test_events_and_visits_older_than_the_retention_are_deleted_from_the_output_aggregates_kept():
    from etl.ingest.logs.spark_output import expire_partitions

    days = ["day=2026-08-01", "day=2026-08-02", "day=2026-08-03", "_SUCCESS"]
    tree = {f"/o/{t}": list(days) for t in ("events", "visits", "agg_daily")}
    gone = expire_partitions(_Folders(tree), "/o", dt.date(2026, 8, 3))  # type: ignore[arg-type]
    assert gone == ["2026-08-01", "2026-08-02"]
    assert tree["/o/events"] == tree["/o/visits"] == ["day=2026-08-03", "_SUCCESS"]
    assert tree["/o/agg_daily"] == days


@pytest.mark.parametrize("page", ["views/usage.py", "views/inquiries.py"])
def test_the_usage_and_funnel_pages_show_the_same_figures_over_the_parquet_output(both, page, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from etl.core.settings import cached_settings
    from tests.conftest import clear_dashboard_cache
    from tests.helpers import APP

    cfg, _, out, _, _ = both
    for key in setting_keys():
        monkeypatch.delenv(key)
    monkeypatch.setenv("VCAR_WAREHOUSE", str(cfg.warehouse))
    monkeypatch.setenv("VCAR_SECRETS_DIR", str(cfg.secrets_dir))
    monkeypatch.setenv("VCAR_TIMEZONE", cfg.timezone)
    shown = []
    for parquet in (None, str(out)):
        if parquet:
            monkeypatch.setenv("VCAR_WAREHOUSE_PARQUET", parquet)
        cached_settings.cache_clear()
        clear_dashboard_cache()
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["auth_user"] = {"name": "t-admin", "role": "admin", "last_seen": time.monotonic()}
        at.run().switch_page(page).run()
        assert not at.exception, at.exception
        assert cached_settings().warehouse_parquet == parquet
        shown.append([(m.label, m.value) for m in at.metric])
    cached_settings.cache_clear()
    assert shown[0], "the page showed no figure: the comparison would prove nothing"
    assert shown[1] == shown[0]


def test_the_readme_spark_submit_command_runs_the_job(both, tmp_path):
    """README's one command, with a local master: the job file as spark-submit's application, JSON out."""
    import subprocess
    import sys

    import etl.ingest.logs.spark_job as job

    cfg = both[0]
    env = outside_env() | {
        "VCAR_SECRETS_DIR": str(cfg.secrets_dir), "VCAR_GEOIP_DB": str(cfg.geoip_db), "VCAR_TIMEZONE": cfg.timezone,
        "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable,
    }
    submit = Path(sys.executable).parent / "spark-submit"
    logs = cfg.warehouse.parent / "logs"
    run = {"env": env, "capture_output": True, "text": True, "timeout": 600}
    command = [str(submit), "--master", "local[1]", job.__file__]
    out = ["--out", str(tmp_path / "out")]
    done = subprocess.run([*command, str(logs / "access-1.log.gz"), *out], **run)
    assert done.returncode == 0, done.stderr[-3000:]
    stats = json.loads(done.stdout.strip().splitlines()[-1])
    assert stats["files"] == 1 and stats["lines_loaded"] > 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(TABLES)
    missing = subprocess.run([*command, str(tmp_path / "nope.log"), *out], **run)
    assert missing.returncode == 1
    # spark-submit passes the Python application's stderr on through its own stdout
    assert f"error: {tmp_path / 'nope.log'}: no such file or folder\n" in missing.stdout + missing.stderr


def test_w3c_logs_are_refused_by_the_spark_engine_before_spark_starts(settings_env, tmp_path):
    from etl.core.errors import ConfigError
    from etl.core.settings import load_settings
    from etl.ingest.logs.spark_job import run_job

    with pytest.raises(ConfigError, match=r"^--format w3c: .* load them with the embedded engine$"):
        run_job(load_settings(), [str(tmp_path)], str(tmp_path / "out"), fmt="w3c")
