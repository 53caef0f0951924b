"""Entry point: ``streamlit run dashboard/app.py`` (``vcar dashboard`` does it). Routing only."""

from __future__ import annotations

# Imported whole before any page runs: plotly (through narwhals) uses pandas if it finds it in sys.modules, and
# with sessions starting at once it found it half-initialized while another session's thread was importing it.
import pandas  # noqa: F401
import plotly.express  # noqa: F401
import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import auth, controls, loaders
from dashboard.navigation import PAGES, PageEnd, pages_for, unknown_address
from etl.core import warehouse
from etl.core.errors import PageTimeout, WarehouseBusy
from etl.core.settings import cached_settings

st.set_page_config(page_title="vcar-insights", page_icon=":material/insights:", layout="wide")


def with_not_found(pages: list[StreamlitPage], home_label: str) -> list[StreamlitPage]:
    """The pages, and one more at the address asked for when no page has it: it says so and links home (the first
    page). The address is the one Streamlit itself resolves (no public API names it before st.navigation)."""
    ctx = get_script_run_ctx()
    asked = unknown_address(ctx.pages_manager.intended_page_name if ctx else None)
    if asked is None:
        return pages
    return [*pages, st.Page(auth.not_found(asked, pages[0], home_label), title="No such page", url_path=asked,
                            visibility="hidden")]


user = auth.current_user()
if user is None:
    # A link to any page (/usage?range=last7&country=DE) opens the login form at that address, so there is no
    # "page not found" dialog, and after login the same address shows that page with that view.
    page = st.navigation(
        with_not_found(
            [st.Page(auth.login_page, title="Log in", url_path="login", icon=":material/login:", default=True)]
            + [st.Page(auth.login_at(p.url_path), title="Log in", url_path=p.url_path) for p in PAGES],
            "Log in",
        ),
        position="hidden",
    )
else:
    allowed = pages_for(user.role)
    visible = [st.Page(p.file, title=p.title, url_path=p.url_path, icon=p.icon) for p in allowed]
    page = st.navigation(
        with_not_found(
            visible
            + [
                st.Page(auth.no_access(p.title), title=p.title, url_path=p.url_path, visibility="hidden")
                for p in PAGES
                if p not in allowed
            ]
            + [st.Page(auth.signed_in_already, title="Log in", url_path="login", visibility="hidden")],
            f"Go to the {allowed[0].title}",
        ),
        position="hidden",
    )
    nav = st.sidebar.empty()  # the links, drawn once the page has chosen its view (below)
    auth.sidebar(user)
auth.apply_cookie()
timeout = cached_settings().page_timeout_seconds
try:
    if user is not None:
        loaders.forget_if_loaded()
    with warehouse.deadline(timeout):
        page.run()
except PageEnd:
    pass  # the page has shown why it ends (no data yet); the sidebar links follow
except WarehouseBusy:
    st.warning("The warehouse is being updated by a load right now. Reload the page in a minute.")
except PageTimeout:
    st.warning(f"This page took longer than {timeout:g} seconds and was stopped, so that it does not hold up "
               "other people. Choose a shorter period or fewer filters, or try again later.")
finally:
    if user is not None:
        # Our own links, not Streamlit's: each carries the view its page shows (chosen by the run above, also when
        # the page stopped early), so the page adds no second history entry and Back returns in one press.
        with nav.container(key="nav"):
            for spec, target in zip(allowed, visible, strict=True):
                st.page_link(target, label=spec.title, icon=spec.icon,
                             query_params=controls.carried_view(spec.url_path))
st.divider()
st.caption(
    "Geolocation: this product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com "
    "(CC BY-SA 4.0). Visitor data is pseudonymized with daily keys and shown only in aggregate."
)
