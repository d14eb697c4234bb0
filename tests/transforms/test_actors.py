"""ActorResolver: noun phrases to (country, sector, kind), with office dates, on real spaCy parses."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.io.reference import load_reference
from transforms.actors import Actor, ActorResolver, select_code
from transforms.reference import ActorEntry, AgentEntry, DatedCode, build_reference

ON = date(2024, 10, 14)


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver(load_reference())


# (phrase, country, sector, kind); resolved on ON as a whole parsed phrase.
GOLDEN = [
    ("North Korea", "PRK", None, "country", "country-name"),
    ("the United States", "USA", None, "country", "country-with-the"),
    ("the U.S.", "USA", None, "country", "dotted-acronym"),
    ("Russian forces", "RUS", "MIL", "country", "demonym-forces"),
    ("Russian troops", "RUS", "MIL", "country", "demonym-troops"),
    ("US-backed forces", None, "MIL", "sector", "a-sponsor-is-no-country"),
    ("Iranian-funded militias", None, "UAF", "sector", "funded-by-is-no-country"),
    ("Iranian-backed Houthis", "YEM", "REB", "group", "a-named-group-keeps-its-own"),
    ("the Saudi-led coalition", "SAU", None, "country", "led-by-is-the-leader"),
    ("North Korean citizens", "PRK", "CVL", "country", "two-word-demonym"),
    ("Ukrainians", "UKR", None, "country", "plural-demonym"),
    ("Pashtun tribesmen", None, "CVL", "sector", "tribesmen-are-civilians"),
    ("the Kremlin", "RUS", "GOV", "institution", "metonym-kremlin"),
    ("the White House", "USA", "GOV", "institution", "metonym-white-house"),
    ("Downing Street", "GBR", "GOV", "institution", "metonym-downing-street"),
    ("the Pentagon", "USA", "MIL", "institution", "metonym-pentagon"),
    ("Pyongyang", "PRK", "GOV", "institution", "capital-pyongyang"),
    ("Washington", "USA", "GOV", "institution", "capital-washington"),
    ("Beijing", "CHN", "GOV", "institution", "capital-beijing"),
    ("Kyiv", "UKR", "GOV", "institution", "capital-kyiv"),
    ("Kiev", "UKR", "GOV", "institution", "capital-kiev"),
    ("South Korea's Defense Minister Kim Yong-Hyun", "KOR", "GOV", "person", "possessive-title-known-person"),
    ("Russia's military", "RUS", "MIL", "country", "possessive-sector"),
    ("Ukrainian President Volodymyr Zelensky", "UKR", "GOV", "person", "title-known-person"),
    ("Ukrainian President Petro Ivanenko", "UKR", "GOV", "person", "title-unknown-person"),
    ("Nigerian Foreign Minister Ada Obi", "NGA", "GOV", "person", "title-unknown-minister"),
    ("Kremlin spokesman Dmitry Peskov", "RUS", "GOV", "person", "metonym-title-person"),
    ("Dmitry Peskov, the Kremlin spokesman", "RUS", "GOV", "person", "apposition"),
    ("Ivan Petrov, the Kremlin spokesman", "RUS", "GOV", "person", "apposition-unknown-person"),
    ("Kim Jong Un", "PRK", "GOV", "person", "kim-jong-un"),
    ("Kim Jong-un", "PRK", "GOV", "person", "kim-jong-un-hyphen"),
    ("Antonio Guterres", "IGO", "IGO", "person", "un-secretary-general"),
    ("the United Nations", "IGO", "IGO", "igo", "igo-name"),
    ("the UN", "IGO", "IGO", "igo", "igo-acronym"),
    ("NATO", "IGO", "IGO", "igo", "nato"),
    ("the EU", "IGO", "IGO", "igo", "eu"),
    ("the African Union", "IGO", "IGO", "igo", "african-union"),
    ("the IAEA", "IGO", "IGO", "igo", "iaea"),
    ("the International Criminal Court", "IGO", "JUD", "igo", "icc"),
    ("ECOWAS", "IGO", "IGO", "igo", "ecowas"),
    ("the Red Cross", "NGO", "HLH", "ngo", "red-cross"),
    ("NATO troops", "IGO", "MIL", "igo", "igo-with-sector-noun"),
    ("Hamas", "PSE", "REB", "group", "hamas"),
    ("Hezbollah", "LBN", "REB", "group", "hezbollah"),
    ("ISIS", "IMG", "REB", "group", "isis"),
    ("the Islamic State group", "IMG", "REB", "group", "islamic-state"),
    ("al-Shabaab", "SOM", "REB", "group", "al-shabaab"),
    ("the RSF", "SDN", "REB", "group", "rsf-after-april-2023"),
    ("Hamas spokesman", "PSE", "REB", "group", "generic-noun-defers-to-group"),
    ("police", None, "COP", "sector", "sector-police"),
    ("the opposition", None, "OPP", "sector", "sector-opposition"),
    ("protesters", None, "CVL", "sector", "sector-protesters"),
    ("opposition leader", None, "OPP", "sector", "generic-noun-defers-to-sector"),
    ("lawmakers", None, "LEG", "sector", "sector-lawmakers"),
    ("the court", None, "JUD", "sector", "sector-court"),
    ("journalists", None, "MED", "sector", "sector-media"),
    ("the president of Russia", "RUS", "GOV", "country", "of-phrase"),
    ("Iranian Revolutionary Guards", "IRN", "MIL", "institution", "institution-with-demonym"),
    ("South Korea's Joint Chiefs of Staff", "KOR", "MIL", "institution", "owner-country-over-institution"),
    ("Vienna", "AUT", "GOV", "institution", "austria-code-is-a-country"),
    ("Mauritian officials", "MUS", "GOV", "country", "mauritius-code-is-a-country"),
    ("Namibian police", "NAM", "COP", "country", "namibia-code-is-a-country"),
    ("Congolese troops", "COD", "MIL", "country", "congo-means-drc"),
    ("the FDLR", "RWA", "REB", "group", "fdlr"),
    ("Mark Rutte, a former Dutch prime minister", "IGO", "IGO", "person", "former-after-the-person"),
]


@pytest.mark.parametrize(("phrase", "country", "sector", "kind"), [g[:4] for g in GOLDEN], ids=[g[4] for g in GOLDEN])
def test_golden_phrases(
    resolver: ActorResolver, nlp, phrase: str, country: str | None, sector: str | None, kind: str
) -> None:
    actor = resolver.resolve(nlp(phrase)[:], ON)
    assert actor is not None
    assert (actor.country, actor.sector, actor.kind) == (country, sector, kind), actor.entry


@pytest.mark.parametrize(
    ("phrase", "country", "sector"), [(g[0], g[1], g[2]) for g in GOLDEN], ids=[g[4] for g in GOLDEN]
)
def test_golden_phrases_as_plain_text(
    resolver: ActorResolver, phrase: str, country: str | None, sector: str | None
) -> None:
    actor = resolver.resolve_text(phrase, ON)
    assert actor is not None
    assert (actor.country, actor.sector) == (country, sector), actor.entry


NOT_ACTORS = [
    ("who", "pronoun-who"),
    ("us", "pronoun-us"),
    ("the weather", "common-noun"),
    ("kremlin watchers", "lower-case-name"),
    ("Ararat Mirzoyan", "place-inside-a-name"),
    ("the Americas", "continent-blocked"),
    ("South America", "a-region-of-the-americas-is-no-united-states"),
    ("Latin American", "a-regions-adjective-is-no-united-states"),
    ("3 p.m.", "time-not-prime-minister"),
    ("our community guidelines", "sector-word-modifying-a-thing"),
    ("", "empty"),
    ("the", "determiner-only"),
]


@pytest.mark.parametrize(
    ("phrase", "expected_sector"), [(p, None) for p, _ in NOT_ACTORS], ids=[i for _, i in NOT_ACTORS]
)
def test_phrases_that_are_not_actors(resolver: ActorResolver, nlp, phrase: str, expected_sector: None) -> None:
    actor = resolver.resolve(nlp(phrase)[:], ON)
    assert actor is None or (actor.country is None and actor.sector == expected_sector)
    assert resolver.resolve_text(phrase, ON) is None


def test_name_strips_the_and_possessive(resolver: ActorResolver, nlp) -> None:
    actor = resolver.resolve(nlp("the Kremlin's")[:], ON)
    assert actor is not None and actor.name == "Kremlin"
    assert resolver.resolve_text("The Kremlin's", ON) == Actor(
        name="Kremlin", country="RUS", sector="GOV", kind="institution", entry=actor.entry, code="RUSGOV"
    )
    assert "kremlin [RUSGOV]" in actor.entry


def test_only_modifiers_of_the_head_count(resolver: ActorResolver, nlp) -> None:
    doc = nlp("Protesters gathered near the Russian embassy in Paris.")
    subject = [t for t in doc if t.dep_ == "nsubj"][0]
    assert resolver.resolve(doc[subject.left_edge.i : subject.i + 1], ON) == resolver.resolve_text("Protesters", ON)
    phrase = nlp("protesters near the Russian embassy")
    actor = resolver.resolve(phrase[:], ON)
    assert actor is not None and (actor.country, actor.sector) == (None, "CVL")


def test_subject_subtree_in_a_sentence(resolver: ActorResolver, nlp) -> None:
    doc = nlp("Russian forces shelled the town overnight, Ukrainian officials said.")
    by_root = {t.text: t for t in doc}
    forces = by_root["forces"]
    actor = resolver.resolve(doc[forces.left_edge.i : forces.right_edge.i + 1], ON)
    assert actor is not None and (actor.country, actor.sector) == ("RUS", "MIL")
    officials = by_root["officials"]
    actor = resolver.resolve(doc[officials.left_edge.i : officials.i + 1], ON)
    assert actor is not None and (actor.country, actor.sector) == ("UKR", "GOV")


def test_resolve_accepts_a_single_token(resolver: ActorResolver, nlp) -> None:
    doc = nlp("Hezbollah fired rockets.")
    actor = resolver.resolve(doc[0], ON)
    assert actor is not None and actor.country == "LBN"


def test_find_mentions_lists_each_actor_once(resolver: ActorResolver, nlp) -> None:
    doc = nlp(
        "Kremlin spokesman Dmitry Peskov said on Monday that Russian troops had pushed back Ukrainian "
        "forces, according to the Russian Defence Ministry, while police dispersed protesters in Tbilisi."
    )
    mentions = [(span.text, actor.country, actor.sector) for span, actor in resolver.find_mentions(doc, ON)]
    assert ("Kremlin spokesman Dmitry Peskov", "RUS", "GOV") in mentions
    assert ("Russian troops", "RUS", "MIL") in mentions
    assert ("Ukrainian forces", "UKR", "MIL") in mentions
    assert ("the Russian Defence Ministry", "RUS", "GOV") in mentions
    assert ("police", None, "COP") in mentions
    assert ("protesters", None, "CVL") in mentions
    assert ("Tbilisi", "GEO", "GOV") in mentions
    spans = [span for span, _ in resolver.find_mentions(doc, ON)]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False)), "mentions overlap"
    assert resolver.find_mentions(doc[0:4], ON)[0][0].text == "Kremlin spokesman Dmitry Peskov"


OFFICE_DATES = [
    # Kim Yong-hyun: presidential security chief 2022-05-10..2024-09-05, defence minister
    # 2024-09-06..2024-12-05 (both KORGOV in the project layer).
    ("Kim Yong-hyun", date(2024, 10, 14), "KOR", "GOV", "in-office"),
    ("Kim Yong-hyun", date(2025, 6, 1), "KOR", "ELI", "after-office-is-elite"),
    ("Kim Yong-hyun", date(2019, 1, 1), "KOR", None, "before-office-no-sector"),
    ("former defence minister Kim Yong-hyun", date(2024, 10, 14), "KOR", "ELI", "former-in-text"),
    ("Volodymyr Zelensky", date(2019, 5, 19), "UKR", None, "day-before-inauguration"),
    ("Volodymyr Zelensky", date(2019, 5, 20), "UKR", "GOV", "inauguration-day"),
    ("Barack Obama", date(2016, 1, 1), "USA", "GOV", "obama-in-office"),
    ("Barack Obama", date(2024, 1, 1), "USA", "ELI", "obama-after-office"),
    ("Jens Stoltenberg", date(2020, 1, 1), "IGO", "IGO", "nato-head"),
    ("Jens Stoltenberg", date(2025, 6, 1), "NOR", "GOV", "later-national-office"),
    ("Mark Rutte", date(2023, 1, 1), "NLD", "GOV", "rutte-prime-minister"),
    ("Mark Rutte", date(2024, 10, 14), "IGO", "IGO", "rutte-nato"),
    ("the Taliban", date(2019, 1, 1), "AFG", "REB", "taliban-before-kabul"),
    ("the Taliban", date(2022, 1, 1), "AFG", "GOV", "taliban-after-kabul"),
    ("the Rapid Support Forces", date(2020, 1, 1), "SDN", "MIL", "rsf-state-force"),
    ("Vladimir Putin", None, "RUS", "GOV", "no-date-latest-office"),
    # The office the text names wins over the dates: CAMEO codes an IGO's officials IGO.
    ("NATO Secretary General Jens Stoltenberg", None, "IGO", "IGO", "igo-office-named-undated"),
    ("NATO Secretary General Jens Stoltenberg", date(2025, 6, 1), "IGO", "IGO", "igo-office-named-after-it"),
    ("European Council president Donald Tusk", None, "IGO", "IGO", "igo-office-over-a-later-national-one"),
    ("Polish Prime Minister Donald Tusk", None, "POL", "GOV", "a-state-named-keeps-the-state"),
]


@pytest.mark.parametrize(
    ("phrase", "on", "country", "sector"), [o[:4] for o in OFFICE_DATES], ids=[o[4] for o in OFFICE_DATES]
)
def test_office_dates(
    resolver: ActorResolver, nlp, phrase: str, on: date | None, country: str, sector: str | None
) -> None:
    actor = resolver.resolve(nlp(phrase)[:], on)
    assert actor is not None
    assert (actor.country, actor.sector) == (country, sector), actor.entry
    assert resolver.resolve_text(phrase, on) == actor


def test_title_in_text_describes_a_person_out_of_office(resolver: ActorResolver, nlp) -> None:
    actor = resolver.resolve(nlp("Defence Minister Kim Yong-hyun")[:], date(2025, 6, 1))
    assert actor is not None and (actor.country, actor.sector, actor.kind) == ("KOR", "GOV", "person")


def test_select_code_rules() -> None:
    entry = ActorEntry(
        names=("x",),
        codes=(DatedCode("AAAGOV", date(2010, 1, 1), date(2012, 1, 1)), DatedCode("AAAELI")),
        kind="person",
        group="g",
        source="s",
    )
    assert select_code(entry, date(2011, 1, 1)) == (entry.codes[0], "current")
    assert select_code(entry, date(2013, 1, 1)) == (entry.codes[1], "undated")
    assert select_code(entry, None) == (entry.codes[0], "latest")
    no_actor = ActorEntry(("y",), (DatedCode("---"),), "person", "g", "s")
    assert select_code(no_actor, None) == (None, "none")


def test_stems_extend_by_endings_only() -> None:
    india = ActorEntry(("india*",), (DatedCode("IND"),), "country", "g", "s")
    reference = build_reference("2026.01.01", [india], [AgentEntry(("troops",), "~MIL", "g", "s")])
    resolver = ActorResolver(reference)
    assert resolver.resolve_text("Indians", ON) is not None
    assert resolver.resolve_text("Indian troops", ON) == Actor(
        "Indian troops", "IND", "MIL", "country", "india* [IND] (s) + troops [~MIL] (s)", None
    )
    assert resolver.resolve_text("Indiana", ON) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_resolve_text_never_crashes(resolver: ActorResolver, text: str) -> None:
    actor = resolver.resolve_text(text, ON)
    assert actor is None or isinstance(actor, Actor)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Russian", "the", "Kremlin", "'s", "spokesman", "-", ",", "of", "Kim", "Jong", "Un", "police", "U.S.", "who", "WHO", "Hamas", "in", "Kyiv", "former"]), max_size=8))  # fmt: skip
def test_resolve_text_never_crashes_on_dictionary_words(resolver: ActorResolver, words: list[str]) -> None:
    actor = resolver.resolve_text(" ".join(words), None)
    assert actor is None or actor.country is not None or actor.sector is not None


def test_resolution_is_fast(resolver: ActorResolver, nlp) -> None:
    """Microseconds, not milliseconds, per phrase (best of five rounds, so that a busy machine
    does not fail it)."""
    spans = [nlp(g[0])[:] for g in GOLDEN]
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for span in spans:
            resolver.resolve(span, ON)
        rounds.append((time.perf_counter() - start) / len(spans))
    assert min(rounds) < 300e-6, f"{min(rounds) * 1e6:.0f} µs per span"
