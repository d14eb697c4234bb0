"""One place per event, and the rule that chose it (`place_source`)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from transforms.geo.events import EventRef, PlaceSource, place_events


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    event: EventRef
    source: PlaceSource | None
    name: str | None = None
    country: str | None = None


CASES = [
    Case(
        "verb-governed-place",
        "Police arrested dozens of protesters in Tbilisi on Sunday.",
        EventRef(0, actor="Police", actor_country="GEO"),
        PlaceSource.VERB,
        "Tbilisi",
        "GEO",
    ),
    Case(
        "the-target-country-is-no-place-phrase",
        "Russia attacked Ukraine from Belgorod overnight.",
        EventRef(0, actor="Russia", actor_country="RUS", target="Ukraine", target_country="UKR"),
        PlaceSource.VERB,
        "Belgorod",
        "RUS",
    ),
    Case(
        "other-place-in-the-sentence",
        "Protesters marched on Friday, and officials in Lyon condemned the violence.",
        EventRef(0, actor="Protesters"),
        PlaceSource.SENTENCE,
        "Lyon",
        "FRA",
    ),
    Case(
        "dateline-when-the-sentence-names-none",
        "NAIROBI, Kenya (Reuters) — Kenya's opposition said on Monday. Police fired tear gas at protesters.",
        EventRef(1, actor="Police", actor_country="KEN"),
        PlaceSource.DATELINE,
        "Nairobi",
        "KEN",
    ),
    Case(
        "article-main-place",
        "The council in Springfield, Ill. met. Springfield officials spoke. The governor criticised the plan.",
        EventRef(2, actor="The governor", actor_country="USA"),
        PlaceSource.ARTICLE,
        "Springfield",
        "USA",
    ),
    Case(
        "the-actor-is-not-the-place",
        "Israel struck targets overnight.",
        EventRef(0, actor="Israel", actor_country="ISR"),
        PlaceSource.ACTOR_COUNTRY,
        "Israel",
        "ISR",
    ),
    Case(
        "actor-country-picks-the-namesake",
        "Police clashed with protesters in Hyderabad on Friday.",
        EventRef(0, actor="Police", actor_country="PAK"),
        PlaceSource.VERB,
        "Hyderabad",
        "PAK",
    ),
    Case(
        "without-actor-country-the-bigger-namesake",
        "Police clashed with protesters in Hyderabad on Friday.",
        EventRef(0, actor="Police"),
        PlaceSource.VERB,
        "Hyderabad",
        "IND",
    ),
    Case(
        "a-place-coordinated-with-the-actor-is-a-side",
        "Armenia and Azerbaijan say they will resume talks next week.",
        EventRef(0, actor="Armenia", actor_country="ARM"),
        PlaceSource.ACTOR_COUNTRY,
        "Armenia",
        "ARM",
    ),
    Case(
        "the-target-country-outside-a-place-phrase-is-a-side",
        "Troops shelled border posts held by Azerbaijan on Tuesday.",
        EventRef(0, actor="Troops", actor_country="ARM", target="border posts", target_country="AZE"),
        PlaceSource.ACTOR_COUNTRY,
        "Armenia",
        "ARM",
    ),
    Case(
        "the-sides-leave-the-place-of-the-talks",
        "Armenia and Azerbaijan say they will resume talks in Moscow.",
        EventRef(0, actor="Armenia", actor_country="ARM"),
        PlaceSource.SENTENCE,
        "Moscow",
        "RUS",
    ),
    Case(
        "the-actor-country-in-a-place-phrase-is-still-the-place",
        "Police arrested dozens of protesters in Georgia on Sunday.",
        EventRef(0, actor="Police", actor_country="GEO"),
        PlaceSource.VERB,
        "Georgia",
        "GEO",
    ),
    Case("nothing-to-go-on", "Officials met on Tuesday.", EventRef(0, actor="Officials"), None),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_place_events(geocoder, nlp, case: Case) -> None:
    geocoder.nlp = nlp
    [placed] = place_events(geocoder, nlp(case.text), [case.event])
    if case.source is None:
        assert placed is None
        return
    assert placed is not None, case.id
    assert placed.source == case.source, placed
    assert placed.place.name == case.name and placed.place.country3 == case.country
    assert 0.0 < placed.confidence <= 1.0


def test_one_place_per_event_in_order(geocoder, nlp) -> None:
    text = "Troops shelled villages near Aleppo. Later, rebels attacked a base in Idlib."
    events = [EventRef(0, actor="Troops"), EventRef(1, actor="rebels"), EventRef(7, actor="nobody")]
    first, second, third = place_events(geocoder, nlp(text), events)
    assert first is not None and first.place.name == "Aleppo" and first.source is PlaceSource.VERB
    assert second is not None and second.place.name == "Idlib" and second.source is PlaceSource.VERB
    assert third is not None and third.source is PlaceSource.ARTICLE  # a sentence index out of range
