"""Which pages exist and which roles may open them: the one place that decides."""

from __future__ import annotations

from dataclasses import dataclass

from etl.core.roles import RIGHTS_ROLES, ROLES


@dataclass(frozen=True)
class PageSpec:
    file: str  # relative to dashboard/
    title: str
    url_path: str
    icon: str
    roles: frozenset[str]


ALL = frozenset(ROLES)


class PageEnd(Exception):
    """Raised by a page that has said all it can (no data yet): dashboard/app.py ends the page there
    and still draws the sidebar links. ``st.stop()`` would not let it: after it every Streamlit call stops too."""


PAGES: tuple[PageSpec, ...] = (
    PageSpec("views/overview.py", "Overview", "overview", ":material/home:", ALL),
    PageSpec("views/usage.py", "Usage trends", "usage", ":material/monitoring:", frozenset({"marketing", "admin"})),
    PageSpec(
        "views/inquiries.py", "Inquiry funnel", "inquiries", ":material/filter_alt:", frozenset({"manager", "admin"})
    ),
    PageSpec("views/rights.py", "Rights requests", "rights", ":material/gavel:", RIGHTS_ROLES),
    PageSpec("views/privacy.py", "Data & privacy", "privacy", ":material/shield:", frozenset({"compliance", "admin"})),
    PageSpec("views/admin.py", "Accounts", "accounts", ":material/manage_accounts:", frozenset({"admin"})),
)


def unknown_address(asked: str | None) -> str | None:
    """The address asked for (``usgae``) when no page has it, else None. Only one name: a page's address holds
    no ``/``, so a longer path cannot be given a page of its own."""
    known = {page.url_path for page in PAGES} | {"", "login"}
    if not asked or asked in known or "/" in asked.strip("/"):
        return None
    return asked.strip("/")


def pages_for(role: str) -> list[PageSpec]:
    return [page for page in PAGES if role in page.roles]


def may_open(role: str, file: str) -> bool:
    return any(page.file == file and role in page.roles for page in PAGES)
