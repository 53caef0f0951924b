"""The CLI's contract: exit codes 0/1/2, one JSON document with --json (also on failure), one-line errors."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import START, TODAY
from tests.helpers import vcar

pytestmark = pytest.mark.slow


def test_help_lists_the_commands():
    out = vcar("--help")
    assert out.returncode == 0
    for command in ("generate", "dashboard", "demo", "users", "ingest", "report", "retention"):
        assert command in out.stdout


@pytest.mark.parametrize("command", [["generate"], ["dashboard"], ["demo"], ["users", "add"], ["ingest", "logs"],
                                     ["report", "usage"], ["retention"], ["digest"]])
def test_every_command_has_help(command):
    out = vcar(*command, "--help")
    assert out.returncode == 0, out.stderr
    assert "Usage" in out.stdout


def test_wrong_setting_gives_one_line_and_exit_2(tmp_path):
    out = vcar("report", "usage", "--from", "2026-11-01", "--to", "2026-11-02", env={"VCAR_TIMEZONE": "Nowhere/City"})
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert "timezone" in out.stderr and "Traceback" not in out.stderr


def test_bad_usage_exits_2_and_missing_input_exits_1(tmp_path):
    env = {"VCAR_WAREHOUSE": str(tmp_path / "w.duckdb"), "VCAR_SECRETS_DIR": str(tmp_path / "s")}
    assert vcar("report", "usage", "--from", "yesterday", "--to", "2026-11-02", env=env).returncode == 2
    missing = vcar("ingest", "logs", str(tmp_path / "nope.log"), env=env)
    assert missing.returncode == 1
    assert "nope.log" in missing.stderr and "Traceback" not in missing.stderr


def test_ingest_and_report_json(tmp_path, mmdb):
    env = {"VCAR_WAREHOUSE": str(tmp_path / "w.duckdb"), "VCAR_SECRETS_DIR": str(tmp_path / "s"),
           "VCAR_GEOIP_DB": str(mmdb)}
    assert vcar("generate", "--out", str(tmp_path / "g"), "--days", "2", "--start", "2026-11-01",
                "--visitors-per-day", "30").returncode == 0
    ingest = vcar("ingest", "logs", str(tmp_path / "g" / "logs"), "--json", env=env)
    stats = json.loads(ingest.stdout)
    assert set(stats) == {"files", "lines_read", "lines_loaded", "lines_rejected", "lines_not_requests",
                          "lines_ignored", "lines_skipped_already_loaded", "bot_requests", "lines_into_sealed_days",
                          "sealed_days", "seconds", "stage_seconds"}
    assert stats["lines_into_sealed_days"] == 0 and stats["sealed_days"] == []
    report = json.loads(vcar("report", "usage", "--from", "2026-11-01", "--to", "2026-11-02", "--json", env=env).stdout)
    for key in ("from", "to", "timezone", "requests", "bot_requests", "pageviews", "visitors", "visits", "bounce_rate",
                "by_day", "top_pages", "entry_pages", "countries", "sources", "devices", "browsers"):
        assert key in report
    assert report["requests"] == stats["lines_loaded"]
    assert {c["country"] for c in report["countries"]} & {"CN", "DE", "GB", "FR"}


def test_users_add_reads_password_from_stdin(tmp_path):
    env = {"VCAR_SECRETS_DIR": str(tmp_path / "s")}
    out = vcar("users", "add", "anna", "--role", "compliance", "--json", env=env, stdin="correct horse battery\n")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"name": "anna", "role": "compliance"}
    assert "correct horse" not in (tmp_path / "s" / "users.json").read_text()
    assert vcar("users", "add", "bob", "--role", "boss", env=env, stdin="long enough pw\n").returncode == 2


@pytest.mark.parametrize(
    "args",
    [("rights", "add"), ("bogus-command",), ("report", "usage", "--from", "2026-11-01"),
     ("rights", "list", "--as-of", "2026-11-01", "--surprise")],
)
def test_usage_errors_print_typers_usage_and_exit_2(tmp_path, args):
    env = {"VCAR_WAREHOUSE": str(tmp_path / "w.duckdb"), "VCAR_SECRETS_DIR": str(tmp_path / "s")}
    plain = vcar(*args, env=env)
    assert plain.returncode == 2, plain.stderr
    assert "Usage: vcar" in plain.stderr and "internal error" not in plain.stderr
    as_json = vcar(*args, "--json", env=env)
    assert as_json.returncode == 2
    assert set(json.loads(as_json.stdout)) == {"error", "exit_code"}  # exactly one JSON document, errors included


def test_every_failure_with_json_is_one_json_document(tmp_path, mmdb):
    env = {"VCAR_WAREHOUSE": str(tmp_path / "w.duckdb"), "VCAR_SECRETS_DIR": str(tmp_path / "s"),
           "VCAR_GEOIP_DB": str(mmdb)}
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("not a log\n")
    empty = vcar("ingest", "logs", str(tmp_path / "notes"), "--json", env=env)
    assert empty.returncode == 1  # nothing to read is an error that says what was found
    assert "no log files" in json.loads(empty.stdout)["error"] and "found 1 other file: readme.txt" in empty.stderr
    future = vcar("rights", "add", "--type", "access", "--received", "2999-01-01", "--email", "a@example.cn",
                  "--json", env=env)
    assert future.returncode == 2 and json.loads(future.stdout) == {
        "error": "--received: 2999-01-01 is in the future", "exit_code": 2}
    bad_email = vcar("rights", "add", "--type", "access", "--received", "2026-11-01", "--email", "nope", env=env)
    assert bad_email.returncode == 2  # a bad value, like a bad date


def test_a_setting_whose_file_is_unusable_names_the_setting_and_the_file(tmp_path, mmdb):
    not_mmdb = tmp_path / "city.mmdb"
    not_mmdb.write_text("this is not a MaxMind database\n")
    env = {"VCAR_WAREHOUSE": str(tmp_path / "w.duckdb"), "VCAR_SECRETS_DIR": str(tmp_path / "s"),
           "VCAR_GEOIP_DB": str(not_mmdb)}
    geo = vcar("rights", "list", env=env)
    assert geo.returncode == 2 and "VCAR_GEOIP_DB" in geo.stderr and str(not_mmdb) in geo.stderr
    (tmp_path / "a-file").write_text("x")
    env |= {"VCAR_GEOIP_DB": str(mmdb), "VCAR_WAREHOUSE": str(tmp_path / "a-file" / "w.duckdb")}
    folder = vcar("rights", "list", "--json", env=env)
    assert folder.returncode == 2 and "VCAR_WAREHOUSE" in folder.stderr and "a-file" in folder.stderr
    assert json.loads(folder.stdout)["exit_code"] == 2


def test_the_ingest_progress_line_is_silent_when_stderr_is_not_a_terminal(tmp_path, mmdb):
    from etl.cli.ingest import _progress_bar

    with _progress_bar() as progress:  # pytest's stderr is not a terminal: no bar, no callback
        assert progress is None
    env = {"VCAR_WAREHOUSE": str(tmp_path / "w.duckdb"), "VCAR_SECRETS_DIR": str(tmp_path / "s"),
           "VCAR_GEOIP_DB": str(mmdb)}
    (tmp_path / "access.log").write_text(
        '1.2.2.1 - - [04/Nov/2026:10:00:00 +0800] "GET / HTTP/1.1" 200 1 "-" "curl/8"\n')
    run = vcar("ingest", "logs", str(tmp_path / "access.log"), env=env)
    assert run.returncode == 0 and run.stderr.count("\n") == 1 and "lines read" in run.stderr


def test_a_wrong_file_in_the_list_loads_nothing_and_error_logs_in_a_folder_are_skipped(tmp_path, mmdb):
    env = {"VCAR_WAREHOUSE": str(tmp_path / "w.duckdb"), "VCAR_SECRETS_DIR": str(tmp_path / "s"),
           "VCAR_GEOIP_DB": str(mmdb)}
    logs = tmp_path / "nginx"
    logs.mkdir()
    (logs / "access.log").write_text('1.2.2.1 - - [04/Nov/2026:10:00:00 +0800] "GET / HTTP/1.1" 200 1 "-" "x"\n')
    (logs / "error.log").write_text("2026/11/04 10:00:00 [error] 12#12: *1 open() failed\n")
    (tmp_path / "notes.txt").write_text("not a log\n")
    mixed = vcar("ingest", "logs", str(logs / "access.log"), str(tmp_path / "notes.txt"), "--json", env=env)
    assert mixed.returncode == 1 and "notes.txt" in json.loads(mixed.stdout)["error"]
    assert (
        not (tmp_path / "w.duckdb").exists()
        or json.loads(vcar("report", "usage", "--from", "2026-11-04", "--to", "2026-11-04", "--json", env=env).stdout)[
            "requests"
        ]
        == 0
    )  # the good file was not loaded either
    folder = json.loads(vcar("ingest", "logs", str(logs), "--json", env=env).stdout)
    assert folder["files"] == 1 and folder["lines_loaded"] == 1  # error.log is not an access log


@pytest.mark.parametrize(
    ("args", "words"),
    [(("usage", "--device", "toaster"), "--device: 'toaster' is not one of desktop"),
     (("usage", "--region", "Guangdng Shng"), "--region: 'Guangdng Shng' is no region's name or code"),
     (("inquiries", "--country", "Chna"), "--country: 'Chna' is no country's name or code")],
)
def test_a_filter_value_that_cannot_exist_is_refused_with_its_option(tmp_path, args, words):
    env = {"VCAR_WAREHOUSE": str(tmp_path / "w.duckdb"), "VCAR_SECRETS_DIR": str(tmp_path / "s")}
    out = vcar("report", args[0], "--from", "2026-11-01", "--to", "2026-11-02", *args[1:], "--json", env=env)
    assert out.returncode == 2 and words in json.loads(out.stdout)["error"]


def test_a_report_on_a_warehouse_that_is_not_there_says_so_and_creates_nothing(tmp_path):
    missing = tmp_path / "typo" / "w.duckdb"
    env = {"VCAR_WAREHOUSE": str(missing), "VCAR_SECRETS_DIR": str(tmp_path / "s")}
    for args in (("report", "usage", "--from", "2026-11-01", "--to", "2026-11-02"), ("report", "rights"),
                 ("digest", "--role", "compliance", "--dry-run"), ("rights", "list"), ("promises",)):
        out = vcar(*args, "--json", env=env)
        assert out.returncode == 1 and "no warehouse at" in json.loads(out.stdout)["error"], args
    assert not (tmp_path / "typo").exists()


def test_report_filters_are_read_in_any_case(loaded_env):
    """``--region cn-gd`` is CN-GD, ``--device Mobile`` is mobile: a code is not refused for its case."""
    args = ("report", "usage", "--from", str(START), "--to", str(TODAY), "--json")
    lower = vcar(*args, "--region", "cn-gd", "--country", "cn", "--device", "Desktop", env=loaded_env)
    assert lower.returncode == 0, lower.stderr
    upper = vcar(*args, "--region", "CN-GD", "--country", "CN", "--device", "desktop", env=loaded_env)
    assert json.loads(lower.stdout) == json.loads(upper.stdout)
    assert json.loads(lower.stdout)["filters"] == {"country": "CN", "region": "CN-GD", "device": "desktop"}
    place = vcar("report", "inquiries", "--from", str(START), "--to", str(TODAY), "--country", "cn", "--json",
                 env=loaded_env)
    assert place.returncode == 0 and json.loads(place.stdout)["inquiries"] > 0


def test_report_places_are_read_by_name_or_code(loaded_env):
    """``--country Germany`` is ``--country de``; a region by its name is its code."""
    args = ("report", "usage", "--from", str(START), "--to", str(TODAY), "--json")
    by_name = vcar(*args, "--country", "Germany", env=loaded_env)
    assert by_name.returncode == 0, by_name.stderr
    assert json.loads(by_name.stdout) == json.loads(vcar(*args, "--country", "de", env=loaded_env).stdout)
    assert json.loads(vcar(*args, "--region", "guangdong sheng", env=loaded_env).stdout)["filters"] == {
        "region": "CN-GD"}


def test_an_unknown_place_is_refused_with_the_close_ones(loaded_env):
    out = vcar("report", "usage", "--from", str(START), "--to", str(TODAY), "--country", "Germny", env=loaded_env)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "--country" in out.stderr and "Germany (DE)" in out.stderr
    unknown = vcar("report", "usage", "--from", str(START), "--to", str(TODAY), "--country", "XX", "--json",
                   env=loaded_env)
    assert unknown.returncode == 2 and "'XX'" in json.loads(unknown.stdout)["error"]


def test_report_usage_prints_the_lists_its_help_names_as_tables_on_stdout(loaded_env):
    args = ("report", "usage", "--from", str(START), "--to", str(TODAY))
    report = json.loads(vcar(*args, "--json", env=loaded_env).stdout)
    out = vcar(*args, env=loaded_env)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    for title in ("Pages", "Sources", "Countries"):
        assert title in lines
    top = report["top_pages"][0]
    assert any(line.startswith(top["path"]) and line.endswith(f"{top['pageviews']:,}") for line in lines)
    assert any(line.startswith("China (CN)") for line in lines)


def test_help_shows_flags_plain_and_values_by_name():
    """``--json`` takes no value, so help shows none (``--json <bool>`` invited ``--open true``); an option's value
    reads by its name, not its Python type (``<str>``)."""
    for command in (("report", "usage"), ("rights", "list"), ("rights", "update"), ("demo",), ("digest",)):
        out = vcar(*command, "--help")
        assert out.returncode == 0 and "--help" in out.stdout, command
        assert re.search(r"<[a-z][a-z\[\] ]*>", out.stdout) is None, (command, out.stdout)
    assert "  --json  " in vcar("rights", "list", "--help").stdout
