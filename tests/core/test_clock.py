"""The product's one clock (etl/core/clock.py): what VCAR_NOW means, that every process follows it, and that nothing
else in the product reads the calendar."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from etl.core import clock
from etl.core.errors import ConfigError
from tests.conftest import outside_env

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ["etl", "dashboard", "queries", "scripts", "benchmarks"]
# Python reads of the calendar; durations and timeouts use time.monotonic, sessions and lock-outs clock.wall
PYTHON_READS = re.compile(r"\b(?:datetime|date)\.(?:now|today|utcnow)\(|\btime\.time\(\)|\bdate\.today\b")
# SQL reads of the calendar: "now" reaches a query as a parameter
SQL_READS = re.compile(
    r"(?<![\w.$])(?:now\(\)|today\(\)|current_date|current_timestamp|current_time|localtimestamp|"
    r"get_current_timestamp|get_current_time|transaction_timestamp)\b",
    re.IGNORECASE,
)


def calendar_reads(root: Path) -> list[str]:
    """Every line of product code that reads the calendar other than through etl/core/clock.py."""
    found = []
    for folder in PRODUCT:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in (".py", ".sql") or path == root / "etl" / "core" / "clock.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("--")[0] if path.suffix == ".sql" else line.split("#")[0]
                if (path.suffix == ".py" and PYTHON_READS.search(code)) or SQL_READS.search(code):
                    found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_nothing_but_the_clock_reads_the_calendar():
    assert calendar_reads(ROOT) == [], "take now from etl.core.clock (or pass it to SQL as $now)"


def test_the_check_finds_a_read_in_python_and_in_sql(tmp_path):
    (tmp_path / "etl").mkdir()
    (tmp_path / "queries").mkdir()
    (tmp_path / "etl" / "page.py").write_text("import datetime as dt\nday = dt.date.today()\nx = clock.now()\n")
    (tmp_path / "queries" / "q.sql").write_text("-- now() in a comment is fine\nSELECT CURRENT_DATE, $now\n")
    assert calendar_reads(tmp_path) == [
        "etl/page.py:2: day = dt.date.today()",
        "queries/q.sql:2: SELECT CURRENT_DATE, $now",
    ]


@pytest.fixture
def set_now(monkeypatch):
    def put(value: str | None, zone: str = "Asia/Shanghai") -> None:
        """Set the clock and the reporting zone, and load the settings as a process does at its start."""
        from etl.core.settings import cached_settings, load_settings

        for key in (clock.ENV, "VCAR_TIMEZONE"):
            monkeypatch.delenv(key, raising=False)
        monkeypatch.setenv("VCAR_TIMEZONE", zone)
        cached_settings.cache_clear()
        load_settings()
        if value is not None:
            monkeypatch.setenv(clock.ENV, value)

    yield put
    from etl.core.settings import cached_settings

    cached_settings.cache_clear()


@pytest.mark.parametrize(
    ("value", "shift"),
    [("+400d", dt.timedelta(days=400)), ("-3h", dt.timedelta(hours=-3)), ("+2w", dt.timedelta(weeks=2)),
     ("+1d12h30m", dt.timedelta(days=1, hours=12, minutes=30)), ("-90s", dt.timedelta(seconds=-90))],
)
def test_an_offset_moves_the_running_clock(set_now, value, shift):
    set_now(value)
    before = clock.wall()
    moved = clock.now()
    after = clock.wall()
    assert before + shift <= moved <= after + shift
    assert moved.tzinfo is not None and clock.moved() == value


def test_an_iso_moment_stands_still_and_a_bare_one_is_read_in_the_reporting_zone(set_now):
    set_now("2027-01-05T09:00+01:00")
    assert clock.now() == dt.datetime(2027, 1, 5, 8, 0, tzinfo=dt.UTC) == clock.now()
    set_now("2027-01-05", zone="Asia/Shanghai")  # the day's first moment there: still 2027-01-04 in UTC
    assert clock.now() == dt.datetime(2027, 1, 4, 16, 0, tzinfo=dt.UTC)
    assert clock.today(ZoneInfo("Asia/Shanghai")) == dt.date(2027, 1, 5)
    assert clock.today(ZoneInfo("Europe/Berlin")) == dt.date(2027, 1, 4)
    set_now("2027-01-05T00:30", zone="America/New_York")
    assert clock.naive_utc() == dt.datetime(2027, 1, 5, 5, 30)


def test_unset_it_is_the_real_clock(set_now):
    set_now(None)
    before, now, after = clock.wall(), clock.now(), clock.wall()
    assert before <= now <= after and clock.moved() is None


@pytest.mark.parametrize("value", ["tomorrow", "+400", "400d", "+d", "2027-13-01", "+99999999d"])
def test_a_value_it_cannot_read_is_one_line_naming_the_variable(set_now, value):
    set_now(value)
    with pytest.raises(ConfigError, match=r"^VCAR_NOW: ") as err:
        clock.check()
    assert "\n" not in str(err.value)


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    full = outside_env() | {"VCAR_TIMEZONE": "Asia/Shanghai"} | env
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], env=full, capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


@pytest.mark.slow
def test_every_process_follows_it(tmp_path):
    """A child process reads VCAR_NOW: a request received three days ahead of the real day is refused as in the
    future, and accepted when the clock is moved a week on."""
    env = {"VCAR_WAREHOUSE": str(tmp_path / "w.duckdb"), "VCAR_SECRETS_DIR": str(tmp_path / "secrets")}
    ahead = (clock.wall().astimezone(ZoneInfo("Asia/Shanghai")) + dt.timedelta(days=3)).date().isoformat()
    args = ("rights", "add", "--type", "access", "--received", ahead, "--email", "a@example.cn", "--json")
    real = run_cli(*args, **env, VCAR_NOW="+0d")
    assert real.returncode == 2 and "in the future" in real.stdout
    moved = run_cli(*args, **env, VCAR_NOW="+7d")
    assert moved.returncode == 0, moved.stdout + moved.stderr
    bad = run_cli("rights", "list", "--json", **env, VCAR_NOW="next week")
    assert bad.returncode == 2 and '"VCAR_NOW: ' in bad.stdout and bad.stdout.count("\n") == 1
