"""The PETRARCH-2 converter (tools/build_actors.py) and the parsers in transforms/reference.py."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools import build_actors
from transforms.reference import (
    ActorEntry,
    AgentEntry,
    DatedCode,
    ReferenceDataError,
    build_reference,
    normalise_token,
    parse_actor_entries,
    parse_agent_entries,
    parse_code,
    parse_discard_entries,
    parse_version,
    tokenize_name,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
PETRARCH_DIR = REPO_ROOT.parent / "shared" / "reference" / "petrarch2"
ACTORS_DIR = REPO_ROOT / "data" / "reference" / "actors"

COUNTRY_SNIPPET = """\
# a comment line
RUSSIAN_FEDERATION_  [RUS]
+RUSSIAN
+MOSCOW_
+ADEN_ISLAMIC_ARMY_(AAIA)_

VLADIMIR_PUTIN_  # CountryInfo.txt
+PUTIN_
\t[RUSELI 700101-990809]
\t[RUSGOV 19991231-20080507]
\t[RUSGOV >080508]
\t[RUSELI]
KREMLIN_
\t[RUSGOV <20991231]
ORPHAN_WITHOUT_CODE_
BAD_DATES_
\t[RUSGOV 9008223-911221]
\t[RUSGOV >991331]
\t[RUSGOV 080101-070101]
BINYAMIN_"FUAD"_BEN_ELIEZER_ [ISRGOV]
SAMOA,_AMERICAN_ [ASM]
COTE_D\ufffdIVOIRE_ [CIV]
"""


def convert_countries(text: str) -> tuple[list[dict], build_actors.Report]:
    return build_actors.convert_actor_file("countries", "Countries.txt", text)


def by_first_name(records: list[dict]) -> dict[str, dict]:
    return {r["names"][0]: r for r in records}


def test_converter_reads_roots_synonyms_and_stems() -> None:
    records, _ = convert_countries(COUNTRY_SNIPPET)
    russia = by_first_name(records)["russian federation"]
    assert russia["names"] == ["russian federation", "russian*", "moscow", "aden islamic army"]
    assert russia["codes"] == [{"code": "RUS", "from": None, "to": None}]
    assert russia["kind"] == "country"
    assert russia["source"] == "Countries.txt:2"
    assert russia["group"] == "petrarch2/countries/country/RUS"


def test_converter_reads_dated_codes_in_both_date_formats() -> None:
    records, _ = convert_countries(COUNTRY_SNIPPET)
    putin = by_first_name(records)["vladimir putin"]
    assert putin["kind"] == "person"
    assert putin["names"] == ["vladimir putin", "putin"]
    assert putin["codes"] == [
        {"code": "RUSELI", "from": "1970-01-01", "to": "1999-08-09"},
        {"code": "RUSGOV", "from": "1999-12-31", "to": "2008-05-07"},
        {"code": "RUSGOV", "from": "2008-05-08", "to": None},
        {"code": "RUSELI", "from": None, "to": None},
    ]
    kremlin = by_first_name(records)["kremlin"]
    assert kremlin["codes"] == [{"code": "RUSGOV", "from": None, "to": "2099-12-31"}]
    assert kremlin["kind"] == "institution"


def test_converter_drops_ambiguous_one_word_names() -> None:
    snippet = (
        "HUSSEIN_  # CountryInfo.txt\n\t[JORGOV 520811-990207]\n"
        "SADDAM_HUSSEIN_  # CountryInfo.txt\n\t[IRQGOV 790716-030409]\n"
        "KARZAI_  # CountryInfo.txt\n\t[AFGGOV 011222-140929]\n"
        "ORGANIZATION [MEAREB]\n+ANGRY_BRIGADE_\n"
    )
    records, report = convert_countries(snippet)
    assert sorted(r["names"][0] for r in records) == ["angry brigade", "karzai", "saddam hussein"]
    assert report.skipped["one-word person name shared by people of several countries"] == 1
    assert report.skipped["name is a generic single word"] == 1


def test_converter_reports_what_it_skips_and_repairs() -> None:
    records, report = convert_countries(COUNTRY_SNIPPET)
    names = by_first_name(records)
    assert "orphan without code" not in names
    assert "bad dates" not in names
    assert report.skipped == Counter(
        {
            "code: malformed date": 1,
            "code: impossible date": 1,
            "code: date range ends before it starts": 1,
            "entry without a valid code": 2,
            "unexpected character '\ufffd' in name": 1,
            "entry without a usable name": 1,
        }
    )
    assert report.repaired["parenthetical removed from name"] == 1
    assert report.repaired["quoted nickname removed from name"] == 1
    assert names["binyamin ben eliezer"]["codes"][0]["code"] == "ISRGOV"
    assert names["samoa , american"]["codes"][0]["code"] == "ASM"
    assert report.entries == len(records) == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("080508", date(2008, 5, 8)),
        ("991231", date(1999, 12, 31)),
        ("290101", date(2029, 1, 1)),
        ("300101", date(1930, 1, 1)),
        ("19270101", date(1927, 1, 1)),
        ("20130918", date(2013, 9, 18)),
    ],
    ids=["yymmdd-2000s", "yymmdd-1900s", "pivot-below", "pivot-at", "yyyymmdd-1900s", "yyyymmdd-2000s"],
)
def test_petrarch_dates(text: str, expected: date) -> None:
    assert build_actors.parse_petrarch_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("9008223", "malformed date"),
        ("20050", "malformed date"),
        ("991331", "impossible date"),
        ("08o508", "malformed date"),
    ],
    ids=["seven-digits", "five-digits", "month-13", "letter"],
)
def test_petrarch_bad_dates_are_rejected(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        build_actors.parse_petrarch_date(text)


AGENT_SNIPPET = """\
!PERSON! = MAN, MEN
!MINIST! = MINISTER, MINISTRY
CATTLE!PERSON! [~AGR]
POLICE {} [~COP]
THIEF {THIEVES} [~CRM]
SOLDIER [~MIL]
!MINIST! FOR_DEFENCE [~GOVMIL]
ENVIRONMENT_AGENCY [~ENV}
!UNKNOWN! BOARD [~GOV]
"""


def test_agent_converter_expands_macros_and_plurals() -> None:
    records, report = build_actors.convert_agent_file("agents.txt", AGENT_SNIPPET)
    names = {r["names"][0]: r for r in records}
    assert names["cattleman"]["names"] == ["cattleman", "cattlemen"]
    assert names["police"]["names"] == ["police"]
    assert names["thief"]["names"] == ["thief", "thieves"]
    assert names["soldier"]["names"] == ["soldier", "soldiers"]
    assert names["minister for defence"] == {
        "names": ["minister for defence", "ministry for defence"],
        "code": "~GOVMIL",
        "group": "petrarch2/agents/GOV",
        "source": "agents.txt:7",
    }
    assert report.skipped == Counter({"malformed agent line": 1, "undefined macro": 1})


@pytest.mark.parametrize(
    ("word", "plural"),
    [("soldier", "soldiers"), ("boss", "bosses"), ("militia", "militias"), ("party", "parties"),
     ("chairman", "chairmen"), ("police", "polices"), ("forces", None), ("people", None)],
    ids=["s", "ss-es", "a-s", "y-ies", "man-men", "regular-e", "already-plural", "people"],
)  # fmt: skip
def test_regular_plurals(word: str, plural: str | None) -> None:
    assert build_actors.pluralise(word) == plural


def test_discard_converter_keeps_scope() -> None:
    records, report = build_actors.convert_discard_file(
        "discards.txt", "# header\n+Manchester United   # pas\nBIRD FLU\n1914\n+\n"
    )
    assert records == [
        {"phrase": "1914", "scope": "sentence", "source": "discards.txt:4"},
        {"phrase": "bird flu", "scope": "sentence", "source": "discards.txt:3"},
        {"phrase": "manchester united", "scope": "story", "source": "discards.txt:2"},
    ]
    assert report.skipped == Counter({"discard without a word": 1})


def write_mini_source(folder: Path) -> None:
    folder.mkdir()
    (folder / "Phoenix.Countries.actors.txt").write_text(COUNTRY_SNIPPET, encoding="utf-8")
    (folder / "Phoenix.International.actors.txt").write_text("UNITED_NATIONS_ [IGOUNO]\n", encoding="utf-8")
    (folder / "Phoenix.MilNonState.actors.txt").write_text("HAMAS_ [PSEREBHMS]\n+ISLAMIC_RESISTANCE_MOVEMENT\n")
    (folder / "Phoenix.agents.txt").write_text(AGENT_SNIPPET, encoding="utf-8")
    (folder / "Phoenix.discards.txt").write_text("+CHAMPIONS LEAGUE\n", encoding="utf-8")
    (folder / "LICENSE").write_text("The MIT License (MIT)\n\nCopyright (c) 2014 Somebody\n", encoding="utf-8")


def test_build_writes_files_deterministically(tmp_path: Path) -> None:
    source = tmp_path / "src"
    write_mini_source(source)
    output = tmp_path / "out"
    build_actors.build(source, output, "2026.01.02", regions_source=None)
    first = {p.name: p.read_bytes() for p in output.iterdir()}
    build_actors.build(source, output, None, regions_source=None)
    second = {p.name: p.read_bytes() for p in output.iterdir()}
    assert first == second
    assert set(first) >= {
        "countries.jsonl", "international.jsonl", "groups.jsonl", "agents.jsonl", "discards.jsonl",
        "provenance.json", "NOTICE", "VERSION",
    }  # fmt: skip
    assert (output / "VERSION").read_text() == "2026.01.02\n"
    assert "Copyright (c) 2014 Somebody" in (output / "NOTICE").read_text()
    provenance = json.loads((output / "provenance.json").read_text())
    countries = provenance["files"]["countries.jsonl"]
    assert countries["skipped"]["code: malformed date"] == 1
    assert countries["entries"] == 5
    lines = (output / "countries.jsonl").read_text().splitlines()
    assert lines == sorted(lines, key=lambda line: json.loads(line)["names"][0])
    reference = build_reference(
        "2026.01.02",
        parse_actor_entries((output / "countries.jsonl").read_text(), "countries.jsonl"),
        parse_agent_entries((output / "agents.jsonl").read_text(), "agents.jsonl"),
        parse_discard_entries((output / "discards.jsonl").read_text(), "discards.jsonl"),
    )
    assert "putin" in reference.by_first_token


ADMIN1 = (
    "UA.08\tKherson Oblast\tKherson Oblast\t706442\n"
    "NG.27\tBorno State\tBorno State\t2346794\n"
    "GH.01\tCentral Region\tCentral Region\t2302547\n"
    "UG.C\tCentral Region\tCentral Region\t234594\n"
    "NG.30\tRivers State\tRivers State\t2324433\n"
    "VE.15\tMiranda\tMiranda\t3632191\n"
    "SY.10\tIdlib\tIdlib\t169387\n"
    "MH.JAL\tJaluit\tJaluit\t2080206\n"
    "XX.01\tNowhere\tNowhere\t1\n"
    "not a line\n"
)


def test_regions_are_one_countrys_divisions_that_are_no_word_or_known_name() -> None:
    records, report = build_actors.convert_regions(
        ADMIN1,
        "admin1.txt",
        known={"idlib"},
        common={"rivers", "central"},
        iso3={"UA": "UKR", "NG": "NGA", "GH": "GHA", "UG": "UGA", "VE": "VEN", "SY": "SYR", "MH": "MHL"},
        person_words=frozenset({"miranda"}),
    )
    names = {name: r["codes"][0]["code"] for r in records for name in r["names"]}
    assert names == {
        "kherson": "UKR",
        "kherson oblast": "UKR",
        "borno": "NGA",
        "borno state": "NGA",
        "rivers state": "NGA",
        "jaluit": "MHL",
    }
    assert report.skipped["name of divisions in several countries"] == 4  # "Central Region", "Central"
    assert report.skipped["name the dictionaries already hold"] == 1
    assert report.skipped["one word that is part of a person's name"] == 1
    assert report.skipped["country without an ISO alpha-3 code"] == 1
    assert report.skipped["malformed line"] == 1


def test_build_fails_on_a_missing_source(tmp_path: Path) -> None:
    with pytest.raises(build_actors.ConversionError, match="Phoenix.Countries.actors.txt"):
        build_actors.build(tmp_path / "nowhere", tmp_path / "out", "2026.01.02")


@pytest.mark.skipif(not PETRARCH_DIR.is_dir(), reason="the PETRARCH-2 dictionaries are not beside the repository")
def test_committed_conversion_is_up_to_date(tmp_path: Path) -> None:
    """Re-running the converter on the shared dictionaries reproduces the committed files."""
    version = (ACTORS_DIR / "VERSION").read_text().strip()
    shutil.copytree(ACTORS_DIR / "project", tmp_path / "project")
    build_actors.build(PETRARCH_DIR, tmp_path, version)
    for name in ("countries.jsonl", "international.jsonl", "groups.jsonl", "agents.jsonl", "discards.jsonl",
                 "regions.jsonl", "provenance.json", "NOTICE", "VERSION", "README.md"):  # fmt: skip
        assert (tmp_path / name).read_bytes() == (ACTORS_DIR / name).read_bytes(), name


ACTOR_LINE = '{"kind": "person", "names": ["Kim Yong-hyun"], "codes": [{"code": "KORGOV", "from": "2024-09-06", "to": "2024-12-05"}], "group": "g", "source": "s"}'


def test_parse_actor_entries_reads_a_valid_line() -> None:
    (entry,) = parse_actor_entries(ACTOR_LINE + "\n\n", "people.jsonl")
    assert entry == ActorEntry(
        names=("Kim Yong-hyun",),
        codes=(DatedCode("KORGOV", date(2024, 9, 6), date(2024, 12, 5)),),
        kind="person",
        group="g",
        source="s",
    )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "JSON object"),
        (ACTOR_LINE.replace('"person"', '"planet"'), "unknown kind"),
        (ACTOR_LINE.replace('["Kim Yong-hyun"]', "[]"), "names"),
        (ACTOR_LINE.replace('["Kim Yong-hyun"]', '["--"]'), "no word"),
        (ACTOR_LINE.replace("KORGOV", "KORGO"), "malformed code"),
        (ACTOR_LINE.replace("2024-09-06", "06/09/2024"), "not an ISO date"),
        (ACTOR_LINE.replace("2024-12-05", "2023-12-05"), "ends before it starts"),
        (ACTOR_LINE.replace('"group": "g", ', ""), "'group'"),
    ],
    ids=["bad-json", "not-object", "kind", "no-names", "no-word", "code", "date", "range", "group"],
)
def test_parse_actor_entries_rejects_malformed_lines(line: str, reason: str) -> None:
    with pytest.raises(ReferenceDataError, match=reason) as caught:
        parse_actor_entries(ACTOR_LINE + "\n" + line + "\n", "people.jsonl")
    assert caught.value.file == "people.jsonl"
    assert caught.value.line == 2
    assert str(caught.value).startswith("people.jsonl:2: ")


def test_parse_agent_entries_and_generic_flag() -> None:
    content = (
        '{"names": ["spokesman", "spokesmen"], "code": "~GOV", "group": "g", "source": "s", "generic": true}\n'
        '{"names": ["troops"], "code": "~MIL", "group": "g", "source": "s"}\n'
    )
    spokesman, troops = parse_agent_entries(content, "agents.jsonl")
    assert spokesman == AgentEntry(("spokesman", "spokesmen"), "~GOV", "g", "s", generic=True)
    assert troops.sector == "MIL" and not troops.generic
    with pytest.raises(ReferenceDataError, match="agents.jsonl:1: malformed agent code"):
        parse_agent_entries('{"names": ["x"], "code": "GOV", "group": "g"}', "agents.jsonl")
    with pytest.raises(ReferenceDataError, match="generic"):
        parse_agent_entries('{"names": ["x"], "code": "~GOV", "group": "g", "generic": "yes"}', "agents.jsonl")


def test_parse_discards_and_version() -> None:
    (discard,) = parse_discard_entries('{"phrase": "bird flu", "scope": "story", "source": "d:1"}', "d")
    assert (discard.phrase, discard.scope) == ("bird flu", "story")
    with pytest.raises(ReferenceDataError, match="scope"):
        parse_discard_entries('{"phrase": "x", "scope": "page"}', "d")
    assert parse_version("2026.11.25\n", "VERSION") == "2026.11.25"
    with pytest.raises(ReferenceDataError, match="VERSION:1"):
        parse_version("v1\n", "VERSION")


@pytest.mark.parametrize(
    ("code", "country", "sector", "detail"),
    [
        ("RUS", "RUS", None, ()),
        ("RUSGOV", "RUS", "GOV", ()),
        ("USAGOVMIL", "USA", "GOV", ("MIL",)),
        ("IGOUNO", "IGO", "IGO", ("UNO",)),
        ("IGOUNOJUDICJ", "IGO", "JUD", ("UNO", "ICJ")),
        ("PSEREBHMS", "PSE", "REB", ("HMS",)),
        ("IMGMUSISI", "IMG", "REB", ("MUS", "ISI")),
        ("MNCUSA", "MNC", "BUS", ("USA",)),
        ("ELI", None, "ELI", ()),
        ("SASREB", None, "REB", ()),
        ("MUSGOV", "MUS", "GOV", ()),
        ("AUT", "AUT", None, ()),
        ("NAMMIL", "NAM", "MIL", ()),
    ],
    ids=[
        "country",
        "gov",
        "two-sectors",
        "igo",
        "igo-court",
        "group",
        "img",
        "company",
        "bare-agent",
        "region",
        "mauritius",
        "austria",
        "namibia",
    ],  # fmt: skip
)
def test_parse_code(code: str, country: str | None, sector: str | None, detail: tuple[str, ...]) -> None:
    parsed = parse_code(code)
    assert (parsed.country, parsed.sector, parsed.detail) == (country, sector, detail)


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("North Korea", ("north", "korea")),
        ("Kim Yong-hyun", ("kim", "yong", "hyun")),
        ("al-Shabaab", ("al", "shabaab")),
        ("U.N.", ("un",)),
        ("Syria's government", ("syria", "'s", "government")),
        ("Côte d'Ivoire", ("cote", "divoire")),
        ("people's_liberation_army", ("people", "'s", "liberation", "army")),
        ("Samoa, American", ("samoa", ",", "american")),
    ],
    ids=["words", "hyphen", "particle", "dots", "possessive", "accents", "underscores", "comma"],
)
def test_tokenize_name(name: str, tokens: tuple[str, ...]) -> None:
    assert tokenize_name(name) == tokens


def test_normalise_token_keeps_punctuation_distinct() -> None:
    assert normalise_token("’s") == "'s"
    assert normalise_token(".") == "."
    assert normalise_token("Kyiv.") == "kyiv"


def test_build_reference_prefers_earlier_entries() -> None:
    project = ActorEntry(("Kremlin",), (DatedCode("RUSGOV"),), "institution", "project", "p")
    converted = ActorEntry(("KREMLIN", "russian white house"), (DatedCode("RUS"),), "country", "converted", "c")
    agent = AgentEntry(("troops",), "~MIL", "a", "a")
    reference = build_reference("2026.01.01", [project, converted], [agent])
    assert [p.entry for p in reference.by_first_token["kremlin"]] == [project]
    assert [p.entry for p in reference.by_first_token["russian"]] == [converted]
    assert reference.by_first_token["troops"][0].is_agent


@given(st.text(max_size=60))
def test_name_tokenisation_never_crashes(text: str) -> None:
    tokens = tokenize_name(text)
    assert all(isinstance(t, str) and t for t in tokens)


@given(st.from_regex(r"(?:[A-Z]{3}){1,5}", fullmatch=True))
def test_parse_code_never_crashes(code: str) -> None:
    parsed = parse_code(code)
    assert parsed.country is None or len(parsed.country) == 3
