"""The action lexicon: verbs, verb patterns, event nouns, light verbs and clause frames.

The lexicon is data, not code. Its files live in `data/reference/verbs/` (tab-separated, `#`
comments, a header line) and are read by `flows.io.nlp.load_lexicon`, which passes their
contents here; this module only parses text into the dataclasses the coder matches against.

| file | one line is |
| --- | --- |
| `cameo_verbs.tsv`, `project_verbs.tsv` | a verb lemma (with a particle) and the CAMEO code / PLOVER type it means by default |
| `cameo_patterns.tsv`, `project_patterns.tsv` | a verb lemma with the subject, object, particle or prepositional phrase that refines its code |
| `cameo_sets.tsv` | a member of a named synonym set (`&WEAPON`) used by patterns |
| `nouns.tsv` | an event noun ("attack", "talks", "sanctions") with the prepositions that introduce its target |
| `light_verbs.tsv` | a verb that takes its meaning from an event-noun object ("launch an offensive", "hold talks") |
| `frames.tsv` | a verb or adjective that frames a clause: attribution ("say"), allegation, threat, intent, refusal, request, denial, desire, modality |
| `word_sets.tsv` | a member of one of the coder's lexical word sets (`WordSets`: mutual verbs, weapon nouns, person roles, …) |

Words in patterns are lower case; a trailing `_` means the word must match exactly, otherwise
it is a stem that also matches longer words ("attack" matches "attacks", "attackers"); `*`
matches any noun (an object must be there, whatever it is; "free *" is any noun phrase holding
"free"). Modifier words may stand anywhere in the argument's phrase ("emergency state" matches
"a state of emergency"). Project
files override CAMEO-derived ones for the same key. Every line carries a `group` naming where it
came from (`cameo:<block>` or `project:<group>`); `SOURCES.md` beside the files says what each
group is.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from schemas.plover import PLOVER, plover_from_cameo
from transforms.reference import ReferenceDataError

NOT_AN_EVENT = "---"

FRAME_KINDS: frozenset[str] = frozenset(
    {
        "attribution",  # say, tell, claim: the embedded clause is reported by the subject
        "threaten",  # threaten to X: THREATEN, whatever X is
        "intent",  # vow, pledge, promise, plan, be ready to: AGREE for cooperation, THREATEN for conflict
        "refuse",  # refuse, decline to X: REJECT
        "request",  # urge, call on, ask, demand X to Y: REQUEST
        "deny",  # deny that X, deny X-ing: the embedded event is denied
        "allege",  # allege, charge that Y did X: ACCUSE against Y
        "claim",  # claim that Y did X: ACCUSE against Y when X is hostile, otherwise as attribution
        "desire",  # want, hope, need, consider X: nothing happened yet, no event
        "negative",  # refrain, avoid X: X did not happen, no event
        "failure",  # fail to X: a rejection (CAMEO 120) when X is agreeing or cooperating, otherwise no event
        "attempt",  # try, attempt, seek to X: the attempt is coded as X
        "hypothetical",  # may, might, could, would, likely, possible: hypothetical
        "obligation",  # must, should: "X said Y must Z" is X's demand on Y (REQUEST)
        "future",  # will, shall, be going to: future tense (dates turn forward)
        "reported",  # reportedly, allegedly: reported without a named speaker
    }
)


_CAMEO_MODES: dict[str, str] = {
    "041": "phone",
    "042": "visit",
    "043": "visit",
    "044": "third-party",
    "045": "third-party",
    "090": "investigate",
    "091": "investigate",
    "092": "investigate",
    "093": "investigate",
    "094": "investigate",
    "111": "disapprove",
    "112": "allege",
}
"""PLOVER modes that a CAMEO code makes clear (a CAMEO 042 is a visit)."""


class LexiconError(ReferenceDataError):
    """A lexicon file is malformed: names the file, the line and what is wrong."""


@dataclass(frozen=True)
class Action:
    """What a lexicon entry codes: a PLOVER type, its mode and the CAMEO code, or no event."""

    plover: str | None
    cameo: str | None
    mode: str | None = None

    @property
    def is_event(self) -> bool:
        return self.plover is not None


@dataclass(frozen=True)
class Phrase:
    """A head word with modifier words that must all appear around it ("humanitarian aid")."""

    head: str
    modifiers: tuple[str, ...] = ()
    exact: bool = False

    def __str__(self) -> str:
        return " ".join((*self.modifiers, self.head + ("_" if self.exact else "")))


@dataclass(frozen=True)
class VerbEntry:
    """A verb (lemma and optional particle) and what it means when no pattern refines it."""

    lemma: str
    particle: str | None
    action: Action
    group: str
    forms: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerbPattern:
    """A verb restated for a dependency parse: lemma plus the words around it that refine its code.

    `subject`, `obj` and `prep_object` are alternatives (a set expands to several phrases);
    a pattern matches when every slot it names is filled by a matching word.
    """

    lemma: str
    particle: str | None
    subject: tuple[Phrase, ...]
    obj: tuple[Phrase, ...]
    prep: str | None
    prep_object: tuple[Phrase, ...]
    action: Action
    group: str

    @property
    def specificity(self) -> float:
        """How many slots the pattern constrains: more specific patterns win; a wildcard
        object (`*`, any noun) counts half."""

        def weight(phrases: tuple[Phrase, ...]) -> float:
            if not phrases:
                return 0.0
            return 0.5 if all(p.head == "*" for p in phrases) else 1.0

        return (
            (self.particle is not None)
            + weight(self.subject)
            + weight(self.obj)
            + (self.prep is not None)
            + weight(self.prep_object)
        )

    def describe(self) -> str:
        parts = [self.lemma]
        if self.particle:
            parts.append(self.particle)
        if self.subject:
            parts.insert(0, "[" + "|".join(map(str, self.subject)) + "]")
        if self.obj:
            parts.append("|".join(map(str, self.obj)))
        if self.prep:
            parts.append(
                "(" + self.prep + (" " + "|".join(map(str, self.prep_object)) if self.prep_object else "") + ")"
            )
        return " ".join(parts)


@dataclass(frozen=True)
class NounEntry:
    """An event noun: what it codes, and the prepositions that introduce its target or partner."""

    noun: str
    modifiers: tuple[str, ...]
    action: Action
    target_preps: tuple[str, ...]
    group: str


@dataclass(frozen=True)
class Frame:
    """A word that frames the clause under it (attribution, threat, intent, modality, ...)."""

    lemma: str
    particle: str | None
    kind: str
    group: str


COMMITMENT_GROUP = "project:commitment"
"""The group of the intent frames that commit their subject ("agreed/pledged/is ready to")."""
THREAT_GROUP = "project:threat"
"""The group of the warning verbs and of the consequence patterns ("would face consequences")."""
CLAIMS_SET = "CLAIMS"
"""The synonym set of claims the denial patterns answer; every member is a claim noun too."""


@dataclass(frozen=True)
class WordSets:
    """The coder's lexical word sets: what kind of word a subject, object or clause is.

    Read from `word_sets.tsv` (one word per line, `set` naming the field) except where the
    lexicon already holds the words, so that tuning them changes the lexicon's version rather
    than the code: `commitment_frames` are the intent frames of group `project:commitment`,
    `warning_verbs` the verbs and `consequence_verbs` the pattern verbs of group
    `project:threat`, and `claim_nouns` adds the `&CLAIMS` set to the file's claims. Grammar
    words (determiners, pronouns, prepositions, auxiliaries) stay in `transforms/coder/words.py`.
    """

    object_control_verbs: frozenset[str] = frozenset()
    """Verbs whose object is the subject of their infinitive ("urged Y to X": Y does X)."""
    culpability_adjectives: frozenset[str] = frozenset()
    """Adjectives that assert the act under their "of" ("X is guilty of violating")."""
    partitive_nouns: frozenset[str] = frozenset()
    """Heads that count or gather the actor of their "of" phrase ("a group of asylum seekers")."""
    giving_verbs: frozenset[str] = frozenset()
    """Light verbs whose amount of money given is aid ("provided $50 million to Afghanistan")."""
    currency_nouns: frozenset[str] = frozenset()
    """Currencies, by which an amount is money ("2 billion euros")."""
    effort_nouns: frozenset[str] = frozenset()
    """Heads that take their event from the event noun compounded with them ("a mediation effort")."""
    membership_heads: frozenset[str] = frozenset()
    """Heads of a body named by its members' kind ("opposition groups"): the members' sector."""
    force_nouns: frozenset[str] = frozenset()
    """Heads of a deployed force ("Russian troops were deployed": by their own country)."""
    affiliation_words: frozenset[str] = frozenset()
    """Words that tie an actor of no country to the one it acts for ("militants linked to Iran")."""
    state_acts: frozenset[str] = frozenset()
    """Acts only a state's authorities do: with no agent, the state where they happen did them."""
    mission_nouns: frozenset[str] = frozenset()
    """Heads of an international body's deployment: as a target, the country it is in ("the UN mission in Mali")."""
    plan_nouns: frozenset[str] = frozenset()
    """Nouns whose "to" infinitive is their content ("a deal to free the hostages")."""
    plural_references: frozenset[str] = frozenset()
    """Plural heads that refer back to the countries named together ("the two sides")."""
    person_roles: frozenset[str] = frozenset()
    """Role nouns whose phrase names one person ("Russia's envoy"): "he" may refer back to it."""
    collective_nouns: frozenset[str] = frozenset()
    """Nouns by which a story refers back to an international organisation ("the bloc")."""
    title_words: frozenset[str] = frozenset()
    """Titles and honorifics before a person's name, never their surname."""
    carrier_verbs: frozenset[str] = frozenset()
    """Verbs whose document object carries an act ("signed a decree imposing sanctions")."""
    carried_documents: frozenset[str] = frozenset()
    """The documents a carrier verb issues ("decree", "statement", "resolution")."""
    spokesperson_roles: frozenset[str] = frozenset()
    """Roles that speak for the actor of their "for"/"of" phrase ("a spokesman for the Kremlin")."""
    adviser_roles: frozenset[str] = frozenset()
    """Roles that act for the actor of their "to"/"of"/"for" phrase ("an adviser to Zelensky")."""
    document_nouns: frozenset[str] = frozenset()
    """Documents that speak for their author as a subject ("a UN report said")."""
    claim_nouns: frozenset[str] = frozenset()
    """Claims whose author a rebuttal targets ("dismissed Kyiv's claims"): the file's and `&CLAIMS`."""
    quantity_nouns: frozenset[str] = frozenset()
    """Amounts whose "of"/"in" phrase names what a light verb gives ("$33 million in aid")."""
    actor_like_nouns: frozenset[str] = frozenset()
    """Weapons, attacks and attackers that act as a subject with no country ("a car bomb")."""
    mutual_verbs: frozenset[str] = frozenset()
    """Verbs whose plural subject acts on itself ("X and Y met", "… clashed")."""
    mutual_nouns: frozenset[str] = frozenset()
    """Event nouns whose plural subject acts on itself ("X and Y held talks")."""
    requesting_intent: frozenset[str] = frozenset()
    """Intent frames that become a request when their clause has its own subject ("wants Y to X")."""
    inverse_verbs: frozenset[str] = frozenset()
    """Verbs whose subject receives the act named by their object ("faced pressure from X")."""
    inverse_objects: frozenset[str] = frozenset()
    """The event nouns an inverse verb's subject receives ("pressure", "aid", "sanctions")."""
    weapon_nouns: frozenset[str] = frozenset()
    """What is fired, never who is hit ("fired missiles at X" targets X)."""
    international_forces: frozenset[str] = frozenset()
    """Words that make a force an international body's ("peacekeepers"): IGO where no state is named."""
    verbal_clash_verbs: frozenset[str] = frozenset()
    """Verbs of fighting that, said of named people rather than forces, mean a dispute."""
    envoy_nouns: frozenset[str] = frozenset()
    """People and posts that represent a state abroad ("diplomats", "the ambassador", "the
    embassy"): with no country named they are another state's, never placed at home."""
    accord_verbs: frozenset[str] = frozenset()
    """Verbs that, holding a view true ("agree with the NCAA that …", "they agree with what …"),
    express accord (CAMEO 019, no event) rather than agree to act."""
    proposal_nouns: frozenset[str] = frozenset()
    """What one party puts to another ("demands", "a proposal", "calls"): its author ("from X",
    "by X") is whom accepting or rejecting it is aimed at; its "that" clause's subject is whom
    a demand asks."""
    one_sided_meeting_verbs: frozenset[str] = frozenset()
    """Verbs of meeting told from their subject's side ("A met with B"): PETRARCH and CAMEO code
    them once, A → B, where talks and negotiations ("held talks with") are both sides'."""
    commitment_frames: frozenset[str] = frozenset()
    """Derived: the intent frames of group `project:commitment` (`frames.tsv`)."""
    warning_verbs: frozenset[str] = frozenset()
    """Derived: the verbs of group `project:threat` ("warn", "caution")."""
    consequence_verbs: frozenset[str] = frozenset()
    """Derived: the verbs of the `project:threat` patterns ("face consequences", "pay a price")."""


DERIVED_WORD_SETS = frozenset({"commitment_frames", "warning_verbs", "consequence_verbs"})
"""Word sets the lexicon already holds: `word_sets.tsv` may not list them."""
LISTED_WORD_SETS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(WordSets) if f.name not in DERIVED_WORD_SETS
)
"""Word sets read from `word_sets.tsv`; each must have at least one word there."""


@dataclass
class Lexicon:
    """The parsed lexicon, indexed for the coder, with its version."""

    version: str
    verbs: dict[tuple[str, str | None], VerbEntry] = field(default_factory=dict)
    patterns: dict[str, list[VerbPattern]] = field(default_factory=dict)
    nouns: dict[str, list[NounEntry]] = field(default_factory=dict)
    light_verbs: dict[str, tuple[str | None, ...]] = field(default_factory=dict)
    frames: dict[str, list[Frame]] = field(default_factory=dict)
    trigger_forms: frozenset[str] = frozenset()
    conditional_forms: dict[str, frozenset[str]] = field(default_factory=dict)
    words: WordSets = field(default_factory=WordSets)

    def verb(self, lemma: str, particle: str | None = None) -> VerbEntry | None:
        """The verb entry for `lemma` with `particle`, falling back to the bare lemma."""
        if particle is not None:
            entry = self.verbs.get((lemma, particle))
            if entry is not None:
                return entry
        return self.verbs.get((lemma, None))

    def frame(self, lemma: str, particle: str | None = None) -> Frame | None:
        """The frame for `lemma`, preferring one with `particle`."""
        frames = self.frames.get(lemma)
        if not frames:
            return None
        for frame in frames:
            if frame.particle == particle and particle is not None:
                return frame
        for frame in frames:
            if frame.particle is None:
                return frame
        return None

    def could_hold_event(self, words: Iterable[str]) -> bool:
        """True when some lower-cased word of a sentence is an inflected form of a trigger, or
        of a verb that codes only through a pattern together with a word of that pattern.

        The cheap test the coder runs before parsing: a sentence with no verb, noun or frame
        form from the lexicon cannot yield an event.
        """
        present = set(words)
        if not present.isdisjoint(self.trigger_forms):
            return True
        conditional = self.conditional_forms
        return any(word in conditional and not conditional[word].isdisjoint(present) for word in present)


def action_from_codes(cameo: str, plover: str, mode: str, *, file: str, line: int) -> Action:
    """The action of a lexicon line from its `cameo`, `plover` and `mode` columns."""
    cameo = cameo.strip()
    plover = plover.strip().upper()
    mode_name: str | None = mode.strip() or None
    if cameo == NOT_AN_EVENT or plover == NOT_AN_EVENT:
        return Action(None, None, None)
    if cameo and not re.fullmatch(r"[0-2]\d{1,3}", cameo):
        raise LexiconError(file, line, f"malformed CAMEO code {cameo!r}")
    if not plover:
        plover = plover_from_cameo(cameo) or ""
    if not plover:
        return Action(None, cameo or None, None)
    if mode_name is None and plover in ("CONSULT", "ACCUSE"):
        mode_name = _CAMEO_MODES.get(cameo[:3])
    if plover not in PLOVER:
        raise LexiconError(file, line, f"unknown PLOVER type {plover!r}")
    if mode_name is not None and mode_name not in PLOVER[plover].modes:
        raise LexiconError(file, line, f"mode {mode_name!r} is not a mode of {plover}")
    return Action(plover, cameo or None, mode_name)


def _rows(text: str, file: str, columns: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
    header: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.rstrip("\n").split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            missing = [c for c in columns if c not in header]
            if missing:
                raise LexiconError(file, number, f"header lacks columns {missing}")
            continue
        if len(cells) > len(header):
            raise LexiconError(file, number, f"{len(cells)} cells for {len(header)} columns")
        cells += [""] * (len(header) - len(cells))
        yield number, {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
    if header is None:
        raise LexiconError(file, 0, "no header line")


def _phrase(words: str) -> Phrase:
    parts = words.lower().split()
    head = parts[-1]
    exact = head.endswith("_")
    return Phrase(head.rstrip("_"), tuple(w.rstrip("_") for w in parts[:-1]), exact)


def _phrases(cell: str, sets: Mapping[str, tuple[str, ...]], file: str, line: int) -> tuple[Phrase, ...]:
    """Alternatives in a slot: `a|b c|&SET`; set members expand in place."""
    if not cell:
        return ()
    phrases: list[Phrase] = []
    for alternative in cell.split("|"):
        alternative = alternative.strip()
        words = alternative.split()
        expanded: list[list[str]] = [[]]
        for word in words:
            if word.startswith("&"):
                members = sets.get(word[1:].upper())
                if members is None:
                    raise LexiconError(file, line, f"unknown synonym set {word}")
                expanded = [prefix + member.split() for prefix in expanded for member in members]
            else:
                expanded = [prefix + [word] for prefix in expanded]
        phrases.extend(_phrase(" ".join(words)) for words in expanded if words)
    return tuple(phrases)


def inflections(lemma: str) -> set[str]:
    """Regular English inflections of a verb or noun lemma, for the lexical prefilter.

    Over-generation is harmless here (a form that never occurs costs nothing); under-generation
    would skip a sentence, so irregular forms come from the lexicon's `forms` column.
    """
    word = lemma.lower()
    forms = {word, word + "s", word + "ed", word + "ing", word + "es", word + "d"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", word):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    return forms


def lemma_table(lexicon: Lexicon) -> dict[str, str]:
    """Inflected form → lemma for every verb, pattern verb, event noun and frame of the lexicon;
    where two lemmas share a form ("hopes": hope, hop) the longer lemma wins."""
    table: dict[str, str] = {}
    words: set[str] = set()
    words.update(lemma for lemma, _ in lexicon.verbs)
    words.update(lexicon.patterns)
    words.update(lexicon.nouns)
    words.update(lexicon.frames)
    words.update(lexicon.light_verbs)
    for lemma in sorted(words, key=len):
        forms = inflections(lemma)
        entry = lexicon.verbs.get((lemma, None))
        if entry is not None:
            forms |= set(entry.forms)
        for form in forms:
            table[form] = lemma
    for lemma in words:
        table[lemma] = lemma
    return table


def parse_sets(text: str, file: str = "cameo_sets.tsv") -> dict[str, tuple[str, ...]]:
    """Synonym sets: `set` name (without `&`) to its member words."""
    sets: dict[str, list[str]] = {}
    for _, row in _rows(text, file, ("set", "member")):
        sets.setdefault(row["set"].upper().lstrip("&"), []).append(row["member"].lower())
    return {name: tuple(members) for name, members in sets.items()}


def parse_word_sets(text: str, file: str = "word_sets.tsv") -> dict[str, frozenset[str]]:
    """The listed word sets (`LISTED_WORD_SETS`): set name to its words, every set present.

    Fails on an unknown or derived set name, a missing group, a word of more than one token,
    a word listed twice in one set, and a set with no words.
    """
    words: dict[str, set[str]] = {name: set() for name in LISTED_WORD_SETS}
    for line, row in _rows(text, file, ("set", "word", "group")):
        name, word = row["set"].lower(), row["word"].lower()
        if name in DERIVED_WORD_SETS:
            raise LexiconError(file, line, f"word set {name!r} is derived from the lexicon: edit its source instead")
        if name not in words:
            raise LexiconError(file, line, f"unknown word set {name!r}")
        if not word or len(word.split()) != 1:
            raise LexiconError(file, line, f"one word per line, not {word!r}")
        if not row["group"]:
            raise LexiconError(file, line, "no group")
        if word in words[name]:
            raise LexiconError(file, line, f"{word!r} is listed twice in {name!r}")
        words[name].add(word)
    empty = [name for name, members in words.items() if not members]
    if empty:
        raise LexiconError(file, 0, f"no words for the word sets {empty}")
    return {name: frozenset(members) for name, members in words.items()}


def _word_sets(lexicon: Lexicon, listed: Mapping[str, frozenset[str]], sets: Mapping[str, tuple[str, ...]]) -> WordSets:
    """The word sets: those listed in `word_sets.tsv`, and those derived from the lexicon."""
    if not listed:
        return WordSets()
    commitments = {
        frame.lemma
        for frames in lexicon.frames.values()
        for frame in frames
        if frame.kind == "intent" and frame.group == COMMITMENT_GROUP
    }
    warnings = {lemma for (lemma, _), entry in lexicon.verbs.items() if entry.group == THREAT_GROUP}
    consequences = {
        lemma for lemma, patterns in lexicon.patterns.items() if any(p.group == THREAT_GROUP for p in patterns)
    }
    return WordSets(
        **{**listed, "claim_nouns": listed["claim_nouns"] | frozenset(sets.get(CLAIMS_SET, ()))},
        commitment_frames=frozenset(commitments),
        warning_verbs=frozenset(warnings),
        consequence_verbs=frozenset(consequences),
    )


def _merged_sets(files: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """The synonym sets patterns use: members from `project_sets.tsv` follow those from
    `cameo_sets.tsv` under the same name."""
    sets: dict[str, tuple[str, ...]] = {}
    for name in ("cameo_sets.tsv", "project_sets.tsv"):
        if name in files:
            for set_name, members in parse_sets(files[name], name).items():
                sets[set_name] = sets.get(set_name, ()) + members
    return sets


def _add_verbs(lexicon: Lexicon, files: Mapping[str, str]) -> dict[str, set[str]]:
    """Add the verb entries, a project line replacing a CAMEO one for the same lemma and
    particle; return each lemma's inflected forms (with any forms its line lists)."""
    verb_forms: dict[str, set[str]] = {}
    for name in ("cameo_verbs.tsv", "project_verbs.tsv"):
        if name not in files:
            continue
        for line, row in _rows(files[name], name, ("lemma", "particle", "cameo", "group")):
            action = action_from_codes(row["cameo"], row.get("plover", ""), row.get("mode", ""), file=name, line=line)
            lemma = row["lemma"].lower()
            particle = row["particle"].lower() or None
            extra = tuple(row.get("forms", "").lower().split())
            lexicon.verbs[(lemma, particle)] = VerbEntry(lemma, particle, action, row["group"], extra)
            # Forms gather over every line of a lemma: "strike down", listed after "strike",
            # must not take away "struck".
            verb_forms.setdefault(lemma, inflections(lemma)).update(extra)
    for key, entry in lexicon.verbs.items():
        # and so must a project line that overrides the CAMEO one ("take", no event of its own,
        # keeps "took" for the lemma table and the patterns)
        gathered = tuple(sorted(verb_forms[entry.lemma] - inflections(entry.lemma) - set(entry.forms)))
        if gathered:
            lexicon.verbs[key] = dataclasses.replace(entry, forms=entry.forms + gathered)
    return verb_forms


def _add_patterns(lexicon: Lexicon, files: Mapping[str, str], sets: Mapping[str, tuple[str, ...]]) -> None:
    """Add the verb patterns, each of which must constrain a slot; for a lemma, project
    patterns come before CAMEO ones, in their file order, so that they are tried first."""
    for name in ("cameo_patterns.tsv", "project_patterns.tsv"):
        if name not in files:
            continue
        columns = ("lemma", "particle", "subject", "object", "prep", "prep_object", "cameo", "group")
        for line, row in _rows(files[name], name, columns):
            action = action_from_codes(row["cameo"], row.get("plover", ""), row.get("mode", ""), file=name, line=line)
            lemma = row["lemma"].lower()
            pattern = VerbPattern(
                lemma=lemma,
                particle=row["particle"].lower() or None,
                subject=_phrases(row["subject"], sets, name, line),
                obj=_phrases(row["object"], sets, name, line),
                prep=row["prep"].lower() or None,
                prep_object=_phrases(row["prep_object"], sets, name, line),
                action=action,
                group=row["group"],
            )
            if pattern.specificity == 0:
                raise LexiconError(name, line, "a pattern must constrain at least one slot")
            bucket = lexicon.patterns.setdefault(lemma, [])
            if name.startswith("project_"):
                position = sum(1 for p in bucket if p.group.startswith("project:"))
                bucket.insert(position, pattern)
            else:
                bucket.append(pattern)


def _add_nouns(lexicon: Lexicon, files: Mapping[str, str]) -> set[str]:
    """Add the event nouns; return the inflected forms of those that code an event."""
    forms: set[str] = set()
    if "nouns.tsv" not in files:
        return forms
    for line, row in _rows(files["nouns.tsv"], "nouns.tsv", ("noun", "modifiers", "cameo", "target_preps", "group")):
        action = action_from_codes(
            row["cameo"], row.get("plover", ""), row.get("mode", ""), file="nouns.tsv", line=line
        )
        noun = row["noun"].lower()
        entry = NounEntry(
            noun=noun,
            modifiers=tuple(row["modifiers"].lower().split()),
            action=action,
            target_preps=tuple(row["target_preps"].lower().split()),
            group=row["group"],
        )
        lexicon.nouns.setdefault(noun, []).append(entry)
        if action.is_event:
            forms |= inflections(noun)
    return forms


def _add_light_verbs(lexicon: Lexicon, files: Mapping[str, str]) -> None:
    """Add the light verbs, each lemma with the particles it is listed with, in file order."""
    if "light_verbs.tsv" not in files:
        return
    for _, row in _rows(files["light_verbs.tsv"], "light_verbs.tsv", ("lemma", "particle", "group")):
        lemma = row["lemma"].lower()
        particles = lexicon.light_verbs.get(lemma, ())
        lexicon.light_verbs[lemma] = (*particles, row["particle"].lower() or None)


def _add_frames(lexicon: Lexicon, files: Mapping[str, str]) -> set[str]:
    """Add the clause frames, each of a known kind; return the inflected forms of threat,
    intent and request frames, which code even when the clause under them does not."""
    forms: set[str] = set()
    if "frames.tsv" not in files:
        return forms
    for line, row in _rows(files["frames.tsv"], "frames.tsv", ("lemma", "particle", "kind", "group")):
        kind = row["kind"].lower()
        if kind not in FRAME_KINDS:
            raise LexiconError("frames.tsv", line, f"unknown frame kind {kind!r}")
        lemma = row["lemma"].lower()
        frame = Frame(lemma, row["particle"].lower() or None, kind, row["group"])
        lexicon.frames.setdefault(lemma, []).append(frame)
        if kind in ("threaten", "intent", "request"):
            forms |= inflections(lemma)
    return forms


def _pattern_companions(patterns: Iterable[VerbPattern]) -> set[str]:
    """The words that must accompany a verb coding only through these patterns: the forms of
    the heads of their event patterns' phrases (``*`` when any noun will do), or a particle
    or preposition for a pattern without phrases."""
    companions: set[str] = set()
    for pattern in patterns:
        if not pattern.action.is_event:
            continue
        phrases = (*pattern.subject, *pattern.obj, *pattern.prep_object)
        for phrase in phrases:
            if phrase.head == "*":
                companions.add("*")
                continue
            companions |= inflections(phrase.head) | {phrase.head}
        if not phrases:
            companions |= {w for w in (pattern.particle, pattern.prep) if w}
    return companions


AMOUNT_WORDS = frozenset({"million", "millions", "billion", "billions", "trillion", "bn", "mn"})
"""Words of a large amount ("$50 million"): beside a giving verb, a sentence may give money."""


def _prefilter_words(
    lexicon: Lexicon, verb_forms: Mapping[str, set[str]], forms: Iterable[str]
) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """The prefilter's trigger forms and conditional forms.

    Triggers are ``forms`` (event nouns, threat and intent frames) with the forms of verbs
    that code an event by themselves or through a pattern taking any noun (``*``).
    Verbs that never code an event ("say") do not count; one that codes only through a
    pattern ("say" in "said it would impose sanctions") is conditional on a word of one of
    those patterns in the sentence too.
    """
    triggers = set(forms)
    conditional: dict[str, set[str]] = {}
    for (lemma, _), verb_entry in lexicon.verbs.items():
        if verb_entry.action.is_event:
            triggers |= verb_forms.get(lemma, inflections(lemma))
    for lemma, patterns in lexicon.patterns.items():
        bare = lexicon.verbs.get((lemma, None))
        if bare is not None and bare.action.is_event:
            continue
        companions = _pattern_companions(patterns)
        if "*" in companions:
            triggers |= verb_forms.get(lemma, inflections(lemma))
        elif companions:
            for form in verb_forms.get(lemma, inflections(lemma)):
                conditional.setdefault(form, set()).update(companions)
    return frozenset(triggers), {form: frozenset(words) for form, words in conditional.items()}


def parse_lexicon(files: Mapping[str, str], version: str) -> Lexicon:
    """Build the lexicon from file contents keyed by file name (see the module docstring).

    Files that are absent are treated as empty (without `word_sets.tsv` every word set is
    empty); `project_*` files are applied after `cameo_*` ones so that the project's entries
    override the converted dictionary.
    """
    sets = _merged_sets(files)
    lexicon = Lexicon(version=version)
    verb_forms = _add_verbs(lexicon, files)
    _add_patterns(lexicon, files, sets)
    forms = _add_nouns(lexicon, files)
    _add_light_verbs(lexicon, files)
    forms |= _add_frames(lexicon, files)
    lexicon.trigger_forms, lexicon.conditional_forms = _prefilter_words(lexicon, verb_forms, forms)
    listed = parse_word_sets(files["word_sets.tsv"]) if "word_sets.tsv" in files else {}
    lexicon.words = _word_sets(lexicon, listed, sets)
    lexicon.conditional_forms = _with_money(lexicon, verb_forms)
    return lexicon


def _with_money(lexicon: Lexicon, verb_forms: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    """The prefilter's conditional forms, with a giving verb conditional on a word of an amount of
    money ("provided 2 billion euros", "$50 million"): money given codes without an event noun."""
    words = lexicon.words
    if not words.giving_verbs:
        return lexicon.conditional_forms
    money = frozenset(form for noun in words.currency_nouns for form in inflections(noun)) | AMOUNT_WORDS
    conditional = dict(lexicon.conditional_forms)
    for verb in words.giving_verbs:
        for form in verb_forms.get(verb, inflections(verb)):
            conditional[form] = conditional.get(form, frozenset()) | money
    return conditional
