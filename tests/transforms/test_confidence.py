"""The confidence model (transforms/confidence.py)."""

from __future__ import annotations

import json

import pytest

from transforms.confidence import CalibrationDataError, ConfidenceModel, confidence_features, parse_confidence_model


def description(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "rule": "verb",
        "action": "ASSAULT",
        "group": "project:assault",
        "actor_via": "dictionary",
        "actor_kind": "country",
        "actor_country": "RUS",
        "target_present": True,
        "target_country": "UKR",
        "target_via": "dictionary",
        "claim_status": "asserted",
        "subject_how": "subject",
        "specificity": 0,
        "distance": 1,
        "events_in_sentence": 1,
        "sentence_tokens": 20,
    }
    base.update(overrides)
    return base


def test_features_name_how_the_row_was_made() -> None:
    features = confidence_features(description(actor_via="pronoun", quoted=True))
    assert features["actor_via=pronoun"] == 1.0
    assert features["quoted"] == 1.0
    assert features["target_has_country"] == 1.0
    assert "frame=None" not in features


def test_the_probability_follows_the_weights() -> None:
    model = ConfidenceModel("t", bias=0.5, weights={"actor_via=pronoun": -2.0})
    sure = model.probability(confidence_features(description()))
    unsure = model.probability(confidence_features(description(actor_via="pronoun")))
    assert 0.0 <= unsure < sure <= 1.0


def test_a_calibration_file_round_trips() -> None:
    text = json.dumps({"version": "2026.11.25", "bias": -0.2, "weights": {"quoted": -0.7}, "fitted_on": "x"})
    model = parse_confidence_model(text)
    assert model.version == "2026.11.25" and model.weights["quoted"] == -0.7


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[1, 2]",
        json.dumps({"version": "v", "weights": {}}),
        json.dumps({"version": "v", "bias": 0, "weights": {"a": "b"}}),
    ],
    ids=["not-json", "not-object", "no-bias", "bad-weight"],
)
def test_malformed_calibration_files_fail(text: str) -> None:
    with pytest.raises(CalibrationDataError):
        parse_confidence_model(text, "confidence.json")


def test_the_repository_calibration_is_fitted() -> None:
    from flows.io.nlp import load_confidence_model

    model = load_confidence_model()
    if model is None:
        pytest.skip("no calibration file yet")
    assert model.weights and model.fitted_on
