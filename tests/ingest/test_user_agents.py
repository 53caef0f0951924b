"""User-agent classification: the fast paths give exactly what the reference libraries give.

``parse_agent`` feeds ua-parser 1.0's native resolver into user-agents; ``listed_crawlers`` checks the
crawler-user-agents list with one polars regex. Both must agree with the slow reference they replace."""

from __future__ import annotations

import re

import pytest
from crawleruseragents import CRAWLER_USER_AGENTS_DATA
from hypothesis import given, settings
from hypothesis import strategies as st
from user_agents import parse as reference_parse

from etl.ingest.logs.agent_classes import people_pattern
from etl.ingest.logs.enrich import classify_user_agent, classify_user_agents, listed_crawlers, parse_agent

BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
    "Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 "
    "Safari/604.1",
    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0 "
    "HuaweiBrowser/15.0.4.312 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Linux; Android 10; MI 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0 "
    "MQQBrowser/6.2 TBS/045714 Mobile Safari/537.36 MicroMessenger/8.0.1.1841(0x28000151) NetType/WIFI",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) Presto/2.5.25 Version/10.54",
    "BlackBerry9700/5.0.0.351 Profile/MIDP-2.1 Configuration/CLDC-1.1 VendorID/123",
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "Outlook-iOS/709.2189947.prod.iphone (3.24.0)",
    "",
    "Other",
    "x",
]
CRAWLER_EXAMPLES = [text for entry in CRAWLER_USER_AGENTS_DATA for text in entry.get("instances", [])]


def same_fields(text: str) -> None:
    fast, slow = parse_agent(text), reference_parse(text)
    assert _fields(fast) == _fields(slow), text
    assert (fast.is_bot, fast.is_mobile, fast.is_tablet, fast.is_pc) == (
        slow.is_bot, slow.is_mobile, slow.is_tablet, slow.is_pc
    ), text


def test_the_native_parser_reads_browsers_as_the_reference_does():
    for text in BROWSERS:
        same_fields(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=100))
def test_the_native_parser_agrees_on_arbitrary_text(text):
    same_fields(text)


@pytest.mark.slow
def test_where_the_native_parser_differs_it_only_finds_more_bots():
    """The upstream patterns bound their wildcards (``^.{0,100}(bot|crawl|spider|...)``) to guard Python's
    backtracking engine; the native engine needs no guard and finds a bot token further into the string."""
    differ = [text for text in CRAWLER_EXAMPLES if _fields(parse_agent(text)) != _fields(reference_parse(text))]
    assert differ, "the crawler list has long bot strings the bounded patterns miss"
    assert all(parse_agent(text).is_bot and not reference_parse(text).is_bot for text in differ if
               parse_agent(text).device != reference_parse(text).device)
    # the list also names a few in-app browsers and desktop apps, which stay people here (etl.ingest.logs.agent_classes)
    assert all(classify_user_agent(text).is_bot for text in differ if not re.search(people_pattern(), text))


def _fields(agent) -> tuple:
    return agent.browser, agent.os, agent.device


@pytest.mark.slow
def test_the_vectorized_crawler_check_agrees_with_the_list_compiled_by_python():
    python = re.compile("|".join(f"(?:{entry['pattern']})" for entry in CRAWLER_USER_AGENTS_DATA))
    texts = CRAWLER_EXAMPLES + BROWSERS
    assert listed_crawlers(texts) == [bool(python.search(text)) for text in texts]
    assert sum(listed_crawlers(CRAWLER_EXAMPLES)) == len(CRAWLER_EXAMPLES)
    assert listed_crawlers([]) == []


@pytest.mark.slow
def test_classifying_many_at_once_is_classifying_each():
    texts = BROWSERS + CRAWLER_EXAMPLES[::50] + ["curl/8.4.0", "HeadlessChrome/120", "-"]
    assert classify_user_agents(texts) == [classify_user_agent(text) for text in texts]


def test_devices_and_bot_reasons():
    by_text = dict(zip(BROWSERS, classify_user_agents(BROWSERS), strict=True))
    assert by_text[BROWSERS[0]].device == "desktop"
    assert by_text[BROWSERS[1]].device == "mobile"
    assert by_text[BROWSERS[2]].device == "tablet"
    assert by_text[BROWSERS[6]].browser == "WeChat"
    googlebot = by_text[BROWSERS[7]]
    assert (googlebot.is_bot, googlebot.bot_reason, googlebot.bot_name) == (True, "crawler_list", "Googlebot")
    assert by_text[""].bot_reason == "empty_user_agent"


@pytest.mark.parametrize(
    ("ua", "name"),
    [  # crawlers from the real Apache log in shared/real-logs, which name no "bot" and are no browser
        ("Mozilla/5.0 (compatible; Ezooms/1.0; help@moz.com)", "Ezooms"),
        ("Mozilla/5.0 (Windows NT 6.1; rv:6.0) Gecko/20110814 Firefox/6.0 Google favicon", "Google favicon"),
        ("Mozilla/4.0 (compatible; MSIE 5.0; Windows NT; DigExt; DTS Agent", "DTS Agent"),
        ("Mozilla/5.0 (compatible; Google Desktop/5.9.1005.12335; http://desktop.google.com/)", "Google Desktop"),
    ],
)
def test_a_listed_crawler_is_named_after_its_product_not_mozilla(ua, name):
    from etl.ingest.logs.enrich import classify_user_agent

    info = classify_user_agent(ua)
    assert info.is_bot and info.bot_name == name
