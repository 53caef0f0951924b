"""Raw web-server logs under both laws: kept long enough for China, not too long for Europe.

The Cybersecurity Law (Art. 21(3)) wants network logs kept at least six months; the GDPR (Art. 5(1)(e)) and the
PIPL (Art. 19) want personal data kept no longer than needed. Raw logs hold IP addresses, so a China site's logs
are kept six months, restricted to security use, while the analytics read only pseudonymized and aggregated data.

For each folder of ``log_folders``: the age of its oldest file (by modification time) against the six-month
minimum (a folder under ``pipl`` or ``both``) and against ``raw_log_max_days`` (every folder).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from etl.compliance.deadlines import add_months
from etl.compliance.findings import AT_RISK, BROKEN, KEPT, NOT_CHECKED, SEVERITY, Context, Finding
from etl.compliance.regimes import LOG_HOLD_MONTHS
from etl.core.settings import Settings


def oldest_file(folder: Path) -> dt.datetime | None:
    """The modification time (aware) of the oldest regular file under ``folder``; None when it holds none."""
    times = [f.stat().st_mtime for f in folder.rglob("*") if f.is_file()]
    return dt.datetime.fromtimestamp(min(times), dt.UTC) if times else None


def folder_status(folder: str, regime: str, cfg: Settings, now: dt.datetime) -> dict[str, Any]:
    """One folder: its oldest file's age, the limits that apply, a status and the reason in words."""
    path, today = Path(folder), now.astimezone(cfg.tz).date()
    oldest = oldest_file(path) if path.is_dir() else None
    minimum = add_months(today, -LOG_HOLD_MONTHS) if regime in ("pipl", "both") else None
    row: dict[str, Any] = {
        "folder": folder, "regime": regime, "oldest_file_day": None, "oldest_age_days": None,
        "kept_since_required": minimum, "max_days": cfg.raw_log_max_days,
    }
    if oldest is None:
        why = "not a folder" if not path.is_dir() else "holds no file"
        return row | {"status": NOT_CHECKED, "reason": f"{folder}: {why}"}
    day = oldest.astimezone(cfg.tz).date()
    age = (now - oldest).days
    row |= {"oldest_file_day": day, "oldest_age_days": age}
    if minimum is not None and day > minimum:
        return row | {"status": BROKEN, "reason": f"{folder}: oldest file {age} days old, from {day}: the "
                      f"Cybersecurity Law Art. 21 wants logs since {minimum} (unless the site is younger)"}
    if age > cfg.raw_log_max_days:
        return row | {"status": BROKEN, "reason": f"{folder}: oldest file {age} days old, past raw_log_max_days "
                      f"({cfg.raw_log_max_days}; storage limitation)"}
    if minimum is not None and cfg.raw_log_max_days < (today - minimum).days:
        return row | {"status": AT_RISK, "reason": f"{folder}: raw_log_max_days ({cfg.raw_log_max_days}) is under the "
                      "six months China asks for"}
    return row | {"status": KEPT, "reason": f"{folder}: oldest file {age} days old, within the limits"}


def folders(cfg: Settings, now: dt.datetime) -> list[dict[str, Any]]:
    """Every configured folder's status (the promises report and the Data & privacy page)."""
    return [folder_status(folder, regime, cfg, now) for folder, regime in sorted(cfg.log_folders.items())]


def raw_log_retention(ctx: Context) -> Finding:
    now = dt.datetime.combine(ctx.as_of, dt.time(23, 59), ctx.cfg.tz)
    rows = folders(ctx.cfg, now)
    evidence = {"folders": rows, "min_months_china": LOG_HOLD_MONTHS, "max_days": ctx.cfg.raw_log_max_days}
    if not rows:
        return Finding(NOT_CHECKED, "log_folders is not set, so the raw logs' ages cannot be read", evidence)
    judged = [r for r in rows if r["status"] != NOT_CHECKED]
    if not judged:
        return Finding(NOT_CHECKED, "; ".join(r["reason"] for r in rows), evidence)
    status = max((r["status"] for r in judged), key=SEVERITY.__getitem__)
    return Finding(status, "; ".join(r["reason"] for r in rows), evidence)
