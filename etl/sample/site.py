"""The made-up website of the sample data: its pages, assets and redirects, the browsers and crawlers that visit
it, where visitors come from (referrers and campaigns), and the one weighted choice every generator makes."""

from __future__ import annotations

import random
from zoneinfo import ZoneInfo

SERVER_TZ = ZoneInfo("Asia/Shanghai")  # the sample server's clock: its logs rotate at its midnight


def weighted(rng: random.Random, items: list, weights: list[int]):
    """One item, chosen with the given weights."""
    return rng.choices(items, weights=weights, k=1)[0]


PAGES = [
    ("/", 30),
    ("/products/", 14),
    ("/products/vcar-x7-diagnostic-tablet", 10),
    ("/products/obd2-scanner-pro", 8),
    ("/products/tpms-service-tool", 5),
    ("/products/key-programmer-kp1", 4),
    ("/support/", 6),
    ("/support/downloads", 5),
    ("/support/firmware-update", 4),
    ("/support/vehicle-coverage", 4),
    ("/news/", 3),
    ("/news/2026-autumn-software-release", 3),
    ("/news/automechanika-shanghai-2026", 2),
    ("/about", 3),
    ("/contact", 6),
    ("/en/", 4),
    ("/de/produkte", 2),
]
ASSETS = ["/static/css/site.css", "/static/js/app.js", "/static/img/logo.svg", "/static/fonts/inter.woff2"]
PAGE_IMAGES = ["/static/img/hero-x7.webp", "/static/img/obd2-pro.jpg", "/static/img/tpms.png"]
NOT_FOUND = ["/wp-login.php", "/products/old-x5", "/.env", "/news/2019-archive", "/phpmyadmin/index.php"]
REDIRECTS = {"/products": "/products/", "/support": "/support/", "/zh/": "/"}

# (user agent, device kind, weight for CN visitors, weight for EU visitors)
BROWSERS: list[tuple[str, str, int, int]] = [
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        "desktop",
        18,
        30,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.80",
        "desktop",
        8,
        12,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "desktop",
        2,
        10,
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Safari/605.1.15",
        "desktop",
        4,
        10,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Mobile/15E148 Safari/604.1",
        "mobile",
        8,
        12,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.6778.81 Mobile Safari/537.36",
        "mobile",
        4,
        10,
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.6 Mobile/15E148 Safari/604.1",
        "tablet",
        2,
        4,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI Language/zh_CN",
        "mobile",
        14,
        0,
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; V2217A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47",
        "mobile",
        10,
        0,
    ),
    (
        "Mozilla/5.0 (Linux; U; Android 12; zh-cn; PEGM00 Build/SKQ1.210216.001) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.86 MQQBrowser/14.7 Mobile Safari/537.36",
        "mobile",
        6,
        0,
    ),
    (
        "Mozilla/5.0 (Linux; U; Android 11; zh-CN; M2012K11AC Build/RKQ1.200826.002) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.58 UCBrowser/16.3.9.1270 Mobile Safari/537.36",
        "mobile",
        5,
        0,
    ),
    (
        "Mozilla/5.0 (Linux; U; Android 13; zh-cn; 23013RK75C Build/TKQ1.220905.001) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.118 Mobile Safari/537.36 XiaoMi/MiuiBrowser/18.2.150419",
        "mobile",
        5,
        0,
    ),
    (
        "Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00; HMSCore 6.13.0.302) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/114.0.5735.196 HuaweiBrowser/15.0.4.312 Mobile Safari/537.36",
        "mobile",
        6,
        0,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/108.0.5359.95 Safari/537.36 QIHU 360SE",
        "desktop",
        3,
        0,
    ),
]

CRAWLERS: list[tuple[str, str, int]] = [
    ("Googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 20),
    ("Baiduspider", "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)", 25),
    ("bingbot", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", 8),
    (
        "Bytespider",
        "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 "
        "(compatible; Bytespider; spider-feedback@bytedance.com)",
        12,
    ),
    (
        "GPTBot",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
        6,
    ),
    (
        "ClaudeBot",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)",
        4,
    ),
    (
        "PetalBot",
        "Mozilla/5.0 (Linux; Android 7.0;) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 "
        "(compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)",
        5,
    ),
    ("YandexBot", "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", 3),
    ("AhrefsBot", "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", 4),
    ("Sogou", "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)", 4),
]
AUTOMATION = [
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Go-http-client/1.1",
    "okhttp/4.12.0",
    "Wget/1.21.4",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
    "-",
]

# (referrer URL or None for direct, weight CN, weight EU)
REFERRERS: list[tuple[str | None, int, int]] = [
    (None, 30, 30),
    ("https://www.baidu.com/link?url=aXk3VmQ2&wd=&eqid=9f8e7d6c", 32, 1),
    ("https://www.google.com/", 6, 38),
    ("https://cn.bing.com/search?q=obd2+scanner", 6, 8),
    ("https://www.bing.com/search?q=car+diagnostic+tablet", 1, 8),
    ("https://mp.weixin.qq.com/s/Xy12AbCdEf", 14, 0),
    ("https://www.linkedin.com/", 2, 10),
    ("https://www.zhihu.com/question/4567", 5, 0),
    ("https://duckduckgo.com/", 0, 3),
    ("https://forum.autotechnik.example/thread/881", 1, 4),
]
CAMPAIGNS = [
    "utm_source=wechat&utm_medium=social&utm_campaign=autumn_release",
    "utm_source=baidu&utm_medium=cpc&utm_campaign=obd2_pro",
    "utm_source=newsletter&utm_medium=email&utm_campaign=2026_11_newsletter",
    "utm_source=linkedin&utm_medium=social&utm_campaign=automechanika",
    "utm_source=google&utm_medium=cpc&utm_campaign=tablet_eu",
]
