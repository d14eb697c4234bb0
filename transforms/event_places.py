"""Where each coded event happened, on the parse the coder made anyway.

The coder parses only the sentences that can hold an event, and with no named-entity
recogniser (spaCy's costs about as much as the whole coder: see docs/geocoder.md). So the
geocoder's view of an article is built from the coder's own ``Doc``s:

- the parsed sentences joined into one ``Doc`` (``Doc.from_docs``: tags and dependencies kept),
  whose text is the sentences in order, one space apart;
- place entities marked on it from the gazetteer instead of a tagger: a run of proper nouns
  that names a country, a first-order division or a town of at least
  :data:`MIN_TOWN_POPULATION` people (a smaller town counts where a place preposition governs
  it: the geocoder's own ``prepositional`` mentions);
- the article's dateline from its opening text, which the coder strips before parsing.

:func:`place_article` then calls ``transforms.geo.events.place_events`` for one place per event
and resolves the same mentions for the ``article_places`` table, with offsets in the article's
text. Pure: the geocoder and the docs come from the caller.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from schemas.events import PLACE_COLUMNS
from transforms.coder.rows import CodedEvent
from transforms.coder.segment import SentenceText
from transforms.geo.events import EventPlace, EventRef, place_events
from transforms.geo.gazetteer import Place
from transforms.geo.mentions import find_dateline
from transforms.geo.resolve import Geocoder, Resolved

MIN_TOWN_POPULATION = 100_000
"""A proper noun alone names a town only if the town is this big (under any of its names, so
"Khan Younis" for Khān Yūnis); smaller ones need "in X"."""
DATELINE_HEAD = 400
"""How much of the article's opening text the dateline is looked for in."""

Span = tuple[int, int]


class TextCachedDoc:
    """A ``Doc`` whose ``text`` is computed once: spaCy joins a doc's text from its tokens on
    every access, and the geocoder reads ``doc.text`` inside its loops over tokens (with an
    article of a few hundred tokens, most of the geocoding time). Everything else is the doc's."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.text: str = doc.text

    def __getattr__(self, name: str) -> Any:
        return getattr(self.doc, name)

    def __iter__(self) -> Any:
        return iter(self.doc)

    def __len__(self) -> int:
        return len(self.doc)

    def __getitem__(self, key: Any) -> Any:
        return self.doc[key]


class RecordingGeocoder:
    """A geocoder that keeps what its last free-mode ``geocode`` resolved: ``place_events``
    resolves the article's places once, and the article_places table reuses them."""

    def __init__(self, geocoder: Geocoder) -> None:
        self.geocoder = geocoder
        self.found: list[Resolved] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.geocoder, name)

    def geocode(self, text: str, **options: Any) -> list[Resolved]:
        result = self.geocoder.geocode(text, **options)
        if options.get("spans") is None:
            self.found = result
        return result


@dataclass(frozen=True)
class ArticleView:
    """The coder's parsed sentences as one ``Doc``, and where each sentence is in it and in the
    article's text (``None`` where a sentence was not parsed, or is not found verbatim)."""

    doc: TextCachedDoc
    in_doc: list[Span | None]
    in_text: list[Span | None]

    def sentence_spans(self) -> list[Span]:
        """Per coder sentence index, its range in ``doc.text`` (an empty range if unparsed)."""
        end = len(self.doc.text)
        return [span if span is not None else (end, end) for span in self.in_doc]

    def to_text(self, start: int, end: int) -> Span | None:
        """A range of ``doc.text`` as a range of the article's text."""
        for in_doc, in_text in zip(self.in_doc, self.in_text, strict=True):
            if in_doc is not None and in_text is not None and in_doc[0] <= start and end <= in_doc[1]:
                shift = in_text[0] - in_doc[0]
                return start + shift, end + shift
        return None


def sentence_offsets(text: str, sentences: Sequence[SentenceText]) -> list[Span | None]:
    """Where each sentence is in the article's text, searching forward from the last one."""
    offsets: list[Span | None] = []
    cursor = 0
    for sentence in sentences:
        found = text.find(sentence.text, cursor)
        if found < 0:
            offsets.append(None)
            continue
        offsets.append((found, found + len(sentence.text)))
        cursor = found + len(sentence.text)
    return offsets


def article_view(text: str, sentences: Sequence[SentenceText], docs: Mapping[int, Any]) -> ArticleView | None:
    """The parsed sentences joined into one ``Doc`` (None when the coder parsed none)."""
    indexes = [s.index for s in sentences if s.index in docs]
    if not indexes:
        return None
    parts = [docs[i] for i in indexes]
    doc = type(parts[0]).from_docs(parts, ensure_whitespace=True)
    in_doc: list[Span | None] = [None] * len(sentences)
    cursor = 0
    for index, part in zip(indexes, parts, strict=True):
        in_doc[index] = (cursor, cursor + len(part.text))
        cursor += len(part.text) + (0 if part.text[-1:].isspace() else 1)
    return ArticleView(TextCachedDoc(doc), in_doc, sentence_offsets(text, sentences))


def _names_a_place(geocoder: Geocoder | RecordingGeocoder, words: str) -> bool:
    for option in geocoder.options(words):
        place = option.place
        if place.is_country or place.is_admin1 or option.alias:
            return True
        if place.feature_class == "P" and place.population >= MIN_TOWN_POPULATION:
            return True
    return False


def mark_place_entities(doc: Any, geocoder: Geocoder | RecordingGeocoder) -> int:
    """Set ``doc.ents`` to the runs of proper nouns the gazetteer knows as places (label GPE);
    returns how many. Runs stop at sentence ends and punctuation ("Tbilisi, Georgia" is two)."""
    runs: list[Span] = []
    start: int | None = None
    for token in doc:
        proper = token.pos_ == "PROPN"
        if start is not None and (not proper or token.is_sent_start):
            runs.append((start, token.i))
            start = None
        if proper and start is None:
            start = token.i
    if start is not None:
        runs.append((start, len(doc)))
    entities = []
    for first, end in runs:
        span = doc[first:end]
        if _names_a_place(geocoder, span.text):
            entities.append(doc.char_span(span.start_char, span.end_char, label="GPE"))
    doc.set_ents([e for e in entities if e is not None], default="outside")
    return len(entities)


def _trigger_span(view: ArticleView, row: CodedEvent) -> Span | None:
    """The event verb's range in the view's text, from the explanation's `trigger` words."""
    span = view.in_doc[row["sentence_index"]] if 0 <= row["sentence_index"] < len(view.in_doc) else None
    if span is None or not row.get("explanation"):
        return None
    try:
        trigger = json.loads(row["explanation"] or "{}").get("trigger")
    except (ValueError, AttributeError):
        return None
    if not isinstance(trigger, str) or not trigger:
        return None
    word = trigger.split()[0]
    found = view.doc.text.find(word, span[0], span[1])
    return (found, found + len(word)) if found >= 0 else None


def place_columns(chosen: EventPlace | None) -> dict[str, Any]:
    """The event table's place columns for one event's place (all null for none)."""
    if chosen is None:
        return dict.fromkeys(PLACE_COLUMNS)
    place = chosen.place
    return {
        "place_text": chosen.text,
        "place_name": place.name,
        "geonameid": place.geonameid,
        "place_country": place.country3 or None,
        "admin1_code": place.admin1_key or None,
        "admin1_name": place.admin1_name or None,
        "latitude": place.lat,
        "longitude": place.lon,
        "geo_precision": place.precision,
        "place_source": chosen.source.value,
    }


def _place_row(article_id: str, start: int, end: int, text: str, place: Place, confidence: float) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "start": start,
        "end": end,
        "text": text,
        "name": place.name,
        "geonameid": place.geonameid,
        "feature_class": place.feature_class,
        "feature_code": place.feature_code,
        "country": place.country3 or None,
        "admin1_code": place.admin1_key or None,
        "admin1_name": place.admin1_name or None,
        "latitude": place.lat,
        "longitude": place.lon,
        "precision": place.precision,
        "confidence": confidence,
    }


@dataclass(frozen=True)
class ArticlePlacing:
    """One article's result: the place columns of each row (in the rows' order) and its
    `article_places` rows."""

    event_places: list[dict[str, Any]]
    article_places: list[dict[str, Any]]


def place_article(
    geocoder: Geocoder,
    article_id: str,
    text: str,
    sentences: Sequence[SentenceText],
    docs: Mapping[int, Any],
    rows: Sequence[CodedEvent],
) -> ArticlePlacing:
    """Geocode one coded article on the coder's parse: a place per row, every resolved mention."""
    head = text[:DATELINE_HEAD]
    view = article_view(text, sentences, docs)
    places: list[dict[str, Any]] = []
    resolved: list[Resolved] = []
    if view is not None:
        recorder = RecordingGeocoder(geocoder)
        mark_place_entities(view.doc, geocoder)
        refs = [
            EventRef(
                r["sentence_index"],
                actor=r["actor"],
                actor_country=r["actor_country"],
                target=r["target"],
                target_country=r["target_country"],
                trigger=_trigger_span(view, r),
            )
            for r in rows
        ]
        chosen = place_events(
            cast(Geocoder, recorder), view.doc, refs, dateline_text=head, sentence_spans=view.sentence_spans()
        )
        places = [place_columns(c) for c in chosen]
        resolved = recorder.found
    else:
        places = [place_columns(None) for _ in rows]
    out: dict[Span, dict[str, Any]] = {}
    dateline = find_dateline(head)
    if dateline is not None:
        [found] = geocoder.geocode(head, spans=[(dateline.place.start, dateline.place.end)])
        if found.place is not None:
            span = (found.mention.start, found.mention.end)
            out[span] = _place_row(article_id, *span, found.mention.text, found.place, found.confidence)
    for item in resolved:
        if item.place is None or view is None:
            continue
        span_in_text = view.to_text(item.mention.start, item.mention.end)
        if span_in_text is None or span_in_text in out:
            continue
        out[span_in_text] = _place_row(article_id, *span_in_text, item.mention.text, item.place, item.confidence)
    return ArticlePlacing(places, [out[span] for span in sorted(out)])
