"""Placing coded events on the coder's own parse: the view of the article, the gazetteer's
place entities, and the rows each article yields."""

from __future__ import annotations

import json
from typing import Any

import pytest

from flows.io.geonames import load_aliases, load_gazetteer
from schemas.events import PLACE_COLUMNS
from transforms.coder.segment import segment
from transforms.event_places import (
    ArticleView,
    article_view,
    mark_place_entities,
    place_article,
    place_columns,
    sentence_offsets,
)
from transforms.geo.resolve import Geocoder

TEXT = (
    "NAIROBI, Kenya (Reuters) — Kenya's opposition leaders met on Monday.\n\n"
    "Police arrested dozens of protesters in Mombasa on Tuesday. The talks went on."
)


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder(load_gazetteer(), load_aliases())


def parsed(nlp: Any, text: str, wanted: set[int] | None = None) -> tuple[list[Any], dict[int, Any]]:
    sentences = segment(text)
    docs = {s.index: nlp(s.text) for s in sentences if wanted is None or s.index in wanted}
    return sentences, docs


def row(sentence_index: int, actor: str, actor_country: str | None, trigger: str) -> dict[str, Any]:
    return {
        "sentence_index": sentence_index,
        "actor": actor,
        "actor_country": actor_country,
        "target": "protesters",
        "target_country": None,
        "explanation": json.dumps({"trigger": trigger}),
    }


def test_sentence_offsets_find_each_sentence_in_the_text_in_order() -> None:
    sentences = segment(TEXT)
    offsets = sentence_offsets(TEXT, sentences)
    assert [TEXT[s:e] for s, e in (o for o in offsets if o)] == [s.text for s in sentences]
    assert sentences[0].text.startswith("Kenya's"), "the coder strips the dateline"


def test_the_view_joins_the_parsed_sentences_and_maps_offsets_back(nlp: Any) -> None:
    sentences, docs = parsed(nlp, TEXT, wanted={1, 2})
    view = article_view(TEXT, sentences, docs)
    assert isinstance(view, ArticleView)
    assert view.doc.text == "Police arrested dozens of protesters in Mombasa on Tuesday. The talks went on."
    assert view.in_doc[0] is None and view.sentence_spans()[0] == (len(view.doc.text),) * 2
    start = view.doc.text.index("Mombasa")
    assert view.to_text(start, start + 7) == (TEXT.index("Mombasa"), TEXT.index("Mombasa") + 7)
    assert article_view(TEXT, sentences, {}) is None


def test_place_entities_come_from_the_gazetteer_not_a_tagger(nlp: Any, geocoder: Geocoder) -> None:
    doc = nlp("Tbilisi and Kenya were quiet, Sunday said Peskov.")
    assert mark_place_entities(doc, geocoder) == 2
    assert [e.text for e in doc.ents] == ["Tbilisi", "Kenya"]


def test_each_event_gets_a_place_and_the_article_its_places(nlp: Any, geocoder: Geocoder) -> None:
    sentences, docs = parsed(nlp, TEXT)
    rows = [row(1, "Police", "KEN", "arrested"), row(2, "The talks", None, "went")]
    placing = place_article(geocoder, "a" * 32, TEXT, sentences, docs, rows)  # type: ignore[arg-type]
    fired, talks = placing.event_places
    assert (fired["place_name"], fired["place_country"], fired["place_source"]) == ("Mombasa", "KEN", "verb")
    assert fired["geo_precision"] == 1 and -5 < fired["latitude"] < 0
    assert (talks["place_name"], talks["place_source"]) == ("Nairobi", "dateline")
    found = {(p["text"], p["name"]): p for p in placing.article_places}
    assert {("NAIROBI", "Nairobi"), ("Mombasa", "Mombasa")} <= set(found)
    for place in placing.article_places:
        assert TEXT[place["start"] : place["end"]] == place["text"]


def test_no_place_is_all_nulls() -> None:
    assert place_columns(None) == dict.fromkeys(PLACE_COLUMNS)
