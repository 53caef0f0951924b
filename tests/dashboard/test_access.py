"""Who may see and do what. For each role and for a visitor who is not logged in, every page is opened and
every export and action on it is looked for: present where the role is allowed, absent (with the refusal)
where it is not. Brute force locks the account, idle sessions end, passwords are never written anywhere, and
the dashboard will not start on secrets that others can read."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES
from etl.access.accounts import add_user
from etl.core.roles import ROLES

pytestmark = pytest.mark.slow

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"

# The contract, written out rather than read from dashboard/navigation.py: who may open each page, and the
# actions (form buttons) it offers. Every table on every page also has a CSV export ("Download <name>.csv").
# The rights page's actions are the dashboard's whole writable surface; everything else is read-only.
EVERYONE = {"marketing", "manager", "compliance", "admin"}
ALLOWED = {
    "views/overview.py": (EVERYONE, set()),
    "views/usage.py": ({"marketing", "admin"}, set()),
    "views/inquiries.py": ({"manager", "admin"}, set()),
    # update a request, register one, subject export or erasure
    "views/rights.py": ({"compliance", "admin"}, {"Save", "Register", "Run"}),
    "views/privacy.py": ({"compliance", "admin"}, set()),
    # change an account, add one, end a session
    "views/admin.py": ({"admin"}, {"Apply", "Add", "End session"}),
}
VISITORS = [*ROLES, None]  # None: nobody is logged in


def session(script: str, role: str | None) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD / script), default_timeout=60)
    if role:
        at.session_state["auth_user"] = {"name": f"t-{role}", "role": role, "last_seen": time.monotonic()}
    return at


def open_page(file: str, role: str | None, allowed: bool) -> AppTest:
    """An allowed page is opened the way a person does, through the router; a refused one is run directly, as
    if a route to it existed (the router's own refusal is the next test)."""
    if allowed:
        return session("app.py", role).run().switch_page(file).run()
    return session(file, role).run()


def surface(at: AppTest) -> tuple[set[str], list[str], int]:
    """(action buttons, export buttons, data elements) a page rendered."""
    exports = [d.proto.label for d in at.get("download_button")]
    data = len(at.dataframe) + len(at.table) + len(at.metric) + len(at.get("plotly_chart"))
    return {b.label for b in at.button}, exports, data


def test_the_navigation_grants_exactly_the_contract():
    assert set(ROLES) == EVERYONE
    assert {p.file: set(p.roles) for p in PAGES} == {file: roles for file, (roles, _) in ALLOWED.items()}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_path)
@pytest.mark.parametrize("role", VISITORS, ids=lambda r: r or "logged-out")
def test_each_visitor_gets_exactly_the_pages_exports_and_actions_of_their_role(loaded_env, role, page):
    roles, offered = ALLOWED[page.file]
    at = open_page(page.file, role, allowed=role in roles)
    assert not at.exception, at.exception
    actions, exports, data = surface(at)
    if role in roles:
        assert page.title in [t.value for t in at.title]
        assert offered <= actions
        assert all(label.startswith("Download ") for label in exports)
        # the overview links to pages; the accounts page has no account to list in the sample (its table and
        # download are in tests/dashboard/test_browser_accounts.py); the others show data and export it
        if page.file not in ("views/overview.py", "views/admin.py"):
            assert exports and data
    else:
        assert any("do not have access" in e.value for e in at.error)
        assert (actions, exports, data) == (set(), [], 0)  # nothing of the page was rendered


@pytest.mark.parametrize("role", VISITORS, ids=lambda r: r or "logged-out")
def test_the_router_offers_only_the_pages_of_the_role(loaded_env, role):
    at = session("app.py", role).run()
    for page in PAGES:
        if role in ALLOWED[page.file][0]:
            at.switch_page(page.file)
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page.file)
    if role is None:
        assert [b.label for b in at.button] == ["Log in", "Reset my password with a code"]


def login(name: str, password: str) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD / "app.py"), default_timeout=60).run()
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def test_brute_force_locks_the_account_and_no_password_is_written_anywhere(settings_env, tmp_path, monkeypatch):
    monkeypatch.setenv("VCAR_LOGIN_MAX_FAILURES", "3")
    from etl.core.settings import cached_settings

    cached_settings.cache_clear()
    add_user(settings_env.secrets_dir, "mia", "compliance", "correct horse battery")
    guesses = ["Guess-Number-1", "Guess-Number-2", "Guess-Number-3"]
    for guess in guesses:
        assert any("wrong" in e.value.lower() or "locked" in e.value.lower() for e in login("mia", guess).error)
    locked = login("mia", "correct horse battery")  # the right password no longer opens it
    assert "auth_user" not in locked.session_state
    assert any("locked" in e.value for e in locked.error)

    typed = [*guesses, "correct horse battery"]
    written = [p for p in tmp_path.rglob("*") if p.is_file() and settings_env.secrets_dir not in p.parents]
    assert written, "the warehouse and the audit log were written"
    for path in written:
        data = path.read_bytes()
        assert not any(word.encode() in data for word in typed), path
    with duckdb.connect(str(settings_env.warehouse), read_only=True) as con:
        audit = str(con.execute("SELECT * FROM audit_log").fetchall())
    assert audit.count("login.failure") == 4 and not any(word in audit for word in typed)


def test_an_idle_session_ends_at_the_next_click(loaded_env):
    at = AppTest.from_file(str(DASHBOARD / "app.py"), default_timeout=60)
    at.session_state["auth_user"] = {"name": "t", "role": "admin", "last_seen": time.monotonic() - 24 * 3600}
    at.run()
    assert [b.label for b in at.button] == ["Log in", "Reset my password with a code"]
    assert any("expired" in i.value for i in at.info)


@pytest.mark.parametrize("loose", ["users.json", "."])
def test_the_dashboard_will_not_start_on_secrets_others_can_read(settings_env, loose):
    add_user(settings_env.secrets_dir, "mia", "admin", "correct horse battery")
    target = settings_env.secrets_dir / loose
    target.chmod(0o644 if target.is_file() else 0o755)
    started = subprocess.run(
        [sys.executable, "-m", "etl.cli", "dashboard", "--port", "8599"],
        capture_output=True, text=True, timeout=60,
    )
    assert started.returncode != 0
    message = started.stderr.strip()
    assert len(message.splitlines()) == 1 and "chmod" in message and "dashboard:" not in started.stdout
