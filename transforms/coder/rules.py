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
   Coordinated noun phrases ("Russia and China", "US and British activists", "ministers from
   X and Y") give one event each; a plural subject of a mutual event ("X and Y agreed/met/
   clashed …", "… each other") gives it in both directions, and talks ("held talks with",
   "negotiated with") are coded in both directions — a meeting told from its subject's side
   ("A met with B"), a visit or a mediation only from the subject, visitor or mediator.
   Inverse verbs ("faced criticism from X", "received aid from X") make the source the actor. A participle that restates the main clause ("struck X, killing 50") is no event
   of its own.
4. Resolution. Each argument's noun phrase goes to the actor resolver; a sector noun without
   a country takes the country of a place inside the phrase ("a court in Guyana"); what the
   resolver cannot name is tried against the article's memory: pronouns, surnames, role
   nouns ("the minister"), sector nouns ("the army": the one army the article named, or the
   country it is about), possessives ("its forces", "their governments") and plural
   references ("the leaders", "the two sides").

Every candidate records the rule, lexicon entries and resolution paths it used: that is the
row's explanation and the confidence model's features.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import TYPE_CHECKING, Any, NamedTuple

from schemas.plover import PLOVER
from transforms.coder.lemmas import base_forms, known_lemma, lemma_of
from transforms.coder.memory import (
    Argument,
    ArticleMemory,
    Candidate,
    Mention,
    entry_label,
    head_is_named,
    is_place,
    is_plural_reference,
)
from transforms.coder.syntax import (
    children,
    completes_a_plan_noun,
    coordinated_heads,
    finite_taken_for_participle,
    indefinite,
    is_duration,
    is_passive,
    is_to_infinitive,
    logical_objects,
    noun_phrase,
    participle_agent,
    particle_of,
    prep_objects,
    quoted_positions,
    subject_of,
)
from transforms.coder.triggers import TriggerMatch, match_verb, noun_entry
from transforms.coder.words import (
    ACTION_TARGET_PREPS,
    ADVISER_PREPS,
    AIMED_TYPES,
    CLAUSE_LINKS,
    CONDITIONAL_MARKS,
    COREFERENT_SECTORS,
    EMBEDDING_FRAMES,
    FAILED_COOPERATION,
    GENERIC_TARGET_PREPS,
    HOST_A_VISIT,
    LOCATIVE_PREPS,
    MALE_FEMALE_PRONOUNS,
    NON_STATE,
    NOUNISH,
    OBJECT_DEPS,
    OBJECT_PREPS,
    OWN_POSSESSIVES,
    REASON_PREPOSITIONS,
    RECIPROCAL_TYPES,
    REFUGEE_SECTOR,
    SPOKESPERSON_PREPS,
    SUBJECT_DEPS,
    TEMPORAL_WORDS,
)
from transforms.lexicon import Action, Lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from transforms.actors import Actor


@dataclasses.dataclass
class _Framing:
    """What the walk up a trigger's frames has decided, and the steps after it refine: the
    action as the frames recode it, the claim status and its speaker, the verb whose subject
    acts, the addressee of a request, the accused of an allegation, and the clause's modality.

    `trigger_subject` is the trigger's own logical subject and `consequence` whether the trigger
    is a consequence ("Y would pay a price"), whose bearer is the target of the threat.
    """

    action: Action
    rule: str
    entries: dict[str, Any]
    actor_verb: Token
    trigger_subject: Token | None
    consequence: bool
    kinds: set[str]
    modal_words: list[str]
    status: str = "asserted"
    speaker: Argument | None = None
    future: bool = False
    frame_used: str | None = None
    addressee: Token | None = None
    accused: Token | None = None
    conditional: bool = False

    @property
    def answers_claims(self) -> bool:
        """A denial of claims ("dismissed the claims as a hoax"): the claims' author is the target."""
        return self.entries.get("verb_group") == "project:denial"


class _Step(enum.Enum):
    """What a frame met on the walk up makes of the clause below it."""

    DROP = "drop"
    """The clause is no event."""
    STOP = "stop"
    """The frame settles the clause (a statement, a denial): the walk ends."""
    CLIMB = "climb"
    """The walk goes on from the frame, without the frame's own modality."""
    NEXT = "next"
    """The walk goes on from the frame, and the frame's modality holds for the clause."""


class _Agent(NamedTuple):
    """Who acts in an event, as the parse names them, and how they were found."""

    subject: Token
    how: str
    actors_override: list[Argument] | None
    """The speaker, for "X said Y must Z" (X's demand on Y): the actor is known already."""
    inverse_target: Token | None
    """The subject of an inverse verb ("faced pressure from X"), which is the target."""
    instrument: bool
    """Whether the subject is an instrument of an agentless passive ("was hit by a drone")."""
    deployed: Token | None
    """The force deployed by its own country ("Russian troops were deployed")."""


class SentenceCoder:
    """Finds candidate events in one parsed sentence of an article."""

    def __init__(self, lexicon: Lexicon, resolver: Any) -> None:
        self.lexicon = lexicon
        self.words = lexicon.words
        self._speaks_for: dict[str, frozenset[str]] = {
            **dict.fromkeys(lexicon.words.spokesperson_roles, SPOKESPERSON_PREPS),
            **dict.fromkeys(lexicon.words.adviser_roles, ADVISER_PREPS),
        }
        """Roles that speak or act for the actor named in their phrase, and the prepositions
        that name it (not envoys or ambassadors: an envoy *to* Syria is not Syria's)."""
        self.resolver = resolver
        self._role_nouns = frozenset(
            name for agent in getattr(resolver.reference, "agents", ()) if agent.generic for name in agent.names
        )
        """Generic sector nouns ("leaders", "officials", "spokesman"): people, whatever sector
        a modifier gives them ("union leaders" are LAB, not a union's thing)."""
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
        particle = particle_of(token)
        return any(
            (form, None) in lexicon.verbs
            or (particle is not None and (form, particle) in lexicon.verbs)
            or form in lexicon.patterns
            or form in lexicon.light_verbs
            or form in lexicon.frames
            for form in base_forms(token)
        )

    def resolve_span(self, span: Span, on: dt.date | None) -> Actor | None:
        """The resolver's actor for a span, with guards and a fallback of the coder's own.

        A short acronym entry of an IGO or NGO must be written in capitals ("Kim Jong Un" is not the UN, "Ngo" no NGO). A
        sector-only actor counts only when the sector noun is the phrase's head ("military
        cooperation" is no actor), and takes the country of a place named inside the phrase
        ("a court in Guyana", "protesters in Cairo").
        """
        actor = self.resolver.resolve(span, on) or self._membership(span, on)
        if actor is None:
            return None
        if actor.country is None and self._counts_its_of_phrase(span.root, actor):
            return None  # "dozens of IS members": who they are is in the "of" phrase, looked into next
        actor = self._acronym_guard(span, actor, on)
        if actor is None or actor.country is not None:
            return actor
        if not head_is_named(span.root, actor) and span.root.lower_ not in self._role_nouns:
            return None
        located = self._locative_country(span, actor, on)
        if located.country is not None:
            return located
        principal = self._principal(span, located, on)
        if principal.country is not None:
            return principal
        return self._affiliated(span, principal, on)

    def _counts_its_of_phrase(self, head: Token, actor: Actor) -> bool:
        """Whether the actor is only a count ("dozens", "thousands": the people a bare count
        names) whose "of" phrase says who is counted."""
        counted = lemma_of(head) in self.words.partitive_nouns or head.lower_ in self.words.partitive_nouns
        return counted and head.lower_ in (actor.entry or "") and bool(prep_objects(head, "of"))

    def _membership(self, span: Span, on: dt.date | None) -> Actor | None:
        """A body named by the kind of its members ("opposition groups", "student
        organisations", "civil society groups"): the members' sector, as CAMEO's agents code
        them ("Syrian opposition groups": Syria's opposition), where the dictionaries have no
        entry for the whole phrase. Only members with a sector count: "Palestinian groups" or
        "the Chinese community" are no state itself."""
        head = span.root
        if lemma_of(head) not in self.words.membership_heads or head.i <= span.start:
            return None
        for start in range(span.start, head.i):  # "several student groups": the words nearest the head
            members: Actor | None = self.resolver.resolve(head.doc[start : head.i], on)
            if members is not None and members.sector is not None:
                return dataclasses.replace(
                    members, name=span.text, entry=f"{members.entry} + members of: {head.lemma_}"
                )
        return None

    def _principal(self, span: Span, actor: Actor, on: dt.date | None) -> Actor:
        """A spokesperson or adviser speaks for the actor named in their phrase ("a spokesman
        for the Kremlin", "an adviser to Zelensky"): its country, and its sector where it has one."""
        head = span.root
        prepositions = self._speaks_for.get(lemma_of(head))
        if not prepositions:
            return actor
        for prep, obj in prep_objects(head):
            if prep not in prepositions or obj.pos_ not in NOUNISH:
                continue
            principal = self.resolver.resolve(noun_phrase(obj), on)
            if principal is not None and principal.country is not None:
                return dataclasses.replace(
                    actor,
                    country=principal.country,
                    sector=principal.sector or actor.sector,
                    entry=f"{actor.entry} + speaks for: {principal.entry}",
                )
        return actor

    def _affiliated(self, span: Span, actor: Actor, on: dt.date | None) -> Actor:
        """An actor of no country tied to another ("militants linked to the Iranian government",
        "rebels loyal to Assad") acts for it: that actor's country, the own sector kept."""
        for tie in self._affiliation_ties(span.root):
            for prep, obj in prep_objects(tie):
                if prep not in ("to", "with") or obj.pos_ not in NOUNISH:
                    continue
                principal = self.resolver.resolve(noun_phrase(obj), on)
                if principal is not None and principal.country is not None:
                    return dataclasses.replace(
                        actor, country=principal.country, entry=f"{actor.entry} + acts for: {principal.entry}"
                    )
        return actor

    def _affiliation_ties(self, head: Token) -> list[Token]:
        """The participles or adjectives after a noun that tie it to another actor."""
        ties = [
            c
            for c in head.children
            if c.i > head.i and c.dep_ in ("acl", "amod", "relcl") and c.lower_ in self.words.affiliation_words
        ]
        if head.dep_ in SUBJECT_DEPS and self._misparsed_affiliation(head.head):
            ties.append(head.head)
        return ties

    def _misparsed_affiliation(self, verb: Token) -> bool:
        """ "Gunmen linked to ISIS killed five soldiers" parsed with "linked" as the main verb and
        "killed" hanging on it without a subject: the tie is a reduced relative, no event."""
        return (
            verb.lower_ in self.words.affiliation_words
            and verb.tag_ in ("VBD", "VBN")
            and verb.dep_ == "ROOT"
            and any(
                c.dep_ in ("advcl", "conj")
                and c.tag_ == "VBD"
                and c.i > verb.i
                and not any(g.dep_ in SUBJECT_DEPS for g in c.children)
                for c in verb.children
            )
        )

    def _locative_country(self, span: Span, actor: Actor, on: dt.date | None) -> Actor:
        for token in span:
            if token.dep_ == "prep" and token.lower_ in LOCATIVE_PREPS and token.head.i == span.root.i:
                for place in token.children:
                    if place.dep_ != "pobj":
                        continue
                    located = self.resolver.resolve(noun_phrase(place), on)
                    if is_place(located):
                        assert located is not None
                        return dataclasses.replace(
                            actor,
                            country=located.country,
                            entry=f"{actor.entry} + located: {located.entry}",
                        )
        return actor

    def _acronym_guard(self, span: Span, actor: Actor, on: dt.date | None) -> Actor | None:
        label = entry_label(actor)
        first_code = (actor.entry or "").split(" + ", 1)[0].partition("[")[2][:3]
        international = actor.kind in ("igo", "ngo") or first_code in ("IGO", "NGO")
        if not international or label is None or " " in label or len(label) > 4:
            return actor
        for token in span:
            if token.lower_ == label and not token.text.isupper():
                if token.i <= span.start:
                    return None
                shorter: Actor | None = self.resolver.resolve(span.doc[span.start : token.i], on)
                return shorter
        return actor

    def resolve_arguments(
        self,
        head: Token,
        memory: ArticleMemory,
        sentence_index: int,
        on: dt.date | None,
        speaker: Argument | None = None,
        acting: bool = False,
    ) -> list[Argument]:
        """The actors a noun phrase names: one per coordinated phrase, several for plural
        references and for coordinated modifiers ("US and British activists", "ministers from
        X and Y"). `acting`: the phrase is the event's actor (see `resolve_argument`)."""
        arguments: list[Argument] = []
        for item in coordinated_heads(head):
            variants = self._modifier_variants(item, on) or self._prepositional_variants(item, on)
            if variants:
                arguments.extend(variants)
                continue
            arguments.extend(self.resolve_argument(item, memory, sentence_index, on, speaker, acting=acting))
        return arguments

    def _prepositional_variants(self, head: Token, on: dt.date | None) -> list[Argument]:
        """ "Foreign ministers from Congo and Rwanda": a plural sector noun whose "from"/"of"
        phrase coordinates countries stands for one actor per country."""
        if head.tag_ not in ("NNS", "NNPS"):
            return []
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("from", "of"):
                continue
            for place in prep.children:
                if place.dep_ != "pobj" or not any(c.dep_ == "conj" for c in place.children):
                    continue
                sector = self.resolver.resolve_text(head.text, on)
                if sector is None or sector.kind != "sector":
                    return []
                found = []
                for item in coordinated_heads(place):
                    country = self.resolve_span(noun_phrase(item), on)
                    if is_place(country) and country is not None:
                        actor = dataclasses.replace(
                            sector,
                            country=country.country,
                            entry=f"{sector.entry} + {prep.lower_}: {country.entry}",
                        )
                        found.append(Argument(f"{head.text} {prep.text} {country.name}", head.i, actor, "dictionary"))
                if len({a.country for a in found}) >= 2:
                    return found
        return []

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
        *,
        acting: bool = False,
    ) -> list[Argument]:
        """The actors one noun phrase names (several for plural references), possibly none.

        A sector noun with no country ("the army", "police") takes the country of the one
        institution of that sector the article has named, or, when the phrase is the event's
        actor (`acting`), of the country the article is clearly about.
        """
        if head.pos_ == "PRON":
            return [self._pronoun_argument(head, memory, sentence_index, speaker)]
        counted = self._counted_arguments(head, memory, sentence_index, on, speaker, acting)
        if counted is not None:
            return counted
        head = self._past_temporal_word(head)
        plural = self._plural_reference_arguments(head, memory, sentence_index, on)
        if plural is not None:
            return plural
        span = self._without_topic(head, noun_phrase(head))
        actor = self.resolve_span(span, on)
        text = actor.name if actor is not None and actor.country is not None else span.text
        if actor is not None and actor.country is None:
            owned = self._owned_arguments(head, span, actor, memory, sentence_index)
            if owned:
                return owned
        if actor is not None and (actor.country is not None or head.pos_ != "PROPN"):
            if actor.country is None:
                institution = self._unnamed_institution(head, text, actor, memory, sentence_index, acting)
                if institution is not None:
                    return [institution]
            return [Argument(text, head.i, actor, "dictionary")]
        return [self._later_mention(head, span, text, actor, memory, sentence_index)]

    def _is_topic(self, head: Token, preposition: str) -> bool:
        """Whether an event noun's preposition names what the event is about ("talks *on*
        Syria"), not its target ("an attack *on* Syria"): no party to the event hangs there."""
        if preposition not in TOPIC_PREPOSITIONS or head.pos_ != "NOUN":
            return False
        entry = noun_entry(self.lexicon, head)
        return entry is not None and preposition not in entry.target_preps

    def _without_topic(self, head: Token, span: Span) -> Span:
        """An event noun's phrase up to its topic ("talks *on Syria*")."""
        for child in head.children:
            if (
                child.dep_ == "prep"
                and span.start < child.i
                and head.i < child.i
                and self._is_topic(head, child.lower_)
            ):
                return span.doc[span.start : child.i]
        return span

    @staticmethod
    def _pronoun_argument(
        head: Token, memory: ArticleMemory, sentence_index: int, speaker: Argument | None
    ) -> Argument:
        """ "he", "she": the person named nearest before; "we" in a quotation: its speaker."""
        lower = head.lower_
        if lower in MALE_FEMALE_PRONOUNS:
            found = memory.person(sentence_index, head.i)
            if found is not None:
                return Argument(found.text, head.i, found.actor, "pronoun", explicit=False)
        if lower in ("we", "us", "i") and speaker is not None and speaker.actor is not None:
            return Argument(speaker.text, head.i, speaker.actor, "quoted-speaker", explicit=False)
        return Argument(head.text, head.i, None, "unresolved-pronoun", explicit=False)

    def _counted_arguments(
        self,
        head: Token,
        memory: ArticleMemory,
        sentence_index: int,
        on: dt.date | None,
        speaker: Argument | None,
        acting: bool,
    ) -> list[Argument] | None:
        """ "a group of asylum seekers", "hundreds of workers": the counted noun names the actor
        (None when the head counts nothing that resolves)."""
        if head.pos_ == "PROPN" or not (lemma_of(head) in self.words.partitive_nouns or head.like_num):
            return None
        for _, counted in prep_objects(head, "of"):
            if counted.pos_ in NOUNISH:
                counted_arguments = self.resolve_argument(counted, memory, sentence_index, on, speaker, acting=acting)
                if any(a.actor is not None for a in counted_arguments):
                    return counted_arguments
        return None

    @staticmethod
    def _past_temporal_word(head: Token) -> Token:
        """ "Monday's" and the like name no actor: the proper name compounded with them does."""
        if head.lower_ in TEMPORAL_WORDS:
            names = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
            if names:
                return names[-1]
        return head

    def _plural_reference_arguments(
        self, head: Token, memory: ArticleMemory, sentence_index: int, on: dt.date | None
    ) -> list[Argument] | None:
        """ "the two sides", "both governments": the countries named together in the sentence,
        else the pair the article named last (None when it is no plural reference or names none)."""
        if not is_plural_reference(head, self.words.plural_references):
            return None
        paired = self._coordinated_countries(head, on)
        if paired:
            return [Argument(a.name, head.i, a, "plural-reference", explicit=False) for a in paired]
        mentions = memory.recent_pair(sentence_index, head.i) or memory.countries(sentence_index, head.i)
        if len(mentions) >= 2:
            return [Argument(m.text, head.i, m.actor, "plural-reference", explicit=False) for m in mentions]
        return None

    def _owned_arguments(
        self, head: Token, span: Span, actor: Actor, memory: ArticleMemory, sentence_index: int
    ) -> list[Argument]:
        """ "its forces", "their governments": a sector actor with its owners' countries."""
        return [
            Argument(
                span.text,
                head.i,
                dataclasses.replace(actor, country=owner.actor.country, entry=f"{actor.entry} + owner: {owner.text}"),
                "possessive",
                explicit=False,
            )
            for owner in self._possessive_owner(head, memory, sentence_index)
        ]

    @staticmethod
    def _unnamed_institution(
        head: Token, text: str, actor: Actor, memory: ArticleMemory, sentence_index: int, acting: bool
    ) -> Argument | None:
        """A definite role ("the minister") refers back to the last actor holding it; a definite
        or bare sector noun ("the army", "police") names the one institution of that sector the
        article has named, or, as the actor, that of the country the article is about."""
        determiners = {c.lower_ for c in head.children if c.dep_ in ("det", "predet", "nummod", "quantmod")}
        definite = bool(determiners & {"the", "this", "that", "these", "those"})
        if definite:
            found = memory.by_role(lemma_of(head), actor.sector, sentence_index, head.i)
            if found is not None:
                return Argument(text, head.i, found.actor, "role", explicit=False)
        bare = (
            not determiners
            and head.tag_ in ("NNS", "NN")
            and not any(c.dep_ in ("poss", "prep") for c in head.children)
        )
        if not (definite or bare) or actor.kind != "sector" or actor.sector not in COREFERENT_SECTORS:
            return None
        found = memory.sector_country(actor.sector, sentence_index, head.i)
        via = "sector-coreference"
        if found is None and acting:
            found, via = memory.dominant_country(sentence_index, head.i), "article-country"
        if found is None:
            return None
        located = dataclasses.replace(actor, country=found.actor.country, entry=f"{actor.entry} + {via}: {found.text}")
        return Argument(text, head.i, located, via, explicit=False)

    def _later_mention(
        self, head: Token, span: Span, text: str, actor: Actor | None, memory: ArticleMemory, sentence_index: int
    ) -> Argument:
        """A proper name the dictionary cannot place: the person named in full before ("Zelensky"),
        else the dictionary's countryless actor; "the bloc": the organisation named last."""
        if head.pos_ == "PROPN":
            words = [t.text for t in span if t.pos_ == "PROPN" and t.text[:1].isupper()]
            found = memory.by_name(words, sentence_index, head.i)
            if found is not None:
                return Argument(text, head.i, found.actor, "name", explicit=True)
        if actor is not None:
            return Argument(text, head.i, actor, "dictionary")
        if lemma_of(head) in self.words.collective_nouns and any(c.lower_ in ("the", "this") for c in head.children):
            organisation = memory.organisation(sentence_index, head.i)
            if organisation is not None:
                return Argument(text, head.i, organisation.actor, "role", explicit=False)
        return Argument(text, head.i, None, "unresolved")

    def _possessive_owner(self, head: Token, memory: ArticleMemory, sentence_index: int) -> list[Mention]:
        """Whose "its forces", "his government": the nearest actor named before; "their
        governments" (a plural) are those of the two countries just named."""
        for child in head.children:
            if child.dep_ != "poss" or child.lower_ not in ("its", "their", "his", "her"):
                continue
            if child.lower_ in ("his", "her"):
                person = memory.person(sentence_index, child.i)
                return [person] if person is not None else []
            if child.lower_ == "their" and head.tag_ in ("NNS", "NNPS"):
                paired = memory.recent_pair(sentence_index, child.i, window=1)
                if len(paired) >= 2:
                    return paired
            return memory.countries(sentence_index, child.i, limit=1)
        return []

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
        by_root: dict[int, Mention] = {}
        for span, actor in self._named_phrases(doc, on):
            guarded = self._acronym_guard(span, actor, on)
            if guarded is None or (guarded.country is None and guarded.kind == "sector"):
                continue
            covered.update(range(span.start, span.end))
            text = span.text
            root = span.root
            if root.pos_ == "NOUN" and lemma_of(root) not in self.words.person_roles:
                owners = [c for c in root.children if c.dep_ == "poss" and c.pos_ == "PROPN"]
                if owners:
                    text = " ".join(t.text for t in owners[0].subtree if t.dep_ != "case")
            if span[0].lower_ in ("both", "either", "neither", "all") and len(span) > 1:
                text = text.split(" ", 1)[1] if text.startswith(span[0].text + " ") else text
            role = root.dep_ if root.dep_ != "appos" else root.head.dep_
            by_root[root.i] = memory.remember(sentence_index, root.i, text, guarded, lemma_of(root), role)
        whole = getattr(doc, "doc", doc)  # token indexes are the document's, also for a span
        for root_index in list(by_root):
            token = whole[root_index]
            if token.dep_ == "conj" or not any(c.dep_ == "conj" for c in token.children):
                continue
            listed = [by_root[h.i] for h in coordinated_heads(token) if h.i in by_root]
            states = {m.actor.country for m in listed if m.actor.country and m.actor.country not in NON_STATE}
            if len(states) >= 2:
                memory.remember_pair(sentence_index, token.i, listed)
        for token in doc:
            if token.i in covered or token.pos_ != "PROPN":
                continue
            if token.dep_ in ("compound", "flat") and token.head.pos_ == "PROPN":
                continue
            words = [t.text for t in token.subtree if t.pos_ == "PROPN" and t.dep_ in ("compound", "flat")]
            found = memory.by_name([*words, token.text], sentence_index, token.i)
            if found is not None:
                memory.remember(sentence_index, token.i, found.text, found.actor, lemma_of(token), token.dep_)
            elif token.dep_ == "appos" and token.head.pos_ == "NOUN" and len(words) >= 1:
                # "Hasina's son, Sajeeb Wazed": a person the dictionary does not know, named in
                # apposition, is who a later "he" may mean; his country is his relation's.
                owners = [c for c in token.head.children if c.dep_ == "poss" and c.pos_ != "PRON"]
                owner = self.resolver.resolve(noun_phrase(owners[0]), on) if owners else None
                if owners and owner is None:
                    named = memory.by_name([owners[0].text], sentence_index, owners[0].i)
                    owner = named.actor if named is not None else None
                if owner is not None and owner.country is not None:
                    name = " ".join([*words, token.text])
                    person = dataclasses.replace(
                        owner,
                        name=name,
                        kind="person",
                        sector=None,
                        entry=f"apposition to {token.head.text}: {owner.entry}",
                    )
                    memory.remember(sentence_index, token.i, name, person, lemma_of(token), token.head.dep_)

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
                and lemma_of(token) in self.words.commitment_frames
                and any(c.dep_ == "xcomp" for c in token.children)
            )
            if (
                token.pos_ not in ("VERB", "AUX")
                and not token.tag_.startswith("VB")
                and not commitment
                and not self._verb_tagged_as_noun(token)
            ):
                continue
            if token.pos_ == "AUX" and token.dep_ in ("aux", "auxpass"):
                continue
            if token.dep_ in ("amod", "compound", "nmod") or token.lower_ == "according":
                continue
            if not commitment and not self._known(token):
                continue
            if token.tag_ == "VBG" and noun_entry(self.lexicon, token) is not None and self._nominal_gerund(token):
                continue  # "killed in Israeli shelling": a gerund used as an event noun
            candidates.extend(self._from_verb(token, doc, memory, sentence_index, on))
        taken = {c.trigger_index for c in candidates}
        for token in doc:
            if token.i not in taken:
                candidates.extend(self._between(token, doc, memory, sentence_index, on))
        coded_clauses = {c.clause_index for c in candidates} | {c.trigger_index for c in candidates}
        for token in doc:
            if token.i not in coded_clauses and token.head.i not in coded_clauses:
                candidates.extend(self._owned_event(token, doc, memory, sentence_index, on))
        return candidates

    @staticmethod
    def _verb_tagged_as_noun(token: Token) -> bool:
        """ "EU and UN hand over supplies to Nigeria": a headline's verb the tagger took for a
        noun, the root of its sentence with a subject and a particle or an object of its own."""
        if token.dep_ != "ROOT" or token.tag_ not in ("NN", "NNS"):
            return False
        deps = {c.dep_ for c in token.children}
        return bool(deps & SUBJECT_DEPS) and bool(deps & {"prt", "dobj"})

    def _owned_event(
        self, noun: Token, doc: Doc, memory: ArticleMemory, sentence_index: int, on: dt.date | None
    ) -> list[Candidate]:
        """An event noun with its own agent, a possessor or a "by" phrase, as the subject of a
        past clause that codes nothing itself ("Russia's attack on Ukraine's power grid left
        millions without power", "the arrest of the opposition leader by police sparked
        protests"): the agent's event on the noun's "of" object or target. Only a main or
        reported clause told in the simple past, neither negated nor modal: "since Russia's
        invasion", "Russia's invasion has driven up prices", "the position that Russia's
        invasion violated the Charter" are background to the story."""
        if noun.tag_ != "NN" or noun.dep_ not in ("nsubj", "nsubjpass"):
            return []  # a plural is a count or a series ("visits by uninsured residents grew")
        entry = noun_entry(self.lexicon, noun)
        if entry is None or not entry.action.is_event:
            return []
        clause = noun.head
        if not self._told_in_the_past(clause) or self._clause_modality(clause)[0]:
            return []
        main = clause.head if clause.dep_ == "conj" else clause
        if main.dep_ not in ("ROOT", "ccomp"):
            return []  # "his position that Russia's invasion violated the Charter": background
        agent, how = self._noun_agent(noun)
        objects = [o for prep, o in prep_objects(noun) if prep == "of"]
        if agent is None and objects:
            # "the arrest of the leader by police": the parser hangs the "by" phrase on the object
            agent = next((o for _, o in prep_objects(objects[0], "by")), None)
            how = "noun-agent"
        if agent is None or agent.i == noun.i:
            return []
        actors = [a for a in self.resolve_arguments(agent, memory, sentence_index, on, acting=True) if a.actor]
        if not actors:
            return []
        objects = [o for o in objects if o.i != agent.i]
        objects += [o for prep, o in prep_objects(noun) if prep in entry.target_preps and prep != "of"]
        targets = [
            t
            for head in objects[:1]
            for t in self.resolve_arguments(head, memory, sentence_index, on)
            if t.actor is not None and t.head_index not in {a.head_index for a in actors}
        ]
        if agent.head.dep_ == "prep" and objects and agent.head.head.i == objects[0].i:
            for target in targets:  # the object's phrase ends where its "by" phrase begins
                target.text = doc[objects[0].left_edge.i : agent.head.i].text
        features: dict[str, Any] = {
            "rule": "nominal-agent",
            "frame": None,
            "subject_how": how,
            "modal": [],
            "quoted": noun.i in self._quoted,
            "specificity": 2,
            "distance": 0,
            "sentence_tokens": len(doc),
            "reciprocal": False,
        }
        status = "reported" if clause.dep_ == "ccomp" else "asserted"
        entries = {"noun": entry.noun, "noun_group": entry.group}
        return [
            Candidate(
                noun.i, clause.i, entry.action, "nominal-agent", entries, actor, target, status, features=features
            )
            for actor in actors
            for target in (targets if targets else _NO_TARGET)
        ]

    @staticmethod
    def _told_in_the_past(clause: Token) -> bool:
        """A clause in the simple past, active ("left") or passive ("was criticised")."""
        auxiliaries = [c for c in clause.children if c.dep_ in ("aux", "auxpass")]
        if clause.tag_ == "VBD":
            return not auxiliaries
        return clause.tag_ == "VBN" and [a.tag_ for a in auxiliaries] == ["VBD"] and auxiliaries[0].dep_ == "auxpass"

    def _between(
        self, noun: Token, doc: Doc, memory: ArticleMemory, sentence_index: int, on: dt.date | None
    ) -> list[Candidate]:
        """A mutual event noun naming its parties after "between", as the subject of its clause
        ("Clashes between Armenian and Azerbaijani forces left 50 soldiers dead", "Fighting
        broke out between the army and rebels"): the event between every two parties, both ways.
        Not under a negation, and reported where its clause is someone's statement."""
        if noun.pos_ != "NOUN" or noun.dep_ not in ("nsubj", "nsubjpass"):
            return []
        if any(c.dep_ == "det" and c.lower_ in ("no", "neither") for c in noun.children):
            return []  # "no clashes between … were reported"
        if lemma_of(noun) not in self.words.mutual_nouns and noun.lower_ not in self.words.mutual_nouns:
            return []
        entry = noun_entry(self.lexicon, noun)
        if entry is None or not entry.action.is_event or entry.action.plover not in RECIPROCAL_TYPES:
            return []
        clause = noun.head
        if any(c.dep_ == "neg" for c in clause.children) or self._frames_eventless_clause(clause):
            return []
        partners = [o for prep, o in (*prep_objects(noun), *prep_objects(clause)) if prep == "between"]
        if not partners:
            return []
        sides = [a for a in self.resolve_arguments(partners[0], memory, sentence_index, on) if a.actor is not None]
        pairs = [(a, b) for a in sides for b in sides if a is not b and _two_sides(a, b)]
        features: dict[str, Any] = {
            "rule": "nominal-between",
            "frame": None,
            "subject_how": "between",
            "modal": [],
            "quoted": noun.i in self._quoted,
            "specificity": 2,
            "distance": 0,
            "sentence_tokens": len(doc),
            "reciprocal": True,
        }
        status = "reported" if clause.dep_ == "ccomp" else "asserted"
        entries = {"noun": entry.noun, "noun_group": entry.group, "between": True}
        return [
            Candidate(noun.i, clause.i, entry.action, "nominal-between", entries, a, b, status, features=features)
            for a, b in pairs
        ]

    def _sentence_speaker(
        self, doc: Doc, memory: ArticleMemory, sentence_index: int, on: dt.date | None
    ) -> Argument | None:
        """The speaker of an "according to X" phrase or of the sentence's attribution verb."""
        for token in doc:
            if token.lower_ == "according":
                for _, obj in prep_objects(token, "to"):
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
                    subject, _ = subject_of(token, self.words.object_control_verbs)
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
            elif child.dep_ in ("dobj", "nsubjpass") and any(
                g.dep_ == "det" and g.lower_ in ("no", "neither") for g in child.children
            ):
                kinds.add("negated")  # "committed no crime"
                words.append("no")
            elif child.dep_ in ("aux", "advmod", "mark"):
                frame = self.lexicon.frame(lemma_of(child)) or self.lexicon.frame(child.lower_)
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
            inner_subject, _ = subject_of(child, self.words.object_control_verbs)
            inner = match_verb(self.lexicon, child, inner_subject)
            if inner is not None and inner.action.is_event:
                return True
        return False

    def _requests_eventless_act(self, verb: Token) -> bool:
        """A request frame whose infinitive names an act the lexicon does not code ("urged Y to
        show restraint"): the request is the event. Not where the clause codes one of its own
        (`_embeds_event` has the embedded act recoded instead)."""
        for child in verb.children:
            if child.dep_ != "xcomp" or child.pos_ != "VERB" or self._frame_of(verb, child) != "request":
                continue
            if not is_to_infinitive(child):
                continue
            inner = match_verb(self.lexicon, child, None)
            if inner is None or not inner.action.is_event:
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
        """The candidate events of one trigger verb: its trigger, the frames above it, the tense
        and claim status, who acts and on whom, one candidate per actor–target pair."""
        subject, subject_how = self._logical_subject(verb)
        lemma = known_lemma(self.lexicon, verb)
        match = self._trigger(verb, subject, lemma)
        if match is None:
            return []
        consequence = lemma in self.words.consequence_verbs and match.entries.get("verb_group") == "project:threat"
        framing = self._walk_frames(verb, subject, match, consequence, memory, sentence_index, on)
        if framing is None or not self._settle_tense_and_negation(framing, verb):
            return []
        if consequence and framing.frame_used != "threaten":
            return []  # "Y will pay a price" with nobody threatening it is no event
        obliged_subject = self._oblige(framing, subject)
        quoted, quote_speaker = self._settle_claim_status(framing, verb, doc, memory, sentence_index, on)
        agent = self._agent(framing, verb, lemma, match, subject, subject_how, obliged_subject, on)
        if agent is None:
            return []
        actors = self._resolve_actors(agent, memory, sentence_index, on, quote_speaker)
        if not actors:
            return []
        if framing.action.mode == "visit" and all(
            a.actor is not None and a.actor.sector == REFUGEE_SECTOR for a in actors
        ):
            return []  # "refugees arrived in Aceh": a journey, not a visit (CAMEO 042)
        target_heads, mutual = self._event_target_heads(framing, verb, match, agent, actors)
        found = self._event_targets(framing, verb, doc, target_heads, actors, memory, sentence_index, on, quote_speaker)
        if found is None:
            return []
        targets, reciprocal = found
        framing.action, framing.entries = self._in_words(framing.action, framing.entries, lemma, match, actors, doc)
        if not targets and all(self._anonymous_individual(a, doc) for a in actors):
            return []  # "a protester demolished the building": no one on either side to code
        if (
            len(actors) > 1
            and framing.action.plover in RECIPROCAL_TYPES
            and mutual
            and all(self._what_is_shared(t, doc, verb, framing.actor_verb) for t in targets)
        ):
            reciprocal = True
        return self._candidates(framing, verb, doc, match, agent, actors, targets, reciprocal, quoted)

    def _settle_tense_and_negation(self, framing: _Framing, verb: Token) -> bool:
        """Future, reported future and negation: "said it would free" is a future, not a
        conditional; "will not / would not" + cooperation is a refusal (REJECT), any other
        negated clause no event (False); a future act of cooperation or material conflict is an
        intent (AGREE, THREATEN)."""
        if "future" in framing.kinds:
            framing.future = True
        if "would" in framing.modal_words and framing.status == "reported":
            # "said it would free the prisoners": the future of reported speech, not a conditional
            # (unless the clause is itself an "if" or "whether").
            framing.future = True
            if not {"if", "whether", "unless", "could", "may", "might"} & set(framing.modal_words):
                framing.kinds.discard("hypothetical")
        if "negated" in framing.kinds and framing.status != "denied":
            quad = PLOVER[framing.action.plover].quad_class if framing.action.plover else 0
            intended = framing.future or "would" in framing.modal_words
            if intended and quad in (1, 2) and framing.frame_used in (None, "attribution"):
                framing.entries = dict(framing.entries, negated=framing.action.plover)
                framing.action, framing.rule = Action("REJECT", "120"), "negated-intent"
            else:
                return False
        if (
            framing.future
            and framing.frame_used in (None, "attribution")
            and framing.action.plover not in (None, "CONSULT", "MOBILIZE")
            and framing.rule != "negated-intent"
        ):
            quad = PLOVER[framing.action.plover or "AGREE"].quad_class
            if quad in (1, 2, 4):
                framing.entries = dict(framing.entries, future=framing.action.plover)
                framing.action, _, _ = self._transform("intent", framing.action, framing.entries, verb)
                framing.rule = "future-intent"
        return True

    @staticmethod
    def _oblige(framing: _Framing, subject: Token | None) -> Token | None:
        """ "X said Y must do Z": X demands Z of Y (REQUEST). Returns Y, the obliged subject."""
        if (
            "obligation" in framing.kinds
            and framing.status == "reported"
            and framing.speaker is not None
            and framing.frame_used == "attribution"
        ):
            framing.entries = dict(framing.entries, obliged=framing.action.plover)
            framing.action, framing.rule = Action("REQUEST", "100"), "frame-obligation"
            framing.status = "asserted"
            return subject
        return None

    def _settle_claim_status(
        self, framing: _Framing, verb: Token, doc: Doc, memory: ArticleMemory, sentence_index: int, on: dt.date | None
    ) -> tuple[bool, Argument | None]:
        """Hypothetical, reported or quoted: the claim status, and the speaker of a quotation
        or an "according to". Returns whether the verb is quoted and the quotation's speaker."""
        if framing.rule == "frame-consequence":
            framing.kinds.discard("hypothetical")  # "warned that Y would pay": the threat is made, not supposed
        if "hypothetical" in framing.kinds and framing.status in ("asserted", "reported"):
            framing.status = "hypothetical"
        if "reported" in framing.kinds and framing.status == "asserted":
            framing.status = "reported"
        quoted = verb.i in self._quoted
        sentence_speaker = None
        if quoted or self._according:
            # Found once per sentence, and only when a quotation or "according to" needs it.
            if not self._speaker_found:
                self._speaker = self._sentence_speaker(doc, memory, sentence_index, on)
                self._speaker_found = True
            sentence_speaker = self._speaker
        if framing.status == "asserted" and sentence_speaker is not None and (quoted or self._according):
            framing.status = "reported"
            framing.speaker = sentence_speaker
        return quoted, sentence_speaker if quoted else None

    def _agent(
        self,
        framing: _Framing,
        verb: Token,
        lemma: str,
        match: TriggerMatch,
        subject: Token | None,
        subject_how: str,
        obliged_subject: Token | None,
        on: dt.date | None,
    ) -> _Agent | None:
        """Who acts: the logical subject of the verb the frames chose, or the speaker of an
        obligation, the source of an inverse verb, the agent of an event noun, the instrument of
        an agentless passive, a force deployed by its own country or the state where an act
        only a state does took place; None when nobody does."""
        speaker = framing.speaker
        actors_override: list[Argument] | None = None
        if obliged_subject is not None and speaker is not None:
            # The demand is the speaker's even where the dictionaries cannot name them: the
            # obliged party never becomes the one who asks.
            framing.addressee, framing.frame_used = obliged_subject, "request"
            subject, subject_how = None, "speaker"
            actors_override = [speaker]
        if framing.actor_verb is not verb:
            subject, subject_how = self._logical_subject(framing.actor_verb)
        if self._misparsed_relative(verb) or self._misparsed_relative(framing.actor_verb):
            return None
        if self._misparsed_affiliation(verb) or (verb.dep_ == "acl" and verb.lower_ in self.words.affiliation_words):
            return None  # "militants linked to Iran": a description of the actor, not an event
        inverse_target: Token | None = None
        received = self._received_objects(framing, verb, lemma)
        if received:
            # "faced pressure from Congress", "received aid from Japan": the source acts on the
            # subject; with no source named ("faced criticism") there is no actor.
            source = self._inverse_source(received)
            if source is None or subject is None:
                return None
            inverse_target, subject, subject_how = subject, source, "inverse-source"
        if subject is None and match.event_noun is not None:
            subject, subject_how = self._noun_agent(match.event_noun)
        instrument = False
        agentless = subject is None and subject_how == "passive-no-agent"
        if agentless:
            subject, subject_how = self._instrument_agent(framing.actor_verb)
            instrument = subject is not None
        deployed: Token | None = None
        if subject is None and agentless and framing.action.plover in ("MOBILIZE", "AID"):
            deployed = self._deployed_force(framing.actor_verb)
            if deployed is not None:
                subject, subject_how = deployed, "passive-force"
        if subject is None and agentless and framing.action.plover == "ASSAULT":
            fired = [c for c in framing.actor_verb.children if c.dep_ == "nsubjpass" and self._weapon(c)]
            origin = self._origin_of_fire(framing.actor_verb, on) if fired else None
            if origin is not None:
                subject, subject_how = origin, "passive-origin"
        elif subject is not None and self._weapon(subject) and framing.action.plover == "ASSAULT":
            # "Rockets fired from Gaza hit Ashkelon", parsed with "fired" as the main verb: the
            # weapon's own phrase or the verb it is the subject of says where it came from;
            # "missiles fired by the Israeli military struck …": who fired them acts.
            origin = (
                participle_agent(subject)
                or self._origin_of_fire(subject, on)
                or self._origin_of_fire(framing.actor_verb, on)
                or self._origin_of_fire(subject.head, on)
            )
            if origin is not None:
                subject, subject_how = origin, "weapon-origin"
        if subject is None and agentless and known_lemma(self.lexicon, framing.actor_verb) in self.words.state_acts:
            subject = self._state_of_the_scene(framing.actor_verb, on)
            subject_how = "passive-state" if subject is not None else subject_how
        if actors_override is not None:
            subject = verb.doc[speaker.head_index] if speaker is not None else verb
        if subject is None:
            return None
        if subject.pos_ == "PRON" and subject.lower_ in ("it", "they", "he", "she", "we"):
            framing_speaker = self._framing_speaker(subject)
            if framing_speaker is not None:
                subject, subject_how = framing_speaker, "pronoun-speaker"
        return _Agent(subject, subject_how, actors_override, inverse_target, instrument, deployed)

    def _received_objects(self, framing: _Framing, verb: Token, lemma: str) -> list[Token]:
        """The event nouns an inverse verb's subject receives ("faced *pressure*", "received
        *aid*"), when the verb codes through a pattern or a light verb and no frame recoded it."""
        if framing.frame_used is not None or lemma not in self.words.inverse_verbs:
            return []
        if framing.rule not in ("verb-pattern", "light-verb"):
            return []
        received = self.words.inverse_objects
        return [o for o in logical_objects(verb) if lemma_of(o) in received or o.lower_ in received]

    def _deployed_force(self, verb: Token) -> Token | None:
        """ "Russian troops were deployed to Syria": a country's force deployed is its own act."""
        forces = [c for c in verb.children if c.dep_ == "nsubjpass" and lemma_of(c) in self.words.force_nouns]
        return forces[0] if forces else None

    def _origin_of_fire(self, token: Token, on: dt.date | None) -> Token | None:
        """ "Rockets were fired from Gaza at Israel", "rockets fired from Gaza hit Ashkelon": the
        place a weapon was fired from, in a state, stands for who fired it when nobody is named
        (CAMEO/PLOVER: a place used as an actor takes its country). Looked for on the verb, on
        the weapon, or on the participle that fired it."""
        holders = [token, *(c for c in token.children if c.dep_ == "acl" and c.tag_ == "VBN")]
        for holder in holders:
            for prep, obj in prep_objects(holder):
                if prep == "from" and is_place(self.resolve_span(noun_phrase(obj), on)):
                    return obj
        return None

    def _state_of_the_scene(self, verb: Token, on: dt.date | None) -> Token | None:
        """ "a journalist was arrested in Niger", "expelled from North Korea": the place, in a
        state, where an act only a state's authorities do happened (or, for expelling, that the
        expelled were sent from) stands for that state."""
        for prep, obj in prep_objects(verb):
            if prep in ("in", "inside", "from") and is_place(self.resolve_span(noun_phrase(obj), on)):
                return obj
        return None

    def _resolve_actors(
        self,
        agent: _Agent,
        memory: ArticleMemory,
        sentence_index: int,
        on: dt.date | None,
        quote_speaker: Argument | None,
    ) -> list[Argument]:
        """The actors the agent's phrase names: resolved, or the author of a document subject
        ("a UN report said"), or an unresolved name or weapon that acts with no country."""
        subject = agent.subject
        arguments = agent.actors_override or self.resolve_arguments(
            subject, memory, sentence_index, on, quote_speaker, acting=True
        )
        actors = [a for a in arguments if a.actor is not None]
        if not actors and lemma_of(subject) in self.words.document_nouns:
            actors = self._document_source(subject, on)
        if not actors and not agent.instrument:
            actors = [a for a in arguments if self._named_or_instrument(a, subject.doc)]
            for argument in actors:
                argument.via = "unresolved-name"
        return actors

    def _event_target_heads(
        self, framing: _Framing, verb: Token, match: TriggerMatch, agent: _Agent, actors: list[Argument]
    ) -> tuple[list[Token], bool]:
        """The heads of the event's targets, and whether the event is mutual: the accused of an
        allegation, the bearer of a consequence, the receiver of an inverse verb, else the
        object or partner; a plural subject of a mutual event keeps only its partners."""
        if framing.frame_used == "allege":
            target_heads = [framing.accused] if framing.accused is not None else []
        elif framing.consequence:
            sufferer = framing.trigger_subject
            target_heads = [sufferer] if sufferer is not None else []
        elif agent.inverse_target is not None:
            target_heads = [agent.inverse_target]
        elif framing.answers_claims:
            # Calling claims a hoax accuses whoever made them (found below), never the claims.
            claims = self.words.claim_nouns
            target_heads = [
                h
                for h in self._target_heads(verb, match, framing.addressee, framing.frame_used, framing.action)
                if lemma_of(h) not in claims and h.lower_ not in claims and h.pos_ in NOUNISH
            ]
        else:
            target_heads = self._object_target_heads(
                verb, match, framing.addressee, framing.frame_used, framing.action, agent.deployed
            )
        mutual = self._mutual(verb, match) or known_lemma(self.lexicon, framing.actor_verb) in self.words.mutual_verbs
        if len(actors) > 1 and mutual and framing.action.plover in RECIPROCAL_TYPES:
            # "X and Y agreed on a plan to neutralise Z": a plural subject of a mutual event acts on
            # itself; only an object or a partner ("with", "between") is another party.
            target_heads = self._partner_heads(target_heads, verb, framing.action)
        return target_heads, mutual

    def _event_targets(
        self,
        framing: _Framing,
        verb: Token,
        doc: Doc,
        target_heads: list[Token],
        actors: list[Argument],
        memory: ArticleMemory,
        sentence_index: int,
        on: dt.date | None,
        quote_speaker: Argument | None,
    ) -> tuple[list[Argument], bool] | None:
        """The resolved targets and whether they act in return, or None when the event needs a
        target it lacks (a denial of claims nobody made, travel within one's own country)."""
        action, frame_used = framing.action, framing.frame_used
        target_heads = [self._spoken_of_speaker(h, verb) or h for h in target_heads]
        targets, reciprocal = self._resolve_targets(target_heads, memory, sentence_index, on, quote_speaker)
        quad = PLOVER[action.plover].quad_class if action.plover else 0
        if not targets and target_heads and frame_used != "request" and quad in (3, 4):
            targets = self._mentioned_target(target_heads, actors, on)
        if quad == 4 and not reciprocal and all(t.country is None for t in targets):
            targets = self._place_victims(verb, actors, targets, on)
        if framing.answers_claims and not targets:
            accuser = self._accuser(doc, memory, sentence_index, on, actors)
            if accuser is None:
                # Denying an accusation nobody is named for is a statement, not an event.
                return None
            targets = [accuser]
        if framing.entries.get("verb_group") == "project:travel":
            # Travel codes a visit only to another country ("flew to Germany").
            own = {a.country for a in actors}
            targets = [t for t in targets if t.country is not None and t.country not in own | NON_STATE]
            if not targets:
                return None
        if frame_used in ("refuse", "intent", "threaten") and targets and all(t.country is None for t in targets):
            # "declined to send a delegation": what is refused or promised is not a party to it
            targets = [t for t in targets if not indefinite(doc[t.head_index])]
        return targets, reciprocal

    def _candidates(
        self,
        framing: _Framing,
        verb: Token,
        doc: Doc,
        match: TriggerMatch,
        agent: _Agent,
        actors: list[Argument],
        targets: list[Argument],
        reciprocal: bool,
        quoted: bool,
    ) -> list[Candidate]:
        """One candidate per actor–target pair, with the features the confidence model reads."""
        features = {
            "rule": framing.rule,
            "frame": framing.frame_used,
            "subject_how": agent.how,
            "modal": framing.modal_words,
            "quoted": quoted,
            "specificity": match.specificity,
            "distance": abs(verb.i - agent.subject.i),
            "sentence_tokens": len(doc),
        }
        one_sided = match.event_noun is None and lemma_of(verb) in self.words.one_sided_meeting_verbs
        pairs, symmetric = self._pair_up(actors, targets, framing.action, reciprocal, one_sided=one_sided)
        candidates = []
        for actor, target in pairs:
            if target is not None and target.head_index == actor.head_index and target.actor is actor.actor:
                target = None
            candidates.append(
                Candidate(
                    trigger_index=(match.event_noun or verb).i,
                    clause_index=verb.i,
                    action=framing.action,
                    rule=framing.rule,
                    entries=framing.entries,
                    actor=actor,
                    target=target,
                    claim_status=framing.status,
                    speaker=framing.speaker,
                    future=framing.future,
                    features=dict(features, reciprocal=reciprocal or symmetric),
                )
            )
        return candidates

    def _walk_frames(
        self,
        verb: Token,
        subject: Token | None,
        match: TriggerMatch,
        consequence: bool,
        memory: ArticleMemory,
        sentence_index: int,
        on: dt.date | None,
    ) -> _Framing | None:
        """Walk up from the trigger's clause through its clause links: the first framing word met
        decides what the clause is (reported, denied, threatened, requested, …) and may recode it;
        None when the walk finds the clause is no event."""
        kinds, modal_words = self._clause_modality(verb)
        framing = _Framing(
            match.action, match.rule, dict(match.entries), verb, subject, consequence, kinds, modal_words
        )
        node = verb
        for _ in range(8):
            link, head = node, node.head
            if link.dep_ == "acl" and finite_taken_for_participle(link):
                break  # the sentence's own verb, misread as describing its subject
            if link.dep_ in ("relcl", "acl"):
                if not self._carried_by_document(link):
                    return None
                # "signed a decree imposing sanctions": the signer imposes them.
                node = framing.actor_verb = head.head
                continue
            if head.i == link.i or link.dep_ not in CLAUSE_LINKS:
                break
            framed_by = self._past_preposition(link, head)
            if framed_by is None:
                return None
            head = framed_by
            if link.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in link.children):
                framing.conditional = True
            if self._belongs_to_a_noun(link):
                return None
            kind = self._link_frame_kind(head, link)
            if kind is not None:
                step = self._apply_frame(framing, kind, head, link, memory, sentence_index, on)
                if step is _Step.DROP:
                    return None
                if step is _Step.STOP:
                    break
                if step is _Step.NEXT:
                    head_kinds, head_words = self._clause_modality(head)
                    framing.kinds |= head_kinds
                    framing.modal_words += head_words
            elif link.dep_ == "conj":
                self._share_coordinated_modality(framing, link, head)
            elif not self._inherit_modality(framing, link, head):
                return None
            node = head
        return framing

    def _past_preposition(self, link: Token, head: Token) -> Token | None:
        """The word that frames a clause linked through a preposition (the preposition's head),
        or None when the preposition makes the clause no event of its own: a reason or content
        ("jailed *for helping*", "accused *of attacking*"; but "X is guilty *of* …" asserts X's
        act, unlike "found X guilty of …", where the court is not the actor), or an act that did
        not happen ("left *without* giving a reason", "barred *from* flying")."""
        if not (link.dep_ in ("pcomp", "pobj") and head.dep_ == "prep" or link.dep_ == "prep"):
            return head
        preposition = head if head.dep_ == "prep" else link
        culpable = (
            preposition.lower_ == "of"
            and lemma_of(preposition.head) in self.words.culpability_adjectives
            and preposition.head.dep_ == "acomp"
            and lemma_of(preposition.head.head) == "be"
        )
        if (
            preposition.lower_ in REASON_PREPOSITIONS
            and preposition.head.pos_ in ("VERB", "NOUN", "ADJ")
            and not culpable
        ):
            return None
        if preposition.lower_ == "without" or (preposition.lower_ == "from" and link.tag_ == "VBG"):
            return None
        return head.head if head.dep_ == "prep" else head

    def _belongs_to_a_noun(self, link: Token) -> bool:
        """An adverbial clause the parser hung on the verb that belongs to the noun before it: a
        participle ("clashed with troops *trying* to advance": the troops try, not the subject)
        or a plan noun's content ("clashed over a deal *to free* the hostages")."""
        if link.dep_ != "advcl":
            return False
        before = link.doc[link.i - 1] if link.i > 0 else None
        if link.tag_ == "VBG" and before is not None and before.pos_ in ("NOUN", "PROPN") and before.head.i != link.i:
            return True
        return completes_a_plan_noun(link, self.words.plan_nouns)

    def _link_frame_kind(self, head: Token, link: Token) -> str | None:
        """The kind of frame `head` puts on the clause hanging from it by `link`, or None: a
        conjunct is framed by nothing, a purpose clause is no "is set to", and a clause before
        the verb is not its complement ("X attacked Y; Z denied …")."""
        if link.dep_ == "conj":
            return None
        kind = self._frame_of(head, link)
        if kind == "future" and link.dep_ == "advcl":
            return None  # "was setting up a command to coordinate …": a purpose, not "is set to"
        if kind in ("deny", "refuse", "request", "intent", "threaten") and link.i < head.i:
            return None
        return kind

    def _apply_frame(
        self,
        framing: _Framing,
        kind: str,
        head: Token,
        link: Token,
        memory: ArticleMemory,
        sentence_index: int,
        on: dt.date | None,
    ) -> _Step:
        """What the frame `head` (of `kind`) makes of the clause below it, recorded in `framing`."""
        if kind in ("attribution", "allege", "claim") and link.dep_ in ("ccomp", "parataxis", "xcomp"):
            return self._apply_saying(framing, kind, head, memory, sentence_index, on)
        if (
            kind == "failure"
            and framing.frame_used is None
            and (framing.action.cameo or "").startswith(FAILED_COOPERATION)
        ):
            # "failed to reach agreement": the parties rejected each other's terms.
            framing.entries = dict(framing.entries, frame=lemma_of(head), embedded=framing.action.plover)
            framing.action, framing.rule, framing.frame_used = Action("REJECT", "120"), "frame-failure", "failure"
            framing.actor_verb = head
            return _Step.CLIMB
        if kind in ("desire", "negative", "failure"):
            return _Step.DROP
        if kind == "deny":
            framing.status = "denied"
            denier, _ = subject_of(head, self.words.object_control_verbs)
            if denier is not None:
                framing.speaker = self._first_resolved(denier, memory, sentence_index, on)
            framing.frame_used = framing.frame_used or "deny"
            return _Step.STOP
        return self._apply_embedding(framing, kind, head, link)

    def _apply_saying(
        self,
        framing: _Framing,
        kind: str,
        head: Token,
        memory: ArticleMemory,
        sentence_index: int,
        on: dt.date | None,
    ) -> _Step:
        """A verb of saying, alleging or claiming over the clause: "X said Y would pay a price" is
        X's threat against Y, "X alleged that Y attacked" X's accusation of Y, anything else a
        statement reported by X. Said in passing of a thing, or "did not say whether", no event."""
        head_kinds, _ = self._clause_modality(head)
        if "negated" in head_kinds and kind == "attribution":
            return _Step.DROP  # "did not say whether …"
        quad = PLOVER[framing.action.plover].quad_class if framing.action.plover else 0
        accusing = (kind == "allege" or (kind == "claim" and quad in (3, 4))) and not self._about_oneself(
            head, framing.trigger_subject, memory, sentence_index, on
        )
        if head.dep_ in ("relcl", "acl"):
            return _Step.DROP  # "a missile believed to be fired by X": said of a thing, in passing
        if framing.consequence and framing.frame_used is None:
            # "X said Y would pay a price": X threatens Y.
            framing.frame_used = "threaten"
            framing.entries = dict(framing.entries, frame=lemma_of(head))
            framing.rule = "frame-consequence"
            framing.actor_verb = head
        elif accusing and framing.frame_used is None:
            framing.frame_used = "allege"
            framing.accused = framing.trigger_subject
            framing.entries = dict(framing.entries, frame=lemma_of(head), embedded=framing.action.plover)
            framing.action, framing.rule = Action("ACCUSE", "112", "allege"), "frame-allege"
            framing.actor_verb = head
        else:
            framing.status = "reported" if framing.status == "asserted" else framing.status
            sayer, _ = subject_of(head, self.words.object_control_verbs)
            if sayer is not None and framing.speaker is None:
                framing.speaker = self._first_resolved(sayer, memory, sentence_index, on)
            framing.frame_used = framing.frame_used or "attribution"
        return _Step.STOP

    def _apply_embedding(self, framing: _Framing, kind: str, head: Token, link: Token) -> _Step:
        """A frame that recodes or qualifies the clause under it and lets the walk go on:
        hypothetical and future frames, threats (not of a condition: "warned that X would follow
        if Y happened"), intents, refusals and requests ("demanded that Washington press Israel
        to halt …": the outer request is the event)."""
        if kind == "hypothetical":
            framing.kinds.add("hypothetical")
        elif kind == "future":
            framing.future = True
        elif kind == "threaten" and framing.conditional:
            return _Step.DROP  # the "if" clause is the condition, not the threat
        elif framing.frame_used == "request" and kind == "request":
            outer_addressee, _ = subject_of(link, self.words.object_control_verbs)
            if outer_addressee is not None:
                framing.addressee = outer_addressee
                framing.actor_verb = head
                framing.entries = dict(framing.entries, frame=lemma_of(head))
        elif framing.consequence and framing.frame_used is None and kind == "threaten":
            framing.frame_used = "threaten"
            framing.entries = dict(framing.entries, frame=lemma_of(head))
            framing.rule = "frame-consequence"
            framing.actor_verb = head
        elif framing.frame_used is None and kind in ("threaten", "intent", "refuse", "request"):
            self._recode_by_frame(framing, kind, head, link)
        return _Step.NEXT

    def _recode_by_frame(self, framing: _Framing, kind: str, head: Token, link: Token) -> None:
        """ "threatened/vowed/refused/urged … to X" recodes X (THREATEN, AGREE, REJECT, REQUEST);
        an intent frame over a clause with a subject of its own ("wants Y to X") is a request to Y."""
        if kind == "intent" and known_lemma(self.lexicon, head) in self.words.requesting_intent:
            embedded_subject, _ = subject_of(link, self.words.object_control_verbs)
            framing_subject, _ = subject_of(head, self.words.object_control_verbs)
            if (
                embedded_subject is not None
                and framing_subject is not None
                and embedded_subject.i != framing_subject.i
                and link.dep_ != "conj"
            ):
                kind = "request"
                framing.addressee = embedded_subject
        framing.frame_used = kind
        framing.action, framing.rule, framing.entries = self._transform(kind, framing.action, framing.entries, head)
        framing.actor_verb = head
        if kind == "request" and framing.addressee is None:
            framing.addressee = self._addressee(head, link)

    def _first_resolved(
        self, token: Token, memory: ArticleMemory, sentence_index: int, on: dt.date | None
    ) -> Argument | None:
        """The first argument `token`'s phrase resolves to (the speaker of a frame), if any."""
        resolved = self.resolve_argument(token, memory, sentence_index, on)
        return resolved[0] if resolved else None

    def _share_coordinated_modality(self, framing: _Framing, link: Token, head: Token) -> None:
        """ "will normalise relations and reopen the border": a conjunct without an auxiliary of
        its own shares its head's future or hypothetical, not its negation."""
        if not any(c.dep_ in ("aux", "auxpass") for c in link.children):
            head_kinds, head_words = self._clause_modality(head)
            framing.kinds |= head_kinds & {"future", "hypothetical"}
            framing.modal_words += [w for w in head_words if w not in ("not", "n't", "never")]

    def _inherit_modality(self, framing: _Framing, link: Token, head: Token) -> bool:
        """A clause takes the modality of the clause it hangs on (an adverbial one not its
        negation); False for an infinitive of purpose under a negation ("would not give
        permission to Russia to help Israel": nothing is done)."""
        head_kinds, head_words = self._clause_modality(head)
        infinitive = is_to_infinitive(link)
        if link.dep_ == "advcl" and infinitive and "negated" in head_kinds:
            return False
        framing.kinds |= head_kinds - {"negated"} if link.dep_ == "advcl" else head_kinds
        framing.modal_words += head_words
        return True

    def _trigger(self, verb: Token, subject: Token | None, lemma: str) -> TriggerMatch | None:
        """The verb's trigger, or None when the verb is no event of its own (it embeds one, frames an
        eventless clause, warns of a state, restates the main event)."""
        match = match_verb(self.lexicon, verb, subject)
        if self._embeds_event(verb):
            return None
        if (
            lemma == "help"
            and any(c.dep_ in ("xcomp", "ccomp") and not children(c, SUBJECT_DEPS) for c in verb.children)
            and not children(verb, OBJECT_DEPS)
        ):
            return None  # "helped (to) fund X", "help bring back X": the clause under it is the event
        if (match is None or match.rule == "verb") and self._frames_eventless_clause(verb):
            if lemma not in self.words.commitment_frames:
                return None
            # "agreed to accept refugees", "is ready to contribute": the commitment is the event.
            match = TriggerMatch(Action("AGREE", "030"), "frame-commit", {"frame": lemma})
        if (match is None or not match.action.is_event) and self._requests_eventless_act(verb):
            # "asked the union to cancel the strike", "urged Israel to show restraint": something is
            # asked (a CAMEO 02 appeal that asks, or 10), though the lexicon has no code for the act.
            match = TriggerMatch(Action("REQUEST", None), "frame-request", {"frame": lemma, "embedded": None})
        if match is None or not match.action.is_event:
            return None
        if lemma in self.words.accord_verbs and self._holds_a_view(verb, match):
            return None
        if lemma in self.words.warning_verbs and match.rule == "verb" and self._warns_of_a_state(verb):
            return None
        if self._restates_main_event(verb, match):
            return None
        return match

    def _holds_a_view(self, verb: Token, match: TriggerMatch) -> bool:
        """Whether "agree" holds a view true rather than agrees to act: no "to" infinitive and
        no pattern of its own beyond "agree with", and either a clause of what is held true
        ("agreed with the NCAA *that* Gassnola made payments", "agree with *what* Congress
        proposes") or the present simple of an opinion ("they agree with Tantan"). CAMEO
        codes that 019, express accord: no PLOVER type."""
        if any(c.dep_ == "xcomp" for c in verb.children):
            return False
        pattern = str(match.entries.get("verb_pattern") or "")
        if match.rule not in ("verb", "verb-pattern") or (pattern and not pattern.startswith("agree (with)")):
            return False
        if any(c.dep_ == "ccomp" for c in verb.children):
            return True
        for _, partner in prep_objects(verb, "with"):
            if any(c.dep_ == "relcl" and children(c, {"mark"}) for c in partner.children):
                return True  # "with the NCAA that …": the clause hung on the partner
        if any(c.dep_ == "prep" and c.lower_ == "with" and children(c, {"pcomp"}) for c in verb.children):
            return True
        present = verb.tag_ in ("VBP", "VBZ") and not children(verb, {"aux"})
        return present and not children(verb, OBJECT_DEPS)

    def _in_words(
        self,
        action: Action,
        entries: dict[str, Any],
        lemma: str,
        match: TriggerMatch,
        actors: list[Argument],
        doc: Doc,
    ) -> tuple[Action, dict[str, Any]]:
        """A protest by states or a clash between people in office is disapproval in words."""
        protest_word = lemma if match.event_noun is None else lemma_of(match.event_noun)
        if action.plover == "PROTEST" and protest_word == "protest" and all(self._state_actor(a, doc) for a in actors):
            # A government "protests" in words: a diplomatic protest, not a demonstration.
            entries = dict(entries, protest_by_state=True)
            action = Action("ACCUSE", "111", "disapprove")
        if (
            action.plover == "ASSAULT"
            and lemma in self.words.verbal_clash_verbs
            and all(a.actor is not None and a.actor.kind == "person" for a in actors)
        ):
            # "the minister clashed with the prime minister": people in office clash in words.
            entries = dict(entries, clash_between_people=True)
            action = Action("ACCUSE", "111", "disapprove")
        return action, entries

    def _what_is_shared(self, target: Argument, doc: Doc, verb: Token, actor_verb: Token | None = None) -> bool:
        """Whether a target of a mutual event only says what its parties share or discuss: a
        topic ("a memorandum *on border security*"), what a mutual verb's parties exchange
        ("exchanged ambassadors") or what the act they agreed on is done with ("India and
        China agreed to withdraw troops"), naming no country; the event stays between its
        parties."""
        if target.country is not None:
            return False
        head = doc[target.head_index]
        if head.dep_ == "pobj" and head.head.lower_ in TOPIC_PREPOSITIONS:
            return True
        if head.head.i != verb.i or head.dep_ not in ("dobj", "obj"):
            return False
        agreed_on = (
            actor_verb is not None and actor_verb.i != verb.i and lemma_of(actor_verb) in self.words.mutual_verbs
        )
        return agreed_on or lemma_of(verb) in self.words.mutual_verbs

    def _weapon(self, token: Token) -> bool:
        """Whether a word names what is fired or used (`weapon_nouns`), never who is hit."""
        return lemma_of(token) in self.words.weapon_nouns or token.lower_ in self.words.weapon_nouns

    @staticmethod
    def _purpose_objects(verb: Token) -> list[Token]:
        """The objects of the verb's "to" clause of purpose ("used tear gas *to disperse the
        crowd*"): whom a weapon was used on."""
        return [
            obj
            for clause in verb.children
            if clause.dep_ in ("advcl", "xcomp") and is_to_infinitive(clause)
            for obj in clause.children
            if obj.dep_ == "dobj" and obj.pos_ in NOUNISH
        ]

    def _object_target_heads(
        self,
        verb: Token,
        match: TriggerMatch,
        addressee: Token | None,
        frame_used: str | None,
        action: Action,
        deployed: Token | None,
    ) -> list[Token]:
        """Target heads from the verb's objects and prepositions, without a force deployed; for a
        demand with none, the subject of the demanded clause."""
        target_heads = self._target_heads(verb, match, addressee, frame_used, action)
        if deployed is not None:
            target_heads = [h for h in target_heads if h.i != deployed.i]
        if frame_used is None and action.plover == "REQUEST":
            asked = self._asked_in_clause(verb)
            if asked and (not target_heads or all(lemma_of(h) in self.words.proposal_nouns for h in target_heads)):
                target_heads = asked + target_heads
        return target_heads

    def _asked_in_clause(self, verb: Token) -> list[Token]:
        """Who a demand asks, named as its clause's subject: "demanded that Armenia change its
        constitution", "reiterated its demand that the US ease sanctions" (the clause of a
        demand noun, `proposal_nouns`, says who is to act)."""
        clauses = children(verb, {"ccomp"})
        for noun in children(verb, OBJECT_DEPS):
            if lemma_of(noun) in self.words.proposal_nouns:
                clauses += [
                    c
                    for c in noun.children
                    if c.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" for m in children(c, {"mark"}))
                ]
        for clause in clauses:
            subjects = children(clause, {"nsubj", "nsubjpass"})
            if subjects:
                return subjects
        return []

    @staticmethod
    def _partner_heads(target_heads: list[Token], verb: Token, action: Action) -> list[Token]:
        """Of a mutual event's target heads, only an object or a partner ("with", "between")."""
        partner_preps = ACTION_TARGET_PREPS.get(action.plover or "", ())
        return [
            h
            for h in target_heads
            if h.dep_ in ("dobj", "obj", "dative", "iobj")
            or (h.head.dep_ in ("prep", "agent") and h.head.lower_ in partner_preps and h.head.head.i == verb.i)
        ]

    def _resolve_targets(
        self,
        target_heads: list[Token],
        memory: ArticleMemory,
        sentence_index: int,
        on: dt.date | None,
        quote_speaker: Argument | None,
    ) -> tuple[list[Argument], bool]:
        """The first target heads that resolve to a country (or, failing that, to any actor), looking
        into their prepositional objects; and whether "each other" / "one another" was among them."""
        reciprocal = False
        targets: list[Argument] = []
        # "withdrew its troops from Syria": what the actor moves or uses is its own, not the
        # target; such a head is tried only after the others.
        owned = [h for h in target_heads if _owned_by_the_actor(h)]
        queue = [h for h in target_heads if h not in owned] + owned
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
            # "rejected demands from the rebels": a proposal's author is whom the answer is aimed at.
            authored = ("from", "by") if lemma_of(target_head) in self.words.proposal_nouns else ()
            nested = [
                obj
                for prep, obj in prep_objects(target_head)
                if (prep in OBJECT_PREPS or prep == "of" or prep in authored)
                and obj.pos_ in NOUNISH
                and not self._is_topic(target_head, prep)
            ]
            queue[0:0] = nested
        if not targets and sector_only:
            targets = sector_only
        return targets, reciprocal

    def _place_victims(
        self, verb: Token, actors: list[Argument], targets: list[Argument], on: dt.date | None
    ) -> list[Argument]:
        """Targets of an assault with no country take the country where it happened; with no
        targets at all, the place is the target."""
        located = self._location_target(verb, actors, on)
        place = located[0].actor if located else None
        if place is not None and targets:
            # "killed four children in Gaza": the victims are where it happened.
            targets = [
                dataclasses.replace(
                    t,
                    actor=dataclasses.replace(
                        t.actor, country=place.country, entry=f"{t.actor.entry} + located: {place.entry}"
                    )
                    if t.actor is not None
                    else None,
                    via="located",
                )
                for t in targets
            ]
        elif located:
            targets = located
        return targets

    @staticmethod
    def _pair_up(
        actors: list[Argument], targets: list[Argument], action: Action, reciprocal: bool, *, one_sided: bool = False
    ) -> tuple[list[tuple[Argument, Argument | None]], bool]:
        """Actor-target pairs: each actor with each target (or none), both ways for a reciprocal
        event of several actors; and whether a meeting was added in the other direction too (not
        for a meeting told from its subject's side, `one_sided`: "A met with B")."""
        plural_actor = len(actors) > 1
        pairs: list[tuple[Argument, Argument | None]] = []
        if reciprocal and plural_actor:
            # Two sides of one state count when the text names both ("Colombia's government and
            # the ELN rebels signed a ceasefire"): CAMEO codes the domestic dyad.
            pairs = [
                (a, b)
                for a in actors
                for b in actors
                if a is not b and (a.country != b.country or _sides_of_one_state(a, b))
            ]
        else:
            for a in actors:
                pairs.extend((a, t) for t in targets) if targets else pairs.append((a, None))
        symmetric = (
            action.plover == "CONSULT"
            and action.mode not in ("visit", "third-party")
            and not reciprocal
            and not one_sided
        )
        if symmetric:
            pairs += [(t, a) for a, t in pairs if t is not None and t.country is not None and a.country is not None]
        return pairs, symmetric

    @staticmethod
    def _state_actor(argument: Argument, doc: Doc) -> bool:
        """A state, its government or an international organisation named as such (not its
        army, police or people, nor "opponents of" it)."""
        actor = argument.actor
        if actor is None or actor.country is None or actor.kind == "sector":
            return False
        return actor.sector in ("GOV", "IGO") or (actor.sector is None and doc[argument.head_index].pos_ == "PROPN")

    @staticmethod
    def _anonymous_individual(argument: Argument, doc: Doc) -> bool:
        """An indefinite private person with no country ("a protester", "a man"): as an actor
        with no target it gives a row with no dyad at all."""
        if argument.country is not None or argument.sector not in (None, "CVL", "PPL"):
            return False
        head = doc[argument.head_index]
        return head.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children)

    def _logical_subject(self, verb: Token) -> tuple[Token | None, str]:
        """`subject_of`, except that a speech act coordinated inside a reported clause ("X said
        Moscow had not meddled and accused the West …") belongs to the reporter, not to the
        reported clause's subject."""
        subject, how = subject_of(verb, self.words.object_control_verbs)
        if verb.dep_ != "conj" or not how.startswith("shared") or not self._speech_act(verb):
            return subject, how
        first = verb.head
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        if first.dep_ == "ccomp" and self._frame_of(first.head, first) in ("attribution", "claim", "allege"):
            reporter, _ = subject_of(first.head, self.words.object_control_verbs)
            if reporter is not None:
                return reporter, "shared-reporter"
        return subject, how

    def _speech_act(self, verb: Token) -> bool:
        """A verb that is itself something said: a framing verb, or one coding verbal conflict
        or cooperation (accuse, condemn, urge, welcome)."""
        lemma = known_lemma(self.lexicon, verb)
        frame = self.lexicon.frame(lemma)
        if frame is not None and frame.kind in ("attribution", "threaten", "allege", "claim", "request", "deny"):
            return True
        entry = self.lexicon.verb(lemma)
        return entry is not None and entry.action.plover in ("ACCUSE", "REJECT", "REQUEST", "THREATEN")

    @staticmethod
    def _misparsed_relative(verb: Token) -> bool:
        """ "X, whose governments have tried to mediate, …" parsed with "tried" as the main
        verb: a clause (or the clause it depends on) whose subject is a "whose" phrase is a
        relative clause, background to the sentence."""
        node = verb
        for _ in range(4):
            if any(c.dep_ in SUBJECT_DEPS and any(g.lower_ == "whose" for g in c.children) for c in node.children):
                return True
            if node.dep_ != "xcomp" or node.head.i == node.i:
                return False
            node = node.head
        return False

    def _carried_by_document(self, clause: Token) -> bool:
        """A participle on a document that a verb of issuing takes as its object ("issued a
        statement calling on X to …", "approved a resolution condemning Y")."""
        document = clause.head
        carrier = document.head
        return (
            clause.dep_ == "acl"
            and clause.tag_ == "VBG"
            and lemma_of(document) in self.words.carried_documents
            and document.dep_ in ("dobj", "nsubjpass")
            and known_lemma(self.lexicon, carrier) in self.words.carrier_verbs
        )

    def _restates_main_event(self, verb: Token, match: TriggerMatch) -> bool:
        """A participial adjunct that restates the main clause ("struck a school, killing 50",
        "bombarded the city, killing eight"), or a material event hung on a verb of saying
        (a misparse: "officials said, blocking …"), is not an event of its own."""
        if verb.tag_ != "VBG" or verb.dep_ != "advcl" or children(verb, SUBJECT_DEPS):
            return False
        head = verb.head
        head_frame = self.lexicon.frame(known_lemma(self.lexicon, head))
        quad = PLOVER[match.action.plover].quad_class if match.action.plover else 0
        if head_frame is not None and head_frame.kind == "attribution":
            return quad in (2, 4)
        head_subject, _ = subject_of(head, self.words.object_control_verbs)
        head_match = match_verb(self.lexicon, head, head_subject)
        return head_match is not None and head_match.action.plover == match.action.plover

    def _warns_of_a_state(self, verb: Token) -> bool:
        """ "warned that the situation was deteriorating": a warning about how things are (no
        future, no condition, nothing anyone will do) is a statement, not a threat."""
        for clause in verb.children:
            if clause.dep_ != "ccomp":
                continue
            for part in (clause, *[c for c in clause.children if c.dep_ == "conj"]):
                kinds, words = self._clause_modality(part)
                if kinds & {"future", "hypothetical", "obligation", "negated"} or set(words) & CONDITIONAL_MARKS:
                    # "would face consequences" threatens; "rivers could burst their banks" does not
                    subjects = children(part, SUBJECT_DEPS) or children(clause, SUBJECT_DEPS)
                    return bool(subjects) and self._mere_thing(subjects[0])
            return True
        return False

    def _mere_thing(self, token: Token) -> bool:
        """A common noun that names no actor and refers to none ("rivers", "the situation")."""
        if token.pos_ != "NOUN" or any(c.dep_ == "poss" for c in token.children):
            return False
        return self.resolver.resolve(noun_phrase(token), None) is None

    def _mutual(self, verb: Token, match: TriggerMatch) -> bool:
        """Whether a plural subject's event holds between its members ("X and Y met", "signed a
        deal", "agreed to boost cooperation") rather than being done by each ("pledged aid")."""
        if known_lemma(self.lexicon, verb) in self.words.mutual_verbs:
            return True
        nouns = [match.event_noun] if match.event_noun is not None else []
        nouns += logical_objects(verb)
        return any(lemma_of(n) in self.words.mutual_nouns or n.lower_ in self.words.mutual_nouns for n in nouns)

    @staticmethod
    def _inverse_source(received: list[Token]) -> Token | None:
        """Who an inverse verb's object comes from: "pressure from Congress", "aid from Japan",
        "criticism by rights groups", "Washington's support"."""
        for obj in received:
            for prep, source in (*prep_objects(obj), *prep_objects(obj.head)):
                if prep in ("from", "by") and source.pos_ in NOUNISH:
                    return source
            for child in obj.children:
                if child.dep_ == "poss" and child.pos_ != "PRON":
                    return child
        return None

    def _accuser(
        self, doc: Doc, memory: ArticleMemory, sentence_index: int, on: dt.date | None, actors: list[Argument]
    ) -> Argument | None:
        """Who made the claims a denial answers: "X's claims", "accusations by X", "charges from
        X", "US assertions" (but not "Russian involvement": that is whom the claims are about)."""
        own = {a.country for a in actors}
        for token in doc:
            if lemma_of(token) not in self.words.claim_nouns:
                continue
            owners = [c for c in token.children if c.dep_ == "poss"]
            owners += [o for prep, o in prep_objects(token) if prep in ("by", "from")]
            modifiers = [c for c in token.children if c.dep_ in ("compound", "amod") and c.text[:1].isupper()]
            for owner in [*owners, *modifiers]:
                found = [a for a in self.resolve_argument(owner, memory, sentence_index, on) if a.actor is not None]
                if found and (owner not in modifiers or found[0].country not in own):
                    return found[0]
        return None

    def _framing_speaker(self, pronoun: Token, clause: Token | None = None) -> Token | None:
        """ "The ministry said it would …": a pronoun subject of a reported clause is its speaker;
        so is an object pronoun of the clause ("Israel said a mortar bomb was fired at it")."""
        clause = pronoun.head if clause is None else clause
        for _ in range(4):
            if clause.dep_ not in ("ccomp", "parataxis", "conj") or clause.head.i == clause.i:
                return None
            head = clause.head
            if clause.dep_ != "conj":
                kind = self._frame_of(head, clause)
                if kind in ("attribution", "claim", "allege", "deny"):
                    speaker, _ = subject_of(head, self.words.object_control_verbs)
                    if speaker is not None and speaker.pos_ != "PRON":
                        return speaker
                    return None
            clause = head
        return None

    def _spoken_of_speaker(self, head: Token, verb: Token) -> Token | None:
        """The speaker an object pronoun of a reported clause refers to ("Russia said Ukraine
        attacked it"), where the pronoun is the speaker's kind ("it" for a state or body)."""
        if head.pos_ != "PRON" or head.lower_ not in ("it", "its"):
            return None
        speaker = self._framing_speaker(head, verb)
        if speaker is None or any(t.i == head.i for t in speaker.subtree):
            return None
        return speaker

    def _about_oneself(
        self, head: Token, subject: Token | None, memory: ArticleMemory, sentence_index: int, on: dt.date | None
    ) -> bool:
        """Whether a claim is about the claimer's own deed ("the rebels claimed they attacked …")."""
        if subject is None:
            return False
        if subject.pos_ == "PRON":
            return True
        claimer, _ = subject_of(head, self.words.object_control_verbs)
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

    def _named_or_instrument(self, argument: Argument, doc: Doc) -> bool:
        """An unresolved subject still acts when it is a name ("Pete Wilson") or a weapon or
        attack ("a car bomb", "a suicide attack"): unknown actors are events with no country."""
        head = doc[argument.head_index]
        if argument.via == "unresolved-pronoun":
            return False
        if head.pos_ == "PROPN":
            return True
        return lemma_of(head) in self.words.actor_like_nouns

    def _instrument_agent(self, verb: Token) -> tuple[Token | None, str]:
        """ "killed in an Israeli air strike", "wounded in shelling by rebels": the event noun's
        own agent (its `by` phrase, its possessor or the noun phrase itself) acts."""
        for prep, obj in prep_objects(verb):
            if prep not in ("in", "during", "by") or noun_entry(self.lexicon, obj) is None:
                continue
            found, how = self._noun_agent(obj)
            if found is not None:
                return found, "instrument-" + how
            return obj, "instrument"
        for child in verb.children:
            # "killed in Israeli tank shelling", parsed as "in (Israeli tank)" + a gerund: the
            # phrase before the event gerund names who did it.
            if child.dep_ != "advcl" or child.tag_ != "VBG" or noun_entry(self.lexicon, child) is None:
                continue
            for prep, obj in prep_objects(verb):
                if prep in ("in", "by") and obj.right_edge.i == child.i - 1:
                    return obj, "instrument"
        return None, "none"

    def _mentioned_target(self, heads: list[Token], actors: list[Argument], on: dt.date | None) -> list[Argument]:
        """A country named inside an unresolved target phrase ("a village in northern Syria")."""
        own = {a.country for a in actors}
        for head in heads:
            for span, actor in self.resolver.find_mentions(noun_phrase(head), on):
                if self._under_a_topic(span.root, head):
                    continue  # "held talks on Syria": what the talks are about, not a party
                guarded = self._acronym_guard(span, actor, on)
                if guarded is not None and guarded.country is not None and guarded.country not in own:
                    return [Argument(span.text, span.root.i, guarded, "mention-in-target")]
        return []

    def _under_a_topic(self, token: Token, head: Token) -> bool:
        """Whether `token` hangs, below `head`, on a topic preposition of an event noun that does
        not take its target with that preposition ("talks *on* Syria", but "an attack *on* Syria")."""
        node = token
        while node.i != head.i and node.head.i != node.i:
            preposition = node.head
            if node.dep_ == "pobj" and self._is_topic(preposition.head, preposition.lower_):
                return True
            node = node.head
        return False

    def _location_target(self, verb: Token, actors: list[Argument], on: dt.date | None) -> list[Argument]:
        """For material conflict with no target, the country where it happened ("in Alaska")."""
        own = {a.country for a in actors}
        actor_tokens = {i for a in actors for i in range(a.head_index, a.head_index + 1)}
        places = list(prep_objects(verb))
        for child in verb.children:
            # "killed … in shelling in the east of the Gaza Strip": a place in the event's own phrases
            if child.dep_ in ("advcl", "prep", "dobj", "nsubjpass") and child.i not in actor_tokens:
                for token in child.subtree:
                    if token.dep_ == "prep" and token.head.i != verb.i:
                        places.extend((token.lower_, g) for g in token.children if g.dep_ == "pobj")
        for prep, obj in places:
            if prep not in ("in", "into", "inside"):
                continue
            actor = self.resolve_span(noun_phrase(obj), on)
            if actor is None:
                mentions = self.resolver.find_mentions(noun_phrase(obj), on)
                actor = mentions[0][1] if mentions else None
            if is_place(actor) and actor is not None and actor.country not in own:
                return [Argument(noun_phrase(obj).text, obj.i, actor, "location")]
        return []

    def _noun_agent(self, noun: Token) -> tuple[Token | None, str]:
        for child in noun.children:
            if child.dep_ == "poss":
                return child, "possessor"
        for _, obj in prep_objects(noun, "by"):
            return obj, "noun-agent"
        return None, "none"

    def _addressee(self, head: Token, link: Token) -> Token | None:
        """Who a request is made to: "urged X to", "called on X to", "called for X to", "X was
        pressed to"."""
        if is_passive(head):
            passive_subjects = children(head, {"nsubjpass"})
            if passive_subjects:
                return passive_subjects[0]
        objects = children(head, OBJECT_DEPS)
        if objects:
            return objects[0]
        for prep, obj in prep_objects(head):
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
        if action.cameo == HOST_A_VISIT and match.event_noun is None:
            # "welcomed the French minister to Nairobi": the host's target is the guest; the place
            # is where the visit happened, in the host's own country.
            guests = [o for o in children(verb, OBJECT_DEPS) if o.pos_ in NOUNISH]
            if guests:
                return guests
        preferred = ACTION_TARGET_PREPS.get(action.plover or "", ())
        if action.mode == "visit":
            preferred = ("to", "in", *preferred)  # "arrived in Tbilisi for a visit"
        heads: list[Token] = []
        if match.target_hint is not None:
            heads.append(match.target_hint)
        if match.event_noun is not None:
            entry = noun_entry(self.lexicon, match.event_noun)
            noun_preps = entry.target_preps if entry else GENERIC_TARGET_PREPS
            if match.event_noun.dep_ == "pobj":
                # "joined X for joint exercises": the event noun is in a phrase, the object is the partner.
                heads.extend(children(verb, OBJECT_DEPS))
            heads.extend(obj for prep, obj in prep_objects(match.event_noun) if prep in noun_preps)
            heads.extend(obj for prep, obj in prep_objects(verb) if prep in noun_preps or prep in preferred)
            return [h for h in heads if not is_duration(h)]
        objects = [
            c
            for c in verb.children
            if c.dep_ in ("dobj", "obj", "nsubjpass", "dative", "iobj", "oprd")
            and not (
                c.i > verb.i
                and c.left_edge.i > 0
                and verb.doc[c.left_edge.i - 1].text == ","
                and c.left_edge.i - 1 > verb.i + 1
            )
        ]  # an "object" after a comma further on is an apposition the parser hung on the verb
        by_prep: dict[str, list[Token]] = {}
        for prep, obj in prep_objects(verb):
            if prep == "by" and is_passive(verb):
                continue
            by_prep.setdefault(prep, []).append(obj)
            if prep in ("in", "at", "before", "with"):
                # "filed a lawsuit in a Paris court against X": the parser hangs "against" on the
                # forum; whom the act is against is the verb's.
                by_prep.setdefault("against", []).extend(o for p, o in prep_objects(obj) if p == "against")
        purposed = self._purpose_objects(verb) if any(self._weapon(o) for o in objects) else []
        if action.plover in WEAPON_SHOWN_TYPES:
            # "test-fired a ballistic missile", "will supply tanks": the weapon is what is
            # shown or given, never a party.
            objects = [o for o in objects if not self._weapon(o)]
        if purposed or any(p in by_prep for p in ("at", "on", "into", "against")):
            # "fired missiles at X", "used water cannon to disperse protesters": the weapon is
            # not the target; what it is aimed at, or used on, is.
            objects = [o for o in objects if not self._weapon(o)] + purposed
        heads.extend(objects)
        for obj in objects:
            for prep, inner in prep_objects(obj):
                if prep in OBJECT_PREPS and not self._is_topic(obj, prep):
                    by_prep.setdefault(prep, []).append(inner)
        for prep in (*preferred, *GENERIC_TARGET_PREPS):
            if prep == "at" and action.plover not in AIMED_TYPES:
                continue  # "announced the deal at the White House": where, not at whom
            heads.extend(by_prep.pop(prep, []))
        return [h for h in heads if (h.pos_ in NOUNISH or h.pos_ == "NUM") and not is_duration(h)]

    def _transform(
        self, kind: str, embedded: Action, entries: dict[str, Any], head: Token
    ) -> tuple[Action, str, dict[str, Any]]:
        """The action a framing verb makes of the embedded one."""
        entries = dict(entries, frame=lemma_of(head), embedded=embedded.plover)
        quad = PLOVER[embedded.plover].quad_class if embedded.plover else 0
        if kind == "intent" and quad == 3:
            return embedded, "frame-intent-act", entries
        if kind == "intent" and embedded.plover == "MOBILIZE" and lemma_of(head) in self.words.commitment_frames:
            # "offered to send troops": a commitment of military help, not a threat.
            return Action("AGREE", "0332"), "frame-intent", entries
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


TOPIC_PREPOSITIONS = frozenset({"on", "over", "about", "regarding", "concerning"})
"""Prepositions that name what a mutual event is about ("talks *on* trade")."""


_NO_TARGET: tuple[Argument | None] = (None,)
"""The one target of an event that names none."""


def _sides_of_one_state(a: Argument, b: Argument) -> bool:
    """Two actors of one state in different sectors (its government and its rebels, its army
    and its police), or a named armed group and another (Sudan's army and the RSF): a domestic
    dyad, not one actor named twice ("Indian Prime Minister Narendra Modi")."""
    if a.country is None or a.actor is None or b.actor is None:
        return False
    if _different_sectors(a, b):
        return True
    return "group" in (a.actor.kind, b.actor.kind) and a.actor.name != b.actor.name


def _different_sectors(a: Argument, b: Argument) -> bool:
    """Whether two actors both have a sector and their sectors differ."""
    return (
        a.actor is not None
        and b.actor is not None
        and a.actor.sector is not None
        and b.actor.sector is not None
        and a.actor.sector != b.actor.sector
    )


def _two_sides(a: Argument, b: Argument) -> bool:
    """Whether two parties named "between" are two sides: of different states, two sides of
    one state, or of no state named yet but of different sectors ("between police and
    protesters", placed afterwards where the sentence says)."""
    if a.country != b.country or _sides_of_one_state(a, b):
        return True
    return a.country is None and _different_sectors(a, b)


def _owned_by_the_actor(head: Token) -> bool:
    """A phrase owned by a pronoun that refers back to the subject ("its troops", "their
    forces")."""
    return any(c.dep_ == "poss" and c.lower_ in OWN_POSSESSIVES for c in head.children)


WEAPON_SHOWN_TYPES = frozenset({"MOBILIZE", "AID", "AGREE"})
"""Types whose weapon object is what is shown, given or promised, never the target; a weapon
shot down, destroyed or seized ("destroyed 78 drones") is acted on."""
