"""Incremental, idempotent ingest; bad input never crashes; counts always reconcile."""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.core import keystore
from etl.ingest.logs.ingest import ingest_paths
from etl.ingest.logs.pseudonymize import visitor_id
from tests.helpers import CHROME, line

REAL_LOG = Path(__file__).resolve().parents[3] / "shared" / "real-logs" / "apache_combined_elastic_examples.log"
DAY = dt.date(2026, 11, 10)


def reconciles(stats) -> bool:
    return stats.lines_read == (
        stats.lines_loaded
        + stats.lines_rejected
        + stats.lines_not_requests
        + stats.lines_ignored
        + stats.lines_skipped_already_loaded
    )


def count(cfg, sql: str) -> int:
    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_sample_ingest_reconciles_and_rerun_loads_nothing(loaded, loaded_env, sample):
    from etl.core.settings import load_settings

    _, first = loaded
    assert first.lines_loaded > 1000 and reconciles(first)
    again = ingest_paths(load_settings(), [sample / "logs"], today=DAY)
    assert again.lines_loaded == 0
    assert again.lines_skipped_already_loaded == first.lines_read
    assert reconciles(again)


def test_appended_lines_load_once_and_rotation_is_not_reloaded(settings_env, tmp_path):
    log = tmp_path / "access.log"
    log.write_text(line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/") + "\n")
    assert ingest_paths(settings_env, [log], today=DAY).lines_loaded == 1
    with open(log, "a") as fh:
        fh.write(line("1.2.2.10", "10/Nov/2026:10:05:00 +0800", "/about") + "\n")
    second = ingest_paths(settings_env, [log], today=DAY)
    assert (second.lines_loaded, second.lines_skipped_already_loaded) == (1, 1)
    rotated = tmp_path / "access.log-20261110.gz"
    with gzip.open(rotated, "wb") as fh:
        fh.write(log.read_bytes())
    log.unlink()
    third = ingest_paths(settings_env, [tmp_path], today=DAY)
    assert third.lines_loaded == 0 and third.lines_skipped_already_loaded == 2
    assert count(settings_env, "SELECT count(*) FROM events") == 2
    assert count(settings_env, "SELECT sum(pageviews) FROM agg_daily") == 2


def test_unterminated_last_line_of_a_live_file_waits_for_the_next_run(settings_env, tmp_path):
    log = tmp_path / "access.log"
    full = line("1.2.2.10", "10/Nov/2026:10:05:00 +0800", "/about")
    log.write_text(line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/") + "\n" + full[:30])
    assert ingest_paths(settings_env, [log], today=DAY).lines_loaded == 1
    log.write_text(line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/") + "\n" + full + "\n")
    assert ingest_paths(settings_env, [log], today=DAY).lines_loaded == 1
    assert count(settings_env, "SELECT count(*) FROM events") == 2


@pytest.mark.parametrize(
    "bad, reason",
    [
        ("this is not a log line", "unparsable_line"),
        ('1.2.2.10 - - [99/Foo/2026:10:00:00 +0800] "GET / HTTP/1.1" 200 1 "-" "x"', "bad_timestamp"),
        ('1.2.2.10 - - [10/Nov/2026:10:00:00 +0800] "garbage" 200 1 "-" "x"', "bad_request_line"),
        ('1.2.2.10 - - [10/Nov/2026:10:00:00 +0800] "GET / HTTP/1.1" 999 1 "-" "x"', "bad_status"),
        ("1.2.2.10 " + "A" * 100_000, "line_too_long"),
    ],
)
def test_bad_lines_are_rejected_with_reason_and_masked(settings_env, tmp_path, bad, reason):
    log = tmp_path / "access.log"
    good = line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/")
    log.write_text(good + "\n" + bad + "\n" + good + "\n")
    stats = ingest_paths(settings_env, [log], today=DAY)
    assert (stats.lines_loaded, stats.lines_rejected) == (2, 1) and reconciles(stats)
    with duckdb.connect(str(settings_env.warehouse), read_only=True) as con:
        line_no, got, excerpt = con.execute("SELECT line_no, reason, excerpt FROM log_rejects").fetchone()
    assert (line_no, got) == (2, reason)
    assert "1.2.2.10" not in excerpt


def test_invalid_utf8_nul_bytes_and_empty_files_never_crash(settings_env, tmp_path):
    good = line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/").encode()
    (tmp_path / "a.log").write_bytes(good + b"\n\xff\xfe\x00garbage\x00\n" + good.replace(b"/ ", b"/\xe4\xb8 ") + b"\n")
    (tmp_path / "b.log").write_bytes(b"")
    other = line("1.2.2.77", "10/Nov/2026:11:00:00 +0800", "/").encode()
    with gzip.open(tmp_path / "c.log.gz", "wb") as fh:
        fh.write(other + b"\n" + other[:40])  # truncated last line of a finished file
    stats = ingest_paths(settings_env, [tmp_path], today=DAY)
    assert reconciles(stats)
    assert stats.lines_read == 5
    assert stats.lines_rejected == 2


def _events_by_line(cfg) -> dict[int, tuple]:
    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        rows = con.execute("SELECT line_no, ts, method, path, status, visitor_id FROM events").fetchall()
    return {row[0]: row[1:] for row in rows}


# Each breaks one line in a way a line reader could carry into the next: an unbalanced quote where a field starts
# (a quoting CSV reader takes the following lines into the field it opens), a NUL byte inside the time (where a C
# string would end), and the byte the reader splits lines into one field on (0x1f) inside the status.
BROKEN_LINES = {
    "quote opening the line": b'"1.2.2.30 - - [10/Nov/2026:10:00:30 +0800] "GET /open HTTP/1.1" 200 100 "-" "x"',
    "NUL byte": b'1.2.2.30 - - [10/Nov/2026:10:00\x00:30 +0800] "GET /nul HTTP/1.1" 200 100 "-" "x"',
    "reader's separator": b'1.2.2.30 - - [10/Nov/2026:10:00:30 +0800] "GET /sep HTTP/1.1" 200\x1f 100 "-" "x"',
}


@pytest.mark.parametrize("broken", list(BROKEN_LINES.values()), ids=list(BROKEN_LINES))
def test_a_broken_line_is_one_reject_and_touches_no_other_line(settings_env, tmp_path, broken):
    good = [line(f"1.2.2.{n}", f"10/Nov/2026:10:0{n}:00 +0800", f"/p{n}").encode() for n in range(1, 5)]
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "access.log").write_bytes(b"\n".join(good) + b"\n")
    ingest_paths(settings_env, [tmp_path / "clean" / "access.log"], today=DAY)
    clean = _events_by_line(settings_env)
    cfg = settings_env.model_copy(update={"warehouse": tmp_path / "broken.duckdb"})
    (tmp_path / "access.log").write_bytes(b"\n".join([good[0], broken, good[1], good[2], good[3]]) + b"\n")
    stats = ingest_paths(cfg, [tmp_path / "access.log"], today=DAY)
    assert (stats.lines_read, stats.lines_loaded, stats.lines_rejected) == (5, 4, 1) and reconciles(stats)
    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        assert [row[0] for row in con.execute("SELECT line_no FROM log_rejects").fetchall()] == [2]
    broken_run = _events_by_line(cfg)
    assert {line_no - (line_no > 2): event for line_no, event in broken_run.items()} == clean


def test_a_run_times_each_stage_and_a_rerun_has_no_file_stages(settings_env, tmp_path):
    log = tmp_path / "access.log"
    log.write_text("\n".join(line(f"1.2.2.{n}", "10/Nov/2026:10:00:00 +0800", "/") for n in range(1, 4)) + "\n")
    first = ingest_paths(settings_env, [log], today=DAY)
    assert list(first.stage_seconds) == ["start", "transform", "load", "rebuild", "retention"]
    assert all(value >= 0 for value in first.stage_seconds.values())
    assert sum(first.stage_seconds.values()) <= first.seconds + 0.01
    again = ingest_paths(settings_env, [log], today=DAY)
    assert list(again.stage_seconds) == ["start", "retention"]


def test_a_file_that_is_not_a_log_is_refused_with_one_line(settings_env, tmp_path):
    from etl.core.errors import InputError

    (tmp_path / "notes.txt").write_text("hello\nworld\n")
    with pytest.raises(InputError, match="notes.txt: no known log format"):
        ingest_paths(settings_env, [tmp_path / "notes.txt"], today=DAY)


@pytest.mark.skipif(not REAL_LOG.exists(), reason="shared/real-logs not present beside the checkout")
def test_the_real_apache_log_parses(settings_env, tmp_path):
    shutil.copy(REAL_LOG, tmp_path / "access.log")
    stats = ingest_paths(settings_env, [tmp_path / "access.log"], today=dt.date(2015, 5, 21))
    assert reconciles(stats)
    assert stats.lines_read == 10_000
    assert stats.lines_loaded >= 9_990
    assert 0.05 < stats.bot_requests / stats.lines_loaded < 0.9


def test_visitor_ids_differ_across_days_and_die_with_the_salt(settings_env, tmp_path):
    log = tmp_path / "access.log"
    log.write_text(
        line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/")
        + "\n"
        + line("1.2.2.10", "11/Nov/2026:10:00:00 +0800", "/")
        + "\n"
    )
    ingest_paths(settings_env, [log], today=dt.date(2026, 11, 11))
    with duckdb.connect(str(settings_env.warehouse), read_only=True) as con:
        ids = dict(con.execute("SELECT day, visitor_id FROM events ORDER BY day").fetchall())
    assert ids[dt.date(2026, 11, 10)] != ids[dt.date(2026, 11, 11)]
    salt = keystore.daily_salt(settings_env.secrets_dir, dt.date(2026, 11, 11), create=False)
    assert visitor_id(salt, "1.2.2.10", CHROME, settings_env.site_host) == ids[dt.date(2026, 11, 11)]
    # two days after the 11th ended (and after the last load of its lines) both salts are destroyed: nobody can
    # recompute those ids; on the 13th the 11th is still open
    ingest_paths(settings_env, [log], today=dt.date(2026, 11, 13))
    assert keystore.daily_salt(settings_env.secrets_dir, dt.date(2026, 11, 11), create=False) is not None
    ingest_paths(settings_env, [log], today=dt.date(2026, 11, 14))
    assert keystore.daily_salt(settings_env.secrets_dir, dt.date(2026, 11, 11), create=False) is None
    assert keystore.salt_days(settings_env.secrets_dir) == []


def test_files_that_share_only_their_first_line_are_both_loaded(settings_env, tmp_path):
    """W3C-style logs start with the same header line; they are still different files."""
    header = line("1.2.2.1", "10/Nov/2026:00:00:00 +0800", "/")
    (tmp_path / "a.log").write_text(header + "\n" + line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/a") + "\n")
    (tmp_path / "b.log").write_text(header + "\n" + line("1.2.2.11", "10/Nov/2026:11:00:00 +0800", "/b") + "\n"
                                    + line("1.2.2.12", "10/Nov/2026:12:00:00 +0800", "/c") + "\n")
    first = ingest_paths(settings_env, [tmp_path], today=DAY)
    assert (first.lines_loaded, first.lines_skipped_already_loaded) == (5, 0)
    again = ingest_paths(settings_env, [tmp_path], today=DAY)
    assert (again.lines_loaded, again.lines_skipped_already_loaded) == (0, 5)
    with open(tmp_path / "b.log", "a") as fh:  # an append to one of them is still recognized as that file
        fh.write(line("1.2.2.13", "10/Nov/2026:13:00:00 +0800", "/d") + "\n")
    third = ingest_paths(settings_env, [tmp_path], today=DAY)
    assert (third.lines_loaded, third.lines_skipped_already_loaded) == (1, 5)
    assert count(settings_env, "SELECT count(*) FROM events") == 6


def test_new_user_agents_are_typed_by_declaration_not_by_the_first_rows():
    """A run whose first hundred new user agents are all human, then a crawler, must still store them all."""
    from etl.ingest.logs.ingest import UserAgentCatalog
    from tests.helpers import GOOGLEBOT

    catalog = UserAgentCatalog(b"k" * 32, {})
    catalog.frame([CHROME.replace("131.0.0.0", f"131.0.{i}.0") for i in range(150)])
    catalog.frame([GOOGLEBOT])
    pending = catalog.pending_frame()
    assert pending.height == 151
    assert pending.filter(pending["is_bot"])["bot_name"].to_list() == ["Googlebot"]


def test_a_run_that_loads_nothing_applies_retention_once(settings_env, tmp_path, monkeypatch):
    """Retention runs before reading and, when lines were read, again after loading them (they may already be
    past it); a run over unchanged files reads nothing, so the second pass is skipped (the re-run stays fast)."""
    from etl.compliance import retention

    log = tmp_path / "access.log"
    log.write_text(line("1.2.2.10", "10/Nov/2026:10:00:00 +0800", "/") + "\n")
    calls = []
    real = retention.apply_retention
    monkeypatch.setattr(retention, "apply_retention", lambda *a, **k: calls.append(1) or real(*a, **k))
    ingest_paths(settings_env, [log], today=DAY)
    assert len(calls) == 2
    calls.clear()
    assert ingest_paths(settings_env, [log], today=DAY).lines_skipped_already_loaded == 1
    assert len(calls) == 1
