"""Settings: typed, documented, and a bad value fails early with one line naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.core.errors import ConfigError
from etl.core.settings import Settings, load_settings
from tests.conftest import setting_keys


def test_defaults_match_the_documented_ones(settings_env, monkeypatch):
    for key in setting_keys():
        monkeypatch.delenv(key)
    cfg = load_settings()
    assert cfg.warehouse == Path("data/warehouse.duckdb")
    assert cfg.timezone == "Asia/Shanghai"
    assert cfg.secrets_dir == Path("data/secrets")
    assert cfg.business_calendar == ["CN"]
    assert cfg.k_min == 5


@pytest.mark.parametrize(
    "key, value, words",
    [
        ("VCAR_TIMEZONE", "Mars/Base", "timezone"),
        ("VCAR_K_MIN", "0", "k_min"),
        ("VCAR_K_MIN", "many", "k_min"),
        ("VCAR_BUSINESS_CALENDAR", '["XX"]', "business_calendar"),
        ("VCAR_BUSINESS_CALENDAR", "CN", "business_calendar"),
        ("VCAR_GEOIP_DB", "/no/such.mmdb", "geoip_db"),
        ("VCAR_LOG_REGEX", "(unclosed", "log_regex"),
    ],
)
def test_a_bad_setting_names_its_key(settings_env, monkeypatch, key, value, words):
    monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert words in str(err.value)
    assert "\n" not in str(err.value)


def test_toml_file_is_read_and_env_wins(tmp_path, settings_env, monkeypatch):
    config = tmp_path / "vcar.toml"
    config.write_text('k_min = 10\ntimezone = "Europe/Berlin"\nbusiness_calendar = ["GB-ENG"]\n')
    monkeypatch.setenv("VCAR_CONFIG", str(config))
    monkeypatch.delenv("VCAR_TIMEZONE")
    cfg = load_settings()
    assert (cfg.k_min, cfg.timezone, cfg.business_calendar) == (10, "Europe/Berlin", ["GB-ENG"])
    monkeypatch.setenv("VCAR_K_MIN", "7")
    assert load_settings().k_min == 7
    config.write_text("kmin = 3\n")
    with pytest.raises(ConfigError, match="unknown key 'kmin'"):
        load_settings()


def test_every_setting_is_documented_in_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`{name}`" not in readme]
    assert missing == []
