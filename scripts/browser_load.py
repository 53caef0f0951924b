"""Several people using the dashboard at once, each in their own headless Chromium context.

Each simulated user logs in and opens every page of their role by its sidebar link, round after round, while a watchdog
asks the server's health endpoint every half second. Used by the load test (tests/dashboard/test_concurrency.py, 6
users) and by ``benchmarks/dashboard_load.py`` (10 users for 2 minutes). Streamlit runs every session as a thread of one
process, so this is what finds a lock or a deadlock that one user never meets.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import threading
import time
import urllib.request
from collections.abc import Generator
from dataclasses import dataclass, field

from scripts.browser_tour import CHROMIUM

SETTLED = (
    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    " || document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.indexOf('Running') < 0"
)


@dataclass(frozen=True)
class PageLoad:
    user: str
    title: str
    seconds: float
    error: str | None  # None when the page showed its title and no exception box


@dataclass
class Watchdog:
    """Largest time the health endpoint went without answering "ok" while the block ran."""

    base: str
    longest_silence: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)

    def _poll(self) -> None:
        last_ok = time.monotonic()
        while not self._stop.is_set():
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as answer:  # noqa: S310
                    if answer.read().strip() == b"ok":
                        last_ok = time.monotonic()
            except OSError:
                pass
            self.longest_silence = max(self.longest_silence, time.monotonic() - last_ok)
            self._stop.wait(0.5)

    @contextlib.contextmanager
    def watching(self) -> Generator[Watchdog, None, None]:
        thread = threading.Thread(target=self._poll, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join(timeout=5)


async def _settle(page) -> None:
    await page.wait_for_timeout(300)
    await page.wait_for_function(SETTLED, timeout=60_000)


async def _one_user(browser, base: str, user: str, password: str, titles: list[str], until: float, rounds: int,
                    loads: list[PageLoad]) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = await context.new_page()
        await page.goto(base, wait_until="networkidle")
        await page.get_by_label("User name").fill(user)
        await page.get_by_role("textbox", name="Password").fill(password)
        await page.get_by_role("button", name="Log in").click()
        await page.wait_for_selector(".st-key-nav", timeout=60_000)
        await _settle(page)
        done = 0
        while done < rounds and time.monotonic() < until:
            for title in titles:
                started = time.monotonic()
                error = None
                try:
                    await page.locator(".st-key-nav a", has_text=title).first.click()
                    await page.wait_for_selector(f'h1:has-text("{title}")', timeout=60_000)
                    await _settle(page)
                    shown = page.locator('[data-testid="stException"]')
                    if await shown.count():
                        error = "exception shown: " + (await shown.first.inner_text())[:300]
                except Exception as exc:  # noqa: BLE001 - a failed page is a measured outcome, not a crash
                    error = type(exc).__name__
                loads.append(PageLoad(user, title, time.monotonic() - started, error))
            done += 1
    finally:
        await context.close()


async def _drive(base: str, users: list[tuple[str, str, list[str]]], seconds: float, rounds: int) -> list[PageLoad]:
    from playwright.async_api import async_playwright

    loads: list[PageLoad] = []
    until = time.monotonic() + seconds
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            await asyncio.gather(
                *(_one_user(browser, base, name, pw_, titles, until, rounds, loads) for name, pw_, titles in users)
            )
        finally:
            await browser.close()
    return loads


def drive(
    base: str, users: list[tuple[str, str, list[str]]], *, seconds: float = 120, rounds: int = 1_000_000
) -> tuple[list[PageLoad], float]:
    """Run every user at once until ``seconds`` pass or each has done ``rounds`` rounds of its pages.

    Returns the page loads and the longest time the server's health endpoint did not answer."""
    with Watchdog(base).watching() as dog:
        loads = asyncio.run(_drive(base, users, seconds, rounds))
    return loads, dog.longest_silence


def summary(loads: list[PageLoad]) -> dict[str, float | int]:
    """Median and 95th percentile page time (seconds) of the pages that loaded, and the error count."""
    times = sorted(load.seconds for load in loads if load.error is None)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] if times else float("nan")
    return {
        "pages": len(loads),
        "errors": sum(load.error is not None for load in loads),
        "median_s": statistics.median(times) if times else float("nan"),
        "p95_s": p95,
    }
