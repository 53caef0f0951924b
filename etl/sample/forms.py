"""The sample's forms: contact-form submissions (with the misspelt places, unmappable answers and personal data
a real export has) and rights requests through their lifecycle, as the CSV exports the importers read."""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from etl.ingest.inquiries.regions import county_names
from etl.sample.networks import SampleNetwork
from etl.sample.site import SERVER_TZ, weighted

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
                      "181", "186", "187", "188", "189", "198", "199"]
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
                "support_type": weighted(rng, [s for s, _ in SUPPORT_TYPES], [w for _, w in SUPPORT_TYPES]),
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
        kind = weighted(rng, [t for t, _ in RIGHTS_TYPES], [w for _, w in RIGHTS_TYPES])
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
]
RIGHTS_COLUMNS = [
    "request_id", "received_at", "type", "channel", "email", "status", "identity_verified_at", "extended",
    "extension_notified_at", "completed_at",
]
