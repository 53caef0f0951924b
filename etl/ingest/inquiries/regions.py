"""What people type into the contact form's country, province/city and district fields -> a place, or ``unknown``.

Countries become ISO 3166-1 alpha-2; regions the first-level codes GeoIP puts on web visits (ISO 3166-2, or
GeoLite2's older code where it differs, e.g. PL-MA), so inquiries and visits meet on one key; in China the
prefecture or county as its adcode (GB/T 2260). The names come from the gazetteer in ``data/`` (SOURCES.md says
from where). The three fields are read together: the country narrows the province/city, which narrows the
district; a city or district alone is enough when it names one place in its country. A name that fits two
places is ``unknown``, with the candidates recorded for the data-quality table: never a guess.
"""

from __future__ import annotations

import gzip
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from etl.core.places import UNKNOWN, division_name, division_names, gazetteer_file, gazetteer_table
from etl.ingest.inquiries.names import fold, is_han, keys

MAX_CANDIDATES = 8
# Country names the ISO lists do not hold, as typed on the form (keys: folded, no spaces).
COUNTRY_ALIASES = {
    "中华人民共和国": "CN", "中國": "CN", "prchina": "CN", "prc": "CN", "mainlandchina": "CN", "zhongguo": "CN",
    "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "greatbritain": "GB", "britain": "GB",
    "holland": "NL", "thenetherlands": "NL", "英国": "GB", "usa": "US", "us": "US", "america": "US",
}
_PIECES = re.compile(r"[,，、/;；|]+")
_FILLER = {"sheng", "shi", "qu", "xian", "city", "province", "district", "county", "region", "prov", "municipality"}
_HAN_FILLER = set("省市区县")
_MAX_WINDOW = 5  # words in one Latin place name ("provence alpes cote d azur")
_MAX_HAN = 12  # characters in one Chinese name after folding
_OWN_CODES = {"HK", "MO", "TW"}

Path_ = tuple[str, ...]  # ("CN", "CN-ZJ", "3303", "330302"): country, region, then China's prefecture, county


@dataclass(frozen=True)
class Place:
    country: str  # ISO 3166-1 alpha-2 or "unknown"
    region: str  # GeoIP's first-level code (ISO 3166-2) or "unknown"
    district: str | None  # the division's name when placed, else a cleaned label of what was typed
    adcode: str | None = None  # China: the prefecture or county placed, its 6-digit adcode


@dataclass(frozen=True)
class Finding:
    """Something the data-quality table should count: which form field, what went wrong, the places it could be."""

    field: str  # country | province_city | district
    issue: str  # unknown_country | unknown_region | ambiguous_region | region_mismatch | unknown_district | ...
    candidates: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[tuple[int, Path_], ...]]:
    """Lookup key -> (tier, place) pairs, read once per process from the gazetteer."""
    found: dict[str, list[tuple[int, Path_]]] = {}
    paths: dict[str, Path_] = {}
    data = gazetteer_file("places.tsv.gz")
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        next(lines)
        for line in lines:
            key, tier, place = line.rstrip("\n").split("\t")
            path = paths.get(place) or paths.setdefault(place, tuple(place.split("|")))
            found.setdefault(key, []).append((int(tier), path))
    return {key: tuple(pairs) for key, pairs in found.items()}


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    return {row["key"]: row["country"] for row in gazetteer_table("countries.tsv")} | COUNTRY_ALIASES


@lru_cache(maxsize=4096)
def normalize_country(raw: str | None) -> str:
    if not raw or not raw.strip():
        return UNKNOWN
    for key in (fold(raw).replace(" ", ""), *keys(raw)):
        if key in _countries():
            return _countries()[key]
    text = raw.strip()
    if len(text) in (2, 3) and text.isascii() and text.isalpha():
        import pycountry

        found = pycountry.countries.get(alpha_2=text.upper()) or pycountry.countries.get(alpha_3=text.upper())
        if found is not None:
            return found.alpha_2
    return UNKNOWN


def _lookup(key: str) -> tuple[tuple[int, Path_], ...]:
    return _index().get(key, ())


@lru_cache(maxsize=65536)
def _mentions(text: str | None) -> tuple[tuple[tuple[int, Path_], ...], ...]:
    """The place names in one field, each with its (tier, place) pairs. Empty when any part names nothing: a
    field is read whole, as pieces ("广东, 深圳"), or as names side by side ("浙江温州", "Guangdong Shenzhen")."""
    if not text or not text.strip():
        return ()
    for key in keys(text):
        if found := _lookup(key):
            return (found,)
    pieces = [p for p in _PIECES.split(text) if p.strip()]
    if len(pieces) > 1:
        parts = [_mentions(p) for p in pieces]
        return () if not all(parts) else tuple(m for part in parts for m in part)
    folded = fold(text)
    return tuple(_han_names(folded.replace(" ", "")) if is_han(folded) else _latin_names(folded.split()))


def _han_names(text: str) -> list[tuple[tuple[int, Path_], ...]]:
    """Longest names first, left to right; every character must belong to a name or be a 省/市/区/县."""
    out, i = [], 0
    while i < len(text):
        for j in range(min(len(text), i + _MAX_HAN), i + 1, -1):
            if found := _lookup(text[i:j]):
                out.append(found)
                i = j
                break
        else:
            if text[i] not in _HAN_FILLER:
                return []
            i += 1
    return out


def _latin_names(words: list[str]) -> list[tuple[tuple[int, Path_], ...]]:
    out, i = [], 0
    while i < len(words):
        for j in range(min(len(words), i + _MAX_WINDOW), i, -1):
            found = next((f for k in keys(" ".join(words[i:j])) if (f := _lookup(k))), ())
            if found and (j - i > 1 or len(words[i]) >= 3):
                out.append(found)
                i = j
                break
        else:
            if words[i] not in _FILLER:
                return []
            i += 1
    return out


def _best(pairs: tuple[tuple[int, Path_], ...], country: str, within: Path_ = ()) -> set[Path_]:
    """The places of the best tier that matched, per country (or in the given country only), among those inside
    or around ``within`` (the district "Lucheng" in Wenzhou is 鹿城区, whatever town elsewhere is called so)."""
    fits = [(t, p) for t, p in pairs if _in_country(country, p) and p[: len(within)] == within[: len(p)]]
    best: dict[str, int] = {}
    for tier, path in fits:
        best[path[0]] = min(tier, best.get(path[0], 9))
    return {path for tier, path in fits if best[path[0]] == tier}


def _in_country(country: str, path: Path_) -> bool:
    """Hong Kong, Macao and Taiwan have country codes of their own (GeoIP's too) and ISO 3166-2:CN codes."""
    return country in (UNKNOWN, path[0]) or (country in _OWN_CODES and path[1] == f"CN-{country}")


def _resolve(mentions: list[set[Path_]]) -> set[Path_]:
    """The deepest place of each way the mentions fit one inside the other (Zhejiang > Wenzhou > Lucheng)."""
    out = set()
    for combo in itertools.islice(itertools.product(*mentions), 20_000):
        deepest = max(combo, key=len)
        if all(deepest[: len(p)] == p for p in combo):
            out.add(deepest)
    return out


def _common(paths: set[Path_]) -> Path_:
    first = min(paths)
    size = 0
    while size < len(first) and all(len(p) > size and p[size] == first[size] for p in paths):
        size += 1
    return first[:size]


def _candidates(paths: set[Path_] | frozenset[Path_], level: int) -> tuple[str, ...]:
    """The countries (level 0) or regions (level 1) the places differ on, at most a few."""
    return tuple(sorted({p[level] for p in paths})[:MAX_CANDIDATES])


def _adcode(path: Path_) -> str:
    return path[3] if len(path) > 3 else f"{path[2]}00"


@lru_cache(maxsize=65536)
def normalize_place(
    country: str | None, province_city: str | None, district: str | None
) -> tuple[Place, tuple[Finding, ...]]:
    """The place the three fields name, and what the data-quality table should count about them."""
    iso = normalize_country(country)
    found, known = _province_city(iso, province_city)
    places, field, findings = set(found), "province_city", list(known)
    within = _common(places) if places else ()
    mentions = _mentions(district)
    typed = [_best(m, iso, within) for m in mentions]
    narrowed = _resolve(typed + ([{within}] if within else [])) if typed and all(typed) else set()
    if narrowed:
        field = "province_city" if places else "district"  # which field an ambiguity comes from
        places = narrowed
    elif mentions and places:  # a district of another city or province: the province/city field wins
        findings.append(Finding("district", "district_mismatch"))
    elif _filled(district) and (iso == "CN" or any(p[0] == "CN" for p in places)):
        findings.append(Finding("district", "unknown_district"))
    common = _common(places) if places else ()
    if places and len(common) < 2:
        findings.append(Finding(field, "ambiguous_region", _candidates(places, len(common))))
    if iso == UNKNOWN and not common:
        findings.insert(0, Finding("country", "unknown_country"))
    if len(common) < 2:
        return Place(common[0] if common else iso, UNKNOWN, None), tuple(findings)
    if typed and all(typed) and len(common) < 4 and any(len(p) > len(common) for p in places):
        codes = tuple(sorted({_adcode(p) for p in places if len(p) > 2}))
        findings.append(Finding("district", "ambiguous_district", codes))
    code = _adcode(common) if len(common) > 2 else None
    # outside China's counties a district is kept only when the gazetteer knows it: the field is free text, and
    # what no gazetteer names (a street, a person) never reaches the warehouse
    label = division_name(code) if len(common) == 4 else clean_district(district) if narrowed else None
    if label is None and _filled(district):
        label = UNKNOWN  # typed but not placed: counted on the quality panel, never stored as typed
    return Place(common[0] if iso == UNKNOWN else iso, common[1], label, code), tuple(findings)


@lru_cache(maxsize=65536)
def _province_city(iso: str, text: str | None) -> tuple[frozenset[Path_], tuple[Finding, ...]]:
    """The places the province/city field can name in the country, or why it names none."""
    typed = _mentions(text)
    places = _resolve([_best(m, iso) for m in typed]) if typed else set()
    if _filled(text) and not places:
        anywhere = _resolve([_best(m, UNKNOWN) for m in typed]) if typed else set()
        issue = "region_mismatch" if iso != UNKNOWN and anywhere else "unknown_region"
        return frozenset(), (Finding("province_city", issue, _candidates(anywhere, 1) if anywhere else ()),)
    return frozenset(places), ()


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())


def clean_district(raw: str | None) -> str | None:
    """A district label as typed: trimmed, single-spaced, without the 区/县 suffix, never something personal."""
    if not raw:
        return None
    text = " ".join(raw.split())[:40]
    if not text or re.search(r"\d{4,}|@|https?:", text):
        return None
    if len(text) > 2 and text[-1] in "区县":
        text = text[:-1]
    return text


def normalize_region(raw: str | None) -> str:
    """Province/region/city text alone -> the region code, or ``unknown``."""
    return normalize_place(None, raw, None)[0].region


@lru_cache(maxsize=64)
def county_names(region: str) -> tuple[str, ...]:
    """The county-level divisions of a Chinese region (``CN-ZJ`` -> 鹿城区, 龙湾区, ...), for the sample data."""
    names = division_names()
    prefix = next((code[:2] for code, name in names.items() if code.endswith("0000")
                   and normalize_place("中国", name, None)[0].region == region), None)
    return tuple(name for code, name in sorted(names.items()) if code[:2] == prefix and not code.endswith("00"))
