"""What people type into the contact form's country and province/city fields -> ISO codes, or ``unknown``.

Countries become ISO 3166-1 alpha-2, provinces and regions ISO 3166-2 (the codes GeoIP uses, so inquiries and
web visits meet on the same key). Nothing is guessed: a value that matches no name, alias or known city is
``unknown`` and is counted by the caller in the data-quality table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

UNKNOWN = "unknown"

# Provincial-level divisions of China: ISO 3166-2 code -> Chinese short name (the form's "province" field is
# mostly typed in Chinese; pycountry only has the pinyin names).
CN_PROVINCES = {
    "CN-BJ": "北京", "CN-TJ": "天津", "CN-HE": "河北", "CN-SX": "山西", "CN-NM": "内蒙古", "CN-LN": "辽宁",
    "CN-JL": "吉林", "CN-HL": "黑龙江", "CN-SH": "上海", "CN-JS": "江苏", "CN-ZJ": "浙江", "CN-AH": "安徽",
    "CN-FJ": "福建", "CN-JX": "江西", "CN-SD": "山东", "CN-HA": "河南", "CN-HB": "湖北", "CN-HN": "湖南",
    "CN-GD": "广东", "CN-GX": "广西", "CN-HI": "海南", "CN-CQ": "重庆", "CN-SC": "四川", "CN-GZ": "贵州",
    "CN-YN": "云南", "CN-XZ": "西藏", "CN-SN": "陕西", "CN-GS": "甘肃", "CN-QH": "青海", "CN-NX": "宁夏",
    "CN-XJ": "新疆", "CN-TW": "台湾", "CN-HK": "香港", "CN-MO": "澳门",
}  # fmt: skip
# Exonyms, old names and the big cities people type instead of their province.
REGION_ALIASES = {
    "peking": "CN-BJ", "canton": "CN-GD", "inner mongolia": "CN-NM", "tibet": "CN-XZ", "hong kong": "CN-HK",
    "macau": "CN-MO", "macao": "CN-MO",
    "深圳": "CN-GD", "shenzhen": "CN-GD", "广州": "CN-GD", "guangzhou": "CN-GD", "东莞": "CN-GD", "dongguan": "CN-GD",
    "佛山": "CN-GD", "foshan": "CN-GD", "杭州": "CN-ZJ", "hangzhou": "CN-ZJ", "宁波": "CN-ZJ", "ningbo": "CN-ZJ",
    "南京": "CN-JS", "nanjing": "CN-JS", "苏州": "CN-JS", "suzhou": "CN-JS", "成都": "CN-SC", "chengdu": "CN-SC",
    "武汉": "CN-HB", "wuhan": "CN-HB", "西安": "CN-SN", "xian": "CN-SN", "xi an": "CN-SN", "郑州": "CN-HA",
    "zhengzhou": "CN-HA", "长沙": "CN-HN", "changsha": "CN-HN", "青岛": "CN-SD", "qingdao": "CN-SD", "济南": "CN-SD",
    "jinan": "CN-SD", "厦门": "CN-FJ", "xiamen": "CN-FJ", "福州": "CN-FJ", "fuzhou": "CN-FJ", "沈阳": "CN-LN",
    "shenyang": "CN-LN", "大连": "CN-LN", "dalian": "CN-LN",
    "bavaria": "DE-BY", "munich": "DE-BY", "munchen": "DE-BY", "hesse": "DE-HE", "frankfurt": "DE-HE",
    "lower saxony": "DE-NI", "north rhine westphalia": "DE-NW", "cologne": "DE-NW", "koln": "DE-NW",
    "baden wurttemberg": "DE-BW", "stuttgart": "DE-BW", "saxony": "DE-SN",
    "paris": "FR-IDF", "london": "GB-ENG", "north holland": "NL-NH", "amsterdam": "NL-NH",
    "comunidad de madrid": "ES-MD", "madrid": "ES-MD", "catalonia": "ES-CT", "barcelona": "ES-CT",
    # GeoLite2 still uses the letter codes of Polish voivodeships
    "mazowieckie": "PL-MZ", "masovia": "PL-MZ", "masovian": "PL-MZ", "warsaw": "PL-MZ", "warszawa": "PL-MZ",
}  # fmt: skip
COUNTRY_ALIASES = {
    "中国": "CN", "中华人民共和国": "CN", "中國": "CN", "p r china": "CN", "pr china": "CN", "prc": "CN",
    "mainland china": "CN", "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "great britain": "GB",
    "britain": "GB", "deutschland": "DE", "德国": "DE", "nederland": "NL", "holland": "NL", "the netherlands": "NL",
    "荷兰": "NL", "espana": "ES", "西班牙": "ES", "polska": "PL", "波兰": "PL", "法国": "FR", "英国": "GB",
    "italia": "IT", "意大利": "IT", "osterreich": "AT", "schweiz": "CH", "suisse": "CH",
}  # fmt: skip
# Suffixes that name the kind of division, stripped before matching.
_ZH_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
_LATIN_SUFFIXES = re.compile(
    r"\b(sheng|shi|zizhiqu|zhuangzu|huizu|uygur|sar|province|municipality|autonomous region|region|state|land)\b"
)


@dataclass(frozen=True)
class Place:
    country: str  # ISO 3166-1 alpha-2 or "unknown"
    region: str  # ISO 3166-2 or "unknown"
    district: str | None  # a cleaned label, only under a known region


def fold(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces."""
    text = unicodedata.normalize("NFKD", text.strip().lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\s\-_.,'’()/]+", " ", text).split())


@lru_cache(maxsize=1)
def _region_index() -> dict[str, str]:
    import pycountry

    index: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            name = fold(sub.name)
            index.setdefault(name, sub.code)
            index.setdefault(_LATIN_SUFFIXES.sub("", name).strip(), sub.code)
            index.setdefault(name.split(" comunidad de")[0].split(",")[0].strip(), sub.code)
    for code, zh in CN_PROVINCES.items():
        index[zh] = code
    index.update(REGION_ALIASES)
    index.pop("", None)
    return index


def normalize_country(raw: str | None) -> str:
    if not raw or not raw.strip():
        return UNKNOWN
    import pycountry

    key = fold(raw)
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    try:
        return pycountry.countries.lookup(raw.strip()).alpha_2
    except LookupError:
        return UNKNOWN


def normalize_region(raw: str | None) -> str:
    """Province/region/city text -> ISO 3166-2 code, or ``unknown``."""
    if not raw or not raw.strip():
        return UNKNOWN
    index = _region_index()
    key = fold(raw)
    candidates = [key, _LATIN_SUFFIXES.sub("", key).strip()]
    zh = key.replace(" ", "")
    for suffix in _ZH_SUFFIXES:
        zh = zh.removesuffix(suffix)
    candidates.append(zh)
    for candidate in candidates:
        if candidate in index:
            return index[candidate]
    # "广东省深圳市": a Chinese province name followed by its city
    for code, name in sorted(CN_PROVINCES.items(), key=lambda kv: -len(kv[1])):
        if key.startswith(name):
            return code
    return UNKNOWN


def clean_district(raw: str | None) -> str | None:
    """A district label: trimmed, single-spaced, without the 区/县 suffix, never something that looks personal."""
    if not raw:
        return None
    text = " ".join(raw.split())[:40]
    if not text or re.search(r"\d{4,}|@", text):
        return None
    if len(text) > 2 and text[-1] in "区县":
        text = text[:-1]
    return text


def normalize_place(country: str | None, region: str | None, district: str | None) -> tuple[Place, list[str]]:
    """The place and the data-quality issues found (``unknown_country``, ``unknown_region``, ``region_mismatch``)."""
    issues = []
    code = normalize_region(region)
    iso = normalize_country(country)
    if iso == UNKNOWN and code != UNKNOWN:
        iso = code.split("-")[0]  # the region says which country
    elif iso == UNKNOWN:
        issues.append("unknown_country")
    if code == UNKNOWN:
        issues.append("unknown_region")
    elif code.split("-")[0] != iso:
        issues.append("region_mismatch")
        code = UNKNOWN
    return Place(iso, code, clean_district(district) if code != UNKNOWN else None), issues


@lru_cache(maxsize=4096)
def region_name(code: str | None) -> str | None:
    """The English/pinyin name of an ISO 3166-2 code (``CN-GD`` -> ``Guangdong Sheng``), None if unknown."""
    if not code or code == UNKNOWN:
        return None
    import pycountry

    found = pycountry.subdivisions.get(code=code)
    if found is not None:
        return found.name
    return next((alias.title() for alias, c in REGION_ALIASES.items() if c == code and alias.isascii()), None)
