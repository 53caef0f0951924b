"""The e-mail digest (``vcar digest``): a short morning summary per role, as plain text and HTML, sent by SMTP.

- compliance: open, at-risk and overdue rights requests, the overdue and at-risk ones by id with their deadlines,
  and the identity checks pending longest. Requests are named by id, never by their subject.
- manager: inquiries without a first response past ``first_response_sla_hours``, oldest first, and the week's
  first-response figures.
- marketing: the last seven full days against the seven before, top pages and sources (counts below ``k_min``
  shown as "< k").

Every section is built by ``etl/reporting/summaries.py`` (the figures of ``etl/reporting/reports.py``, as the Overview
shows them) on one read connection, and formatted by ``etl/core/metrics.py``. A digest is built
once as sections of lines and tables, then drawn twice: as text, and as HTML in which every value is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from etl.compliance.promises import changed as promise_changes
from etl.core import clock, warehouse
from etl.core.errors import ConfigError, FieldError, VcarError
from etl.core.metrics import label
from etl.core.settings import Settings, is_address
from etl.core.words import as_words, local_time, text_table, zone_name
from etl.reporting.formatting import change_between, display
from etl.reporting.reports import past_sla, rights_of_register
from etl.reporting.summaries import (
    RIGHTS_TILES,
    clock_row,
    first_response,
    pick,
    register,
    the_week,
    week_lists,
    week_periods,
)

DIGEST_ROLES = ("compliance", "manager", "marketing")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
PASSWORD_FILE = "smtp_password"
TIMEOUT_SECONDS = 20
LIST_LIMIT = 20
TOP = 5  # the top pages and sources of the week
WEEK_METRICS = ("visitors", "visits", "pageviews", "bounce_rate", "views_per_visit", "visit_duration_s", "inquiries")


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class Digest:
    role: str
    as_of: dt.date
    subject: str
    intro: str
    sections: list[Section]
    footer: str

    def text(self) -> str:
        out = [self.subject, self.intro, ""]
        for section in self.sections:
            out += [section.title, "-" * len(section.title), *section.lines]
            if section.headers:
                out += text_table(section.headers, section.rows)
            out.append("")
        return "\n".join([*out, self.footer, ""])

    def html(self) -> str:
        e = html.escape
        parts = [f'<h1 style="font-size:18px">{e(self.subject)}</h1>', f"<p>{e(self.intro)}</p>"]
        for section in self.sections:
            parts.append(f'<h2 style="font-size:15px">{e(section.title)}</h2>')
            parts += [f"<p>{e(line)}</p>" for line in section.lines]
            if section.headers:
                head = "".join(f'<th style="{_CELL}">{e(h)}</th>' for h in section.headers)
                body = "".join(
                    "<tr>" + "".join(f'<td style="{_CELL}">{e(cell)}</td>' for cell in row) + "</tr>"
                    for row in section.rows
                )
                parts.append(f'<table style="border-collapse:collapse"><tr>{head}</tr>{body}</table>')
        parts.append(f'<p style="color:#666">{e(self.footer)}</p>')
        return '<html><body style="font-family:sans-serif">' + "".join(parts) + "</body></html>"

    def as_dict(self) -> dict[str, Any]:
        return {"role": self.role, "as_of": self.as_of.isoformat(), "subject": self.subject, "intro": self.intro,
                "sections": [asdict(s) for s in self.sections]}


_CELL = "border:1px solid #ccc;padding:2px 6px;text-align:left"


def build(cfg: Settings, role: str, as_of: dt.date, now: dt.datetime, site: str | None = None) -> Digest:
    """The digest of ``role`` as of a day; ``now`` (aware) is the moment of a digest of today. ``site`` narrows the
    marketing digest's web figures to one site (the other roles' have none)."""
    if role not in DIGEST_ROLES:
        raise ConfigError(f"--role: {role!r} is not one of {', '.join(DIGEST_ROLES)}")
    if site is not None and role != "marketing":
        raise FieldError("site", f"the {role} digest has no web figures to narrow; --site is for --role marketing")
    footer = f"Sent by vcar digest --role {role}. The dashboard: {cfg.public_url}"
    if role == "compliance":
        return _compliance(cfg, as_of, footer)
    if role == "manager":
        today = now.astimezone(cfg.tz).date()
        moment = now if as_of >= today else dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(0), cfg.tz)
        return _manager(cfg, as_of, moment, footer)
    return _marketing(cfg, as_of, footer, site)


def _compliance(cfg: Settings, as_of: dt.date, footer: str) -> Digest:
    report = rights_of_register(register(cfg, as_of), as_of)
    summary = [f"{label(k)}: {display(k, report[k])}" for k in RIGHTS_TILES]
    attention = Section(
        "Past or near a deadline, most urgent first",
        [] if report["attention"] else ["None: every open request is on track on both clocks."],
        list(clock_row(report["attention"][0])) if report["attention"] else [],
        [list(clock_row(r).values()) for r in report["attention"]],
    )
    pending = report["identity_pending"][:LIST_LIMIT]
    identity = Section(
        "Identity checks pending",
        [] if pending else ["None."],
        ["Request", "Type", "Asked on", "Days pending"] if pending else [],
        [[r["request_id"], as_words(r["type"]), r["pending_since"], f"{r['days_pending']:,}"] for r in pending],
    )
    changes = promise_changes(cfg, as_of)
    promises = Section(
        "Promises that changed status since the day before",
        [] if changes else ["None."],
        ["Promise", "Law", "Was", "Now", "Evidence"] if changes else [],
        [[c["id"], c["regime"].upper(), as_words(c["was"] or "new"), as_words(c["now"]), c["summary"]]
         for c in changes],
    )
    return Digest(
        "compliance", as_of, f"Rights requests on {as_of}: {report['overdue']} legally overdue, "
        f"{report['past_promise']} past the promise, {report['at_risk']} at risk",
        f"The rights register as of {as_of}, on two clocks: the promise of 15 business days and the legal deadline "
        "in force (one month, three after an extension, or the PIPL's 15 working days)."
        + (f" {report['provisional_note']}" if report["provisional_note"] else ""),
        [Section("Summary", summary), attention, identity, promises], footer,
    )


def _waiting(hours: float) -> str:
    return f"{hours:,.0f} h" if hours < 48 else f"{hours / 24:,.0f} days"


def _moment(moment: dt.datetime, as_of: dt.date, cfg: Settings) -> str:
    local = moment.astimezone(cfg.tz)
    return f"the end of {as_of}" if local.date() > as_of else local.strftime("%Y-%m-%d %H:%M")


def _manager(cfg: Settings, as_of: dt.date, moment: dt.datetime, footer: str) -> Digest:
    with warehouse.read(cfg.warehouse, parquet=cfg.warehouse_parquet) as con:
        past = past_sla(con, cfg, moment)
        week = {r["metric"]: r["value"] for r in the_week(con, as_of)["week"]}
        start, end = week_periods(as_of)["week"][0]
        first = first_response(con, cfg, start, end, moment)
    summary = [
        f"{label('inquiries')} in the last 7 days ({start} – {end}): {display('inquiries', week['inquiries'])}",
        f"{label('not_answered')}: {display('not_answered', week['not_answered'])}",
        f"{label('median_hours')}: {display('median_hours', first['median_hours'])}",
        f"{label('within_sla_share')} ({first['sla_hours']} h): "
        f"{display('within_sla_share', first['within_sla_share'])}",
    ]
    shown = past["inquiries"][:LIST_LIMIT]
    rest = past["past_sla"] - len(shown)
    more = [f"... and {rest:,} more on the dashboard."] if rest else []
    waiting = Section(
        f"{label('past_sla')} ({past['sla_hours']} h)",
        ([] if shown else ["None: every inquiry was answered within the SLA."]) + more,
        [f"Submitted ({zone_name(cfg.timezone)})", "Waiting", "Region", "District", "Support type"] if shown else [],
        [[local_time(r["submitted_at"], cfg.tz), _waiting(r["hours_waiting"]), r["region_name"] or r["region"],
          r["district"] or "", as_words(r["support_type"])] for r in shown],
    )
    return Digest(
        "manager", as_of, f"Inquiries on {as_of}: {past['past_sla']:,} unanswered past the {past['sla_hours']} h SLA",
        f"As of {_moment(moment, as_of, cfg)} ({cfg.timezone}).", [Section("Summary", summary), waiting], footer,
    )


def _marketing(cfg: Settings, as_of: dt.date, footer: str, site: str | None) -> Digest:
    (start, end), (before_start, before_end) = week_periods(as_of)["week"]  # seven whole days to the day before
    with warehouse.read(cfg.warehouse, parquet=cfg.warehouse_parquet) as con:
        compared, lists = pick(the_week(con, as_of, site)["week"], WEEK_METRICS), week_lists(con, as_of, site)
    k = cfg.k_min
    rows = []
    for r in compared:
        hidden = any(v is not None and display(r["metric"], v, k).startswith("<") for v in (r["value"], r["previous"]))
        rows.append([label(r["metric"]), display(r["metric"], r["value"], k), display(r["metric"], r["previous"], k),
                     "–" if hidden else change_between(r["metric"], r["value"], r["previous"]) or "–"])
    week = Section("The week", [], ["", f"{start} – {end}", f"{before_start} – {before_end}", "Change"], rows)
    pages = [[r["path"], display("pageviews", r["pageviews"], k)] for r in lists["top_pages"][:TOP]]
    sources = [[r["source"], display("visits", r["visits"], k)] for r in lists["sources"][:TOP]]
    visitors = display("visitors", pick(compared, ("visitors",))[0]["value"], k)
    return Digest(
        "marketing", as_of, f"{site or 'Website'} week {start} – {end}: {visitors} visitors",
        f"Seven full days to {end} against the seven before ({cfg.timezone}); counts under {k} show as \"< {k}\".",
        [week, Section("Top pages", [], [label("page"), label("pageviews")], pages),
         Section("Top sources", [], [label("source"), label("visits")], sources)], footer,
    )


def recipients(cfg: Settings, role: str, given: list[str] | None) -> list[str]:
    """The addresses to send to: ``--to``, else the role's ``digest_to``."""
    found = list(given or cfg.digest_to.get(role, []))
    bad = [a for a in found if not is_address(a)]
    if bad:
        raise ConfigError(f"--to: {bad[0]!r} is not an e-mail address (name@domain)")
    if not found:
        raise ConfigError(f"no recipients for the {role} digest: give --to ADDRESS or set digest_to")
    return found


def message(digest: Digest, sender: str, to: list[str]) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = f"[vcar] {digest.subject}"
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(clock.now().timestamp(), localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    msg.set_content(digest.text())
    msg.add_alternative(digest.html(), subtype="html")
    return msg


def _password(cfg: Settings) -> str:
    from etl.core.keystore import read_private

    path = cfg.secrets_dir / PASSWORD_FILE
    if not path.is_file():
        raise ConfigError(f"smtp_user is set but {path} does not exist: write the password there (mode 0600)")
    return read_private(path).decode("utf-8").rstrip("\r\n")


# What each failure of an SMTP conversation means, most specific first (every smtplib error is an OSError): the
# rest of the line after "mail server host:port", given the exception and the stage it stopped at.
_FAILURES: tuple[tuple[type[OSError], Callable[[Any, str], str]], ...] = (
    (smtplib.SMTPAuthenticationError, lambda exc, _: f": login refused ({exc.smtp_code}); check smtp_user and "
                                                     f"secrets_dir/{PASSWORD_FILE}"),
    (smtplib.SMTPNotSupportedError, lambda _, stage: (
        " offers no STARTTLS: set smtp_security to tls (port 465) or none" if stage == "starttls"
        else " offers no login (AUTH): unset smtp_user, or use smtp_security starttls or tls")),
    (smtplib.SMTPRecipientsRefused, lambda *_: ": every recipient was refused; check --to or digest_to"),
    (smtplib.SMTPSenderRefused, lambda exc, _: f": sender refused ({exc.smtp_code}); check mail_from"),
    (smtplib.SMTPResponseException, lambda exc, stage: f": {stage} failed ({exc.smtp_code})"),
    (smtplib.SMTPServerDisconnected, lambda _, stage: f": closed the connection during {stage}; check smtp_security "
                                                      "(tls on port 465, starttls on 587) and smtp_port"),
    (smtplib.SMTPException, lambda _, stage: f": {stage} failed; the server's answer was not SMTP"),
    (ssl.SSLError, lambda exc, _: f": TLS failed ({exc.reason}); check smtp_security and smtp_port"),
    (socket.gaierror, lambda *_: ": host not found; check smtp_host"),
    (ConnectionRefusedError, lambda *_: ": connection refused; check smtp_host and smtp_port"),
    (TimeoutError, lambda *_: f": no answer within {TIMEOUT_SECONDS} s"),
    (OSError, lambda exc, _: f": cannot connect ({exc.strerror or type(exc).__name__})"),
)


def send(cfg: Settings, digest: Digest, to: list[str]) -> str:
    """Send through the configured server; returns ``host:port``. Every failure is one VcarError line that says
    where and what to check (never the password, the message or the recipients)."""
    if cfg.smtp_host is None:
        raise ConfigError("smtp_host is not set (VCAR_SMTP_HOST): set it, or use --dry-run")
    if cfg.mail_from is None:
        raise ConfigError("mail_from is not set (VCAR_MAIL_FROM): the digest needs a sender address")
    password = _password(cfg) if cfg.smtp_user else None
    port = cfg.smtp_port or DEFAULT_PORTS[cfg.smtp_security]
    where = f"{cfg.smtp_host}:{port}"
    stage = ["connect"]
    try:
        refused = _deliver(cfg, port, password, message(digest, cfg.mail_from, to), stage)
    except OSError as exc:
        rest = next(say(exc, stage[-1]) for kind, say in _FAILURES if isinstance(exc, kind))
        raise VcarError(f"mail server {where}{rest}") from None
    if refused:
        raise VcarError(f"mail server {where}: {len(refused)} of {len(to)} recipients refused; the others got it")
    return where


def _deliver(cfg: Settings, port: int, password: str | None, msg: EmailMessage, stage: list[str]) -> dict:
    """One SMTP conversation; ``stage`` records how far it got, for the error line."""
    assert cfg.smtp_host is not None
    if cfg.smtp_security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(cfg.smtp_host, port, timeout=TIMEOUT_SECONDS,
                                                context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(cfg.smtp_host, port, timeout=TIMEOUT_SECONDS)
    with client:
        if cfg.smtp_security == "starttls":
            stage.append("starttls")
            client.starttls(context=ssl.create_default_context())
        if cfg.smtp_user and password is not None:
            stage.append("login")
            client.login(cfg.smtp_user, password)
        stage.append("send")
        return client.send_message(msg)
