"""Parsing the action lexicon (transforms/lexicon.py) and the repository's lexicon files."""

from __future__ import annotations

import pytest

from transforms.lexicon import LexiconError, inflections, parse_lexicon

HEADER_VERBS = "lemma\tparticle\tcameo\tplover\tmode\tgroup\tforms\n"
HEADER_PATTERNS = "lemma\tparticle\tsubject\tobject\tprep\tprep_object\tcameo\tplover\tmode\tgroup\n"


def small_lexicon():
    return parse_lexicon(
        {
            "cameo_sets.tsv": "set\tmember\nWEAPON\tmissile\nWEAPON\tmachine gun\n",
            "cameo_verbs.tsv": HEADER_VERBS + "attack\t\t190\t\t\tcameo:X\t\nsend\t\t---\t\t\tcameo:SEND\tsent\n",
            "project_verbs.tsv": HEADER_VERBS + "visit\t\t042\t\t\tproject:consult\t\n",
            "cameo_patterns.tsv": HEADER_PATTERNS + "send\t\t\t&WEAPON\t\t\t072\t\t\tcameo:SEND\n",
            "nouns.tsv": "noun\tmodifiers\tcameo\tplover\tmode\ttarget_preps\tgroup\ntalks\t\t040\t\t\twith\tproject:n\n",
            "light_verbs.tsv": "lemma\tparticle\tgroup\nhold\t\tproject:l\ncarry\tout\tproject:l\n",
            "frames.tsv": "lemma\tparticle\tkind\tgroup\nsay\t\tattribution\tproject:a\ncall\tfor\trequest\tproject:r\n",
        },
        version="2026.01.01",
    )


def test_codes_map_to_plover_types_and_modes() -> None:
    lexicon = small_lexicon()
    assert lexicon.verb("attack").action.plover == "ASSAULT"
    visit = lexicon.verb("visit").action
    assert (visit.plover, visit.mode, visit.cameo) == ("CONSULT", "visit", "042")
    assert not lexicon.verb("send").action.is_event


def test_sets_expand_inside_patterns() -> None:
    (pattern,) = small_lexicon().patterns["send"]
    assert [str(p) for p in pattern.obj] == ["missile", "machine gun"]
    assert pattern.action.plover == "AID"


def test_frames_with_particles_are_told_apart() -> None:
    lexicon = small_lexicon()
    assert lexicon.frame("call", "for").kind == "request"
    assert lexicon.frame("call") is None
    assert lexicon.frame("say").kind == "attribution"


def test_the_prefilter_knows_inflected_and_irregular_forms() -> None:
    lexicon = small_lexicon()
    assert lexicon.could_hold_event(["troops", "attacked", "the", "town"])
    assert lexicon.could_hold_event(["they", "sent", "missiles"])
    assert lexicon.could_hold_event(["the", "talks", "ended"])
    assert not lexicon.could_hold_event(["the", "weather", "was", "fine"])


@pytest.mark.parametrize(
    ("lemma", "form"),
    [("attack", "attacked"), ("visit", "visiting"), ("ally", "allied"), ("strike", "strikes"), ("ban", "banned")],
    ids=["ed", "ing", "y-ied", "s", "doubling"],
)
def test_inflections(lemma: str, form: str) -> None:
    assert form in inflections(lemma)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"cameo_verbs.tsv": "lemma\tparticle\tcameo\tgroup\nattack\t\t19x\tcameo:X\n"}, "malformed CAMEO code"),
        (
            {"cameo_verbs.tsv": "lemma\tparticle\tcameo\tplover\tgroup\nattack\t\t190\tFIGHT\tcameo:X\n"},
            "unknown PLOVER type",
        ),
        ({"cameo_verbs.tsv": "lemma\tcameo\tgroup\n"}, "header lacks columns"),
        ({"frames.tsv": "lemma\tparticle\tkind\tgroup\nsay\t\tchat\tproject:a\n"}, "unknown frame kind"),
        ({"cameo_patterns.tsv": HEADER_PATTERNS + "send\t\t\t&NOPE\t\t\t072\t\t\tcameo:SEND\n"}, "unknown synonym set"),
        ({"cameo_patterns.tsv": HEADER_PATTERNS + "send\t\t\t\t\t\t072\t\t\tcameo:SEND\n"}, "must constrain"),
    ],
    ids=["bad-code", "bad-plover", "bad-header", "bad-frame", "bad-set", "empty-pattern"],
)
def test_malformed_files_name_the_file_and_line(files: dict[str, str], message: str) -> None:
    with pytest.raises(LexiconError) as raised:
        parse_lexicon(files, version="x")
    assert message in str(raised.value)
    assert raised.value.file in files


def test_the_repository_lexicon_loads_with_its_provenance() -> None:
    from flows.io.nlp import load_lexicon

    lexicon = load_lexicon()
    assert lexicon.version
    assert len(lexicon.verbs) > 1500 and len(lexicon.nouns) > 80
    assert lexicon.verb("visit").group.startswith("project:")
    assert all(entry.group.split(":")[0] in ("cameo", "project") for entry in lexicon.verbs.values())
    assert lexicon.frame("threaten").kind == "threaten"


def test_a_wildcard_head_may_carry_modifiers() -> None:
    lexicon = parse_lexicon(
        {"project_patterns.tsv": HEADER_PATTERNS + "let\t\t\tfree *\t\t\t0841\t\t\tproject:release\n"}, version="x"
    )
    (pattern,) = lexicon.patterns["let"]
    (phrase,) = pattern.obj
    assert (phrase.head, phrase.modifiers) == ("*", ("free",))
    assert pattern.action.plover == "RETREAT"


@pytest.mark.parametrize(
    ("group", "cameo_prefix"),
    [
        ("project:aid-cut", "162"),
        ("project:talks-breakdown", "16"),
        ("project:emergency", "172"),
        ("project:ban-lift", "08"),
        ("project:peacekeeping", "074"),
        ("project:release", "0841"),
        ("project:aid-delivery", "07"),
    ],
    ids=["aid-cut", "talks-breakdown", "emergency", "ban-lift", "peacekeeping", "release", "aid-delivery"],
)
def test_the_coverage_groups_keep_to_their_cameo_codes(group: str, cameo_prefix: str) -> None:
    from flows.io.nlp import load_lexicon

    lexicon = load_lexicon()
    patterns = [p for bucket in lexicon.patterns.values() for p in bucket if p.group == group]
    assert patterns, f"no pattern in {group}"
    assert all((p.action.cameo or "").startswith(cameo_prefix) for p in patterns)
    assert lexicon.frame("fail").kind == "failure"
