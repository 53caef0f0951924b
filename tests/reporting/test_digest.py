"""The e-mail digest: what each role is told, that it reaches a real SMTP server, and how sending fails."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import socket
from datetime import date as D

import pytest

from etl.access.accounts import add_user
from etl.compliance import rights
from etl.core.errors import ConfigError, VcarError
from etl.core.keystore import ensure_secrets_dir, write_private
from etl.core.settings import load_settings
from etl.reporting import digest
from etl.reporting.formatting import display
from etl.reporting.reports import usage_report

USER, PASSWORD = "digest-sender", "correct horse battery"
SUBJECTS = ("late.one@example.cn", "soon.two@example.cn", "waiting.three@example.cn")
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch, settings_env):
    """An SMTP server on 127.0.0.1 that accepts USER/PASSWORD, and settings that send through it."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
        given = (auth_data.login, auth_data.password) if isinstance(auth_data, LoginPassword) else None
        return AuthResult(success=given == (USER.encode(), PASSWORD.encode()), handled=False)

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    env = {"VCAR_SMTP_HOST": "127.0.0.1", "VCAR_SMTP_PORT": str(port), "VCAR_SMTP_SECURITY": "none",
           "VCAR_SMTP_USER": USER, "VCAR_MAIL_FROM": "insights@vcar.example"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    ensure_secrets_dir(settings_env.secrets_dir)
    write_private(settings_env.secrets_dir / digest.PASSWORD_FILE, f"{PASSWORD}\n".encode())
    yield inbox
    controller.stop()


@pytest.fixture
def register(settings_env, on_day):
    """One overdue, one at-risk and one paused request on 2026-11-25 (CN calendar), each change made on its day."""
    on_day(D(2026, 11, 9))
    at_risk = rights.add(settings_env, type_="access", received=D(2026, 11, 5), email=SUBJECTS[1])
    overdue = rights.add(settings_env, type_="erasure", received=D(2026, 10, 1), email=SUBJECTS[0])
    add_user(settings_env.secrets_dir, "li.wei", "compliance", "a long enough password")
    paused = rights.add(settings_env, type_="access", received=D(2026, 11, 9), email=SUBJECTS[2])
    on_day(D(2026, 11, 10))
    rights.update(settings_env, paused.request_id, status="awaiting_identity")
    on_day(D(2026, 11, 24))
    rights.update(settings_env, overdue.request_id, owner="li.wei")
    return overdue.request_id, at_risk.request_id, paused.request_id


def test_the_compliance_digest_names_overdue_and_at_risk_requests_by_id_only(settings_env, register):
    overdue, at_risk, paused = register
    mail = digest.build(settings_env, "compliance", D(2026, 11, 25), NOW)
    assert mail.subject == "Rights requests on 2026-11-25: 1 legally overdue, 1 past the promise, 1 at risk"
    attention, identity = mail.sections[1], mail.sections[2]
    assert [row[0] for row in attention.rows] == [overdue, at_risk]  # the most urgent first
    # no country: under both laws, so the PIPL's 15 working days are the legal deadline in force
    assert attention.rows[0][3:] == ["promise missed, legally overdue", "2026-10-27", "2026-10-27", "29 days overdue",
                                     "li.wei"]
    assert attention.rows[1][3:] == ["promise at risk, legally at risk", "2026-11-26", "2026-11-26", "1 day left",
                                     "nobody"]
    assert identity.rows == [[paused, "access", "2026-11-10", "15"]]
    for text in (mail.text(), mail.html()):
        assert overdue in text and at_risk in text
        assert not any(address in text for address in SUBJECTS)


def test_the_digest_reaches_the_smtp_server_as_text_and_html(smtp, register):
    cfg = load_settings()
    mail = digest.build(cfg, "compliance", D(2026, 11, 25), NOW)
    assert digest.send(cfg, mail, ["dpo@vcar.example", "ceo@vcar.example"]) == f"127.0.0.1:{cfg.smtp_port}"
    [envelope] = smtp.envelopes
    assert envelope.mail_from == "insights@vcar.example"
    assert envelope.rcpt_tos == ["dpo@vcar.example", "ceo@vcar.example"]
    received = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert received["Subject"] == ("[vcar] Rights requests on 2026-11-25: 1 legally overdue, 1 past the promise, "
                                   "1 at risk")
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert register[0] in text and "days overdue" in text
    assert register[0] in html and "<table" in html
    assert not any(address in envelope.content.decode("utf-8", "replace") for address in SUBJECTS)


def test_everything_from_outside_is_escaped_in_the_html_part():
    section = digest.Section("Top pages", ["<b>note</b>"], ["Page"], [["/a?<script>alert(1)</script>"]])
    mail = digest.Digest("marketing", D(2026, 11, 25), "Week & more", "<i>", [section], "footer")
    html = mail.html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html and "&lt;b&gt;" in html and "Week &amp; more" in html
    assert "/a?<script>alert(1)</script>" in mail.text()  # the text part is plain text


def test_a_refused_login_is_one_line_without_the_password(smtp, settings_env, register):
    write_private(settings_env.secrets_dir / digest.PASSWORD_FILE, b"wrong password")
    cfg = load_settings()
    with pytest.raises(VcarError) as err:
        digest.send(cfg, digest.build(cfg, "compliance", D(2026, 11, 25), NOW), ["dpo@vcar.example"])
    message = str(err.value)
    assert "login refused (535)" in message and "smtp_password" in message
    assert "\n" not in message and "wrong password" not in message and err.value.exit_code == 1
    assert smtp.envelopes == []


def send_to_local_port(monkeypatch, port: int) -> str:
    """The one-line error of sending the compliance digest through 127.0.0.1:``port``."""
    monkeypatch.setenv("VCAR_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("VCAR_SMTP_PORT", str(port))
    monkeypatch.setenv("VCAR_MAIL_FROM", "insights@vcar.example")
    cfg = load_settings()
    with pytest.raises(VcarError) as err:
        digest.send(cfg, digest.build(cfg, "compliance", D(2026, 11, 25), NOW), ["dpo@vcar.example"])
    return str(err.value)


def test_an_unreachable_server_is_one_line(monkeypatch, settings_env, register):
    port = free_port()  # nothing listens there
    message = send_to_local_port(monkeypatch, port)
    assert message == f"mail server 127.0.0.1:{port}: connection refused; check smtp_host and smtp_port"


def test_a_server_that_hangs_up_is_one_line_in_words(monkeypatch, settings_env, register):
    """A port that accepts and closes at once (a TLS-only port spoken to in plain SMTP often does)."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def hang_up() -> None:
        conn, _ = listener.accept()
        conn.close()

    threading.Thread(target=hang_up, daemon=True).start()
    message = send_to_local_port(monkeypatch, port)
    listener.close()
    assert message.startswith(f"mail server 127.0.0.1:{port}: closed the connection during connect; check")
    assert "SMTP" not in message.replace("smtp_", "")  # words, not an exception's class name


def test_starttls_is_required_when_configured(smtp, monkeypatch, register):
    monkeypatch.setenv("VCAR_SMTP_SECURITY", "starttls")  # the test server offers no STARTTLS
    cfg = load_settings()
    with pytest.raises(VcarError, match="offers no STARTTLS"):
        digest.send(cfg, digest.build(cfg, "compliance", D(2026, 11, 25), NOW), ["dpo@vcar.example"])
    assert smtp.envelopes == []


def test_settings_and_recipients_are_checked(settings_env, monkeypatch):
    with pytest.raises(ConfigError, match="no recipients for the manager digest"):
        digest.recipients(settings_env, "manager", None)
    with pytest.raises(ConfigError, match="--to: 'dpo@vcar.example\\\\nBcc: x@y.example'"):
        digest.recipients(settings_env, "manager", ["dpo@vcar.example\nBcc: x@y.example"])
    monkeypatch.setenv("VCAR_DIGEST_TO", json.dumps({"manager": ["sales-lead@vcar.example"]}))
    assert digest.recipients(load_settings(), "manager", None) == ["sales-lead@vcar.example"]
    monkeypatch.setenv("VCAR_DIGEST_TO", json.dumps({"boss": ["a@vcar.example"]}))
    with pytest.raises(ConfigError, match="digest_to"):
        load_settings()
    with pytest.raises(ConfigError, match="--role"):
        digest.build(settings_env, "admin", D(2026, 11, 25), NOW)


INQUIRIES = """submitted_at,name,mobile,email,company,support_type,country,province_city,district,message,consent,\
status,first_response_at,closed_at
2026-11-20T10:00:00+08:00,A,13800000001,a1@example.cn,,Product inquiry,China,广东省,南山区,hi,true,responded,\
2026-11-20T12:00:00+08:00,
2026-11-21T10:00:00+08:00,B,13800000002,b2@example.cn,,After-sales service,China,广东省,南山区,hi,true,new,,
2026-11-23T10:00:00+08:00,C,13800000003,c3@example.cn,,Technical support,China,广东省,南山区,hi,true,responded,\
2026-11-26T10:00:00+08:00,
2026-11-25T16:00:00+08:00,D,13800000004,d4@example.cn,,Product inquiry,China,广东省,南山区,hi,true,new,,
"""


def test_the_manager_digest_lists_inquiries_past_the_sla_as_they_stood(settings_env, tmp_path):
    from etl.ingest.inquiries.ingest import ingest_inquiries

    export = tmp_path / "inquiries.csv"
    export.write_text(INQUIRIES, encoding="utf-8")
    ingest_inquiries(settings_env, export)
    moment = dt.datetime(2026, 11, 25, 18, 0, tzinfo=settings_env.tz)
    mail = digest.build(settings_env, "manager", D(2026, 11, 25), moment)
    # B never answered (4 days), C answered a day after this moment (2 days then); A in time; D not due yet
    assert mail.subject == "Inquiries on 2026-11-25: 2 unanswered past the 24 h SLA"
    assert [row[:2] for row in mail.sections[1].rows] == [
        ["2026-11-21 10:00", "4 days"], ["2026-11-23 10:00", "2 days"]]  # the zone is named in the heading
    assert mail.sections[1].headers[0] == "Submitted (Asia/Shanghai)" and "+08:00" not in mail.text()
    assert all(row[2] == "Guangdong Sheng" for row in mail.sections[1].rows)
    assert not any(f"{c}{n}@example.cn" in mail.text() for c, n in zip("abcd", "1234", strict=True))
    # judged at the moment too, not at the clock of the run: A in time of A, B and C (D not due until 26 Nov)
    assert "Answered within the SLA (24 h): 33.3%" in mail.text()


def test_the_sla_share_is_judged_at_the_moment_asked(settings_env, tmp_path):
    from etl.ingest.inquiries.ingest import ingest_inquiries
    from etl.reporting.reports import inquiries_report

    export = tmp_path / "inquiries.csv"
    export.write_text(INQUIRIES, encoding="utf-8")
    ingest_inquiries(settings_env, export)
    share = {
        hour: inquiries_report(settings_env, D(2026, 11, 19), D(2026, 11, 25), now=moment)["first_response"][
            "within_sla_share"]
        for hour, moment in [("21 Nov", dt.datetime(2026, 11, 21, 9, tzinfo=settings_env.tz)),
                             ("27 Nov", dt.datetime(2026, 11, 27, 9, tzinfo=settings_env.tz))]
    }
    assert share == {"21 Nov": 0.5, "27 Nov": 0.25}  # A of A and C; then A of A, B, C and D


def test_the_marketing_digest_is_the_usage_report_of_the_last_full_week(loaded_env):
    cfg = load_settings()
    mail = digest.build(cfg, "marketing", D(2026, 11, 5), NOW)
    week = usage_report(cfg, D(2026, 10, 29), D(2026, 11, 4), limit=5)
    assert mail.subject == f"Website week 2026-10-29 – 2026-11-04: {display('visitors', week['visitors'])} visitors"
    rows = {row[0]: row for row in mail.sections[0].rows}
    assert rows["Pageviews"][1] == display("pageviews", week["pageviews"])
    assert rows["Pageviews"][2] == "0" and rows["Pageviews"][3] == "–"  # nothing loaded the week before
    pages = [row[0] for row in mail.sections[1].rows]
    assert pages == [r["path"] for r in week["top_pages"]]


@pytest.mark.slow
def test_the_command_prints_a_dry_run_and_fails_in_one_json_document(loaded, tmp_path):
    from tests.helpers import vcar

    env, _ = loaded
    dry = vcar("digest", "--role", "marketing", "--as-of", "2026-11-05", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("Subject: [vcar] Website week 2026-10-29 – 2026-11-04")
    port = free_port()
    unreachable = env | {"VCAR_SMTP_HOST": "127.0.0.1", "VCAR_SMTP_PORT": str(port),
                         "VCAR_MAIL_FROM": "insights@vcar.example"}
    failed = vcar("digest", "--role", "compliance", "--to", "dpo@vcar.example", "--json", env=unreachable)
    assert failed.returncode == 1
    assert json.loads(failed.stdout) == {"error": f"mail server 127.0.0.1:{port}: connection refused; check "
                                         "smtp_host and smtp_port", "exit_code": 1}
    assert failed.stderr.count("\n") == 1
    unset = vcar("digest", "--role", "compliance", "--to", "dpo@vcar.example", env=env)
    assert unset.returncode == 2 and "smtp_host is not set" in unset.stderr
    wrong = vcar("digest", "--role", "boss", "--dry-run", env=env)
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1
    later = vcar("digest", "--role", "manager", "--as-of", "2999-01-01", "--dry-run", env=env)
    assert later.returncode == 2 and "--as-of: 2999-01-01 is in the future" in later.stderr
    capital = vcar("digest", "--role", "Marketing", "--as-of", "2026-11-05", "--dry-run", env=env)
    assert capital.returncode == 0 and capital.stdout == dry.stdout  # a role in any case, as filter values


def test_the_compliance_digest_names_a_promise_that_changed_status_since_the_day_before(settings_env, on_day):
    on_day(D(2026, 11, 2))
    request = rights.add(settings_env, type_="access", received=D(2026, 11, 2), email=SUBJECTS[0], country="DE")
    due = rights.listing(settings_env, as_of=D(2026, 11, 2))[0]["due_date"]
    on_day(due + dt.timedelta(days=1))

    def changed(day: D) -> dict[str, list[str]]:
        mail = digest.build(settings_env, "compliance", day, NOW)
        section = next(s for s in mail.sections if s.title == "Promises that changed status since the day before")
        return {row[0]: row for row in section.rows}

    # the day after its 15 business days the open request breaks the promise it only put at risk the day before
    broken = changed(due + dt.timedelta(days=1))["respond_15_business_days"]
    assert broken[2:4] == ["at risk", "broken"] and request.request_id in broken[4]
    assert "respond_15_business_days" not in changed(due + dt.timedelta(days=2))  # still broken: no change
