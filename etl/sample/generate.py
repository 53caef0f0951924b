"""Sample data for the demo and the tests: access logs, the contact-form export, rights requests.

Deterministic for a given (seed, start, days, visitors_per_day): every random choice comes from one
``random.Random(seed)`` and Faker instances seeded from it. Nothing here reads the clock except the default
``start`` chosen by the CLI.
"""

from __future__ import annotations

import datetime as dt
import gzip
import ipaddress
import random
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from etl.core.errors import InputError
from etl.sample.forms import (
    INQUIRY_COLUMNS,
    RIGHTS_COLUMNS,
    Submission,
    Visitor,
    _inquiry_rows,
    _rights_rows,
    _write_csv,
)
from etl.sample.networks import BOT_NETWORKS, NETWORKS, SampleNetwork
from etl.sample.site import (
    ASSETS,
    AUTOMATION,
    BROWSERS,
    CAMPAIGNS,
    CRAWLERS,
    NOT_FOUND,
    PAGE_IMAGES,
    PAGES,
    REDIRECTS,
    REFERRERS,
    SERVER_TZ,
    weighted,
)


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


def random_host(rng: random.Random, cidr: str) -> str:
    net = ipaddress.ip_network(cidr)
    span = min(net.num_addresses - 2, 2**20)
    return str(net.network_address + 1 + rng.randrange(span))


def clf_time(moment: dt.datetime) -> str:
    return moment.astimezone(SERVER_TZ).strftime("%d/%b/%Y:%H:%M:%S %z")


def _line(ip: str, when: dt.datetime, method: str, path: str, status: int, size: int, ref: str | None, ua: str) -> str:
    return f'{ip} - - [{clf_time(when)}] "{method} {path} HTTP/1.1" {status} {size} "{ref or "-"}" "{ua}"'


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
    hour = weighted(rng, list(range(24)), [1, 1, 1, 1, 1, 1, 2, 4, 7, 10, 11, 10, 8, 9, 10, 10, 9, 8, 6, 6, 7, 6, 4, 2])
    local = dt.datetime.combine(day, dt.time(hour, rng.randrange(60), rng.randrange(60)), local_tz)
    start = dt.datetime.combine(day, dt.time(0), SERVER_TZ)
    end = start + dt.timedelta(days=1) - dt.timedelta(hours=2)
    return min(max(local.astimezone(SERVER_TZ), start), end)


def _visit(
    rng: random.Random, out: _DayWriter, visitor: Visitor, when: dt.datetime, submissions: list[Submission]
) -> dt.datetime:
    """One visit: landing from a source, a few pageviews with their assets, maybe the contact form."""
    eu = visitor.network.country != "CN"
    referrer = weighted(rng, [r for r, _, _ in REFERRERS], [w_eu if eu else w_cn for _, w_cn, w_eu in REFERRERS])
    page = weighted(rng, [p for p, _ in PAGES], [w for _, w in PAGES])
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
        page = weighted(rng, [p for p, _ in PAGES], [w for _, w in PAGES])
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
                         f"{', ...' if len(others) > 3 else ''}); give an empty --out folder")
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
            network = weighted(rng, list(NETWORKS), weights)
            uas, ua_weights = human_uas["CN" if network.country == "CN" else "EU"]
            visitor = Visitor(random_host(rng, network.cidr), weighted(rng, uas, ua_weights), network)
            when = _start_of_visit(rng, day, network)
            for _ in range(weighted(rng, [1, 2, 3], [70, 22, 8])):
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
