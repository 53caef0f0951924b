"""The query files (queries/): exact parameters, a header on each, and one file per derived table."""

from __future__ import annotations

import re

import pytest

import queries

DERIVED_LOG_TABLES = {"visits", "agg_daily", "agg_pages", "agg_hourly", "agg_status", "agg_bots", "agg_contact"}


def test_query_files_refuse_missing_or_extra_parameters():
    with pytest.raises(TypeError, match="missing parameters"):
        queries.bind("usage/totals.sql", {"start": 1})
    with pytest.raises(TypeError, match="unexpected"):
        queries.bind("usage/totals.sql", {"start": 1, "end": 2, "evil": 3})


def test_every_query_file_states_its_purpose():
    from importlib.resources import files

    root = files("queries")
    sql_files = [p for p in root.rglob("*.sql")] if hasattr(root, "rglob") else []
    assert sql_files
    for path in sql_files:
        assert path.read_text().lstrip().startswith("--"), path.name


def test_each_derived_log_table_is_built_by_one_file_that_states_its_grain():
    built: dict[str, list[str]] = {}
    for step in queries.folder("logs/rebuild"):
        text = queries.sql_text(step)
        for table in re.findall(r"^INSERT INTO (\w+)", text, flags=re.M):
            built.setdefault(table, []).append(step)
        if "INSERT INTO" in text:
            header = text.split("\n\n", 1)[0]
            assert "Table:" in header and "Grain:" in header, step
    assert {table: len(files) for table, files in built.items()} == dict.fromkeys(DERIVED_LOG_TABLES, 1)


def test_a_folder_of_steps_refuses_parameters_none_of_its_files_uses():
    with pytest.raises(TypeError, match="unexpected"):
        queries.run_folder(None, "logs/rebuild", days=[], file_key=None, from_line=None, gap_seconds=1, tz="UTC",
                           contact_paths=[], behaviour=True, evil=1)
