"""The event coder on kinds of news it used to miss: aid handed over, captives released, aid
suspended, bans lifted, peacekeepers deployed, talks that failed or were halted, emergency rule,
strikes, cyber-attacks, ceasefire violations and joint war games.

Every sentence is written for these tests (none comes from the evaluation sets or the sample
pages); each case names the vocabulary group or the mechanism it pins down, and checks the
CAMEO code the row carries, which is the one `CAMEO.2.0.txt` gives for that phrase.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from transforms.coder import ArticleText, Coder

PUBLISHED = dt.date(2026, 11, 18)


@pytest.fixture(scope="module")
def coder() -> Coder:
    from flows.io.nlp import load_coder

    return load_coder()


def code(coder: Coder, text: str) -> list[dict[str, Any]]:
    return coder.code_article(ArticleText("t", text, PUBLISHED))


def coded(rows: list[dict[str, Any]]) -> set[tuple[str | None, str, str | None, str | None]]:
    return {(r["actor_country"], r["action"], r["target_country"], r["cameo_code"]) for r in rows}


CASES = [
    (
        "aid-delivery-hand-over-goods",
        "Japan handed over tents and medical equipment to the Nepalese government.",
        {("JPN", "AID", "NPL", "073")},
    ),
    (
        "aid-delivery-make-available",
        "Canada has made available blankets, tents and water pumps to Haiti.",
        {("CAN", "AID", "HTI", "070")},
    ),
    ("aid-delivery-airlift", "Norway airlifted food and medicine to Sudan.", {("NOR", "AID", "SDN", "073")}),
    (
        "release-hand-over-detainees",
        "Ghana handed over 12 detainees to Togo.",
        {("GHA", "RETREAT", "TGO", "0841")},
    ),
    ("release-let-free", "Kenya let free 30 opposition activists.", {("KEN", "RETREAT", "KEN", "0841")}),
    (
        "release-from-captivity",
        "Mali released the two aid workers from captivity on Sunday.",
        {("MLI", "RETREAT", "MLI", "0841")},
    ),
    (
        "aid-cut-military",
        "The United States suspended military aid to Egypt.",
        {("USA", "SANCTION", "EGY", "1622")},
    ),
    ("aid-cut-humanitarian", "Britain cut humanitarian aid to Yemen.", {("GBR", "SANCTION", "YEM", "1623")}),
    ("aid-cut-any-aid", "Germany halted aid to Mali after the coup.", {("DEU", "SANCTION", "MLI", "162")}),
    (
        "aid-cut-noun-with-of-phrase",
        "The EU announced a suspension of aid to Niger.",
        {("IGO", "SANCTION", "NER", "162")},
    ),
    ("ban-lift-travel-ban", "Turkey lifted the travel ban on Iraq.", {("TUR", "CONCEDE", "IRQ", "081")}),
    ("ban-lift-repeal-boycott", "Qatar repealed its boycott of Egypt.", {("QAT", "RETREAT", "EGY", "085")}),
    ("ban-lift-curfew", "Chile lifted the curfew in Santiago.", {("CHL", "CONCEDE", "CHL", "0813")}),
    ("peacekeeping-deploy", "Nepal deployed peacekeepers to Lebanon.", {("NPL", "AID", "LBN", "074")}),
    (
        "peacekeeping-arrive-is-no-visit",
        "Indian peacekeepers arrived in Juba on Tuesday.",
        {("IND", "AID", "SSD", "074")},
    ),
    (
        "passive-deployment-of-a-countrys-troops",
        "About 300 Ghanaian soldiers were deployed to Mali.",
        {("GHA", "AID", "MLI", "072")},
    ),
    (
        "failure-to-reach-agreement-is-a-rejection",
        "Serbia and Kosovo failed to reach agreement on the border.",
        {("SRB", "REJECT", None, "120"), ("KSV", "REJECT", None, "120")},
    ),
    ("failure-of-another-act-is-no-event", "The army failed to stop the attack.", set()),
    (
        "talks-breakdown-mediation-ended",
        "Norway ended its mediation between Colombia and the rebels.",
        {("NOR", "SANCTION", "COL", "165")},
    ),
    (
        "talks-breakdown-talks-suspended",
        "Iran suspended talks with the IAEA.",
        {("IRN", "SANCTION", "IGO", "164")},
    ),
    ("emergency-state-of-siege", "Bolivia declared a state of siege in the east.", {("BOL", "COERCE", "BOL", "1724")}),
    ("emergency-martial-law", "Thailand imposed martial law in the south.", {("THA", "COERCE", "THA", "1724")}),
    ("emergency-curfew-extended", "Ecuador extended the curfew in Quito.", {("ECU", "COERCE", "ECU", "1723")}),
    (
        "strike-being-on-hunger-strike",
        "Palestinian prisoners have been on hunger strike for weeks.",
        {("PSE", "PROTEST", None, "143")},
    ),
    (
        "partitive-group-of-strikers",
        "A group of Kenyan teachers went on strike on Monday.",
        {("KEN", "PROTEST", None, "143")},
    ),
    (
        "partitive-subject-in-a-pattern",
        "Thousands of demonstrators blocked roads in Dhaka on Monday.",
        {("BGD", "PROTEST", "BGD", "144")},
    ),
    (
        "hyphenated-cyber-attacks-pass-the-prefilter",
        "Russian hackers launched cyber-attacks on Estonian banks.",
        {("RUS", "ASSAULT", "EST", "190")},
    ),
    (
        "guilty-of-violating-the-ceasefire",
        "The Sudanese army is guilty of violating the ceasefire.",
        {("SDN", "ASSAULT", None, "196")},
    ),
    ("found-guilty-is-no-act-of-the-court", "A court found the general guilty of torturing prisoners.", set()),
    (
        "joint-naval-exercises",
        "India and Japan held joint naval exercises in the Bay of Bengal.",
        {("IND", "COOPERATE", "JPN", "062"), ("JPN", "COOPERATE", "IND", "062")},
    ),
    (
        "war-games",
        "The armies of Peru and Chile staged war games near the border.",
        {("PER", "COOPERATE", "CHL", "062"), ("CHL", "COOPERATE", "PER", "062")},
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_coverage_phrasings(coder: Coder, sentence: str, expected: set[tuple[str, str, str, str]]) -> None:
    assert coded(code(coder, sentence)) == expected


def test_a_failed_agreement_is_reported_when_said(coder: Coder) -> None:
    (row,) = code(coder, "The mediator said Sudan had failed to reach a deal with the rebels.")
    assert (row["actor_country"], row["action"], row["claim_status"]) == ("SDN", "REJECT", "reported")
    assert json.loads(row["explanation"])["rule"] == "frame-failure"


def test_a_passive_deployment_names_no_target_of_the_force_itself(coder: Coder) -> None:
    (row,) = code(coder, "Russian troops were deployed on Monday.")
    assert (row["actor_country"], row["target"]) == ("RUS", None)
