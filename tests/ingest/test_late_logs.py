"""Late and historical logs: the figures of a set of log files do not depend on how many runs, or in what order,
they were loaded (open days), and a line for a sealed day is merged additively (issue 11).

Every figure is compared through the aggregate tables the reports read: each table summed by all its dimensions,
so two warehouses with different salts (and so different visitor ids) compare equal when every count does.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.core import keystore
from etl.core.settings import load_settings
from etl.ingest.logs.ingest import ingest_paths
from tests.conftest import outside_env

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("VCAR_FUZZ_EXAMPLES", "8"))
START = dt.date(2026, 3, 10)  # more than event_retention_days before the tests' "today"
DAYS = 3
# Every table a report reads, with its measures; the other columns are its dimensions.
AGGREGATES = {
    "agg_daily": ("visitors", "visits", "bounces", "pageviews", "duration_s"),
    "agg_pages": ("pageviews", "visitors", "visits", "entries", "bounces"),
    "agg_hourly": ("requests", "bot_requests", "pageviews", "visits"),
    "agg_status": ("requests",),
    "agg_bots": ("requests", "clients"),
    "agg_contact": ("visitors",),
}
# Counted per request or pageview: exact whatever happens to the days (visits and visitors are not, once sealed).
REQUEST_FIGURES = {
    "agg_hourly": ("requests", "bot_requests", "pageviews"),
    "agg_status": ("requests",),
    "agg_bots": ("requests",),
    "agg_pages": ("pageviews",),
}
_TIME = re.compile(rb"\[(\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\]")


def figures(warehouse: Path, tables: dict[str, tuple[str, ...]] = AGGREGATES) -> dict[str, list[tuple]]:
    """Each aggregate table summed by its dimensions (the measures named), sorted."""
    out = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table, measures in tables.items():
            columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]  # noqa: S608 - our table names
            dims = [c for c in columns if c not in AGGREGATES[table]]
            sums = ", ".join(f"sum({m})" for m in measures)
            sql = f"SELECT {', '.join(dims)}, {sums} FROM {table} GROUP BY ALL"  # noqa: S608 - our names
            out[table] = sorted(con.execute(sql).fetchall(), key=repr)
    return out


def rejects(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("SELECT count(*) FROM log_rejects").fetchone()[0]


def config(root: Path, mmdb: Path):
    return load_settings(warehouse=root / "warehouse.duckdb", secrets_dir=root / "secrets", geoip_db=mmdb,
                         timezone="Asia/Shanghai")


def log_lines(folder: Path) -> list[bytes]:
    """Every line of a generated log folder, oldest file first (the generator writes one file a day)."""
    lines: list[bytes] = []
    files = sorted(folder.iterdir(), key=lambda p: (p.name == "access.log", p.name.removesuffix(".gz")))
    for path in files:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        lines.extend(data.splitlines(keepends=True))
    return lines


def write_piece(path: Path, lines: list[bytes], gzipped: bool) -> Path:
    data = b"".join(lines)
    if gzipped:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def march(tmp_path_factory) -> list[bytes]:
    """Three days of March 2026, about 1,000 lines, with a broken line for the reject count."""
    from etl.sample.generate import generate

    out = tmp_path_factory.mktemp("march")
    generate(out, days=DAYS, start=START, seed=11, visitors_per_day=40)
    lines = log_lines(out / "logs")
    lines.insert(len(lines) // 2, b"this is not a log line\n")
    return lines


@pytest.fixture(scope="module")
def reference(march, mmdb, tmp_path_factory) -> dict[str, tuple[dict, int]]:
    """One run over all lines, for "today" right after the days and a year later."""
    out = {}
    for label, today in TODAYS.items():
        root = tmp_path_factory.mktemp(f"reference-{label}")
        path = write_piece(root / "all.log", march, gzipped=False)
        ingest_paths(config(root, mmdb), [path], today=today)
        out[label] = (figures(root / "warehouse.duckdb"), rejects(root / "warehouse.duckdb"))
    return out


TODAYS = {"right after": START + dt.timedelta(days=DAYS), "a year later": START + dt.timedelta(days=DAYS + 365)}


@st.composite
def load_plans(draw, n_lines: int):
    """Random cut points, pieces grouped into runs at random, runs in random order, each piece plain or gzipped."""
    cuts = sorted(draw(st.sets(st.integers(1, n_lines - 1), min_size=1, max_size=4)))
    bounds = list(zip([0, *cuts], [*cuts, n_lines], strict=True))
    runs = draw(st.integers(1, len(bounds)))
    groups = [draw(st.integers(0, runs - 1)) for _ in bounds]
    order = draw(st.permutations(list(range(runs))))
    gzipped = [draw(st.booleans()) for _ in bounds]
    today = draw(st.sampled_from(sorted(TODAYS)))
    return bounds, groups, order, gzipped, today


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_split_of_the_files_into_runs_in_any_order_equals_one_run(data, march, reference, mmdb):
    bounds, groups, order, gzipped, today = data.draw(load_plans(len(march)))
    root = Path(tempfile.mkdtemp(prefix="vcar-late-"))
    try:
        pieces = [write_piece(root / f"piece{i}.log", march[a:b], gz) for i, ((a, b), gz) in
                  enumerate(zip(bounds, gzipped, strict=True))]
        cfg = config(root, mmdb)
        for run in order:
            chosen = [piece for piece, group in zip(pieces, groups, strict=True) if group == run]
            if chosen:
                ingest_paths(cfg, chosen, today=TODAYS[today])
        expected, expected_rejects = reference[today]
        assert figures(cfg.warehouse) == expected
        assert rejects(cfg.warehouse) == expected_rejects
    finally:
        shutil.rmtree(root, ignore_errors=True)


def rotate(lines: list[bytes], folder: Path) -> list[Path]:
    """Daily files as Debian's logrotate leaves them (cron.daily at 06:25 local time, delaycompress): access.log
    is the newest, access.log.1 the day before, older ones access.log.N.gz. Returned oldest first."""
    folder.mkdir(parents=True, exist_ok=True)
    by_day: dict[dt.date, list[bytes]] = {}
    for line in lines:
        stamp = dt.datetime.strptime(_TIME.search(line).group(1).decode(), "%d/%b/%Y:%H:%M:%S %z")
        by_day.setdefault((stamp - dt.timedelta(hours=6, minutes=25)).date(), []).append(line)
    days = sorted(by_day, reverse=True)
    paths = []
    for n, day in enumerate(days):
        name = "access.log" if n == 0 else f"access.log.{n}"
        paths.append(write_piece(folder / name, by_day[day], gzipped=n >= 2))
    return paths[::-1]


def test_a_logrotate_history_loaded_file_by_file_equals_one_run(tmp_path, mmdb):
    """200 days of rotated files before today, one file per run, equal one run over all of them, every figure."""
    from etl.sample.generate import generate

    today = dt.date(2026, 11, 25)
    first = today - dt.timedelta(days=200)
    generate(tmp_path / "gen", days=200, start=first, seed=5, visitors_per_day=3)
    files = rotate(log_lines(tmp_path / "gen" / "logs"), (tmp_path / "rotated").resolve())
    assert len(files) >= 200
    one, each = tmp_path / "one", tmp_path / "each"
    ingest_paths(config(one, mmdb), files, today=today)
    for path in files:
        ingest_paths(config(each, mmdb), [path], today=today)
    assert figures(each / "warehouse.duckdb") == figures(one / "warehouse.duckdb")


def test_a_line_for_a_sealed_day_is_merged_additively(tmp_path, mmdb, march):
    """The first part loads while the days are open; a week later they are sealed; the rest then merges in: the
    request figures are exact, the merge is counted, recorded and audited, and no salt comes back."""
    cut = len(march) * 6 // 10
    first = write_piece(tmp_path / "first.log", march[:cut], gzipped=False)
    second = write_piece(tmp_path / "second.log", march[cut:], gzipped=True)
    cfg = config(tmp_path / "w", mmdb)
    loaded_on = START + dt.timedelta(days=DAYS)
    ingest_paths(cfg, [first], today=loaded_on)
    assert keystore.salt_days(cfg.secrets_dir)  # open after the first run
    first_days = set(keystore.salt_days(cfg.secrets_dir))
    stats = ingest_paths(cfg, [second], today=loaded_on + dt.timedelta(days=7))
    late_days = sorted(dt.date.fromisoformat(d) for d in stats.sealed_days)
    assert late_days and set(late_days) <= first_days  # the day the cut falls in, loaded a week before
    assert not set(keystore.salt_days(cfg.secrets_dir)) & first_days  # sealed; the late lines made no salt
    whole = tmp_path / "whole"
    ingest_paths(config(whole, mmdb), [write_piece(tmp_path / "all.log", march, gzipped=False)], today=loaded_on)
    assert figures(cfg.warehouse, REQUEST_FIGURES) == figures(whole / "warehouse.duckdb", REQUEST_FIGURES)

    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        merged = dict(con.execute("SELECT day, sum(lines) FROM sealed_merges GROUP BY day").fetchall())
        audited = con.execute("SELECT count(*) FROM audit_log WHERE action = 'logs.sealed_merge'").fetchone()[0]
    assert stats.lines_into_sealed_days == sum(merged.values()) > 0
    assert sorted(merged) == late_days
    assert audited == 1
    assert "sealed" in stats.summary()


def test_salts_live_until_the_day_is_sealed_and_no_longer(tmp_path, mmdb, march):
    """A salt exists while its day is open; after each run none exists past its day's sealing time."""
    from etl.compliance.retention import apply_retention, run_clock, seals_at

    cfg = config(tmp_path, mmdb)
    path = write_piece(tmp_path / "all.log", march, gzipped=False)
    loaded_on = START + dt.timedelta(days=DAYS + 100)  # history import: far past event retention
    ingest_paths(cfg, [path], today=loaded_on)
    loaded_at = run_clock(cfg, loaded_on)
    days = [START + dt.timedelta(days=i) for i in range(DAYS)]
    assert keystore.salt_days(cfg.secrets_dir) == days  # kept: the days were loaded just now
    dry = apply_retention(cfg, today=loaded_on, dry_run=True)
    assert [d["day"] for d in dry["open_days"]] == [d.isoformat() for d in days]
    assert {dt.datetime.fromisoformat(d["seals_at"]) for d in dry["open_days"]} == {seals_at(cfg, START, loaded_at)}
    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] > 0  # open: kept past event retention
    due = seals_at(cfg, days[-1], loaded_at)
    apply_retention(cfg, now=due - dt.timedelta(minutes=1))
    assert keystore.salt_days(cfg.secrets_dir) == days
    result = apply_retention(cfg, now=due)
    assert keystore.salt_days(cfg.secrets_dir) == []
    assert result["days_sealed"] == [d.isoformat() for d in days]
    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 0  # sealed and past retention


MERGE_RUN = """
import datetime as dt, sys
from pathlib import Path
from etl.ingest.logs.ingest import ingest_paths
from etl.core.settings import load_settings
ingest_paths(load_settings(), [Path(sys.argv[1])], today=dt.date.fromisoformat(sys.argv[2]))
"""


@pytest.mark.parametrize("point", ["logs.load@1", "logs.rebuild@1", "commit@2", "retention@2"])
def test_a_merge_killed_anywhere_leaves_no_day_half_merged(tmp_path, mmdb, march, point):
    import subprocess
    import sys

    cut = len(march) * 6 // 10
    first = write_piece(tmp_path / "first.log", march[:cut], gzipped=False)
    second = write_piece(tmp_path / "second.log", march[cut:], gzipped=False)
    loaded_on, later = START + dt.timedelta(days=DAYS), START + dt.timedelta(days=DAYS + 7)
    runs = {}
    for name in ("killed", "whole"):
        cfg = config(tmp_path / name, mmdb)
        ingest_paths(cfg, [first], today=loaded_on)
        runs[name] = cfg
    ingest_paths(runs["whole"], [second], today=later)
    before = figures(runs["killed"].warehouse)
    env = outside_env() | {
        "VCAR_WAREHOUSE": str(runs["killed"].warehouse), "VCAR_SECRETS_DIR": str(runs["killed"].secrets_dir),
        "VCAR_GEOIP_DB": str(mmdb), "VCAR_TIMEZONE": "Asia/Shanghai", "PYTHONPATH": str(Path(__file__).parents[2]),
    }
    killed = subprocess.run([sys.executable, "-c", MERGE_RUN, str(second), later.isoformat()],
                            env=env | {"VCAR_KILL_AT": point}, capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr
    after_kill = figures(runs["killed"].warehouse)
    assert after_kill in (before, figures(runs["whole"].warehouse))  # all of the merge or none of it
    rerun = subprocess.run([sys.executable, "-c", MERGE_RUN, str(second), later.isoformat()], env=env,
                           capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert figures(runs["killed"].warehouse) == figures(runs["whole"].warehouse)
    merges = "SELECT day, sum(lines) FROM sealed_merges GROUP BY day ORDER BY day"
    with (
        duckdb.connect(str(runs["killed"].warehouse), read_only=True) as k,
        duckdb.connect(str(runs["whole"].warehouse), read_only=True) as w,
    ):
        assert k.execute(merges).fetchall() == w.execute(merges).fetchall() != []
    assert keystore.salt_days(runs["killed"].secrets_dir) == keystore.salt_days(runs["whole"].secrets_dir)
