"""The event coder: articles in, rows of who did what to whom, when and how sure out.

`Coder.code` segments each article into sentences (`segment`), skips the sentences that cannot
hold an event with a lexical test against the lexicon (no parse needed), parses the rest in
batches with spaCy's `nlp.pipe`, finds candidate events with dependency rules (`rules`),
resolves their dates (`transforms.dates` and the article rules below), scores their
confidence (`transforms.confidence`) and returns one row dict per event in the event table's
columns (a `CodedEvent`, `transforms/coder/rows.py`), minus the provenance columns the flow adds.

Dates. A sentence's own date expression wins ("on Sunday", "in June"). A sentence without one
inherits a date from the article only where that is clearly right:

1. *event anchor*: "during the visit", "ahead of the talks", "at the summit" refer to an event
   the article has already coded; the sentence takes that event's date;
2. *the same person's dated statement*: news reports what one person said on one occasion,
   so an undated event whose actor or speaker is a named person takes the date the article
   gives to that person elsewhere ("Zelensky said on Sunday … Zelensky also called for …");
3. otherwise the publication date, with `date_source = "publication"`.

Inherited dates have `date_source = "text"` (the article's text gave them) and the explanation
names the sentence and expression they came from.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from schemas.plover import PLOVER
from transforms.actors import ActorResolver
from transforms.coder.headlines import SMALL_WORDS, TitleRecaser
from transforms.coder.memory import Argument, ArticleMemory, Candidate
from transforms.coder.placing import ArgumentPlacer
from transforms.coder.rows import CodedEvent, DateSource
from transforms.coder.rules import SentenceCoder
from transforms.coder.segment import SentenceText, segment
from transforms.coder.triggers import match_verb, noun_entry
from transforms.confidence import UNCALIBRATED, ConfidenceModel, confidence_features
from transforms.dates import DateExpression, Precision, find_dates
from transforms.ids import event_id
from transforms.lexicon import Lexicon, lemma_table

CODER_NAME = "eventwire-coder"
CODE_VERSION = "0.3.12"


def coder_version(actors_version: str, verbs_version: str, confidence_version: str) -> str:
    """The coder's version string: the code's version and those of the data it codes with.

    The one place it is spelled, so that a flow can know the version from the data's VERSION
    files without loading the coder (and find that nothing is left to code)."""
    return f"{CODE_VERSION}+actors.{actors_version}+verbs.{verbs_version}+confidence.{confidence_version}"


def placed_version(own_version: str, geocoder_version: str) -> str:
    """The version of a coder whose events a geocoder places: the geocoder is named in it."""
    return f"{own_version}+places.{geocoder_version}"


ROW_COLUMNS: tuple[str, ...] = tuple(CodedEvent.__annotations__)
"""The columns of a coded row, in order."""

INFERRED_COUNTRY = frozenset({"sector-coreference", "article-country"})
"""Ways an actor gets a country from the article rather than from its own words."""
SENTENCE_PLACED = frozenset({"sentence-state", "at-home"})
"""Ways an actor gets a country from the one state its sentence names (`placing`)."""
TARGET_PLACED = frozenset({"place-in-phrase", "event-place", "located", "location", "at-home", "sentence-state"})
"""Ways a target gets its country from where the text puts it: a place there ("protesters in
Kassala") says the actor acts in that country, so it never costs the actor the article's."""
_ANCHOR_WORDS = frozenset({"during", "after", "before", "at", "following", "preceding", "ahead", "amid", "since", "on"})
_NAME_DETERMINERS = frozenset({"the"})
"""Grammar words before a person's name that are never the surname; titles are lexicon data."""


@dataclass(frozen=True)
class ArticleText:
    """One article to code: its id, main text (paragraphs separated by blank lines), publication date."""

    article_id: str
    text: str
    published: dt.date | None
    title: str | None = None


@dataclass
class _ArticleState:
    article: ArticleText
    sentences: list[SentenceText]
    wanted: set[int]
    docs: dict[int, Any] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return len(self.docs) == len(self.wanted)


ArticleHook = Callable[[ArticleText, list[SentenceText], dict[int, Any], list[CodedEvent]], Any]
"""Called with each coded article, its sentences, the parsed ``Doc`` of each parsed sentence
(by sentence index) and its rows; what it returns is kept in `Coder.article_extras`. The code
flow geocodes here, on the parse the coder made anyway (`transforms/event_places.py`)."""


@dataclass(frozen=True)
class ResolvedEventDate:
    date: dt.date | None
    precision: Precision | None
    source: DateSource | None
    explanation: dict[str, Any]


@dataclass
class _DraftEvent:
    """A row before its sentence is deduplicated: the confidence and the JSON explanation are
    filled in once the sentence's surviving events are known."""

    row: CodedEvent
    explanation: dict[str, Any]
    description: dict[str, Any]


def _lexicon_words(lexicon: Lexicon) -> frozenset[str]:
    """Every form of the lexicon's verbs, pattern verbs, event nouns, frames and light verbs."""
    forms = {form for entry in lexicon.verbs.values() for form in entry.forms}
    return frozenset(lemma_table(lexicon)) | forms | lexicon.trigger_forms


def _agent_words(reference: Any) -> frozenset[str]:
    """The one-word sector nouns of the reference ("troops", "rebels"): no names."""
    return frozenset(name.lower() for agent in reference.agents for name in agent.names if " " not in name)


def _words(text: str) -> list[str]:
    """The lower-cased words of a sentence for the prefilter, and the parts of hyphenated
    words: the parser splits "cyber-attacks" into "cyber - attacks", so "attacks" counts."""
    words = [w.strip(".,;:!?\"'“”‘’()[]").lower() for w in text.split()]
    return words + [part for w in words if "-" in w for part in w.split("-") if part]


def _surname(text: str, titles: frozenset[str]) -> str | None:
    """The last capitalised word of a person's name as written ("Zelensky"), past its
    `titles` (`WordSets.title_words`: "President", "Mr")."""
    words = [w.strip(".,;:!?\"'“”‘’()[]") for w in text.replace("’s", "").replace("'s", "").split()]
    names = [w for w in words if w[:1].isupper() and w.lower() not in titles and w.lower() not in _NAME_DETERMINERS]
    return names[-1] if names else None


class Coder:
    """Codes articles into event rows (see the module docstring)."""

    name: str = CODER_NAME
    version: str

    def __init__(
        self,
        nlp: Any,
        reference: Any,
        lexicon: Lexicon,
        confidence_model: ConfidenceModel | None = None,
        *,
        n_process: int = 1,
        batch_size: int = 256,
    ) -> None:
        self.nlp = nlp
        self.reference = reference
        self.lexicon = lexicon
        self.confidence_model = confidence_model or UNCALIBRATED
        self.n_process = n_process
        self.batch_size = batch_size
        self.resolver = ActorResolver(reference)
        self.rules = SentenceCoder(lexicon, self.resolver)
        self.placer = ArgumentPlacer(
            self.rules.resolve_span,
            lexicon.words.mission_nouns,
            lexicon.words.weapon_nouns | lexicon.words.actor_like_nouns,
            lexicon.words.international_forces,
            frozenset(lexicon.nouns),
            lexicon.words.envoy_nouns,
        )
        self.recaser = TitleRecaser(
            _lexicon_words(lexicon) | _agent_words(reference) | SMALL_WORDS | STOP_WORDS, self._names_a_person
        )
        self.own_version = coder_version(
            getattr(reference, "version", "unknown"), lexicon.version, self.confidence_model.version
        )
        """The code and dictionary versions; `version` adds the geocoder's (`places_with`)."""
        self.version = self.own_version
        self.stats: dict[str, int] = {"sentences": 0, "sentences_parsed": 0, "articles": 0}
        self.after_article: ArticleHook | None = None
        self.article_extras: dict[str, Any] = {}
        """What `after_article` returned, by article id (filled in worker processes too);
        the caller pops what it has used."""

    def places_with(self, geocoder_version: str) -> None:
        """Name in `version` the geocoder that places this coder's events (through
        `after_article`), as `+places.<geocoder version>`. The version is in every row's `coder`
        column and keys the store's coding cache, so a store coded without places, or on another
        gazetteer, is coded again by `code` and `recode`."""
        self.version = placed_version(self.own_version, geocoder_version)

    def _names_a_person(self, text: str) -> bool:
        """Whether `text` starts with a person's name the dictionaries know ("Ban Ki-moon"),
        not merely holds one ("Meets Putin")."""
        actor = self.resolver.resolve_text(text)
        if actor is None or actor.kind != "person" or actor.code is None:
            return False  # "Rebel Positions": an unknown capitalised head, no name of a person
        name = actor.entry.split(" [", 1)[0]
        return name.split(" ", 1)[0] == text.split(" ", 1)[0].lower()

    def wants(self, sentence: SentenceText) -> bool:
        """The cheap test: could this sentence hold an event at all?"""
        return sentence.codable and self.lexicon.could_hold_event(_words(sentence.text))

    def code(self, articles: Iterable[ArticleText]) -> Iterator[tuple[str, list[CodedEvent]]]:
        """Yield (article_id, rows) for each article, in order.

        With `n_process` > 1 the articles are coded in that many forked worker processes,
        chunk by chunk, so that parsing *and* the rules run on every core; results come back
        in input order.
        """
        if self.n_process > 1:
            yield from self._code_parallel(articles)
        else:
            yield from self._code_serial(articles)

    def _code_parallel(self, articles: Iterable[ArticleText]) -> Iterator[tuple[str, list[CodedEvent]]]:
        global _WORKER_CODER
        _WORKER_CODER = self
        context = multiprocessing.get_context("fork")
        with context.Pool(self.n_process, initializer=_default_termination) as pool:
            for chunk_result, stats, extras in pool.imap(_code_chunk, _chunks(articles, PARALLEL_CHUNK)):
                for key, value in stats.items():
                    self.stats[key] = self.stats.get(key, 0) + value
                self.article_extras.update(extras)
                yield from chunk_result
            pool.close()
            pool.join()

    def _code_serial(self, articles: Iterable[ArticleText]) -> Iterator[tuple[str, list[CodedEvent]]]:
        pending: deque[_ArticleState] = deque()

        def sentences() -> Iterator[tuple[str, tuple[int, int]]]:
            for article in articles:
                segments = segment(article.text, article.title)
                wanted = {s.index for s in segments if self.wants(s)}
                state = _ArticleState(article, segments, wanted)
                pending.append(state)
                self.stats["articles"] += 1
                self.stats["sentences"] += len(segments)
                self.stats["sentences_parsed"] += len(wanted)
                for index in sorted(wanted):
                    yield self.recaser.recase(segments[index].text), (id(state), index)

        states: dict[int, _ArticleState] = {}
        stream = sentences()

        def tracked() -> Iterator[tuple[str, tuple[int, int]]]:
            for text, context in stream:
                states[context[0]] = pending[-1]
                yield text, context

        for doc, (state_id, index) in self.nlp.pipe(tracked(), as_tuples=True, batch_size=self.batch_size):
            states[state_id].docs[index] = doc
            while pending and pending[0].complete:
                state = pending.popleft()
                states.pop(id(state), None)
                yield state.article.article_id, self._finish(state)
        while pending:
            state = pending.popleft()
            yield state.article.article_id, self._finish(state)

    def code_article(self, article: ArticleText) -> list[CodedEvent]:
        """The rows of one article (a convenience over `code`)."""
        for _, rows in self.code([article]):
            return rows
        return []

    def _finish(self, state: _ArticleState) -> list[CodedEvent]:
        article = state.article
        published = article.published
        on = published
        memory = ArticleMemory(
            self.lexicon.words.person_roles,
            fill=lambda doc, target, index: self.rules.remember_mentions(doc, target, index, on),
        )
        dates = {s.index: find_dates(s.text, published) for s in state.sentences}
        rows: list[CodedEvent] = []
        for sentence in state.sentences:
            doc = state.docs.get(sentence.index)
            if doc is None:
                continue
            memory.defer(sentence.index, doc)
            candidates = self.rules.find(doc, memory, sentence.index, published)
            sentence_rows: list[_DraftEvent] = []
            trigger_dates: dict[int, ResolvedEventDate] = {}
            for candidate in candidates:
                draft = self._row(article, sentence, doc, candidate, state, dates, rows, trigger_dates)
                if draft is not None:
                    sentence_rows.append(draft)
            rows.extend(self._dedupe_sentence(sentence_rows, len(candidates)))
        rows = self._dedupe_article(rows)
        if self.after_article is not None:
            self.article_extras[article.article_id] = self.after_article(article, state.sentences, state.docs, rows)
        return rows

    def _dedupe_sentence(self, drafts: list[_DraftEvent], candidates: int) -> list[CodedEvent]:
        """One row per (actor, action, target) in a sentence; a row without a target is dropped
        when the same actor's same action has one ("met X … to discuss" is one meeting).
        Then each row gets its confidence, and its explanation the features behind it."""
        kept: dict[tuple[Any, ...], _DraftEvent] = {}
        for draft in drafts:
            row = draft.row
            key = (row["actor"], row["actor_country"], row["action"], row["target"], row["target_country"])
            if key not in kept:
                kept[key] = draft
        targeted = {(d.row["actor"], d.row["action"]) for d in kept.values() if d.row["target"] is not None}
        survivors = [
            d for d in kept.values() if d.row["target"] is not None or (d.row["actor"], d.row["action"]) not in targeted
        ]
        _distinguish_ids([d.row for d in survivors])
        out = []
        for draft in survivors:
            row, description, explanation = draft.row, draft.description, draft.explanation
            description["events_in_sentence"] = len(survivors)
            row["confidence"] = self.confidence_model.probability(confidence_features(description))
            explanation["features"] = description
            row["explanation"] = json.dumps(explanation, ensure_ascii=False, default=str)
            out.append(row)
        return out

    def _dedupe_article(self, rows: list[CodedEvent]) -> list[CodedEvent]:
        """One row per (actor, action and CAMEO code, target, date) in an article: a story
        that repeats its main event in the lead and the body does not give two events, while
        police firing tear gas and police arresting protesters on one day stay two."""
        kept: dict[tuple[Any, ...], CodedEvent] = {}
        for row in rows:
            key = (
                row["actor_country"] or row["actor"],
                row["actor_sector"],
                row["action"],
                row["cameo_code"],
                row["target_country"] or row["target"],
                row["date"],
                row["claim_status"],
            )
            if key not in kept or row["confidence"] > kept[key]["confidence"]:
                kept[key] = row
        ids = {id(r) for r in kept.values()}
        return [r for r in rows if id(r) in ids]

    def resolve_date(
        self,
        candidate: Candidate,
        sentence: SentenceText,
        doc: Any,
        state: _ArticleState,
        dates: dict[int, list[DateExpression]],
        earlier_rows: list[CodedEvent],
    ) -> ResolvedEventDate:
        """The event's date: its sentence's expression, an anchor event, the same person's
        dated statement, or the publication date (see the module docstring)."""
        published = state.article.published
        owned = [
            (expression, own)
            for expression in dates[sentence.index]
            if (own := _dates_event(doc, expression, candidate, self._is_event_verb)) is not None
        ]
        if owned:
            at = doc[candidate.clause_index].idx
            chosen, own = min(owned, key=lambda pair: abs(pair[0].start - at))
            if own and candidate.future:
                # "will visit on Monday": the event's own clause looks forward.
                forward = [e for e in find_dates(sentence.text, published, future=True) if e.start == chosen.start]
                chosen = forward[0] if forward else chosen
            return ResolvedEventDate(
                chosen.date, chosen.precision, "text", {"expression": chosen.text, "rule": chosen.rule}
            )
        anchored = self._anchor_date(doc, earlier_rows)
        if anchored is not None:
            return anchored
        person_dated = self._person_date(candidate, sentence, state, dates)
        if person_dated is not None:
            return person_dated
        if published is None:
            return ResolvedEventDate(None, None, None, {"rule": "no date in text and no publication date"})
        return ResolvedEventDate(published, "day", "publication", {"rule": "publication date"})

    def _is_event_verb(self, token: Any) -> bool:
        """Whether a verb codes an event by itself (its lexicon entry or a pattern)."""
        match = match_verb(self.lexicon, token, None)
        return match is not None and match.action.is_event

    def _anchor_date(self, doc: Any, earlier_rows: list[CodedEvent]) -> ResolvedEventDate | None:
        for token in doc:
            if token.lower_ not in _ANCHOR_WORDS:
                continue
            nouns = [c for c in token.children if c.dep_ in ("pobj", "dobj")]
            if token.lower_ == "ahead":
                nouns = [g for c in token.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            for noun in nouns:
                entry = noun_entry(self.lexicon, noun)
                if entry is None or not entry.action.is_event:
                    continue
                for row in reversed(earlier_rows):
                    if row["action"] == entry.action.plover and row["date_source"] == "text":
                        return ResolvedEventDate(
                            row["date"],
                            row["date_precision"],
                            "text",
                            {
                                "rule": "event anchor",
                                "expression": f"{token.text} … {noun.text}",
                                "from_sentence": row["sentence_index"],
                            },
                        )
        return None

    def _person_date(
        self,
        candidate: Candidate,
        sentence: SentenceText,
        state: _ArticleState,
        dates: dict[int, list[DateExpression]],
    ) -> ResolvedEventDate | None:
        names = []
        for argument in (candidate.actor, candidate.speaker):
            if argument is not None and argument.actor is not None and argument.actor.kind == "person":
                surname = _surname(argument.text, self.lexicon.words.title_words)
                if surname:
                    names.append(surname)
        if not names:
            return None
        order = sorted(
            (s for s in state.sentences if s.index != sentence.index),
            key=lambda s: (s.index > sentence.index, abs(s.index - sentence.index)),
        )
        for other in order:
            day_dates = [d for d in dates[other.index] if d.precision == "day"]
            if day_dates and any(name in other.text for name in names):
                chosen = day_dates[0]
                return ResolvedEventDate(
                    chosen.date,
                    chosen.precision,
                    "text",
                    {"rule": "same person's dated statement", "expression": chosen.text, "from_sentence": other.index},
                )
        return None

    def _row(
        self,
        article: ArticleText,
        sentence: SentenceText,
        doc: Any,
        candidate: Candidate,
        state: _ArticleState,
        dates: dict[int, list[DateExpression]],
        earlier_rows: list[CodedEvent],
        trigger_dates: dict[int, ResolvedEventDate],
    ) -> _DraftEvent | None:
        """The draft row of one candidate: its arguments placed and settled, its date, its
        explanation and the features its confidence will be scored on."""
        action = candidate.action
        if action.plover is None:
            return None
        actor, target, same_country_in_text = self._settled_arguments(doc, candidate, article.published)
        resolved_date = trigger_dates.get(candidate.trigger_index)
        if resolved_date is None:
            # One trigger, one date: both directions of a meeting happened on the same day.
            resolved_date = self.resolve_date(candidate, sentence, doc, state, dates, earlier_rows)
            trigger_dates[candidate.trigger_index] = resolved_date
        explanation: dict[str, Any] = {
            "rule": candidate.rule,
            "trigger": doc[candidate.trigger_index].text,
            "lexicon": candidate.entries,
            "actor": _describe_argument(actor),
            "target": _describe_argument(target) if target is not None else None,
            "claim": candidate.claim_status,
            "speaker": _describe_argument(candidate.speaker) if candidate.speaker is not None else None,
            "date": resolved_date.explanation,
        }
        if same_country_in_text:
            explanation["same_country_in_text"] = True
        row = self._event_row(article, sentence, candidate, actor, target, resolved_date)
        return _DraftEvent(row, explanation, _confidence_description(candidate, actor, target))

    def _settled_arguments(
        self, doc: Any, candidate: Candidate, published: dt.date | None
    ) -> tuple[Argument, Argument | None, bool]:
        """Actor and target placed (`placing`), then settled against each other: an actor's
        country taken only from the article gives way to a named target of the same country;
        a same-country target stays only where the text names both sides (and says so, for
        the event table's check); else it is dropped. A country the actor only took from the
        one state the sentence names never costs the row its target."""
        placed_actor = self.placer.place_actor(doc, candidate, published)
        actor = self.placer.sentence_state(doc, placed_actor, published)
        target = self.placer.place(doc, dataclasses.replace(candidate, actor=actor), published)
        if target is not None and actor.explicit:
            target = self.placer.sentence_state(doc, target, published)
        if (
            target is not None
            and actor.country is not None
            and actor.country == target.country
            and actor.via in INFERRED_COUNTRY
            and target.explicit
            and target.via not in TARGET_PLACED
            and actor.actor is not None
        ):
            # "Prosecutors accuse Hasina": the named target says more than a country the actor
            # only took from the article, so the actor goes without it.
            actor = dataclasses.replace(actor, actor=dataclasses.replace(actor.actor, country=None), via="dictionary")
        else:
            actor = self.placer.home_actor(doc, actor, target, published)
        if actor.via in SENTENCE_PLACED and target is not None and target.country == actor.country:
            kept = (
                target.explicit
                and actor.text != target.text
                and not self.placer.named_by_a_foreign_target(doc, placed_actor, target, published)
            )
            actor = actor if kept else placed_actor
        if target is None or actor.country is None or actor.country != target.country:
            return actor, target, False
        if actor.explicit and target.explicit and actor.text != target.text:
            # The event table lets sectors that differ through on their own, so the flag is
            # needed only where they do not show it.
            return actor, target, not (actor.sector and target.sector and actor.sector != target.sector)
        return actor, None, False

    def _event_row(
        self,
        article: ArticleText,
        sentence: SentenceText,
        candidate: Candidate,
        actor: Argument,
        target: Argument | None,
        resolved_date: ResolvedEventDate,
    ) -> CodedEvent:
        """The row in the event table's columns; confidence and explanation are filled after
        the sentence's rows are deduplicated."""
        action = candidate.action
        assert action.plover is not None
        plover = PLOVER[action.plover]
        target_name = target.text if target is not None else None
        return {
            "event_id": event_id(article.article_id, sentence.index, actor.text, action.plover, target_name),
            "article_id": article.article_id,
            "sentence_index": sentence.index,
            "sentence": sentence.text,
            "actor": actor.text,
            "actor_country": actor.country,
            "actor_sector": actor.sector,
            "action": action.plover,
            "action_mode": action.mode,
            "cameo_code": action.cameo,
            "quad_class": plover.quad_class,
            "intensity": plover.intensity_for(action.mode),
            "target": target_name,
            "target_country": target.country if target is not None else None,
            "target_sector": target.sector if target is not None else None,
            "date": resolved_date.date,
            "date_precision": resolved_date.precision,
            "date_source": resolved_date.source,
            "claim_status": candidate.claim_status,
            "speaker": candidate.speaker.text if candidate.speaker is not None else None,
            "confidence": 0.0,
            "coder": f"{self.name} {self.version}",
            "explanation": "",
        }


_TEMPORAL_NOUNS = frozenset({"morning", "afternoon", "evening", "night", "weekend", "overnight", "day"})
_EVENT_TIME_PREPOSITIONS = frozenset({"during", "at", "amid"})
_SUBORDINATING_PREPOSITIONS = frozenset({"since", "after", "before", "until", "following", "ahead", "preceding"})


def _confidence_description(candidate: Candidate, actor: Argument, target: Argument | None) -> dict[str, Any]:
    """How a row was made, in the terms `transforms.confidence.confidence_features` reads."""
    return {
        "rule": candidate.rule,
        "action": candidate.action.plover,
        "group": candidate.entries.get("verb_group") or candidate.entries.get("noun_group"),
        "actor_via": actor.via,
        "actor_kind": actor.actor.kind if actor.actor else None,
        "actor_country": actor.country,
        "target_present": target is not None,
        "target_country": target.country if target is not None else None,
        "target_via": target.via if target is not None else None,
        "claim_status": candidate.claim_status,
        **candidate.features,
    }


def _distinguish_ids(rows: list[CodedEvent]) -> None:
    """Rows of one sentence whose words are the same but whose countries differ ("their
    governments agreed": CHN → IND and IND → CHN) would share an event id; those rows hash
    their countries too. Every other row keeps the id it always had."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["event_id"]] = counts.get(row["event_id"], 0) + 1
    for row in rows:
        if counts[row["event_id"]] > 1:
            target = None if row["target"] is None else f"{row['target']}\x00{row['target_country']}"
            actor = f"{row['actor']}\x00{row['actor_country']}"
            row["event_id"] = event_id(row["article_id"], row["sentence_index"], actor, row["action"], target)


def _sequenced(clause: Any) -> bool:
    """An adverbial clause on another day than the clause it hangs on ("days after X lifted …",
    "since X …"); a bare "after X" is usually the same occasion and counts as it."""
    marks = {c.lower_ for c in clause.children if c.dep_ == "mark"}
    if marks & {"since", "until", "till"}:
        return True
    return bool(marks & _SUBORDINATING_PREPOSITIONS) and any(c.dep_ == "npadvmod" for c in clause.children)


def _dates_event(
    doc: Any, expression: DateExpression, candidate: Candidate, is_event: Callable[[Any], bool]
) -> bool | None:
    """Whether a date expression dates this candidate: None when it belongs elsewhere, True when
    it modifies the event's own clause (or a clause coordinated with or complementing it),
    False when it modifies a clause above it ("said on Sunday that …").

    An expression dates the clause it hangs on: "in June" on "expelled" dates the expulsion, but
    "Saturday's election" dates the election, "who fled in August" the flight and "saying … in
    June" the saying, not the event of the main clause. A prepositional date on a noun ("the
    ambassador in Caracas on Thursday"), or in a relative clause that reports no event ("roads
    that once connected it … on Tuesday"), is the parser's guess and counts for the clause.
    """
    tokens = [t for t in doc if expression.start <= t.idx < expression.end]
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    node = tokens[0]
    while node.i in inside and node.head.i != node.i and node.head.i in inside:
        node = node.head
    if (
        node.dep_ in ("poss", "compound", "amod", "nmod")
        and node.head.pos_ in ("NOUN", "PROPN")
        and node.head.i != candidate.trigger_index
        and node.head.lower_ not in _TEMPORAL_NOUNS
        and node.head.head.lower_ not in _EVENT_TIME_PREPOSITIONS
    ):
        return None  # "Saturday's election", "the June talks": the date of a thing
    while node.head.i != node.i:
        if node.dep_ == "appos":
            break
        if node.dep_ == "prep" and node.lower_ in _SUBORDINATING_PREPOSITIONS:
            return None  # "following the incursion in August": the date of another event
        transparent = (
            node.i in inside
            or node.dep_ in ("prep", "agent", "pobj", "npadvmod", "compound", "poss")
            or node.pos_ in ("ADP", "NOUN", "PROPN", "NUM")
            or (node.dep_ in ("relcl", "acl") and expression.precision == "day" and not is_event(node))
        )
        if not transparent:
            break
        node = node.head
    trigger, clause = candidate.trigger_index, candidate.clause_index
    if node.i in (trigger, clause):
        return True
    below = node
    while below.head.i != below.i and (
        below.dep_ in ("conj", "xcomp", "pcomp")
        or (below.dep_ == "advcl" and not _sequenced(below))
        or (below.dep_ == "prep" and below.lower_ not in _SUBORDINATING_PREPOSITIONS)
    ):
        if below.dep_ == "pcomp" and below.head.lower_ in _SUBORDINATING_PREPOSITIONS:
            break
        below = below.head
        if below.i == clause:
            return True  # "met …, agreeing on Saturday", "barred X from flying … on November 12"
    ancestor = doc[clause]
    while ancestor.head.i != ancestor.i:
        if ancestor.dep_ in ("advcl", "relcl", "acl") and _sequenced(ancestor):
            return None  # "days after X lifted the restrictions": that was on another day
        if ancestor.head.i == node.i and (ancestor.dep_ in ("conj", "advcl")):
            return True
        ancestor = ancestor.head
        if ancestor.i == node.i:
            return False
    return None


PARALLEL_CHUNK = 8
"""Articles per task for the worker processes: large enough to batch the parser well."""

_WORKER_CODER: Coder | None = None
"""The coder a forked worker process inherits from its parent."""


def _default_termination() -> None:
    """A forked worker ends quietly when its pool is done with it: the parent's SIGTERM handler
    (a Prefect flow run's raises an error with a traceback) is not the worker's to run."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _chunks(articles: Iterable[ArticleText], size: int) -> Iterator[list[ArticleText]]:
    chunk: list[ArticleText] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _code_chunk(
    chunk: list[ArticleText],
) -> tuple[list[tuple[str, list[CodedEvent]]], dict[str, int], dict[str, Any]]:
    coder = _WORKER_CODER
    assert coder is not None, "worker process without a coder"
    coder.stats = {"sentences": 0, "sentences_parsed": 0, "articles": 0}
    coder.article_extras = {}
    return list(coder._code_serial(chunk)), dict(coder.stats), coder.article_extras


def _describe_argument(argument: Argument | None) -> dict[str, Any] | None:
    if argument is None:
        return None
    actor = argument.actor
    return {
        "text": argument.text,
        "via": argument.via,
        "entry": actor.entry if actor is not None else None,
        "country": actor.country if actor is not None else None,
        "sector": actor.sector if actor is not None else None,
    }


__all__ = ["ROW_COLUMNS", "ArticleText", "CodedEvent", "Coder"]
