"""The one settings module: typed, env prefix ``VCAR_``, optional TOML file named by ``VCAR_CONFIG``.

Precedence: explicit arguments > environment > TOML file > defaults. A bad value raises
:class:`etl.core.errors.ConfigError` with one line naming the key, so every command can stop with exit 2.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, SettingsError

from etl.core import clock
from etl.core.errors import ConfigError

DEFAULT_STATIC_EXTENSIONS = [
    "css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "bmp", "tif", "tiff",
    "woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "mp3", "ogg", "wav", "m4a", "mov", "avi", "pdf", "zip",
]
DEFAULT_STATIC_PATHS = ["/robots.txt", "/sitemap.xml", "/favicon.ico"]
REGIMES = ("gdpr", "pipl", "both")
# The privacy policy's reading: mainland China under the PIPL, the EEA under the GDPR, a subject whose country is
# not known under both; other countries under the GDPR, which the policy is written to.
DEFAULT_REGIMES = {"CN": "pipl", "EEA": "gdpr", "other": "gdpr", "unknown": "both"}


def demo_geoip_db() -> Path | None:
    """The GeoLite2-City file shipped in the ``maxminddb-geolite2`` package, if it is installed."""
    try:
        import _maxminddb_geolite2
    except ImportError:
        return None
    path = Path(_maxminddb_geolite2.__file__).parent / "GeoLite2-City.mmdb"
    return path if path.is_file() else None


class _TomlFileSource(PydanticBaseSettingsSource):
    """Reads the TOML file named by ``VCAR_CONFIG`` (flat keys, same names as the settings)."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        self._data = _read_toml(os.environ.get("VCAR_CONFIG"))

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        known = set(self.settings_cls.model_fields)
        unknown = sorted(set(self._data) - known)
        if unknown:
            raise ConfigError(f"config file {os.environ['VCAR_CONFIG']}: unknown key {unknown[0]!r}")
        return dict(self._data)


def _read_toml(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"VCAR_CONFIG: file {path} does not exist")
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path}: not valid TOML ({exc})") from None
    return data.get("vcar", data)


def _one_of(value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")


def _maps_into(mapping: dict[str, str], allowed: tuple[str, ...]) -> dict[str, str]:
    """A setting that maps names to one of ``allowed`` (regimes per country, roles per OIDC group)."""
    for key, value in mapping.items():
        if value not in allowed:
            raise ValueError(f"{key!r} maps to {value!r}, which is not one of {', '.join(allowed)}")
    return mapping


class Settings(BaseSettings):
    """Everything a command may be told. Each field is documented in README's Configuration table."""

    model_config = SettingsConfigDict(env_prefix="VCAR_", extra="forbid", validate_default=True)

    warehouse: Path = Field(Path("data/warehouse.duckdb"), description="DuckDB warehouse file")
    warehouse_parquet: str | None = Field(
        None,
        description="the Spark job's --out folder (local or s3://): usage and funnel read the web aggregates there",
    )
    geoip_db: Path | None = Field(
        default_factory=demo_geoip_db,
        description="MaxMind City/Country .mmdb; default: the demo GeoLite2 file if installed, else none",
    )
    geoip_update_url: str | None = Field(
        None,
        pattern=r"^https?://[^\s]+$",
        description="where vcar geoip update downloads the database (.mmdb, .mmdb.gz or .tar.gz); {year} and {month}"
        " stand for the current ones",
    )
    geoip_update_sha256: str | None = Field(
        None,
        pattern=r"^[0-9a-fA-F]{64}$",
        description="the SHA-256 the download must have (else <url>.sha256, if served)",
    )
    geoip_account_id: str | None = Field(
        None,
        pattern=r"^[0-9]+$",
        description="MaxMind account id for the download (its license key in secrets_dir/geoip_license_key or "
        "VCAR_GEOIP_LICENSE_KEY)",
    )
    timezone: str = Field("Asia/Shanghai", description="IANA time zone of reporting days")
    secrets_dir: Path = Field(Path("data/secrets"), description="salts, keys and users file (mode 0700)")
    business_calendar: list[str] = Field(
        default_factory=lambda: ["CN"], description='public-holiday calendars, e.g. ["CN"] or ["GB-ENG"]'
    )
    k_min: int = Field(5, ge=1, description="smallest count shown to the marketing role")
    site_host: str = Field("www.vcar.example", min_length=1, description="site host for logs without a vhost")
    salt_retention_days: int = Field(2, ge=1, le=30, description="days a daily visitor salt is kept")
    event_retention_days: int = Field(90, ge=1, description="days pseudonymized events are kept")
    inquiry_retention_days: int = Field(730, ge=30, description="days minimized inquiries are kept")
    rights_retention_days: int = Field(1095, ge=365, description="days a closed rights request is kept as evidence")
    visit_gap_minutes: int = Field(30, ge=1, description="gap that ends a visit")
    static_extensions: list[str] = Field(
        default_factory=lambda: list(DEFAULT_STATIC_EXTENSIONS), description="path endings that are static assets"
    )
    static_paths: list[str] = Field(
        default_factory=lambda: list(DEFAULT_STATIC_PATHS), description="paths that are never pageviews"
    )
    query_allowlist: list[str] = Field(
        default_factory=list, description="query parameters kept besides utm_* (e.g. ['lang'])"
    )
    contact_paths: list[str] = Field(default_factory=lambda: ["/contact"], description="the contact page paths")
    policy_version: str = Field("2025-11-15", min_length=1, description="privacy policy version consents refer to")
    phone_region: str = Field("CN", pattern=r"^[A-Z]{2}$", description="region for phone numbers without +code")
    first_response_sla_hours: int = Field(24, ge=1, description="promised time to a first answer of an inquiry")
    log_regex: str | None = Field(None, description="custom log format: a regex with named groups")
    batch_lines: int = Field(50_000, ge=1_000, description="lines parsed per batch")
    warehouse_memory_mb: int = Field(384, ge=64, description="memory DuckDB may use before it spills to disk")
    session_idle_minutes: int = Field(30, ge=1, description="dashboard session expiry after idle time")
    login_max_failures: int = Field(5, ge=1, description="failed logins before an account is locked")
    login_lock_minutes: int = Field(15, ge=1, description="how long a locked account stays locked")
    totp_required_roles: list[str] = Field(
        default_factory=lambda: ["compliance", "admin"],
        description="local accounts of these roles must enrol a second factor (TOTP) at their next sign-in",
    )
    reset_code_minutes: int = Field(60, ge=1, le=10080, description="how long a password-reset code stays valid")
    cache_ttl_seconds: int = Field(300, ge=1, description="dashboard data cache lifetime")
    processing_location: str | None = Field(
        None, description="country where the warehouse runs (ISO 3166-1 alpha-2, e.g. CN or DE)"
    )
    transfer_safeguard: str | None = Field(
        None, description="safeguard for EU data processed outside the EU: SCC, BCR, code_of_conduct or certification"
    )
    regimes: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_REGIMES),
        description="which law a subject is under: country code, EEA, other, unknown or channel:<name> -> gdpr, "
        "pipl or both",
    )
    pipl_transfer_mechanism: Literal["exempt", "standard_contract", "certification", "security_assessment"] | None = (
        Field(None, description="the mechanism for transfers out of mainland China (PIPL Art. 38)")
    )
    pipl_standard_contract_filed: dt.date | None = Field(
        None, description="the day the standard contract was filed with the provincial CAC"
    )
    pipl_sensitive_data: bool = Field(False, description="the individuals counted include sensitive personal data")
    log_folders: dict[str, str] = Field(
        default_factory=dict, description="raw log folder -> the regime of its site (gdpr, pipl or both)"
    )
    site_folders: dict[str, str] = Field(
        default_factory=dict, description="raw log folder -> the site its requests belong to when a line names no host"
    )
    raw_log_max_days: int = Field(200, ge=1, description="the longest a raw log file may be kept (storage limitation)")
    public_url: str = Field(
        "http://localhost:8501",
        pattern=r"^https?://[^/\s]+(/[^\s]*)?$",
        description="the address people open the dashboard at (single sign-on returns there)",
    )
    oidc_issuer: str | None = Field(
        None, pattern=r"^https?://[^\s]+$", description="company single sign-on: the OpenID Connect issuer URL"
    )
    oidc_client_id: str | None = Field(None, min_length=1, description="single sign-on: this app's client id")
    oidc_role_claim: str = Field("groups", min_length=1, description="single sign-on: the claim that carries groups")
    oidc_roles: dict[str, str] = Field(
        default_factory=dict, description="single sign-on: group (claim value) or e-mail address -> role"
    )
    bot_behaviour: bool = Field(
        True, description="also flag clients by behaviour (robots/sitemap/HEAD only, fixed interval, no assets)"
    )
    page_timeout_seconds: float = Field(
        30,
        gt=0,
        le=3600,
        allow_inf_nan=False,
        description="a dashboard page's queries are stopped, with a message, after this long",
    )
    smtp_host: str | None = Field(None, min_length=1, description="the mail server the digest is sent through")
    smtp_port: int | None = Field(
        None, ge=1, le=65535, description="its port; default by smtp_security: 587 starttls, 465 tls, 25 none"
    )
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        "starttls", description="starttls (upgrade a plain connection), tls (TLS from the start) or none"
    )
    smtp_user: str | None = Field(
        None, min_length=1, description="login at the mail server (its password in secrets_dir/smtp_password)"
    )
    mail_from: str | None = Field(None, description="the digest's sender address")
    digest_to: dict[str, list[str]] = Field(
        default_factory=dict, description="role -> the addresses its digest goes to when --to is not given"
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Shanghai)") from None
        return value

    @field_validator("business_calendar")
    @classmethod
    def _known_calendars(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("needs at least one calendar, e.g. ['CN']")
        for code in value:
            _known_calendar(code)  # raises ValueError naming the code
        return value

    @field_validator("geoip_db")
    @classmethod
    def _geoip_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"file {value} does not exist")
        if value is not None:
            import maxminddb

            try:
                maxminddb.open_database(str(value)).close()
            except (maxminddb.InvalidDatabaseError, OSError, ValueError):
                raise ValueError(f"file {value} is not a MaxMind database (.mmdb)") from None
        return value

    @field_validator("geoip_update_url")
    @classmethod
    def _known_placeholders(cls, value: str | None) -> str | None:
        unknown = set(re.findall(r"\{([^{}]*)\}", value or "")) - {"year", "month"}
        if unknown:
            raise ValueError(f"{{{sorted(unknown)[0]}}} is not a placeholder; only {{year}} and {{month}} are")
        return value

    @field_validator("processing_location", mode="before")
    @classmethod
    def _known_country(cls, value: str | None) -> str | None:
        if value is None or not str(value).strip():
            return None  # empty means not set
        import pycountry

        code = str(value).strip().upper()
        if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. CN, DE)")
        return code

    @field_validator("transfer_safeguard", mode="before")
    @classmethod
    def _known_safeguard(cls, value: str | None) -> str | None:
        if value is None or not str(value).strip():
            return None
        known = {"scc": "SCC", "bcr": "BCR", "code_of_conduct": "code_of_conduct", "certification": "certification"}
        found = known.get(str(value).strip().lower())
        if found is None:
            raise ValueError(f"{value!r} is not one of SCC, BCR, code_of_conduct, certification (GDPR Art. 46)")
        return found

    @field_validator("regimes", "log_folders")
    @classmethod
    def _known_regimes(cls, value: dict[str, str]) -> dict[str, str]:
        return _maps_into(value, REGIMES)

    @field_validator("mail_from")
    @classmethod
    def _an_address(cls, value: str | None) -> str | None:
        if value is not None and not is_address(value):
            raise ValueError(f"{value!r} is not an e-mail address (name@domain)")
        return value

    @field_validator("totp_required_roles")
    @classmethod
    def _roles_known(cls, value: list[str]) -> list[str]:
        from etl.core.roles import ROLES

        for role in value:
            _one_of(role, ROLES)
        return value

    @field_validator("digest_to")
    @classmethod
    def _roles_and_addresses(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        from etl.core.roles import ROLES

        for role, addresses in value.items():
            _one_of(role, ROLES)
            bad = [a for a in addresses if not is_address(a)]
            if bad:
                raise ValueError(f"{role}: {bad[0]!r} is not an e-mail address (name@domain)")
        return value

    @field_validator("oidc_roles")
    @classmethod
    def _known_roles(cls, value: dict[str, str]) -> dict[str, str]:
        from etl.core.roles import ROLES

        return _maps_into(value, ROLES)

    @field_validator("log_regex")
    @classmethod
    def _regex_has_groups(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            compiled = re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regex ({exc})") from None
        missing = {"ip", "time", "request"} - set(compiled.groupindex)
        if missing and not {"ip", "time", "method", "path"} <= set(compiled.groupindex):
            raise ValueError("needs named groups ip, time and request (or method and path)")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, _TomlFileSource(settings_cls)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def is_address(value: str) -> bool:
    """A bare address (``name@domain``) fit for an SMTP envelope: no display name, spaces or line breaks."""
    return re.fullmatch(r"[^@\s<>,;\"]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]+", value) is not None


@lru_cache(maxsize=64)
def _known_calendar(code: str) -> str:
    """Validation only, cached: settings are built more than once per command, and a calendar takes 50 ms."""
    calendar_for(code)
    return code


def calendar_for(code: str):
    """A ``holidays`` calendar for ``CN`` or ``GB-ENG`` style codes; ValueError if unknown."""
    import holidays

    country, _, subdiv = code.partition("-")
    try:
        return holidays.country_holidays(country, subdiv=subdiv or None)
    except (NotImplementedError, KeyError, ValueError):
        raise ValueError(f"unknown business calendar {code!r} (use e.g. CN, DE-BY or GB-ENG)") from None


def load_settings(**overrides: Any) -> Settings:
    """Build settings, turning any validation problem into one ConfigError line that names the key."""
    clock.check()
    try:
        cfg = Settings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "settings"
        msg = err["msg"].removeprefix("Value error, ")
        raise ConfigError(f"setting {key} (VCAR_{key.split('.')[0].upper()}): {msg}") from None
    except SettingsError as exc:
        raise ConfigError(f"settings: {exc}") from None
    clock.use_zone(cfg.tz)  # a VCAR_NOW without an offset is a moment of the reporting time zone
    return cfg


@lru_cache(maxsize=1)
def cached_settings() -> Settings:
    """Settings for a long-running process (the dashboard): read once."""
    return load_settings()
