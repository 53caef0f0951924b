"""``vcar retention``: seal days whose salt is due, delete pseudonymized rows past retention.

Open and sealed days: a reporting day is *open* while its visitor salt exists. Its events are kept, even past
``event_retention_days``, so that a later run bringing more lines of it rebuilds it exactly. Its salt is
destroyed, and the day *sealed*, ``salt_retention_days`` after the later of the day's end and the last run that
loaded a line of it. A sealed day's events then follow ``event_retention_days``, and a late line of it is
merged into its aggregates additively (etl/ingest/logs/ingest.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import queries
from etl.compliance import audit
from etl.core import clock, faults, keystore, warehouse
from etl.core.settings import Settings


def policy_days(cfg: Settings) -> dict[str, int]:
    """Days each kind of row is kept (the keys are the tables of ``queries/status/oldest_rows.sql``)."""
    return {
        "events": cfg.event_retention_days, "visits": cfg.event_retention_days,
        "log_rejects": cfg.event_retention_days, "inquiries": cfg.inquiry_retention_days,
        "rights_requests (closed)": cfg.rights_retention_days,
    }


def held_against_policy(cfg: Settings, today: dt.date) -> list[dict[str, object]]:
    """Per table under a retention rule: its oldest row, how many days old that is on ``today``, and the
    policy's days (the Data & privacy page's retention chart)."""
    policy = policy_days(cfg)
    with warehouse.read(cfg.warehouse) as con:
        held = queries.rows(con, "status/oldest_rows.sql")
    return [row | {"oldest_age_days": None if row["oldest_day"] is None else (today - row["oldest_day"]).days,
                   "policy_days": policy[row["table"]]} for row in held]


def cutoffs(cfg: Settings, today: dt.date) -> dict[str, Any]:
    """The parameters of the retention queries as of ``today``: what is older goes."""
    cutoff = today - dt.timedelta(days=cfg.event_retention_days)
    return {
        "cutoff": cutoff, "runs_cutoff": dt.datetime.combine(cutoff, dt.time(0), cfg.tz),
        "inquiry_cutoff": today - dt.timedelta(days=cfg.inquiry_retention_days),
        "rights_cutoff": today - dt.timedelta(days=cfg.rights_retention_days),
    }


def run_clock(cfg: Settings, today: dt.date | None) -> dt.datetime:
    """The moment a run happens: now, or noon of ``today`` in the reporting time zone when one is given."""
    if today is None:
        return clock.now()
    return dt.datetime.combine(today, dt.time(12), cfg.tz)


def seals_at(cfg: Settings, day: dt.date, last_loaded_at: dt.datetime | None) -> dt.datetime:
    """When an open day's salt is destroyed: salt_retention_days after its end or its last load, the later."""
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), cfg.tz)
    return max(end, last_loaded_at or end) + dt.timedelta(days=cfg.salt_retention_days)


def apply_retention(
    cfg: Settings, *, today: dt.date | None = None, now: dt.datetime | None = None, dry_run: bool = False
) -> dict[str, Any]:
    """What was (or, with dry_run, would be) sealed and removed. Aggregates are anonymous and are kept.

    The seal is committed before the salt files go: a crash in between leaves a sealed day whose salt the next
    run destroys, never a day that looks open without its salt."""
    now = now or run_clock(cfg, today)
    today = today or now.astimezone(cfg.tz).date()
    window = cutoffs(cfg, today)
    salted = set(keystore.salt_days(cfg.secrets_dir))
    with warehouse.write(cfg.warehouse) as con:
        days = queries.rows(con, "retention/log_days.sql")
        known = {row["day"] for row in days}
        sealed = [row["day"] for row in days if row["sealed_at"] is not None]
        due = {row["day"]: seals_at(cfg, row["day"], row["last_loaded_at"]) for row in days if row["sealed_at"] is None}
        # a day is open while its salt exists: one whose salt is gone (or was never kept) is sealed now
        sealing = sorted(day for day, at in due.items() if at <= now or day not in salted)
        counts = queries.rows(con, "retention/expired_counts.sql", sealed=sealed + sealing, **window)[0]
        if not dry_run:
            queries.run(con, "retention/seal_days.sql", days=sealing, sealed_at=now)
            queries.run_all(con, "retention/delete_expired.sql", sealed=sealed + sealing, **window)
            if any(counts.values()) or sealing:
                audit.append(con, "system:retention", "retention.delete", "warehouse",
                             counts | {"days_sealed": [d.isoformat() for d in sealing]})
            faults.reach("retention")
    # salts of sealed days, and salts of days not loaded yet: a killed run's, or one a run still transforming made
    # (its making stands in for a last load, so a history import running beside this keeps its salts)
    stray = [day for day in salted - known if seals_at(cfg, day, keystore.salt_made_at(cfg.secrets_dir, day)) <= now]
    doomed = sorted(day for day in salted if day in set(sealed) | set(sealing) or day in stray)
    salts = doomed if dry_run else keystore.destroy_salts(cfg.secrets_dir, doomed)
    still_open = sorted((day, at) for day, at in due.items() if day not in sealing)
    return {
        "dry_run": dry_run,
        "today": today.isoformat(),
        "events_before": window["cutoff"].isoformat(),
        "deleted": counts,
        "days_sealed": [d.isoformat() for d in sealing],
        "salts_destroyed": [d.isoformat() for d in salts],
        "salts_kept": [d.isoformat() for d in sorted(salted - set(doomed))],
        "open_days": [
            {"day": d.isoformat(), "seals_at": at.astimezone(cfg.tz).isoformat(timespec="minutes")}
            for d, at in still_open
        ],
    }
