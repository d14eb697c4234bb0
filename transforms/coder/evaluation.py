"""Scoring coded rows against the development sets, exactly as `../shared/eval/README.md` defines.

Pure functions over already-read records and already-coded rows (dicts as `code_jsonl` writes
them): `tools/eval.py` and the seed test read the files and call these. Nothing here reads the
sets; nothing here should ever hold a sentence from them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from schemas.plover import plover_from_cameo

PLOVER_CLASSES: dict[str, frozenset[int]] = {
    "AGREE": frozenset({1}),
    "CONSULT": frozenset({1}),
    "SUPPORT": frozenset({1}),
    "CONCEDE": frozenset({1, 2}),
    "COOPERATE": frozenset({2}),
    "AID": frozenset({2}),
    "RETREAT": frozenset({2}),
    "REQUEST": frozenset({1, 3}),
    "ACCUSE": frozenset({3}),
    "REJECT": frozenset({3}),
    "THREATEN": frozenset({3}),
    "PROTEST": frozenset({4}),
    "SANCTION": frozenset({4}),
    "MOBILIZE": frozenset({4}),
    "COERCE": frozenset({4}),
    "ASSAULT": frozenset({4}),
}
"""The ConfliBERT "penta" classes each PLOVER type stands for (the eval README's table)."""

CONVENTION_DIFFERENCES: frozenset[tuple[str, int]] = frozenset({("REQUEST", 0), ("REJECT", 0), ("SANCTION", 3)})
"""(PLOVER type, penta class) pairs on which ConfliBERT's annotators and the project's design part
ways (docs/coder.md): appeals and denials of accusations are statements to the annotators, and
sanctions verbal conflict; `DESIGN.md` codes them REQUEST, REJECT and SANCTION. A row of such a
pair may be right or wrong, and the label cannot say which."""


def row_judgement(action: str, penta: int) -> bool | None:
    """Whether a coded row is right by its sentence's ConfliBERT class: its type stands for the
    class (a class-0 sentence holds no event), or None where the label cannot judge it
    (`CONVENTION_DIFFERENCES`).

    Scoring (`score_conflibert`) follows the eval README to the letter; this judgement is for
    fitting and checking confidence, which must not learn that every appeal, denial or sanction
    is wrong because the annotators file them elsewhere.
    """
    if (action, penta) in CONVENTION_DIFFERENCES:
        return None
    return penta != 0 and penta in PLOVER_CLASSES.get(action, frozenset())


_STOPWORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "'s",
        "'",
        "s",
        "its",
        "his",
        "her",
        "their",
        "this",
        "that",
        "these",
        "those",
    ]
)
_UNKNOWN = "---"


def is_tuning(sentence_id: str) -> bool:
    """The fixed split of the ConfliBERT set: sha256 of the id, even → tuning half, odd → check half."""
    return int(hashlib.sha256(sentence_id.encode("utf-8")).hexdigest(), 16) % 2 == 0


def _normalise(text: str) -> str:
    text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    return " ".join(text.split())


@dataclass
class SeedResult:
    """Which required seed events were found, and whether their dates are right."""

    found: dict[str, bool] = field(default_factory=dict)
    date_right: dict[str, bool] = field(default_factory=dict)
    optional_found: dict[str, bool] = field(default_factory=dict)
    matched_rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    forbidden_rows: list[dict[str, Any]] = field(default_factory=list)
    same_country_rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return (
            all(self.found.values())
            and all(self.date_right.values())
            and not self.forbidden_rows
            and not self.same_country_rows
        )


def _date_matches(expected: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    if row.get("date") is None:
        return False
    value = row["date"] if isinstance(row["date"], dt.date) else dt.date.fromisoformat(str(row["date"]))
    precision = expected.get("date_precision", "day")
    if row.get("date_precision") != precision:
        return False
    if precision == "month":
        year, month = (int(p) for p in str(expected["date"]).split("-")[:2])
        return (value.year, value.month) == (year, month)
    if precision == "year":
        return value.year == int(str(expected["date"])[:4])
    wanted = dt.date.fromisoformat(str(expected["date"]))
    return abs((value - wanted).days) <= int(expected.get("date_tolerance_days", 0))


def _seed_event_matches(expected: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    if _normalise(row.get("sentence", "")) != _normalise(expected["evidence"]):
        return False
    if row.get("action") not in expected["action"]:
        return False
    statuses = expected.get("claim_status")
    if statuses and row.get("claim_status") not in statuses:
        return False
    directions = [(row.get("actor_country"), row.get("target_country"))]
    if expected.get("reciprocal"):
        directions.append((row.get("target_country"), row.get("actor_country")))
    for actor, target in directions:
        if actor != expected["actor_country"]:
            continue
        if expected.get("target_optional") and target in (None, expected.get("target_country")):
            return True
        if target == expected.get("target_country"):
            return True
    return False


def score_seed(
    expected: Sequence[Mapping[str, Any]], rows: Sequence[Mapping[str, Any]], forbidden_after: str | None
) -> SeedResult:
    """Score the seed article's rows against `expected.jsonl`.

    `forbidden_after`: text of the first line that is not the article (the comment box); no
    row may come from a sentence at or after it.
    """
    result = SeedResult()
    for event in expected:
        matches = [r for r in rows if _seed_event_matches(event, r)]
        dated = [r for r in matches if _date_matches(event, r)]
        key = str(event["id"])
        if event.get("required"):
            result.found[key] = bool(matches)
            result.date_right[key] = bool(dated)
        else:
            result.optional_found[key] = bool(matches)
        if dated or matches:
            result.matched_rows[key] = dict((dated or matches)[0])
    if forbidden_after:
        marker = _normalise(forbidden_after)
        for row in rows:
            if marker and marker.lower() in _normalise(row.get("sentence", "")).lower():
                result.forbidden_rows.append(dict(row))
    for row in rows:
        if (
            row.get("actor_country") is not None
            and row.get("actor_country") == row.get("target_country")
            and '"same_country_in_text": true' not in str(row.get("explanation") or "")
            and not (isinstance(row.get("explanation"), dict) and row["explanation"].get("same_country_in_text"))
        ):
            result.same_country_rows.append(dict(row))
    return result


@dataclass
class Petr2Result:
    """Precision, recall and F1 over (actor country, PLOVER action, target country) per sentence."""

    sentences: int = 0
    gold: int = 0
    emitted: int = 0
    matched: int = 0
    dyads_matched: int = 0
    dyad_action_right: int = 0
    no_event_sentences: int = 0
    no_event_false_positives: int = 0
    untyped_matched: int = 0
    per_sentence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.emitted if self.emitted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def action_accuracy(self) -> float:
        return self.dyad_action_right / self.dyads_matched if self.dyads_matched else 0.0


_NO_COUNTRY = "(none)"


def _country(code: str | None) -> str:
    return (code or _UNKNOWN)[:3] or _UNKNOWN


def _row_country(country: str | None, *, missing_as_unknown: bool) -> str:
    """A row's country as the scorer compares it: by the README's rule a row without a country
    matches no gold code, `---` included; `missing_as_unknown` reads it as `---` instead."""
    if country:
        return country[:3]
    return _UNKNOWN if missing_as_unknown else _NO_COUNTRY


def _petr2_gold(record: Mapping[str, Any]) -> list[tuple[str, str | None, str | None]]:
    """Gold events as (actor country, PLOVER type or None, target country or None), in the
    README's matching order: typed before untyped, and within each, gold with a target first."""
    gold = [
        (
            _country(e.get("source")),
            plover_from_cameo(str(e.get("event_code"))),
            _country(e.get("target")) if e.get("target") else None,
        )
        for e in record.get("expected", [])
    ]
    return sorted(gold, key=lambda g: (g[1] is None, g[2] is None))


def _petr2_match(
    gold: Sequence[tuple[str, str | None, str | None]], emitted: Sequence[tuple[str, str, str]]
) -> tuple[list[int | None], list[bool]]:
    """Match rows to gold events one to one, greedily, in the given gold order: a row matches when
    its actor country and type agree and, where the gold has one, its target country. An untyped
    gold event matches on the countries alone. Returns, per gold event, the row it took, and per
    row whether it was taken."""
    taken = [False] * len(emitted)
    chosen: list[int | None] = []
    for actor, plover, target in gold:
        pick = next(
            (
                i
                for i, (a, act, t) in enumerate(emitted)
                if not taken[i] and a == actor and (plover is None or act == plover) and (target is None or t == target)
            ),
            None,
        )
        if pick is not None:
            taken[pick] = True
        chosen.append(pick)
    return chosen, taken


def score_petr2(
    records: Sequence[Mapping[str, Any]],
    rows_by_id: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    missing_as_unknown: bool = False,
) -> Petr2Result:
    """Score PETR-2 validation sentences by the eval README's rule.

    Gold CAMEO codes map to PLOVER (01, 016 included, and 02 that asks nothing have no type);
    actor codes compare by their first three letters with the row's country; a row without a
    country matches no gold code, not even `---` (unless `missing_as_unknown`). Per sentence, rows
    match gold events one to one, greedily (typed gold first, gold with a target first). Every
    row counts, duplicates included: each unmatched row is a false positive, each unmatched
    typed gold event a false negative. A row matched by an untyped gold event is not counted."""
    result = Petr2Result()
    for record in records:
        result.sentences += 1
        gold = _petr2_gold(record)
        rows = rows_by_id.get(str(record["id"]), [])
        emitted = [
            (
                _row_country(r.get("actor_country"), missing_as_unknown=missing_as_unknown),
                str(r["action"]),
                _row_country(r.get("target_country"), missing_as_unknown=missing_as_unknown),
            )
            for r in rows
        ]
        chosen, taken = _petr2_match(gold, emitted)
        pairs = list(zip(gold, chosen, strict=True))
        typed = [g for g in gold if g[1] is not None]
        excused = sum(1 for g, i in pairs if g[1] is None and i is not None)
        result.gold += len(typed)
        result.emitted += len(emitted) - excused
        result.matched += sum(1 for g, i in pairs if g[1] is not None and i is not None)
        result.untyped_matched += excused
        for actor, plover, target in typed:
            same_dyad = {act for a, act, t in emitted if a == actor and (target is None or t == target)}
            if same_dyad:
                result.dyads_matched += 1
                result.dyad_action_right += plover in same_dyad
        if not record.get("expected"):
            result.no_event_sentences += 1
            result.no_event_false_positives += bool(rows)
        result.per_sentence.append(
            {
                "id": record["id"],
                "gold": sorted((a, p, t or _UNKNOWN) for a, p, t in typed),
                "emitted": sorted(emitted),
                "missed": sorted((a, p, t or _UNKNOWN) for (a, p, t), i in pairs if p is not None and i is None),
                "false": sorted(row for row, was_taken in zip(emitted, taken, strict=True) if not was_taken),
            }
        )
    return result


def content_words(text: str) -> list[str]:
    """Lower-case words of a span without function words ("the", "a", "of", "and", ...)."""
    words = re.findall(r"[\w-]+", text.lower().replace("’", "'"))
    return [w for w in words if w not in _STOPWORDS]


def span_f1(predicted: str, gold: str) -> float:
    """Token F1 between two spans' content words."""
    p, g = Counter(content_words(predicted)), Counter(content_words(gold))
    common = sum((p & g).values())
    if not common:
        return 0.0
    precision = common / sum(p.values())
    recall = common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


@dataclass
class ConflibertResult:
    """The breadth scores of the ConfliBERT set (or one half of it)."""

    sentences: int = 0
    hits: int = 0
    wrong: int = 0
    misses: int = 0
    quiet: int = 0
    false_alarms: int = 0
    appeals: int = 0
    """Class-0 sentences that make an appeal and got only REQUEST rows: left out (the README)."""
    events: int = 0
    hits_with_span: int = 0
    actor_agree: int = 0
    outcomes: dict[str, str] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        denominator = self.hits + self.wrong + self.false_alarms
        return self.hits / denominator if denominator else 0.0

    @property
    def recall(self) -> float:
        denominator = self.hits + self.wrong + self.misses
        return self.hits / denominator if denominator else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def events_per_sentence(self) -> float:
        return self.events / self.sentences if self.sentences else 0.0

    @property
    def actor_agreement(self) -> float:
        return self.actor_agree / self.hits_with_span if self.hits_with_span else 0.0


_OUTCOME_COUNTERS = {
    "hit": "hits",
    "wrong": "wrong",
    "miss": "misses",
    "quiet": "quiet",
    "false_alarm": "false_alarms",
    "appeal": "appeals",
}

APPEAL = re.compile(
    r"\b(?:urg(?:e|es|ed|ing)|call(?:s|ed|ing)?\s+(?:on|upon|for)|ask(?:s|ed|ing)?|appeal(?:s|ed|ing)?"
    r"|plead(?:s|ed|ing)?|pled|implor(?:e|es|ed|ing)|exhort(?:s|ed|ing)?|request(?:s|ed|ing)?|beg(?:s|ged|ging)?)\b",
    re.IGNORECASE,
)
"""Words by which a sentence makes an appeal (the eval README: "urged", "called on", "asked",
"appealed"…, with their usual synonyms): CAMEO codes it 02 and the design REQUEST, while
ConfliBERT's annotators class it a statement, so such a class-0 sentence coded only as
REQUEST is left out of the count."""


def makes_appeal(text: str) -> bool:
    """Whether a sentence makes an appeal, by its words (`APPEAL`)."""
    return APPEAL.search(text) is not None


def score_conflibert(
    records: Iterable[Mapping[str, Any]], rows_by_id: Mapping[str, Sequence[Mapping[str, Any]]]
) -> ConflibertResult:
    """Score sentences labelled with a penta class and actor spans (see the eval README)."""
    result = ConflibertResult()
    for record in records:
        result.sentences += 1
        rows = rows_by_id.get(str(record["id"]), [])
        result.events += len(rows)
        penta = int(record["penta"])
        if penta == 0:
            appeal = bool(rows) and all(r["action"] == "REQUEST" for r in rows) and makes_appeal(str(record["text"]))
            outcome = "appeal" if appeal else "false_alarm" if rows else "quiet"
        else:
            right = [r for r in rows if penta in PLOVER_CLASSES.get(r["action"], frozenset())]
            outcome = "hit" if right else "wrong" if rows else "miss"
            if right:
                actors = record.get("actors") or {}
                spans = list(actors.get("source") or []) + list(actors.get("reciprocal") or [])
                if actors and actors.get("source"):
                    result.hits_with_span += 1
                    if any(span_f1(str(r.get("actor") or ""), span) >= 0.5 for r in right for span in spans):
                        result.actor_agree += 1
        result.outcomes[str(record["id"])] = outcome
        counter = _OUTCOME_COUNTERS[outcome]
        setattr(result, counter, getattr(result, counter) + 1)
    return result


@dataclass
class Reliability:
    """A ten-bin reliability table and the expected calibration error."""

    bins: list[tuple[float, float, int, float, float]]  # (low, high, count, mean confidence, accuracy)
    ece: float
    count: int


def reliability(pairs: Iterable[tuple[float, bool]], bins: int = 10) -> Reliability:
    """Reliability of (confidence, correct) pairs over `bins` equal-width bins, and the ECE."""
    buckets: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    items = list(pairs)
    for confidence, correct in items:
        index = min(bins - 1, max(0, int(confidence * bins)))
        buckets[index].append((confidence, correct))
    table = []
    ece = 0.0
    for index, bucket in enumerate(buckets):
        low, high = index / bins, (index + 1) / bins
        if not bucket:
            table.append((low, high, 0, 0.0, 0.0))
            continue
        mean_confidence = sum(c for c, _ in bucket) / len(bucket)
        accuracy = sum(1 for _, ok in bucket if ok) / len(bucket)
        table.append((low, high, len(bucket), mean_confidence, accuracy))
        ece += len(bucket) / len(items) * abs(mean_confidence - accuracy)
    return Reliability(table, ece, len(items))


DYAD_ERROR_KINDS: tuple[str, ...] = (
    "actor none",
    "actor other",
    "target none",
    "target other",
    "type wrong",
    "no event",
)
"""Why a ConfliBERT dyads sentence was not a hit, judged on its closest row (`score_dyads`)."""


@dataclass
class DyadResult:
    """Full-row scores of the country-coded ConfliBERT sentences (or one half of them)."""

    sentences: int = 0
    hits: int = 0
    wrong: int = 0
    misses: int = 0
    class_right: int = 0
    events: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    outcomes: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, list[str]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.hits / (self.hits + self.wrong) if self.hits + self.wrong else 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.sentences if self.sentences else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _side_codes(codes: Mapping[str, Sequence[str]], side: str) -> frozenset[str] | None:
    """The codes a row's side may carry, or None where every code is `---` (the side is not checked)."""
    allowed = [*codes.get(side, []), *codes.get("reciprocal", [])]
    if all(code == _UNKNOWN for code in allowed):
        return None
    return frozenset(code for code in allowed if code != _UNKNOWN)


def _side_error(value: Any, allowed: frozenset[str] | None, side: str) -> str | None:
    if allowed is None or value in allowed:
        return None
    return f"{side} none" if value in (None, "", _UNKNOWN) else f"{side} other"


def dyad_row_errors(record: Mapping[str, Any], row: Mapping[str, Any]) -> list[str]:
    """What is wrong with one row for a country-coded sentence: empty when the row is a hit.

    The row's type must stand for the sentence's class, its actor country must be one of the
    source or reciprocal codes and its target country one of the target or reciprocal codes; a
    side whose codes are all `---` is not checked (the eval README's rule).
    """
    if int(record["penta"]) not in PLOVER_CLASSES.get(str(row.get("action")), frozenset()):
        return ["type wrong"]
    codes = record.get("codes") or {}
    found = [
        _side_error(row.get("actor_country"), _side_codes(codes, "source"), "actor"),
        _side_error(row.get("target_country"), _side_codes(codes, "target"), "target"),
    ]
    return [error for error in found if error is not None]


def full_row_judgement(record: Mapping[str, Any], row: Mapping[str, Any]) -> bool | None:
    """Whether a row is right as a whole (type, actor country and target country) for the
    confidence model to fit and be checked on: right when `dyad_row_errors` finds nothing,
    wrong on a class-0 sentence, None where the label cannot judge the type
    (`CONVENTION_DIFFERENCES`, as `row_judgement`)."""
    action, penta = str(row.get("action")), int(record["penta"])
    if (action, penta) in CONVENTION_DIFFERENCES:
        return None
    if penta == 0:
        return False
    return not dyad_row_errors(record, row)


def score_dyads(
    records: Iterable[Mapping[str, Any]], rows_by_id: Mapping[str, Sequence[Mapping[str, Any]]]
) -> DyadResult:
    """Score country-coded sentences by the eval README's rule: a hit when some row has the
    class's type and both countries right; wrong when rows were emitted and none is a hit; a
    miss when none was. A non-hit is explained by its closest row (fewest errors, type right
    first): each wrong side counts once in `errors`, a wrong type or no row at all once."""
    result = DyadResult()
    for record in records:
        key = str(record["id"])
        rows = rows_by_id.get(key, [])
        result.sentences += 1
        result.events += len(rows)
        penta = int(record["penta"])
        if any(penta in PLOVER_CLASSES.get(str(r.get("action")), frozenset()) for r in rows):
            result.class_right += 1
        if not rows:
            result.misses += 1
            result.outcomes[key], result.kinds[key] = "miss", ["no event"]
            result.errors["no event"] += 1
            continue
        closest = min(
            (dyad_row_errors(record, row) for row in rows), key=lambda errors: ("type wrong" in errors, len(errors))
        )
        if not closest:
            result.hits += 1
            result.outcomes[key], result.kinds[key] = "hit", []
            continue
        result.wrong += 1
        result.outcomes[key], result.kinds[key] = "wrong", closest
        result.errors.update(closest)
    return result
