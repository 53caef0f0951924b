"""Sample data for the demo and the tests: access logs, the contact-form export, rights requests.

Deterministic for a given (seed, start, days, visitors_per_day): every random choice comes from one
``random.Random(seed)`` and Faker instances seeded from it. Nothing here reads the clock except the default
``start`` chosen by the CLI.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import ipaddress
import random
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from etl.core.errors import InputError
from etl.ingest.inquiries.regions import county_names
from etl.sample.networks import BOT_NETWORKS, NETWORKS, SampleNetwork

SERVER_TZ = ZoneInfo("Asia/Shanghai")

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

SUPPORT_TYPES = [
    ("Product inquiry", 40),
    ("Technical support", 25),
    ("After-sales service", 12),
    ("Become a distributor", 10),
    ("Software update", 8),
    ("Other", 5),
]
# How people type their province; the last entries of some lists are spellings nobody can map.
PROVINCE_SPELLINGS: dict[str, list[str]] = {
    "CN-GD": ["广东省", "广东", "Guangdong", "guangdong sheng", "Guangdong Province", "广东省深圳市"],
    "CN-ZJ": ["浙江省", "浙江", "Zhejiang", "zhejiang"],
    "CN-JS": ["江苏省", "江苏", "Jiangsu", "JIANGSU"],
    "CN-SH": ["上海市", "上海", "Shanghai", "shanghai shi"],
    "CN-BJ": ["北京市", "北京", "Beijing", "Peking"],
    "CN-SD": ["山东省", "山东", "Shandong"],
    "CN-SC": ["四川省", "四川", "Sichuan"],
    "CN-HB": ["湖北省", "湖北", "Hubei"],
    "CN-HA": ["河南省", "河南", "Henan"],
    "CN-FJ": ["福建省", "福建", "Fujian"],
    "CN-HN": ["湖南省", "湖南", "Hunan"],
    "CN-SN": ["陕西省", "陕西", "Shaanxi"],
    "CN-LN": ["辽宁省", "辽宁", "Liaoning"],
    "CN-TJ": ["天津市", "天津", "Tianjin"],
    "CN-CQ": ["重庆市", "重庆", "Chongqing"],
    "DE-BY": ["Bavaria", "Bayern", "bayern"],
    "DE-BE": ["Berlin"],
    "DE-HH": ["Hamburg"],
    "FR-IDF": ["Île-de-France", "Ile-de-France", "Paris"],
    "GB-ENG": ["England", "england"],
    "NL-NH": ["Noord-Holland", "North Holland"],
    "ES-MD": ["Madrid", "Comunidad de Madrid"],
    "PL-MZ": ["Mazowieckie", "Masovia"],
}
UNMAPPABLE = ["N/A", "xx", "不知道", "-", "my city"]
COUNTRY_SPELLINGS = {
    "CN": ["中国", "China", "CN", "china", "中华人民共和国", "P.R. China"],
    "DE": ["Germany", "Deutschland", "DE"],
    "FR": ["France", "FR"],
    "GB": ["United Kingdom", "UK", "England", "Great Britain"],
    "NL": ["Netherlands", "Nederland", "Holland"],
    "ES": ["Spain", "España"],
    "PL": ["Poland", "Polska"],
}
CN_MOBILE_PREFIXES = ["135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "176", "177", "180",
                      "181", "186", "187", "188", "189", "198", "199"]  # fmt: skip
FREE_MAIL_CN = ["qq.com", "163.com", "126.com", "sina.com", "foxmail.com"]
FREE_MAIL_EU = ["gmail.com", "web.de", "gmx.de", "outlook.com", "orange.fr", "hotmail.co.uk"]
RIGHTS_TYPES = [
    ("access", 35),
    ("erasure", 25),
    ("withdraw_consent", 12),
    ("rectification", 10),
    ("objection", 8),
    ("portability", 6),
    ("restriction", 4),
]
CHANNELS = ["email", "web_form", "email", "phone", "post"]


@dataclass
class Visitor:
    ip: str
    ua: str
    network: SampleNetwork


@dataclass
class Submission:
    when: dt.datetime
    visitor: Visitor


@dataclass
class GenerateResult:
    out: Path
    log_files: list[Path] = field(default_factory=list)
    log_lines: int = 0
    inquiries: int = 0
    rights_requests: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "out": str(self.out),
            "log_files": len(self.log_files),
            "log_lines": self.log_lines,
            "inquiries": self.inquiries,
            "rights_requests": self.rights_requests,
        }


def _weighted(rng: random.Random, items: list, weights: list[int]):
    return rng.choices(items, weights=weights, k=1)[0]


def random_host(rng: random.Random, cidr: str) -> str:
    net = ipaddress.ip_network(cidr)
    span = min(net.num_addresses - 2, 2**20)
    return str(net.network_address + 1 + rng.randrange(span))


def _clf_time(moment: dt.datetime) -> str:
    return moment.astimezone(SERVER_TZ).strftime("%d/%b/%Y:%H:%M:%S %z")


def _line(ip: str, when: dt.datetime, method: str, path: str, status: int, size: int, ref: str | None, ua: str) -> str:
    return f'{ip} - - [{_clf_time(when)}] "{method} {path} HTTP/1.1" {status} {size} "{ref or "-"}" "{ua}"'


class _DayWriter:
    """Collects one server day's lines, then writes them sorted by time; none after ``until`` (a log ends now)."""

    def __init__(self, until: dt.datetime | None = None) -> None:
        self.events: list[tuple[dt.datetime, int, str]] = []
        self.until = until

    def add(self, when: dt.datetime, line: str) -> None:
        if self.until is None or when <= self.until:
            self.events.append((when, len(self.events), line))

    def lines(self) -> list[str]:
        return [line for _, _, line in sorted(self.events)]


def _day_volume(rng: random.Random, day: dt.date, base: int, index: int) -> int:
    weekday = [1.0, 1.05, 1.05, 1.0, 0.9, 0.55, 0.45][day.weekday()]
    growth = 1.0 + 0.01 * index
    return max(1, int(base * weekday * growth * rng.uniform(0.85, 1.15)))


def _start_of_visit(rng: random.Random, day: dt.date, network: SampleNetwork) -> dt.datetime:
    """Visitors browse in their local working hours, with an evening bump."""
    local_tz = SERVER_TZ if network.country == "CN" else ZoneInfo("Europe/Berlin")
    hour = _weighted(
        rng, list(range(24)), [1, 1, 1, 1, 1, 1, 2, 4, 7, 10, 11, 10, 8, 9, 10, 10, 9, 8, 6, 6, 7, 6, 4, 2]
    )
    local = dt.datetime.combine(day, dt.time(hour, rng.randrange(60), rng.randrange(60)), local_tz)
    start = dt.datetime.combine(day, dt.time(0), SERVER_TZ)
    end = start + dt.timedelta(days=1) - dt.timedelta(hours=2)
    return min(max(local.astimezone(SERVER_TZ), start), end)


def _visit(
    rng: random.Random, out: _DayWriter, visitor: Visitor, when: dt.datetime, submissions: list[Submission]
) -> dt.datetime:
    """One visit: landing from a source, a few pageviews with their assets, maybe the contact form."""
    eu = visitor.network.country != "CN"
    referrer = _weighted(rng, [r for r, _, _ in REFERRERS], [w_eu if eu else w_cn for _, w_cn, w_eu in REFERRERS])
    page = _weighted(rng, [p for p, _ in PAGES], [w for _, w in PAGES])
    query = f"?{rng.choice(CAMPAIGNS)}" if rng.random() < 0.12 else ""
    views = 1 if rng.random() < 0.42 else min(9, 2 + int(rng.expovariate(0.5)))
    site = "https://www.vcar.example"
    for n in range(views):
        if n and rng.random() < 0.08:
            page = "/contact"
        status = 304 if rng.random() < 0.05 else 200
        if page in REDIRECTS and rng.random() < 0.5:
            out.add(when, _line(visitor.ip, when, "GET", page, 301, 0, referrer, visitor.ua))
            when += dt.timedelta(milliseconds=150)
            page = REDIRECTS[page]
        out.add(
            when, _line(visitor.ip, when, "GET", page + query, status, rng.randint(8_000, 60_000), referrer, visitor.ua)
        )
        here = site + page
        assets = ASSETS if n == 0 else ASSETS[:1]
        for i, asset in enumerate(assets + ([rng.choice(PAGE_IMAGES)] if rng.random() < 0.5 else [])):
            t = when + dt.timedelta(milliseconds=80 * (i + 1))
            out.add(t, _line(visitor.ip, t, "GET", asset, 200, rng.randint(2_000, 200_000), here, visitor.ua))
        if page == "/contact" and rng.random() < 0.12:
            when += dt.timedelta(seconds=rng.randint(40, 400))
            out.add(when, _line(visitor.ip, when, "POST", "/contact", 303, 0, here, visitor.ua))
            submissions.append(Submission(when, visitor))
            t = when + dt.timedelta(milliseconds=200)
            out.add(t, _line(visitor.ip, t, "GET", "/contact/thanks", 200, 5_120, here, visitor.ua))
        if rng.random() < 0.01:  # a stray GET of the form, personal data in the query string
            out.add(
                when,
                _line(
                    visitor.ip,
                    when,
                    "GET",
                    "/contact?email=li.wei%40qq.com&mobile=%2B8613800138000",
                    200,
                    9_000,
                    here,
                    visitor.ua,
                ),
            )
        if rng.random() < 0.02:
            out.add(when, _line(visitor.ip, when, "GET", rng.choice(NOT_FOUND), 404, 512, here, visitor.ua))
        referrer, query = here, ""
        when += dt.timedelta(seconds=rng.randint(5, 300))
        page = _weighted(rng, [p for p, _ in PAGES], [w for _, w in PAGES])
    return when


def _crawl(rng: random.Random, out: _DayWriter, day: dt.date, scale: float) -> None:
    start = dt.datetime.combine(day, dt.time(0), SERVER_TZ)
    for name, ua, weight in CRAWLERS:
        ip = random_host(rng, BOT_NETWORKS[name])
        fetches = max(1, int(weight * scale * rng.uniform(0.6, 1.4)))
        when = start + dt.timedelta(seconds=rng.randrange(3_600))
        out.add(when, _line(ip, when, "GET", "/robots.txt", 200, 310, None, ua))
        for _ in range(fetches):
            when += dt.timedelta(seconds=rng.randint(20, max(21, int(80_000 / fetches))))
            if when.date() != day:
                break
            path = rng.choice([p for p, _ in PAGES] + ["/sitemap.xml"] + NOT_FOUND[:2])
            status = 404 if path in NOT_FOUND else 200
            out.add(when, _line(ip, when, "GET", path, status, rng.randint(4_000, 40_000), None, ua))
    for ua in AUTOMATION:
        ip = random_host(rng, BOT_NETWORKS["automation"])
        for _ in range(max(1, int(3 * scale))):
            when = start + dt.timedelta(seconds=rng.randrange(86_000))
            path = rng.choice(["/", "/wp-login.php", "/.env", "/products/", "/contact"])
            out.add(when, _line(ip, when, "GET", path, 404 if "." in path[1:] else 200, 1_024, None, ua))


def _write_logs(out_dir: Path, day: dt.date, lines: list[str], last: dt.date) -> Path:
    """logrotate naming (dateext, delaycompress): the last day is access.log, the day before is plain."""
    text = "".join(line + "\n" for line in lines).encode("utf-8")
    if day == last:
        path = out_dir / "access.log"
        path.write_bytes(text)
    elif day == last - dt.timedelta(days=1):
        path = out_dir / f"access.log-{day:%Y%m%d}"
        path.write_bytes(text)
    else:
        path = out_dir / f"access.log-{day:%Y%m%d}.gz"
        with gzip.GzipFile(path, "wb", mtime=0) as fh:  # mtime=0: same bytes for the same seed
            fh.write(text)
    return path


def _iso(moment: dt.datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def _mobile(rng: random.Random, country: str) -> str:
    if country == "CN":
        digits = f"{rng.choice(CN_MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
        return rng.choice([digits, f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}", f"+86-{digits}", f"0086{digits}"])
    prefix = {"DE": "+49 151", "FR": "+33 6", "GB": "+44 7700", "NL": "+31 6", "ES": "+34 6", "PL": "+48 5"}
    return f"{prefix[country]} {rng.randrange(10**7, 10**8)}"


def _business_after(rng: random.Random, start: dt.datetime, hours: float) -> dt.datetime:
    moment = start + dt.timedelta(hours=hours)
    while moment.weekday() >= 5:
        moment += dt.timedelta(days=1)
    return moment.replace(minute=rng.randrange(60))


def _inquiry_rows(rng: random.Random, submissions: list[Submission], seed: int, now: dt.datetime) -> list[dict]:
    from faker import Faker

    fakers = {"CN": Faker("zh_CN"), "EU": Faker("en_GB")}
    for i, fk in enumerate(fakers.values()):
        fk.seed_instance(seed * 7 + i)
    rows = []
    for sub in submissions:
        country = sub.visitor.network.country
        fk = fakers["CN" if country == "CN" else "EU"]
        name = fk.name()
        local = f"{fk.user_name()}{rng.randrange(100)}"
        corporate = rng.random() < 0.45
        company = fk.company()
        domain = (
            f"{fk.domain_word()}-auto.{'cn' if country == 'CN' else country.lower()}"
            if corporate
            else rng.choice(FREE_MAIL_CN if country == "CN" else FREE_MAIL_EU)
        )
        email = f"{local}@{domain}"
        if rng.random() < 0.1:
            email = f"  {email.upper()} "  # people type with caps and spaces
        region = sub.visitor.network.region
        province = rng.choice(UNMAPPABLE) if rng.random() < 0.04 else rng.choice(PROVINCE_SPELLINGS[region])
        counties = county_names(region) if country == "CN" else ()
        district = fk.random_element(counties) if counties else (sub.visitor.network.city or fk.city())
        if country == "CN" and rng.random() < 0.3:
            district = district.rstrip("区")
        consent = "true" if rng.random() < 0.95 else "false"
        age_hours = (now - sub.when).total_seconds() / 3600
        first = _business_after(rng, sub.when, rng.choice([1, 2, 4, 6, 20, 30, 50, 140])) if age_hours > 8 else None
        if first and first > now:
            first = None
        closed = first + dt.timedelta(days=rng.randint(1, 12)) if first and rng.random() < 0.6 else None
        if closed and closed > now:
            closed = None
        status = "closed" if closed else "responded" if first else "new"
        rows.append(
            {
                "submitted_at": _iso(sub.when),
                "name": name,
                "mobile": _mobile(rng, country),
                "email": email,
                "company": company,
                "support_type": _weighted(rng, [s for s, _ in SUPPORT_TYPES], [w for _, w in SUPPORT_TYPES]),
                "country": rng.choice(COUNTRY_SPELLINGS[country]),
                "province_city": province,
                "district": district,
                "message": fk.sentence(nb_words=rng.randint(6, 30)),
                "consent": consent,
                "status": status,
                "first_response_at": _iso(first),
                "closed_at": _iso(closed),
            }
        )
    return rows


def _rights_rows(
    rng: random.Random, inquiries: list[dict], first: dt.date, last: dt.date, until: dt.datetime
) -> list[dict]:
    """Requests spread over the window and the 60 days before it: most done, some open, some overdue; nothing
    received or done after ``until``, and no extension notified after the request was done."""
    rows = []
    span = (last - first).days + 60
    count = max(6, span // 3)
    emails = [row["email"].strip().lower() for row in inquiries] or ["someone@example.com"]
    for n in range(count):
        received_day = last - dt.timedelta(days=rng.randrange(span))
        received = dt.datetime.combine(received_day, dt.time(rng.randint(8, 19), rng.randrange(60)), SERVER_TZ)
        kind = _weighted(rng, [t for t, _ in RIGHTS_TYPES], [w for _, w in RIGHTS_TYPES])
        age = (last - received_day).days
        verified = received + dt.timedelta(days=rng.randint(1, 6)) if rng.random() < 0.35 else None
        if verified and verified.date() > last:
            verified = None
        extended = age > 20 and rng.random() < 0.12
        notified = received + dt.timedelta(days=rng.randint(5, 20)) if extended else None
        done_after = rng.choice([3, 6, 9, 12, 15, 19, 24, 33])
        completed = received + dt.timedelta(days=done_after) if age > done_after and rng.random() < 0.85 else None
        if received > until:
            continue
        verified, completed = (None if t is None or t > until else t for t in (verified, completed))
        if verified is not None and completed is not None and verified >= completed:
            verified = None  # identity is verified while the request is open, never after it was done
        if notified is not None and (notified > until or (completed is not None and notified >= completed)):
            extended, notified = False, None  # an extension is notified while the request is open, never later
        if completed:
            status = "completed" if rng.random() < 0.9 else "rejected"
        elif verified is None and rng.random() < 0.3:
            status = "awaiting_identity"
        else:
            status = "extended" if extended else rng.choice(["received", "in_progress", "in_progress"])
        rows.append(
            {
                "request_id": f"DSR-{received_day:%Y}-{n + 1:04d}",
                "received_at": _iso(received),
                "type": kind,
                "channel": rng.choice(CHANNELS),
                "email": rng.choice(emails) if rng.random() < 0.6 else f"requester{n}@example.org",
                "status": status,
                "identity_verified_at": _iso(verified),
                "extended": "true" if extended else "false",
                "extension_notified_at": _iso(notified),
                "completed_at": _iso(completed),
            }
        )
    return sorted(rows, key=lambda r: r["received_at"])


def _write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


INQUIRY_COLUMNS = [
    "submitted_at", "name", "mobile", "email", "company", "support_type", "country", "province_city",
    "district", "message", "consent", "status", "first_response_at", "closed_at",
]  # fmt: skip
RIGHTS_COLUMNS = [
    "request_id", "received_at", "type", "channel", "email", "status", "identity_verified_at", "extended",
    "extension_notified_at", "completed_at",
]  # fmt: skip


def generate(
    out: Path,
    *,
    days: int,
    start: dt.date,
    seed: int = 42,
    visitors_per_day: int = 300,
    until: dt.datetime | None = None,
) -> GenerateResult:
    """Write ``days`` days of logs into ``out/logs`` plus ``inquiries.csv`` and ``rights_requests.csv``.

    ``until`` (the CLI passes the current time): nothing happens after it, as in data exported now; the last
    day then ends at that moment. Without it the last day is whole."""
    rng = random.Random(seed)
    log_dir = out / "logs"
    blocked = next((p for p in (out, log_dir) if p.exists() and not p.is_dir()), None)
    if blocked is not None:
        raise InputError(f"--out: {blocked} is a file, not a folder; give a folder (it is created if missing)")
    others = sorted(p.name for p in log_dir.iterdir()) if log_dir.is_dir() else []
    if others:  # mixing two runs' logs in one folder makes every figure wrong, and silently
        raise InputError(f"{log_dir} already holds {len(others)} files ({', '.join(others[:3])}"
                         f"{', ...' if len(others) > 3 else ''}); give an empty --out folder")  # fmt: skip
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--out: cannot create {log_dir} ({exc.strerror or 'not writable'})") from None
    result = GenerateResult(out=out)
    last = start + dt.timedelta(days=days - 1)
    end_of_last = dt.datetime.combine(last, dt.time(23, 59), SERVER_TZ)
    submissions: list[Submission] = []
    weights = [n.weight for n in NETWORKS]
    human_uas = {
        "CN": ([b[0] for b in BROWSERS], [b[2] for b in BROWSERS]),
        "EU": ([b[0] for b in BROWSERS], [b[3] for b in BROWSERS]),
    }
    for index in range(days):
        day = start + dt.timedelta(days=index)
        writer = _DayWriter(until)
        for _ in range(_day_volume(rng, day, visitors_per_day, index)):
            network = _weighted(rng, list(NETWORKS), weights)
            uas, ua_weights = human_uas["CN" if network.country == "CN" else "EU"]
            visitor = Visitor(random_host(rng, network.cidr), _weighted(rng, uas, ua_weights), network)
            when = _start_of_visit(rng, day, network)
            for _ in range(_weighted(rng, [1, 2, 3], [70, 22, 8])):
                when = _visit(rng, writer, visitor, when, submissions)
                when += dt.timedelta(minutes=rng.randint(35, 240))
                if when.astimezone(SERVER_TZ).date() != day:
                    break
        _crawl(rng, writer, day, visitors_per_day / 300)
        lines = writer.lines()
        result.log_files.append(_write_logs(log_dir, day, lines, last))
        result.log_lines += len(lines)
    now = min(until, end_of_last) if until else end_of_last
    inquiries = _inquiry_rows(rng, [sub for sub in submissions if sub.when <= now], seed, now)
    _write_csv(out / "inquiries.csv", inquiries, INQUIRY_COLUMNS)
    rights = _rights_rows(rng, inquiries, start, last, now)
    _write_csv(out / "rights_requests.csv", rights, RIGHTS_COLUMNS)
    result.inquiries, result.rights_requests = len(inquiries), len(rights)
    return result
