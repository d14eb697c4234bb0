"""One place per coded event: where it happened, and which rule said so (``place_source``).

The coder flow will call :func:`place_events` once per article, after coding it: the article's
spaCy ``Doc``, its dateline (found here when not given) and its events (sentence index, actor
and target names and countries, and where known the trigger's character span). The rules,
strongest first:

1. ``verb`` — a place phrase governed by the event's verb ("arrested protesters *in Tbilisi*"):
   a place whose preposition attaches to the trigger (or, without one, to a verb of the sentence);
2. ``sentence`` — another place in the event's sentence that is not the actor or the target;
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


def _is_party(resolved: Resolved, event: EventRef) -> bool:
    """The place names the actor or the target ("Israel struck ...", "... attacked Ukraine")."""
    text = name_key(resolved.mention.text)
    for party in (event.actor, event.target):
        if party and text and (text == name_key(party) or f" {text} " in f" {name_key(party)} "):
            return True
    return False


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
        if 0 <= event.sentence_index < len(sentences):
            start, end = sentences[event.sentence_index]
            in_sentence = [
                r
                for r in resolved
                if start <= r.mention.start < end and not _is_party(r, event) and r is not dateline_place
            ]
            governed = [r for r in in_sentence if _governed_by_verb(doc, r, event.trigger)]
            for group, source in ((governed, PlaceSource.VERB), (in_sentence, PlaceSource.SENTENCE)):
                if group and chosen is None:
                    best = min(group, key=lambda r: (r.place.precision if r.place else 9, -r.confidence))
                    assert best.place is not None
                    chosen = EventPlace(best.place, best.mention.text, source, best.confidence)
        if chosen is None and dateline_place is not None and dateline_place.place is not None:
            chosen = EventPlace(
                dateline_place.place, dateline_place.mention.text, PlaceSource.DATELINE, dateline_place.confidence
            )
        if chosen is None and article is not None and article.place is not None:
            chosen = EventPlace(article.place, article.mention.text, PlaceSource.ARTICLE, article.confidence * 0.8)
        if chosen is None and event.actor_country:
            country = geocoder.gazetteer.country_by_iso3(event.actor_country)
            if country is not None:
                chosen = EventPlace(country, None, PlaceSource.ACTOR_COUNTRY, 0.5)
        out.append(chosen)
    return out
