"""Hostile input end to end: markup, SQL, spreadsheet formulas, path traversal, a 10 MB line and broken bytes in
the logs, and formulas and HTML in every field of the contact form. Each line or row is loaded or rejected as
specified; what is loaded is shown as literal text on the pages and neutralized in every CSV export."""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path

import duckdb
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from etl.ingest.inquiries.ingest import ingest_inquiries
from etl.ingest.logs.ingest import ingest_paths
from etl.ingest.logs.pseudonymize import MAX_PATH
from tests.conftest import TODAY
from tests.helpers import FORMULA, SCRIPT, hostile_inquiries, line

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
TIME = f"{TODAY:%d/%b/%Y}:10:00:00 +0800"  # yesterday on the clock: inside every page's default period
HOSTILE_LOG = [
    line("1.2.2.10", TIME, "/<script>alert(1)</script>"),
    line("1.2.2.11", TIME, "/search?q=1'%20OR%20'1'='1';DROP%20TABLE%20events;--"),
    line("1.2.2.12", TIME, "/p';DROP TABLE events;--"),  # spaces: not a request line, rejected
    line("1.2.2.13", TIME, "/../../etc/passwd"),
    line("1.2.2.14", TIME, "/%2e%2e/%2e%2e/etc/passwd"),
    line("1.2.2.15", TIME, "/landing?utm_source=-2%2B3&utm_campaign=@SUM(1%2B1)"),
    line("1.2.2.16", TIME, "/", ref=FORMULA.replace('"', '\\"')),
    line("1.2.2.17", TIME, "/", ua=f"{SCRIPT} {FORMULA}".replace('"', '\\"')),
    line("1.2.2.18", TIME, "/" + "A" * (10 * 2**20)),  # a 10 MB line
    '1.2.2.19 - - [04/Nov/2026:10:00:00 +0800] "GET /\xff\xfe\x00bad HTTP/1.1" 200 1 "-" "x"',
    "1.2.2.20 - - =cmd|' /C calc'!A0",
]


@pytest.fixture
def hostile(settings_env, tmp_path):
    log = tmp_path / "hostile.log"
    normal = [line(f"1.2.3.{i}", TIME, "/products") for i in range(2, 40)]
    log.write_bytes("\n".join(normal + HOSTILE_LOG).encode("utf-8", "surrogateescape") + b"\n")
    logs = ingest_paths(settings_env, [log], today=TODAY)
    form = tmp_path / "inquiries.csv"
    hostile_inquiries(form)
    return settings_env, logs, ingest_inquiries(settings_env, form)


def test_hostile_log_lines_are_loaded_or_rejected_and_run_nothing(hostile):
    cfg, logs, _ = hostile
    assert logs.lines_read == 38 + len(HOSTILE_LOG)
    assert logs.lines_read == logs.lines_loaded + logs.lines_rejected + logs.lines_not_requests + logs.lines_ignored
    assert logs.lines_rejected >= 2  # the request line with spaces and the line that is no log line
    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        paths = {row[0] for row in con.execute("SELECT path FROM events").fetchall()}  # the table is still there
        rejects = con.execute("SELECT reason, excerpt FROM log_rejects").fetchall()
    reasons, excerpts = [r for r, _ in rejects], [e for _, e in rejects]
    assert "/<script>alert(1)</script>" in paths
    assert "line_too_long" in reasons and all(len(path) <= MAX_PATH for path in paths)  # the 10 MB line
    addresses = [f"1.2.2.{i}" for i in range(10, 21)]
    assert excerpts and not any(ip in excerpt for ip in addresses for excerpt in excerpts)  # masked to the /24
    times = [f"[{TIME}]" in excerpt for excerpt in excerpts]
    assert sum(times) == len(excerpts) - 1  # the time stays readable (one rejected line has none)


def test_hostile_form_fields_are_loaded_or_rejected(hostile):
    cfg, _, stats = hostile
    assert stats.rows_read == 6 and stats.rows_rejected == 1  # the row whose time is a formula
    assert stats.rows_read == stats.rows_loaded + stats.rows_rejected + stats.no_consent
    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        text = str(con.execute("SELECT * FROM inquiries").fetchall())
    assert "example.cn" not in text  # the contact details became keyed hashes


def exports_of(page: str, monkeypatch) -> tuple[AppTest, list[list[list[str]]]]:
    """Open ``page`` as admin; return the app and every CSV export it offers, parsed."""
    captured: list[bytes] = []
    real = streamlit.download_button

    def capture(label, data, *args, **kwargs):
        captured.append(data)
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", capture)
    at = AppTest.from_file(str(DASHBOARD / "app.py"), default_timeout=60)
    at.session_state["auth_user"] = {"name": "t", "role": "admin", "last_seen": time.monotonic()}
    at.run().switch_page(page).run()
    assert not at.exception, at.exception
    tables = [list(csv.reader(io.StringIO(data.decode("utf-8")))) for data in captured if isinstance(data, bytes)]
    return at, tables


@pytest.mark.slow
@pytest.mark.parametrize("page", ["views/usage.py", "views/inquiries.py", "views/privacy.py"])
def test_exports_are_neutralized_and_pages_show_hostile_text_literally(hostile, page, monkeypatch):
    at, tables = exports_of(page, monkeypatch)
    cells = [cell for table in tables for row in table for cell in row]
    assert cells, "the page offers CSV exports"
    number = re.compile(r"-?\d+(\.\d+)?")  # a number a spreadsheet reads as one (a negative count, a change)
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not number.fullmatch(cell)]
    shown = " ".join(df.value.to_csv() for df in [*at.dataframe, *at.table])
    assert not any("<script>" in m.value or "onerror" in m.value for m in at.markdown)
    if page == "views/usage.py":
        assert "/<script>alert(1)</script>" in shown  # data, shown as text in a grid
    if page == "views/inquiries.py":
        assert any(cell.startswith("'") for cell in cells)  # a formula typed into the form, defused
