"""Every page renders for each role allowed to open it; no role sees another role's pages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES, pages_for, unknown_address
from etl.core import clock
from etl.core.roles import ROLES
from tests.helpers import APP, app_as

pytestmark = pytest.mark.slow


def test_logged_out_visitors_see_only_the_login_form(loaded_env):
    at = app_as(None).run()
    assert not at.exception
    assert at.title[0].value == "vcar-insights"
    assert [b.label for b in at.button] == ["Log in", "Reset my password with a code"]


@pytest.mark.parametrize(
    "role, page", [(r, p) for r in ROLES for p in pages_for(r)], ids=lambda v: getattr(v, "url_path", v)
)
def test_each_allowed_page_renders_with_its_title(loaded_env, role, page):
    at = app_as(role).run()
    at.switch_page(page.file).run()
    assert not at.exception, at.exception
    assert page.title in [t.value for t in at.title]


@pytest.mark.parametrize("role", ROLES)
def test_a_role_cannot_open_other_roles_pages(loaded_env, role):
    forbidden = [p for p in PAGES if role not in p.roles]
    for page in forbidden:
        at = app_as(role).run()
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page.file)  # not registered for this role: no URL reaches it
        direct = AppTest.from_file(str(Path(APP).parent / page.file), default_timeout=60)
        direct.session_state["auth_user"] = {"name": "t", "role": role, "last_seen": time.monotonic()}
        direct.run()  # and the page itself refuses, should it ever be routed
        assert page.title not in [t.value for t in direct.title]
        assert any("do not have access" in e.value for e in direct.error)


def test_marketing_sees_small_counts_suppressed(loaded_env, monkeypatch):
    monkeypatch.setenv("VCAR_K_MIN", "1000000")
    from etl.core.settings import cached_settings

    cached_settings.cache_clear()
    at = app_as("marketing").run()
    at.switch_page("views/usage.py").run()
    assert not at.exception
    visitors = next(m for m in at.metric if m.label == "Visitors")
    assert visitors.value == "< 1000000"
    assert not visitors.delta  # no change shown either: it would hint at the suppressed count


def test_sessions_expire_after_idle_time(loaded_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["auth_user"] = {"name": "t", "role": "admin", "last_seen": time.monotonic() - 24 * 3600}
    at.run()
    assert [b.label for b in at.button] == ["Log in", "Reset my password with a code"]
    assert any("expired" in i.value for i in at.info)


def test_login_failures_and_successes_are_audited_without_what_was_typed(settings_env):
    import duckdb

    from etl.access.accounts import add_user

    add_user(settings_env.secrets_dir, "mia", "manager", "correct horse battery")
    for name, password in [("mia", "wrong password!"), ("someone@example.cn", "whatever123"),
                           ("mia", "correct horse battery")]:
        at = AppTest.from_file(APP, default_timeout=60).run()
        at.text_input[0].input(name)
        at.text_input[1].input(password)
        at.button[0].click().run()
        assert not at.exception
    with duckdb.connect(str(settings_env.warehouse), read_only=True) as con:
        rows = con.execute("SELECT action, object, detail FROM audit_log ORDER BY seq").fetchall()
    assert [(a, o) for a, o, _ in rows] == [("login.failure", "mia"), ("login.failure", "(unknown user)"),
                                           ("login.success", "mia")]
    assert "someone@example.cn" not in str(rows) and "wrong password" not in str(rows)


def test_the_rights_page_updates_a_request_and_refuses_a_wrong_step(settings_env):

    import duckdb

    from etl.compliance import rights

    today = clock.today(settings_env.tz)
    rights.add(settings_env, type_="access", received=today, email="a@example.cn")
    at = app_as("compliance").run()
    at.switch_page("views/rights.py").run()
    assert not at.exception
    request_id = at.dataframe[0].value["Request"][0]
    assert "DSR-" in request_id
    at.selectbox(key=f"upd-status-{request_id}").set_value("withdrawn")
    form_buttons = [b for b in at.button if b.label == "Save"]
    form_buttons[0].click().run()
    assert not at.exception
    assert any("updated" in s.value for s in at.success)
    registers = [t.value for t in at.dataframe if "Request" in t.value.columns]
    assert all(request_id not in list(t["Request"]) for t in registers)  # redrawn at once: no longer open
    at.toggle(key="rights-open").set_value(False).run()  # a withdrawn request is no longer open
    at.selectbox(key=f"upd-status-{request_id}").set_value("in_progress")
    [b for b in at.button if b.label == "Save"][0].click().run()
    assert any("cannot go from withdrawn to in progress" in e.value for e in at.error)
    with duckdb.connect(str(settings_env.warehouse), read_only=True) as con:
        actors = con.execute("SELECT actor, action FROM audit_log ORDER BY seq").fetchall()
    assert actors[-1] == ("dashboard:t-compliance", "rights.update")


def test_picking_another_request_shows_its_values_and_errors_speak_the_forms_words(settings_env):

    from etl.compliance import rights

    today = clock.today(settings_env.tz)
    first = rights.add(settings_env, type_="access", received=today, email="a@example.cn").request_id
    second = rights.add(settings_env, type_="erasure", received=today, email="b@example.cn").request_id
    at = app_as("compliance").run()
    at.switch_page("views/rights.py").run()
    at.selectbox(key="upd-id").set_value(first).run()
    at.checkbox(key=f"upd-extend-{first}").check()
    at.selectbox(key=f"upd-status-{first}").set_value("completed")
    at.selectbox(key="upd-id").set_value(second).run()  # another request: a fresh form with its values
    assert at.checkbox(key=f"upd-extend-{second}").value is False
    assert at.selectbox(key=f"upd-status-{second}").value == "(unchanged)"
    at.checkbox(key=f"upd-extend-{second}").check()
    at.selectbox(key=f"upd-status-{second}").set_value("completed")
    [b for b in at.button if b.label == "Save"][0].click().run()
    errors = [e.value for e in at.error]
    assert errors and errors[0].startswith("Extend by two months:")
    assert not any("--" in e for e in errors)  # never a CLI flag on the web


def test_a_receipt_date_in_the_future_is_refused(settings_env):
    import datetime as dt

    from etl.compliance import rights
    from etl.core.errors import FieldError

    tomorrow = clock.today(settings_env.tz) + dt.timedelta(days=1)
    with pytest.raises(FieldError, match="--received: .* is in the future"):
        rights.add(settings_env, type_="access", received=tomorrow, email="a@example.cn")


def test_the_privacy_page_shows_the_inventory_and_an_intact_chain(loaded_env):
    from etl.compliance.inventory import INVENTORY

    at = app_as("compliance").run()
    at.switch_page("views/privacy.py").run()
    assert not at.exception
    assert next(m for m in at.metric if m.label == "Audit chain").value == "intact"
    shown = next(d.value for d in at.dataframe if "Table" in d.value.columns)["Table"].to_list()
    assert shown == [t.name for t in INVENTORY]


def test_the_privacy_page_opens_with_every_promise_and_its_status(loaded_env):
    from etl.compliance.promises import PROMISES

    at = app_as("compliance").run()
    at.switch_page("views/privacy.py").run()
    assert not at.exception
    panel = at.table[0].value
    assert panel["Promise"].to_list() == [p.text for p in PROMISES]
    assert set(panel["Status"]) <= {"kept", "at risk", "broken", "not checked"}


def test_subject_export_and_erasure_from_the_rights_page(settings_env, tmp_path):
    from etl.compliance import rights

    rights.add(settings_env, type_="erasure", received=dt_today(settings_env), email="sub@example.cn")
    at = app_as("compliance").run()
    at.switch_page("views/rights.py").run()
    at.text_input(key="subject-who").input("SUB@example.cn")
    run_button = [b for b in at.button if b.label == "Run"][0]
    run_button.click().run()
    assert any("1 requests held" in s.value for s in at.success)
    at.radio(key="subject-action").set_value("Erase (Art. 17)")
    [b for b in at.button if b.label == "Run"][0].click().run()
    assert any("type ERASE" in e.value for e in at.error)
    at.text_input(key="subject-confirm").input("ERASE")
    [b for b in at.button if b.label == "Run"][0].click().run()
    assert any("1 requests unlinked" in s.value for s in at.success)
    assert not at.exception


def dt_today(cfg):

    return clock.today(cfg.tz)


def test_filter_choices_read_as_the_tables_do(loaded_env):
    """Places by name with their code, devices in words; choosing one filters by its code."""
    at = app_as("marketing").run()
    at.switch_page("views/usage.py").run()
    country, device = at.selectbox(key="usage-country"), at.selectbox(key="usage-device")
    assert "China (CN)" in country.options and "CN" not in country.options
    assert "Mobile" in device.options and "mobile" not in device.options
    country.set_value("CN").run()
    assert not at.exception
    assert at.query_params["country"] == "CN"
    assert all(option == "All" or option.endswith(")") for option in at.selectbox(key="usage-region").options)


@pytest.mark.parametrize(("asked", "unknown"), [("usgae", "usgae"), ("usage", None), ("login", None), ("", None),
                                                (None, None), ("a/b", None)])
def test_an_address_no_page_has_is_told_apart(asked, unknown):
    assert unknown_address(asked) == unknown
