"""Many people at once: Streamlit runs every session as a thread of one process, and the CLI runs beside it.

- no Python callback into polars on a path that runs in several threads (it deadlocked the server: issue 18);
- audit appends from many threads and processes at once: no error, no gap, a chain that verifies;
- six browser sessions driving every page at once while a watchdog asks the health endpoint;
- a stuck page stops at ``page_timeout_seconds`` with a message, and SIGTERM stops ``vcar dashboard`` in time.
"""

from __future__ import annotations

import ast
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from scripts.browser_tour import CHROMIUM
from tests.conftest import outside_env

ROOT = Path(__file__).resolve().parents[2]
# Polars runs these callbacks on its own thread pool, whose workers then wait for the GIL that another
# session's thread holds while it waits for that pool: the whole server hangs.
POLARS_CALLBACKS = {"map_elements", "map_batches", "map_rows", "map_groups", "apply"}


def callbacks_in(source: str) -> list[int]:
    """Line numbers of calls to a method named like a polars Python callback."""
    return sorted(
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in POLARS_CALLBACKS
    )


def test_the_callback_rule_finds_what_it_forbids():
    assert callbacks_in("df.with_columns(pl.col('a').map_elements(str))\nx.style.apply(f)\n") == [1, 2]
    assert callbacks_in("pl.col('a').str.replace_all('x', 'y')\n") == []


def test_no_python_callbacks_into_polars_where_threads_run():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for folder in ("etl", "dashboard", "scripts")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line in callbacks_in(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "use vectorized expressions or a join instead of a Python callback: " + ", ".join(found)


APPENDER = """
import sys
from etl.compliance import audit
from etl.core.settings import load_settings
cfg = load_settings()
for i in range(int(sys.argv[2])):
    audit.record(cfg, "process-" + sys.argv[1], "test.append", f"p{sys.argv[1]}-{i}")
"""


@pytest.mark.slow
def test_audit_appends_from_20_threads_and_4_processes(settings_env):
    from etl.compliance import audit
    from etl.core import warehouse

    per_thread, per_process = 3, 10
    with warehouse.write(settings_env.warehouse):
        pass  # created and migrated before the race starts
    errors: list[BaseException] = []

    def thread_appends(n: int) -> None:
        try:
            for i in range(per_thread):
                audit.record(settings_env, f"thread-{n}", "test.append", f"t{n}-{i}")
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", APPENDER, str(n), str(per_process)],
            env=env,
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    threads = [threading.Thread(target=thread_appends, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in processes]
    assert errors == []
    assert [code for code, _ in outcomes] == [0, 0, 0, 0], [err for _, err in outcomes]
    audit.record(settings_env, "test", "test.flush", "queue")  # writes whatever still waits in the queue
    with warehouse.read(settings_env.warehouse) as con:
        objects = [
            row[0] for row in con.execute("SELECT object FROM audit_log WHERE action = 'test.append'").fetchall()
        ]
        seqs = [row[0] for row in con.execute("SELECT seq FROM audit_log ORDER BY seq").fetchall()]
        check = audit.verify(con)
    expected = {f"t{n}-{i}" for n in range(20) for i in range(per_thread)}
    expected |= {f"p{n}-{i}" for n in range(4) for i in range(per_process)}
    assert sorted(objects) == sorted(expected)  # each once: none lost, none repeated
    assert seqs == list(range(1, len(seqs) + 1))  # no gap
    assert check.ok, check.reason
    verified = subprocess.run([sys.executable, "-m", "etl.cli", "audit", "verify"], env=env, cwd=ROOT,
                              capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr


@pytest.mark.slow
def test_a_stuck_page_stops_at_the_page_timeout_with_a_message(loaded_env, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from etl.core.settings import cached_settings

    monkeypatch.setenv("VCAR_PAGE_TIMEOUT_SECONDS", "2")
    monkeypatch.setenv("VCAR_STALL_AT", "read")  # every warehouse read starts with a minutes-long query
    cached_settings.cache_clear()
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    at.session_state["auth_user"] = {"name": "t", "role": "admin", "last_seen": time.monotonic()}
    started = time.monotonic()
    at.run()
    at.switch_page("views/usage.py").run()
    assert time.monotonic() - started < 30
    assert not at.exception
    assert any("took longer than 2 seconds" in w.value for w in at.warning)


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed (make test installs it as root)")
def test_sigterm_stops_the_dashboard_within_10_s_even_with_a_stuck_session(loaded):
    """A session stuck in a query (page timeout far away) must not keep the server, or its port, alive."""
    from playwright.sync_api import sync_playwright

    from scripts.browser_tour import add_users, free_port, serve

    env = outside_env() | loaded[0]
    env |= {"VCAR_STALL_AT": "read", "VCAR_PAGE_TIMEOUT_SECONDS": "600"}
    name, password = add_users(env, ["admin"])["admin"]
    port = free_port()
    with serve(env, port) as base, sync_playwright() as pw:
        server = next(p for p in _children_of(os.getpid()) if "etl.cli" in _cmdline(p))
        streamlit = _children_of(server)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        page = browser.new_page()
        page.goto(base, wait_until="networkidle")
        page.get_by_label("User name").fill(name)
        page.get_by_role("textbox", name="Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_timeout(3_000)  # the Overview page is now stuck in its first warehouse read
        started = time.monotonic()
        os.kill(server, signal.SIGTERM)
        while time.monotonic() - started < 15 and (_alive(server) or any(_alive(p) for p in streamlit)):
            time.sleep(0.1)
        took = time.monotonic() - started
        browser.close()
    assert streamlit, "vcar dashboard started no server process"
    assert took < 10, f"still running {took:.1f} s after SIGTERM"
    assert _port_free(port)


def _children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def two_months(tmp_path_factory, mmdb):
    """Two months of generated data ending today, one account per role, and the dashboard serving it."""
    from etl.core.roles import ROLES
    from scripts.browser_tour import add_users, build_sample, free_port, serve

    root = tmp_path_factory.mktemp("load")
    env = build_sample(root, mmdb, days=60)
    logins = add_users(env, list(ROLES))
    with serve(env, free_port()) as base:
        yield base, logins


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed (make test installs it as root)")
def test_six_people_at_once_on_every_page_keep_the_server_answering(two_months):
    from dashboard.navigation import pages_for
    from etl.core.roles import ROLES
    from scripts.browser_load import drive, summary

    base, logins = two_months
    roles = [ROLES[i % len(ROLES)] for i in range(6)]
    users = [(*logins[role], [p.title for p in pages_for(role)]) for role in roles]
    loads, silence = drive(base, users, seconds=240, rounds=2)
    figures = summary(loads)
    assert silence < 10, f"the health endpoint did not answer for {silence:.1f} s"
    assert [load for load in loads if load.error] == []
    assert figures["pages"] == 2 * sum(len(titles) for _, _, titles in users)
