"""Placing actors and targets the rules left without a country (transforms/coder/placing.py).

Every sentence is written for these tests; each case names the convention it pins down (the
CAMEO/PLOVER conventions stated in the eval README): the event's object, a place in the
target's phrase, the event's place, generic people or things a state acts on at home, and what
is not placed (speech about a thing, things struck with no place given, another state named).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl
import pytest

from schemas.events import Events
from transforms.coder import ArticleText, Coder
from transforms.validate import polars_schema, split_valid

PUBLISHED = dt.date(2024, 10, 16)


@pytest.fixture(scope="module")
def coder() -> Coder:
    from flows.io.nlp import load_coder

    return load_coder()


def code(coder: Coder, text: str) -> list[dict[str, Any]]:
    return coder.code_article(ArticleText("t", text, PUBLISHED))


PLACED = [
    pytest.param(
        "Police detained dozens of demonstrators in Yerevan.", ("ARM", "COERCE", "ARM"), None, id="people-in-a-city"
    ),
    pytest.param(
        "Iraqi troops captured the mosque in Mosul.", ("IRQ", "COERCE", "IRQ"), "event-place", id="event-place"
    ),
    pytest.param(
        "Turkish jets bombed PKK positions stationed in northern Iraq.",
        ("TUR", "ASSAULT", "IRQ"),
        None,
        id="a-group-takes-the-country-it-is-placed-in",
    ),
    pytest.param("Libya freed 37 prisoners on Tuesday.", ("LBY", "RETREAT", "LBY"), "at-home", id="people-at-home"),
    pytest.param(
        "Saudi Arabia eased restrictions on foreign workers.",
        ("SAU", "CONCEDE", "SAU"),
        "at-home",
        id="conceded-at-home",
    ),
    pytest.param(
        "The German government suspended its aid to Haiti.", ("DEU", "SANCTION", "HTI"), None, id="directed-object"
    ),
    pytest.param(
        "The Foreign Office in Islamabad condemned the attack on Indian soldiers.",
        ("PAK", "ACCUSE", "IND"),
        None,
        id="an-institution-named-by-its-kind-takes-its-place",
    ),
    pytest.param(
        "The US embassy in Moscow condemned the arrest of an American journalist.",
        ("USA", "ACCUSE", "USA"),
        None,
        id="an-institution-named-with-its-state-keeps-it",
    ),
    pytest.param(
        "Insurgents ambushed a military convoy in Afghanistan.",
        ("AFG", "ASSAULT", "AFG"),
        None,
        id="generic-actor-by-place",
    ),
    pytest.param(
        "Norway has lifted the sanctions imposed on Belarus.",
        ("NOR", "RETREAT", "BLR"),
        "object",
        id="a-thing-owned-by-a-third-state",
    ),
    pytest.param(
        "Canada sent relief supplies and experts such as engineers to Peru.",
        ("CAN", "AID", "PER"),
        "object",
        id="directed-below-the-objects-make-up",
    ),
    pytest.param(
        "The minister authorized the release of $40 million in assistance to Jordan.",
        ("CONCEDE", "JOR"),
        "object",
        id="directed-below-an-amount",
    ),
    pytest.param(
        "Sweden sent 200 troops to the UN mission in Lebanon.",
        ("SWE", "AID", "LBN"),
        "place-in-phrase",
        id="an-international-mission-is-directed-at-its-country",
    ),
    pytest.param(
        "Kenya's foreign minister welcomed the visit by the Ugandan defence minister.",
        ("KEN", "CONSULT", "UGA"),
        "clause-state",
        id="the-one-other-state-of-the-acts-clause",
    ),
    pytest.param(
        "The European Union welcomed the visit by the Ugandan president.",
        ("IGO", "CONSULT", "UGA"),
        "clause-state",
        id="an-international-bodys-act-on-the-state-its-clause-names",
    ),
    pytest.param(
        "The Japanese government has earmarked $3 million in emergency aid to help Nepal recover from the floods.",
        ("JPN", "AID", "NPL"),
        "clause-state",
        id="the-other-state-of-the-acts-purpose",
    ),
    pytest.param(
        "Kenya's foreign minister welcomed the visit by the Ugandan defence minister, saying Tanzania would join.",
        ("KEN", "CONSULT", "UGA"),
        "clause-state",
        id="a-state-in-a-scene-setting-clause-does-not-count",
    ),
    pytest.param(
        "Iraqi jets bombed Isis fighters hiding in Mosul.",
        ("IRQ", "ASSAULT", "IRQ"),
        "place-in-phrase",
        id="a-militant-group-takes-the-place-it-is-doing-something-in",
    ),
    pytest.param(
        "Chinese regulators have launched an investigation into Alibaba Group.",
        ("CHN", "ACCUSE", "CHN"),
        "sentence-state",
        id="a-name-the-dictionaries-lack-in-a-one-state-sentence",
    ),
    pytest.param(
        "Colombian rebels said they will free two policemen they hold.",
        ("COL", "AGREE", "COL"),
        "sentence-state",
        id="what-is-promised-at-home",
    ),
    pytest.param(
        "Libya freed 37 prisoners on Tuesday, officials said.",
        ("LBY", "RETREAT", "LBY"),
        "at-home",
        id="people-at-home-in-a-reported-act",
    ),
    pytest.param(
        "US forces shot down a drone launched by the Houthis.",
        ("USA", "ASSAULT", "YEM"),
        "object",
        id="a-weapon-struck-is-its-launchers",
    ),
    pytest.param(
        "The Sudanese government imposed blockades in parts of west Darfur.",
        ("SDN", "COERCE", "SDN"),
        "event-place",
        id="an-act-done-to-no-one-named-is-done-to-its-place",
    ),
]


@pytest.mark.parametrize(("sentence", "triple", "via"), PLACED)
def test_the_sentence_places_the_row(coder: Coder, sentence: str, triple: tuple[str, ...], via: str | None) -> None:
    rows = code(coder, sentence)
    found = {(r["actor_country"], r["action"], r["target_country"])[-len(triple) :]: r for r in rows}
    assert triple in found, [(r["actor_country"], r["action"], r["target_country"]) for r in rows]
    if via is not None:
        assert json.loads(found[triple]["explanation"])["target"]["via"] == via


NOT_PLACED = [
    pytest.param("Mexico condemned the attack.", "ACCUSE", id="speech-about-a-thing"),
    pytest.param(
        "Turkish drones hit a fuel depot on Monday.", "ASSAULT", id="a-thing-struck-with-no-place-may-be-abroad"
    ),
    pytest.param("Germany is ready to accept more refugees.", "AGREE", id="an-intent-places-no-one"),
    pytest.param("Kenya freed 30 prisoners held for protesting against Uganda.", "RETREAT", id="another-state-named"),
    pytest.param("Tehran accused the West of trying to destabilise Iraq.", "ACCUSE", id="what-an-accusation-is-about"),
    pytest.param(
        "Chad allowed aid convoys to enter and renewed a truce with rebels at talks in Libya.",
        "CONCEDE",
        id="a-state-in-a-coordinated-act-is-that-acts",
    ),
    pytest.param("Police detained soldiers returning from Iraq.", "COERCE", id="where-people-come-from-is-not-theirs"),
    pytest.param(
        "Kenya outlawed the Mungiki sect and Uganda followed.",
        "COERCE",
        id="a-second-state-named-is-no-one-state-story",
    ),
    pytest.param("The French government criticised Muslim leaders.", "ACCUSE", id="people-named-as-anothers"),
    pytest.param("Russia expelled two diplomats.", "SANCTION", id="envoys-are-another-states"),
    pytest.param(
        "Pakistan summoned the ambassador over the attacks.", "ACCUSE", id="an-ambassador-is-no-one-state-story"
    ),
]


@pytest.mark.parametrize(("sentence", "action"), NOT_PLACED)
def test_a_target_the_sentence_does_not_place_keeps_no_country(coder: Coder, sentence: str, action: str) -> None:
    rows = [r for r in code(coder, sentence) if r["action"] == action]
    assert rows, code(coder, sentence)
    assert all(r["target_country"] is None for r in rows), [(r["target"], r["target_country"]) for r in rows]


def test_the_acts_own_noun_gives_way_to_the_place_it_names(coder: Coder) -> None:
    (row,) = code(coder, "Kenyan students staged a protest in Nairobi.")
    assert (row["action"], row["target"], row["target_country"]) == ("PROTEST", "Nairobi", "KEN")
    (row,) = code(coder, "France said it would host an international conference in support of Lebanon.")
    assert (row["target"], row["target_country"]) == ("Lebanon", "LBN")


def test_a_militant_group_takes_the_country_the_sentence_places_it_in(coder: Coder) -> None:
    """A group coded by no state (IMG) is, as an actor, where the sentence places its act."""
    rows = code(coder, "Islamic State fighters surrendered the town in Syria to Kurdish forces.")
    assert [r["actor_country"] for r in rows if r["action"] == "CONCEDE"] == ["SYR"], rows


def test_a_topic_is_not_where_a_thing_goes(coder: Coder) -> None:
    """A state deep in a topic ("concerns about Chinese support for Russia's army") is what the
    concern is about, not whom the act is directed at."""
    rows = code(coder, "Biden raised concerns about Chinese support for Russia's army.")
    assert rows
    assert all(r["target_country"] != "RUS" for r in rows), [(r["target"], r["target_country"]) for r in rows]


def test_a_placed_same_country_row_passes_the_event_checks(coder: Coder) -> None:
    """A domestic row placed at home names both sides in the text, so the event table's
    same-country check lets it through."""
    rows = code(coder, "Libya freed 37 prisoners on Tuesday.")
    assert [(r["actor_country"], r["target_country"]) for r in rows] == [("LBY", "LBY")]
    frame = pl.DataFrame(
        [dict(r, source_url=None, source_name=None, published_at=None) for r in rows], schema=polars_schema(Events)
    )
    split = split_valid(frame, Events, stage="validate", item_column="event_id", now=dt.datetime.now(dt.UTC))
    assert split.quarantined.height == 0, split.quarantined["detail"].to_list()


ACTORS_PLACED = [
    pytest.param(
        "Federal police arrested a Nigerian businessman.",
        ("NGA", "COERCE", "NGA"),
        "sentence-state",
        id="an-actor-without-a-country-acts-at-home",
    ),
    pytest.param(
        "Masked gunmen killed three Pakistani soldiers near the border.",
        ("PAK", "ASSAULT", "PAK"),
        "sentence-state",
        id="gunmen-acting-on-the-one-state-named",
    ),
    pytest.param(
        "Tsvangirai Mukwazhi defended Zimbabwe's new land law.",
        ("ZWE", "SUPPORT", "ZWE"),
        "at-home",
        id="an-unresolved-name-acting-on-the-one-state-named",
    ),
    pytest.param(
        "Colombian guerrillas threatened to attack the bases of government forces.",
        ("COL", "THREATEN", "COL"),
        None,
        id="an-institution-named-by-its-kind-in-a-one-state-sentence",
    ),
    pytest.param(
        "Iraqi jets bombed Isis fighters on Monday.",
        ("IRQ", "ASSAULT", "IRQ"),
        None,
        id="a-militant-group-in-a-one-state-sentence",
    ),
    pytest.param(
        "The UN said police had arrested 40 Malian protesters.",
        ("MLI", "COERCE", "MLI"),
        "sentence-state",
        id="an-international-body-named-is-no-other-state",
    ),
    pytest.param(
        "Students staged a protest against the Bolivian president.",
        ("BOL", "PROTEST", "BOL"),
        "sentence-state",
        id="people-named-by-their-kind-in-a-one-state-sentence",
    ),
]


INTERNATIONAL_FORCES = [
    pytest.param("Peacekeepers were deployed to Darfur.", "IGO", id="peacekeepers-are-no-host-states"),
    pytest.param(
        "West African peacekeeping troops arrived in Monrovia on Monday.", "IGO", id="a-regional-peacekeeping-force"
    ),
    pytest.param("Nigerian peacekeepers arrived in Monrovia on Monday.", "NGA", id="a-state-named-keeps-its-force"),
]


@pytest.mark.parametrize(("sentence", "country"), INTERNATIONAL_FORCES)
def test_a_peacekeeping_force_no_state_is_named_for_is_an_igos(coder: Coder, sentence: str, country: str) -> None:
    rows = code(coder, sentence)
    assert rows and all(r["actor_country"] == country for r in rows), [(r["actor"], r["actor_country"]) for r in rows]


@pytest.mark.parametrize(("sentence", "triple", "via"), ACTORS_PLACED)
def test_an_actor_the_words_leave_without_a_country_takes_the_one_state_named(
    coder: Coder, sentence: str, triple: tuple[str, ...], via: str | None
) -> None:
    rows = code(coder, sentence)
    found = {(r["actor_country"], r["action"], r["target_country"]): r for r in rows}
    assert triple in found, [(r["actor_country"], r["action"], r["target_country"]) for r in rows]
    if via is not None:
        assert json.loads(found[triple]["explanation"])["actor"]["via"] == via


ACTORS_NOT_PLACED = [
    pytest.param(
        "Federal police arrested a Nigerian businessman and a Ghanaian trader.",
        "COERCE",
        id="another-state-named",
    ),
    pytest.param("Refugees protested against Turkish border guards.", None, id="refugees-are-no-states"),
    pytest.param("Police arrested dozens of people.", "COERCE", id="no-state-named"),
    pytest.param("Drones struck a Ukrainian power plant.", "ASSAULT", id="a-weapon-is-no-states"),
    pytest.param(
        "On Monday, Western diplomats criticised the Iranian government.", "ACCUSE", id="a-region-named-by-adjective"
    ),
    pytest.param(
        "Students protested on Monday after the renovation carried out by Chinese companies collapsed.",
        "PROTEST",
        id="a-state-in-a-background-clause",
    ),
]


def test_an_actor_placed_by_the_sentence_never_costs_the_row_its_target(coder: Coder) -> None:
    """An actor given the one state named keeps a target of that state only where both are
    named; where the target came from the article, the actor goes without the state instead."""
    rows = code(
        coder,
        "Defence Minister Yoav Gallant met Egyptian envoys on Tuesday. "
        "Campaigners urged the defence minister to free Israeli hostages.",
    )
    requests = [(r["actor_country"], r["target"], r["target_country"]) for r in rows if r["action"] == "REQUEST"]
    assert requests == [(None, "the defence minister", "ISR")], requests


@pytest.mark.parametrize(("sentence", "action"), ACTORS_NOT_PLACED)
def test_an_actor_in_a_sentence_of_several_states_or_none_keeps_no_country(
    coder: Coder, sentence: str, action: str | None
) -> None:
    rows = [r for r in code(coder, sentence) if action is None or r["action"] == action]
    if action is not None:
        assert rows, code(coder, sentence)
    assert all(r["actor_country"] is None for r in rows), [(r["actor"], r["actor_country"]) for r in rows]
