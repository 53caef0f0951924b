"""How a typed place name becomes lookup keys: the same rules for the gazetteer (scripts/build_gazetteer.py) and
for what people type, so "Wēnzhōu Shi", "wen zhou", "温州市" and "温州" meet the names the gazetteer holds.

Standard library only: the build script imports this without the project's dependencies.
"""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not take apart.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ı": "i", "þ": "th"})
_PUNCTUATION = re.compile(r"[\s\-_.,'’‘`´\"()/\\·・—–&+]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# Words around a Latin name that say what kind of division it is ("Provincia di", "Wenzhou Shi", "Voivodeship").
_LATIN_PREFIXES = (
    "region autonome de", "region autonome du", "region autonome", "region de", "region", "regione",
    "province de", "province d", "province of", "provincia di", "provincia de", "provincia del", "provincia",
    "provincie", "municipalite de", "voivodie de", "voivodie d", "voivodie des", "woiwodschaft", "wojewodztwo",
    "communaute de", "comunidad de", "comunidad autonoma de", "comunidad", "comunitat", "state of", "land",
    "freistaat", "city of", "ville de",
)
_LATIN_SUFFIXES = (
    "special administrative region", "autonomous region", "zizhiqu", "zhuangzu", "huizu", "weiwuer", "uygur",
    "municipality", "voivodeship", "wojewodztwo", "province", "prefecture", "district", "county", "region",
    "city", "sheng", "shi", "sar", "qu", "xian", "diqu", "meng", "comunidad", "state",
)
# Chinese: "黔南布依族苗族自治州" -> "黔南", "新疆维吾尔自治区" -> "新疆", then one of the plain suffixes.
_ZH_AUTONOMOUS = re.compile(r"^(.{2,}?)(?:[^族]{1,5}族|维吾尔)*(?:自治区|自治州|自治县|自治旗)$")
_ZH_SUFFIXES = ("特别行政区", "林区", "地区", "新区", "省", "市", "区", "县", "盟", "旗")


def fold(text: str) -> str:
    """Lower case, no accents, punctuation as single spaces: 'Kraków' -> 'krakow', 'Île-de-France' ->
    'ile de france'."""
    text = unicodedata.normalize("NFKD", text.strip().lower()).translate(_LETTERS)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def is_han(text: str) -> bool:
    return bool(_HAN.search(text))


def keys(name: str) -> list[str]:
    """Lookup keys of a name, the full form first: the folded name without spaces, then without the words that
    name the kind of division ('Provincia di Milano' -> 'milano'; '温州市' -> '温州'). A key has at least two
    Chinese characters or three Latin letters ("N/A" names no place)."""
    folded = fold(name)
    if not folded:
        return []
    if is_han(folded):
        return _unique([k for k in _zh_forms(folded.replace(" ", "")) if len(k) >= 2])
    forms = [folded]
    if ", " in name:  # ISO's "Valenciana, Comunidad" is typed "Comunidad Valenciana"
        head, _, tail = name.partition(", ")
        forms.append(fold(f"{tail} {head}"))
    for form in list(forms):
        forms.extend(_latin_bare(form))
    return _unique([f.replace(" ", "") for f in forms if len(f.replace(" ", "")) >= 3])


def _zh_forms(text: str) -> list[str]:
    forms = [text]
    match = _ZH_AUTONOMOUS.match(text)
    if match:
        forms.append(match.group(1))
    for form in list(forms):  # "浦东新区" -> "浦东" and "浦东新"
        forms.extend(form[: -len(s)] for s in _ZH_SUFFIXES if form.endswith(s) and len(form) - len(s) >= 2)
    return forms


def _latin_bare(form: str) -> list[str]:
    """The form without a leading and/or trailing kind-of-division phrase."""
    out = []
    for prefix in _LATIN_PREFIXES:
        if form.startswith(prefix + " "):
            form = form[len(prefix) + 1 :]
            out.append(form)
            break
    changed = True
    while changed:  # "guangxi zhuangzu zizhiqu" -> "guangxi"
        changed = False
        for suffix in _LATIN_SUFFIXES:
            if form.endswith(" " + suffix):
                form = form[: -len(suffix) - 1]
                out.append(form)
                changed = True
                break
    return out


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
