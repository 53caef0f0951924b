"""Tables and CSV exports. Values from outside are shown as text; exports are safe to open in a spreadsheet."""

from __future__ import annotations

import polars as pl
import streamlit as st

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> object:
    """Prefix a quote to cells a spreadsheet would run as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pl.DataFrame) -> bytes:
    safe = frame.with_columns(
        pl.col(name).map_elements(neutralize, return_dtype=pl.String)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )
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
        column, palette = colours
        shown = frame.to_pandas().style.apply(
            lambda row: [f"background-color: {palette.get(row[column], '')}"] * len(row), axis=1
        )
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button(
        f"Download {name}.csv", csv_bytes(frame), file_name=f"{name}.csv", mime="text/csv", key=f"csv-{name}"
    )
