"""The geocoder's scorers on hand-made gold and predictions."""

from __future__ import annotations

import pytest

from transforms.geo.evaluation import error_breakdown, error_kind, score_geo_free, score_geo_spans

GOLD = [
    {
        "id": "a",
        "text": "Springfield and Paris and Memphis St.",
        "toponyms": [
            {"start": 0, "end": 11, "name": "Springfield", "geonameid": "4250542", "lat": 39.80, "lon": -89.64, "fcode": "PPL"},
            {"start": 16, "end": 21, "name": "Paris", "geonameid": "4717560", "lat": 33.66, "lon": -95.56, "fcode": "PPL"},
            {"start": 26, "end": 37, "name": "Memphis St.", "geonameid": None, "lat": None, "lon": None},
        ],
    }
]  # fmt: skip


def _row(start: int, end: int, geonameid: int | None, lat: float | None, lon: float | None) -> dict:
    return {"id": "a", "start": start, "end": end, "text": "x", "geonameid": geonameid, "lat": lat, "lon": lon}


def test_gold_spans_accuracy_and_exact_id() -> None:
    predicted = [
        _row(0, 11, 4250542, 39.80, -89.64),  # right
        _row(16, 21, 2988507, 48.85, 2.35),  # Paris, France: wrong
        _row(26, 37, None, None, None),
    ]
    result = score_geo_spans(GOLD, predicted)
    assert (result.toponyms, result.with_point, result.within, result.with_id, result.exact) == (3, 2, 1, 2, 1)
    assert result.accuracy == pytest.approx(0.5) and result.exact_accuracy == pytest.approx(0.5)
    assert [e["text"] for e in result.errors] == ["Paris"]


def test_a_near_miss_within_161_km_counts_and_a_missing_span_is_wrong() -> None:
    result = score_geo_spans(GOLD, [_row(0, 11, 999, 40.5, -89.64)])  # about 80 km away, other id
    assert result.within == 1 and result.exact == 0 and result.unresolved == 2


def test_free_mode_precision_and_recall() -> None:
    predicted = [
        _row(0, 11, 4250542, 39.80, -89.64),  # true positive
        _row(16, 21, 2988507, 48.85, 2.35),  # found but far: a false positive and a miss
        _row(26, 33, 4641239, 35.15, -90.05),  # overlaps a gold span without a point: not counted
        _row(5, 9, 1, 0.0, 0.0),  # overlaps Springfield, which is already matched: false positive
    ]
    result = score_geo_free(GOLD, predicted)
    assert (result.found, result.gold, result.true_positives) == (3, 2, 1)
    assert result.precision == pytest.approx(1 / 3) and result.recall == pytest.approx(0.5)
    assert result.missed_names["Paris"] == 1


def _error(text: str, predicted: dict | None) -> dict:
    gold = {"geonameid": "6252001", "fclass": "A", "fcode": "PCLI", "lat": 39.76, "lon": -98.5}
    return {"id": "a", "text": text, "gold": gold, "predicted": predicted}


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (
            _error("U.S.", {"name": "United States", "geonameid": 6252001, "lat": 36.9, "lon": -97.4}),
            "right id, point far",
        ),
        (_error("Georgia", {"name": "Georgia", "geonameid": 614540, "lat": 42.0, "lon": 43.5}), "wrong id, same name"),
        (
            _error("Maryville", {"name": "Beeville", "geonameid": 4672731, "lat": 28.4, "lon": -97.7}),
            "wrong id, other name",
        ),
        (_error("Harwinton", {"name": None, "geonameid": None, "lat": None, "lon": None}), "not found"),
        (_error("Harwinton", None), "not found"),
    ],
    ids=["right-id-far-point", "same-name", "other-name", "unresolved", "no-line"],
)
def test_error_kinds(error: dict, kind: str) -> None:
    assert error_kind(error) == kind


def test_error_breakdown_counts_kind_and_gold_class() -> None:
    result = score_geo_spans(GOLD, [_row(0, 11, 4250542, 39.80, -89.64), _row(16, 21, 2988507, 48.85, 2.35)])
    result.errors[0]["gold"]["fclass"] = "P"
    assert error_breakdown(result.errors) == {("wrong id, other name", "P"): 1}
