"""Triggers: matching a verb or an event noun against the lexicon's patterns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from transforms.coder.lemmas import known_lemma, lemma_of
from transforms.coder.syntax import (
    logical_objects,
    particle_of,
    prep_objects,
)
from transforms.coder.words import (
    NON_EVENT_FRAMES,
    NOUNISH,
    PARTICLE_WORDS,
    QUANTIFIERS,
)
from transforms.lexicon import Action, Lexicon, NounEntry, Phrase, VerbPattern

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


class _Slot:
    """One argument of a verb prepared for pattern matching: the prefixes of its lemma and
    text (patterns hold stems) and, when asked, the words around it (pattern modifiers)."""

    __slots__ = ("_around", "prefixes", "token", "words")

    def __init__(self, token: Token) -> None:
        self.token = token
        lemma, text = lemma_of(token), token.lower_
        self.words = {lemma, text}
        self.prefixes = {word[:k] for word in self.words for k in range(1, len(word) + 1)}
        self._around: set[str] | None = None

    def matches(self, phrase: Phrase) -> bool:
        if phrase.head == "*":
            # "free *": any noun phrase holding the modifiers ("let free 30 activists").
            if self.token.pos_ not in NOUNISH:
                return False
        elif phrase.head not in (self.words if phrase.exact else self.prefixes):
            return False
        if phrase.modifiers:
            if self._around is None:
                self._around = {w for c in self.token.subtree for w in (lemma_of(c), c.lower_)}
            return all(m in self._around for m in phrase.modifiers)
        return True


class _VerbSlots:
    """A verb's subject, objects and prepositional objects, computed once for all its patterns."""

    def __init__(self, verb: Token, subject: Token | None, partitive_nouns: frozenset[str]) -> None:
        self.verb = verb
        self.particle = particle_of(verb)
        if (
            subject is not None
            and subject.pos_ != "PROPN"
            and (lemma_of(subject) in partitive_nouns or subject.like_num)
        ):
            # "thousands of protesters blocked …": the counted noun is the subject a pattern names.
            counted = [o for prep, o in prep_objects(subject, "of") if o.pos_ in NOUNISH]
            subject = counted[0] if counted else subject
        self.subject = _Slot(subject) if subject is not None else None
        doc = verb.doc
        glued = verb.i >= 2 and doc[verb.i - 1].text in ("-", "–") and doc[verb.i - 2].head.i == verb.i
        self.prefix = _Slot(doc[verb.i - 2]) if glued else None
        """A word joined to the verb by a hyphen ("*test*-fired"): CAMEO writes it before the
        verb, where the converter reads a subject ("TEST * FIRE")."""
        objects = logical_objects(verb)
        # "used batons and tear gas": a pattern's object may be any of the coordinated objects.
        coordinated = [c for o in objects for c in o.children if c.dep_ == "conj" and c.pos_ in NOUNISH]
        # "returned dozens of artifacts": the counted noun is an object a pattern names, too.
        counted_objects = [
            c
            for o in objects
            if o.pos_ != "PROPN" and (lemma_of(o) in partitive_nouns or o.like_num or o.lower_ in QUANTIFIERS)
            for p, c in prep_objects(o, "of")
            if c.pos_ in NOUNISH
        ]
        self.objects = [_Slot(o) for o in (*objects, *coordinated, *counted_objects)]
        self.preps: dict[str, list[_Slot]] = {}
        for prep, obj in prep_objects(verb):
            self.preps.setdefault(prep, []).append(_Slot(obj))
        self.object_preps: dict[str, list[_Slot]] = {}
        for obj in objects:
            for prep, inner in prep_objects(obj):
                self.object_preps.setdefault(prep, []).append(_Slot(inner))
        self.child_words = {c.lower_ for c in verb.children if c.dep_ in ("prep", "prt", "advmod")}
        # A particle the parser took for a preposition or adverb stands right after the verb
        # ("fired off a letter"); one further on heads a phrase of its own ("fired a missile
        # into the sea off its coast" is no "fire off").
        first_object = min((o.i for o in verb.children if o.dep_ in ("dobj", "obj")), default=None)
        self.after_object = {
            c.lower_ for c in verb.children if c.dep_ == "prep" and first_object is not None and c.i > first_object
        }
        """Prepositions of the verb that stand after its direct object."""
        self.particle_words = {
            c.lower_ for c in verb.children if c.dep_ == "prt" or (c.dep_ in ("prep", "advmod") and c.i == verb.i + 1)
        }


def _match_pattern(pattern: VerbPattern, slots: _VerbSlots) -> dict[str, int] | None:
    matched: dict[str, int] = {}
    if (
        pattern.particle is not None
        and slots.particle != pattern.particle
        and pattern.particle not in slots.particle_words
    ):
        return None
    if pattern.subject:
        filled = next(
            (s for s in (slots.subject, slots.prefix) if s is not None and any(s.matches(p) for p in pattern.subject)),
            None,
        )
        if filled is None:
            return None
        matched["subject"] = filled.token.i
    if pattern.obj:
        found = next((o for o in slots.objects if any(o.matches(p) for p in pattern.obj)), None)
        if found is None:
            return None
        matched["object"] = found.token.i
    if pattern.prep is not None:
        bare = not (pattern.obj or pattern.prep_object or pattern.subject)
        if (
            bare
            and pattern.prep in PARTICLE_WORDS
            and pattern.prep not in slots.particle_words
            and pattern.prep in slots.after_object
        ):
            # "take (in)", "take (on)", "pull (out)": a pattern of a bare word that can be a
            # particle is the phrasal verb ("took in refugees"), never a phrase after the verb's
            # object ("took control of the region in an offensive").
            return None
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
    """The most specific event-noun entry for `noun` (modifiers all present around it); for an
    effort noun ("a mediation effort", "a bombing campaign", `WordSets.effort_nouns`) with no
    entry of its own, that of the event noun compounded with it."""
    own = _own_noun_entry(lexicon, noun)
    if own is not None or lemma_of(noun) not in lexicon.words.effort_nouns:
        return own
    for modifier in noun.children:
        if modifier.dep_ == "compound" and modifier.i < noun.i and modifier.pos_ == "NOUN":
            found = _own_noun_entry(lexicon, modifier)
            if found is not None:
                return found
    return None


MONEY_GIVEN = Action("AID", "071")
"""CAMEO 071, provide economic aid: an amount of money a light verb of giving gives (a pledge
or an offer of money stays an intent, CAMEO 03)."""


def _money(lexicon: Lexicon, obj: Token) -> bool:
    """Whether an object is an amount of money: a currency noun ("2 billion euros") or an
    amount with a currency sign ("$50 million")."""
    if lemma_of(obj) in lexicon.words.currency_nouns or obj.lower_ in lexicon.words.currency_nouns:
        return True
    return any(t.tag_ == "$" or t.text in ("$", "€", "£", "¥") for t in obj.subtree if t.i <= obj.i)


SHOW_OF_FORCE = "150"
"""CAMEO 150, demonstrate military or police power: a military exercise with no partner."""
MILITARY_COOPERATION = Action("COOPERATE", "062")
"""CAMEO 062, cooperate militarily: an exercise held with a partner."""


def _with_partner(lexicon: Lexicon, action: Action, noun: Token, verb: Token, subject: Token | None) -> Action:
    """A show of force held with a partner is military cooperation: "held naval drills *with
    Russia*", "China and Russia held naval drills" (a coordinated subject); alone ("held
    live-fire drills near Taiwan") it stays a show of force."""
    if action.cameo != SHOW_OF_FORCE or lemma_of(noun) not in lexicon.words.mutual_nouns:
        return action
    partnered = any(prep == "with" for prep, _ in (*prep_objects(noun), *prep_objects(verb)))
    return MILITARY_COOPERATION if partnered or (subject is not None and _names_several(subject)) else action


def _names_several(subject: Token) -> bool:
    """Whether a subject coordinates several parties: "China and Russia", "the armies of Brazil
    and Argentina", "Russian and US navies"."""
    heads = [subject, *(o for _, o in prep_objects(subject, "of"))]
    heads += [c for c in subject.children if c.dep_ in ("amod", "compound", "nmod")]
    return any(c.dep_ == "conj" for head in heads for c in head.children)


def _names_effort_only(lexicon: Lexicon, doc: Doc, matched: dict[str, int]) -> bool:
    """Whether a pattern matched only an effort noun whose compound names the event itself."""
    index = matched.get("object")
    if index is None:
        return False
    noun = doc[index]
    return _own_noun_entry(lexicon, noun) is None and noun_entry(lexicon, noun) is not None


def _own_noun_entry(lexicon: Lexicon, noun: Token) -> NounEntry | None:
    entries = lexicon.nouns.get(lemma_of(noun)) or lexicon.nouns.get(noun.lower_)
    if not entries:
        return None
    around = {lemma_of(c) for c in noun.children} | {c.lower_ for c in noun.children}
    # A hyphenated modifier is split by the tokenizer ("live-fire": live - fire); join it back.
    around |= {"".join(t.text for t in c.subtree).lower() for c in noun.children if c.i < noun.i}
    # "a suspension of aid": the noun its "of" phrase names modifies it like "aid suspension".
    around |= {lemma_of(o) for prep, o in prep_objects(noun, "of")}
    best: NounEntry | None = None
    for entry in entries:
        if all(m in around for m in entry.modifiers) and (best is None or len(entry.modifiers) > len(best.modifiers)):
            best = entry
    return best


def match_verb(lexicon: Lexicon, verb: Token, subject: Token | None) -> TriggerMatch | None:
    """The action of a verb token: best pattern, else light verb + event noun, else its own code."""
    lemma = known_lemma(lexicon, verb)
    particle = particle_of(verb)
    best: tuple[float, VerbPattern, dict[str, int]] | None = None
    patterns = lexicon.patterns.get(lemma, ())
    slots = _VerbSlots(verb, subject, lexicon.words.partitive_nouns) if patterns else None
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
        or any(prep in lexicon.light_verbs[lemma] for prep, _ in prep_objects(verb))
    )
    specific = best is not None and bool(best[1].obj or best[1].prep_object)
    if best is not None and light and _names_effort_only(lexicon, verb.doc, best[2]):
        best, specific = None, False  # "launched a mediation effort": the mediation, not "launch effort"
    if framing_only and not specific and not light:
        return None
    if best is not None and (specific or best[1].subject or not light):
        specificity, pattern, matched = best
        hint = matched.get("prep_object")
        return TriggerMatch(
            pattern.action,
            "verb-pattern",
            {"verb_pattern": pattern.describe(), "verb_group": pattern.group},
            target_hint=verb.doc[hint]
            if hint is not None and pattern.prep not in (None, "as") and verb.doc[hint].pos_ in NOUNISH
            else None,
            specificity=specificity,
        )
    if light:
        objects = logical_objects(verb)
        if particle is None:
            objects += [o for prep, o in prep_objects(verb) if prep in lexicon.light_verbs[lemma]]
        for obj in objects:
            # "$33 million in aid", "a package of assistance": the event noun hangs on the amount.
            amount = lemma_of(obj)
            quantity = (
                obj.like_num or obj.tag_ == "$" or amount in QUANTIFIERS or amount in lexicon.words.quantity_nouns
            )
            inner = [o for prep, o in prep_objects(obj) if prep in ("in", "of", "for")] if quantity else []
            for noun in (obj, *[c for c in obj.children if c.dep_ == "conj"], *inner):
                found = noun_entry(lexicon, noun)
                if found is not None and found.action.is_event:
                    return TriggerMatch(
                        _with_partner(lexicon, found.action, noun, verb, subject),
                        "light-verb",
                        {
                            "verb": lemma + (" " + particle if particle else ""),
                            "noun": found.noun,
                            "noun_group": found.group,
                        },
                        event_noun=noun,
                        specificity=2,
                    )
        money = next((obj for obj in objects if _money(lexicon, obj)), None)
        if money is not None and lemma in lexicon.words.giving_verbs:
            # "provided $50 million to Afghanistan", "sent 2 billion euros": money given is aid.
            return TriggerMatch(
                MONEY_GIVEN,
                "light-verb",
                {"verb": lemma, "noun": "money", "noun_group": "project:money"},
                event_noun=money,
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
