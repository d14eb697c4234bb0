"""Place-name normalisation: one key for "St. Petersburg", "Saint Petersburg" and "ST PETERSBURG".

The same function keys the gazetteer and the text, so a lookup is one dictionary access.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_DASHES = re.compile(r"[\u2010-\u2015\-_/]+")
_DROP = re.compile(r"[.,;:!?\"()\[\]{}*]+")
_SPACES = re.compile(r"\s+")
_ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "mt": "mount",
    "ft": "fort",
    "pt": "point",
}
_LEADING = ("the ",)
_POSSESSIVE = re.compile(r"'s$")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The lookup key of a place name: lower case, no accents or dots, abbreviations spelled out.

    >>> name_key("St. Petersburg") == name_key("Saint Petersburg")
    True
    """
    text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _DASHES.sub(" ", text)
    text = _DROP.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    text = _POSSESSIVE.sub("", text).strip()
    for leading in _LEADING:
        if text.startswith(leading):
            text = text[len(leading) :]
    words = text.split(" ")
    words = [_ABBREVIATIONS.get(word, word) for word in words]
    return " ".join(w.replace("'", "") for w in words if w)


def is_latin(name: str) -> bool:
    """True when every letter of `name` is Latin script (the alternate names English news uses)."""
    return all(not (ch.isalpha() and ord(ch) > 591 and not 7680 <= ord(ch) <= 7935) for ch in name)
