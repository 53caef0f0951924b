"""``vcar retention``: delete pseudonymized rows past ``event_retention_days`` and destroy old salts."""

from __future__ import annotations

import datetime as dt

import queries
from etl import audit, keystore, warehouse
from etl.settings import Settings


def apply_retention(cfg: Settings, *, today: dt.date, dry_run: bool = False) -> dict[str, object]:
    """What was (or, with dry_run, would be) removed. Aggregates are anonymous and are kept."""
    cutoff = today - dt.timedelta(days=cfg.event_retention_days)
    runs_cutoff = dt.datetime.combine(cutoff, dt.time(0), cfg.tz)
    first_salt_kept = today - dt.timedelta(days=cfg.salt_retention_days - 1)
    window = {
        "cutoff": cutoff, "runs_cutoff": runs_cutoff,
        "inquiry_cutoff": today - dt.timedelta(days=cfg.inquiry_retention_days),
        "rights_cutoff": today - dt.timedelta(days=cfg.rights_retention_days),
    }  # fmt: skip
    with warehouse.write(cfg.warehouse) as con:
        counts = queries.rows(con, "retention/expired_counts.sql", **window)[0]
        if not dry_run:
            queries.run_all(con, "retention/delete_expired.sql", **window)
            if any(counts.values()):
                audit.append(con, "system:retention", "retention.delete", "warehouse", counts)
    salts = keystore.destroy_salts_before(cfg.secrets_dir, first_salt_kept, dry_run=dry_run)
    return {
        "dry_run": dry_run,
        "today": today.isoformat(),
        "events_before": cutoff.isoformat(),
        "deleted": counts,
        "salts_destroyed": [d.isoformat() for d in salts],
        "salts_kept": [d.isoformat() for d in keystore.salt_days(cfg.secrets_dir) if d >= first_salt_kept],
    }
