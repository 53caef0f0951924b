"""Country and region names, one place for every package: ISO 3166 codes as people read them (``CN`` -> "China
(CN)", ``CN-GD`` -> "Guangdong Sheng (CN-GD)"), China's county-level divisions by adcode, and the gazetteer
files in ``data/`` they come from (SOURCES.md there says from where). The contact form's place matching
(etl/ingest/inquiries/regions.py) reads the same files."""

from __future__ import annotations

import csv
import difflib
import re
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

UNKNOWN = "unknown"
PLACE_COLUMNS = ("country", "region")  # codes in the warehouse, names with their code on a page (exports keep codes)


def gazetteer_file(name: str) -> Traversable:
    """A file of the gazetteer (``data/`` beside this module)."""
    return resources.files("etl.core").joinpath(f"data/{name}")


def gazetteer_table(name: str) -> list[dict[str, str]]:
    """A tab-separated file of the gazetteer as rows of column -> value."""
    return list(csv.DictReader(gazetteer_file(name).read_text(encoding="utf-8").splitlines(), delimiter="\t"))


@lru_cache(maxsize=1)
def _region_names() -> dict[str, str]:
    return {row["region"]: row["name"] for row in gazetteer_table("regions.tsv")}


@lru_cache(maxsize=1)
def division_names() -> dict[str, str]:
    return {row["adcode"]: row["name"] for row in gazetteer_table("cn_divisions.tsv")}


@lru_cache(maxsize=4096)
def region_name(code: str | None) -> str | None:
    """The name of a region code (``CN-GD`` -> ``Guangdong Sheng``), None if unknown."""
    if not code or code == UNKNOWN:
        return None
    import pycountry

    found = pycountry.subdivisions.get(code=code)
    return found.name if found is not None else _region_names().get(code)


def division_name(adcode: str | None) -> str | None:
    """The Chinese name of an adcode (``330302`` -> ``鹿城区``), None if unknown."""
    return division_names().get(adcode or "")


def place_name(column: str, code: str | None) -> str | None:
    """A country or region code as read on a page: ``CN`` -> ``China (CN)``, ``CN-GD`` -> ``Guangdong Sheng
    (CN-GD)``; a code without a known name, "unknown" or a blank stays as it is."""
    if not code or column not in PLACE_COLUMNS:
        return code
    upper = code.upper()
    if column == "region":
        name = region_name(upper)
    else:
        import pycountry

        found = pycountry.countries.get(alpha_2=upper) if len(upper) == 2 else None
        name = getattr(found, "common_name", None) or getattr(found, "name", None)
    if not name:
        return code
    name = re.sub(r"\s*\[[^\]]*\]", "", name)  # ISO's other-language names: "Wales [Cymru GB-CYM]" -> "Wales"
    return f"{name} ({upper})"


@lru_cache(maxsize=2)
def _codes_by_word(column: str) -> dict[str, frozenset[str]]:
    """Every code and name of a country or a region, in lower case, with the codes it may mean (a region's name
    can be shared: "Limburg" is in BE and NL)."""
    import pycountry

    found: dict[str, set[str]] = {}
    if column == "country":
        named = [(c.alpha_2, [c.alpha_2, c.alpha_3, c.name, getattr(c, "common_name", ""),
                              getattr(c, "official_name", "")]) for c in pycountry.countries]
    else:
        named = [(s.code, [s.code, s.name]) for s in pycountry.subdivisions]
        named += [(code, [code, name]) for code, name in _region_names().items()]
    for code, names in named:
        for name in names:
            for word in {name, re.sub(r"\s*\[[^\]]*\]", "", name)} - {""}:
                found.setdefault(word.casefold(), set()).add(code.upper())
    return {word: frozenset(codes) for word, codes in found.items()}


def place_code(column: str, typed: str) -> str | None:
    """The ISO code a person means by a country's or region's name or code in any case (``germany``, ``de`` ->
    ``DE``; ``guangdong sheng``, ``cn-gd`` -> ``CN-GD``); None when it names no place, or more than one."""
    codes = _codes_by_word(column).get(typed.strip().casefold(), frozenset())
    return next(iter(codes)) if len(codes) == 1 else None


def close_places(column: str, typed: str, n: int = 5) -> list[str]:
    """The places whose name or code is nearest to ``typed`` ("Germany (DE)"), nearest first: what to offer
    when it names none."""
    index, word = _codes_by_word(column), typed.strip().casefold()
    near = difflib.get_close_matches(word, index, n=n * 2, cutoff=0.5 if len(word) <= 3 else 0.6)  # codes: 2, 3
    codes = dict.fromkeys(code for word in near for code in sorted(index[word]))
    return [place_name(column, code) or code for code in list(codes)[:n]]
