"""vcar audit verify, vcar promises, vcar inventory and vcar retention: the evidence of compliance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from etl.cli.common import JsonFlag, emit, parse_date, say, settings, with_warehouse
from etl.core import clock
from etl.core.errors import ConfigError
from etl.core.settings import Settings
from etl.core.words import as_words, plural, thousands

audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify(as_json: JsonFlag = False) -> None:
    """Recompute the hash chain; exit 1 and name the first broken entry if anything was altered."""
    from etl.compliance import audit
    from etl.core import warehouse

    with warehouse.read(settings().warehouse) as con:
        result = audit.verify(con)
    payload = {"entries": result.entries, "ok": result.ok, "first_broken": result.first_broken, "reason": result.reason}
    human = (f"audit chain intact: {thousands(result.entries)} entries" if result.ok
             else f"audit chain broken at entry {result.first_broken}: {result.reason}")
    emit(payload, as_json, human)
    if not result.ok:
        raise typer.Exit(1)


def promises(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge as of this day (YYYY-MM-DD); default today.")
    ] = None,
    fail_on: Annotated[
        str | None, typer.Option("--fail-on", help="Exit 1 when a promise is at least this bad: at_risk | broken.")
    ] = None,
    regime: Annotated[str, typer.Option(help="The promises of one law: gdpr | pipl | all.")] = "all",
    as_json: JsonFlag = False,
) -> None:
    """Each promise of the privacy policy with its status (kept, at_risk, broken, not_checked) and evidence."""
    from etl.compliance.promises import AT_RISK, BROKEN, SEVERITY, evaluate, worst

    if fail_on is not None and fail_on not in (AT_RISK, BROKEN):
        raise ConfigError(f"--fail-on: {fail_on!r} is not at_risk or broken")
    if regime not in ("gdpr", "pipl", "all"):
        raise ConfigError(f"--regime: {regime!r} is not gdpr, pipl or all")
    cfg = with_warehouse()
    day = parse_date(as_of, "--as-of") if as_of else None
    result = evaluate(cfg, day, regime)
    lines = [f"privacy policy {result['policy_version']}, as of {result['as_of']} ({regime}):"]
    lines += [f"  {as_words(p['status']):<11} {p['regime'].upper():<4} {p['id']} (section {p['section']}): "
              f"{p['summary']}" for p in result["promises"]]
    emit(result, as_json, "\n".join(lines))
    if fail_on is not None and SEVERITY[worst(result)] >= SEVERITY[fail_on]:
        raise typer.Exit(1)


def inventory(
    by_activity: Annotated[
        bool, typer.Option("--by-activity", help="Per processing activity, with the Art. 30(1) fields.")
    ] = False,
    html: Annotated[
        Path | None, typer.Option(help="With --by-activity: also write the record as one printable HTML page.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The record of processing (Art. 30): every table and column, its purpose, legal basis and retention."""
    from etl.compliance.inventory import INVENTORY, as_dict

    if by_activity:
        _activities(settings(), html, as_json)
        return
    if html is not None:
        raise ConfigError("--html: only with --by-activity")
    if as_json:
        typer.echo(json.dumps(as_dict(), ensure_ascii=False))
        return
    for table in INVENTORY:
        typer.echo(f"{table.name}  [{table.category}; {table.legal_basis}; kept {table.retention}]")
        typer.echo(f"    {table.purpose}")
        for column, meaning in table.columns.items():
            typer.echo(f"    - {column}: {meaning}")


def _activities(cfg: Settings, html: Path | None, as_json: bool) -> None:
    from etl.compliance.activities import HEADINGS, html_record, record

    rows = record(cfg)
    if html is not None:
        html.write_text(html_record(cfg, clock.today(cfg.tz).isoformat()), encoding="utf-8")
        say(f"wrote {html}")
    if as_json:
        typer.echo(json.dumps({"activities": rows}, ensure_ascii=False))
        return
    for row in rows:
        typer.echo(f"{row['activity']}  [tables: {row['tables']}]")
        for key, heading in HEADINGS.items():
            typer.echo(f"    {heading}: {row[key]}")


def retention(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would go; change nothing.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Seal days whose salt is due (destroying it) and delete pseudonymized rows past event_retention_days."""
    from etl.compliance.retention import apply_retention
    from etl.core.words import local_time

    cfg = settings()
    result = apply_retention(cfg, dry_run=dry_run)
    delete, seal, destroy = ("would delete", "seal", "destroy") if dry_run else ("deleted", "sealed", "destroyed")
    deleted = ", ".join(f"{thousands(n)} {table}" for table, n in result["deleted"].items() if n) or "nothing"
    next_seal = result["open_days"][0]["seals_at"] if result["open_days"] else None
    emit(result, as_json, (
        f"{delete} {deleted}, {seal} {plural(len(result['days_sealed']), 'day')} and {destroy} "
        f"{plural(len(result['salts_destroyed']), 'salt')}; {plural(len(result['open_days']), 'day')} stay"
        f"{'s' if len(result['open_days']) == 1 else ''} open"
        + (f" (the next is sealed at {local_time(next_seal, cfg.tz)}, {cfg.timezone})" if next_seal else "")
    ))
