"""The table of decisions (etl/ingest/logs/agent_classes.py): every row shows a real agent it decides and a real agent
close to it that it must leave alone, both through its own pattern and through the whole classifier."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from etl.ingest.logs.agent_classes import AGENT_CLASSES, KINDS, readme_table
from etl.ingest.logs.enrich import classify_user_agents

ROWS = [pytest.param(row, id=f"{row.kind}: {row.name[:40]}") for row in AGENT_CLASSES]


def matches(pattern: str, agent: str) -> bool:
    return bool(pl.Series([agent]).str.contains(pattern).item())  # the native engine the classifier uses


@pytest.mark.parametrize("row", ROWS)
def test_each_row_catches_its_example_and_spares_its_near_miss(row):
    assert row.kind in KINDS
    assert matches(row.pattern, row.catches)
    assert not matches(row.pattern, row.spares)


@pytest.mark.parametrize("row", ROWS)
def test_the_classifier_follows_each_row(row):
    caught, spared = classify_user_agents([row.catches, row.spares])
    if row.kind == "people":  # a person, though a list names a token of it; the near miss stays a bot
        assert (caught.is_bot, spared.is_bot) == (False, True)
    else:  # a bot of the row's kind; the near miss stays a person
        assert (caught.is_bot, caught.bot_reason, spared.is_bot) == (True, row.kind, False)


def test_the_people_rows_do_real_work(monkeypatch):
    """Without the people rows some list flags every people example: no row is there for nothing."""
    people = [row.catches for row in AGENT_CLASSES if row.kind == "people"]
    monkeypatch.setattr("etl.ingest.logs.bots.people_pattern", lambda: r"^\b$never")
    monkeypatch.setattr("etl.ingest.logs.enrich._excepted", lambda text: False)
    assert [ua for ua, info in zip(people, classify_user_agents(people), strict=True) if not info.is_bot] == []


def test_readme_holds_the_table_of_decisions():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme, f"README's table of decisions is out of date; it must read:\n{readme_table()}"
