"""A grid never squeezes a column below what its heading and cells need: a table wider than the page scrolls
sideways with its first column pinned (issue 28: "nothing cut")."""

from __future__ import annotations

from dashboard.tables import CHAR_PX, PAGE_WIDTH, column_config
from etl.reporting.formatting import table


def widths(config: dict) -> dict[str, int]:
    return {title: c["width"] for title, c in config.items()}


def test_a_wide_table_keeps_every_columns_width_and_pins_its_first(settings_env):
    rows = [{"request_id": "DSR-2026-0014", "type": "restriction", "status": "in_progress",
             "clocks": "promise paused (identity awaited), legal clock paused", "owner": "somebody-with-a-long-name",
             "note": "x" * 40, "channel": "email", "country": "CN"}]
    laid_out = table(rows, settings_env)
    config = column_config(laid_out)
    assert sum(widths(config).values()) > PAGE_WIDTH, "the rows are wider than the page"
    for title, width in widths(config).items():
        longest = max(len(title), *(len(str(v)) for v in laid_out.shown.get_column(title).to_list()))
        assert width >= CHAR_PX * min(longest, 60), title
    assert [t for t, c in config.items() if c["pinned"]] == [laid_out.shown.columns[0]]


def test_a_table_that_fits_is_not_pinned(settings_env):
    config = column_config(table([{"path": "/contact", "pageviews": 12}], settings_env))
    assert not any(c["pinned"] for c in config.values())
