"""vcar generate, vcar dashboard and vcar demo: sample data and the dashboard server."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from etl.cli.common import JsonFlag, emit, parse_date, say, settings
from etl.core import clock
from etl.core.errors import ConfigError
from etl.core.settings import Settings
from etl.core.words import plural, thousands

STOP_GRACE_SECONDS = 7.0

DEMO_DIR = Path("data/sample")

DEMO_LOGINS = "demo_logins.json"


def _sample_window(days: int, start: dt.date | None = None) -> tuple[dt.date, dt.datetime]:
    """The first day of sample data and the moment it ends: now, as in an export taken now. By default the last
    day is the sample server's day of now (its logs rotate at its midnight), so the data reaches now and today in
    the reporting time zone, ahead of the server or behind it, holds what has happened so far."""
    from etl.sample.generate import SERVER_TZ

    now = clock.now()
    return start or now.astimezone(SERVER_TZ).date() - dt.timedelta(days=days - 1), now


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
    from etl.sample.generate import generate as run_generate

    settings()  # a wrong setting stops here, as in every command
    first, now = _sample_window(days, parse_date(start, "--start") if start else None)
    result = run_generate(out, days=days, start=first, seed=seed, visitors_per_day=visitors_per_day, until=now)
    emit(
        result.as_dict(),
        as_json,
        f"wrote {thousands(result.log_lines)} log lines in {thousands(len(result.log_files))} files, "
        f"{thousands(result.inquiries)} inquiries and {thousands(result.rights_requests)} rights requests to {out}",
    )


def dashboard(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")] = 8501,
    host: Annotated[str, typer.Option(help="Address to bind (0.0.0.0 for every interface).")] = "localhost",
) -> None:
    """Serve the dashboard (Streamlit) until interrupted."""
    cfg = settings()
    from etl.access.sso import write_streamlit_secrets
    from etl.access.users import list_users
    from etl.core.keystore import ensure_secrets_dir

    ensure_secrets_dir(cfg.secrets_dir)
    company_login = write_streamlit_secrets(cfg)
    if not list_users(cfg.secrets_dir) and company_login is None:
        say("no dashboard users yet: add one with 'vcar users add NAME --role admin'")
    _serve(port, host, company_login)


def _serve(port: int, host: str, secrets_file: Path | None = None) -> None:
    """Run Streamlit as a child and pass SIGTERM and SIGINT on to it.

    systemd, supervisord and test harnesses stop ``vcar dashboard`` with SIGTERM: the signal goes on to
    Streamlit, and if a stuck session keeps it alive past STOP_GRACE_SECONDS it is killed, so the port is
    free within seconds and a restart works."""
    from importlib.util import find_spec

    spec = find_spec("dashboard")  # located, not imported: the dashboard runs in Streamlit's own process
    if spec is None or spec.origin is None:
        raise ConfigError("the dashboard package is not installed beside the CLI (reinstall vcar-insights)")
    app_file = Path(spec.origin).resolve().parent / "app.py"
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app_file),
        "--server.port", str(port), "--server.address", host, "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--client.toolbarMode", "minimal", "--server.runOnSave", "false",
        # dashboard/static/ (the world map's outline) served by the app itself: no CDN, which may be unreachable
        "--server.enableStaticServing", "true",
    ]
    if secrets_file is not None:  # company single sign-on: Streamlit's [auth] section, kept in secrets_dir
        cmd += ["--secrets.files", str(secrets_file)]
    say(f"dashboard: http://{'localhost' if host in ('0.0.0.0', '::') else host}:{port}")
    child = subprocess.Popen(cmd, env=os.environ.copy())
    stop_asked: list[float] = []

    def forward(signum: int, _frame: object) -> None:
        stop_asked.append(time.monotonic())
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, forward)
    while True:
        try:
            code = child.wait(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            if stop_asked and time.monotonic() - stop_asked[0] > STOP_GRACE_SECONDS:
                child.kill()
    raise typer.Exit(0 if stop_asked else code)


def ensure_demo_users(cfg: Settings) -> dict[str, str]:
    """One user per role, with generated passwords kept (0600) in secrets_dir so a re-run can show them."""
    from etl.access.accounts import add_user, new_password
    from etl.access.users import list_users
    from etl.compliance import audit
    from etl.core.keystore import ensure_secrets_dir, read_private, write_private
    from etl.core.roles import ROLES

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
        audit.record(cfg, audit.cli_actor(), "user.add", name, {"role": role, "demo": True})
    write_private(logins_path, json.dumps(logins, indent=2).encode())
    return logins


def demo(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")] = 8501,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "localhost",
    days: Annotated[int, typer.Option(min=1, help="Days of sample data (first run only).")] = 30,
    serve: Annotated[bool, typer.Option(help="Serve the dashboard when done.")] = True,
) -> None:
    """Generate sample data (once), ingest what changed, create demo users and serve the dashboard."""
    cfg = settings()
    from etl.sample.generate import generate as run_generate

    if not (DEMO_DIR / "inquiries.csv").exists():
        start, now = _sample_window(days)
        result = run_generate(DEMO_DIR, days=days, start=start, seed=42, visitors_per_day=600, until=now)
        say(f"generated {plural(result.log_lines, 'log line')}, {thousands(result.inquiries)} inquiries in {DEMO_DIR}")
    from etl.ingest.logs.ingest import ingest_paths

    say(f"logs: {ingest_paths(cfg, [DEMO_DIR / 'logs']).summary()}")
    from etl.ingest.inquiries.ingest import ingest_inquiries
    from etl.ingest.rights import import_requests

    say(f"inquiries: {ingest_inquiries(cfg, DEMO_DIR / 'inquiries.csv').summary()}")
    say(f"rights: {import_requests(cfg, DEMO_DIR / 'rights_requests.csv').summary()}")
    logins = ensure_demo_users(cfg)
    say("demo logins (generated for this machine, kept in secrets_dir):")
    for name, password in logins.items():
        say(f"  {name:<18} {password}")
    if serve:
        from etl.access.sso import write_streamlit_secrets

        _serve(port, host, write_streamlit_secrets(cfg))
