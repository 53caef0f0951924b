"""The inquiry page's data-quality panel: how many inquiries the gazetteer left unplaced, per country and field,
and the place names typed most often that it could not place. Everything typed is shown as text, never HTML."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dashboard.tables import show_table
from etl.core.settings import cached_settings
from etl.ingest.inquiries.quality import PlaceQuality, place_quality

FIELDS = {"province_city": "province / city", "district": "district", "country": "country"}
SHARES = {"country": pl.String, "field": pl.String, "inquiries": pl.Int64, "unplaced": pl.Int64,
          "unplaced_share": pl.Float64}
VALUES = {"field": pl.String, "issue": pl.String, "country": pl.String, "typed": pl.String,
          "candidates": pl.String, "rows": pl.Int64}


@st.cache_data(ttl=cached_settings().cache_ttl_seconds, show_spinner=False)
def _quality(start: dt.date, end: dt.date, country: str | None) -> PlaceQuality:
    return place_quality(cached_settings(), start, end, country=country)


def show_place_quality(start: dt.date, end: dt.date, country: str | None, region: str | None) -> None:
    quality = _quality(start, end, country)
    st.subheader("Places the gazetteer could not place")
    st.caption(
        "Share of inquiries whose region (or, in China, district) stayed unknown, per country and form field; "
        "then the values typed most often in the latest import that matched no place or several (never guessed)."
        + (" The region filter does not apply here: these inquiries have no known region." if region else "")
    )
    shares = pl.DataFrame(quality.shares, schema=SHARES, orient="row")
    show_table(shares.with_columns(pl.col("field").replace(FIELDS)), "inquiry_unplaced_share")
    values = pl.DataFrame(quality.unplaced, schema=VALUES, orient="row")
    show_table(values.with_columns(pl.col("field").replace(FIELDS)), "inquiry_unplaced_values")
