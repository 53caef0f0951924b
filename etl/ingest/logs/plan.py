"""One load plan for both engines: what the embedded ingest (etl/ingest/logs/ingest.py) and the Spark job
(etl/ingest/logs/spark_job.py) take from the settings, decide about a file and count of a run, built once here.

- ``LoadPlan``: the settings the transform and the rebuild SQL read (no secrets: those reach a transform as
  ``salt_for`` and the keyed user-agent frame), and the transform context of a file or block.
- ``log_format``: the format to read lines with: the one asked for, or the one their first lines show.
- ``LogRunStats`` and its two engines' forms: the counts a run reports and records.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from etl.core.errors import InputError
from etl.core.runstats import RunStats
from etl.core.settings import Settings
from etl.core.words import plural
from etl.ingest.logs import FORMATS
from etl.ingest.logs.parse import closest_formats, detect_format, mostly_parses
from etl.ingest.logs.sites import folder_site
from etl.ingest.logs.transform import TransformContext

UA_KEY_NAME = "user_agent"  # the keystore key user agents are hashed with
SAMPLE_LINES = 50  # the first lines a format is told from


@dataclass(frozen=True)
class LoadPlan:
    """What both engines read of the settings for one run."""

    fmt: str  # as asked: "auto" or a format of FORMATS
    timezone: str
    site_host: str
    site_folders: tuple[tuple[str, str], ...]  # raw log folder -> its site (setting site_folders)
    static_extensions: tuple[str, ...]
    static_paths: tuple[str, ...]
    custom_regex: str | None
    keep_params: tuple[str, ...]
    rebuild: dict[str, Any]  # the parameters of queries/logs/rebuild/

    @classmethod
    def of(cls, cfg: Settings, fmt: str) -> LoadPlan:
        return cls(
            fmt=fmt, timezone=cfg.timezone, site_host=cfg.site_host, site_folders=tuple(cfg.site_folders.items()),
            static_extensions=tuple(cfg.static_extensions),
            static_paths=tuple(cfg.static_paths), custom_regex=cfg.log_regex, keep_params=tuple(cfg.query_allowlist),
            rebuild={"gap_seconds": cfg.visit_gap_minutes * 60, "tz": cfg.timezone,
                     "contact_paths": list(cfg.contact_paths), "behaviour": cfg.bot_behaviour},
        )

    def context(
        self,
        fmt: str,
        salt_for: Callable[[dt.date], bytes],
        user_agents: Callable[[list[str]], pl.DataFrame],
        geo: Callable[[list[str]], pl.DataFrame],
        file: str,
    ) -> TransformContext:
        """The transform's context for lines of ``fmt`` read from ``file``."""
        return TransformContext(
            fmt=fmt, timezone=self.timezone, site_host=folder_site(file, dict(self.site_folders), self.site_host),
            salt_for=salt_for, user_agents=user_agents,
            geo=geo, static_extensions=self.static_extensions, static_paths=self.static_paths,
            custom_regex=self.custom_regex, keep_params=self.keep_params,
        )

    def log_format(self, where: str, sample: list[str]) -> str:
        """The format to read the lines of ``where`` with: the one asked for, or the one ``sample`` (its first
        lines) shows; InputError naming ``where`` when none fits."""
        if self.fmt != "auto":
            return self.fmt
        lines = [line for line in sample[:SAMPLE_LINES] if line.strip()]
        found = self.custom_regex and "custom" or detect_format(lines)
        if found and found != "custom" and not mostly_parses(lines, found):
            found = None  # the lines have the look of a format but not its content: loading would reject them all
        if not found:
            formats = ", ".join(f for f in FORMATS if f not in ("auto", "custom"))
            raise InputError(f"{where}: no known log format in the first lines ({formats}): {closest_formats(lines)}; "
                             "force one with --format, or describe yours with the log_regex setting")
        return found


@dataclass
class LogRunStats(RunStats):
    """What every log run counts, whichever engine ran it."""

    files: int = 0
    lines_read: int = 0
    lines_loaded: int = 0
    lines_rejected: int = 0
    bot_requests: int = 0
    seconds: float = 0.0
    # wall seconds per stage, in the engine's own stage names (embedded: start, transform, load, rebuild,
    # retention, record; Spark: start, survey, transform, rebuild, publish), what `make bench` prints
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def lap(self, stage: str, since: float) -> float:
        """Adds the time since ``since`` to ``stage`` (a stage met once per file adds up) and returns now."""
        now = time.monotonic()
        self.stage_seconds[stage] = round(self.stage_seconds.get(stage, 0.0) + now - since, 3)
        return now

    def counts(self) -> str:
        return (f"{plural(self.files, 'file')}, {self.lines_read:,} lines read: {self.lines_loaded:,} loaded, "
                f"{self.lines_rejected:,} rejected")


@dataclass
class IngestStats(LogRunStats):
    """A run of the embedded engine."""

    lines_not_requests: int = 0  # "-" 408, a bare newline, TLS bytes: no request, so no parse failure either
    lines_ignored: int = 0  # blank lines and W3C directives
    lines_skipped_already_loaded: int = 0
    lines_into_sealed_days: int = 0
    sealed_days: list[str] = field(default_factory=list)  # ISO dates the run merged late lines into

    def summary(self) -> str:
        text = (
            f"{self.counts()}, {self.lines_not_requests:,} not requests, {self.lines_ignored:,} blank or "
            f"directives, {self.lines_skipped_already_loaded:,} already loaded; {self.bot_requests:,} bot requests "
            f"({self.seconds:.1f} s)"
        )
        if self.lines_into_sealed_days:
            text += (
                f"\n{self.lines_into_sealed_days:,} lines fell on days already sealed ({', '.join(self.sealed_days)}):"
                " added to their requests and pageviews; their visitors count as new, as they can no longer be"
                " linked."
            )
        return text


@dataclass
class SparkIngestStats(LogRunStats):
    """A run of the Spark job."""

    user_agents: int = 0
    days: list[str] = field(default_factory=list)
    out: str = ""
    expired_days: list[str] = field(default_factory=list)  # events and visits past event_retention_days, deleted

    def summary(self) -> str:
        return (
            f"{self.counts()}; {self.bot_requests:,} bot requests; {self.user_agents:,} distinct user agents; days "
            f"{', '.join(self.days) or 'none'} written to {self.out} ({self.seconds:.1f} s)"
        )
