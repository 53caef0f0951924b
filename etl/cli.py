"""The ``vcar`` command line. Exit codes: 0 success, 1 failure, 2 bad usage or configuration.

With ``--json`` a command prints exactly one JSON document on stdout; people-facing text goes to stderr.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from etl.errors import ConfigError, VcarError
from etl.settings import Settings, load_settings

app = typer.Typer(
    help="vcar-insights: privacy-first web analytics, inquiry funnel and GDPR rights register.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
users_app = typer.Typer(
    help="Manage dashboard accounts (stored as argon2 hashes in secrets_dir).", no_args_is_help=True
)
ingest_app = typer.Typer(help="Load data into the warehouse.", no_args_is_help=True)
report_app = typer.Typer(help="Print reports computed from the warehouse.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(ingest_app, name="ingest")
app.add_typer(report_app, name="report")


@app.callback()
def _check_settings() -> None:
    """Validate settings before any command runs: a wrong value stops here with one line and exit 2."""
    load_settings()


JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
DEMO_DIR = Path("data/sample")
DEMO_LOGINS = "demo_logins.json"


def say(message: str) -> None:
    """Human text: always stderr, so stdout stays one JSON document when --json is given."""
    typer.echo(message, err=True)


def emit(payload: dict[str, Any], as_json: bool, human: str) -> None:
    if as_json:
        typer.echo(json.dumps(payload, ensure_ascii=False, default=str))
    else:
        say(human)


def settings() -> Settings:
    return load_settings()


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Folder to write logs/, inquiries.csv and rights_requests.csv into.")],
    days: Annotated[int, typer.Option(min=1, max=3660, help="Number of days of logs.")] = 30,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same data.")] = 42,
    start: Annotated[
        str | None, typer.Option(help="First day (YYYY-MM-DD); default: so that the last day is today.")
    ] = None,
    visitors_per_day: Annotated[int, typer.Option(min=1, help="Average human visitors per weekday.")] = 300,
    as_json: JsonFlag = False,
) -> None:
    """Write realistic, deterministic sample data: access logs, the contact-form export, rights requests."""
    from etl.generate import generate as run_generate

    first = _parse_date(start, "--start") if start else dt.date.today() - dt.timedelta(days=days - 1)
    result = run_generate(out, days=days, start=first, seed=seed, visitors_per_day=visitors_per_day)
    emit(
        result.as_dict(),
        as_json,
        f"wrote {result.log_lines} log lines in {len(result.log_files)} files, {result.inquiries} inquiries and "
        f"{result.rights_requests} rights requests to {out}",
    )


def _parse_date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


@app.command()
def dashboard(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")] = 8501,
    host: Annotated[str, typer.Option(help="Address to bind (0.0.0.0 for every interface).")] = "localhost",
) -> None:
    """Serve the dashboard (Streamlit) until interrupted."""
    cfg = settings()
    from dashboard.users import list_users
    from etl.keystore import ensure_secrets_dir

    ensure_secrets_dir(cfg.secrets_dir)
    if not list_users(cfg.secrets_dir):
        say("no dashboard users yet: add one with 'vcar users add NAME --role admin'")
    _serve(port, host)


def _serve(port: int, host: str) -> None:
    import dashboard

    app_file = Path(dashboard.__file__).resolve().parent / "app.py"
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app_file),
        "--server.port", str(port), "--server.address", host, "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--client.toolbarMode", "minimal", "--server.runOnSave", "false",
    ]  # fmt: skip
    say(f"dashboard: http://{'localhost' if host in ('0.0.0.0', '::') else host}:{port}")
    try:
        raise typer.Exit(subprocess.call(cmd, env=os.environ.copy()))
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Login name (lower case).")],
    role: Annotated[str, typer.Option(help="marketing | manager | compliance | admin")],
    replace: Annotated[bool, typer.Option(help="Reset the password of an existing user.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Add a dashboard user. Prompts for the password, or reads it from stdin when stdin is not a terminal."""
    cfg = settings()
    from dashboard.users import add_user

    if sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    user = add_user(cfg.secrets_dir, name, role, password, replace=replace)
    emit({"name": user.name, "role": user.role}, as_json, f"user {user.name} ({user.role}) saved")


@users_app.command("list")
def users_list(as_json: JsonFlag = False) -> None:
    """List dashboard users and their roles (never their hashes)."""
    from dashboard.users import list_users

    found = list_users(settings().secrets_dir)
    emit(
        {"users": [{"name": u.name, "role": u.role} for u in found]},
        as_json,
        "\n".join(f"{u.name}\t{u.role}" for u in found) or "no users",
    )


@ingest_app.command("logs")
def ingest_logs_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Log files, folders or glob patterns (plain or .gz).")],
    fmt: Annotated[
        str, typer.Option("--format", help="auto | combined | common | vcombined | nginx-json | caddy-json | custom")
    ] = "auto",
    as_json: JsonFlag = False,
) -> None:
    """Parse, pseudonymize and load web access logs; only lines not loaded before are read."""
    from etl.ingest_logs import ingest_paths

    stats = ingest_paths(settings(), paths, fmt=fmt)
    emit(stats.as_dict(), as_json, stats.summary())


@report_app.command("usage")
def report_usage(
    date_from: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD), in the reporting time zone.")],
    date_to: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD), inclusive.")],
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Rows per list.")] = 10,
    as_json: JsonFlag = False,
) -> None:
    """Website usage for a date range: visitors, visits, pageviews, bounce rate, pages, sources, countries."""
    from etl.reports import usage_report

    start, end = _parse_date(date_from, "--from"), _parse_date(date_to, "--to")
    if end < start:
        raise ConfigError("--to is before --from")
    report = usage_report(settings(), start, end, limit)
    human = (
        f"{report['from']} .. {report['to']} ({report['timezone']}): {report['visitors']} visitors, "
        f"{report['visits']} visits, {report['pageviews']} pageviews, bounce rate {report['bounce_rate']}, "
        f"{report['requests']} requests of which {report['bot_requests']} from bots"
    )
    emit(report, as_json, human)


@app.command()
def retention(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would go; change nothing.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Delete pseudonymized rows past event_retention_days and destroy salts past salt_retention_days."""
    from etl.retention import apply_retention

    cfg = settings()
    result = apply_retention(cfg, today=dt.datetime.now(cfg.tz).date(), dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    emit(result, as_json, f"{verb} {result['deleted']} and {len(result['salts_destroyed'])} salts")


def ensure_demo_users(cfg: Settings) -> dict[str, str]:
    """One user per role, with generated passwords kept (0600) in secrets_dir so a re-run can show them."""
    from dashboard.users import ROLES, add_user, list_users, new_password
    from etl.keystore import ensure_secrets_dir, read_private, write_private

    ensure_secrets_dir(cfg.secrets_dir)
    logins_path = cfg.secrets_dir / DEMO_LOGINS
    logins: dict[str, str] = json.loads(read_private(logins_path)) if logins_path.exists() else {}
    existing = {u.name for u in list_users(cfg.secrets_dir)}
    for role in ROLES:
        name = f"demo-{role}"
        if name in existing and name in logins:
            continue
        logins[name] = new_password()
        add_user(cfg.secrets_dir, name, role, logins[name], replace=True)
    write_private(logins_path, json.dumps(logins, indent=2).encode())
    return logins


@app.command()
def demo(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")] = 8501,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "localhost",
    days: Annotated[int, typer.Option(min=1, help="Days of sample data (first run only).")] = 30,
    serve: Annotated[bool, typer.Option(help="Serve the dashboard when done.")] = True,
) -> None:
    """Generate sample data (once), ingest what changed, create demo users and serve the dashboard."""
    cfg = settings()
    from etl.generate import generate as run_generate

    if not (DEMO_DIR / "inquiries.csv").exists():
        start = dt.date.today() - dt.timedelta(days=days - 1)
        result = run_generate(DEMO_DIR, days=days, start=start, seed=42, visitors_per_day=600)
        say(f"generated {result.log_lines} log lines, {result.inquiries} inquiries in {DEMO_DIR}")
    from etl.ingest_logs import ingest_paths

    say(f"logs: {ingest_paths(cfg, [DEMO_DIR / 'logs']).summary()}")
    logins = ensure_demo_users(cfg)
    say("demo logins (generated for this machine, kept in secrets_dir):")
    for name, password in logins.items():
        say(f"  {name:<18} {password}")
    if serve:
        _serve(port, host)


def main() -> None:
    """Console-script entry: expected failures become one line on stderr and an exit code."""
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except VcarError as exc:
        say(f"vcar: error: {exc}")
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        say("vcar: aborted")
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        import click

        if isinstance(exc, click.exceptions.UsageError):
            exc.show()
            sys.exit(2)
        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if os.environ.get("VCAR_DEBUG"):
            raise
        # The message may quote input data, so only its type is printed (VCAR_DEBUG=1 shows everything).
        say(f"vcar: internal error ({type(exc).__name__}); re-run with VCAR_DEBUG=1 for details")
        sys.exit(1)


if __name__ == "__main__":
    main()
