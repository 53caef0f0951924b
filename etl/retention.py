"""``vcar retention``: delete pseudonymized rows past ``event_retention_days`` and destroy old salts."""

from __future__ import annotations

import datetime as dt

import queries
from etl import audit, faults, keystore, warehouse
from etl.settings import Settings


def policy_days(cfg: Settings) -> dict[str, int]:
    """Days each kind of row is kept (the keys are the tables of ``queries/status/oldest_rows.sql``)."""
    return {
        "events": cfg.event_retention_days, "visits": cfg.event_retention_days,
        "log_rejects": cfg.event_retention_days, "inquiries": cfg.inquiry_retention_days,
        "rights_requests (closed)": cfg.rights_retention_days,
    }  # fmt: skip


def cutoffs(cfg: Settings, today: dt.date) -> dict[str, object]:
    """The parameters of the retention queries as of ``today``: what is older goes."""
    cutoff = today - dt.timedelta(days=cfg.event_retention_days)
    return {
        "cutoff": cutoff, "runs_cutoff": dt.datetime.combine(cutoff, dt.time(0), cfg.tz),
        "inquiry_cutoff": today - dt.timedelta(days=cfg.inquiry_retention_days),
        "rights_cutoff": today - dt.timedelta(days=cfg.rights_retention_days),
    }  # fmt: skip


def apply_retention(cfg: Settings, *, today: dt.date, dry_run: bool = False) -> dict[str, object]:
    """What was (or, with dry_run, would be) removed. Aggregates are anonymous and are kept."""
    window = cutoffs(cfg, today)
    first_salt_kept = today - dt.timedelta(days=cfg.salt_retention_days - 1)
    with warehouse.write(cfg.warehouse) as con:
        counts = queries.rows(con, "retention/expired_counts.sql", **window)[0]
        if not dry_run:
            queries.run_all(con, "retention/delete_expired.sql", **window)
            if any(counts.values()):
                audit.append(con, "system:retention", "retention.delete", "warehouse", counts)
            faults.reach("retention")
    salts = keystore.destroy_salts_before(cfg.secrets_dir, first_salt_kept, dry_run=dry_run)
    return {
        "dry_run": dry_run,
        "today": today.isoformat(),
        "events_before": window["cutoff"].isoformat(),
        "deleted": counts,
        "salts_destroyed": [d.isoformat() for d in salts],
        "salts_kept": [d.isoformat() for d in keystore.salt_days(cfg.secrets_dir) if d >= first_salt_kept],
    }
