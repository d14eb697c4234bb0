"""Arguments, candidates and the article's memory of the actors it has mentioned."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from transforms.coder.lemmas import lemma_of
from transforms.coder.words import (
    NON_STATE,
    SUBJECT_DEPS,
)
from transforms.lexicon import Action

if TYPE_CHECKING:
    from spacy.tokens import Token

    from transforms.actors import Actor


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
    role: str = ""
    head_is_person_role: bool = False
    """Whether the head is a role noun that names one person ("envoy": `WordSets.person_roles`)."""

    @property
    def is_person(self) -> bool:
        """A person named, or a phrase whose head is a one-person role ("Russia's envoy")."""
        return self.actor.kind == "person" or (self.head_is_person_role and self.actor.kind != "sector")


def _is_city(actor: Actor) -> bool:
    """A place inside a country that the dictionary codes as the country ("Goma", "New York"):
    a location, never one of "the two countries"."""
    return actor.kind == "country" and "demonyms" not in (actor.entry or "")


class ArticleMemory:
    """What an article has named so far, for pronouns, surnames, role nouns and plural references.

    `person_roles` are the role nouns whose phrase names one person (`WordSets.person_roles`):
    "he" may refer back to "Russia's envoy".
    """

    def __init__(self, person_roles: frozenset[str], fill: Any = None) -> None:
        self.person_roles = person_roles
        self.mentions: list[Mention] = []
        self.pairs: list[tuple[int, int, list[Mention]]] = []
        self._people_by_word: dict[str, list[Mention]] = {}
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

    def remember(
        self, sentence_index: int, token_index: int, text: str, actor: Actor, head_lemma: str, role: str = ""
    ) -> Mention:
        words = frozenset(w.lower().strip(".,'’") for w in text.replace("-", " ").split() if w[:1].isupper())
        lemma = head_lemma.lower()
        mention = Mention(sentence_index, token_index, text, actor, words, lemma, role, lemma in self.person_roles)
        self.mentions.append(mention)
        if actor.kind == "person":
            for word in words:
                self._people_by_word.setdefault(word, []).append(mention)
        return mention

    def remember_pair(self, sentence_index: int, token_index: int, mentions: list[Mention]) -> None:
        """Countries named together ("Congo and Rwanda"): what "the two sides" later means."""
        self.pairs.append((sentence_index, token_index, mentions))

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
        """The person "he" or "she" refers to: of the people named in the nearest sentence that
        names any, the subject if one was a subject, else the last one named."""
        best: Mention | None = None
        for mention in self._recent(sentence_index, token_index, window=3):
            if not mention.is_person or mention.actor.country is None:
                continue
            if mention.role == "poss" and mention.sentence_index == sentence_index:
                continue  # "Hasina's son … he": the possessor is not who "he" is
            if best is None:
                best = mention
            elif mention.sentence_index != best.sentence_index:
                break
            if mention.role in SUBJECT_DEPS and best.role not in SUBJECT_DEPS:
                return mention
        return best

    def by_name(self, words: Iterable[str], sentence_index: int, token_index: int) -> Mention | None:
        """The most recent person whose name contains every capitalised word given."""
        wanted = {w.lower() for w in words}
        if not wanted:
            return None
        if self._pending:
            self._catch_up()
        # Only people whose name has one of the words can match: look at those, latest first.
        candidates = min((self._people_by_word.get(w, []) for w in wanted), key=len)
        for mention in reversed(candidates):
            if mention.sentence_index > sentence_index or (
                mention.sentence_index == sentence_index and mention.token_index >= token_index
            ):
                continue
            if wanted <= mention.words:
                return mention
        return None

    def by_role(self, head_lemma: str, sector: str | None, sentence_index: int, token_index: int) -> Mention | None:
        """The most recent actor with a country whose name has this role noun ("the minister")."""
        for mention in self._recent(sentence_index, token_index, window=4):
            if mention.actor.country is None:
                continue
            if sector is not None and mention.actor.sector not in (None, sector):
                continue  # "the army" is not the "Arakan Army" (REB)
            if head_lemma and head_lemma in mention.text.lower():
                return mention
        if sector is None:
            return None
        for mention in self._recent(sentence_index, token_index, window=2):
            if mention.actor.country is not None and mention.actor.sector == sector:
                return mention
        return None

    def sector_country(self, sector: str, sentence_index: int, token_index: int) -> Mention | None:
        """The one country whose institution of this sector the article has named so far
        ("Israeli forces" … "the military"); None when there are several or none."""
        found: dict[str, Mention] = {}
        for mention in self._recent(sentence_index, token_index, window=10_000):
            country = mention.actor.country
            if country is None or country in NON_STATE or mention.actor.sector != sector:
                continue
            found.setdefault(country, mention)
        return next(iter(found.values())) if len(found) == 1 else None

    def dominant_country(self, sentence_index: int, token_index: int) -> Mention | None:
        """The country the article is about, when one clearly is: at least three mentions so
        far and three in five of all the state actors named."""
        counts: dict[str, int] = {}
        latest: dict[str, Mention] = {}
        for mention in self._recent(sentence_index, token_index, window=10_000):
            country = mention.actor.country
            if country is None or country in NON_STATE:
                continue
            counts[country] = counts.get(country, 0) + 1
            latest.setdefault(country, mention)
        if not counts:
            return None
        country, count = max(counts.items(), key=lambda item: item[1])
        if count >= 3 and count >= 0.6 * sum(counts.values()):
            return latest[country]
        return None

    def organisation(self, sentence_index: int, token_index: int) -> Mention | None:
        """The international organisation named most recently ("the EU … the bloc")."""
        for mention in self._recent(sentence_index, token_index, window=3):
            if mention.actor.kind == "igo" or mention.actor.country == "IGO":
                return mention
        return None

    def recent_pair(self, sentence_index: int, token_index: int, window: int = 3) -> list[Mention]:
        """The countries most recently named together, within `window` sentences."""
        if self._pending:
            self._catch_up()
        for pair_sentence, pair_token, mentions in reversed(self.pairs):
            if pair_sentence > sentence_index or (pair_sentence == sentence_index and pair_token >= token_index):
                continue
            if sentence_index - pair_sentence > window:
                break
            return mentions
        return []

    def countries(self, sentence_index: int, token_index: int, limit: int = 2) -> list[Mention]:
        """The most recent distinct countries named (for "the leaders", "both countries")."""
        found: list[Mention] = []
        seen: set[str] = set()
        for mention in self._recent(sentence_index, token_index, window=2):
            country = mention.actor.country
            if country is None or country in seen or country in NON_STATE or _is_city(mention.actor):
                continue
            seen.add(country)
            found.append(mention)
            if len(found) == limit:
                break
        return found


def entry_label(actor: Actor) -> str | None:
    """The dictionary words of the actor's first entry ("un" in "un [IGOUNO] (...)")."""
    label = (actor.entry or "").split(" [", 1)[0].strip().rstrip("*")
    return label.lower() or None


def head_is_named(head: Token, actor: Actor) -> bool:
    """Whether a sector noun of the actor's entries is the phrase's head ("police", "troops")."""
    words = set()
    for part in (actor.entry or "").split(" + "):
        words.update(part.split(" [", 1)[0].strip().rstrip("*").lower().split())
    lemma = lemma_of(head)
    return any(lemma.startswith(w) or head.lower_.startswith(w) or w.startswith(lemma) for w in words if w)


def is_plural_reference(head: Token, references: frozenset[str]) -> bool:
    """ "the leaders", "both countries", "the two sides": a definite plural of one of
    `references` (`WordSets.plural_references`) with no other modifier."""
    if head.tag_ not in ("NNS", "NNPS") or head.lemma_.lower() not in references:
        return False
    determiners = {c.lower_ for c in head.children if c.dep_ in ("det", "predet", "nummod", "quantmod")}
    # "the two foreign ministers" still refers back; "the Western leaders" names whose they are.
    others = [c for c in head.children if c.dep_ in ("compound", "poss") or (c.dep_ == "amod" and c.text[:1].isupper())]
    return bool(determiners & {"the", "both", "two", "these", "those"}) and not others


def is_place(actor: Actor | None) -> bool:
    """A country or a place in one (a capital, a city): something that locates an event."""
    return (
        actor is not None
        and actor.country is not None
        and actor.country not in NON_STATE
        and actor.kind in ("country", "institution")
    )
