"""Parsing the action lexicon (transforms/lexicon.py) and the repository's lexicon files."""

from __future__ import annotations

import pytest

from transforms.lexicon import DERIVED_WORD_SETS, LISTED_WORD_SETS, LexiconError, inflections, parse_lexicon

HEADER_VERBS = "lemma\tparticle\tcameo\tplover\tmode\tgroup\tforms\n"
HEADER_PATTERNS = "lemma\tparticle\tsubject\tobject\tprep\tprep_object\tcameo\tplover\tmode\tgroup\n"
HEADER_WORDS = "set\tword\tgroup\n"
EVERY_LISTED_SET = "".join(f"{name}\tword\tproject:test\n" for name in LISTED_WORD_SETS)
"""One word for every set word_sets.tsv must list, so that a test can add the row it is about."""


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


def test_a_later_line_of_the_same_verb_keeps_its_irregular_forms() -> None:
    verbs = HEADER_VERBS + "strike\t\t190\t\t\tcameo:X\tstruck\nstrike\tdown\t---\t\t\tcameo:X\t\n"
    lexicon = parse_lexicon({"cameo_verbs.tsv": verbs}, version="2026.01.01")
    assert lexicon.could_hold_event(["jets", "struck", "the", "town"])


def test_a_project_line_overriding_a_cameo_verb_keeps_its_irregular_forms() -> None:
    verbs = HEADER_VERBS + "take\t\t171\t\t\tcameo:X\ttook taken\n"
    project = HEADER_VERBS + "take\t\t---\t\t\tproject:X\t\n"
    lexicon = parse_lexicon({"cameo_verbs.tsv": verbs, "project_verbs.tsv": project}, version="2026.01.01")
    assert set(lexicon.verbs[("take", None)].forms) >= {"took", "taken"}


def test_a_request_frame_lets_a_sentence_through() -> None:
    assert small_lexicon().could_hold_event(["they", "called", "for", "calm"])


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
        ({"word_sets.tsv": HEADER_WORDS + "weapon_noun\tmissile\tproject:weapons\n"}, "unknown word set"),
        ({"word_sets.tsv": HEADER_WORDS + "warning_verbs\twarn\tproject:threat\n"}, "derived from the lexicon"),
        ({"word_sets.tsv": HEADER_WORDS + "weapon_nouns\tcruise missile\tproject:weapons\n"}, "one word per line"),
        ({"word_sets.tsv": HEADER_WORDS + "weapon_nouns\tmissile\t\n"}, "no group"),
        (
            {"word_sets.tsv": HEADER_WORDS + "weapon_nouns\tshell\tproject:w\nweapon_nouns\tshell\tproject:w\n"},
            "listed twice",
        ),
        ({"word_sets.tsv": "set\tword\nweapon_nouns\tmissile\n"}, "header lacks columns"),
    ],
    ids=[
        "bad-code",
        "bad-plover",
        "bad-header",
        "bad-frame",
        "bad-set",
        "empty-pattern",
        "unknown-word-set",
        "derived-word-set",
        "two-words",
        "no-group",
        "word-twice",
        "word-sets-header",
    ],
)
def test_malformed_files_name_the_file_and_line(files: dict[str, str], message: str) -> None:
    with pytest.raises(LexiconError) as raised:
        parse_lexicon(files, version="x")
    assert message in str(raised.value)
    assert raised.value.file in files


def test_a_malformed_word_set_row_names_its_line() -> None:
    text = (
        HEADER_WORDS
        + EVERY_LISTED_SET
        + "# a comment\nmutual_verbs\tmeet\tproject:mutual\nmutual_verb\tmeet\tproject:mutual\n"
    )
    with pytest.raises(LexiconError) as raised:
        parse_lexicon({"word_sets.tsv": text}, version="x")
    assert (raised.value.file, raised.value.line) == ("word_sets.tsv", len(LISTED_WORD_SETS) + 4)


def test_every_listed_word_set_needs_a_word() -> None:
    text = HEADER_WORDS + "".join(line + "\n" for line in EVERY_LISTED_SET.splitlines() if "weapon_nouns" not in line)
    with pytest.raises(LexiconError, match="weapon_nouns"):
        parse_lexicon({"word_sets.tsv": text}, version="x")


def test_word_sets_are_read_and_derived_from_the_lexicon() -> None:
    lexicon = parse_lexicon(
        {
            "project_sets.tsv": "set\tmember\nCLAIMS\tallegation\n",
            "project_verbs.tsv": HEADER_VERBS + "warn\t\t130\t\t\tproject:threat\t\n",
            "project_patterns.tsv": HEADER_PATTERNS + "face\t\t\tconsequence\t\t\t130\t\t\tproject:threat\n",
            "frames.tsv": "lemma\tparticle\tkind\tgroup\npledge\t\tintent\tproject:commitment\nplan\t\tintent\tproject:intent\n",
            "word_sets.tsv": HEADER_WORDS + EVERY_LISTED_SET + "claim_nouns\tremark\tproject:claims\n",
        },
        version="x",
    )
    words = lexicon.words
    assert words.mutual_verbs == {"word"}
    assert words.claim_nouns == {"word", "remark", "allegation"}
    assert (words.commitment_frames, words.warning_verbs, words.consequence_verbs) == ({"pledge"}, {"warn"}, {"face"})


def test_without_word_sets_every_set_is_empty() -> None:
    words = small_lexicon().words
    assert not any(getattr(words, name) for name in (*LISTED_WORD_SETS, *DERIVED_WORD_SETS))


def test_the_loader_names_the_file_and_line_of_a_bad_word_set_row(tmp_path) -> None:
    import shutil

    from flows.io.nlp import load_lexicon
    from flows.settings import DEFAULT_LEXICON_DIR

    folder = tmp_path / "verbs"
    shutil.copytree(DEFAULT_LEXICON_DIR, folder)
    path = folder / "word_sets.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("weapon_nouns\t"))
    lines[row] = "weapon_nouns\tmissile\tproject:weapons\textra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LexiconError) as raised:
        load_lexicon(folder)
    assert (raised.value.file, raised.value.line) == (str(path), row + 1)
    path.unlink()
    with pytest.raises(LexiconError, match="file is missing"):
        load_lexicon(folder)


def test_the_repository_lexicon_loads_with_its_provenance() -> None:
    from flows.io.nlp import load_lexicon

    lexicon = load_lexicon()
    assert lexicon.version
    assert len(lexicon.verbs) > 1500 and len(lexicon.nouns) > 80
    assert lexicon.verb("visit").group.startswith("project:")
    assert all(entry.group.split(":")[0] in ("cameo", "project") for entry in lexicon.verbs.values())
    assert lexicon.frame("threaten").kind == "threaten"
    words = lexicon.words
    assert {"agree", "pledge", "ready"} <= words.commitment_frames and "want" not in words.commitment_frames
    assert words.warning_verbs == {"warn", "caution"} and words.consequence_verbs == {"face", "pay"}
    assert {"claim", "statement"} <= words.claim_nouns and "missile" in words.weapon_nouns


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


TINY_CAMEO = """\
&WEAPON
+MISSILE
####### VERB PATTERNS #######
--- ATTACK [190] ---
ATTACK
- * &WEAPON [195]
"""


def test_a_rebuild_of_the_cameo_files_keeps_every_hand_kept_file(tmp_path) -> None:
    import shutil

    from flows.settings import DEFAULT_LEXICON_DIR
    from tools import build_verbs

    source, out = tmp_path / "petrarch2", tmp_path / "verbs"
    source.mkdir()
    (source / "CAMEO.2.0.txt").write_text(TINY_CAMEO, encoding="utf-8")
    (source / "LICENSE").write_text("MIT\n", encoding="utf-8")
    shutil.copytree(DEFAULT_LEXICON_DIR, out)
    hand_kept = {p.name: p.read_bytes() for p in out.iterdir() if p.name not in build_verbs.GENERATED_FILES}
    assert {"word_sets.tsv", "frames.tsv", "project_verbs.tsv", "VERSION"} <= hand_kept.keys()

    build_verbs.convert(source, out)

    assert {p.name for p in out.iterdir()} == hand_kept.keys() | set(build_verbs.GENERATED_FILES)
    assert {name: (out / name).read_bytes() for name in hand_kept} == hand_kept
    assert "attack\t\t\t&WEAPON\t\t\t195\tcameo:ATTACK" in (out / "cameo_patterns.tsv").read_text(encoding="utf-8")
