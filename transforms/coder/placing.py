"""Placing a target: the country of a target the rules left without one, from where the text puts it.

The rules resolve a target when its own words name an actor. Analysts aggregate by dyad, so a
row whose target has no country is lost to them even where the sentence says plainly whose it
is. Under the CAMEO/PLOVER conventions (the eval README states them):

1. *the event's object*: where the rules found no target, the trigger's direct object or the
   object of a directed preposition ("sanctions on Belarus", "aid to Pakistan", "an attack
   on the SDF headquarters"), when it names an actor or a place of its own; else a state the
   object's thing is directed at deeper in its phrase ("lifted sanctions imposed on China");
2. *a place in the target's phrase*: a group or a place takes the country the sentence puts it
   in ("protesters in the southeast of Nepal", "the mosque in Mosul");
3. *the event's place*: generic people or things acted on take the country where the event
   happened ("police detained 18 people in Beijing": CHN), and an act done to no one named is
   done to its place ("imposed blockades in parts of west Darfur"); a weapon struck is its
   launcher's ("shot down drones launched by Russia");
4. *at home*: generic people acted on by a state's own actor, with no place given, are that
   state's ("Libya freed 37 prisoners": LBY → LBY);
5. *the one state named*: people named by their kind ("police", "the government", "rebels")
   or a militant group coded by no state, in a sentence that names one state and no other,
   are that state's (`sentence_state`), and so is a target no other rule placed where the
   actor is that state's too (`_domestic`: "Sudan's government outlawed FGM"); an actor
   still without a country acting on a target of one state is that state's (`home_actor`);
6. *the act's clause*: a state's act with no target takes the one other state its own clause
   names ("welcomed the visit by the Ugandan defence minister").

A generic actor without a country ("insurgents", "authorities") takes the country of the
event's place the same way (`ArgumentPlacer.place_actor`); peacekeepers no state is named for
are an IGO's. Each placed argument says how in its `via` (`object`, `place-in-phrase`, `event-place`,
`at-home`, `sentence-state`, `clause-state`, `international-force`), so the explanation and
the confidence model can tell them apart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from schemas.plover import PLOVER
from transforms.actors import Actor
from transforms.coder.lemmas import lemma_of
from transforms.coder.memory import Argument, Candidate, is_place
from transforms.coder.syntax import is_duration, noun_phrase, participle_agent, prep_objects
from transforms.coder.words import AIMED_TYPES, NON_STATE, NOUNISH, OBJECT_DEPS, REFUGEE_SECTOR
from transforms.dates import find_dates

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

DIRECTED_PREPOSITIONS = frozenset({"against", "on", "upon", "to", "toward", "towards", "for", "with", "into", "at"})
"""Prepositions whose object an event is directed at ("sanctions on", "aid to", "talks with")."""
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "inside", "outside", "across", "throughout", "from", "of"})
"""Prepositions whose object can say where a phrase or an event is."""
EVENT_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "inside", "outside", "across", "throughout"})
"""Prepositions whose object on the trigger says where the event happened ("from" and "of" do not)."""

MAKE_UP_PREPOSITIONS = frozenset({"of", "in", "as", "like", "including"})
"""Prepositions that say what a thing is made of ("$1.2 billion *in* assistance", "personnel
such *as* doctors"): a directed phrase below them still says where the thing goes. A topic
("concerns *about* Chinese support for Russia") or a reason ("*for* links to Iran") does not."""

THROUGH_PREPOSITIONS = MAKE_UP_PREPOSITIONS | (DIRECTED_PREPOSITIONS - {"for", "with"})
"""Phrases a search for where a thing goes may pass through: its make-up, and where it is
directed ("restrictions *on* assistance to North Korea"); not a reason or a partner."""

PLACEABLE_KINDS = frozenset({"group", "sector"})
"""Actor kinds whose country a place in their own phrase overrides: a group takes the country
the sentence puts it in ("Kurdish fighters in Syria", "Islamic State positions in eastern
Syria", "TTP camps in Afghanistan"), where a state, an institution, a person or an IGO keeps
its own."""

ACTED_ON = frozenset(
    name for name, kind in PLOVER.items() if (kind.quad_class in (2, 4) or name == "CONCEDE") and name != "PROTEST"
)
"""Types whose target is acted on, not spoken of: the material ones, and conceding what was
asked ("eased restrictions on foreign workers"); investigations (CAMEO 09, coded ACCUSE) act on
what they investigate too. A protest is aimed at someone, not done to them ("on hunger strike"). What a state condemns or says ("condemned the attack") places nothing."""

BORDERLESS_SECTORS = frozenset({"REF", "NGO", "IGO", "IMG"})
"""Sectors whose people are no state's by being named in one's story: refugees and migrants
("refugees fled to Turkey"), international bodies and militants."""
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
"""Sectors of a state's own institutions: a host or a defender, never the state of the envoy or
weapon they act on (`ArgumentPlacer.named_by_a_foreign_target`)."""

STRIKES = frozenset({"ASSAULT"})
"""Types whose things acted on may well be abroad ("Turkish drones struck a fuel depot"): only
people are placed at home for them."""

STATELESS_GROUP = "IMG"
"""The code of an international militant group ("Isis", "al-Qaeda"): coded by no state, it takes
the country the sentence places it in."""

_ANY_DAY = dt.date(2000, 1, 1)
"""A reference day for telling whether a word is a date expression at all ("Sunday", "March")."""

ResolveSpan = Callable[["Span", dt.date | None], Actor | None]


class ArgumentPlacer:
    """Gives a candidate's actor and target the country the sentence gives them (see the module doc)."""

    def __init__(
        self,
        resolve_span: ResolveSpan,
        mission_nouns: frozenset[str] = frozenset(),
        instrument_nouns: frozenset[str] = frozenset(),
        international_forces: frozenset[str] = frozenset(),
        event_nouns: frozenset[str] = frozenset(),
        envoy_nouns: frozenset[str] = frozenset(),
    ) -> None:
        self.resolve_span = resolve_span
        self.mission_nouns = mission_nouns
        self.instrument_nouns = instrument_nouns
        self.international_forces = international_forces
        self.event_nouns = event_nouns
        self.envoy_nouns = envoy_nouns
        self._chunks_doc: Doc | None = None
        self._chunks_on: dt.date | None = None
        self._chunks: list[tuple[Span, Actor | None]] = []

    def place_actor(self, doc: Doc, candidate: Candidate, on: dt.date | None) -> Argument:
        """The candidate's actor; a generic one without a country ("insurgents", "authorities",
        "contract employees") or a militant group coded by no state (`IMG`: "Isis fighters")
        takes the country of the event's place, or of a place in the target's phrase ("ambushed
        a military vehicle in Myanmar's Rakhine State"), as a group does under CAMEO/PLOVER. A
        force no state is named for whose words make it international ("peacekeepers",
        `international_forces`) is an IGO's, as CAMEO codes an IGO's forces, never the host's."""
        actor = candidate.actor
        if not actor.explicit:
            return actor
        head = doc[actor.head_index]
        if actor.country is None and any(lemma_of(t) in self.international_forces for t in noun_phrase(head)):
            # "West African peacekeeping troops", "peacekeepers": no state named, an IGO's force.
            return _located(actor, Actor("IGO", "IGO", None, "igo", "an international force"), "international-force")
        militant = actor.country == STATELESS_GROUP
        if actor.country is not None and not militant:
            elsewhere = self._institution_elsewhere(head, actor, on)
            return _located(actor, elsewhere, "place-in-phrase") if elsewhere is not None else actor
        if not militant and (head.pos_ != "NOUN" or (actor.actor is not None and actor.actor.kind != "sector")):
            return actor
        if actor.actor is not None and actor.actor.sector == REFUGEE_SECTOR:
            return actor  # "refugees arrived in Aceh" are not Indonesia's
        trigger = doc[candidate.trigger_index]
        taken = frozenset(t.i for t in noun_phrase(head))
        place = self._place_within(head, on, frozenset()) if militant else None
        place = place or self._event_place(trigger, on, taken)
        target = candidate.target or self._object_target(trigger, taken, on, _aimed(candidate))
        # "called for a ceasefire in Gaza": a place the act speaks of is not where its actor is;
        # only an act done there ("ambushed a convoy in Rakhine State") puts its actor there.
        if (
            place is None
            and target is not None
            and target.head_index not in taken
            and _done_to(candidate, things_struck=True)
        ):
            place = self._place_within(doc[target.head_index], on, taken)
            if place is None and target.via == "mention-in-target" and is_place(target.actor):
                place = target.actor  # the rules took the place in the target's phrase as the target
        if place is None:
            return actor
        return _located(actor, place, "event-place", explicit=True)

    def place(self, doc: Doc, candidate: Candidate, on: dt.date | None) -> Argument | None:
        """The candidate's target, placed where the text allows; unchanged where it does not."""
        target = candidate.target
        if target is not None and target.country is not None and not _placeable(target):
            mission = self._mission_country(doc[target.head_index], target, on)
            if mission is not None:
                return _located(target, mission, "place-in-phrase")
            elsewhere = self._institution_elsewhere(doc[target.head_index], target, on)
            return _located(target, elsewhere, "place-in-phrase") if elsewhere is not None else target
        trigger = doc[candidate.trigger_index]
        taken = self._actor_tokens(doc, candidate)
        owner = (
            self._weapon_owner(doc[target.head_index], on) if target is not None and target.country is None else None
        )
        if target is not None and owner is not None:
            return _located(target, owner, "object")
        if target is None or target.actor is None:
            found = self._object_target(trigger, taken, on, _aimed(candidate))
            if found is not None and found.country is not None:
                return found
            if found is not None and self._own_event_noun(doc[found.head_index], candidate):
                # "staged a protest in Nairobi": the act's own noun is no party; the place its
                # phrase or the act names says more (with none, it stays for the at-home rule).
                found = (
                    self._place_word_within(doc[found.head_index], on, taken)
                    or self._event_place_target(trigger, on, taken)
                    or found
                )
            target = target or found
        if target is None:
            return self._clause_state(trigger, candidate, taken, on) or self._place_as_target(
                trigger, candidate, taken, on
            )
        placed = self._placed(doc, trigger, target, candidate, taken, on)
        # An object the rules did not take is kept only where it could be placed: a bare
        # "water cannon" or "fire" says nothing an analyst can count.
        if placed is None and (
            candidate.target is None
            or (candidate.target.actor is None and doc[candidate.target.head_index].pos_ == "NOUN")
        ):
            # A bare thing the act is done to ("rejected appeals") says less than the state the clause names.
            placed = self._clause_state(trigger, candidate, taken, on)
        if placed is None:
            placed = self._domestic(doc, target, candidate, taken, on)
        return placed if placed is not None else candidate.target

    def _domestic(
        self, doc: Doc, target: Argument, candidate: Candidate, taken: frozenset[int], on: dt.date | None
    ) -> Argument | None:
        """A target no rule placed, in a sentence that names one state and no other, is that
        state's where the actor is too: the story is domestic ("Chinese regulators launched
        an investigation into Alibaba Group", "Sudan's government outlawed FGM", "the rebels
        will free two policemen"), as CAMEO codes what a state's actor does at home. People
        named by their kind count whatever the act; a thing only where a name the dictionaries
        lack names it ("Alibaba Group", "FGM") and the act is done to it (`_done_to`: "welcomed
        the agreement", "on a voluntary basis" place nothing), and never a thing struck ("a
        fuel depot", "Ashkelon" may be abroad): a common thing is left to `_at_home`. Where `_at_home`
        asks for no other state anywhere, this asks for one state named outside describing
        clauses. Not refugees, international bodies or militants named by kind
        (`BORDERLESS_SECTORS`), nor weapons and attacks (`instrument_nouns`), nor the act's own
        words ("staged a protest"), nor people a capitalised word names as another's
        ("Muslim leaders")."""
        country = candidate.actor.country
        head = doc[target.head_index]
        if country is None or country in NON_STATE or not candidate.actor.explicit or not target.explicit:
            return None
        if head.i in taken or head.pos_ not in ("NOUN", "PROPN") or lemma_of(head) in self.instrument_nouns:
            return None
        if head.i == candidate.trigger_index or lemma_of(head) in _pattern_words(candidate):
            return None  # "staged a protest", "took to the streets": the act's own words, no party
        people = target.actor is not None and target.actor.kind == "sector"
        if target.actor is not None and (not people or target.actor.sector in BORDERLESS_SECTORS):
            return None
        if not people and (head.pos_ != "PROPN" or not _done_to(candidate, things_struck=False)):
            return None  # a common thing ("humanitarian grounds", "the investigation") is left to `_at_home`
        if _named_kind(head) or self._abroad(head):
            return None
        home = self._one_state(doc, on)
        if home is None or home.country != country:
            return None
        return _located(target, home, "sentence-state")

    def sentence_state(self, doc: Doc, argument: Argument, on: dt.date | None) -> Argument:
        """People named by their kind alone ("the government", "police", "rebels", "students",
        "government forces") in a sentence that names one state and no other are that
        state's ("Syrian rebels threatened to shell the bases of government forces"): the
        story is domestic, as the article memory gives "the army" the one country whose
        institution it named; so does a militant group coded by no state (`IMG`: "Iraqi jets
        bombed Isis fighters"). Not refugees, international bodies or militants named by kind
        (`BORDERLESS_SECTORS`), nor weapons and attacks (`instrument_nouns`: "destroyed 78
        drones", "a missile strike killed 10": who fired them is what the sentence leaves out),
        nor people a capitalised word names as another's ("European governments")."""
        actor = argument.actor
        if actor is not None and actor.country == STATELESS_GROUP and argument.explicit:
            # A militant group coded by no state takes the country the sentence places it in.
            home = self._one_state(doc, on)
            return _located(argument, home, "sentence-state") if home is not None else argument
        if (
            not argument.explicit
            or actor is None
            or actor.country is not None
            or actor.kind != "sector"
            or actor.sector in (None, *BORDERLESS_SECTORS)
            or lemma_of(doc[argument.head_index]) in self.instrument_nouns
            or _named_kind(doc[argument.head_index])
            or self._abroad(doc[argument.head_index])
        ):
            return argument
        home = self._one_state(doc, on)
        return _located(argument, home, "sentence-state") if home is not None else argument

    def named_by_a_foreign_target(self, doc: Doc, actor: Argument, target: Argument, on: dt.date | None) -> bool:
        """Whether a state's institution ("the government", "the army", "police") took its
        country only from an envoy or a weapon it acts on ("expelled the Russian ambassador",
        "shot down a Russian drone"): the text names that state to set the target apart, and
        the host or the defender is another. Other targets of a state named in their own phrase
        ("launched an investigation into an Australian soldier") still tell a domestic story."""
        if actor.actor is None or actor.actor.sector not in STATE_SECTORS or not self._foreign_by_kind(doc, target):
            return False
        phrase = {t.i for t in noun_phrase(doc[target.head_index])}
        mentions = [
            chunk.root.i
            for chunk, named in self._named_chunks(doc, on)
            if named is not None and named.country == target.country
        ]
        return bool(mentions) and all(i in phrase for i in mentions)

    def _foreign_by_kind(self, doc: Doc, target: Argument) -> bool:
        """An envoy or a weapon: what a state's institution acts on as another state's."""
        head = doc[target.head_index]
        return self._abroad(head) or lemma_of(head) in self.instrument_nouns

    def _clause_state(
        self, trigger: Token, candidate: Candidate, taken: frozenset[int], on: dt.date | None
    ) -> Argument | None:
        """A state's (or an international body's, or an NGO's) act with no target, or only a
        bare thing as target, in a clause that names one other state and no more ("welcomed
        the visit by the Ugandan defence minister", "earmarked aid to help Nepal recover"), is
        directed at that state. States named in describing or scene-setting clauses below it
        ("… as he was leaving for Paris"), in a phrase that sets the act in time ("days after
        Russian attacks", `SCENE_PREPOSITIONS`), in the clause's subject ("Germany and Canada
        pledged"), in what the act is about (`CONTENTS`: "accused the West of trying to
        destabilise Georgia") or in a coordinated act of its own (`CONJOINED`) do not count;
        nor does a named target ("accused the West") give way."""
        own = candidate.actor.country
        if own is None or own in PRIVATE_ACTORS or not candidate.actor.explicit:
            return None
        clause = trigger
        while clause.dep_ in CLAUSE_STEPS and clause.head.i != clause.i:
            clause = clause.head
        subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
        found: dict[str, Argument] = {}
        for chunk, named in self._named_chunks(clause.doc, on):
            root = chunk.root
            if (
                root.i in taken
                or not _under(root, clause)
                or any(_under(root, subject) for subject in subjects)
                or _in_background(root, stop=clause, also=CONJOINED | CONTENTS)
                or any(a.dep_ == "prep" and a.lower_ in SCENE_PREPOSITIONS for a in _path(root, clause))
            ):
                continue
            if named is not None and named.country is not None and named.country not in (own, *NON_STATE):
                found.setdefault(named.country, Argument(chunk.text, root.i, named, "clause-state"))
        return next(iter(found.values())) if len(found) == 1 else None

    def _named_chunks(self, doc: Doc, on: dt.date | None) -> list[tuple[Span, Actor | None]]:
        """The sentence's noun chunks with what each names, resolved once per sentence: the
        one-state and at-home rules ask for every candidate of it."""
        if self._chunks_doc is not doc or self._chunks_on != on:
            # The doc itself is held (not its id), so a later doc can never be taken for it.
            self._chunks_doc, self._chunks_on = doc, on
            self._chunks = [(chunk, self.resolve_span(chunk, on)) for chunk in doc.noun_chunks]
        return self._chunks

    def _one_state(self, doc: Doc, on: dt.date | None) -> Actor | None:
        """The one state a sentence names outside describing clauses, where it names no other;
        international bodies, NGOs and militant groups named beside it are no states."""
        states, foreground = set(), set()
        for chunk, named in self._named_chunks(doc, on):
            if named is not None and named.country is not None and named.country not in NON_STATE:
                states.add(named.country)
                if not _in_background(chunk.root):
                    foreground.add(named.country)
        if len(states) != 1 or states != foreground:
            return None
        home = next(iter(states))
        return Actor(home, home, None, "country", f"the one state named: {home}")

    def home_actor(self, doc: Doc, actor: Argument, target: Argument | None, on: dt.date | None) -> Argument:
        """An actor the words leave without a country, acting on a target of one state in a
        sentence that names no other ("Federal police launched an investigation into an
        Australian soldier", "Hezb-e-Islami threatened to shell Bagram"), is that state's: the
        story is domestic, as CAMEO codes actors the text places at home. Not an actor whose
        country the article gave and the settling took away, nor one the rules found through
        a pronoun or the article's memory (`explicit`), nor refugees, international bodies or
        militants (`BORDERLESS_SECTORS`), nor a weapon or an attack (`instrument_nouns`), nor
        people a capitalised word names as another's ("Western diplomats")."""
        if actor.country is not None or not actor.explicit or target is None or not target.explicit:
            return actor
        head = doc[actor.head_index]
        if actor.sector in BORDERLESS_SECTORS or lemma_of(head) in self.instrument_nouns or _named_kind(head):
            return actor
        home = target.country
        if home is None or home in NON_STATE or target.head_index == actor.head_index:
            return actor
        if self.named_by_a_foreign_target(doc, actor, target, on):
            return actor
        for _, named in self._named_chunks(doc, on):
            if named is not None and named.country is not None and named.country != home:
                return actor
        state = Actor(target.text, home, None, "country", f"home of {target.text}")
        return _located(actor, state, "at-home")

    def _placed(
        self,
        doc: Doc,
        trigger: Token,
        target: Argument,
        candidate: Candidate,
        taken: frozenset[int],
        on: dt.date | None,
    ) -> Argument | None:
        """The target with the country of a place in its phrase, of the event's place, or of
        the actor's state (`_at_home`); None where the sentence places it nowhere."""
        head = doc[target.head_index]
        if head.i in taken or head.pos_ not in ("NOUN", "PROPN"):
            return None
        place = self._place_within(head, on, taken)
        if place is not None:
            return target if place.country == target.country else _located(target, place, "place-in-phrase")
        if target.country is not None:
            return target
        place = self._event_place(trigger, on, taken) or self._struck_place(doc, candidate, on, taken)
        if place is not None and head.pos_ == "NOUN":
            return _located(target, place, "event-place")
        if self._at_home(doc, head, target, candidate, taken, on):
            assert candidate.actor.country is not None
            home = Actor(
                candidate.actor.text, candidate.actor.country, None, "country", f"home of {candidate.actor.text}"
            )
            return _located(target, home, "at-home")
        return None

    def _mission_country(self, head: Token, argument: Argument, on: dt.date | None) -> Actor | None:
        """The country an international body's mission or force is in, where its phrase says
        ("troops to the UN peacekeeping mission in Mali", "the NATO-led force in Afghanistan"):
        what is sent to it or done to it is directed at that country."""
        if argument.country != "IGO" or lemma_of(head) not in self.mission_nouns:
            return None
        return self._place_within(head, on, frozenset())

    def _institution_elsewhere(self, head: Token, argument: Argument, on: dt.date | None) -> Actor | None:
        """The state an institution named only by its kind belongs to, where its phrase places
        it in another ("the Foreign Office in Islamabad" is Pakistan's, though "the Foreign
        Office" alone is Britain's); not where the phrase names its own state ("the US embassy
        in Moscow" stays American)."""
        if argument.actor is None or argument.actor.kind != "institution":
            return None
        place = self._place_within(head, on, frozenset())
        if place is None or place.country == argument.country:
            return None
        own_words = head.doc[head.left_edge.i : head.i + 1]
        if any(
            is_place(self.resolve_span(head.doc[t.i : t.i + 1], on)) for t in own_words if t.pos_ in ("PROPN", "ADJ")
        ):
            return None
        return place

    def _at_home(
        self, doc: Doc, head: Token, target: Argument, candidate: Candidate, taken: frozenset[int], on: dt.date | None
    ) -> bool:
        """People or things a state's own actor acts on, where the sentence names no other state
        and no place, are that state's ("Kenya let free 30 opposition activists", "Saudi Arabia
        eased restrictions on foreign workers"). Things struck only where the sentence says
        where (`STRIKES`: "a fuel depot" may be abroad). Not what the state only means or
        threatens to do ("ready to accept more refugees"), nor what it speaks of (`ACTED_ON`)."""
        country = candidate.actor.country
        people = target.actor is not None and target.actor.kind == "sector"
        if not _done_to(candidate, things_struck=people) or (not people and candidate.features.get("frame")):
            return False  # a thing in a reported act ("…, the embassy said") stays unplaced
        if head.pos_ != "NOUN" or country is None or country in NON_STATE or not candidate.actor.explicit:
            return False
        if self._abroad(head) or lemma_of(head) in self.instrument_nouns:
            return False  # "expelled two diplomats" are another state's; a missile test hits no one
        for chunk, named in self._named_chunks(doc, on):
            if chunk.root.i in taken or _in_scene(chunk.root):
                continue  # "freed 553 prisoners after a deal with the United States": the scene's state
            if named is not None and named.country is not None and named.country != country:
                return False
        return True

    def _weapon_owner(self, head: Token, on: dt.date | None) -> Actor | None:
        """Whose a weapon struck at is, where its phrase says who launched it ("shot down a
        drone *launched by the Houthis*"): that actor's."""
        agent = participle_agent(head) if lemma_of(head) in self.instrument_nouns else None
        if agent is None or agent.pos_ not in NOUNISH:
            return None
        owner = self.resolve_span(noun_phrase(agent), on)
        return owner if owner is not None and owner.country is not None else None

    def _abroad(self, head: Token) -> bool:
        """Whether a phrase names an envoy or embassy (`envoy_nouns`): another state's, unless named."""
        return lemma_of(head) in self.envoy_nouns or head.lower_ in self.envoy_nouns

    def _actor_tokens(self, doc: Doc, candidate: Candidate) -> frozenset[int]:
        """Token positions of the actor's phrase: nothing in it may place the target."""
        head = doc[candidate.actor.head_index]
        if not candidate.actor.explicit:
            return frozenset({head.i})
        if lemma_of(head) in self.event_nouns:
            # "Israel's bombardment of Gaza killed 40 people": the words after an event noun
            # say where it struck, not who struck.
            return frozenset(t.i for t in noun_phrase(head) if t.i <= head.i)
        return frozenset(t.i for t in noun_phrase(head))

    def _object_target(
        self, trigger: Token, taken: frozenset[int], on: dt.date | None, aimed: bool = True
    ) -> Argument | None:
        """The first object of the trigger that names an actor with a country; else a state
        deeper in the objects' phrases (`_owner_target`); else the one an event is most plainly
        directed at (a directed prepositional object before a direct one:
        "launched an investigation into Alibaba" is directed at Alibaba), for placing."""
        plain: list[tuple[int, Argument]] = []
        for head in _objects(trigger, DIRECTED_PREPOSITIONS if aimed else DIRECTED_PREPOSITIONS - {"at"}):
            if head.i in taken or head.i == trigger.i or head.pos_ not in NOUNISH or head.pos_ == "PRON":
                continue
            if find_dates(head.text, _ANY_DAY) or is_duration(head):
                continue  # "on Sunday", "on March 31", "for six months" say when, not at whom
            span = noun_phrase(head)
            actor = self.resolve_span(span, on)
            if actor is not None and actor.country is not None:
                return Argument(span.text, head.i, actor, "object")
            plain.append((0 if head.dep_ == "pobj" else 1, Argument(span.text, head.i, actor, "object")))
        owner = self._owner_target(trigger, taken, on)
        if owner is not None:
            return owner
        return min(plain, key=lambda item: item[0])[1] if plain else None

    def _owner_target(self, trigger: Token, taken: frozenset[int], on: dt.date | None) -> Argument | None:
        """A state the event's thing is directed at deeper in its phrase, where nothing nearer
        names one: "lifted sanctions *imposed on China*", "sent supplies and personnel such as
        doctors *to Nepal*", "the release of $1.2 billion in assistance *to Egypt*". Only a
        state or institution counts here: a bare noun that deep is no target of its own."""
        for head in _deep_objects(trigger):
            if head.i in taken or head.pos_ not in NOUNISH or head.pos_ == "PRON":
                continue
            span = noun_phrase(head)
            actor = self.resolve_span(span, on)
            if is_place(actor):
                return Argument(span.text, head.i, actor, "object")
        return None

    def _own_event_noun(self, head: Token, candidate: Candidate) -> bool:
        """Whether an object is the act's own event noun: its trigger, or an event noun of the
        pattern that matched ("stage a protest", "impose a curfew"); not a pattern's object
        that is acted on ("storm headquarters")."""
        lemma = lemma_of(head)
        return head.i == candidate.trigger_index or (lemma in self.event_nouns and lemma in _pattern_words(candidate))

    def _place_word_within(self, head: Token, on: dt.date | None, taken: frozenset[int]) -> Argument | None:
        """The place named inside `head`'s phrase, as a target argument."""
        for place in _prepositional_places(head, PLACE_PREPOSITIONS, depth=3):
            if place.i in taken or place.pos_ != "PROPN":
                continue  # "in support of Lebanon": the name deeper down, not "support of Lebanon"
            span = noun_phrase(place)
            located = self.resolve_span(span, on)
            if located is not None and is_place(located):
                return Argument(span.text, place.i, located, "place-in-phrase")
        return None

    def _place_within(self, head: Token, on: dt.date | None, taken: frozenset[int]) -> Actor | None:
        """A place named by a prepositional phrase inside the target's own phrase."""
        for place in _prepositional_places(head, PLACE_PREPOSITIONS, depth=3):
            if place.i in taken:
                continue
            located = self.resolve_span(noun_phrase(place), on)
            if is_place(located):
                return located
        return None

    def _struck_place(self, doc: Doc, candidate: Candidate, on: dt.date | None, taken: frozenset[int]) -> Actor | None:
        """Where an event noun acting as the actor struck ("Russia's shelling *of Kharkiv*
        killed five civilians"): its object or place, for the people it hit."""
        head = doc[candidate.actor.head_index]
        if not candidate.actor.explicit or lemma_of(head) not in self.event_nouns:
            return None
        for prep, place in prep_objects(head):
            if prep not in ("of", "on", *PLACE_PREPOSITIONS) or place.i in taken or place.pos_ not in NOUNISH:
                continue
            located = self.resolve_span(noun_phrase(place), on)
            if is_place(located):
                return located
        return None

    def _event_place(self, trigger: Token, on: dt.date | None, taken: frozenset[int]) -> Actor | None:
        """A place the trigger (or the verb a trigger noun is the object of) happens in."""
        found = self._event_place_word(trigger, on, taken)
        return found[1] if found is not None else None

    def _event_place_word(
        self, trigger: Token, on: dt.date | None, taken: frozenset[int]
    ) -> tuple[Token, Actor] | None:
        """The word naming the place the trigger happens in, and what it names."""
        verbs = [trigger] if trigger.pos_ in ("VERB", "AUX") else [trigger, trigger.head]
        for verb in verbs:
            for prep, place in prep_objects(verb):
                if prep not in EVENT_PLACE_PREPOSITIONS or place.i in taken or place.pos_ not in NOUNISH:
                    continue
                located = self.resolve_span(noun_phrase(place), on)
                if located is not None and is_place(located):
                    return place, located
        return None

    def _event_place_target(self, trigger: Token, on: dt.date | None, taken: frozenset[int]) -> Argument | None:
        """The place the trigger happens in, as a target argument."""
        found = self._event_place_word(trigger, on, taken)
        if found is None:
            return None
        word, place = found
        return _located(Argument(noun_phrase(word).text, word.i, None, "event-place"), place, "event-place")

    def _place_as_target(
        self, trigger: Token, candidate: Candidate, taken: frozenset[int], on: dt.date | None
    ) -> Argument | None:
        """An act done with no one named as done to, in a place the text names ("surrendered
        in Afghanistan's Faryab province", "imposed blockades in parts of west Darfur",
        "rebels attacked in northern Mali"), is done to that place's country: a place used as
        target takes its country (CAMEO/PLOVER). Only acts done to someone (`_done_to`): a
        statement made in Geneva is not made to Switzerland."""
        if not candidate.actor.explicit or not _done_to(candidate, things_struck=True):
            return None
        return self._event_place_target(trigger, on, taken)


def _done_to(candidate: Candidate, *, things_struck: bool) -> bool:
    """Whether the candidate's act is done to its target (`ACTED_ON`; investigations, CAMEO 09,
    too), not only meant or threatened, nor spoken of; a strike (`STRIKES`) only where
    `things_struck` says its target may be placed at home."""
    investigated = str(candidate.action.cameo or "").startswith("09")
    frame = candidate.features.get("frame")
    if (candidate.action.plover not in ACTED_ON and not investigated) or (frame and frame not in REPORTING_FRAMES):
        return False
    return things_struck or candidate.action.plover not in STRIKES


REPORTING_FRAMES = frozenset({"attribution", "reported", "claim", "allege", "deny"})
"""Frames that report an act rather than recode it ("…, officials said", "denied attacking"):
the act is still done to its target, as against an intent, a threat or a request."""


def _pattern_words(candidate: Candidate) -> frozenset[str]:
    """The words of the verb pattern that matched the trigger ("take to the streets")."""
    pattern = str(candidate.entries.get("verb_pattern") or "")
    return frozenset(re.findall(r"[a-z]+", pattern.lower()))


def _aimed(candidate: Candidate) -> bool:
    """Whether the candidate's act is aimed at someone an "at" phrase names (`AIMED_TYPES`)."""
    return candidate.action.plover in AIMED_TYPES


def _objects(trigger: Token, directed: frozenset[str] = DIRECTED_PREPOSITIONS) -> Iterator[Token]:
    """Where an event is directed, nearest first: the trigger's direct objects, the directed
    prepositional objects of the trigger and of those objects, for a trigger noun its "of"
    object's ("a suspension of aid to Pakistan"), and for a frame ("agreed to lift sanctions on
    Iran", "refused to release the soldiers") the same of the act it frames."""
    verbs = [trigger, *(c for c in trigger.children if c.dep_ == "xcomp")]
    for verb in verbs:
        direct = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
        yield from direct
        for prep, head in prep_objects(verb):
            if prep in directed:
                yield head
        for carrier in [*direct, *(h for p, h in prep_objects(verb) if p == "of")]:
            for prep, head in prep_objects(carrier):
                if prep in directed:
                    yield head


def _deep_objects(trigger: Token) -> Iterator[Token]:
    """Directed prepositional objects below the event's own objects, nearest first: through
    the objects' phrases of make-up and direction (`THROUGH_PREPOSITIONS`) and the participles that describe
    them ("sanctions imposed on China", "supplies destined for the country"), down three phrases."""
    verbs = [trigger, *(c for c in trigger.children if c.dep_ == "xcomp")]
    level = [c for verb in verbs for c in verb.children if c.dep_ in OBJECT_DEPS]
    level += [h for verb in verbs for p, h in prep_objects(verb) if p == "of"]
    for _ in range(3):
        deeper: list[Token] = []
        for carrier in level:
            holders = [carrier, *(c for c in carrier.children if c.dep_ == "acl" and c.tag_ == "VBN")]
            for holder in holders:
                for prep, head in prep_objects(holder):
                    if prep in DIRECTED_PREPOSITIONS:
                        yield head
                    if prep in THROUGH_PREPOSITIONS:
                        deeper.append(head)
        level = deeper


def _prepositional_places(head: Token, prepositions: frozenset[str], depth: int) -> Iterator[Token]:
    """Objects of `prepositions` inside `head`'s phrase, down `depth` prepositional phrases
    (prepositional phrases only: a place in a relative or other clause is not the phrase's)."""
    if depth == 0:
        return
    for prep, place in prep_objects(head):
        if prep in prepositions:
            yield place
        yield from _prepositional_places(place, prepositions, depth - 1)
    for participle in head.children:
        # "PKK targets stationed in northern Iraq": a participle describing the phrase's head;
        # "fighters holding out in Mosul": one of what it is doing, but only where it is
        # (fighters "returning from Iraq" are not Iraq's).
        if participle.dep_ == "acl" and participle.tag_ == "VBN":
            yield from _prepositional_places(participle, prepositions, depth - 1)
        elif participle.dep_ == "acl" and participle.tag_ == "VBG":
            yield from _prepositional_places(participle, prepositions & EVENT_PLACE_PREPOSITIONS, depth - 1)


def _named_kind(head: Token) -> bool:
    """Whether a capitalised adjective the actor reference does not know names whose people
    these are ("European governments", "Western media", "Arab diplomats"): a region's or a
    people's, not the sentence's one state. A name's own words ("the Constitutional Court",
    "the UNFICYP peacekeeping force") are not such an adjective."""
    return head.text.islower() and any(
        child.dep_ == "amod" and child.i < head.i and child.text[:1].isupper() and child.i > 0
        for child in head.children
    )


BACKGROUND_DEPS = frozenset({"relcl", "acl", "advcl"})
"""Clauses that describe a thing or set the scene ("a station renovated *by Chinese
companies*", "*after* talks in Doha"): a state named only there is not one the story is in,
though it still counts as another state named."""


CLAUSE_STEPS = frozenset({"xcomp", "dobj", "pobj", "prep"})
"""Dependencies a trigger climbs to reach the verb of its clause ("refused *to lift*")."""


PRIVATE_ACTORS = frozenset({"IMG", "MNC"})
"""Actors of no state whose acts the clause-state rule does not direct: militant groups and
companies. States, international bodies and NGOs act on the states their clauses name."""

SCENE_PREPOSITIONS = frozenset({"after", "before", "since", "during", "following", "amid", "until", "ahead"})
"""Prepositions that set an act in time ("days *after* the deadliest Russian missile attacks"):
a state named below them is the scene's, not the act's target."""


def _path(token: Token, stop: Token) -> Iterator[Token]:
    """The words from `token` up to (not including) `stop`."""
    node = token
    while node.i != stop.i and node.head.i != node.i:
        yield node
        node = node.head


CONTENTS = frozenset({"pcomp"})
"""A clause under a preposition is what an act is about or why ("accused the West *of trying
to destabilise Georgia*", "jailed *for helping* …"): a state it names is not the target."""

CONJOINED = frozenset({"conj"})
"""A clause coordinated with another is an act of its own ("allowed relief … *and renewed* a
pact at talks in South Sudan"): a state it names is not the first act's target."""


def _in_background(token: Token, stop: Token | None = None, also: frozenset[str] = frozenset()) -> bool:
    """Whether a word lies in a clause that describes or sets the scene (`BACKGROUND_DEPS`),
    or in a verb of `also` ("conj"), below `stop` where one is given."""
    node = token
    while node.head.i != node.i and (stop is None or node.i != stop.i):
        if node.dep_ in BACKGROUND_DEPS or (node.dep_ in also and node.pos_ in ("VERB", "AUX")):
            return True
        node = node.head
    return False


def _in_scene(token: Token) -> bool:
    """Whether a word lies in a phrase that sets the act in time (`SCENE_PREPOSITIONS`)."""
    return any(a.dep_ == "prep" and a.lower_ in SCENE_PREPOSITIONS for a in token.ancestors)


def _under(token: Token, ancestor: Token) -> bool:
    """Whether `token` is `ancestor` or in its subtree."""
    return token.i == ancestor.i or any(a.i == ancestor.i for a in token.ancestors)


def _placeable(argument: Argument) -> bool:
    return argument.actor is not None and (
        argument.actor.kind in PLACEABLE_KINDS or argument.country == STATELESS_GROUP
    )


def _located(target: Argument, place: Actor, via: str, *, explicit: bool = True) -> Argument:
    """The argument with the place's country, its own sector and kind kept where it has them."""
    if target.actor is not None:
        actor = dataclasses.replace(
            target.actor, country=place.country, entry=f"{target.actor.entry} + {via}: {place.entry}"
        )
    else:
        actor = Actor(target.text, place.country, None, "group", f"{via}: {place.entry}")
    return Argument(target.text, target.head_index, actor, via, explicit=explicit)
