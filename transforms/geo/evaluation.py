"""Scorers for the geocoder (``make eval --sets geo``), as ``../shared/eval/README.md`` defines them.

Inputs are the gold articles (``{"id", "text", "toponyms": [{"start", "end", "geonameid",
"lat", "lon", ...}]}``) and the geocoder's output lines (``eventwire geocode``: ``{"id",
"start", "end", "geonameid", "lat", "lon", ...}``).

- Gold spans: accuracy within 161 km (100 miles) over the toponyms that have a gold point (a
  span left unresolved counts as wrong), and exact GeoNames id over those that have an id.
- Free mode: a found place is a true positive when it overlaps a gold toponym with a point and
  lies within 161 km of it (each gold toponym counted once); precision over the places found
  (those overlapping a gold toponym without a point are not counted either way), recall over
  the gold toponyms with a point.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ACCURACY_KM = 161.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    a = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    )
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def _has_point(item: Mapping[str, Any]) -> bool:
    return item.get("lat") is not None and item.get("lon") is not None


def _same_id(gold: Any, predicted: Any) -> bool:
    return gold is not None and predicted is not None and str(gold) == str(predicted)


@dataclass
class GeoSpanResult:
    toponyms: int = 0
    with_point: int = 0
    within: int = 0
    with_id: int = 0
    exact: int = 0
    unresolved: int = 0
    by_code: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.within / self.with_point if self.with_point else 0.0

    @property
    def exact_accuracy(self) -> float:
        return self.exact / self.with_id if self.with_id else 0.0


def score_geo_spans(articles: Iterable[Mapping[str, Any]], predicted: Iterable[Mapping[str, Any]]) -> GeoSpanResult:
    """Accuracy at 161 km and exact-id accuracy on the gold spans."""
    by_span = {(str(p["id"]), int(p["start"]), int(p["end"])): p for p in predicted}
    result = GeoSpanResult()
    for article in articles:
        for gold in article["toponyms"]:
            result.toponyms += 1
            guess = by_span.get((str(article["id"]), int(gold["start"]), int(gold["end"])))
            resolved = guess is not None and _has_point(guess)
            if not resolved:
                result.unresolved += 1
            if gold.get("geonameid") is not None:
                result.with_id += 1
                if guess is not None and _same_id(gold["geonameid"], guess.get("geonameid")):
                    result.exact += 1
            if not _has_point(gold):
                continue
            result.with_point += 1
            code = str(gold.get("fcode") or "?")
            result.by_code[code][0] += 1
            distance = (
                _km(float(gold["lat"]), float(gold["lon"]), float(guess["lat"]), float(guess["lon"]))
                if guess is not None and resolved
                else None
            )
            if distance is not None and distance <= ACCURACY_KM:
                result.within += 1
                result.by_code[code][1] += 1
            else:
                result.errors.append(
                    {
                        "id": article["id"],
                        "text": gold.get("name"),
                        "gold": {
                            k: gold.get(k) for k in ("geonameid", "fclass", "fcode", "admin1", "country", "lat", "lon")
                        },
                        "predicted": None
                        if guess is None
                        else {
                            k: guess.get(k)
                            for k in (
                                "name",
                                "geonameid",
                                "feature_code",
                                "country",
                                "admin1",
                                "lat",
                                "lon",
                                "confidence",
                            )
                        },
                        "km": None if distance is None else round(distance),
                    }
                )
    return result


ERROR_KINDS = ("right id, point far", "wrong id, same name", "wrong id, other name", "not found")


def error_kind(error: Mapping[str, Any]) -> str:
    """Why a gold span missed (one of :data:`ERROR_KINDS`): the right GeoNames id with a point
    more than 161 km off (an estimated division or country point), another place of the same
    name (ambiguity), a place of another name (an alternate name or a looser variant won), or
    no place at all (the gazetteer lacks it)."""
    predicted = error.get("predicted")
    if not predicted or not _has_point(predicted):
        return "not found"
    if _same_id(error["gold"].get("geonameid"), predicted.get("geonameid")):
        return "right id, point far"
    text, name = str(error.get("text") or ""), str(predicted.get("name") or "")
    return "wrong id, same name" if text.casefold() == name.casefold() else "wrong id, other name"


def error_breakdown(errors: Iterable[Mapping[str, Any]]) -> Counter[tuple[str, str]]:
    """Misses counted by kind and by the gold place's GeoNames feature class ("P", "A", ...)."""
    return Counter((error_kind(e), str(e["gold"].get("fclass") or "?")) for e in errors)


@dataclass
class GeoFreeResult:
    found: int = 0
    gold: int = 0
    true_positives: int = 0
    missed_names: Counter[str] = field(default_factory=Counter)
    false_names: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        return self.true_positives / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_geo_free(articles: Iterable[Mapping[str, Any]], predicted: Iterable[Mapping[str, Any]]) -> GeoFreeResult:
    """Toponym precision and recall at 161 km when the geocoder finds the places itself."""
    by_article: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for p in predicted:
        if _has_point(p):
            by_article[str(p["id"])].append(p)
    result = GeoFreeResult()
    for article in articles:
        golds: Sequence[Mapping[str, Any]] = article["toponyms"]
        result.gold += sum(1 for g in golds if _has_point(g))
        used: set[int] = set()
        for guess in sorted(by_article.get(str(article["id"]), []), key=lambda p: int(p["start"])):
            start, end = int(guess["start"]), int(guess["end"])
            overlapping = [
                (index, g) for index, g in enumerate(golds) if int(g["start"]) < end and start < int(g["end"])
            ]
            if overlapping and not any(_has_point(g) for _, g in overlapping):
                continue
            result.found += 1
            hit = next(
                (
                    index
                    for index, g in overlapping
                    if index not in used
                    and _has_point(g)
                    and _km(float(g["lat"]), float(g["lon"]), float(guess["lat"]), float(guess["lon"])) <= ACCURACY_KM
                ),
                None,
            )
            if hit is None:
                result.false_names[str(guess.get("text"))] += 1
            else:
                used.add(hit)
                result.true_positives += 1
        for index, g in enumerate(golds):
            if _has_point(g) and index not in used:
                result.missed_names[str(g.get("name"))] += 1
    return result
