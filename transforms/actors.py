"""Resolve noun phrases to actors: country, sector and kind, from the actor reference.

``ActorResolver(reference).resolve(span, on)`` takes a spaCy ``Span`` (a noun phrase, an
entity, a subject's subtree) and returns an :class:`Actor` or None. The rules, in order:

1. Leading determiners and a trailing possessive (``'s``) are dropped; hyphens separate words.
2. Dictionary names are matched greedily, longest first, from an index keyed by the first
   (normalised) token; a one-word stem ("russian*") also matches words extending it.
3. Only words that modify the head are used: compounds, adjectives, possessives,
   appositions and ``of``/``from`` phrases; words inside other prepositional phrases, relative
   clauses and conjuncts are not ("protesters near the Russian embassy" is not Russian).
4. A head covered by a named entry (person, country, institution, organisation, group)
   decides the actor, its codes chosen by date; so does a known person named right after a
   title ("Defense Minister Kim Yong-hyun"). Otherwise the head's sector noun (or the nearest
   one) gives the sector, and the nearest named modifier gives the country: "Russian troops"
   → RUS MIL, "the president of Russia" → RUS GOV. *Generic* sector nouns ("spokesman",
   "leader", "forces") give way to a more specific one or to the named modifier's own sector:
   "Hamas spokesman" → PSE REB, "opposition leader" → OPP.
5. A phrase with a sector noun only ("police", "the opposition") gives country None; a sector
   noun that only modifies a common noun ("police station") gives no actor.
6. A country named before an institution filed under another country wins ("South Korea's
   Joint Chiefs of Staff" → KOR MIL); an exact place name running into a capitalised head is
   read as part of a name ("Ararat Mirzoyan" → no actor).
7. Names never match text written all in lower case, and one-word names that are common words
   ("WHO", "US") only match in capitals.

Countries are ISO 3166-1 alpha-3 as the dictionaries give them, or one of the Phoenix
pseudo-countries for actors of no single state: ``IGO`` (intergovernmental organisations —
which one is in ``code``, e.g. ``IGOUNO`` for the UN, ``IGOWSTNAT`` for NATO), ``NGO``,
``MNC`` (companies) and ``IMG`` (international militant groups such as ISIS). Region codes
(``SAS``, ``MEA``…) give country None.

Office dates: for a person the code in force on ``on`` wins; outside every dated code an
undated code is used if the entry has one; otherwise the person keeps the country of the
nearest office, with sector ``ELI`` (CAMEO's elite: a former official) after it and no
sector before it — unless the phrase carries a title ("Defense Minister ..."), which then
gives the sector, since the text describes the person as it was when written. "former" or
"ex-" before a person or an office makes the sector ``ELI``. Without ``on`` the most recent
office counts. An international body named before a person's name ("NATO Secretary General
Jens Stoltenberg") names the office the text means, whatever the dates: the person is that
body's (``IGO``), unless a state is named in the phrase too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from transforms.reference import (
    NO_ACTOR_CODE,
    ActorEntry,
    AgentEntry,
    DatedCode,
    NamePattern,
    Reference,
    normalise_token,
    parse_code,
    tokenize_text,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

SECTOR_KIND = "sector"


@dataclass(frozen=True)
class Actor:
    """A resolved actor.

    ``name``: the phrase as written (without a leading "the" or a trailing "'s").
    ``country``: ISO-3, or IGO/NGO/MNC/IMG (see the module doc), or None.
    ``sector``: a CAMEO agent code (GOV, MIL, REB, OPP, CVL, JUD, LEG, COP, BUS, MED, IGO,
    ELI…) or None. ``kind``: country, person, institution, igo, ngo, company, group, sector.
    ``entry``: the dictionary entries used, for explanations. ``code``: the full Phoenix code
    (e.g. ``RUSGOV``, ``IGOUNO``, ``PSEREBHMS``) where a named entry decided it.
    """

    name: str
    country: str | None
    sector: str | None
    kind: str
    entry: str
    code: str | None = None


_DETERMINERS = frozenset({"the", "a", "an"})
_TRAILING_DROP = frozenset({"'s", "'", ",", ".", ";", ":", "!", "?", '"', ")", "]"})
_LEADING_DROP = frozenset({'"', "(", "[", ",", "'"})
_OF_PREPOSITIONS = frozenset({"of", "from"})
_MODIFIER_DEPS = frozenset(
    {"compound", "amod", "poss", "nmod", "appos", "flat", "nn", "case", "det", "nummod",
     "npadvmod", "punct", "quantmod", "predet", "nounmod", "hyph", "title", "pobj"}
)  # fmt: skip
_TEXT_BLOCKERS = frozenset(
    {"in", "at", "on", "to", "with", "against", "near", "by", "for", "into", "over", "after",
     "before", "during", "under", "across", "inside", "outside", "toward", "towards", "through",
     "and", "or", "but", "who", "which", "that", "whose", "whom", "said", "says", "say", "told",
     "as", "than", "while", "when", "where", "if"}
)  # fmt: skip
_NP_HEAD_POS = frozenset({"NOUN", "PROPN"})
_NP_MODIFIER_DEPS = frozenset({"compound", "amod", "flat", "nn", "nmod", "poss"})
_LEADING_DET = re.compile(r"^\s*(?:the|a|an)\s+", re.IGNORECASE)
_TRAILING_POSSESSIVE = re.compile(r"(?:['’]s?)?[\s,.;:!?\"')\]]*$")
_FORMER = frozenset({"former", "ex", "erstwhile", "onetime", "one-time"})
_POSSESSIVE = frozenset({"'s", "'"})
_OFFICE_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "COP", "SPY"})
_STEM_SUFFIXES = ("s", "es", "n", "ns", "an", "ans", "ian", "ians", "i", "is", "ese")
"""What a stem may be extended by: plurals and demonym endings ("Iran*" → "Iranians"), not
any word that starts alike ("India*" does not match "Indiana")."""
_STEM_SUFFIX_SET = frozenset(_STEM_SUFFIXES)
_AMBIGUOUS_SHORT = frozenset(
    {
        "who",
        "us",
        "it",
        "is",
        "as",
        "at",
        "on",
        "in",
        "an",
        "am",
        "or",
        "we",
        "he",
        "me",
        "my",
        "no",
        "so",
        "to",
        "up",
        "by",
        "do",
        "go",
        "if",
        "of",
        "oh",
        "ok",
        "car",
        "male",
        "may",
        "aid",
        "all",
        "can",
        "man",
        "war",
        "was",
        "win",
        "act",
        "aim",
        "art",
        "arm",
        "bar",
        "bid",
        "far",
        "fed",
        "few",
        "gap",
        "hit",
        "key",
        "law",
        "led",
        "let",
        "lie",
        "low",
        "met",
        "mid",
        "net",
        "new",
        "nor",
        "not",
        "now",
        "off",
        "old",
        "one",
        "our",
        "out",
        "own",
        "per",
        "put",
        "red",
        "run",
        "sad",
        "saw",
        "say",
        "see",
        "set",
        "she",
        "six",
        "son",
        "sun",
        "ten",
        "top",
        "two",
        "use",
        "via",
        "way",
        "why",
        "yet",
        "you",
        "age",
        "ago",
        "air",
        "and",
        "any",
        "are",
        "ask",
        "bad",
        "big",
        "but",
        "buy",
        "cut",
        "day",
        "did",
        "end",
        "eye",
        "for",
        "get",
        "got",
        "had",
        "has",
        "her",
        "him",
        "his",
        "how",
        "its",
        "job",
        "lot",
        "mad",
        "men",
        "pay",
        "ran",
        "sat",
        "sea",
        "sir",
        "tax",
        "too",
        "try",
        "won",
        "pa",
        "ad",
        "ai",
        "id",
    }
)
"""One-word names that are also common words match only when written in capitals ("WHO",
"US"), not "Who" at the start of a sentence."""


_LOWER, _MIXED, _UPPER = 0, 1, 2


@dataclass(frozen=True)
class _Tok:
    """One matching token: its normalised form, its case (lower, mixed, upper) and the
    position of the word it came from (a spaCy token may give several, e.g. "Yong-hyun")."""

    norm: str
    case: int
    word: int


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    pattern: NamePattern

    @property
    def is_agent(self) -> bool:
        return self.pattern.is_agent


@lru_cache(maxsize=65536)
def _pieces(text: str) -> tuple[tuple[str, int], ...]:
    """Matching tokens of one word: (normalised form, case)."""
    out = []
    for piece in tokenize_text(text) or [text]:
        norm = normalise_token(piece)
        if norm and norm not in {"-", "–", "—"}:
            case = _LOWER if piece.islower() else _UPPER if piece.isupper() else _MIXED
            out.append((norm, case))
    return tuple(out)


def _part_of_name(match: _Match, toks: Sequence[_Tok], head_word: int) -> bool:
    """Whether an exact country name runs into the head through capitalised words only."""
    if match.pattern.stem or _actor_entry(match).kind != "country":
        return False
    last_word = toks[match.end - 1].word
    if last_word >= head_word:
        return False
    between = [t for t in toks[match.end :] if t.word <= head_word]
    return all(t.case != _LOWER and t.norm.isalnum() for t in between)


def _agent(match: _Match) -> AgentEntry:
    entry = match.pattern.entry
    assert isinstance(entry, AgentEntry)
    return entry


def _actor_entry(match: _Match) -> ActorEntry:
    entry = match.pattern.entry
    assert isinstance(entry, ActorEntry)
    return entry


def _describe(pattern: NamePattern, code: str | None) -> str:
    entry = pattern.entry
    label = " ".join(pattern.tokens) + ("*" if pattern.stem else "")
    if isinstance(entry, AgentEntry):
        shown = entry.code
    else:
        shown = code or "/".join(dict.fromkeys(c.code for c in entry.codes))
    return f"{label} [{shown}] ({entry.source})"


def select_code(entry: ActorEntry, on: date | None) -> tuple[DatedCode | None, str]:
    """The entry's code for ``on`` and how it was chosen.

    The second value is ``"current"`` (a dated code covers ``on``), ``"undated"``,
    ``"former"`` (every office ended before ``on``), ``"future"`` (every office starts
    after it) or ``"latest"`` (no date given: the most recent office).
    """
    usable = [c for c in entry.codes if c.code != NO_ACTOR_CODE]
    if not usable:
        return None, "none"
    dated = [c for c in usable if c.dated]
    undated = [c for c in usable if not c.dated]
    if on is None:
        if dated:
            latest = max(dated, key=lambda c: (c.end or date.max, c.start or date.min))
            return latest, "latest"
        return undated[0], "undated"
    covering = [c for c in dated if c.covers(on)]
    if covering:
        return max(covering, key=lambda c: c.start or date.min), "current"
    if undated:
        return undated[0], "undated"
    past = [c for c in dated if c.end is not None and c.end < on]
    if past:
        return max(past, key=lambda c: c.end or date.min), "former"
    return min(dated, key=lambda c: c.start or date.max), "future"


def _entry_country(entry: ActorEntry, chosen: DatedCode) -> str | None:
    country = parse_code(chosen.code).country
    if country is not None:
        return country
    # A bare agent code such as [ELI] keeps the country of the entry's other codes.
    for code in sorted(
        (c for c in entry.codes if c.code != NO_ACTOR_CODE),
        key=lambda c: (c.end or date.max, c.start or date.min),
        reverse=True,
    ):
        if (found := parse_code(code.code).country) is not None:
            return found
    return None


@dataclass(frozen=True)
class _Named:
    country: str | None
    sector: str | None
    code: str | None
    how: str


def _named_actor(entry: ActorEntry, on: date | None) -> _Named | None:
    chosen, how = select_code(entry, on)
    if chosen is None:
        return None
    parsed = parse_code(chosen.code)
    sector = parsed.sector
    if entry.kind == "person" and how == "former":
        sector = "ELI"
    elif entry.kind == "person" and how == "future":
        sector = None
    code = chosen.code if sector == parsed.sector else None
    return _Named(_entry_country(entry, chosen), sector, code, how)


def _match_words(match: _Match, toks: Sequence[_Tok]) -> range:
    """The positions of the words a match covers."""
    return range(toks[match.start].word, toks[match.end - 1].word + 1)


@dataclass(frozen=True)
class _PhraseMatches:
    """A phrase's dictionary matches sorted by the part each may play in its actor.

    Sector nouns (``agents``) and names (``named``) are those touching an eligible word,
    nearest the head first (at equal distance, before it over after it); ``specific`` and
    ``generic`` split the sector nouns; ``former_at`` holds the positions of eligible
    "former"-like tokens.
    """

    head_match: _Match | None
    agents: list[_Match]
    named: list[_Match]
    specific: list[_Match]
    generic: list[_Match]
    former_at: list[int]


def _sort_matches(
    matches: Sequence[_Match], toks: Sequence[_Tok], head_word: int, eligible: set[int] | None
) -> _PhraseMatches:
    """Sort the matches of a phrase into the head's own match, the usable sector nouns and
    names nearest the head first, and the usable "former" words."""

    def usable_word(word: int) -> bool:
        return eligible is None or word in eligible

    def usable(m: _Match) -> bool:
        return any(usable_word(w) for w in _match_words(m, toks))

    def distance(m: _Match) -> tuple[int, int]:
        span = _match_words(m, toks)
        if span.start > head_word:
            return (span.start - head_word, 1)
        return (max(0, head_word - (span.stop - 1)), 0)

    agents = sorted((m for m in matches if m.is_agent and usable(m)), key=distance)
    return _PhraseMatches(
        head_match=next((m for m in matches if head_word in _match_words(m, toks)), None),
        agents=agents,
        named=sorted((m for m in matches if not m.is_agent and usable(m)), key=distance),
        specific=[m for m in agents if not _agent(m).generic],
        generic=[m for m in agents if _agent(m).generic],
        former_at=[k for k in range(len(toks)) if toks[k].norm in _FORMER and usable_word(toks[k].word)],
    )


def _identity_match(found: _PhraseMatches, toks: Sequence[_Tok]) -> _Match | None:
    """The named match that is who the phrase is: a name covering the head, else a known
    person named right after a title ("Defense Minister Kim Yong-hyun", "the minister,
    Kim ..."); one who owns the head ("Putin's spokesman") or merely modifies it ("Gallant
    soldiers") is not."""
    head_match = found.head_match
    if head_match is not None and not head_match.is_agent:
        return head_match
    after = head_match.end if head_match is not None else None
    for m in found.named:
        if _actor_entry(m).kind != "person":
            continue
        if after is not None and not (m.start == after or (m.start == after + 1 and toks[after].norm == ",")):
            continue
        if m.end < len(toks) and toks[m.end].norm in _POSSESSIVE:
            continue
        return m
    return None


def _owner_country(
    identity: _Match, found: _PhraseMatches, country: str | None, on: date | None
) -> tuple[str, str] | None:
    """A country named before an institution the dictionary files under another country is
    the one the text means ("South Korea's Joint Chiefs of Staff"): that country and how it
    was found, or None."""
    owner = next((m for m in found.named if m.end <= identity.start and _actor_entry(m).kind == "country"), None)
    if owner is None:
        return None
    owner_actor = _named_actor(_actor_entry(owner), on)
    if owner_actor is None or owner_actor.country is None or owner_actor.country == country:
        return None
    return owner_actor.country, _describe(owner.pattern, owner_actor.code)


def _igo_office(identity: _Match, found: _PhraseMatches, on: date | None) -> tuple[str | None, str, str] | None:
    """The international office a person's phrase names before the name ("NATO Secretary
    General Jens Stoltenberg", "European Council president Donald Tusk"): CAMEO codes an
    IGO's officials IGO, and the text describes the person in the office it names, whatever
    else the person held before or after. The person's own code for that body wins where the
    dictionary has one, else the body's. Sector, code and how it was found; None where no
    IGO is named before the name, or a state is named too ("NATO ally Turkey's president")."""
    before = [m for m in found.named if m.end <= identity.start]
    if any(_actor_entry(m).kind == "country" for m in before):
        return None
    body = next((m for m in before if _actor_entry(m).kind == "igo"), None)
    if body is None:
        return None
    body_actor = _named_actor(_actor_entry(body), on)
    if body_actor is None or body_actor.country != "IGO" or body_actor.code is None:
        return None
    person_codes = [c.code for c in _actor_entry(identity).codes if parse_code(c.code).country == "IGO"]
    code = next((c for c in person_codes if c.startswith(body_actor.code)), body_actor.code)
    return parse_code(code).sector, code, _describe(body.pattern, code)


def _identified_actor(identity: _Match, found: _PhraseMatches, name: str, on: date | None) -> Actor | None:
    """The actor a named identity makes, its codes chosen by date; the text's own title
    gives the sector of a person without one or out of office, and "former" before a person
    makes them ELI."""
    entry = _actor_entry(identity)
    resolved = _named_actor(entry, on)
    if resolved is None:
        return None
    sector, code, country = resolved.sector, resolved.code, resolved.country
    used = [_describe(identity.pattern, resolved.code)]
    if entry.kind == "person" and (office := _igo_office(identity, found, on)) is not None:
        country, sector, code = "IGO", office[0], office[1]
        used.append(office[2])
    if entry.kind == "institution" and (owner := _owner_country(identity, found, country, on)) is not None:
        country, code = owner[0], None
        used.insert(0, owner[1])
    titles = found.specific or found.generic
    title = titles[0] if titles else None
    if title is not None and (sector is None or resolved.how in {"former", "future"}):
        sector, code = _agent(title).sector, None
        used.append(_describe(title.pattern, None))
    if entry.kind == "person" and any(k < identity.start for k in found.former_at):
        # "former minister Kim ..." (not "Rutte, a former Dutch prime minister").
        sector, code = "ELI", None
    return Actor(name, country, sector, entry.kind, " + ".join(used), code)


def _matches_make_no_actor(found: _PhraseMatches, toks: Sequence[_Tok], head_word: int, head_is_proper: bool) -> bool:
    """Whether matches without a named identity still fail to make the phrase an actor:
    there are none usable, a place name is part of a person's name ("Ararat Mirzoyan",
    "Georgia Meloni"), or sector words only modify a common noun ("community guidelines",
    "police station")."""
    named_match = found.named[0] if found.named else None
    if not found.agents and named_match is None:
        return True
    if (
        named_match is not None
        and not found.agents
        and head_is_proper
        and found.head_match is None
        and _part_of_name(named_match, toks, head_word)
    ):
        return True
    return named_match is None and found.head_match is None and not head_is_proper


def _described_actor(found: _PhraseMatches, head_is_proper: bool, name: str, on: date | None) -> Actor | None:
    """The actor sector nouns and the nearest named modifier describe: the modifier gives
    the country; a specific sector noun, else the modifier's own sector, else a generic noun
    ("spokesman") gives the sector: "Hamas spokesman" is REB, "Russian spokesman" GOV."""
    used: list[str] = []
    country: str | None = None
    sector: str | None = None
    code: str | None = None
    kind = SECTOR_KIND
    if found.named:
        entry = _actor_entry(found.named[0])
        resolved = _named_actor(entry, on)
        if resolved is not None:
            country, sector, code = resolved.country, resolved.sector, resolved.code
            kind = entry.kind
            used.append(_describe(found.named[0].pattern, resolved.code))
    sector_match = found.specific[0] if found.specific else (None if sector else next(iter(found.generic), None))
    if sector_match is not None:
        sector = _agent(sector_match).sector
        used.append(_describe(sector_match.pattern, None))
        code = None
    if found.former_at and sector in _OFFICE_SECTORS:
        sector, code = "ELI", None
    if found.agents and kind in {"person", "institution", "country"}:
        kind = "country" if country is not None else SECTOR_KIND
    if head_is_proper and found.head_match is None:
        kind = "person"
    if country is None and sector is None:
        return None
    return Actor(name, country, sector, kind, " + ".join(used), code)


class ActorResolver:
    """Resolve spans and strings to :class:`Actor` with a parsed :class:`Reference`."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference
        self._by_first = reference.by_first_token
        self._stems = reference.single_stems
        self._min_stem = reference.min_stem_length
        self._sponsor_words = reference.sponsor_words
        self._sponsor_modifier = (
            re.compile(
                r"[\w.]+\s?[-–]\s?(?:" + "|".join(sorted(map(re.escape, reference.sponsor_words))) + r")\b", re.I
            )
            if reference.sponsor_words
            else None
        )

    def _candidates_at(self, toks: Sequence[_Tok], i: int) -> _Match | None:
        """The best dictionary match starting at ``toks[i]``: longest, then exact over stem,
        then named over sector noun, then the earlier-loaded entry."""
        first = toks[i]
        best: _Match | None = None
        best_key: tuple[int, int, int] | None = None
        n = len(toks)
        for pattern in self._by_first.get(first.norm, ()):
            length = len(pattern.tokens)
            if best_key is not None and length < best_key[0]:
                break
            if i + length > n or not self._fits(pattern, toks, i):
                continue
            exact = 1 if toks[i + length - 1].norm == pattern.tokens[-1] else 0
            key = (length, exact, 0 if pattern.is_agent else 1)
            if best_key is None or key > best_key:
                best, best_key = _Match(i, i + length, pattern), key
        if best is None and len(first.norm) > self._min_stem and first.norm.isalpha():
            norm = first.norm
            for suffix in _STEM_SUFFIXES:
                if norm.endswith(suffix) and len(norm) - len(suffix) >= self._min_stem:
                    for pattern in self._stems.get(norm[: -len(suffix)], ()):
                        if self._case_ok(pattern, toks, i, 1):
                            return _Match(i, i + 1, pattern)
        return best

    @staticmethod
    def _case_ok(pattern: NamePattern, toks: Sequence[_Tok], i: int, length: int) -> bool:
        """Names must not match lower-case text ("gallant soldiers" is not Yoav Gallant), and
        a one-word name that is also a common word only in capitals ("WHO", not "who")."""
        if pattern.is_agent:
            # "PM", "MPs", "CEO" but not "p.m.": short sector words need capitals.
            return not (length == 1 and len(pattern.tokens[0]) <= 2 and toks[i].case == _LOWER)
        if all(toks[k].case == _LOWER for k in range(i, i + length)):
            return False
        if length == 1 and pattern.tokens[0] in _AMBIGUOUS_SHORT:
            return toks[i].case == _UPPER
        return True

    def _fits(self, pattern: NamePattern, toks: Sequence[_Tok], i: int) -> bool:
        tokens = pattern.tokens
        last = len(tokens) - 1
        for k in range(1, last):
            if toks[i + k].norm != tokens[k]:
                return False
        if last > 0:
            norm = toks[i + last].norm
            if norm != tokens[last] and not (
                pattern.stem and norm.startswith(tokens[last]) and norm[len(tokens[last]) :] in _STEM_SUFFIX_SET
            ):
                return False
        return self._case_ok(pattern, toks, i, len(tokens))

    def _scan(self, toks: Sequence[_Tok]) -> list[_Match]:
        matches: list[_Match] = []
        i = 0
        while i < len(toks):
            match = self._candidates_at(toks, i)
            if match is None:
                i += 1
            else:
                matches.append(match)
                i = match.end
        return matches

    def _decide(
        self,
        toks: Sequence[_Tok],
        head_word: int,
        eligible: set[int] | None,
        head_is_proper: bool,
        name: str,
        on: date | None,
    ) -> Actor | None:
        """The actor the phrase's dictionary matches make, or None.

        A named identity (the head's own name, or a person named right after a title) decides
        the actor; failing one, sector nouns and the nearest named modifier describe it.
        """
        matches = self._scan(toks)
        if not matches:
            return None
        found = _sort_matches(matches, toks, head_word, eligible)
        identity = _identity_match(found, toks)
        if identity is not None:
            return _identified_actor(identity, found, name, on)
        if _matches_make_no_actor(found, toks, head_word, head_is_proper):
            return None
        return _described_actor(found, head_is_proper, name, on)

    def resolve(self, span: Span | Token, on: date | None = None) -> Actor | None:
        """Resolve a spaCy span (or single token) to an actor, or None."""
        tokens: list[Token] = [span] if hasattr(span, "i") else list(span)  # type: ignore[list-item]
        start, end = 0, len(tokens)
        while start < end and (tokens[start].lower_ in _DETERMINERS or tokens[start].text in _LEADING_DROP):
            start += 1
        while end > start and (tokens[end - 1].lower_ in _TRAILING_DROP or tokens[end - 1].text == "’s"):
            end -= 1
        if start >= end:
            return None
        kept = tokens[start:end]
        root = span.root if hasattr(span, "root") else tokens[0]
        kept_ids = {t.i for t in kept}
        if root.i not in kept_ids:
            root = max(kept, key=lambda t: t.i) if root.i > kept[-1].i else kept[0]
        toks: list[_Tok] = []
        sponsors = self._sponsor_modifiers([t.text for t in kept]) if self._sponsor_words else set()
        for index, token in enumerate(kept):
            if index in sponsors:
                continue
            for norm, case in _pieces(token.text):
                toks.append(_Tok(norm, case, index))
        if not toks:
            return None
        head_word = root.i - kept[0].i
        eligible = self._eligible_words(kept, root)
        doc = kept[0].doc
        name = doc[kept[0].i : kept[-1].i + 1].text
        return self._decide(toks, head_word, eligible, root.pos_ == "PROPN", name, on)

    @staticmethod
    def _eligible_words(kept: Sequence[Token], root: Token) -> set[int]:
        """Positions (in ``kept``) of words that modify the head through modifier relations."""
        first = kept[0].i
        last = kept[-1].i
        eligible: set[int] = set()
        for offset, token in enumerate(kept):
            node = token
            ok = True
            steps = 0
            while node.i != root.i:
                dep = node.dep_
                if dep == "prep":
                    if node.lower_ not in _OF_PREPOSITIONS:
                        ok = False
                        break
                elif dep not in _MODIFIER_DEPS:
                    ok = False
                    break
                parent = node.head
                if parent.i == node.i or not (first <= parent.i <= last) or steps > 50:
                    ok = parent.i == root.i
                    break
                node = parent
                steps += 1
            if ok:
                eligible.add(offset)
        return eligible

    def _sponsor_modifiers(self, words: Sequence[str]) -> set[int]:
        """Positions of the words of a sponsor modifier ("US - backed", "Iranian-funded"): a
        group is coded by its own country, not by the state that backs it."""
        found: set[int] = set()
        for i, word in enumerate(words):
            parts = word.split("-")
            if len(parts) > 1 and parts[-1].lower() in self._sponsor_words:
                found.add(i)
            elif i + 2 < len(words) and words[i + 1] in ("-", "–") and words[i + 2].lower() in self._sponsor_words:
                found.update({i, i + 1, i + 2})
        return found

    def resolve_text(self, text: str, on: date | None = None) -> Actor | None:
        """Resolve a plain string (no parse): the head is the last word before the first
        preposition other than of/from, a comma, a conjunction or a relative pronoun."""
        if self._sponsor_modifier is not None:
            text = self._sponsor_modifier.sub(" ", text)
        words = tokenize_text(text)
        start, end = 0, len(words)
        while start < end and (normalise_token(words[start]) in _DETERMINERS or words[start] in _LEADING_DROP):
            start += 1
        while end > start and normalise_token(words[end - 1]) in _TRAILING_DROP:
            end -= 1
        words = words[start:end]
        if not words:
            return None
        toks: list[_Tok] = []
        for index, word in enumerate(words):
            for norm, case in _pieces(word):
                toks.append(_Tok(norm, case, index))
        if not toks:
            return None
        head_word, eligible = self._text_head(words)
        name = _TRAILING_POSSESSIVE.sub("", _LEADING_DET.sub("", text.strip(), count=1))
        head_is_proper = words[head_word][:1].isupper()
        return self._decide(toks, head_word, eligible, head_is_proper, name or text.strip(), on)

    @staticmethod
    def _text_head(words: Sequence[str]) -> tuple[int, set[int]]:
        head = len(words) - 1
        for index, word in enumerate(words):
            low = word.lower()
            if index > 0 and (low in _TEXT_BLOCKERS or low in _OF_PREPOSITIONS or low == ","):
                head = index - 1
                break
        eligible: set[int] = set()
        blocked = False
        for index, word in enumerate(words):
            low = word.lower()
            if low == ",":
                blocked = False
                continue
            if index > 0 and low in _TEXT_BLOCKERS:
                blocked = True
            if not blocked:
                eligible.add(index)
        return head, eligible

    def find_mentions(self, doc_or_span: Doc | Span, on: date | None = None) -> list[tuple[Span, Actor]]:
        """Every actor mention in a sentence or document: one per noun phrase whose words
        match the reference, largest phrase first where they nest, in text order."""
        tokens = list(doc_or_span)
        if not tokens:
            return []
        doc = tokens[0].doc
        lo, hi = tokens[0].i, tokens[-1].i
        found: list[tuple[Span, Actor]] = []
        for token in tokens:
            if token.pos_ not in _NP_HEAD_POS or (
                token.dep_ in _NP_MODIFIER_DEPS and token.head.i != token.i and token.head.pos_ in _NP_HEAD_POS
            ):
                continue
            left, right = self._phrase_bounds(token, lo, hi)
            span = doc[left : right + 1]
            if not self._has_candidate(span):
                continue
            actor = self.resolve(span, on)
            if actor is not None:
                found.append((span, actor))
        found.sort(key=lambda item: (-(len(item[0])), item[0].start))
        kept: list[tuple[Span, Actor]] = []
        for span, actor in found:
            if any(span.start < k.end and k.start < span.end for k, _ in kept):
                continue
            kept.append((span, actor))
        kept.sort(key=lambda item: item[0].start)
        return kept

    @staticmethod
    def _phrase_bounds(head: Token, lo: int, hi: int) -> tuple[int, int]:
        """The contiguous noun phrase around ``head``: its modifiers, ``of`` phrases and
        appositions, within ``lo..hi``."""
        included = {head.i}
        stack = [head]
        while stack:
            node = stack.pop()
            for child in node.children:
                dep = child.dep_
                if dep == "prep" and child.lower_ not in _OF_PREPOSITIONS:
                    continue
                if dep not in _MODIFIER_DEPS and dep != "prep":
                    continue
                if not (lo <= child.i <= hi):
                    continue
                included.add(child.i)
                stack.append(child)
        left = right = head.i
        while left - 1 in included:
            left -= 1
        while right + 1 in included:
            right += 1
        doc = head.doc
        # A phrase does not end on punctuation or on a preposition whose object was left out.
        while right > head.i and (doc[right].is_punct or doc[right].dep_ == "prep" or doc[right].is_space):
            right -= 1
        while left < head.i and (doc[left].is_punct or doc[left].is_space):
            left += 1
        return left, right

    def _has_candidate(self, span: Span) -> bool:
        for token in span:
            for norm, _ in _pieces(token.text):
                if norm in self._by_first:
                    return True
                for suffix in _STEM_SUFFIXES:
                    if norm.endswith(suffix) and norm[: -len(suffix)] in self._stems:
                        return True
        return False
