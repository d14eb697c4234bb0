"""Dependency rules: from one parsed sentence to candidate events.

A candidate is found from a *trigger* and completed from the parse around it:

1. Triggers. A verb whose lemma is in the lexicon; its code is refined by the most specific
   matching pattern (subject, object, particle, preposition + object), then by an event-noun
   object when the verb is a light verb ("launched an offensive"), then by the verb's own code.
   Verbs that only frame other clauses ("say", "want", "try") are never events themselves.
2. Frames. From the trigger's clause the rules walk up the tree through `xcomp`, `ccomp`,
   `conj`, `advcl` and `pcomp` links. The first framing word met decides what the clause is:
   "threatened to X" → THREATEN; "vowed/pledged/wants to X" → AGREE for cooperation and
   THREATEN for conflict ("wants Y to X" → REQUEST to Y); "refused to X" → REJECT; "urged Y
   to X", "called for/on Y to X" → REQUEST to Y; "alleged/claimed that Y did X" (X hostile)
   → ACCUSE against Y; "denied X" → X with status `denied`; "hopes/considers X", "failed to X"
   → no event; "X said that …", "… according to X", a quotation → status `reported` with X as
   speaker; "may/could/would X", "if X" → `hypothetical`; "is scheduled/expected to X" → X in
   the future. A negated clause is dropped, except "will not / would not" + cooperation, which
   is a refusal (REJECT). A clause that gives a reason or content ("jailed *for helping*",
   "accused *of attacking*") is not an event of its own.
3. Arguments. The actor is the logical subject: the subject, or the `by` agent of a passive;
   a subject-less verb takes it from the verb it is coordinated with or depends on (or, for
   "urged Y to X", from the object). The target is the object (or the passive subject), then
   the object of a preposition that suits the action ("withdrew *from*", "talks *with*").
   Coordinated noun phrases ("Russia and China", "US and British activists") give one event
   each; "X and Y agreed/met …" and "… each other" give the event in both directions, and a
   meeting ("met with", "talks with") is coded in both directions.
4. Resolution. Each argument's noun phrase goes to the actor resolver; a sector noun without
   a country takes the country of a place inside the phrase ("a court in Guyana"); what the
   resolver cannot name is tried against the article's memory: pronouns, surnames, role
   nouns ("the minister") and plural references ("the leaders", "both countries").

Every candidate records the rule, lexicon entries and resolution paths it used: that is the
row's explanation and the confidence model's features.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from schemas.plover import PLOVER
from transforms.lexicon import Action, Lexicon, NounEntry, Phrase, VerbPattern

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from transforms.actors import Actor


SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "obj"})
CLAUSE_LINKS = frozenset({"xcomp", "ccomp", "conj", "advcl", "pcomp", "parataxis", "acomp", "oprd", "pobj", "prep"})
GENERIC_TARGET_PREPS: tuple[str, ...] = (
    "against", "on", "upon", "at", "with", "to", "toward", "towards", "into", "over", "from", "for",
)  # fmt: skip
ACTION_TARGET_PREPS: dict[str, tuple[str, ...]] = {
    "RETREAT": ("from",),
    "CONSULT": ("with", "to", "between"),
    "AGREE": ("with", "between"),
    "COOPERATE": ("with", "to"),
    "AID": ("to", "for"),
    "SUPPORT": ("for", "to", "with"),
    "ASSAULT": ("against", "on", "at", "into"),
    "PROTEST": ("against", "outside"),
    "SANCTION": ("on", "against"),
    "ACCUSE": ("against", "of"),
    "THREATEN": ("against", "with"),
}
OBJECT_PREPS = frozenset({"with", "against", "on", "to", "between", "for", "toward", "towards", "into"})
OBJECT_CONTROL_VERBS = frozenset(
    {"urge", "ask", "order", "force", "allow", "help", "invite", "persuade", "tell", "call", "press",
     "encourage", "instruct", "compel", "require", "authorize", "authorise", "permit", "push", "lead", "want"}
)  # fmt: skip
NON_EVENT_FRAMES = frozenset({"attribution", "desire", "negative", "attempt", "hypothetical", "future", "reported"})
EMBEDDING_FRAMES = frozenset({"threaten", "intent", "refuse", "request", "deny", "attribution", "allege", "claim"})
REASON_PREPOSITIONS = frozenset({"for", "of"})
MALE_FEMALE_PRONOUNS = frozenset({"he", "she", "him", "her"})
PLURAL_REFERENCES = frozenset(
    {"leader", "country", "nation", "side", "government", "state", "party", "neighbour", "neighbor", "ally", "rival"}
)  # fmt: skip
RECIPROCAL_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE", "SUPPORT", "ASSAULT"})
QUOTES = frozenset({'"', "“", "”", "``", "''"})
NOUNISH = frozenset({"NOUN", "PROPN", "PRON"})
TEMPORAL_WORDS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today",
     "tonight", "tomorrow", "overnight"}
)  # fmt: skip
LOCATIVE_PREPS = frozenset({"in", "at", "from"})
DOCUMENT_NOUNS = frozenset(
    {
        "report",
        "statement",
        "communique",
        "document",
        "study",
        "survey",
        "letter",
        "resolution",
        "declaration",
        "indictment",
        "dossier",
    }
)
CLAIM_NOUNS = frozenset(
    {"claim", "allegation", "accusation", "charge", "report", "assertion", "statement", "remark", "comment"}
)
QUANTITY_NOUNS = frozenset(
    {
        "million",
        "billion",
        "thousand",
        "package",
        "tonne",
        "ton",
        "amount",
        "worth",
        "dollar",
        "euro",
        "series",
        "wave",
        "round",
        "number",
    }
)
COMMIT_FRAMES = frozenset(
    {"agree", "pledge", "promise", "vow", "offer", "commit", "guarantee", "undertake", "willing", "ready"}
)
ACTOR_LIKE_NOUNS = frozenset(
    {
        "bomb",
        "bombing",
        "explosion",
        "blast",
        "attack",
        "airstrike",
        "strike",
        "shelling",
        "missile",
        "rocket",
        "mortar",
        "drone",
        "gunfire",
        "fire",
        "raid",
        "ambush",
        "grenade",
        "mine",
        "device",
        "ied",
        "gunman",
        "assailant",
        "attacker",
    }
)
NON_STATE = frozenset({"IGO", "NGO", "IMG", "MNC"})


@dataclass
class Argument:
    """A resolved (or unresolved) actor or target noun phrase."""

    text: str
    head_index: int
    actor: Actor | None
    via: str
    explicit: bool = True

    @property
    def country(self) -> str | None:
        return self.actor.country if self.actor else None

    @property
    def sector(self) -> str | None:
        return self.actor.sector if self.actor else None


@dataclass
class Candidate:
    """An event found in a sentence, before dates, confidence and ids are added."""

    trigger_index: int
    clause_index: int
    action: Action
    rule: str
    entries: dict[str, Any]
    actor: Argument
    target: Argument | None
    claim_status: str = "asserted"
    speaker: Argument | None = None
    future: bool = False
    features: dict[str, Any] = field(default_factory=dict)


@dataclass
class Mention:
    """An actor named in the article, remembered for later references to it."""

    sentence_index: int
    token_index: int
    text: str
    actor: Actor
    words: frozenset[str]
    head_lemma: str


class ArticleMemory:
    """What an article has named so far, for pronouns, surnames and role nouns."""

    def __init__(self, fill: Any = None) -> None:
        self.mentions: list[Mention] = []
        self._pending: list[tuple[int, Any]] = []
        self._fill = fill

    def defer(self, sentence_index: int, doc: Any) -> None:
        """Queue a parsed sentence whose mentions are read only when a reference needs them:
        finding every name in every sentence costs more than the few lookups that use them."""
        self._pending.append((sentence_index, doc))

    def _catch_up(self) -> None:
        pending, self._pending = self._pending, []
        for sentence_index, doc in pending:
            self._fill(doc, self, sentence_index)

    def remember(self, sentence_index: int, token_index: int, text: str, actor: Actor, head_lemma: str) -> None:
        words = frozenset(w.lower().strip(".,'’") for w in text.replace("-", " ").split() if w[:1].isupper())
        self.mentions.append(Mention(sentence_index, token_index, text, actor, words, head_lemma.lower()))

    def _recent(self, sentence_index: int, token_index: int, window: int) -> Iterator[Mention]:
        if self._pending:
            self._catch_up()
        for mention in reversed(self.mentions):
            if mention.sentence_index > sentence_index:
                continue
            if mention.sentence_index == sentence_index and mention.token_index >= token_index:
                continue
            if sentence_index - mention.sentence_index > window:
                return
            yield mention

    def person(self, sentence_index: int, token_index: int) -> Mention | None:
        """The most recent person named before this point (for "he", "she")."""
        for mention in self._recent(sentence_index, token_index, window=3):
            if mention.actor.kind == "person" and mention.actor.country is not None:
                return mention
        return None

    def by_name(self, words: Iterable[str], sentence_index: int, token_index: int) -> Mention | None:
        """The most recent person whose name contains every capitalised word given."""
        wanted = {w.lower() for w in words}
        if not wanted:
            return None
        for mention in self._recent(sentence_index, token_index, window=10_000):
            if mention.actor.kind == "person" and wanted <= mention.words:
                return mention
        return None

    def by_role(self, head_lemma: str, sector: str | None, sentence_index: int, token_index: int) -> Mention | None:
        """The most recent actor with a country whose name has this role noun ("the minister")."""
        for mention in self._recent(sentence_index, token_index, window=4):
            if mention.actor.country is None:
                continue
            if head_lemma and head_lemma in mention.text.lower():
                return mention
        if sector is None:
            return None
        for mention in self._recent(sentence_index, token_index, window=2):
            if mention.actor.country is not None and mention.actor.sector == sector:
                return mention
        return None

    def countries(self, sentence_index: int, token_index: int, limit: int = 2) -> list[Mention]:
        """The most recent distinct countries named (for "the leaders", "both countries")."""
        found: list[Mention] = []
        seen: set[str] = set()
        for mention in self._recent(sentence_index, token_index, window=2):
            country = mention.actor.country
            if country is None or country in seen or country in NON_STATE:
                continue
            seen.add(country)
            found.append(mention)
            if len(found) == limit:
                break
        return found


def _entry_label(actor: Actor) -> str | None:
    """The dictionary words of the actor's first entry ("un" in "un [IGOUNO] (...)")."""
    label = (actor.entry or "").split(" [", 1)[0].strip().rstrip("*")
    return label.lower() or None


def _head_is_named(head: Token, actor: Actor) -> bool:
    """Whether a sector noun of the actor's entries is the phrase's head ("police", "troops")."""
    words = set()
    for part in (actor.entry or "").split(" + "):
        words.update(part.split(" [", 1)[0].strip().rstrip("*").lower().split())
    lemma = _lemma(head)
    return any(lemma.startswith(w) or head.lower_.startswith(w) or w.startswith(lemma) for w in words if w)


def _is_plural_reference(head: Token) -> bool:
    """ "the leaders", "both countries", "the two sides": a definite plural with no other modifier."""
    if head.tag_ not in ("NNS", "NNPS") or head.lemma_.lower() not in PLURAL_REFERENCES:
        return False
    determiners = {c.lower_ for c in head.children if c.dep_ in ("det", "predet", "nummod", "quantmod")}
    others = [c for c in head.children if c.dep_ in ("amod", "compound", "poss")]
    return bool(determiners & {"the", "both", "two", "these", "those"}) and not others


def _is_place(actor: Actor | None) -> bool:
    """A country or a place in one (a capital, a city): something that locates an event."""
    return (
        actor is not None
        and actor.country is not None
        and actor.country not in NON_STATE
        and actor.kind in ("country", "institution")
    )


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def base_forms(token: Token) -> list[str]:
    """The token's lemma, then base forms guessed from its text: the small model's lemmatizer
    sometimes errs ("staged" → "stag", "hopes" → "hop"), and a missed lemma is a missed event."""
    lemma = token.lemma_.lower()
    word = token.lower_
    forms = [lemma, word]
    for suffix, replacement in (
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
    ):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + replacement
            forms.append(stem)
            if len(stem) > 3 and stem[-1] == stem[-2] and not replacement:
                forms.append(stem[:-1])
    return list(dict.fromkeys(forms))


def known_lemma(lexicon: Lexicon, token: Token) -> str:
    """The first base form of `token` the lexicon knows as a verb, pattern, light verb or frame."""
    forms = base_forms(token)
    for form in forms:
        if form in lexicon.frames:
            return form
    for form in forms:
        if (form, None) in lexicon.verbs or form in lexicon.patterns or form in lexicon.light_verbs:
            return form
    return token.lemma_.lower()


def _children(token: Token, deps: frozenset[str] | set[str] | tuple[str, ...]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def _particle(token: Token) -> str | None:
    for child in token.children:
        if child.dep_ == "prt":
            return child.lower_
    return None


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _prep_objects(token: Token, prep: str | None = None) -> list[tuple[str, Token]]:
    """(preposition, object head) pairs under `token`, including the passive agent ("by")."""
    found: list[tuple[str, Token]] = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") or (child.dep_ == "prt" and child.pos_ == "ADP"):
            word = child.lower_
            if prep is not None and word != prep:
                continue
            for grandchild in child.children:
                if grandchild.dep_ in ("pobj", "pcomp"):
                    found.append((word, grandchild))
            if child.dep_ == "dative" and child.pos_ in NOUNISH:
                found.append(("to", child))
    return found


def logical_objects(verb: Token) -> list[Token]:
    """The verb's object-like dependents: objects, passive subjects, predicative nouns."""
    deps = {"dobj", "obj", "oprd", "attr", "nsubjpass", "dative", "iobj"}
    return [c for c in verb.children if c.dep_ in deps]


class _Slot:
    """One argument of a verb prepared for pattern matching: the prefixes of its lemma and
    text (patterns hold stems) and, when asked, the words around it (pattern modifiers)."""

    __slots__ = ("_around", "prefixes", "token", "words")

    def __init__(self, token: Token) -> None:
        self.token = token
        lemma, text = _lemma(token), token.lower_
        self.words = {lemma, text}
        self.prefixes = {word[:k] for word in self.words for k in range(1, len(word) + 1)}
        self._around: set[str] | None = None

    def matches(self, phrase: Phrase) -> bool:
        if phrase.head == "*":
            return self.token.pos_ in NOUNISH
        if phrase.head not in (self.words if phrase.exact else self.prefixes):
            return False
        if phrase.modifiers:
            if self._around is None:
                self._around = {w for c in self.token.subtree for w in (_lemma(c), c.lower_)}
            return all(m in self._around for m in phrase.modifiers)
        return True


class _VerbSlots:
    """A verb's subject, objects and prepositional objects, computed once for all its patterns."""

    def __init__(self, verb: Token, subject: Token | None) -> None:
        self.verb = verb
        self.particle = _particle(verb)
        self.subject = _Slot(subject) if subject is not None else None
        objects = logical_objects(verb)
        self.objects = [_Slot(o) for o in objects]
        self.preps: dict[str, list[_Slot]] = {}
        for prep, obj in _prep_objects(verb):
            self.preps.setdefault(prep, []).append(_Slot(obj))
        self.object_preps: dict[str, list[_Slot]] = {}
        for obj in objects:
            for prep, inner in _prep_objects(obj):
                self.object_preps.setdefault(prep, []).append(_Slot(inner))
        self.child_words = {c.lower_ for c in verb.children if c.dep_ in ("prep", "prt", "advmod")}


def _match_pattern(pattern: VerbPattern, slots: _VerbSlots) -> dict[str, int] | None:
    matched: dict[str, int] = {}
    if (
        pattern.particle is not None
        and slots.particle != pattern.particle
        and pattern.particle not in slots.child_words
    ):
        return None
    if pattern.subject:
        if slots.subject is None or not any(slots.subject.matches(p) for p in pattern.subject):
            return None
        matched["subject"] = slots.subject.token.i
    if pattern.obj:
        found = next((o for o in slots.objects if any(o.matches(p) for p in pattern.obj)), None)
        if found is None:
            return None
        matched["object"] = found.token.i
    if pattern.prep is not None:
        objects = slots.preps.get(pattern.prep, [])
        if not objects and (pattern.prep == "as" or pattern.obj):
            # "labeled the claims as a hoax": the phrase may hang on the object.
            objects = slots.object_preps.get(pattern.prep, [])
        if not objects and pattern.prep not in slots.child_words:
            return None
        if pattern.prep_object:
            found = next((o for o in objects if any(o.matches(p) for p in pattern.prep_object)), None)
            if found is None:
                return None
            matched["prep_object"] = found.token.i
        elif objects:
            matched["prep_object"] = objects[0].token.i
    return matched


@dataclass
class TriggerMatch:
    """What a trigger codes and which lexicon entries said so."""

    action: Action
    rule: str
    entries: dict[str, Any]
    event_noun: Token | None = None
    target_hint: Token | None = None
    specificity: float = 0


def noun_entry(lexicon: Lexicon, noun: Token) -> NounEntry | None:
    """The most specific event-noun entry for `noun` (modifiers all present around it)."""
    entries = lexicon.nouns.get(_lemma(noun)) or lexicon.nouns.get(noun.lower_)
    if not entries:
        return None
    around = {_lemma(c) for c in noun.children} | {c.lower_ for c in noun.children}
    best: NounEntry | None = None
    for entry in entries:
        if all(m in around for m in entry.modifiers) and (best is None or len(entry.modifiers) > len(best.modifiers)):
            best = entry
    return best


def match_verb(lexicon: Lexicon, verb: Token, subject: Token | None) -> TriggerMatch | None:
    """The action of a verb token: best pattern, else light verb + event noun, else its own code."""
    lemma = known_lemma(lexicon, verb)
    particle = _particle(verb)
    best: tuple[float, VerbPattern, dict[str, int]] | None = None
    patterns = lexicon.patterns.get(lemma, ())
    slots = _VerbSlots(verb, subject) if patterns else None
    for pattern in patterns:
        assert slots is not None
        matched = _match_pattern(pattern, slots)
        if matched is None:
            continue
        if best is None or pattern.specificity > best[0]:
            best = (pattern.specificity, pattern, matched)
    frame = lexicon.frame(lemma)
    framing_only = frame is not None and frame.kind in NON_EVENT_FRAMES
    entry = lexicon.verb(lemma, particle)
    light = lemma in lexicon.light_verbs and (
        None in lexicon.light_verbs[lemma]
        or particle in lexicon.light_verbs[lemma]
        or any(prep in lexicon.light_verbs[lemma] for prep, _ in _prep_objects(verb))
    )
    specific = best is not None and bool(best[1].obj or best[1].prep_object)
    if framing_only and not specific and not light:
        return None
    if best is not None and (specific or best[1].subject or not light):
        specificity, pattern, matched = best
        hint = matched.get("prep_object")
        return TriggerMatch(
            pattern.action,
            "verb-pattern",
            {"verb_pattern": pattern.describe(), "verb_group": pattern.group},
            target_hint=verb.doc[hint] if hint is not None and pattern.prep not in (None, "as") else None,
            specificity=specificity,
        )
    if light:
        objects = logical_objects(verb)
        if particle is None:
            objects += [o for prep, o in _prep_objects(verb) if prep in lexicon.light_verbs[lemma]]
        for obj in objects:
            # "$33 million in aid", "a package of assistance": the event noun hangs on the amount.
            quantity = obj.like_num or obj.tag_ == "$" or _lemma(obj) in QUANTITY_NOUNS
            inner = [o for prep, o in _prep_objects(obj) if prep in ("in", "of")] if quantity else []
            for noun in (obj, *[c for c in obj.children if c.dep_ == "conj"], *inner):
                found = noun_entry(lexicon, noun)
                if found is not None and found.action.is_event:
                    return TriggerMatch(
                        found.action,
                        "light-verb",
                        {
                            "verb": lemma + (" " + particle if particle else ""),
                            "noun": found.noun,
                            "noun_group": found.group,
                        },
                        event_noun=noun,
                        specificity=2,
                    )
    if framing_only:
        return None
    if entry is not None:
        return TriggerMatch(
            entry.action,
            "verb",
            {"verb": entry.lemma + (" " + entry.particle if entry.particle else ""), "verb_group": entry.group},
            specificity=1 if entry.particle else 0,
        )
    return None


def subject_of(verb: Token, depth: int = 0) -> tuple[Token | None, str]:
    """The logical subject of a verb and how it was found."""
    if depth > 6:
        return None, "none"
    if _is_passive(verb):
        for _, obj in _prep_objects(verb, "by"):
            return obj, "passive-agent"
        return None, "passive-no-agent"
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            if child.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                return verb.head, "relative"
            return child, "subject"
    if verb.dep_ == "relcl":
        return None, "none"
    if verb.dep_ == "acl":
        if verb.tag_ == "VBN":
            for _, obj in _prep_objects(verb, "by"):
                return obj, "participle-agent"
            return None, "none"
        return verb.head, "participle"
    head = verb.head
    if head.i == verb.i:
        return None, "none"
    if verb.dep_ in ("acomp", "oprd") and verb.pos_ == "ADJ":
        found, how = subject_of(head, depth + 1)
        return found, ("shared-" + how if not how.startswith("shared-") else how)
    if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp", "ccomp", "pobj"):
        if verb.dep_ == "xcomp" and _lemma(head) in OBJECT_CONTROL_VERBS:
            objects = _children(head, OBJECT_DEPS)
            if objects:
                return objects[0], "object-control"
        if verb.dep_ in ("xcomp", "advcl") and _is_passive(head):
            passive_subjects = _children(head, {"nsubjpass"})
            if passive_subjects and not _prep_objects(head, "by"):
                return passive_subjects[0], "passive-control"
        if verb.dep_ == "ccomp":
            return None, "none"
        if head.dep_ == "prep":
            head = head.head
        found, how = subject_of(head, depth + 1)
        return found, ("shared-" + how if not how.startswith("shared-") else how)
    return None, "none"


def quoted_positions(doc: Doc) -> frozenset[int]:
    """Indexes of the tokens inside quotation marks (an odd number of quote marks before them)."""
    inside = False
    positions = set()
    for token in doc:
        if token.text in QUOTES:
            inside = not inside
        elif inside:
            positions.add(token.i)
    return frozenset(positions)


def in_quotes(token: Token) -> bool:
    """True when an odd number of quotation marks precede the token in its sentence."""
    return token.i in quoted_positions(token.doc)


_PHRASE_CUT_DEPS = frozenset({"conj", "cc", "relcl", "acl", "advcl", "punct", "npadvmod", "parataxis"})


def noun_phrase(head: Token) -> Span:
    """The noun phrase of `head`: its subtree up to the first conjunct, relative clause,
    trailing time word ("Tuesday") or the like after the head."""
    doc = head.doc
    right = head.right_edge.i
    for token in head.subtree:
        if token.i > head.i and token.i <= right and token.dep_ in _PHRASE_CUT_DEPS and token is not head:
            if token.dep_ == "punct" and (token.head is not head or token.text not in (",", ";", ":", "(", "—", "–")):
                continue
            if token.dep_ == "npadvmod" and token.lower_ not in TEMPORAL_WORDS:
                continue
            right = min(right, token.left_edge.i - 1)
    listed = coordinated_heads(head)[1:]
    if listed:
        right = min(right, min(item.left_edge.i for item in listed) - 1)
    right = max(right, head.i)
    while right > head.i and (doc[right].dep_ in ("punct", "cc", "case") or doc[right].lower_ in TEMPORAL_WORDS):
        right -= 1
    left = head.left_edge.i
    while left < head.i and doc[left].dep_ in ("punct", "cc"):
        left += 1
    return doc[left : right + 1]


def coordinated_heads(head: Token) -> list[Token]:
    """The head and the noun phrases coordinated with it ("Russia and China", "the US, Russia,
    and Switzerland"), without descending into prepositional phrases."""
    found = [head]
    stack = [head]
    while stack:
        node = stack.pop()
        for child in node.children:
            if child.pos_ not in NOUNISH:
                continue
            listed = child.dep_ == "conj" or (
                child.dep_ == "appos" and any(g.dep_ in ("cc", "conj") for g in child.children)
            )
            weird_head = node is head and head.pos_ == "ADP" and child.dep_ == "pobj"
            if listed or weird_head:
                if not weird_head:
                    found.append(child)
                stack.append(child)
    return sorted(found, key=lambda t: t.i)


class SentenceCoder:
    """Finds candidate events in one parsed sentence of an article."""

    def __init__(self, lexicon: Lexicon, resolver: Any) -> None:
        self.lexicon = lexicon
        self.resolver = resolver
        self._quoted: frozenset[int] = frozenset()
        self._according = False
        self._speaker_found = False
        self._speaker: Argument | None = None

    @staticmethod
    def _nominal_gerund(token: Token) -> bool:
        """A gerund the parser took for a verb but that names an event: the object of a
        preposition, or a bare "-ing" right after a modifier ("tank shelling") with no
        subject or object of its own."""
        if token.dep_ == "pobj":
            return True
        own = any(c.dep_ in ("nsubj", "dobj", "nsubjpass") for c in token.children)
        before = token.doc[token.i - 1] if token.i > 0 else None
        return not own and before is not None and before.pos_ in ("NOUN", "ADJ", "PROPN") and before.head.i != token.i

    def _known(self, token: Token) -> bool:
        """Whether the lexicon knows the word as a verb, pattern, light verb or frame at all."""
        lexicon = self.lexicon
        return any(
            (form, None) in lexicon.verbs
            or form in lexicon.patterns
            or form in lexicon.light_verbs
            or form in lexicon.frames
            for form in base_forms(token)
        )

    def resolve_span(self, span: Span, on: dt.date | None) -> Actor | None:
        """The resolver's actor for a span, with guards and a fallback of the coder's own.

        A short acronym entry must be written in capitals ("Kim Jong Un" is not the UN). A
        sector-only actor counts only when the sector noun is the phrase's head ("military
        cooperation" is no actor), and takes the country of a place named inside the phrase
        ("a court in Guyana", "protesters in Cairo").
        """
        actor = self.resolver.resolve(span, on)
        if actor is None:
            return None
        actor = self._acronym_guard(span, actor, on)
        if actor is None or actor.country is not None:
            return actor
        if not _head_is_named(span.root, actor):
            return None
        return self._locative_country(span, actor, on)

    def _locative_country(self, span: Span, actor: Actor, on: dt.date | None) -> Actor:
        for token in span:
            if token.dep_ == "prep" and token.lower_ in LOCATIVE_PREPS and token.head.i == span.root.i:
                for place in token.children:
                    if place.dep_ != "pobj":
                        continue
                    located = self.resolver.resolve(noun_phrase(place), on)
                    if _is_place(located):
                        assert located is not None
                        return dataclasses.replace(
                            actor,
                            country=located.country,
                            entry=f"{actor.entry} + located: {located.entry}",
                        )
        return actor

    def _acronym_guard(self, span: Span, actor: Actor, on: dt.date | None) -> Actor | None:
        label = _entry_label(actor)
        if actor.kind != "igo" or label is None or " " in label or len(label) > 4:
            return actor
        for token in span:
            if token.lower_ == label and not token.text.isupper():
                if token.i <= span.start:
                    return None
                return self.resolver.resolve(span.doc[span.start : token.i], on)
        return actor

    def resolve_arguments(
        self,
        head: Token,
        memory: ArticleMemory,
        sentence_index: int,
        on: dt.date | None,
        speaker: Argument | None = None,
    ) -> list[Argument]:
        """The actors a noun phrase names: one per coordinated phrase, several for plural
        references and for coordinated modifiers ("US and British activists")."""
        arguments: list[Argument] = []
        for item in coordinated_heads(head):
            variants = self._modifier_variants(item, on)
            if variants:
                arguments.extend(variants)
                continue
            arguments.extend(self.resolve_argument(item, memory, sentence_index, on, speaker))
        return arguments

    def _modifier_variants(self, head: Token, on: dt.date | None) -> list[Argument]:
        for modifier in head.children:
            if modifier.dep_ not in ("amod", "nmod", "compound") or modifier.i > head.i:
                continue
            parts = [modifier, *[c for c in modifier.children if c.dep_ == "conj"]]
            if len(parts) < 2:
                continue
            rest = " ".join(t.text for t in head.doc[parts[-1].right_edge.i + 1 : head.i + 1])
            found = []
            for part in parts:
                words = " ".join(t.text for t in part.subtree if t.dep_ not in ("conj", "cc", "punct") or t is part)
                text = f"{words} {rest}".strip()
                actor = self.resolver.resolve_text(text, on)
                if actor is not None:
                    found.append(Argument(text, head.i, actor, "dictionary"))
            if len(found) >= 2:
                return found
        return []

    def resolve_argument(
        self,
        head: Token,
        memory: ArticleMemory,
        sentence_index: int,
        on: dt.date | None,
        speaker: Argument | None = None,
    ) -> list[Argument]:
        """The actors one noun phrase names (several for plural references), possibly none."""
        lower = head.lower_
        if head.pos_ == "PRON":
            if lower in MALE_FEMALE_PRONOUNS:
                found = memory.person(sentence_index, head.i)
                if found is not None:
                    return [Argument(found.text, head.i, found.actor, "pronoun", explicit=False)]
            if lower in ("we", "us", "i") and speaker is not None and speaker.actor is not None:
                return [Argument(speaker.text, head.i, speaker.actor, "quoted-speaker", explicit=False)]
            return [Argument(head.text, head.i, None, "unresolved-pronoun", explicit=False)]
        if lower in TEMPORAL_WORDS:
            names = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
            if names:
                head = names[-1]
        if _is_plural_reference(head):
            paired = self._coordinated_countries(head, on)
            if paired:
                return [Argument(a.name, head.i, a, "plural-reference", explicit=False) for a in paired]
            mentions = memory.countries(sentence_index, head.i)
            if len(mentions) == 2:
                return [Argument(m.text, head.i, m.actor, "plural-reference", explicit=False) for m in mentions]
        span = noun_phrase(head)
        actor = self.resolve_span(span, on)
        text = actor.name if actor is not None and actor.country is not None else span.text
        if actor is not None and actor.country is None:
            owner = self._possessive_owner(head, memory, sentence_index)
            if owner is not None:
                actor = dataclasses.replace(
                    actor, country=owner.actor.country, entry=f"{actor.entry} + owner: {owner.text}"
                )
                return [Argument(span.text, head.i, actor, "possessive", explicit=False)]
        if actor is not None and (actor.country is not None or head.pos_ != "PROPN"):
            if actor.country is None:
                definite = any(c.lower_ in ("the", "this", "that", "these", "those") for c in head.children)
                if definite:
                    found = memory.by_role(_lemma(head), actor.sector, sentence_index, head.i)
                    if found is not None:
                        return [Argument(text, head.i, found.actor, "role", explicit=False)]
            return [Argument(text, head.i, actor, "dictionary")]
        if head.pos_ == "PROPN":
            words = [t.text for t in span if t.pos_ == "PROPN" and t.text[:1].isupper()]
            found = memory.by_name(words, sentence_index, head.i)
            if found is not None:
                return [Argument(text, head.i, found.actor, "name", explicit=True)]
        if actor is not None:
            return [Argument(text, head.i, actor, "dictionary")]
        return [Argument(text, head.i, None, "unresolved")]

    def _possessive_owner(self, head: Token, memory: ArticleMemory, sentence_index: int) -> Mention | None:
        """Whose "its forces", "their army", "his government": the nearest actor named before."""
        for child in head.children:
            if child.dep_ != "poss" or child.lower_ not in ("its", "their", "his", "her"):
                continue
            if child.lower_ in ("his", "her"):
                return memory.person(sentence_index, child.i)
            found = memory.countries(sentence_index, child.i, limit=1)
            return found[0] if found else None
        return None

    def _named_phrases(self, doc: Doc | Span, on: dt.date | None) -> list[tuple[Span, Actor]]:
        found: list[tuple[Span, Actor]] = []
        for token in doc:
            if token.pos_ not in ("PROPN", "NOUN"):
                continue
            if token.dep_ in ("compound", "flat", "amod", "nmod") and token.head.pos_ in ("PROPN", "NOUN"):
                continue
            if token.pos_ == "NOUN" and not any(
                c.dep_ in ("compound", "amod", "poss", "nmod") and c.text[:1].isupper() for c in token.children
            ):
                continue
            span = noun_phrase(token)
            actor = self.resolver.resolve(span, on)
            if actor is not None:
                found.append((span, actor))
        return found

    def _coordinated_countries(self, head: Token, on: dt.date | None) -> list[Actor]:
        """Two or more countries coordinated earlier in the same sentence ("X and Y … both nations")."""
        for token in head.doc[: head.i]:
            if token.dep_ == "conj" or not any(c.dep_ == "conj" for c in token.children):
                continue
            actors = []
            for item in coordinated_heads(token):
                actor = self.resolve_span(noun_phrase(item), on)
                if actor is not None and actor.country is not None:
                    actors.append(actor)
            if len({a.country for a in actors}) >= 2:
                return actors
        return []

    def remember_mentions(
        self, doc: Doc | Span, memory: ArticleMemory, sentence_index: int, on: dt.date | None
    ) -> None:
        """Add the sentence's named actors (and surnames of people named before) to the memory.

        Only phrases that carry a name are looked up: a proper-noun head, or a noun with a
        proper-noun or adjective modifier ("Russia's military", "North Korean leader"); phrases
        of a bare sector noun ("the police") are never remembered anyway.
        """
        covered: set[int] = set()
        for span, actor in self._named_phrases(doc, on):
            guarded = self._acronym_guard(span, actor, on)
            if guarded is None or (guarded.country is None and guarded.kind == "sector"):
                continue
            covered.update(range(span.start, span.end))
            text = span.text
            root = span.root
            if root.pos_ == "NOUN":
                owners = [c for c in root.children if c.dep_ == "poss" and c.pos_ == "PROPN"]
                if owners:
                    text = " ".join(t.text for t in owners[0].subtree if t.dep_ != "case")
            memory.remember(sentence_index, root.i, text, guarded, _lemma(root))
        for token in doc:
            if token.i in covered or token.pos_ != "PROPN":
                continue
            if token.dep_ in ("compound", "flat") and token.head.pos_ == "PROPN":
                continue
            words = [t.text for t in token.subtree if t.pos_ == "PROPN" and t.dep_ in ("compound", "flat")]
            found = memory.by_name([*words, token.text], sentence_index, token.i)
            if found is not None:
                memory.remember(sentence_index, token.i, found.text, found.actor, _lemma(token))

    def find(self, doc: Doc, memory: ArticleMemory, sentence_index: int, on: dt.date | None) -> list[Candidate]:
        """Every candidate event of a parsed sentence."""
        candidates: list[Candidate] = []
        self._quoted = quoted_positions(doc)
        self._according = any(t.lower_ == "according" for t in doc)
        self._speaker_found = False
        self._speaker = None
        for token in doc:
            commitment = (
                token.pos_ == "ADJ"
                and _lemma(token) in COMMIT_FRAMES
                and any(c.dep_ == "xcomp" for c in token.children)
            )
            if token.pos_ not in ("VERB", "AUX") and not token.tag_.startswith("VB") and not commitment:
                continue
            if token.pos_ == "AUX" and token.dep_ in ("aux", "auxpass"):
                continue
            if token.dep_ in ("amod", "compound", "nmod"):
                continue
            if not commitment and not self._known(token):
                continue
            if token.tag_ == "VBG" and noun_entry(self.lexicon, token) is not None and self._nominal_gerund(token):
                continue  # "killed in Israeli shelling": a gerund used as an event noun
            candidates.extend(self._from_verb(token, doc, memory, sentence_index, on))
        return candidates

    def _sentence_speaker(
        self, doc: Doc, memory: ArticleMemory, sentence_index: int, on: dt.date | None
    ) -> Argument | None:
        """The speaker of an "according to X" phrase or of the sentence's attribution verb."""
        for token in doc:
            if token.lower_ == "according":
                for _, obj in _prep_objects(token, "to"):
                    found = self.resolve_argument(obj, memory, sentence_index, on)
                    if found:
                        return found[0]
        for token in doc:
            if token.dep_ == "ROOT" or (token.dep_ in ("parataxis", "ccomp") and token.head.dep_ == "ROOT"):
                frame = self.lexicon.frame(known_lemma(self.lexicon, token))
                if (
                    frame is not None
                    and frame.kind in ("attribution", "allege", "claim")
                    and token.i not in self._quoted
                ):
                    subject, _ = subject_of(token)
                    if subject is not None:
                        found = self.resolve_argument(subject, memory, sentence_index, on)
                        if found:
                            return found[0]
        return None

    def _frame_of(self, head: Token, link: Token) -> str | None:
        """The frame kind of `head` for the clause `link` under it, if `head` frames clauses."""
        lemma = known_lemma(self.lexicon, head)
        particles = {c.lower_ for c in head.children if c.dep_ in ("prt", "prep")}
        particles |= {c.lower_ for c in link.children if c.dep_ == "mark"}
        for particle in particles:
            frame = self.lexicon.frame(lemma, particle)
            if frame is not None and frame.particle is not None:
                return frame.kind
        frame = self.lexicon.frame(lemma)
        if frame is None or frame.particle is not None:
            return None
        return frame.kind

    def _clause_modality(self, clause: Token) -> tuple[set[str], list[str]]:
        """Modal kinds found on one clause head: hypothetical, future, reported, negated."""
        kinds: set[str] = set()
        words: list[str] = []
        for child in clause.children:
            if child.dep_ == "neg" or (child.dep_ == "advmod" and child.lower_ == "never"):
                kinds.add("negated")
                words.append(child.text)
            elif child.dep_ in ("aux", "advmod", "mark"):
                frame = self.lexicon.frame(_lemma(child)) or self.lexicon.frame(child.lower_)
                if frame is not None and frame.kind in ("hypothetical", "future", "reported", "obligation"):
                    kinds.add(frame.kind)
                    words.append(child.lower_)
        return kinds, words

    def _embeds_event(self, verb: Token) -> bool:
        """Whether a framing verb has a clause under it that codes an event of its own."""
        for child in verb.children:
            clausal = child.dep_ in ("xcomp", "ccomp") or (
                child.dep_ == "advcl" and any(m.lower_ in ("to", "for") for m in child.children)
            )
            if not clausal:
                continue
            kind = self._frame_of(verb, child)
            if kind not in EMBEDDING_FRAMES:
                continue
            inner_subject, _ = subject_of(child)
            inner = match_verb(self.lexicon, child, inner_subject)
            if inner is not None and inner.action.is_event:
                return True
        return False

    def _frames_eventless_clause(self, verb: Token) -> bool:
        """An intent verb whose clause holds no event ("planned to wait") is no event itself;
        a refusal to speak ("declined to comment") is none either."""
        for child in verb.children:
            if child.dep_ not in ("xcomp", "ccomp"):
                continue
            kind = self._frame_of(verb, child)
            if kind == "intent":
                return True
            if kind == "refuse" and self.lexicon.frame(known_lemma(self.lexicon, child)) is not None:
                return True
        return False

    def _from_verb(
        self,
        verb: Token,
        doc: Doc,
        memory: ArticleMemory,
        sentence_index: int,
        on: dt.date | None,
    ) -> list[Candidate]:
        subject, subject_how = subject_of(verb)
        match = match_verb(self.lexicon, verb, subject)
        if self._embeds_event(verb):
            return []
        if (match is None or match.rule == "verb") and self._frames_eventless_clause(verb):
            if known_lemma(self.lexicon, verb) not in COMMIT_FRAMES:
                return []
            # "agreed to accept refugees", "is ready to contribute": the commitment is the event.
            match = TriggerMatch(Action("AGREE", "030"), "frame-commit", {"frame": known_lemma(self.lexicon, verb)})
        if match is None or not match.action.is_event:
            return []

        action = match.action
        rule = match.rule
        entries = dict(match.entries)
        status = "asserted"
        speaker: Argument | None = None
        future = False
        frame_used: str | None = None
        actor_verb = verb
        addressee: Token | None = None
        accused: Token | None = None
        kinds, modal_words = self._clause_modality(verb)

        node = verb
        for _ in range(8):
            link, head = node, node.head
            if link.dep_ in ("relcl", "acl"):
                return []
            if head.i == link.i or link.dep_ not in CLAUSE_LINKS:
                break
            if link.dep_ in ("pcomp", "pobj") and head.dep_ == "prep" or link.dep_ == "prep":
                preposition = head if head.dep_ == "prep" else link
                if preposition.lower_ in REASON_PREPOSITIONS and preposition.head.pos_ in ("VERB", "NOUN", "ADJ"):
                    return []
                if head.dep_ == "prep":
                    head = head.head
            kind = self._frame_of(head, link) if link.dep_ != "conj" else None
            if kind is not None:
                if kind in ("attribution", "allege", "claim") and link.dep_ in ("ccomp", "parataxis", "xcomp"):
                    quad = PLOVER[action.plover].quad_class if action.plover else 0
                    accusing = (kind == "allege" or (kind == "claim" and quad in (3, 4))) and not self._about_oneself(
                        head, subject, memory, sentence_index, on
                    )
                    if accusing and frame_used is None:
                        frame_used = "allege"
                        accused = subject
                        entries = dict(entries, frame=_lemma(head), embedded=action.plover)
                        action, rule = Action("ACCUSE", "112", "allege"), "frame-allege"
                        actor_verb = head
                    else:
                        status = "reported" if status == "asserted" else status
                        found_subject, _ = subject_of(head)
                        if found_subject is not None and speaker is None:
                            resolved = self.resolve_argument(found_subject, memory, sentence_index, on)
                            speaker = resolved[0] if resolved else None
                        frame_used = frame_used or "attribution"
                    break
                if kind in ("desire", "negative"):
                    return []
                if kind == "deny":
                    status = "denied"
                    found_subject, _ = subject_of(head)
                    if found_subject is not None:
                        resolved = self.resolve_argument(found_subject, memory, sentence_index, on)
                        speaker = resolved[0] if resolved else None
                    frame_used = frame_used or "deny"
                    break
                if kind == "hypothetical":
                    kinds.add("hypothetical")
                elif kind == "future":
                    future = True
                elif frame_used is None and kind in ("threaten", "intent", "refuse", "request"):
                    if kind == "intent":
                        embedded_subject, _ = subject_of(link)
                        framing_subject, _ = subject_of(head)
                        if (
                            embedded_subject is not None
                            and framing_subject is not None
                            and embedded_subject.i != framing_subject.i
                            and link.dep_ != "conj"
                        ):
                            kind = "request"
                            addressee = embedded_subject
                    frame_used = kind
                    action, rule, entries = self._transform(kind, action, entries, head)
                    actor_verb = head
                    if kind == "request" and addressee is None:
                        addressee = self._addressee(head, link)
                head_kinds, head_words = self._clause_modality(head)
                kinds |= head_kinds
                modal_words += head_words
            elif link.dep_ != "conj":
                head_kinds, head_words = self._clause_modality(head)
                kinds |= head_kinds - {"negated"} if link.dep_ == "advcl" else head_kinds
                modal_words += head_words
            node = head

        if "future" in kinds:
            future = True
        if "would" in modal_words and status == "reported" and "negated" not in kinds:
            # "said it would free the prisoners": the future of reported speech, not a conditional.
            future = True
            kinds.discard("hypothetical")
        if "negated" in kinds and status != "denied":
            quad = PLOVER[action.plover].quad_class if action.plover else 0
            if (future or "would" in modal_words) and quad in (1, 2) and frame_used in (None, "attribution"):
                entries = dict(entries, negated=action.plover)
                action, rule = Action("REJECT", "120"), "negated-intent"
            else:
                return []
        if (
            future
            and frame_used in (None, "attribution")
            and action.plover not in (None, "CONSULT", "MOBILIZE")
            and rule != "negated-intent"
        ):
            quad = PLOVER[action.plover or "AGREE"].quad_class
            if quad in (1, 2, 4):
                entries = dict(entries, future=action.plover)
                action, rule, _ = self._transform("intent", action, entries, verb)
                rule = "future-intent"
        obliged_subject: Token | None = None
        if "obligation" in kinds and status == "reported" and speaker is not None and frame_used == "attribution":
            # "X said Y must do Z": X demands Z of Y.
            entries = dict(entries, obliged=action.plover)
            action, rule = Action("REQUEST", "100"), "frame-obligation"
            obliged_subject = subject
            status = "asserted"
        if "hypothetical" in kinds and status in ("asserted", "reported"):
            status = "hypothetical"
        if "reported" in kinds and status == "asserted":
            status = "reported"
        quoted = verb.i in self._quoted
        sentence_speaker = None
        if quoted or self._according:
            # Found once per sentence, and only when a quotation or "according to" needs it.
            if not self._speaker_found:
                self._speaker = self._sentence_speaker(doc, memory, sentence_index, on)
                self._speaker_found = True
            sentence_speaker = self._speaker
        if status == "asserted" and sentence_speaker is not None and (quoted or self._according):
            status = "reported"
            speaker = sentence_speaker
        quote_speaker = sentence_speaker if quoted else None

        if obliged_subject is not None and speaker is not None and speaker.actor is not None:
            addressee, frame_used = obliged_subject, "request"
            subject, subject_how = None, "speaker"
            actors_override: list[Argument] | None = [speaker]
        else:
            actors_override = None
        if actor_verb is not verb:
            subject, subject_how = subject_of(actor_verb)
        if subject is None and match.event_noun is not None:
            subject, subject_how = self._noun_agent(match.event_noun)
        instrument = False
        if subject is None and subject_how == "passive-no-agent":
            subject, subject_how = self._instrument_agent(actor_verb)
            instrument = subject is not None
        if actors_override is not None:
            subject = doc[speaker.head_index] if speaker is not None else verb
        if subject is None:
            return []
        if subject.pos_ == "PRON" and subject.lower_ in ("it", "they", "he", "she", "we"):
            framing = self._framing_speaker(subject)
            if framing is not None:
                subject, subject_how = framing, "pronoun-speaker"
        arguments = actors_override or self.resolve_arguments(subject, memory, sentence_index, on, quote_speaker)
        actors = [a for a in arguments if a.actor is not None]
        if not actors and _lemma(subject) in DOCUMENT_NOUNS:
            actors = self._document_source(subject, on)
        if not actors and not instrument:
            actors = [a for a in arguments if self._named_or_instrument(a, subject.doc)]
            for argument in actors:
                argument.via = "unresolved-name"
        if not actors:
            return []

        reciprocal = False
        targets: list[Argument] = []
        if frame_used == "allege":
            target_heads = [accused] if accused is not None else []
        else:
            target_heads = self._target_heads(verb, match, addressee, frame_used, action)
        queue = list(target_heads)
        sector_only: list[Argument] = []
        seen_heads: set[int] = set()
        while queue:
            target_head = queue.pop(0)
            if target_head.i in seen_heads:
                continue
            seen_heads.add(target_head.i)
            if target_head.lower_ in ("other", "another") and any(
                c.lower_ in ("each", "one") for c in target_head.subtree
            ):
                reciprocal = True
                continue
            resolved = [
                a
                for a in self.resolve_arguments(target_head, memory, sentence_index, on, quote_speaker)
                if a.actor is not None
            ]
            if any(a.country is not None for a in resolved):
                targets = [a for a in resolved if a.country is not None]
                break
            if resolved and not sector_only:
                sector_only = resolved
            nested = [obj for prep, obj in _prep_objects(target_head) if prep in OBJECT_PREPS or prep == "of"]
            queue[0:0] = nested
        if not targets and sector_only:
            targets = sector_only
        conflict = bool(action.plover) and PLOVER[action.plover or "ASSAULT"].quad_class in (3, 4)
        if not targets and target_heads and frame_used != "request" and conflict:
            targets = self._mentioned_target(target_heads, actors, on)
        if not targets and not reciprocal and action.plover and PLOVER[action.plover].quad_class == 4:
            targets = self._location_target(verb, actors, on)

        if action.cameo == "016" and not targets:
            accuser = self._accuser(doc, memory, sentence_index, on)
            if accuser is None:
                # Denying an accusation nobody is named for is a statement, not an event.
                return []
            targets = [accuser]
        plural_actor = len(actors) > 1
        if plural_actor and not targets and action.plover in RECIPROCAL_TYPES:
            reciprocal = True

        features = {
            "rule": rule,
            "frame": frame_used,
            "subject_how": subject_how,
            "modal": modal_words,
            "quoted": quoted,
            "specificity": match.specificity,
            "distance": abs(verb.i - subject.i),
            "sentence_tokens": len(doc),
        }
        pairs: list[tuple[Argument, Argument | None]] = []
        if reciprocal and plural_actor:
            pairs = [(a, b) for a in actors for b in actors if a is not b and a.country != b.country]
        else:
            for a in actors:
                pairs.extend((a, t) for t in targets) if targets else pairs.append((a, None))
        symmetric = action.plover == "CONSULT" and action.mode != "visit" and not reciprocal
        if symmetric:
            pairs += [(t, a) for a, t in pairs if t is not None and t.country is not None and a.country is not None]
        candidates = []
        for actor, target in pairs:
            if target is not None and target.head_index == actor.head_index and target.actor is actor.actor:
                target = None
            candidates.append(
                Candidate(
                    trigger_index=(match.event_noun or verb).i,
                    clause_index=verb.i,
                    action=action,
                    rule=rule,
                    entries=entries,
                    actor=actor,
                    target=target,
                    claim_status=status,
                    speaker=speaker,
                    future=future,
                    features=dict(features, reciprocal=reciprocal or symmetric),
                )
            )
        return candidates

    def _accuser(self, doc: Doc, memory: ArticleMemory, sentence_index: int, on: dt.date | None) -> Argument | None:
        """Who made the claims a denial answers: "X's claims", "accusations by X", "charges from X"."""
        for token in doc:
            if _lemma(token) not in CLAIM_NOUNS:
                continue
            owners = [c for c in token.children if c.dep_ == "poss"]
            owners += [o for prep, o in _prep_objects(token) if prep in ("by", "from")]
            for owner in owners:
                found = [a for a in self.resolve_argument(owner, memory, sentence_index, on) if a.actor is not None]
                if found:
                    return found[0]
        return None

    def _framing_speaker(self, pronoun: Token) -> Token | None:
        """ "The ministry said it would …": a pronoun subject of a reported clause is its speaker."""
        clause = pronoun.head
        for _ in range(4):
            if clause.dep_ not in ("ccomp", "parataxis", "conj") or clause.head.i == clause.i:
                return None
            head = clause.head
            if clause.dep_ != "conj":
                kind = self._frame_of(head, clause)
                if kind in ("attribution", "claim", "allege", "deny"):
                    speaker, _ = subject_of(head)
                    if speaker is not None and speaker.pos_ != "PRON":
                        return speaker
                    return None
            clause = head
        return None

    def _about_oneself(
        self, head: Token, subject: Token | None, memory: ArticleMemory, sentence_index: int, on: dt.date | None
    ) -> bool:
        """Whether a claim is about the claimer's own deed ("the rebels claimed they attacked …")."""
        if subject is None:
            return False
        if subject.pos_ == "PRON":
            return True
        claimer, _ = subject_of(head)
        if claimer is None:
            return False
        own = {a.country for a in self.resolve_argument(claimer, memory, sentence_index, on) if a.country}
        other = {a.country for a in self.resolve_argument(subject, memory, sentence_index, on) if a.country}
        return bool(own & other)

    def _document_source(self, head: Token, on: dt.date | None) -> list[Argument]:
        """ "A report released in the Rwandan capital alleged …": a document speaks for the
        country (or organisation) its phrase names."""
        whole = head.doc[head.left_edge.i : head.right_edge.i + 1]
        for span, actor in self.resolver.find_mentions(whole, on):
            guarded = self._acronym_guard(span, actor, on)
            if guarded is not None and guarded.country is not None:
                return [Argument(noun_phrase(head).text, head.i, guarded, "document-source", explicit=False)]
        return []

    @staticmethod
    def _named_or_instrument(argument: Argument, doc: Doc) -> bool:
        """An unresolved subject still acts when it is a name ("Pete Wilson") or a weapon or
        attack ("a car bomb", "a suicide attack"): unknown actors are events with no country."""
        head = doc[argument.head_index]
        if argument.via == "unresolved-pronoun":
            return False
        if head.pos_ == "PROPN":
            return True
        return _lemma(head) in ACTOR_LIKE_NOUNS

    def _instrument_agent(self, verb: Token) -> tuple[Token | None, str]:
        """ "killed in an Israeli air strike", "wounded in shelling by rebels": the event noun's
        own agent (its `by` phrase, its possessor or the noun phrase itself) acts."""
        for prep, obj in _prep_objects(verb):
            if prep not in ("in", "during", "by") or noun_entry(self.lexicon, obj) is None:
                continue
            found, how = self._noun_agent(obj)
            if found is not None:
                return found, "instrument-" + how
            return obj, "instrument"
        return None, "none"

    def _mentioned_target(self, heads: list[Token], actors: list[Argument], on: dt.date | None) -> list[Argument]:
        """A country named inside an unresolved target phrase ("a village in northern Syria")."""
        own = {a.country for a in actors}
        for head in heads:
            for span, actor in self.resolver.find_mentions(noun_phrase(head), on):
                guarded = self._acronym_guard(span, actor, on)
                if guarded is not None and guarded.country is not None and guarded.country not in own:
                    return [Argument(span.text, span.root.i, guarded, "mention-in-target")]
        return []

    def _location_target(self, verb: Token, actors: list[Argument], on: dt.date | None) -> list[Argument]:
        """For material conflict with no target, the country where it happened ("in Alaska")."""
        own = {a.country for a in actors}
        for prep, obj in _prep_objects(verb):
            if prep not in ("in", "into", "inside"):
                continue
            actor = self.resolve_span(noun_phrase(obj), on)
            if actor is None:
                mentions = self.resolver.find_mentions(noun_phrase(obj), on)
                actor = mentions[0][1] if mentions else None
            if _is_place(actor) and actor is not None and actor.country not in own:
                return [Argument(noun_phrase(obj).text, obj.i, actor, "location")]
        return []

    def _noun_agent(self, noun: Token) -> tuple[Token | None, str]:
        for child in noun.children:
            if child.dep_ == "poss":
                return child, "possessor"
        for _, obj in _prep_objects(noun, "by"):
            return obj, "noun-agent"
        return None, "none"

    def _addressee(self, head: Token, link: Token) -> Token | None:
        """Who a request is made to: "urged X to", "called on X to", "called for X to"."""
        objects = _children(head, OBJECT_DEPS)
        if objects:
            return objects[0]
        for prep, obj in _prep_objects(head):
            if prep in ("on", "upon", "to"):
                return obj
        for child in link.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
        return None

    def _target_heads(
        self, verb: Token, match: TriggerMatch, addressee: Token | None, frame: str | None, action: Action
    ) -> list[Token]:
        """Target candidates in order of preference."""
        if frame == "request":
            return [addressee] if addressee is not None else []
        preferred = ACTION_TARGET_PREPS.get(action.plover or "", ())
        heads: list[Token] = []
        if match.target_hint is not None:
            heads.append(match.target_hint)
        if match.event_noun is not None:
            entry = noun_entry(self.lexicon, match.event_noun)
            noun_preps = entry.target_preps if entry else GENERIC_TARGET_PREPS
            heads.extend(obj for prep, obj in _prep_objects(match.event_noun) if prep in noun_preps)
            heads.extend(obj for prep, obj in _prep_objects(verb) if prep in noun_preps or prep in preferred)
            return heads
        objects = [c for c in verb.children if c.dep_ in ("dobj", "obj", "nsubjpass", "dative", "iobj", "oprd")]
        heads.extend(objects)
        by_prep: dict[str, list[Token]] = {}
        for prep, obj in _prep_objects(verb):
            if prep == "by" and _is_passive(verb):
                continue
            by_prep.setdefault(prep, []).append(obj)
        for obj in objects:
            for prep, inner in _prep_objects(obj):
                if prep in OBJECT_PREPS:
                    by_prep.setdefault(prep, []).append(inner)
        for prep in (*preferred, *GENERIC_TARGET_PREPS):
            heads.extend(by_prep.pop(prep, []))
        return heads

    def _transform(
        self, kind: str, embedded: Action, entries: dict[str, Any], head: Token
    ) -> tuple[Action, str, dict[str, Any]]:
        """The action a framing verb makes of the embedded one."""
        entries = dict(entries, frame=_lemma(head), embedded=embedded.plover)
        quad = PLOVER[embedded.plover].quad_class if embedded.plover else 0
        if kind == "intent" and quad == 3:
            return embedded, "frame-intent-act", entries
        if kind == "threaten" or (kind == "intent" and quad == 4):
            cameo = {"ASSAULT": "138", "COERCE": "137", "SANCTION": "131", "PROTEST": "134"}.get(
                embedded.plover or "", "130"
            )
            return Action("THREATEN", cameo), "frame-threaten" if kind == "threaten" else "frame-intent", entries
        if kind == "intent":
            cameo = {"COOPERATE": "031", "SUPPORT": "032", "AID": "033", "CONCEDE": "034", "RETREAT": "034",
                     "CONSULT": "036", "AGREE": "030"}.get(embedded.plover or "", "030")  # fmt: skip
            return Action("AGREE", cameo), "frame-intent", entries
        if kind == "refuse":
            return Action("REJECT", "120"), "frame-refuse", entries
        if kind == "request":
            request_cameo: str | None = {"COOPERATE": "021", "SUPPORT": "022", "AID": "023", "CONCEDE": "025",
                     "RETREAT": "025", "CONSULT": "026", "AGREE": "027"}.get(embedded.plover or "")  # fmt: skip
            return Action("REQUEST", request_cameo), "frame-request", entries
        return embedded, "verb", entries
