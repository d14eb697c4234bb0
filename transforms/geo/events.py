"""One place per coded event: where it happened, and which rule said so (``place_source``).

The coder flow will call :func:`place_events` once per article, after coding it: the article's
spaCy ``Doc``, its dateline (found here when not given) and its events (sentence index, actor
and target names and countries, and where known the trigger's character span). The rules,
strongest first:

1. ``verb`` — a place phrase governed by the event's verb ("arrested protesters *in Tbilisi*"):
   a place whose preposition attaches to the trigger (or, without one, to a verb of the sentence);
2. ``sentence`` — another place in the event's sentence that is not one of its sides: not the
   actor or the target, nor their own country outside a place phrase, nor a place coordinated
   with them ("Armenia and Azerbaijan say ..." places neither);
3. ``dateline`` — the article's dateline ("NAIROBI, Kenya —");
4. ``article`` — the article's main place: the one its mentions name most (towns and divisions
   before countries on a tie);
5. ``actor_country`` — the actor's country, at country precision.

The events' actor and target countries count as context when the article's places are
resolved ("clashes in Hyderabad" with Pakistani actors is Hyderabad, Pakistan). An event none
of the rules places gets ``None``. Pure: the ``Doc`` comes from the caller.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from transforms.geo.gazetteer import Place
from transforms.geo.mentions import find_dateline
from transforms.geo.names import name_key
from transforms.geo.resolve import Geocoder, Resolved

LOCATIVE_PREPOSITIONS = frozenset(
    "in at near outside inside across throughout around into onto on off along within beyond towards toward "
    "from through over under between".split()
)


class PlaceSource(StrEnum):
    VERB = "verb"
    SENTENCE = "sentence"
    DATELINE = "dateline"
    ARTICLE = "article"
    ACTOR_COUNTRY = "actor_country"


@dataclass(frozen=True)
class EventRef:
    """What the placer needs of one coded event."""

    sentence_index: int
    actor: str | None = None
    actor_country: str | None = None  # ISO-3
    target: str | None = None
    target_country: str | None = None
    trigger: tuple[int, int] | None = None  # the verb's character span in the article, if known


@dataclass(frozen=True)
class EventPlace:
    """The place given to one event."""

    place: Place
    text: str | None  # the words that named it (None for the actor's country)
    source: PlaceSource
    confidence: float


def _sentence_spans(doc: Any) -> list[tuple[int, int]]:
    return [(sentence.start_char, sentence.end_char) for sentence in doc.sents]


def _names_party(resolved: Resolved, event: EventRef) -> bool:
    """The mention names the actor or the target ("Israel struck ...", "... attacked Ukraine")."""
    text = name_key(resolved.mention.text)
    for party in (event.actor, event.target):
        if party and text and (text == name_key(party) or f" {text} " in f" {name_key(party)} "):
            return True
    return False


def _root(doc: Any, resolved: Resolved) -> Any:
    span = doc.char_span(resolved.mention.start, resolved.mention.end, alignment_mode="expand")
    return span.root if span is not None else None


def _in_place_phrase(token: Any) -> bool:
    """The object of a locative preposition ("in Georgia", "near Azerbaijan"); "between" takes
    the sides of a clash rather than where it happened."""
    while token.dep_ in ("compound", "appos", "conj", "amod") and token.head is not token:
        token = token.head
    preposition = token.head
    return bool(
        token.dep_ == "pobj"
        and preposition.lower_ in LOCATIVE_PREPOSITIONS
        and preposition.lower_ not in ("between", "against")
    )


def _coordinated(token: Any) -> set[int]:
    """The token indices of the coordination a token is in ("Armenia and Azerbaijan")."""
    top = token
    while top.dep_ == "conj" and top.head is not top:
        top = top.head
    members = {top.i}
    stack = [top]
    while stack:
        for child in stack.pop().children:
            if child.dep_ == "conj" and child.i not in members:
                members.add(child.i)
                stack.append(child)
    return members


def _party_roots(doc: Any, sentence: tuple[int, int], event: EventRef) -> list[Any]:
    """The head tokens of the actor's and the target's words where the sentence names them."""
    start, end = sentence
    text: str = doc.text
    roots = []
    for party in (event.actor, event.target):
        at = text.find(party, start, end) if party else -1
        if party and at >= 0:
            span = doc.char_span(at, at + len(party), alignment_mode="expand")
            if span is not None:
                roots.append(span.root)
    return roots


def _parties(doc: Any, sentence: tuple[int, int], in_sentence: Sequence[Resolved], event: EventRef) -> set[int]:
    """Which of the sentence's places are a side of the event, by position in `in_sentence`.

    A side is never where the event happened: the mention names the actor or the target, or it
    is the actor's or target's own country outside a place phrase ("Armenia's prime minister",
    "accused Azerbaijan"), or it is coordinated with a side ("Armenia and Azerbaijan say ...":
    both are the ones who speak).
    """
    sides = {event.actor_country, event.target_country} - {None}
    roots = [_root(doc, r) for r in in_sentence]
    found: set[int] = set()
    for position, (resolved, root) in enumerate(zip(in_sentence, roots, strict=True)):
        if _names_party(resolved, event) or (
            resolved.place is not None
            and resolved.place.is_country
            and resolved.place.country3 in sides
            and (root is None or not _in_place_phrase(root))
        ):
            found.add(position)
    side_roots = [roots[position] for position in found if roots[position] is not None]
    coordinated = {i for root in side_roots + _party_roots(doc, sentence, event) for i in _coordinated(root)}
    for position, root in enumerate(roots):
        if root is not None and root.i in coordinated and not _in_place_phrase(root):
            found.add(position)
    return found


def _governed_by_verb(doc: Any, resolved: Resolved, trigger: tuple[int, int] | None) -> bool:
    span = doc.char_span(resolved.mention.start, resolved.mention.end, alignment_mode="expand")
    if span is None:
        return False
    token = span.root
    # climb through compounds and appositions to the noun the preposition takes
    while token.dep_ in ("compound", "appos", "conj", "amod") and token.head is not token:
        token = token.head
    preposition = token.head
    if token.dep_ != "pobj" or preposition.lower_ not in LOCATIVE_PREPOSITIONS:
        return False
    governor = preposition.head
    if trigger is not None:
        return bool(governor.idx < trigger[1] and trigger[0] < governor.idx + len(governor.text))
    return bool(governor.pos_ in ("VERB", "AUX"))


def main_place(resolved: Sequence[Resolved]) -> Resolved | None:
    """The place the article names most (confidence-weighted); finer places win ties."""
    weights: Counter[int] = Counter()
    first: dict[int, Resolved] = {}
    precision: dict[int, int] = {}
    for item in resolved:
        if item.place is None:
            continue
        weights[item.place.row] += max(1, round(10 * item.confidence))
        first.setdefault(item.place.row, item)
        precision[item.place.row] = item.place.precision
    if not weights:
        return None
    return first[max(weights, key=lambda r: (weights[r], -precision[r]))]


def _sentence_place(
    doc: Any,
    resolved: Sequence[Resolved],
    sentence: tuple[int, int],
    event: EventRef,
    dateline_place: Resolved | None,
) -> tuple[EventPlace | None, set[int]]:
    """The ``verb`` or ``sentence`` place of an event, and the gazetteer rows of the sentence's
    places that are sides of the event (no later rule may place the event there either)."""
    start, end = sentence
    in_sentence = [r for r in resolved if start <= r.mention.start < end and r is not dateline_place]
    sides = _parties(doc, sentence, in_sentence, event)
    side_rows = {r.place.row for position, r in enumerate(in_sentence) if position in sides and r.place}
    in_sentence = [r for position, r in enumerate(in_sentence) if position not in sides]
    governed = [r for r in in_sentence if _governed_by_verb(doc, r, event.trigger)]
    for group, source in ((governed, PlaceSource.VERB), (in_sentence, PlaceSource.SENTENCE)):
        if group:
            best = min(group, key=lambda r: (r.place.precision if r.place else 9, -r.confidence))
            assert best.place is not None
            return EventPlace(best.place, best.mention.text, source, best.confidence), side_rows
    return None, side_rows


def place_events(
    geocoder: Geocoder,
    doc: Any,
    events: Sequence[EventRef],
    *,
    dateline_text: str | None = None,
    sentence_spans: Sequence[tuple[int, int]] | None = None,
) -> list[EventPlace | None]:
    """One place (or None) per event, in order. `sentence_spans` are the coder's sentences as
    character ranges of ``doc.text`` (default: spaCy's); `dateline_text` is the article's
    opening line where the caller has it separately (default: the text's own start)."""
    text: str = doc.text
    parties = {name_key(name) for event in events for name in (event.actor, event.target) if name}
    hints: dict[str, float] = {}
    for event in events:  # the events' actor and target countries are evidence for the places
        for iso3 in (event.actor_country, event.target_country):
            if iso3:
                hints[iso3] = hints.get(iso3, 0.0) + 0.5
    resolved = [r for r in geocoder.geocode(text, doc=doc, prepositional=True, countries=hints) if r.place is not None]
    sentences = list(sentence_spans) if sentence_spans is not None else _sentence_spans(doc)
    dateline_place: Resolved | None = None
    dateline = find_dateline(dateline_text if dateline_text is not None else text)
    if dateline is not None:
        if dateline_text is None:
            dateline_place = next(
                (
                    r
                    for r in resolved
                    if r.mention.start == dateline.place.start and r.mention.end == dateline.place.end
                ),
                None,
            )
        else:
            [dateline_place] = geocoder.geocode(dateline_text, spans=[(dateline.place.start, dateline.place.end)])
            if dateline_place.place is None:
                dateline_place = None
    article = main_place([r for r in resolved if name_key(r.mention.text) not in parties])
    out: list[EventPlace | None] = []
    for event in events:
        chosen: EventPlace | None = None
        side_rows: set[int] = set()
        if 0 <= event.sentence_index < len(sentences):
            chosen, side_rows = _sentence_place(doc, resolved, sentences[event.sentence_index], event, dateline_place)
        if chosen is None and dateline_place is not None and dateline_place.place is not None:
            chosen = EventPlace(
                dateline_place.place, dateline_place.mention.text, PlaceSource.DATELINE, dateline_place.confidence
            )
        if chosen is None and article is not None and article.place is not None and article.place.row not in side_rows:
            chosen = EventPlace(article.place, article.mention.text, PlaceSource.ARTICLE, article.confidence * 0.8)
        if chosen is None and event.actor_country:
            country = geocoder.gazetteer.country_by_iso3(event.actor_country)
            if country is not None:
                chosen = EventPlace(country, None, PlaceSource.ACTOR_COUNTRY, 0.5)
        out.append(chosen)
    return out
