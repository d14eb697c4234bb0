"""The parsed actor reference: dictionary entries, their dated codes, and the lookup indexes.

The files under ``data/reference/actors/`` are JSON Lines (one entry a line) written by
``tools/build_actors.py`` from the PETRARCH-2 dictionaries, plus the project's own layer in
``project/``. This module turns file *contents* into frozen dataclasses and builds the token
indexes the actor resolver needs; reading the files is the job of ``flows/io/reference.py``.

Names are stored as readable lower-case phrases ("north korea", "kim yong-hyun"); a trailing
``*`` marks a stem ("russian*" also matches "russians"). Matching works on normalised tokens
(see :func:`normalise_token`), the same for dictionary names and for text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from types import MappingProxyType

ACTOR_KINDS = frozenset({"country", "person", "institution", "igo", "ngo", "company", "group"})
"""Kinds of named actor entries. ``sector`` is the resolver's kind for a bare sector noun."""

PSEUDO_COUNTRIES = frozenset({"IGO", "NGO", "MNC", "IMG"})
"""Phoenix root codes for actors that belong to no single state (kept as ``actor_country``)."""

REGION_CODES = frozenset(
    {
        "AFR", "ASA", "BLK", "BAL", "CAU", "CFR", "CAS", "CEU", "EIN", "EAF", "EEU", "EUR",
        "LAM", "MEA", "MDT", "NAF", "NMR", "PGS", "SAM", "SAF", "SAS", "SEA", "WAF",
        "WST", "WEU", "INT", "KKL", "SCN",
    }
)  # fmt: skip
"""CAMEO region roots: no ``actor_country`` is given for them (the full code is kept)."""

AGENT_CODES = frozenset(
    {
        "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "LEG", "SPY", "UAF", "INS", "ELI",
        "CVL", "BUS", "MED", "EDU", "HLH", "REF", "HRI", "LAB", "AGR", "ENV", "CRM", "DEV",
        "REL", "MUS", "CHR", "JEW", "BUD", "HIN", "CTH", "PRO", "RAD", "MOD", "PPL", "NGO",
        "IGO", "MNC", "SET", "UNR", "ELE", "SEP", "OCC", "AUT", "NGM",
    }
)  # fmt: skip
"""CAMEO agent (sector) codes that may follow a country root."""

ROLE_CODES = frozenset(
    {
        "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "LEG", "SPY", "UAF", "INS", "ELI",
        "CVL", "BUS", "MED", "EDU", "HLH", "REF", "HRI", "LAB", "AGR", "ENV", "CRM", "DEV",
        "NGO", "IGO",
    }
)  # fmt: skip
"""Agent codes that say what an actor *does*; religion and ideology codes only qualify it."""

DEFAULT_SECTOR = MappingProxyType({"IGO": "IGO", "NGO": "NGO", "MNC": "BUS", "IMG": "REB"})
"""Sector given to pseudo-country actors whose code names no role."""

NO_ACTOR_CODE = "---"

_ISO_CLASHES = frozenset({"MUS", "AUT"})
"""Agent codes that are also ISO-3 countries (Mauritius, Austria): as a root they are the country."""


class ReferenceDataError(ValueError):
    """A reference file is malformed: names the file, the 1-based line and the reason."""

    def __init__(self, file: str, line: int, reason: str) -> None:
        super().__init__(f"{file}:{line}: {reason}")
        self.file = file
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class DatedCode:
    """One Phoenix/CAMEO code with the dates it holds (both ends inclusive, None = open)."""

    code: str
    start: date | None = None
    end: date | None = None

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class ParsedCode:
    """A code split into its parts: ``RUSGOVMIL`` → country RUS, sectors (GOV, MIL)."""

    country: str | None
    sector: str | None
    detail: tuple[str, ...]


@lru_cache(maxsize=8192)
def parse_code(code: str) -> ParsedCode:
    """Split a Phoenix code into country, primary sector and the remaining 3-letter parts.

    ``IGOUNO`` → country IGO, sector IGO, detail (UNO); ``PSEREBHMS`` → PSE, REB, (HMS);
    ``ELI`` (no country) → None, ELI; region roots (``SASREB``) give country None.
    """
    chunks = tuple(code[i : i + 3] for i in range(0, len(code), 3))
    if not chunks:
        return ParsedCode(None, None, ())
    root, rest = chunks[0], chunks[1:]
    if root in AGENT_CODES and root not in PSEUDO_COUNTRIES and root not in _ISO_CLASHES:
        country: str | None = None
        rest = chunks
    elif root in REGION_CODES:
        country = None
    else:
        country = root
    roles = [c for c in rest if c in ROLE_CODES]
    if roles:
        sector: str | None = roles[0]
    elif country is not None and country in DEFAULT_SECTOR:
        sector = DEFAULT_SECTOR[country]
    elif country is None and rest:
        sector = rest[0] if rest[0] in AGENT_CODES else None
    else:
        sector = None
    detail = tuple(c for c in rest if c != sector)
    return ParsedCode(country, sector, detail)


@dataclass(frozen=True)
class ActorEntry:
    """A named actor: every name it goes by and its codes, each optionally dated."""

    names: tuple[str, ...]
    codes: tuple[DatedCode, ...]
    kind: str
    group: str
    source: str

    @property
    def label(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class AgentEntry:
    """A sector noun ("troops", "minister"): it gives the sector of the actor it heads.

    A *generic* noun ("leader", "official", "spokesman") gives its sector only when nothing
    else in the phrase does: "opposition leader" is OPP, "Hamas spokesman" REB.
    """

    names: tuple[str, ...]
    code: str
    group: str
    source: str
    generic: bool = False

    @property
    def sector(self) -> str | None:
        return parse_code(self.code.lstrip("~")).sector

    @property
    def label(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class DiscardEntry:
    """A phrase that marks a sentence (scope ``sentence``) or a story (``story``) out of scope."""

    phrase: str
    scope: str
    source: str


@dataclass(frozen=True)
class NamePattern:
    """One dictionary name as normalised tokens, pointing at its entry."""

    tokens: tuple[str, ...]
    stem: bool
    entry: ActorEntry | AgentEntry

    @property
    def is_agent(self) -> bool:
        return isinstance(self.entry, AgentEntry)


@dataclass(frozen=True)
class Reference:
    """The whole actor reference with the indexes the resolver uses.

    ``by_first_token`` maps a normalised first token to the patterns starting with it,
    longest first; ``single_stems`` maps one-word stems ("russian") to their patterns, for
    words that extend them ("russians").
    """

    version: str
    actors: tuple[ActorEntry, ...]
    agents: tuple[AgentEntry, ...]
    discards: tuple[DiscardEntry, ...]
    by_first_token: Mapping[str, tuple[NamePattern, ...]] = field(repr=False)
    single_stems: Mapping[str, tuple[NamePattern, ...]] = field(repr=False)
    min_stem_length: int = 4
    sponsor_words: frozenset[str] = frozenset()
    """Second halves of hyphenated modifiers that name a group's sponsor, not its country
    ("US-backed forces" are not American): ``project/sponsor_words.tsv``."""


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_TEXT_TOKEN = re.compile(r"[\w.'’&/]+|[^\w\s]")
_DETERMINERS = frozenset({"the", "a", "an"})


@lru_cache(maxsize=65536)
def normalise_token(text: str) -> str:
    """The matching form of one token: lower case, accents and dots and apostrophes removed.

    The possessive ``'s`` stays ``'s``; a token of punctuation only stays as it is, so that it
    never matches a word.
    """
    folded = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    if folded == "'s" or folded == "'":
        return folded
    stripped = folded.replace(".", "").replace("'", "")
    return stripped if stripped else folded


def _split_possessive(word: str) -> list[str]:
    low = word.translate(_APOSTROPHES).lower()
    if len(low) > 2 and low.endswith("'s"):
        return [word[:-2], "'s"]
    return [word]


def tokenize_name(name: str) -> tuple[str, ...]:
    """Split a dictionary name into normalised tokens (hyphens and underscores separate)."""
    words = tokenize_text(name.replace("_", " "))
    return tuple(t for t in (normalise_token(w) for w in words) if t)


def tokenize_text(text: str) -> list[str]:
    """Split plain text into raw tokens roughly as spaCy would (hyphens dropped, 's split)."""
    out: list[str] = []
    for raw in _TEXT_TOKEN.findall(text):
        if raw in {"-", "–", "—"}:
            continue
        out.extend(_split_possessive(raw))
    return out


def _pattern_for(name: str, entry: ActorEntry | AgentEntry) -> NamePattern | None:
    stem = name.endswith("*")
    tokens = tokenize_name(name[:-1] if stem else name)
    while tokens and tokens[0] in _DETERMINERS and len(tokens) > 1:
        tokens = tokens[1:]
    if not tokens:
        return None
    return NamePattern(tokens=tokens, stem=stem, entry=entry)


def build_reference(
    version: str,
    actors: Iterable[ActorEntry],
    agents: Iterable[AgentEntry],
    discards: Iterable[DiscardEntry] = (),
    *,
    min_stem_length: int = 4,
    sponsor_words: Iterable[str] = (),
) -> Reference:
    """Assemble a :class:`Reference` and its token indexes from parsed entries.

    Entries listed earlier win ties (same tokens): pass the project layer before the
    converted dictionaries so that its newer codes take precedence.
    """
    actors = tuple(actors)
    agents = tuple(agents)
    by_first: dict[str, list[NamePattern]] = {}
    stems: dict[str, list[NamePattern]] = {}
    seen: set[tuple[tuple[str, ...], bool, bool]] = set()
    entries: list[ActorEntry | AgentEntry] = [*actors, *agents]
    for entry in entries:
        for name in entry.names:
            pattern = _pattern_for(name, entry)
            if pattern is None:
                continue
            key = (pattern.tokens, pattern.stem, pattern.is_agent)
            if key in seen:
                continue
            seen.add(key)
            by_first.setdefault(pattern.tokens[0], []).append(pattern)
            if pattern.stem and len(pattern.tokens) == 1 and len(pattern.tokens[0]) >= min_stem_length:
                stems.setdefault(pattern.tokens[0], []).append(pattern)
    frozen_first = {key: tuple(sorted(value, key=lambda p: -len(p.tokens))) for key, value in by_first.items()}
    return Reference(
        version=version,
        actors=actors,
        agents=agents,
        discards=tuple(discards),
        by_first_token=MappingProxyType(frozen_first),
        single_stems=MappingProxyType({k: tuple(v) for k, v in stems.items()}),
        min_stem_length=min_stem_length,
        sponsor_words=frozenset(normalise_token(word) for word in sponsor_words),
    )


def _iter_json_lines(content: str, file: str) -> Iterable[tuple[int, dict[str, object]]]:
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ReferenceDataError(file, number, f"not JSON: {error.msg}") from None
        if not isinstance(record, dict):
            raise ReferenceDataError(file, number, "a line must be a JSON object")
        yield number, record


def _require_str(record: Mapping[str, object], key: str, file: str, line: int) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value:
        raise ReferenceDataError(file, line, f"'{key}' must be a non-empty string")
    return value


def _require_names(record: Mapping[str, object], file: str, line: int) -> tuple[str, ...]:
    names = record.get("names")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise ReferenceDataError(file, line, "'names' must be a non-empty list of strings")
    if not all(any(ch.isalnum() for ch in n) for n in names):
        raise ReferenceDataError(file, line, "a name has no word in it")
    return tuple(names)


_CODE_SHAPE = re.compile(r"(?:[A-Z]{3})+|---")


def _parse_iso_date(value: object, key: str, file: str, line: int) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ReferenceDataError(file, line, f"'{key}' must be an ISO date string or null")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ReferenceDataError(file, line, f"'{key}' is not an ISO date: {value!r}") from None


def parse_actor_entries(content: str, file: str) -> tuple[ActorEntry, ...]:
    """Parse a JSON Lines actor file (``{"kind", "names", "codes", "group", "source"}``)."""
    entries: list[ActorEntry] = []
    for line, record in _iter_json_lines(content, file):
        kind = _require_str(record, "kind", file, line)
        if kind not in ACTOR_KINDS:
            raise ReferenceDataError(file, line, f"unknown kind {kind!r}")
        names = _require_names(record, file, line)
        raw_codes = record.get("codes")
        if not isinstance(raw_codes, list) or not raw_codes:
            raise ReferenceDataError(file, line, "'codes' must be a non-empty list")
        codes: list[DatedCode] = []
        for raw in raw_codes:
            if not isinstance(raw, dict):
                raise ReferenceDataError(file, line, "each code must be an object")
            code = _require_str(raw, "code", file, line)
            if not _CODE_SHAPE.fullmatch(code):
                raise ReferenceDataError(file, line, f"malformed code {code!r}")
            start = _parse_iso_date(raw.get("from"), "from", file, line)
            end = _parse_iso_date(raw.get("to"), "to", file, line)
            if start and end and end < start:
                raise ReferenceDataError(file, line, f"code {code} ends before it starts")
            codes.append(DatedCode(code, start, end))
        entries.append(
            ActorEntry(
                names=names,
                codes=tuple(codes),
                kind=kind,
                group=_require_str(record, "group", file, line),
                source=str(record.get("source") or f"{file}:{line}"),
            )
        )
    return tuple(entries)


_AGENT_CODE_SHAPE = re.compile(r"~(?:[A-Z]{3})+")


def parse_agent_entries(content: str, file: str) -> tuple[AgentEntry, ...]:
    """Parse a JSON Lines agent file (``{"names", "code": "~GOV", "group", "source"}``, and
    optionally ``"generic": true``)."""
    entries: list[AgentEntry] = []
    for line, record in _iter_json_lines(content, file):
        names = _require_names(record, file, line)
        code = _require_str(record, "code", file, line)
        if not _AGENT_CODE_SHAPE.fullmatch(code):
            raise ReferenceDataError(file, line, f"malformed agent code {code!r}")
        generic = record.get("generic", False)
        if not isinstance(generic, bool):
            raise ReferenceDataError(file, line, "'generic' must be true or false")
        entries.append(
            AgentEntry(
                names=names,
                code=code,
                group=_require_str(record, "group", file, line),
                source=str(record.get("source") or f"{file}:{line}"),
                generic=generic,
            )
        )
    return tuple(entries)


def parse_discard_entries(content: str, file: str) -> tuple[DiscardEntry, ...]:
    """Parse a JSON Lines discard file (``{"phrase", "scope": "sentence"|"story", "source"}``)."""
    entries: list[DiscardEntry] = []
    for line, record in _iter_json_lines(content, file):
        phrase = _require_str(record, "phrase", file, line)
        scope = _require_str(record, "scope", file, line)
        if scope not in {"sentence", "story"}:
            raise ReferenceDataError(file, line, f"scope must be sentence or story, not {scope!r}")
        entries.append(DiscardEntry(phrase, scope, str(record.get("source") or f"{file}:{line}")))
    return tuple(entries)


def parse_sponsor_words(content: str, file: str) -> tuple[str, ...]:
    """Parse ``sponsor_words.tsv``: ``word<TAB>source`` per line, ``#`` comments; the word is
    one lower-case word ("backed"), the source the convention it follows."""
    words: list[str] = []
    for line, raw in enumerate(content.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) != 2 or not fields[1].strip():
            raise ReferenceDataError(file, line, "expected two tab-separated fields: word, source")
        word = fields[0].strip()
        if not word.isalpha() or not word.islower():
            raise ReferenceDataError(file, line, f"the word must be one lower-case word, not {word!r}")
        words.append(word)
    return tuple(words)


_VERSION_SHAPE = re.compile(r"\d{4}\.\d{2}\.\d{2}(?:\.\d+)?")


def parse_version(content: str, file: str) -> str:
    """Parse the ``VERSION`` file: one date-based version such as ``2026.11.25``."""
    version = content.strip()
    if not _VERSION_SHAPE.fullmatch(version):
        raise ReferenceDataError(file, 1, f"version must look like 2026.11.25, not {version!r}")
    return version
