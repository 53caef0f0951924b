"""Bounded fuzzing of every parser: whatever comes in, no exception escapes except a one-line input error, and
every row or line is either loaded or rejected with a reason (counts reconcile). `make fuzz` runs longer."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.core.errors import ConfigError, InputError
from etl.ingest.inquiries.ingest import REQUIRED
from etl.sample.forms import INQUIRY_COLUMNS, RIGHTS_COLUMNS

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("VCAR_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "2026-11-10T10:00:00+08:00", "2026-13-45", "true", "false", "=HYPERLINK(\"x\")",
                     "<script>alert(1)</script>", "'; DROP TABLE inquiries; --", "a@b.cn", "+86 138 0013 8000",
                     "广东省", "access", "erasure", "completed", "in_progress", "DSR-1", "\x00", "🙂" * 20]),
)


def as_csv(columns: list[str], rows: list[list[str]], extra: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return (out.getvalue() + "".join(extra)).encode("utf-8", "surrogatepass")


@FUZZ
@given(rows=st.lists(st.lists(cell, min_size=14, max_size=14), max_size=8),
       extra=st.lists(st.text(max_size=40).map(lambda t: t + "\n"), max_size=3))
def test_inquiry_exports_never_crash_and_reconcile(settings_env, tmp_path_factory, rows, extra):
    from etl.ingest.inquiries.ingest import ingest_inquiries

    path = tmp_path_factory.mktemp("fuzz") / "inquiries.csv"
    try:
        path.write_bytes(as_csv(INQUIRY_COLUMNS, rows, extra))
    except UnicodeEncodeError:
        return
    stats = ingest_inquiries(settings_env, path)
    assert stats.rows_read == stats.rows_loaded + stats.rows_rejected + stats.no_consent + \
        stats.erased_subjects_skipped
    assert len(stats.rejects) == min(stats.rows_rejected, 10)


def _json_or_none(line: str):
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return None


@FUZZ
@given(rows=st.lists(st.dictionaries(st.sampled_from(INQUIRY_COLUMNS), cell, max_size=14), max_size=8),
       extra=st.lists(st.text(max_size=40), max_size=3))
def test_inquiry_json_lines_never_crash_and_reconcile(settings_env, tmp_path_factory, rows, extra):
    from etl.ingest.inquiries.ingest import ingest_inquiries

    path = tmp_path_factory.mktemp("fuzz") / "inquiries.jsonl"
    lines = [json.dumps(row, ensure_ascii=False) for row in rows] + [t.replace("\n", " ") for t in extra]
    try:
        path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    except UnicodeEncodeError:
        return
    try:
        stats = ingest_inquiries(settings_env, path)
    except InputError as exc:  # the first object stands for a header: without the columns, the file is refused
        first = next(value for value in map(_json_or_none, lines) if isinstance(value, dict))
        assert set(REQUIRED) - {key.strip().lower() for key in first} and "missing column" in str(exc)
        return
    assert stats.rows_read == stats.rows_loaded + stats.rows_rejected + stats.no_consent + \
        stats.erased_subjects_skipped
    assert len(stats.rejects) == min(stats.rows_rejected, 10)


@FUZZ
@given(rows=st.lists(st.lists(cell, min_size=10, max_size=10), max_size=8))
def test_rights_exports_never_crash_and_reconcile(settings_env, tmp_path_factory, rows):
    from etl.ingest.rights import import_requests

    path = tmp_path_factory.mktemp("fuzz") / "rights.csv"
    try:
        path.write_bytes(as_csv(RIGHTS_COLUMNS, rows, []))
    except UnicodeEncodeError:
        return
    stats = import_requests(settings_env, path)
    assert stats.rows_read == stats.added + stats.updated + stats.unchanged + stats.rejected


@FUZZ
@given(lines=st.lists(st.one_of(st.binary(max_size=120), st.text(max_size=120).map(str.encode)), max_size=12),
       fmt=st.sampled_from(["combined", "common", "vcombined", "nginx-json", "caddy-json", "traefik-json", "w3c",
                            "alb"]))
def test_log_files_never_crash_and_reconcile(settings_env, tmp_path_factory, lines, fmt):
    from etl.ingest.logs.ingest import ingest_paths

    path = tmp_path_factory.mktemp("fuzz") / "access.log"
    content = b"\n".join(line.replace(b"\n", b" ") for line in lines) + b"\n"
    path.write_bytes(content)
    try:
        stats = ingest_paths(settings_env, [path], fmt=fmt)
    except InputError as exc:  # only a file that claims to be gzip and is not may be refused as a whole
        assert content.startswith(b"\x1f\x8b") and "cannot read" in str(exc)
        return
    assert stats.lines_read == (
        stats.lines_loaded
        + stats.lines_rejected
        + stats.lines_not_requests
        + stats.lines_ignored
        + stats.lines_skipped_already_loaded
    )


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=200),
        st.dictionaries(
            st.sampled_from(["k_min", "timezone", "business_calendar", "batch_lines", "nonsense", "secrets_dir"]),
            st.one_of(st.integers(), st.text(max_size=20), st.lists(st.text(max_size=5), max_size=3)),
            max_size=4,
        ),
    )
)
def test_settings_files_fail_only_with_a_config_error(tmp_path_factory, monkeypatch, data):
    from etl.core.settings import load_settings

    path = tmp_path_factory.mktemp("cfg") / "vcar.toml"
    if isinstance(data, dict):
        path.write_text("\n".join(f"{k} = {json.dumps(v)}" for k, v in data.items()), encoding="utf-8")
    else:
        path.write_bytes(data)
    monkeypatch.setenv("VCAR_CONFIG", str(path))
    try:
        load_settings()
    except ConfigError as exc:
        assert "\n" not in str(exc)


def test_json_lines_that_are_not_objects_are_rejected_row_by_row(settings_env, tmp_path):
    from etl.ingest.inquiries.ingest import ingest_inquiries
    from tests.helpers import row

    path = tmp_path / "i.jsonl"
    path.write_text("\n".join([json.dumps(row()), "[1, 2]", "{broken", '"text"']) + "\n", encoding="utf-8")
    stats = ingest_inquiries(settings_env, path)
    assert (stats.rows_loaded, stats.rows_rejected) == (1, 3)
    with pytest.raises(InputError, match="missing column"):  # the first object decides the columns
        path.write_text('{"submitted_at": "x"}\n', encoding="utf-8")
        ingest_inquiries(settings_env, path)
