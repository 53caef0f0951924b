"""Typed loaders: each runs one file of queries/ on a read-only connection and caches the result."""

from __future__ import annotations

import polars as pl
import streamlit as st

import queries
from etl import warehouse
from etl.settings import cached_settings

TTL = cached_settings().cache_ttl_seconds


def _frame(name: str, **params) -> pl.DataFrame:
    with warehouse.read(cached_settings().warehouse) as con:
        return pl.from_arrow(queries.run(con, name, **params).to_arrow_table())


@st.cache_data(ttl=TTL, show_spinner=False)
def ingest_runs(limit: int = 20) -> pl.DataFrame:
    return _frame("status/ingest_runs.sql", limit=limit)


@st.cache_data(ttl=TTL, show_spinner=False)
def warehouse_status() -> dict:
    frame = _frame("status/warehouse.sql")
    return frame.row(0, named=True)


@st.cache_data(ttl=TTL, show_spinner=False)
def usage(start, end, limit: int = 15) -> dict:
    from etl.reports import usage_report

    return usage_report(cached_settings(), start, end, limit)


@st.cache_data(ttl=TTL, show_spinner=False)
def data_range() -> tuple:
    frame = _frame("usage/data_range.sql")
    return frame.row(0)
