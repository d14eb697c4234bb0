"""Place mentions in a text: spaCy's place entities, cleaned, and the article's dateline.

The spaCy ``Doc`` is made by the caller from the pipeline ``flows/nlp.py`` loads; nothing here
loads a model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})

_STREET_WORDS = frozenset(
    """st street ave avenue rd road blvd boulevard dr drive ln lane hwy highway pkwy parkway way
    ct court pl place sq square terrace ter circle cir pike route expressway freeway interstate""".split()
)
_LEADING_WORDS = ("the ", "The ", "THE ")
_TRAILING = re.compile(r"(?:['\u2019]s|['\u2019])$")

# "NAIROBI, Kenya —", "SPRINGFIELD, Ill. (AP) —", "WASHINGTON —", "Paris (Reuters) -"
_DATELINE = re.compile(
    r"""^\s*
    (?P<place>[A-Z][A-Z.'\u2019\-]+(?:\s+[A-Z][A-Z.'\u2019\-]+){0,3}
      |[A-Z][a-z.'\u2019\-]+(?:\s+[A-Z][a-z.'\u2019\-]+){0,3}(?=\s*(?:,[^\n,]{1,30})?\s*\((?:AP|Reuters|AFP|UPI|CNN|Xinhua|dpa|Bloomberg)\)))
    (?:\s*,\s*(?P<parent>[A-Z][A-Za-z.'\u2019\-]*(?:\s+[A-Z][A-Za-z.'\u2019\-]*){0,3}))?
    \s*(?:\([^)\n]{1,40}\))?
    \s*(?:\u2014|\u2013|--|-|:)\s
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Mention:
    """A stretch of text that may name a place."""

    start: int
    end: int
    text: str
    label: str  # GPE, LOC, FAC, NORP, DATELINE, or SPAN (given by the caller)
    modifier: bool = False  # the word modifies a noun ("Iraqi troops", "American officials")


@dataclass(frozen=True)
class Dateline:
    place: Mention
    parent: Mention | None


def find_dateline(text: str) -> Dateline | None:
    """The dateline the article opens with, if any ("NAIROBI, Kenya (Reuters) —")."""
    head = text[:160]
    match = _DATELINE.match(head)
    if not match:
        return None
    place_text = match.group("place").rstrip(".")
    if len(place_text) < 3 or place_text.upper() in ("BREAKING", "UPDATE", "UPDATED", "EDITOR", "NOTE", "CORRECTION"):
        return None
    start = match.start("place")
    place = Mention(start, start + len(place_text), place_text, "DATELINE")
    parent = None
    if match.group("parent"):
        parent_start = match.start("parent")
        parent = Mention(parent_start, match.end("parent"), match.group("parent"), "DATELINE")
    return Dateline(place, parent)


def clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim "the" before and "'s" after a span, and surrounding spaces and punctuation."""
    piece = text[start:end]
    for leading in _LEADING_WORDS:
        if piece.startswith(leading) and len(piece) > len(leading):
            start += len(leading)
            piece = piece[len(leading) :]
    match = _TRAILING.search(piece)
    if match:
        end -= len(match.group(0))
        piece = piece[: match.start()]
    while piece and piece[-1] in " ,;:-\u2014":
        end -= 1
        piece = piece[:-1]
    while piece and piece[0] in " ,;:-\u2014\"'(":
        start += 1
        piece = piece[1:]
    return start, end


def is_street(text: str) -> bool:
    words = text.lower().replace(".", " ").split()
    return len(words) > 1 and words[-1] in _STREET_WORDS


def _split_on_commas(text: str, start: int, end: int, label: str) -> Iterable[Mention]:
    """ "Springfield, Ill." as one entity is two mentions: the place and its parent."""
    offset = start
    for part in text[start:end].split(","):
        part_start = offset + len(part) - len(part.lstrip())
        part_end = offset + len(part.rstrip())
        offset += len(part) + 1
        if part_end > part_start:
            s, e = clean_span(text, part_start, part_end)
            if e > s:
                yield Mention(s, e, text[s:e], label)


PLACE_PREPOSITIONS = frozenset("in at near outside inside across throughout around from into toward towards".split())
_NOT_PLACES = frozenset(
    {
        "PERSON",
        "DATE",
        "TIME",
        "MONEY",
        "PERCENT",
        "QUANTITY",
        "ORDINAL",
        "CARDINAL",
        "WORK_OF_ART",
        "LAW",
        "EVENT",
        "PRODUCT",
    }
)


def prepositional_mentions(doc: Any, taken: Iterable[tuple[int, int]]) -> list[Mention]:
    """Proper nouns after a place preposition ("in Belgorod", "from Lyon") that the
    tagger gave no place label (the small model reads some as ORG or LANGUAGE). The resolver
    keeps them only where a place has that very name."""
    spans = list(taken)
    found: list[Mention] = []
    for token in doc:
        if token.pos_ != "PROPN" or token.dep_ != "pobj" or token.head.lower_ not in PLACE_PREPOSITIONS:
            continue
        if token.ent_type_ in _NOT_PLACES:
            continue
        first = token
        while first.i > 0 and doc[first.i - 1].pos_ == "PROPN" and doc[first.i - 1].dep_ == "compound":
            first = doc[first.i - 1]
        start, end = first.idx, token.idx + len(token.text)
        if any(s < end and start < e for s, e in spans) or is_street(doc.text[start:end]):
            continue
        if token.i + 1 < len(doc) and doc[token.i + 1].lower_ in ("of", "'s", "\u2019s"):
            continue  # "in University of ...", "at McDonald's"
        spans.append((start, end))
        found.append(Mention(start, end, doc.text[start:end], "PREP"))
    return found


def entity_mentions(
    doc: Any, is_demonym: Callable[[str], bool] | None = None, *, prepositional: bool = False
) -> list[Mention]:
    """Place mentions from a spaCy ``Doc``: GPE, LOC and FAC entities (streets left out),
    nationality words (NORP) the alias table knows, flagged when they modify a noun, and with
    `prepositional` proper nouns after a place preposition (:func:`prepositional_mentions`)."""
    text: str = doc.text
    mentions: list[Mention] = []
    for ent in doc.ents:
        label = str(ent.label_)
        if label in PLACE_LABELS:
            if label == "FAC" and is_street(ent.text):
                continue
            mentions.extend(_split_on_commas(text, ent.start_char, ent.end_char, label))
        elif label == "NORP" and is_demonym is not None and is_demonym(ent.text):
            modifier = (
                any(token.dep_ in ("amod", "compound", "nmod") for token in ent) and ent.root.head.i != ent.root.i
            )
            start, end = clean_span(text, ent.start_char, ent.end_char)
            if end > start:
                mentions.append(Mention(start, end, text[start:end], "NORP", modifier=modifier))
    if prepositional:
        mentions.extend(prepositional_mentions(doc, [(m.start, m.end) for m in mentions]))
    return sorted(mentions, key=lambda m: m.start)


def echo_mentions(text: str, mentions: Iterable[Mention]) -> list[Mention]:
    """Other occurrences of names already found as places: a name the article uses as a place
    once is a place where it recurs, even where the tagger missed it or read it as part of an
    organisation ("the Dublin City Council"). Not inside a street name ("Memphis Street")."""
    found = list(mentions)
    taken = [(m.start, m.end) for m in found]
    echoes: list[Mention] = []
    for name in sorted({m.text for m in found if m.label in PLACE_LABELS and len(m.text) > 2}, key=len, reverse=True):
        pattern = re.compile(r"(?<![\w.])" + re.escape(name) + r"(?![\w])")
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            following = text[end : end + 20].split()
            if following and following[0].lower().rstrip(".,") in _STREET_WORDS:
                continue
            taken.append((start, end))
            echoes.append(Mention(start, end, name, "ECHO"))
    return echoes
