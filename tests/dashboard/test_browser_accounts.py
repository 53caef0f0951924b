"""Issue 31 in headless Chromium: two-factor sign-in (enrolment, a code, a wrong code, a recovery code), an account
disabled by an admin whose open session ends at its next click, and a reset code that works once and expires."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from etl.access import totp
from etl.access.lockout import is_locked
from scripts.browser_tour import CHROMIUM, ROOT, free_port, serve
from tests.helpers import browser_page, log_in, login_form_shown, pick, sample_copy, settle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed (make test installs it)"),
]
CODE_FIELD = "Code from your authenticator app, or a recovery code"


def now() -> float:
    return dt.datetime.now(dt.UTC).timestamp()


@pytest.fixture(scope="module")
def site(loaded, tmp_path_factory, mmdb):
    """The sample warehouse served with two factors required of compliance and admin (the default), three wrong
    attempts to a lock-out; boss (admin), cora and cara (compliance) enrolled, with their secrets and recovery
    codes known to the test; mo and rita (manager) without a second factor; eve (compliance) not enrolled yet."""
    env_loaded, _ = loaded
    root = tmp_path_factory.mktemp("accounts")
    env = sample_copy(env_loaded, root, VCAR_GEOIP_DB=str(mmdb), VCAR_TIMEZONE="Asia/Shanghai",
                      VCAR_LOGIN_MAX_FAILURES="3", VCAR_TOTP_REQUIRED_ROLES='["compliance", "admin"]')
    logins = {}
    for role, names in (("admin", ["boss"]), ("compliance", ["cora", "cara", "eve"]), ("manager", ["mo", "rita"])):
        for name in names:
            logins[name] = (name, f"{name}-password-1")
            subprocess.run([sys.executable, "-m", "etl.cli", "users", "add", name, "--role", role], env=env, cwd=ROOT,
                           input=logins[name][1], text=True, check=True, capture_output=True)
    enrolled = {}
    for name in ("boss", "cora", "cara"):
        enrolment = totp.start_enrolment(name)
        assert totp.confirm_enrolment(root / "secrets", name, enrolment, totp.code_at(enrolment.secret, now() - 30))
        enrolled[name] = enrolment
    with serve(env, free_port()) as base:
        yield base, logins, enrolled, env, root / "secrets"


AFTER_PASSWORD = (".st-key-nav, .st-key-signin-cancel, [data-testid='stAlert'], [data-testid='stAlertContainer'], "
                  "[data-testid='stException']")


def password_step(page, base: str, login: tuple[str, str]) -> None:
    """Log in with the password; wait for what comes next (the pages, the second step, or a message)."""
    page.goto(base, wait_until="networkidle")
    log_in(page, *login)
    page.wait_for_selector(AFTER_PASSWORD, timeout=60_000)
    settle(page)


def second_step(page, code: str) -> None:
    page.get_by_label(CODE_FIELD).fill(code)
    page.get_by_role("button", name="Verify").click()
    settle(page)


def signed_in(page) -> bool:
    return page.locator(".st-key-nav").count() == 1


def sign_in_with_code(page, base: str, login: tuple[str, str], secret: str) -> None:
    password_step(page, base, login)
    second_step(page, totp.code_at(secret, now()))
    page.wait_for_selector(".st-key-nav a", timeout=60_000)
    settle(page)


def test_an_enrolled_compliance_user_signs_in_with_password_and_code(site):
    base, logins, enrolled, _, _ = site
    with browser_page(base) as (_, page):
        password_step(page, base, logins["cora"])
        assert not signed_in(page) and page.get_by_label(CODE_FIELD).count() == 1  # the password alone is not enough
        second_step(page, totp.code_at(enrolled["cora"].secret, now()))
        page.wait_for_selector('.st-key-nav a:has-text("Rights requests")', timeout=60_000)


def test_a_wrong_code_counts_toward_the_lock_out(site):
    base, logins, enrolled, _, secrets_dir = site
    with browser_page(base) as (_, page):
        password_step(page, base, logins["cara"])
        for _ in range(2):
            second_step(page, "000000" if totp.code_at(enrolled["cara"].secret, now()) != "000000" else "111111")
            assert page.get_by_text("Wrong code.").count() == 1
        assert not is_locked(secrets_dir, "cara")
        second_step(page, "999999x")
        assert page.get_by_text("locked after repeated failed logins").count() == 1 and not signed_in(page)
        assert is_locked(secrets_dir, "cara")
        password_step(page, base, logins["cara"])  # the right password no longer opens it either
        assert page.get_by_text("locked after repeated failed logins").count() == 1 and not signed_in(page)


def test_a_recovery_code_works_once(site):
    base, logins, enrolled, _, _ = site
    code = enrolled["boss"].recovery_codes[3]
    with browser_page(base) as (_, page):
        password_step(page, base, logins["boss"])
        second_step(page, code)
        page.wait_for_selector(".st-key-nav", timeout=60_000)
        settle(page)
        page.get_by_role("button", name="Log out").click()
        page.wait_for_selector('button:has-text("Log in")', timeout=60_000)
        password_step(page, base, logins["boss"])
        second_step(page, code)
        assert page.get_by_text("Wrong code.").count() == 1 and not signed_in(page)


def test_enrolment_is_forced_for_a_required_role_and_shows_the_qr_code_and_recovery_codes(site):
    base, logins, _, _, secrets_dir = site
    with browser_page(base) as (_, page):
        password_step(page, base, logins["eve"])
        assert page.get_by_text("Set up two-factor sign-in").count() == 1 and not signed_in(page)
        assert page.locator('img[alt="Scan with your authenticator app"], [data-testid="stImage"]').count() >= 1
        key = re.search(r"Key for manual entry: ([A-Z2-7]+)", page.get_by_text("Key for manual entry").inner_text())
        assert key is not None
        page.get_by_label("Six-digit code from the app").fill(totp.code_at(key.group(1), now()))
        page.get_by_role("button", name="Confirm").click()
        settle(page)
        codes = page.locator('[data-testid="stCode"]').inner_text().split()
        assert len(codes) == 10 and totp.enrolled(secrets_dir, "eve")
        assert key.group(1) not in (secrets_dir.parent / "warehouse.duckdb").read_bytes().decode("latin-1")
        page.get_by_role("button", name="I have saved them: continue").click()
        page.wait_for_selector(".st-key-nav", timeout=60_000)


@contextlib.contextmanager
def two_pages():
    """Two people at once: one Chromium, two contexts (each its own cookies)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            yield tuple(browser.new_context(viewport={"width": 1280, "height": 900}).new_page() for _ in range(2))
        finally:
            browser.close()


def test_an_admin_disables_an_account_and_its_open_session_ends_at_the_next_click(site):
    base, logins, enrolled, _, _ = site
    with two_pages() as (victim, admin):
        password_step(victim, base, logins["mo"])
        victim.wait_for_selector(".st-key-nav a", timeout=60_000)
        sign_in_with_code(admin, base, logins["boss"], enrolled["boss"].secret)
        admin.locator(".st-key-nav a", has_text="Accounts").first.click()
        admin.wait_for_selector('h1:has-text("Accounts")', timeout=60_000)
        settle(admin)
        assert admin.locator('[data-testid="stDataFrame"]').count() >= 2  # the accounts and the sessions
        pick(admin, "Account", "mo")
        pick(admin, "Change", "Disable")
        admin.get_by_role("button", name="Apply").click()
        settle(admin)
        assert admin.get_by_text("mo (manager): disabled; 1 session ended").count() == 1
        victim.locator(".st-key-nav a", has_text="Overview").first.click()  # the next click
        victim.wait_for_selector('button:has-text("Log in")', timeout=60_000)
        settle(victim)
        assert login_form_shown(victim) and victim.get_by_text("Your session was ended").count() == 1


def reset_code(env: dict[str, str], name: str) -> str:
    out = subprocess.run([sys.executable, "-m", "etl.cli", "users", "reset", name, "--json"], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["code"]


def redeem_in_browser(page, base: str, name: str, code: str, password: str) -> None:
    page.goto(base, wait_until="networkidle")
    page.get_by_role("button", name="Reset my password with a code").click()
    settle(page)
    page.get_by_label("User name").fill(name)
    page.get_by_label("Reset code").fill(code)
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("New password again").fill(password)
    page.get_by_role("button", name="Set the new password").click()
    page.wait_for_selector(AFTER_PASSWORD, timeout=60_000)
    settle(page)


def test_a_reset_code_works_once_and_expires(site):
    base, _, _, env, secrets_dir = site
    code = reset_code(env, "rita")
    with browser_page(base) as (_, page):
        redeem_in_browser(page, base, "rita", code, "rita-new-password-1")
        assert page.get_by_text("Your new password is set").count() == 1
        log_in(page, "rita", "rita-new-password-1")
        page.wait_for_selector(".st-key-nav", timeout=60_000)
    with browser_page(base) as (_, page):
        redeem_in_browser(page, base, "rita", code, "rita-other-password-2")  # used once already
        assert page.get_by_text("wrong or has expired").count() == 1
        late = reset_code(env, "rita")
        users = json.loads((secrets_dir / "users.json").read_text())
        users["rita"]["reset"]["expires"] = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat()
        (secrets_dir / "users.json").write_text(json.dumps(users))
        os.chmod(secrets_dir / "users.json", 0o600)
        redeem_in_browser(page, base, "rita", late, "rita-other-password-2")
        assert page.get_by_text("wrong or has expired").count() == 1
