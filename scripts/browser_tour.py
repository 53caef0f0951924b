"""Drive the real dashboard in headless Chromium: log in, open every page of a role, look for charts and errors.

Used by the browser test (tests/dashboard/test_browser.py) and, run as a script, to refresh README's screenshots:

    python scripts/browser_tour.py --out docs/screenshots

The script builds its own sample warehouse in a temporary folder (generated data, so the pictures hold no one's
data), starts ``vcar dashboard`` on a free port, and saves one PNG per page as the admin sees it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

from etl.core import clock

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class PageVisit:
    role: str
    title: str
    charts: int
    exceptions: int
    screenshot: Path
    dialogs: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(env: dict[str, str], port: int, timeout: float = 90) -> Generator[str, None, None]:
    """``vcar dashboard`` in a child process until the block ends; yields its base URL once healthy."""
    cmd = [sys.executable, "-m", "etl.cli", "dashboard", "--port", str(port), "--host", "127.0.0.1"]
    env = {"VCAR_TOTP_REQUIRED_ROLES": "[]"} | env  # the tour's accounts have no phone, unless a test gives one
    child = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:  # noqa: S310 - local
                    if answer.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if child.poll() is not None or time.monotonic() > deadline:
                err = child.stderr.read().decode(errors="replace")[-500:] if child.stderr else ""
                raise RuntimeError(f"the dashboard did not start on {base}: {err}")
            time.sleep(0.3)
        yield base
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


def _settle(page) -> None:
    """Wait until Streamlit has finished running the script (the running indicator is gone)."""
    page.wait_for_timeout(400)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.indexOf('Running') < 0",
        timeout=60_000,
    )
    page.wait_for_timeout(300)


def tour(
    base: str, role: str, name: str, password: str, titles: list[str], out: Path, height: int = 1000,
    width: int = 1280,
) -> list[PageVisit]:
    """Log in as one user and open each page by its link in the sidebar; a screenshot of each, at the narrowest
    screen the pages are laid out for (1,280 px)."""
    from playwright.sync_api import sync_playwright

    visits: list[PageVisit] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(base, wait_until="networkidle")
            page.get_by_label("User name").fill(name)
            page.get_by_role("textbox", name="Password").fill(password)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_selector(".st-key-nav", timeout=60_000)
            _settle(page)
            for title in titles:
                page.locator(".st-key-nav a", has_text=title).first.click()
                page.wait_for_selector(f'h1:has-text("{title}")', timeout=60_000)
                _settle(page)
                with contextlib.suppress(Exception):
                    page.wait_for_selector(".js-plotly-plot", timeout=20_000)
                page.wait_for_timeout(1500)  # the grids and charts below the first one finish drawing
                _settle(page)
                shot = out / f"{role}-{title.lower().replace(' & ', '-').replace(' ', '-')}.png"
                tall = page.evaluate("document.documentElement.scrollHeight")
                page.screenshot(path=str(shot), full_page=True,  # its first REPORT_HEIGHT pixels: a page, not a scroll
                                clip={"x": 0, "y": 0, "width": REPORT_WIDTH, "height": min(tall, REPORT_HEIGHT)})
                visits.append(
                    PageVisit(
                        role, title, page.locator(".js-plotly-plot").count(),
                        page.locator('[data-testid="stException"]').count(), shot, list(dialogs),
                    )
                )
        finally:
            browser.close()
    return visits


REPORT_WIDTH = 1280  # README's pictures of the printable reports: the narrowest screen the product is made for
REPORT_HEIGHT = 2400


def report_shots(env: dict[str, str], out: Path) -> list[Path]:
    """The printable promises report and record of processing by activity, both laws in each, as the compliance
    officer downloads them from Data & privacy: written from the sample warehouse of ``env`` and shot whole in
    Chromium at REPORT_WIDTH pixels (HTML tables wrap their text, so no cell is cut), at most REPORT_HEIGHT tall."""
    from playwright.sync_api import sync_playwright

    pages = {"promises-report": _report_html(env, "promises"), "record-of-processing": _report_html(env, "record")}
    shots = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": REPORT_WIDTH, "height": 900})
            for name, text in pages.items():
                source = out / f"{name}.html"
                source.write_text(text, encoding="utf-8")
                page.goto(source.as_uri(), wait_until="load")
                shot = out / f"{name}.png"
                tall = page.evaluate("document.documentElement.scrollHeight")
                page.screenshot(path=str(shot), full_page=True,  # its first REPORT_HEIGHT pixels: a page, not a scroll
                                clip={"x": 0, "y": 0, "width": REPORT_WIDTH, "height": min(tall, REPORT_HEIGHT)})
                shots.append(shot)
        finally:
            browser.close()
    return shots


def _report_html(env: dict[str, str], which: str) -> str:
    """One printable report, made by a child process with the sample's settings (this process keeps its own)."""
    code = {
        "promises": "from etl.compliance.promises import evaluate, html_report; from etl.core.settings import "
                    "load_settings; print(html_report(evaluate(load_settings())))",
        "record": "from etl.compliance.activities import html_record; from etl.core import clock; from "
                  "etl.core.settings import load_settings; cfg = load_settings(); "
                  "print(html_record(cfg, clock.today(cfg.tz).isoformat()))",
    }[which]
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout


def build_sample(root: Path, mmdb: Path | None = None, days: int = 30) -> dict[str, str]:
    """A warehouse of generated data ending today, with the sample inquiries and rights requests; returns env."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VCAR_") or k == clock.ENV} | {
        "VCAR_WAREHOUSE": str(root / "warehouse.duckdb"),
        "VCAR_SECRETS_DIR": str(root / "secrets"),
    }
    if mmdb is not None:
        env["VCAR_GEOIP_DB"] = str(mmdb)
    run = [sys.executable, "-m", "etl.cli"]
    steps = [
        ["generate", "--out", str(root / "sample"), "--days", str(days), "--visitors-per-day", "300"],
        ["ingest", "logs", str(root / "sample" / "logs")],
        ["ingest", "inquiries", str(root / "sample" / "inquiries.csv")],
        ["rights", "import", str(root / "sample" / "rights_requests.csv")],
    ]
    for step in steps:
        subprocess.run([*run, *step], env=env, cwd=ROOT, check=True, capture_output=True)
    return env


def add_users(env: dict[str, str], roles: list[str]) -> dict[str, tuple[str, str]]:
    logins = {}
    for role in roles:
        name, password = f"tour-{role}", f"tour-password-{role}"
        subprocess.run([sys.executable, "-m", "etl.cli", "users", "add", name, "--role", role, "--replace"],
                       env=env, cwd=ROOT, input=password, text=True, check=True, capture_output=True)
        logins[role] = (name, password)
    return logins


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if not shutil.which("chromium") and not Path(CHROMIUM).exists():
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    sys.path.insert(0, str(ROOT))
    from dashboard.navigation import pages_for

    args.out = args.out.resolve()  # make screenshots passes a relative folder
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vcar-tour-") as tmp:
        env = build_sample(Path(tmp))
        logins = add_users(env, ["admin"])
        with serve(env, free_port()) as base:
            titles = [p.title for p in pages_for("admin")]
            visits = tour(base, "admin", *logins["admin"], titles, Path(tmp), height=1800)
        for visit in visits:
            if visit.title == "Accounts":
                continue  # no picture of a page that lists people
            target = args.out / visit.screenshot.name.removeprefix("admin-")
            shutil.copyfile(visit.screenshot, target)
            print(f"{visit.title}: {visit.charts} charts, {visit.exceptions} errors -> {target.relative_to(ROOT)}")
        for shot in report_shots(env, Path(tmp)):
            target = args.out / shot.name
            shutil.copyfile(shot, target)
            print(f"{shot.stem} ({REPORT_WIDTH} px wide, at most {REPORT_HEIGHT} px tall) -> "
                  f"{target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
