"""End to end in a real headless Chromium: each role logs in, opens each of its pages, sees a chart and no error.

`make test` installs Debian's chromium when it is missing and it runs as root; anywhere else without chromium
this module is skipped with the reason shown.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from dashboard.navigation import pages_for
from etl.core.roles import ROLES
from scripts.browser_tour import CHROMIUM, add_users, build_sample, free_port, serve, tour
from tests.conftest import TODAY, clear_dashboard_cache
from tests.helpers import browser_page, hostile_inquiries, line, log_in, login_form_shown, pick, sample_copy, settle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="chromium is not installed (make test installs it with apt-get as root)"
    ),
]
HOSTILE = "/<script>alert(1)</script>"


@pytest.fixture(scope="module")
def served(loaded, tmp_path_factory, mmdb):
    """A copy of the sample warehouse plus a hostile path and hostile contact-form rows, one user per role, and
    the dashboard serving it."""
    from etl.core.settings import load_settings
    from etl.ingest.inquiries.ingest import ingest_inquiries
    from etl.ingest.logs.ingest import ingest_paths

    env_loaded, _ = loaded
    root = tmp_path_factory.mktemp("browser")
    env = sample_copy(env_loaded, root, VCAR_GEOIP_DB=str(mmdb), VCAR_TIMEZONE="Asia/Shanghai")
    log = root / "hostile.log"
    log.write_text(
        "\n".join(line(f"1.2.2.{i}", f"{TODAY:%d/%b/%Y}:10:00:00 +0800", HOSTILE) for i in range(2, 250)) + "\n"
    )
    saved = {k: os.environ.get(k) for k in env if k.startswith("VCAR_")}
    os.environ.update({k: v for k, v in env.items() if k.startswith("VCAR_")})
    form = root / "hostile-inquiries.csv"
    hostile_inquiries(form)  # markup and formulas in every field of the contact form
    try:
        ingest_paths(load_settings(), [log], today=TODAY)
        ingest_inquiries(load_settings(), form)
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    logins = add_users(env, list(ROLES))
    with serve(env, free_port()) as base:
        yield base, logins, root


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_each_of_its_pages_in_chromium(served, role, tmp_path):
    base, logins, _ = served
    titles = [p.title for p in pages_for(role)]
    visits = tour(base, role, *logins[role], titles, tmp_path)
    assert [v.title for v in visits] == titles
    for visit in visits:
        assert visit.exceptions == 0, f"{visit.title}: Streamlit shows an exception"
        # the Overview draws a chart only for recent data (the sample ends weeks ago) and has none for compliance
        assert visit.charts >= 1 or visit.title in ("Overview", "Accounts"), f"{visit.title}: no plotly chart rendered"
        assert visit.screenshot.stat().st_size > 10_000
        assert visit.dialogs == [], f"{visit.title}: a script from the data ran: {visit.dialogs}"


def overview_in_the_browser(base: str, name: str, password: str) -> tuple[dict[str, tuple[str, str]], str]:
    """Log in (the Overview is the first page) and read every tile as the page shows it: label -> (value, change),
    and the freshness strip."""
    with browser_page(base) as (_, page):
        page.goto(base, wait_until="networkidle")
        log_in(page, name, password)
        page.wait_for_selector('h1:has-text("Overview")', timeout=60_000)
        page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)  # a sign-in reruns the page once more
        settle(page)
        tiles = {}
        for tile in page.locator('[data-testid="stMetric"]').all():
            delta = tile.locator('[data-testid="stMetricDelta"]')
            tiles[tile.locator('[data-testid="stMetricLabel"]').inner_text().strip()] = (
                tile.locator('[data-testid="stMetricValue"]').inner_text().strip(),
                delta.inner_text().strip() if delta.count() else "",
            )
        strip = page.get_by_text("Last log line:").first.inner_text().strip()
        assert page.locator('[data-testid="stException"]').count() == 0
        return tiles, strip


@pytest.fixture(scope="module")
def recent(tmp_path_factory, mmdb):
    """Two weeks of generated data ending today (the Overview speaks of yesterday and the last seven days), served."""
    root = tmp_path_factory.mktemp("recent")
    env = build_sample(root, mmdb, days=15) | {"VCAR_TIMEZONE": "Asia/Shanghai"}
    logins = add_users(env, list(ROLES))
    with serve(env, free_port()) as base:
        yield base, logins, env


@pytest.mark.parametrize("role", ["marketing", "manager", "compliance"])
def test_each_roles_overview_shows_the_figures_of_the_cli(recent, role):
    """The Done-when of issue 14: what each role reads on its Overview in Chromium is what `vcar overview --role R
    --json` prints, tile for tile with its change, and the freshness strip too."""
    import json
    import subprocess
    import sys

    base, logins, env = recent
    tiles, strip = overview_in_the_browser(base, *logins[role])
    cli = subprocess.run([sys.executable, "-m", "etl.cli", "overview", "--role", role, "--json"], env=env,
                         capture_output=True, text=True, timeout=120, check=True)
    printed = json.loads(cli.stdout)
    expected = {tile["label"]: (tile["value"], tile["delta"] or "") for section in printed["sections"]
                for row in section["tiles"] for tile in row}
    assert len(expected) >= 3 and tiles == expected
    assert any(value not in ("0", "–") for value, _ in tiles.values())  # figures, not an empty warehouse
    fresh = printed["freshness"]
    assert strip == f"Last log line: {fresh['last_log_line']}. Last load: {fresh['last_load']}."


def signed_in_at(page, url: str, login: tuple[str, str], heading: str) -> None:
    """Open ``url``, log in at its login form and wait until the page titled ``heading`` has settled."""
    page.goto(url, wait_until="networkidle")
    log_in(page, *login)
    page.wait_for_selector(f'h1:has-text("{heading}")', timeout=60_000)
    page.wait_for_selector(".st-key-nav a", timeout=60_000)  # a sign-in reruns the page once more: its last run
    settle(page)


def test_a_region_cleared_by_another_country_stays_cleared(recent):
    """CN, then CN-GD, then DE clears the region (not a DE one); back to all countries it must not return: the
    browser is told the cleared value, not only the server."""
    base, logins, _ = recent
    with browser_page(base) as (_, page):
        signed_in_at(page, f"{base}/usage", logins["marketing"], "Usage trends")
        region = page.get_by_role("combobox", name="Region", exact=True)
        guangdong = "Guangdong Sheng (CN-GD)"  # choices read by name, with the code
        for country, expected in (("China (CN)", "All"), (None, guangdong), ("Germany (DE)", "All"), ("All", "All")):
            if country is None:
                pick(page, "Region", guangdong)
            else:
                pick(page, "Country", country)
            assert region.input_value() == expected, (country, region.input_value())
        assert "region=" not in page.url and "country=" not in page.url


def test_back_returns_to_the_view_before_a_filter_change(recent):
    """Each change of the view is a history entry; Back shows the one before, widgets included."""
    base, logins, _ = recent
    with browser_page(base) as (_, page):
        signed_in_at(page, f"{base}/usage", logins["marketing"], "Usage trends")
        country = page.get_by_role("combobox", name="Country", exact=True)
        pick(page, "Country", "China (CN)")
        pick(page, "Country", "Germany (DE)")
        assert "country=DE" in page.url
        page.go_back()
        settle(page)
        assert "country=CN" in page.url and country.input_value() == "China (CN)", (page.url, country.input_value())


def test_a_hostile_path_is_shown_as_text(served):
    """The path is data: it appears literally in the page table and never runs (no dialog in the browser test)."""
    import time

    from streamlit.testing.v1 import AppTest

    _, _, root = served
    saved = {k: os.environ.get(k) for k in ("VCAR_WAREHOUSE", "VCAR_SECRETS_DIR")}
    os.environ["VCAR_WAREHOUSE"], os.environ["VCAR_SECRETS_DIR"] = str(root / "warehouse.duckdb"), str(root / "secrets")
    from etl.core.settings import cached_settings

    cached_settings.cache_clear()
    clear_dashboard_cache()
    try:
        app = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
        at = AppTest.from_file(app, default_timeout=60)
        at.session_state["auth_user"] = {"name": "t", "role": "admin", "last_seen": time.monotonic()}
        at.run()
        at.switch_page("views/usage.py").run()
        assert not at.exception
        paths = at.dataframe[0].value["Page"].to_list()
        assert HOSTILE in paths
        assert not any("<script>" in m.value for m in at.markdown)  # never handed to markdown
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
        cached_settings.cache_clear()


def test_a_refresh_keeps_the_user_signed_in_until_logout_revokes_it(served):
    base, logins, _ = served
    with browser_page(base) as (context, page):
        page.goto(base, wait_until="networkidle")
        log_in(page, *logins["admin"])
        page.wait_for_selector(".st-key-nav", timeout=60_000)
        page.wait_for_function("() => document.cookie.includes('vcar_session=')", timeout=30_000)
        settle(page)
        cookie = next(c for c in context.cookies() if c["name"] == "vcar_session")
        page.reload(wait_until="networkidle")  # F5: a new Streamlit session
        page.wait_for_selector(".st-key-nav", timeout=60_000)
        settle(page)
        assert not login_form_shown(page)
        page.get_by_role("button", name="Log out").click()
        page.wait_for_selector('button:has-text("Log in")', timeout=60_000)
        context.add_cookies([cookie])  # the old cookie, replayed: revoked on the server
        page.reload(wait_until="networkidle")
        settle(page)
        assert login_form_shown(page)
        assert page.dialogs == []  # type: ignore[attr-defined]


def test_a_shared_link_opened_while_signed_out_lands_on_its_page_and_view_after_login(served):
    base, logins, _ = served
    with browser_page(base) as (_, page):
        page.goto(f"{base}/usage?range=last7&compare=none", wait_until="networkidle")
        page.wait_for_selector('button:has-text("Log in")', timeout=60_000)  # a loaded machine draws it late
        settle(page)
        assert login_form_shown(page)
        assert page.locator('[role="dialog"]').count() == 0  # no "page not found" over the login form
        log_in(page, *logins["marketing"])
        page.wait_for_selector('h1:has-text("Usage trends")', timeout=60_000)
        settle(page)
        assert "range=last7" in page.url and "compare=none" in page.url
        period = page.locator("input").first
        for _ in range(40):  # a sign-in reruns the page once more: wait, within bounds, for its last run
            if period.input_value() == "Last 7 days":
                break
            page.wait_for_timeout(500)
        assert period.input_value() == "Last 7 days"  # the Period box shows the link's


def test_one_back_returns_from_a_page_opened_in_the_sidebar(served):
    """A sidebar link carries the view (period, comparison) to the next page and is one history entry: the page
    finds its view in the link and does not push another, so one Back returns."""
    base, logins, _ = served
    with browser_page(base) as (_, page):
        signed_in_at(page, f"{base}/usage?range=last90&compare=year", logins["admin"], "Usage trends")
        page.locator(".st-key-nav a", has_text="Inquiry funnel").first.click()
        page.wait_for_selector('h1:has-text("Inquiry funnel")', timeout=60_000)
        settle(page)
        assert "range=last90" in page.url and "compare=year" in page.url
        page.go_back()
        page.wait_for_selector('h1:has-text("Usage trends")', timeout=60_000)
        settle(page)
        assert "/usage?" in page.url and "range=last90" in page.url


def test_a_link_to_a_page_outside_the_role_says_so_without_a_dialog(served):
    base, logins, _ = served
    with browser_page(base) as (_, page):
        page.goto(f"{base}/rights", wait_until="networkidle")
        log_in(page, *logins["marketing"])
        page.wait_for_selector('text="Your role does not include this page. Pick a page on the left."',
                               timeout=60_000)
        assert page.locator('[role="dialog"]').count() == 0
        assert page.locator('[data-testid="stDataFrame"]').count() == 0


@pytest.mark.parametrize(
    ("claims", "expected"),
    [({"email": "li.wei@example.cn", "name": "Li Wei", "groups": ["dpo-team"]}, "compliance"),
     ({"email": "ops@example.cn", "name": "Ops", "groups": ["everyone"]}, None)],
)
def test_company_single_sign_on_through_a_local_identity_provider(loaded, tmp_path, mmdb, claims, expected):
    """st.login against an OpenID Connect provider on 127.0.0.1: a mapped group gives its role's pages; an
    unmapped account gets no page; local accounts stay available; nothing of the person lands in the audit log."""
    import duckdb

    from tests.oidc_provider import serving

    env_loaded, _ = loaded
    env = sample_copy(env_loaded, tmp_path, VCAR_GEOIP_DB=str(mmdb))
    port = free_port()
    with serving("vcar-dashboard", "client-secret-for-the-test", claims) as provider:
        secret = tmp_path / "secrets" / "oidc_client_secret"
        secret.write_text("client-secret-for-the-test\n")
        secret.chmod(0o600)
        env |= {
            "VCAR_OIDC_ISSUER": provider.issuer, "VCAR_OIDC_CLIENT_ID": "vcar-dashboard",
            "VCAR_OIDC_ROLES": '{"dpo-team": "compliance", "boss@example.cn": "admin"}',
            "VCAR_PUBLIC_URL": f"http://127.0.0.1:{port}",
        }
        with serve(env, port) as base, browser_page(base) as (_, page):
            page.goto(base, wait_until="networkidle")
            page.wait_for_selector('button:has-text("Sign in with the company account")', timeout=60_000)
            assert page.get_by_role("button", name="Log in").count() == 1  # local accounts stay
            page.get_by_role("button", name="Sign in with the company account").click()
            if expected:
                page.wait_for_selector(".st-key-nav a", timeout=60_000)  # the links of the signed-in run
                settle(page)
                nav = page.locator(".st-key-nav a").all_inner_texts()
                assert {t.split("\n")[-1].strip() for t in nav} == {p.title for p in pages_for(expected)}
                assert page.get_by_text(f"({expected})").count() >= 1
            else:
                page.wait_for_selector("text=has no role in this dashboard", timeout=60_000)
                assert page.locator(".st-key-nav").count() == 0
            assert provider.logins == 1
            assert page.dialogs == []  # type: ignore[attr-defined]
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        audit_text = " ".join(str(v) for row in con.execute("SELECT * FROM audit_log").fetchall() for v in row)
    assert claims["email"] not in audit_text and claims["name"] not in audit_text
    if expected:
        assert "sso-" in audit_text


def test_a_link_to_a_period_without_data_offers_the_data_in_the_browser(served):
    """The worst case people hit: a link to a period long before the data. The page says so and jumps."""
    base, logins, _ = served
    with browser_page(base) as (_, page):
        page.goto(f"{base}/usage?range=custom&from=2020-01-01&to=2020-01-31", wait_until="networkidle")
        log_in(page, *logins["marketing"])
        page.wait_for_selector("text=No visits between 2020-01-01 and 2020-01-31", timeout=60_000)
        settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.get_by_role("button", name=re.compile(r"^Show \d{4}-\d\d-\d\d – ")).click()
        page.wait_for_function("() => !document.body.innerText.includes('No visits between 2020-01-01')",
                               timeout=60_000)
        settle(page)
        assert "from=2020-01-01" not in page.url
        page.wait_for_selector(".js-plotly-plot", timeout=30_000)  # the period with data, drawn


def test_the_world_map_is_drawn_without_any_cdn(served):
    """plotly.js would fetch the map's outline from cdn.plot.ly, unreachable offline (and often from China): every
    request to another host is refused here, and the countries must still be drawn from the app's own copy."""
    from playwright.sync_api import sync_playwright

    from scripts.browser_tour import _settle

    base, logins, _ = served
    name, password = logins["marketing"]
    fetched: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                       else (fetched.append(route.request.url), route.abort()))
            page.goto(base, wait_until="networkidle")
            page.get_by_label("User name").fill(name)
            page.get_by_role("textbox", name="Password").fill(password)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_selector(".st-key-nav", timeout=60_000)
            page.locator(".st-key-nav a", has_text="Usage trends").first.click()
            page.wait_for_selector(".js-plotly-plot .geo", timeout=60_000)
            _settle(page)
            # a country is drawn once its outline is loaded: with none, the map stays empty
            page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot path.choroplethlocation').length"
                                   " > 0", timeout=30_000)
        finally:
            browser.close()
    assert not [url for url in fetched if "plot.ly" in url], fetched


def test_an_unknown_address_says_so_and_links_home_without_a_dialog(served):
    """A mistyped link shows a page that says the address leads nowhere, with a link home, signed in or not."""
    base, logins, _ = served
    with browser_page(base) as (_, page):
        page.goto(f"{base}/usgae", wait_until="networkidle")
        page.wait_for_selector('h1:has-text("No such page")', timeout=60_000)
        settle(page)
        assert "Nothing is at the address /usgae" in page.inner_text("body")
        assert page.locator('[role="dialog"]').count() == 0
        page.get_by_role("link", name="Log in").click()
        log_in(page, *logins["marketing"])
        page.wait_for_selector('h1:has-text("Overview")', timeout=60_000)
        page.goto(f"{base}/no-such-page", wait_until="networkidle")
        page.wait_for_selector('h1:has-text("No such page")', timeout=60_000)
        assert page.locator('[role="dialog"]').count() == 0
        page.get_by_role("link", name="Go to the Overview").click()
        page.wait_for_selector('h1:has-text("Overview")', timeout=60_000)


# Text the page cut short: wider than its box (scrolled or ellipsed). Tiles, headings, captions and the cells of
# the tables drawn as HTML; st.dataframe's grid is a canvas, so the long-text tables are drawn as st.table.
CUT = """() => Array.from(document.querySelectorAll(
    '[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *, [data-testid="stMetricDelta"] *, '
    + 'h1, h2, h3, [data-testid="stCaptionContainer"], [data-testid="stTable"] th, [data-testid="stTable"] td'))
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.innerText.slice(0, 60))"""


@pytest.mark.parametrize("width", [1280, 1440])
def test_nothing_is_cut_at_common_screen_widths(served, width):
    base, logins, _ = served
    cut: dict[str, list[str]] = {}
    with browser_page(base) as (context, page):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base, wait_until="networkidle")
        log_in(page, *logins["admin"])
        page.wait_for_selector(".st-key-nav", timeout=60_000)
        settle(page)
        for title in [p.title for p in pages_for("admin")]:
            page.locator(".st-key-nav a", has_text=title).first.click()
            page.wait_for_selector(f'h1:has-text("{title}")', timeout=60_000)
            settle(page)
            page.wait_for_timeout(1500)
            found = page.evaluate(CUT)
            if found:
                cut[title] = found
    assert cut == {}, f"cut at {width} px: {cut}"
