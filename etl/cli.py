"""The ``vcar`` command line. Exit codes: 0 success, 1 failure, 2 bad usage or configuration.

With ``--json`` a command prints exactly one JSON document on stdout; people-facing text goes to stderr.
"""

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
from typing import Annotated, Any

import typer

from etl import clock
from etl.errors import ConfigError, FieldError, InputError, VcarError
from etl.formatting import count, counted, display, text_table, words
from etl.logs import FORMATS as LOG_FORMATS
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
rights_app = typer.Typer(help="The data-subject rights register (GDPR Art. 15-22) and its deadlines.",
                         no_args_is_help=True)  # fmt: skip
subject_app = typer.Typer(help="Export or erase what the warehouse holds for one data subject.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
geoip_app = typer.Typer(help="The GeoIP database: its age and coverage, and its update.", no_args_is_help=True)
app.add_typer(rights_app, name="rights")
app.add_typer(subject_app, name="subject")
app.add_typer(audit_app, name="audit")
app.add_typer(users_app, name="users")
app.add_typer(ingest_app, name="ingest")
app.add_typer(report_app, name="report")
app.add_typer(geoip_app, name="geoip")


@app.callback()
def _check_settings() -> None:
    """Validate settings before any command runs: a wrong value stops here with one line and exit 2."""
    load_settings()


JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
DateFrom = Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD), in the reporting time zone.")]
DateTo = Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD), inclusive.")]
DEMO_DIR = Path("data/sample")
DEMO_LOGINS = "demo_logins.json"


def _filter(key: str) -> Any:
    """A report's filter option, its help from the metric registry (etl/metrics.py)."""
    from etl.metrics import DIMENSION_BY_KEY

    return typer.Option(help=f"Only this {key}: {DIMENSION_BY_KEY[key].definition}.")


CountryFilter = Annotated[str | None, _filter("country")]
RegionFilter = Annotated[str | None, _filter("region")]
DeviceFilter = Annotated[str | None, _filter("device")]
BrowserFilter = Annotated[str | None, _filter("browser")]
SourceFilter = Annotated[str | None, _filter("source")]
PageFilter = Annotated[str | None, _filter("page")]


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


def _sample_window(days: int, start: dt.date | None = None) -> tuple[dt.date, dt.datetime]:
    """The first day of sample data and the moment it ends: now, as in an export taken now. By default the last
    day is the sample server's day of now (its logs rotate at its midnight), so the data reaches now and today in
    the reporting time zone, ahead of the server or behind it, holds what has happened so far."""
    from etl.sample.generate import SERVER_TZ

    now = clock.now()
    return start or now.astimezone(SERVER_TZ).date() - dt.timedelta(days=days - 1), now


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
    from etl.sample.generate import generate as run_generate

    settings()  # a wrong setting stops here, as in every command
    first, now = _sample_window(days, _parse_date(start, "--start") if start else None)
    result = run_generate(out, days=days, start=first, seed=seed, visitors_per_day=visitors_per_day, until=now)
    emit(
        result.as_dict(),
        as_json,
        f"wrote {count(result.log_lines)} log lines in {count(len(result.log_files))} files, {count(result.inquiries)} "
        f"inquiries and {count(result.rights_requests)} rights requests to {out}",
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
    from etl.accounts import list_users
    from etl.keystore import ensure_secrets_dir
    from etl.sso import write_streamlit_secrets

    ensure_secrets_dir(cfg.secrets_dir)
    company_login = write_streamlit_secrets(cfg)
    if not list_users(cfg.secrets_dir) and company_login is None:
        say("no dashboard users yet: add one with 'vcar users add NAME --role admin'")
    _serve(port, host, company_login)


STOP_GRACE_SECONDS = 7.0


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
    ]  # fmt: skip
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


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Login name (lower case).")],
    role: Annotated[str, typer.Option(help="marketing | manager | compliance | admin")],
    replace: Annotated[bool, typer.Option(help="Reset the password of an existing user.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Add a dashboard user. Prompts for the password, or reads it from stdin when stdin is not a terminal."""
    cfg = settings()
    from etl.accounts import add_user

    if sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    user = add_user(cfg.secrets_dir, name, role, password, replace=replace)
    from etl.compliance import audit

    audit.record(cfg, audit.cli_actor(), "user.reset" if replace else "user.add", name, {"role": role})
    emit({"name": user.name, "role": user.role}, as_json, f"user {user.name} ({user.role}) saved")


@users_app.command("list")
def users_list(as_json: JsonFlag = False) -> None:
    """List dashboard accounts: role, status, two-factor enrolment, last sign-in, open sessions (never a hash)."""
    from etl.formatting import local_time
    from etl.lifecycle import accounts

    cfg = settings()
    found = accounts(cfg)
    rows = [[a["name"], a["role"], a["status"] + (", reset pending" if a["reset_pending"] else ""),
             "yes" if a["two_factor"] else "no", local_time(a["last_sign_in"], cfg.tz), str(a["sessions"])]
            for a in found]  # fmt: skip
    headers = ["User", "Role", "Status", "Two-factor", f"Last sign-in ({cfg.timezone})", "Sessions"]
    emit({"users": found}, as_json, "\n".join(text_table(headers, rows)) if found else "no users")


UserName = Annotated[str, typer.Argument(help="The account's login name (vcar users list).")]
REASSIGN_HELP = ("Give its open rights requests to this compliance or admin account; without it they are flagged as "
                 "owner lost the right.")  # fmt: skip
ReassignTo = Annotated[str | None, typer.Option(help=REASSIGN_HELP)]


def _account_change(action: str, name: str, as_json: bool, **options: Any) -> None:
    """Run one etl.lifecycle change as the operator, and print what it did."""
    from etl import lifecycle
    from etl.compliance import audit

    change = getattr(lifecycle, action)(settings(), name, actor=audit.cli_actor(), **options)
    emit(change.as_dict(), as_json, change.summary())


@users_app.command("disable")
def users_disable(name: UserName, reassign_to: ReassignTo = None, as_json: JsonFlag = False) -> None:
    """Stop an account from signing in and end its sessions (refused for the last admin)."""
    _account_change("disable", name, as_json, reassign_to=reassign_to)


@users_app.command("enable")
def users_enable(name: UserName, as_json: JsonFlag = False) -> None:
    """Let a disabled account sign in again."""
    _account_change("enable", name, as_json)


@users_app.command("remove")
def users_remove(name: UserName, reassign_to: ReassignTo = None, as_json: JsonFlag = False) -> None:
    """Delete an account, its two-factor enrolment and its sessions (the audit log keeps its name)."""
    _account_change("remove", name, as_json, reassign_to=reassign_to)


@users_app.command("role")
def users_role(
    name: UserName, role: Annotated[str, typer.Argument(help="marketing | manager | compliance | admin")],
    reassign_to: ReassignTo = None, as_json: JsonFlag = False,
) -> None:  # fmt: skip
    """Change an account's role; its sessions end."""
    _account_change("set_role", name, as_json, role=role, reassign_to=reassign_to)


@users_app.command("unlock")
def users_unlock(name: UserName, as_json: JsonFlag = False) -> None:
    """Lift a lock-out after failed logins."""
    _account_change("unlock", name, as_json)


@users_app.command("reset")
def users_reset(
    name: UserName,
    two_factor: Annotated[bool, typer.Option("--two-factor", help="Also forget its two-factor enrolment.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Replace an account's password by a one-time reset code, shown here once (only its hash is kept); its
    sessions end. The person sets a new password with it at the login page's "Reset my password"."""
    from etl import lifecycle
    from etl.compliance import audit
    from etl.formatting import local_time

    cfg = settings()
    done = lifecycle.reset(cfg, name, actor=audit.cli_actor(), two_factor=two_factor)
    until = local_time(done.expires, cfg.tz) + f" {cfg.timezone}"
    emit(done.change.as_dict() | {"code": done.code, "expires": done.expires.isoformat()}, as_json,
         f"{done.change.summary()}\nreset code for {name}, valid once until {until}: {done.code}")  # fmt: skip


@ingest_app.command("logs")
def ingest_logs_cmd(
    paths: Annotated[
        list[str], typer.Argument(help="Log files, folders or glob patterns (plain or .gz); spark: any Spark path.")
    ],
    fmt: Annotated[str, typer.Option("--format", help=" | ".join(LOG_FORMATS))] = "auto",
    engine: Annotated[str, typer.Option(help="embedded (DuckDB warehouse) | spark (Parquet under --out)")] = "embedded",
    master: Annotated[str | None, typer.Option(help="spark: the master URL, e.g. local[2] or yarn")] = None,
    out: Annotated[str | None, typer.Option(help="spark: the output folder (local, hdfs://, s3a://)")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Parse, pseudonymize and load web access logs; only lines not loaded before are read."""
    if engine == "spark":
        if not out:
            raise ConfigError("--engine spark needs --out DIR (the folder the Parquet tables go to)")
        from etl.logs.spark_job import DEFAULT_MASTER, run_job

        job = run_job(settings(), paths, out, master=master or DEFAULT_MASTER, fmt=fmt)
        emit(job.as_dict(), as_json, job.summary())
        return
    if engine != "embedded":
        raise ConfigError(f"--engine: {engine!r} is not embedded or spark")
    if master or out:
        raise ConfigError("--master and --out go with --engine spark")
    from etl.logs.ingest import ingest_paths

    with _progress_bar() as progress:
        stats = ingest_paths(settings(), [Path(p) for p in paths], fmt=fmt, progress=progress)
    emit(stats.as_dict(), as_json, stats.summary())


@contextlib.contextmanager
def _progress_bar(after_seconds: float = 1.0):
    """A progress line on stderr (Rich) for a run longer than ``after_seconds``, only when stderr is a terminal:
    a cron job or a pipe gets none. Yields the callback ``progress(file name, lines)``, or None."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} lines read"),
                   TimeElapsedColumn(), console=Console(stderr=True), transient=True)  # fmt: skip
    task = bar.add_task("reading", total=None)
    started = time.monotonic()

    def progress(name: str, lines: int) -> None:
        if not bar.live.is_started and time.monotonic() - started >= after_seconds:
            bar.start()
        bar.update(task, advance=lines, description=f"reading {name}")

    try:
        yield progress
    finally:
        if bar.live.is_started:
            bar.stop()


@report_app.command("usage")
def report_usage(
    date_from: DateFrom,
    date_to: DateTo,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Rows per list.")] = 10,
    country: CountryFilter = None,
    region: RegionFilter = None,
    device: DeviceFilter = None,
    browser: BrowserFilter = None,
    source: SourceFilter = None,
    page: PageFilter = None,
    as_json: JsonFlag = False,
) -> None:
    """Website usage for a date range: visitors, visits, pageviews, bounce rate, pages, sources, countries."""
    from etl.reports import usage_report

    start, end = _window(date_from, date_to)
    filters = _checked({"country": country, "region": region, "device": device, "browser": browser, "source": source,
                        "page": page})  # fmt: skip
    report = usage_report(_with_warehouse(), start, end, limit, filters)
    shown = {key: display(key, report[key]) for key in ("visitors", "visits", "pageviews", "bounce_rate", "requests",
                                                          "bot_requests")}  # fmt: skip
    human = (
        f"{report['from']} .. {report['to']} ({report['timezone']}): {shown['visitors']} visitors, "
        f"{shown['visits']} visits, {shown['pageviews']} pageviews, bounce rate {shown['bounce_rate']}; "
        f"{shown['requests']} requests of which {shown['bot_requests']} from bots"
        + (" (requests and bots are not split by filters)" if report["filters"] else "")
        + (f"\n{report['geoip_attribution']}" if report["geoip_attribution"] else "")
    )
    emit(report, as_json, human)


@ingest_app.command("inquiries")
def ingest_inquiries_cmd(
    path: Annotated[Path, typer.Argument(help="The contact form's export: CSV or JSON Lines (.jsonl).")],
    as_json: JsonFlag = False,
) -> None:
    """Load the contact-form export, minimized: no names, e-mails, phones or message text reach the warehouse."""
    from etl.inquiries.ingest import ingest_inquiries

    stats = ingest_inquiries(settings(), path)
    emit(stats.as_dict(), as_json, stats.summary())


def _window(date_from: str, date_to: str) -> tuple[dt.date, dt.date]:
    start, end = _parse_date(date_from, "--from"), _parse_date(date_to, "--to")
    if end < start:
        raise ConfigError("--to is before --from")
    return start, end


@report_app.command("inquiries")
def report_inquiries(
    date_from: DateFrom,
    date_to: DateTo,
    country: CountryFilter = None,
    region: RegionFilter = None,
    as_json: JsonFlag = False,
) -> None:
    """Inquiries by country, region and support type; first-response time; the funnel from web visitors on."""
    from etl.reports import inquiries_report

    place = _checked({"country": country, "region": region})
    report = inquiries_report(_with_warehouse(), *_window(date_from, date_to), country=place["country"],
                              region=place["region"])  # fmt: skip
    f, first = report["funnel"], report["first_response"]
    human = (
        f"{report['from']} .. {report['to']}: {display('visitors', f['visitors'])} visitors -> "
        f"{display('contact_page_visitors', f['contact_page_visitors'])} on the contact page -> "
        f"{display('inquiries', f['submissions'])} inquiries -> {display('responded', f['responded'])} answered -> "
        f"{display('closed', f['closed'])} closed; median first response "
        f"{display('median_hours', first['median_hours'])}, "
        f"within SLA {display('within_sla_share', first['within_sla_share'])}"
        + (f"\n{report['geoip_attribution']}" if report["geoip_attribution"] else "")
    )
    emit(report, as_json, human)


@report_app.command("rights")
def report_rights(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="The register as it stood that day (YYYY-MM-DD; default today in the reporting time zone)."
        ),
    ] = None,
    window_days: Annotated[int, typer.Option(min=1, max=3660, help="Closures counted over this many days.")] = 90,
    as_json: JsonFlag = False,
) -> None:
    """The rights register's figures: open, at risk, overdue; on-time share and median days to close."""
    from etl.reports import rights_report

    cfg = _with_warehouse()
    report = rights_report(cfg, _as_of(as_of, cfg), window_days)
    shown = {key: display(key, report[key]) for key in ("open_requests", "at_risk", "overdue", "on_time_share",
                                                         "median_days_to_close")}  # fmt: skip
    human = (
        f"as of {report['as_of']}: {shown['open_requests']} open, {shown['at_risk']} at risk, {shown['overdue']} "
        f"overdue; last {window_days} days: on time {shown['on_time_share']}, median days to close "
        f"{shown['median_days_to_close']}"
    )
    emit(report, as_json, human)


def _with_warehouse() -> Settings:
    """The settings of a report, whose warehouse must exist: a mistyped path is told, not answered with zeros from
    a new empty warehouse."""
    cfg = settings()
    nearest = next((folder for folder in cfg.warehouse.parents if folder.exists()), None)
    if nearest is not None and not nearest.is_dir():  # a wrong setting, not data yet to load
        raise ConfigError(f"setting warehouse (VCAR_WAREHOUSE): {nearest} is a file, so {cfg.warehouse} cannot be "
                          "a warehouse in it")  # fmt: skip
    if not cfg.warehouse.exists():
        raise InputError(f"setting warehouse (VCAR_WAREHOUSE): no warehouse at {cfg.warehouse}; load data first "
                         "with vcar ingest logs PATH, or point the setting at the existing one")  # fmt: skip
    return cfg


def _checked(filters: dict[str, str | None]) -> dict[str, str | None]:
    """Report filters in the form they are stored (``cn-gd`` is ``CN-GD``), each checked against its dimension in
    the registry (FieldError, exit 2)."""
    from etl.metrics import check_filter, normalize_filter

    for key, value in filters.items():
        problem = check_filter(key, value)
        if problem:
            raise FieldError(key, problem)
    return {key: normalize_filter(key, value) for key, value in filters.items()}


def _as_of(value: str | None, cfg: Settings) -> dt.date:
    return _parse_date(value, "--as-of") if value else clock.today(cfg.tz)


@geoip_app.command("status")
def geoip_status(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Age and last day as of this day (YYYY-MM-DD).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """The database in use: type, build date, age, and how much of the last loaded day it placed."""
    from etl.geoip.database import status, status_text

    cfg = settings()
    result = status(cfg, _as_of(as_of, cfg))
    emit(result, as_json, status_text(result))


@geoip_app.command("update")
def geoip_update(
    out: Annotated[Path | None, typer.Option(help="Write the database here instead of geoip_db.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="The day the URL's {year} and {month} are of.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Download geoip_update_url, check its checksum and type, and swap it in; the old file stays on any failure."""
    from etl.geoip.update import update, update_text

    cfg = settings()
    result = update(cfg, _as_of(as_of, cfg), out)
    emit(result, as_json, update_text(result))


@rights_app.command("import")
def rights_import(
    path: Annotated[Path, typer.Argument(help="A register export (CSV or JSON Lines) keyed by request_id.")],
    as_json: JsonFlag = False,
) -> None:
    """Import requests; a re-import of the same file changes nothing (idempotent by request_id)."""
    from etl.compliance.rights import import_requests

    stats = import_requests(settings(), path)
    emit(stats.as_dict(), as_json, stats.summary())


@rights_app.command("add")
def rights_add(
    type_: Annotated[
        str,
        typer.Option(
            "--type", help="access | rectification | erasure | restriction | portability | objection | withdraw_consent"
        ),
    ],  # fmt: skip
    received: Annotated[str, typer.Option(help="Day of receipt (YYYY-MM-DD).")],
    email: Annotated[str | None, typer.Option(help="The subject's e-mail (stored only as a keyed hash).")] = None,
    phone: Annotated[str | None, typer.Option(help="The subject's phone (stored only as a keyed hash).")] = None,
    channel: Annotated[str, typer.Option(help="email | web_form | phone | post | in_person | other")] = "email",
    as_json: JsonFlag = False,
) -> None:
    """Register a new request; prints its id and deadlines."""
    from etl.compliance import rights

    cfg = settings()
    request = rights.add(cfg, type_=type_, received=_parse_date(received, "--received"), email=email, phone=phone,
                         channel=channel)  # fmt: skip
    row = rights.describe(request, cfg, _as_of(None, cfg))
    emit(
        row,
        as_json,
        f"{request.request_id}: {words(type_)}, due {row['due_date'] or 'when the identity is verified'}, legal "
        f"deadline {row['statutory_deadline'] or 'when the identity is verified'}",
    )


@rights_app.command("update")
def rights_update(
    request_id: Annotated[str, typer.Argument(help="The request id, e.g. DSR-2026-0007.")],
    status: Annotated[
        str | None, typer.Option(help="awaiting_identity | in_progress | extended | completed | rejected | withdrawn")
    ] = None,  # fmt: skip
    identity_verified: Annotated[str | None, typer.Option(help="Day the identity was verified (YYYY-MM-DD).")] = None,
    extend: Annotated[bool, typer.Option("--extend", help="Extend by two months (told the subject today).")] = False,
    reason: Annotated[str | None, typer.Option(help="Why it is extended (required with --extend).")] = None,
    note: Annotated[str | None, typer.Option(help="A note; e-mails and numbers in it are masked.")] = None,
    owner: Annotated[
        str | None, typer.Option(help='Who answers it: a compliance or admin account (vcar users list); "" for nobody.')
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Move a request along its lifecycle; refused when the transition or the extension is not allowed."""
    from etl.compliance import rights

    cfg = settings()
    verified = _parse_date(identity_verified, "--identity-verified") if identity_verified else None
    request = rights.update(cfg, request_id, status=status, identity_verified=verified, extend=extend, reason=reason,
                            note=note, owner=owner)  # fmt: skip
    row = rights.describe(request, cfg, _as_of(None, cfg))
    deadline = row["deadline"] or "none while the identity is awaited"
    emit(row, as_json, f"{request_id}: {words(row['status'])}, {words(row['sla_state'])}, deadline {deadline}, owner "
                       f"{row['owner'] or 'nobody'}")  # fmt: skip


@rights_app.command("list")
def rights_list(
    open_only: Annotated[bool, typer.Option("--open", help="Only requests not yet closed.")] = False,
    as_of: Annotated[
        str | None, typer.Option(help="The register as it stood at the end of this day (YYYY-MM-DD; default today).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The register with due date (15 business days), legal deadline (one month), days left and SLA state."""
    from etl.compliance.rights import listing, provisional_note

    cfg = _with_warehouse()
    day = _as_of(as_of, cfg)
    rows = listing(cfg, as_of=day, open_only=open_only)
    if as_json:
        typer.echo(json.dumps({"as_of": day.isoformat(), "requests": rows}, ensure_ascii=False, default=str))
        return
    say(f"as of {day}: {counted(len(rows), 'request')}")
    if rows:
        headers = ["Request", "Type", "Status", "Due", "Legal deadline", "SLA state", "Days left", "Owner"]
        lines = [[r["request_id"], words(r["type"]), words(r["status"]), str(r["due_date"] or ""),
                  str(r["statutory_deadline"] or ""), words(r["sla_state"]),
                  "" if r["days_left"] is None else count(r["days_left"]), r["owner"] or ""] for r in rows]  # fmt: skip
        say("\n".join(f"  {line}" for line in text_table(headers, lines)))
        note = provisional_note(rows)
        if note:
            say(note)


@subject_app.command("export")
def subject_export(
    email: Annotated[str | None, typer.Option(help="The subject's e-mail.")] = None,
    phone: Annotated[str | None, typer.Option(help="The subject's phone number.")] = None,
    out: Annotated[Path | None, typer.Option(help="Write the JSON here (mode 0600) instead of stdout.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Everything the warehouse holds for one subject, machine-readable (Art. 15 and 20)."""
    from etl.compliance.subject_rights import export
    from etl.keystore import write_private

    data = export(settings(), email=email, phone=phone)
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    if out is not None:
        write_private(out, text.encode("utf-8"))
        say(f"wrote {out}: {len(data['inquiries'])} inquiries, {len(data['rights_requests'])} rights requests")
    elif as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, default=str))
    else:
        typer.echo(text)


@subject_app.command("erase")
def subject_erase(
    email: Annotated[str | None, typer.Option(help="The subject's e-mail.")] = None,
    phone: Annotated[str | None, typer.Option(help="The subject's phone number.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Erase a subject (Art. 17): cut every link to them; counts stay as anonymous numbers."""
    from etl.compliance.subject_rights import erase

    if not yes:
        raise ConfigError("subject erase cannot be undone: add --yes to confirm")
    result = erase(settings(), email=email, phone=phone)
    emit(result, as_json, f"{result['subject']}: {result['inquiries_anonymized']} inquiries anonymized, "
                          f"{result['rights_requests_unlinked']} rights requests unlinked")  # fmt: skip


@audit_app.command("verify")
def audit_verify(as_json: JsonFlag = False) -> None:
    """Recompute the hash chain; exit 1 and name the first broken entry if anything was altered."""
    from etl import warehouse
    from etl.compliance import audit

    with warehouse.read(settings().warehouse) as con:
        result = audit.verify(con)
    payload = {"entries": result.entries, "ok": result.ok, "first_broken": result.first_broken, "reason": result.reason}
    human = (f"audit chain intact: {count(result.entries)} entries" if result.ok
             else f"audit chain broken at entry {result.first_broken}: {result.reason}")  # fmt: skip
    emit(payload, as_json, human)
    if not result.ok:
        raise typer.Exit(1)


@app.command()
def promises(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge as of this day (YYYY-MM-DD); default today.")
    ] = None,
    fail_on: Annotated[
        str | None, typer.Option("--fail-on", help="Exit 1 when a promise is at least this bad: at_risk | broken.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Each promise of the privacy policy with its status (kept, at_risk, broken, not_checked) and evidence."""
    from etl.compliance.promises import AT_RISK, BROKEN, SEVERITY, evaluate, worst

    if fail_on is not None and fail_on not in (AT_RISK, BROKEN):
        raise ConfigError(f"--fail-on: {fail_on!r} is not at_risk or broken")
    cfg = _with_warehouse()
    day = _parse_date(as_of, "--as-of") if as_of else None
    result = evaluate(cfg, day)
    lines = [f"privacy policy {result['policy_version']}, as of {result['as_of']}:"]
    lines += [f"  {words(p['status']):<11} {p['id']} (section {p['section']}): {p['summary']}"
              for p in result["promises"]]  # fmt: skip
    emit(result, as_json, "\n".join(lines))
    if fail_on is not None and SEVERITY[worst(result)] >= SEVERITY[fail_on]:
        raise typer.Exit(1)


@app.command()
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


@app.command()
def digest(
    role: Annotated[str, typer.Option(help="compliance | manager | marketing")],
    to: Annotated[
        list[str] | None, typer.Option("--to", help="Send to this address (repeatable); default: the role's digest_to.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The digest of this day (YYYY-MM-DD); default today.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the e-mail instead of sending it.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """E-mail a role its morning summary (plain text and HTML) through the smtp_* settings."""
    from etl.digest import build, recipients, send

    cfg = _with_warehouse()  # an all-clear from a new empty warehouse would be a lie
    role = role.lower()
    day = _as_of(as_of, cfg)
    if day > clock.today(cfg.tz):
        raise FieldError("as_of", f"{day} is in the future: a digest tells what has happened")
    addresses = recipients(cfg, role, to) if to or not dry_run else []
    mail = build(cfg, role, day, clock.local_now(cfg.tz))
    if dry_run:
        if as_json:
            typer.echo(json.dumps(mail.as_dict() | {"sent": False, "text": mail.text(), "html": mail.html()},
                                  ensure_ascii=False))  # fmt: skip
        else:
            typer.echo(f"Subject: [vcar] {mail.subject}\n\n{mail.text()}", nl=False)
        return
    server = send(cfg, mail, addresses)
    from etl.compliance import audit

    audit.record(cfg, audit.cli_actor(), "digest.sent", role, {"as_of": day.isoformat(), "recipients": len(addresses)})
    emit(mail.as_dict() | {"sent": True, "recipients": len(addresses)}, as_json,
         f"{role} digest of {day} sent to {len(addresses)} recipients through {server}")  # fmt: skip


@app.command()
def overview(
    role: Annotated[str, typer.Option(help="marketing | manager | compliance | admin")],
    as_json: JsonFlag = False,
) -> None:
    """The dashboard's Overview of a role as of now: the same tiles and tables, and how fresh the data is."""
    from etl.accounts import ROLES
    from etl.overview import overview as build

    role = role.lower()  # typed in any case, as filter values are
    if role not in ROLES:
        raise ConfigError(f"--role: {role!r} is not one of {', '.join(ROLES)}")
    cfg = _with_warehouse()
    shown = build(cfg, role, clock.now())
    if as_json:
        typer.echo(json.dumps(shown, ensure_ascii=False, default=str))
        return
    fresh = shown["freshness"]
    lines = [f"Last log line: {fresh['last_log_line']}. Last load: {fresh['last_load']}.", *fresh["warnings"]]
    for section in shown["sections"]:
        lines += ["", section["title"], "-" * len(section["title"])]
        lines += [f"{tile['label']}: {tile['value']}" + (f" ({tile['delta']})" if tile["delta"] else "")
                  for row in section["tiles"] for tile in row]  # fmt: skip
        lines += [section["note"]] if section["note"] else []
        for table in section["tables"]:
            lines += ["", f"{table['title']}:"]
            rows = [list(r.values()) for r in table["rows"]]
            lines += [f"  {line}" for line in text_table(list(table["rows"][0]), rows)] if rows else ["  none"]
    typer.echo("\n".join(lines))


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


@app.command()
def retention(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would go; change nothing.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Seal days whose salt is due (destroying it) and delete pseudonymized rows past event_retention_days."""
    from etl.compliance.retention import apply_retention
    from etl.formatting import local_time

    cfg = settings()
    result = apply_retention(cfg, dry_run=dry_run)
    delete, seal, destroy = ("would delete", "seal", "destroy") if dry_run else ("deleted", "sealed", "destroyed")
    deleted = ", ".join(f"{count(n)} {table}" for table, n in result["deleted"].items() if n) or "nothing"
    next_seal = result["open_days"][0]["seals_at"] if result["open_days"] else None
    emit(result, as_json, (
        f"{delete} {deleted}, {seal} {counted(len(result['days_sealed']), 'day')} and {destroy} "
        f"{counted(len(result['salts_destroyed']), 'salt')}; {counted(len(result['open_days']), 'day')} stay"
        f"{'s' if len(result['open_days']) == 1 else ''} open"
        + (f" (the next is sealed at {local_time(next_seal, cfg.tz)}, {cfg.timezone})" if next_seal else "")
    ))  # fmt: skip


def ensure_demo_users(cfg: Settings) -> dict[str, str]:
    """One user per role, with generated passwords kept (0600) in secrets_dir so a re-run can show them."""
    from etl.accounts import ROLES, add_user, list_users, new_password
    from etl.compliance import audit
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
        audit.record(cfg, audit.cli_actor(), "user.add", name, {"role": role, "demo": True})
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
    from etl.sample.generate import generate as run_generate

    if not (DEMO_DIR / "inquiries.csv").exists():
        start, now = _sample_window(days)
        result = run_generate(DEMO_DIR, days=days, start=start, seed=42, visitors_per_day=600, until=now)
        say(f"generated {result.log_lines} log lines, {result.inquiries} inquiries in {DEMO_DIR}")
    from etl.logs.ingest import ingest_paths

    say(f"logs: {ingest_paths(cfg, [DEMO_DIR / 'logs']).summary()}")
    from etl.compliance.rights import import_requests
    from etl.inquiries.ingest import ingest_inquiries

    say(f"inquiries: {ingest_inquiries(cfg, DEMO_DIR / 'inquiries.csv').summary()}")
    say(f"rights: {import_requests(cfg, DEMO_DIR / 'rights_requests.csv').summary()}")
    logins = ensure_demo_users(cfg)
    say("demo logins (generated for this machine, kept in secrets_dir):")
    for name, password in logins.items():
        say(f"  {name:<18} {password}")
    if serve:
        from etl.sso import write_streamlit_secrets

        _serve(port, host, write_streamlit_secrets(cfg))


def _is_click(exc: BaseException, name: str) -> bool:
    """Typer vendors its own click: match its exception classes by name, whichever click raised them."""
    return any(cls.__name__ == name for cls in type(exc).__mro__)


def main() -> None:
    """Console-script entry: expected failures become one line on stderr and an exit code; with ``--json`` every
    outcome, errors included, is exactly one JSON document on stdout."""
    as_json = "--json" in sys.argv[1:]

    def fail(message: str, code: int, shown_already: bool = False) -> None:
        if not shown_already:
            say(message)
        if as_json:
            typer.echo(json.dumps({"error": message.removeprefix("vcar: error: "), "exit_code": code}))
        sys.exit(code)

    try:
        code = app(standalone_mode=False, prog_name="vcar")
        sys.exit(code if isinstance(code, int) else 0)
    except VcarError as exc:
        fail(f"vcar: error: {exc}", exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        fail("vcar: aborted", 1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if _is_click(exc, "ClickException"):  # usage errors: Typer's usage message, exit 2
            exc.show()  # type: ignore[attr-defined]
            fail(exc.format_message(), exc.exit_code, shown_already=True)  # type: ignore[attr-defined]
        if os.environ.get("VCAR_DEBUG"):
            raise
        # The message may quote input data, so only its type is printed (VCAR_DEBUG=1 shows everything).
        fail(f"vcar: internal error ({type(exc).__name__}); re-run with VCAR_DEBUG=1 for details", 1)


if __name__ == "__main__":
    main()
