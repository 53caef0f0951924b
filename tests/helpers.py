"""What several test modules share: running the CLI and a dashboard page, hand-written log lines, a browser
session, hostile form exports. Fixtures live in conftest.py."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from etl.ingest.logs.ingest import ingest_paths
from etl.reporting.reports import usage_report
from scripts.browser_load import SETTLED
from scripts.browser_tour import CHROMIUM
from tests.conftest import TODAY, outside_env

VCAR = [sys.executable, "-m", "etl.cli"]


def vcar(*args: str, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    full_env = outside_env() | (env or {})
    return subprocess.run([*VCAR, *args], capture_output=True, text=True, env=full_env, input=stdin, timeout=120)


APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")


def sample_copy(loaded_env: dict, root: Path, **more: str) -> dict:
    """A private copy of the sample warehouse and its secrets under ``root``, and the environment that points the
    product at it (with ``more`` settings on top)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(loaded_env["VCAR_WAREHOUSE"], root / "warehouse.duckdb")
    shutil.copytree(loaded_env["VCAR_SECRETS_DIR"], root / "secrets")
    return outside_env() | {"VCAR_WAREHOUSE": str(root / "warehouse.duckdb"),
                            "VCAR_SECRETS_DIR": str(root / "secrets")} | more


def app_as(role: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if role:
        at.session_state["auth_user"] = {"name": f"t-{role}", "role": role, "last_seen": time.monotonic()}
    return at


CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


DAY = dt.date(2026, 11, 10)


def line(
    ip: str, time: str, path: str, ua: str = CHROME, status: int = 200, method: str = "GET", ref: str = "-"
) -> str:
    return f'{ip} - - [{time}] "{method} {path} HTTP/1.1" {status} 100 "{ref}" "{ua}"'


def run(cfg, tmp_path: Path, lines: list[str], day: dt.date = DAY, end: dt.date | None = None) -> dict:
    log = tmp_path / "access.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_paths(cfg, [log], today=day)
    return usage_report(cfg, day, end or day)


def open_page(role: str, file: str, start: dt.date, end: dt.date, **filters: str) -> AppTest:
    """A page as ``role`` sees it from a shared link naming a custom range and filters; no exception raised."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_user"] = {"name": f"t-{role}", "role": role, "last_seen": time.monotonic()}
    at.query_params.update({"range": "custom", "from": start.isoformat(), "to": end.isoformat(), **filters})
    at.run()
    at.switch_page(file).run()
    assert not at.exception
    return at


def row(**over) -> dict:
    base = {
        "submitted_at": "2026-11-10T10:00:00+08:00", "name": "王小明", "mobile": "+86 138 0013 8000",
        "email": "Wang.XM@Example-Auto.cn ", "company": "深圳某汽车服务有限公司", "support_type": "Product inquiry",
        "country": "中国", "province_city": "广东省", "district": "南山区", "message": "请问X431的价格是多少？",
        "consent": "true", "status": "", "first_response_at": "2026-11-10T12:30:00+08:00", "closed_at": "",
    }
    return base | over


def warehouse_text(cfg) -> str:
    with duckdb.connect(str(cfg.warehouse), read_only=True) as con:
        tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        return "\n".join(str(r) for t in tables for r in con.execute(f'SELECT * FROM "{t}"').fetchall())  # noqa: S608


FORMULA = '=HYPERLINK("http://evil.example/","click")'
SCRIPT = "<script>alert(1)</script>"
INQUIRY_FIELDS = [
    "submitted_at", "name", "mobile", "email", "company", "support_type", "country", "province_city", "district",
    "message", "consent", "status", "first_response_at", "closed_at",
]


def hostile_inquiries(path: Path) -> None:
    """Rows whose every free field is a formula or markup; the first has a hostile time too."""
    rows = []
    payloads = [FORMULA, SCRIPT, "@SUM(1+1)", "-2+3", "+cmd|' /C calc'!A0", "<img src=x onerror=alert(2)>"]
    for i, payload in enumerate(payloads):
        row = {name: payload for name in INQUIRY_FIELDS}
        row |= {"submitted_at": f"{TODAY}T10:0{i}:00+08:00", "email": f"user{i}@example.cn", "consent": "true",
                "first_response_at": "", "closed_at": ""}
        rows.append(row)
    rows[0]["submitted_at"] = FORMULA
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=INQUIRY_FIELDS)
        writer.writeheader()
        writer.writerows(rows)


def run_page(file: str, role: str, query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_user"] = {"name": f"t-{role}", "role": role, "last_seen": time.monotonic()}
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(file).run()
    return at


def settle(page) -> None:
    page.wait_for_timeout(500)
    page.wait_for_function(SETTLED, timeout=60_000)
    page.wait_for_timeout(300)


def pick(page, label: str, value: str) -> None:
    """Choose ``value`` in the select box labelled ``label`` as a person does: open it, type, click the option."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.keyboard.type(value)
    page.get_by_role("option", name=value, exact=True).click()
    settle(page)


@contextlib.contextmanager
def browser_page(base: str):
    """A fresh headless Chromium context (its own cookies) and page; dialogs are recorded, never accepted."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.dialogs = []  # type: ignore[attr-defined]
            page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
            yield context, page
        finally:
            browser.close()


def log_in(page, name: str, password: str) -> None:
    page.get_by_label("User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def login_form_shown(page) -> bool:
    return page.get_by_role("button", name="Log in").count() == 1
