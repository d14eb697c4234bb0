"""Confidence: the probability that a coded row is right, from how the row was made.

Each candidate event is described by a few features that say how much evidence it rests on:
the rule that found it (a specific verb pattern, a light verb with an event noun, a frame such
as "threatened to"), the lexicon group of its entry, how its actor and target were resolved
(dictionary, pronoun, surname, role noun), its claim status, whether it sits in a quotation,
how far the actor is from the verb and how many events the sentence yielded.

A logistic model turns the features into a probability. Its weights are fitted on labelled
sentences by `tools/calibrate.py` and stored as versioned data in
`data/reference/calibration/`; `flows.io.nlp` loads the file and passes the parsed
`ConfidenceModel` in. `docs/coder.md` records what it was fitted on and how well it is
calibrated on sentences it was not fitted on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class CalibrationDataError(ValueError):
    """The calibration file is malformed: names the file and what is wrong."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


def confidence_features(description: Mapping[str, Any]) -> dict[str, float]:
    """The model's features for one row, from the row's description.

    `description` keys: rule, action, group, actor_via, actor_kind, actor_country,
    target_present, target_country, target_via, claim_status, subject_how, quoted,
    specificity, distance, events_in_sentence, sentence_tokens, frame.
    """
    features: dict[str, float] = {}

    def flag(name: str, value: Any) -> None:
        features[f"{name}={value}"] = 1.0

    flag("rule", description.get("rule"))
    flag("action", description.get("action"))
    flag("group", str(description.get("group") or "none").split(":", 1)[0])
    flag("actor_via", description.get("actor_via"))
    flag("actor_kind", description.get("actor_kind"))
    flag("claim", description.get("claim_status"))
    flag("subject", str(description.get("subject_how") or "none").replace("shared-", ""))
    if description.get("frame"):
        flag("frame", description.get("frame"))
    if description.get("actor_country"):
        features["actor_has_country"] = 1.0
    if description.get("target_present"):
        features["target_present"] = 1.0
        flag("target_via", description.get("target_via"))
        if description.get("target_country"):
            features["target_has_country"] = 1.0
    if description.get("quoted"):
        features["quoted"] = 1.0
    if str(description.get("subject_how") or "").startswith("shared-"):
        features["shared_subject"] = 1.0
    features["specificity"] = float(description.get("specificity") or 0)
    features["log_distance"] = math.log1p(float(description.get("distance") or 0))
    features["log_events_in_sentence"] = math.log(max(1.0, float(description.get("events_in_sentence") or 1)))
    features["log_sentence_tokens"] = math.log1p(float(description.get("sentence_tokens") or 0)) - 3.0
    return features


@dataclass(frozen=True)
class ConfidenceModel:
    """A fitted logistic model: bias plus weighted features, squashed to a probability."""

    version: str
    bias: float
    weights: Mapping[str, float] = field(default_factory=dict)
    fitted_on: str = ""

    def probability(self, features: Mapping[str, float]) -> float:
        """The calibrated probability for a feature vector, rounded to 3 decimals."""
        score = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        score = max(-30.0, min(30.0, score))
        return round(1.0 / (1.0 + math.exp(-score)), 3)


UNCALIBRATED = ConfidenceModel(
    version="uncalibrated",
    bias=0.0,
    weights={
        "actor_via=pronoun": -0.3,
        "actor_via=unresolved": -1.0,
        "rule=verb-pattern": 0.3,
        "claim=hypothetical": -0.5,
        "quoted": -0.3,
        "log_events_in_sentence": -0.4,
    },
    fitted_on="not fitted: a neutral prior used when no calibration file is present",
)
"""The prior used before any calibration exists; `tools/calibrate.py` replaces it."""


def parse_confidence_model(text: str, file: str = "confidence.json") -> ConfidenceModel:
    """Parse a calibration file written by `tools/calibrate.py`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CalibrationDataError(file, f"not JSON: {error}") from None
    if not isinstance(data, dict):
        raise CalibrationDataError(file, "not a JSON object")
    try:
        weights = {str(k): float(v) for k, v in dict(data["weights"]).items()}
        return ConfidenceModel(
            version=str(data["version"]),
            bias=float(data["bias"]),
            weights=weights,
            fitted_on=str(data.get("fitted_on", "")),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise CalibrationDataError(file, f"missing or malformed field: {error}") from None
