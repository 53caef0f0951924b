"""Readable everywhere: one formatting layer (etl/reporting/formatting.py) writes every table, tile, CSV export
and CLI line.

Known answers on a few hand-written rows, then every page of the dashboard opened as the admin: each table's
headings are words, no cell reads "None" or "nan", every number column has the layer's format, and each CSV
export holds numbers a spreadsheet can add (never quoted text such as "14,132")."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import time
from pathlib import Path

import polars as pl
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES
from etl.core.settings import load_settings
from etl.core.words import details, local_time, moment_with_zone
from etl.reporting.formatting import GRID_FORMATS, choice, heading, table
from tests.conftest import TODAY

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
ROWS = [
    {"request_id": "DSR-1", "sla_state": "at_risk", "days_left": 2, "deadline": dt.date(2026, 11, 27),
     "bounce_rate": 0.4567, "visitors": 14132, "views_per_visit": 2.50913,
     "logged_at": dt.datetime(2026, 11, 25, 23, 40), "path": "/in_progress"},
    {"request_id": "DSR-2", "sla_state": None, "days_left": None, "deadline": None, "bounce_rate": None,
     "visitors": 3, "views_per_visit": None, "logged_at": None, "path": None},
]


@pytest.fixture
def shanghai(monkeypatch):
    monkeypatch.setenv("VCAR_TIMEZONE", "Asia/Shanghai")
    return load_settings()


@pytest.mark.parametrize("dimension, value, shown", [
    ("country", "CN", "China (CN)"), ("region", "CN-GD", "Guangdong Sheng (CN-GD)"), ("device", "mobile", "Mobile"),
    ("browser", "Chrome Mobile", "Chrome Mobile"), ("country", "unknown", "unknown"),
    ("page", "/in_progress", "/in_progress"),
])
def test_a_filter_choice_reads_as_a_table_shows_it(dimension, value, shown):
    assert choice(dimension, value) == shown


def test_a_table_reads_in_words_with_numbers_kept_as_numbers(shanghai):
    laid_out = table(ROWS, shanghai)
    shown = laid_out.shown
    assert shown.columns == ["Request", "SLA state", "Days left", "Deadline", "Bounce rate", "Visitors",
                             "Views per visit", "Logged (Asia/Shanghai)", "Page"]
    assert shown.row(0) == ("DSR-1", "at risk", 2, "2026-11-27", 45.7, 14132, 2.51, "2026-11-26 07:40",
                            "/in_progress")  # a path is data, never reworded
    assert shown.row(1) == ("DSR-2", "", None, "", None, 3, None, "", "")  # blank, never "None"
    assert laid_out.kinds == {"Request": "text", "SLA state": "text", "Days left": "days", "Deadline": "text",
                              "Bounce rate": "share", "Visitors": "count", "Views per visit": "ratio",
                              "Logged (Asia/Shanghai)": "text", "Page": "text"}
    assert {GRID_FORMATS[k] for k in laid_out.kinds.values() if k != "text"} == {"%,d", "%.1f%%", "%.2f"}


def test_the_csv_export_holds_numbers_and_names_the_unit_of_a_share(shanghai):
    text = table(ROWS, shanghai).export.write_csv()
    assert text.splitlines() == [
        "Request,SLA state,Days left,Deadline,Bounce rate (%),Visitors,Views per visit,Logged (Asia/Shanghai),Page",
        "DSR-1,at risk,2,2026-11-27,45.7,14132,2.51,2026-11-26T07:40:00+08:00,/in_progress",
        "DSR-2,,,,,3,,,",
    ]


def test_counts_under_k_min_read_less_than_k_and_the_rest_keep_their_digits(shanghai):
    laid_out = table([{"visitors": 14132}, {"visitors": 3}, {"visitors": 0}], shanghai, k_min=5)
    assert laid_out.shown["Visitors"].to_list() == ["14,132", "< 5", "0"]
    assert laid_out.kinds == {"Visitors": "suppressed"}
    # the export: numbers only (empty where held back), unquoted, and a flag column that says which were held back
    assert laid_out.export.write_csv().splitlines() == ["Visitors,Visitors suppressed", "14132,false", ",true",
                                                        "0,false"]


def test_only_the_named_columns_are_shown_and_the_export_keeps_them_all(shanghai):
    laid_out = table(ROWS, shanghai, only=["request_id", "logged_at"])
    assert laid_out.shown.columns == ["Request", "Logged (Asia/Shanghai)"]
    assert laid_out.export.width == len(ROWS[0])


def test_headings_of_every_column_a_page_shows_are_words():
    assert [
        heading(k)
        for k in ("oldest_age_days", "bot_name", "inquiries_per_1000_visitors", "os", "path", "something_new")
    ] == ["Oldest row (days old)", "Bot", "Inquiries per 1,000 visitors", "Operating system", "Page", "Something new"]


def test_audit_details_read_as_field_value_lines_in_the_reporting_zone(shanghai):
    raw = json.dumps({"status": "awaiting_identity", "received_at": "2026-11-15 05:03:00",
                      "changed_at": "2026-11-15T05:03:00+00:00", "owner": "li_wei", "files": 12345})
    assert details(raw, shanghai).splitlines() == [
        "changed at: 2026-11-15 13:03 CST", "files: 12,345", "owner: li_wei",
        "received at: 2026-11-15 13:03 CST", "status: awaiting identity"]
    assert "+00:00" not in details(raw, shanghai) and details(None, shanghai) == ""


def test_moments_name_the_reporting_zone(shanghai):
    moment = dt.datetime(2026, 11, 25, 23, 40, tzinfo=dt.UTC)
    assert moment_with_zone(moment, shanghai) == "2026-11-26 07:40 CST (Asia/Shanghai)"
    assert local_time("2026-11-26T07:40+08:00", shanghai.tz) == "2026-11-26 07:40"


def pages_with_exports(monkeypatch) -> list[tuple[str, AppTest, list[bytes]]]:
    """Every page opened as the admin, with the CSV bytes each offers for download."""
    real = streamlit.download_button
    opened = []
    for page in PAGES:
        captured: list[bytes] = []

        def capture(label, data, *args, _into=captured, **kwargs):
            _into.append(data)
            return real(label, data, *args, **kwargs)

        monkeypatch.setattr(streamlit, "download_button", capture)
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["auth_user"] = {"name": "t", "role": "admin", "last_seen": time.monotonic()}
        at.run().switch_page(page.file).run()
        assert not at.exception, (page.file, at.exception)
        opened.append((page.file, at, [c for c in captured if isinstance(c, bytes) and c.count(b"\n") >= 1]))
    return opened


RAW = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|\+00:00")


@pytest.mark.slow
def test_every_page_shows_its_tables_through_the_layer(loaded_env, monkeypatch):
    from etl.admin import lifecycle

    listed = {"name": "li.wei", "role": "compliance", "status": "active", "two_factor": True,
              "last_sign_in": "2026-11-26T07:40:00+08:00", "reset_pending": False, "sessions": 1}
    monkeypatch.setattr(lifecycle, "accounts", lambda cfg: [listed])  # the sample has no local account to list
    for file, at, exports in pages_with_exports(monkeypatch):
        assert at.dataframe, f"{file}: no table"
        for grid in at.dataframe:
            frame, config = grid.value, json.loads(grid.proto.columns or "{}")
            assert [c for c in frame.columns if "_" in str(c)] == [], f"{file}: snake_case headings"
            assert grid.proto.HasField("placeholder") and grid.proto.placeholder == "", f"{file}: None for no value"
            text = frame.select_dtypes(exclude="number")
            assert not text.isna().any().any(), f"{file}: a text cell with no value"
            assert not [v for v in text.to_numpy().ravel() if RAW.search(str(v))], f"{file}: raw values"
            for column in frame.select_dtypes(include="number").columns:
                assert config[column]["type_config"]["format"] in GRID_FORMATS.values(), (file, column)
        for data in exports:
            rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
            assert [h for h in rows[0] if "_" in h] == [], f"{file}: snake_case in a CSV heading"
            assert not re.search(rb'"-?\d{1,3}(,\d{3})+"', data), f"{file}: a number exported as quoted text"
            assert not RAW.search(data.decode("utf-8")), f"{file}: None, nan or +00:00 in a CSV export"


@pytest.mark.slow
def test_marketing_csv_numbers_stay_numbers(loaded_env):
    from tests.helpers import app_as

    at = app_as("marketing").run()
    at.switch_page("views/usage.py").run()
    pages = next(d for d in at.dataframe if "Page" in d.value.columns).value
    assert pages["Pageviews"].map(lambda v: re.fullmatch(r"< 5|\d{1,3}(,\d{3})*", v) is not None).all()
    export = table(pl.DataFrame({"pageviews": [14132, 2]}), load_settings(), k_min=5).export.write_csv()
    assert export == "Pageviews,Pageviews suppressed\n14132,false\n,true\n"


@pytest.mark.slow
def test_the_clis_text_reads_in_words_and_its_overview_is_the_pages(loaded_env):
    """``vcar rights list``, ``report rights``, ``retention`` and ``overview`` as people read them: statuses in
    words, blanks instead of None, counts with separators; ``overview --json`` holds the page's very tiles."""
    from tests.helpers import vcar

    morning = str(TODAY + dt.timedelta(days=1))
    listed = vcar("rights", "list", "--as-of", morning, env=loaded_env)
    assert listed.returncode == 0, listed.stderr
    assert "awaiting identity" in listed.stderr or "in progress" in listed.stderr
    snake = re.compile(r"\b[a-z]+_[a-z_]+\b")
    for args in (("rights", "list", "--as-of", morning), ("report", "rights", "--as-of", morning),
                 ("retention", "--dry-run"), ("overview", "--role", "admin")):
        out = vcar(*args, env=loaded_env)
        text = out.stdout + out.stderr
        assert out.returncode == 0, text
        assert not RAW.search(text), (args, text)
        assert not snake.findall(text.replace("vcar ingest logs", "")), (args, snake.findall(text))
    document = json.loads(vcar("overview", "--role", "compliance", "--json", env=loaded_env).stdout)
    assert [t["label"] for t in document["sections"][0]["tiles"][0]] == [
        "Open requests", "Open, past the promise", "Open, at risk",
        "Open, legally overdue"]
    assert vcar("overview", "--role", "boss", env=loaded_env).returncode == 2


def test_a_change_too_small_to_show_is_no_change_not_minus_zero():
    from etl.reporting.formatting import display_change

    assert [display_change("bounce_rate", c) for c in (-0.0001, 0.0001, -0.02)] == ["0.0 pts", "0.0 pts", "-2.0 pts"]
    assert [display_change("visitors", c) for c in (-0.0001, 0.168)] == ["0.0%", "+16.8%"]


def test_places_read_as_names_with_their_code_and_export_as_codes():
    from etl.core.settings import Settings
    from etl.reporting.formatting import table

    frame = pl.DataFrame(
        {
            "country": ["CN", "DE", None, "unknown", "ZZ"],
            "region": ["CN-GD", "DE-BY", None, "unknown", "CN-XX"],
            "visitors": [5, 4, 3, 2, 1],
        }
    )
    out = table(frame, Settings())
    assert out.shown["Country"].to_list() == ["China (CN)", "Germany (DE)", "", "unknown", "ZZ"]
    assert out.shown["Region"].to_list()[:2] == ["Guangdong Sheng (CN-GD)", "Bayern (DE-BY)"]
    assert out.shown["Region"].to_list()[2:] == ["", "unknown", "CN-XX"]  # no name known: the code as it is
    assert out.export["Country"].to_list() == frame["country"].to_list()  # a CSV keeps the codes
    wales = table(pl.DataFrame({"region": ["GB-WLS"], "country": ["gb"]}), Settings()).shown.row(0)
    assert wales == ("Wales (GB-WLS)", "United Kingdom (GB)")  # no other-language names in brackets; codes upper
    named = table(frame.with_columns(pl.col("region").alias("region_name")), Settings()).shown
    assert named["Region"].to_list()[:2] == ["CN-GD", "DE-BY"]  # a table with its own names keeps the code apart


def test_counts_of_things_are_singular_for_one():
    from etl.core.words import plural

    assert [plural(n, "file") for n in (0, 1, -1, 2, 1204)] == ["0 files", "1 file", "-1 file", "2 files",
                                                                  "1,204 files"]
    assert plural(1, "day") == "1 day" and plural(3, "day") == "3 days"


def test_the_bots_clients_say_they_are_a_sum_of_days():
    """A client seen on three days counts three times over a range: the heading says so."""
    assert "per day" in heading("clients")


def test_a_change_is_coloured_by_the_metrics_direction_and_grey_when_it_rounds_to_nothing():
    from etl.reporting.formatting import change_colour

    assert (change_colour("visitors", "+3.0%"), change_colour("visitors", "-3.0%")) == ("normal", "normal")
    assert change_colour("bounce_rate", "+1.2 pts") == "inverse"  # more bounces are worse
    assert [change_colour("bounce_rate", c) for c in ("0.0 pts", "0.0%", None)] == ["off", "off", "off"]
