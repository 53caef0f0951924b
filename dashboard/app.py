"""Entry point: ``streamlit run dashboard/app.py`` (``vcar dashboard`` does it). Routing only."""

from __future__ import annotations

import streamlit as st

from dashboard import auth
from dashboard.navigation import pages_for
from etl.errors import WarehouseBusy

st.set_page_config(page_title="vcar-insights", page_icon=":material/insights:", layout="wide")

user = auth.current_user()
if user is None:
    page = st.navigation([st.Page(auth.login_page, title="Log in", url_path="login", icon=":material/login:")])
else:
    page = st.navigation(
        [st.Page(p.file, title=p.title, url_path=p.url_path, icon=p.icon) for p in pages_for(user.role)]
    )
    auth.sidebar(user)
try:
    page.run()
except WarehouseBusy:
    st.warning("The warehouse is being updated by a load right now. Reload the page in a minute.")
st.divider()
st.caption(
    "Geolocation: this product includes GeoLite2 data created by MaxMind, available from https://www.maxmind.com "
    "(CC BY-SA 4.0). Visitor data is pseudonymized with daily keys and shown only in aggregate."
)
