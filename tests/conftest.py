"""Shared fixtures: settings pointing at a temp folder, a tiny GeoIP database, a small generated warehouse."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from etl.core import clock
from etl.sample.geodb import build_mmdb

# The shared sample ends yesterday on the product's clock (VCAR_NOW moves it), so every page's default period holds
# it and no day of it is still going: the suite reads the same on any date.
ZONE = ZoneInfo("Asia/Shanghai")
DAYS = 3
TODAY = clock.today(ZONE) - dt.timedelta(days=1)  # the sample's last day
START = TODAY - dt.timedelta(days=DAYS - 1)


@pytest.fixture(scope="session")
def mmdb(tmp_path_factory) -> Path:
    return build_mmdb(tmp_path_factory.mktemp("geo") / "test-city.mmdb")


def setting_keys() -> list[str]:
    """The project's settings in this process's environment, to be cleared for a test's own; the clock's
    ``VCAR_NOW`` stays, so a suite run with a moved clock moves every process it starts."""
    return [key for key in os.environ if key.startswith("VCAR_") and key != clock.ENV]


def outside_env() -> dict[str, str]:
    """This process's environment without the project's settings (``VCAR_NOW`` kept), for a child process."""
    drop = set(setting_keys())
    return {key: value for key, value in os.environ.items() if key not in drop}


def env_for(root: Path, mmdb: Path) -> dict[str, str]:
    return {
        "VCAR_WAREHOUSE": str(root / "warehouse.duckdb"),
        "VCAR_SECRETS_DIR": str(root / "secrets"),
        "VCAR_GEOIP_DB": str(mmdb),
        "VCAR_TIMEZONE": "Asia/Shanghai",
    }


def clear_dashboard_cache() -> None:
    """Loader results are cached by their arguments; a test that points at another warehouse must not see them."""
    import streamlit as st

    st.cache_data.clear()


@pytest.fixture
def settings_env(tmp_path, mmdb, monkeypatch):
    """Settings for one test: its own warehouse and secrets under tmp_path."""
    from etl.core.settings import cached_settings, load_settings

    for key in setting_keys():
        monkeypatch.delenv(key)
    for key, value in env_for(tmp_path, mmdb).items():
        monkeypatch.setenv(key, value)
    cached_settings.cache_clear()
    clear_dashboard_cache()
    yield load_settings()
    cached_settings.cache_clear()


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Path:
    """Three days of generated data (seed 42)."""
    from etl.sample.generate import generate

    out = tmp_path_factory.mktemp("sample")
    generate(out, days=DAYS, start=START, seed=42, visitors_per_day=120)
    return out


@pytest.fixture(scope="session")
def loaded(tmp_path_factory, mmdb, sample):
    """A warehouse with the sample logs ingested, built once per session. Yields (env dict, stats)."""
    from etl.core.settings import load_settings
    from etl.ingest.logs.ingest import ingest_paths

    root = tmp_path_factory.mktemp("warehouse")
    env = env_for(root, mmdb)
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        stats = ingest_paths(load_settings(), [sample / "logs"], today=TODAY)
        from etl.ingest.inquiries.ingest import ingest_inquiries
        from etl.ingest.rights import import_requests

        ingest_inquiries(load_settings(), sample / "inquiries.csv")
        import_requests(load_settings(), sample / "rights_requests.csv")
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return env, stats


@pytest.fixture
def loaded_env(loaded, monkeypatch):
    from etl.core.settings import cached_settings

    env, _ = loaded
    for key in setting_keys():
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    cached_settings.cache_clear()
    clear_dashboard_cache()
    yield env
    cached_settings.cache_clear()


@pytest.fixture
def on_day(monkeypatch):
    """Move the product's clock to 10:00 of a day (reporting time zone), as a person acting on that day would find
    it: ``on_day(dt.date(2026, 11, 3))``. Later calls move it again."""

    def move(day: dt.date) -> None:
        monkeypatch.setenv(clock.ENV, f"{day.isoformat()}T10:00")

    return move
