"""How `make eval` scores the coder (transforms/coder/evaluation.py), on made-up records.

The rules are those of `../shared/eval/README.md`; every record here is invented (ids, texts and
spans), none comes from the evaluation sets.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.coder.evaluation import (
    CONVENTION_DIFFERENCES,
    PLOVER_CLASSES,
    dyad_row_errors,
    full_row_judgement,
    is_tuning,
    reliability,
    row_judgement,
    score_conflibert,
    score_dyads,
    score_petr2,
    span_f1,
)


def row(action: str, actor: str = "Ruritania", **columns: Any) -> dict[str, Any]:
    return {"action": action, "actor": actor, **columns}


def record(sentence_id: str, penta: int, source: list[str] | None = None) -> dict[str, Any]:
    actors = {"source": source, "target": [], "reciprocal": []} if source is not None else None
    return {"id": sentence_id, "text": "made up", "penta": penta, "actors": actors}


@pytest.mark.parametrize(
    ("penta", "rows", "outcome"),
    [
        (4, [row("ASSAULT")], "hit"),
        (4, [row("ACCUSE"), row("ASSAULT")], "hit"),
        (4, [row("ACCUSE")], "wrong"),
        (4, [], "miss"),
        (0, [], "quiet"),
        (0, [row("CONSULT")], "false_alarm"),
        (1, [row("REQUEST")], "hit"),
        (3, [row("REQUEST")], "hit"),
        (2, [row("CONCEDE")], "hit"),
        (3, [row("SANCTION")], "wrong"),
    ],
    ids=[
        "type-of-the-class-hits",
        "one-right-row-among-several-hits",
        "only-other-types-is-wrong",
        "nothing-is-a-miss",
        "statement-left-alone-is-quiet",
        "statement-with-an-event-is-a-false-alarm",
        "request-stands-for-verbal-cooperation",
        "request-stands-for-verbal-conflict",
        "concede-stands-for-material-cooperation",
        "sanction-on-verbal-conflict-is-scored-wrong",
    ],
)
def test_a_sentence_outcome_follows_the_readme(penta: int, rows: list[dict[str, Any]], outcome: str) -> None:
    result = score_conflibert([record("s1", penta)], {"s1": rows})
    assert result.outcomes == {"s1": outcome}
    assert result.events == len(rows)


@pytest.mark.parametrize(
    ("text", "rows", "outcome"),
    [
        ("Ruritania urged Freedonia to show restraint.", [row("REQUEST")], "appeal"),
        ("The council called on its members to vote.", [row("REQUEST"), row("REQUEST")], "appeal"),
        ("Ruritania asked Freedonia for calm.", [row("REQUEST")], "appeal"),
        ("Ruritania urged calm and met Freedonia.", [row("REQUEST"), row("CONSULT")], "false_alarm"),
        ("Ruritania demanded an apology.", [row("REQUEST")], "false_alarm"),
        ("Ruritania urged calm.", [], "quiet"),
    ],
    ids=[
        "an-appeal-coded-request-is-left-out",
        "several-request-rows-of-an-appeal-are-left-out",
        "asking-is-an-appeal",
        "another-type-beside-the-request-is-a-false-alarm",
        "a-demand-is-no-appeal",
        "an-appeal-left-quiet-is-quiet",
    ],
)
def test_an_appeal_the_annotators_call_a_statement_is_left_out(
    text: str, rows: list[dict[str, Any]], outcome: str
) -> None:
    result = score_conflibert([{**record("s1", 0), "text": text}], {"s1": rows})
    assert result.outcomes == {"s1": outcome}
    assert result.appeals == (1 if outcome == "appeal" else 0)
    if outcome == "appeal":
        assert (result.precision, result.false_alarms, result.quiet) == (0.0, 0, 0)


def test_precision_recall_and_f1_count_wrong_rows_against_both() -> None:
    records = [record(f"s{i}", penta) for i, penta in enumerate([4, 4, 4, 1, 0, 0])]
    rows = {"s0": [row("ASSAULT")], "s1": [row("ASSAULT")], "s2": [row("AGREE")], "s4": [row("ACCUSE")]}
    result = score_conflibert(records, rows)
    assert (result.hits, result.wrong, result.misses, result.false_alarms, result.quiet) == (2, 1, 1, 1, 1)
    assert result.precision == pytest.approx(2 / 4)
    assert result.recall == pytest.approx(2 / 4)
    assert result.f1 == pytest.approx(0.5)
    assert result.events_per_sentence == pytest.approx(4 / 6)


@pytest.mark.parametrize(
    ("actor", "spans", "agrees"),
    [
        ("Ruritanian troops", ["the Ruritanian troops"], True),
        ("troops", ["Ruritanian border troops"], True),
        ("the government", ["Ruritanian rebels"], False),
        ("Ruritania", ["Ruritania and Freedonia"], True),
    ],
    ids=["same-content-words", "half-the-words-is-enough", "other-actor", "one-side-of-a-pair"],
)
def test_actor_agreement_compares_content_words(actor: str, spans: list[str], agrees: bool) -> None:
    result = score_conflibert([record("s1", 4, source=spans)], {"s1": [row("ASSAULT", actor)]})
    assert (result.hits_with_span, result.actor_agree) == (1, int(agrees))


def test_actor_agreement_counts_only_hits_with_a_source_span() -> None:
    records = [record("with-span", 4, source=["Ruritania"]), record("no-span", 4), record("wrong", 4, ["Ruritania"])]
    rows = {"with-span": [row("ASSAULT")], "no-span": [row("ASSAULT")], "wrong": [row("AGREE")]}
    result = score_conflibert(records, rows)
    assert (result.hits_with_span, result.actor_agree, result.actor_agreement) == (1, 1, 1.0)


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        ("the Ruritanian army", "Ruritanian army", 1.0),
        ("army", "Ruritanian army", pytest.approx(2 / 3)),
        ("Freedonia", "Ruritania", 0.0),
        ("", "Ruritania", 0.0),
    ],
    ids=["function-words-ignored", "partial", "disjoint", "empty"],
)
def test_span_f1(predicted: str, gold: str, expected: float) -> None:
    assert span_f1(predicted, gold) == expected


@pytest.mark.parametrize(
    ("action", "penta", "judged"),
    [
        ("ASSAULT", 4, True),
        ("ASSAULT", 3, False),
        ("ASSAULT", 0, False),
        ("REQUEST", 0, None),
        ("REJECT", 0, None),
        ("SANCTION", 3, None),
        ("SANCTION", 4, True),
        ("REQUEST", 2, False),
        ("REJECT", 3, True),
    ],
    ids=[
        "right-type",
        "other-class",
        "event-on-a-statement",
        "appeal-on-a-statement-unjudged",
        "denial-on-a-statement-unjudged",
        "sanction-on-verbal-conflict-unjudged",
        "sanction-on-material-conflict",
        "request-on-material-cooperation",
        "reject-on-verbal-conflict",
    ],
)
def test_which_rows_the_labels_can_judge_for_confidence(action: str, penta: int, judged: bool | None) -> None:
    assert row_judgement(action, penta) is judged


def test_only_documented_convention_differences_go_unjudged() -> None:
    unjudged = {(a, p) for a in PLOVER_CLASSES for p in range(5) if row_judgement(a, p) is None}
    assert unjudged == set(CONVENTION_DIFFERENCES)
    assert all(penta not in PLOVER_CLASSES[action] for action, penta in CONVENTION_DIFFERENCES)


def test_petr2_scores_triples_and_no_event_sentences() -> None:
    records = [
        {"id": "a", "expected": [{"source": "RURGOV", "event_code": "190", "target": "FRE"}]},
        {"id": "b", "expected": [{"source": "RUR", "event_code": "010", "target": "FRE"}]},
        {"id": "c", "expected": []},
        {"id": "d", "expected": []},
    ]
    rows = {
        "a": [
            {"actor_country": "RUR", "action": "ASSAULT", "target_country": "FRE"},
            {"actor_country": "RUR", "action": "ACCUSE", "target_country": "FRE"},
        ],
        "c": [{"actor_country": "FRE", "action": "CONSULT", "target_country": None}],
    }
    result = score_petr2(records, rows)
    assert (result.gold, result.emitted, result.matched) == (1, 3, 1), "a 01 statement has no PLOVER type"
    assert (result.no_event_sentences, result.no_event_false_positives) == (2, 1)
    assert (result.dyads_matched, result.dyad_action_right) == (1, 1)
    assert result.precision == pytest.approx(1 / 3) and result.recall == 1.0


PETR2_RULE_CASES = [
    pytest.param(
        [{"source": "USAGOV", "event_code": "112", "target": "RUS"}],
        [("USA", "ACCUSE", "RUS"), ("USA", "ACCUSE", "RUS")],
        (1, 2, 1),
        id="a-duplicate-row-is-a-false-positive",
    ),
    pytest.param(
        [{"source": "USA", "event_code": "010", "target": "RUS"}],
        [("USA", "CONSULT", "RUS")],
        (0, 0, 0),
        id="a-row-an-untyped-gold-event-matches-is-not-counted",
    ),
    pytest.param(
        [{"source": "USA", "event_code": "010", "target": "RUS"}],
        [("RUS", "CONSULT", "USA")],
        (0, 1, 0),
        id="an-untyped-gold-event-excuses-only-its-own-dyad",
    ),
    pytest.param(
        [{"source": "ISR", "event_code": "190", "target": "PSE"}, {"source": "ISR", "event_code": "190"}],
        [("ISR", "ASSAULT", "PSE")],
        (2, 1, 1),
        id="one-row-matches-one-gold-event-the-one-with-a-target-first",
    ),
    pytest.param(
        [{"source": "ISR", "event_code": "190"}],
        [("ISR", "ASSAULT", "---")],
        (1, 1, 1),
        id="a-gold-event-without-a-target-matches-any-target",
    ),
    pytest.param(
        [{"source": "---REB", "event_code": "190", "target": "RWA"}],
        [(None, "ASSAULT", "RWA")],
        (1, 1, 0),
        id="a-row-without-a-country-does-not-match-an-unknown-one",
    ),
]


@pytest.mark.parametrize(("expected", "rows", "counts"), PETR2_RULE_CASES)
def test_petr2_matches_rows_to_gold_one_to_one_by_the_readme_rule(
    expected: list[dict[str, str]], rows: list[tuple[str | None, str, str]], counts: tuple[int, int, int]
) -> None:
    emitted = [{"actor_country": a, "action": act, "target_country": t} for a, act, t in rows]
    result = score_petr2([{"id": "s", "expected": expected}], {"s": emitted})
    assert (result.gold, result.emitted, result.matched) == counts


def test_petr2_can_read_a_missing_country_as_unknown_for_comparison() -> None:
    records = [{"id": "s", "expected": [{"source": "---REB", "event_code": "190", "target": "RWA"}]}]
    rows = {"s": [{"actor_country": None, "action": "ASSAULT", "target_country": "RWA"}]}
    assert score_petr2(records, rows).matched == 0
    assert score_petr2(records, rows, missing_as_unknown=True).matched == 1


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), max_size=200))
def test_reliability_bins_every_pair_once_and_ece_is_a_weighted_gap(pairs: list[tuple[float, bool]]) -> None:
    table = reliability(pairs)
    assert table.count == len(pairs) == sum(count for _, _, count, _, _ in table.bins)
    assert 0.0 <= table.ece <= 1.0
    if pairs:
        expected = sum(count / len(pairs) * abs(mean - accuracy) for _, _, count, mean, accuracy in table.bins if count)
        assert table.ece == pytest.approx(expected)


def test_a_perfectly_calibrated_bin_has_no_error() -> None:
    pairs = [(0.95, True)] * 19 + [(0.95, False)] + [(0.25, True)] + [(0.25, False)] * 3
    assert reliability(pairs).ece == pytest.approx(0.0)


@given(st.text(min_size=1, max_size=20))
def test_the_split_is_the_parity_of_the_ids_sha256(sentence_id: str) -> None:
    digest = hashlib.sha256(sentence_id.encode("utf-8")).digest()
    assert is_tuning(sentence_id) == (digest[-1] % 2 == 0)


def test_the_split_is_about_even() -> None:
    tuning = sum(is_tuning(f"made-up-{i}") for i in range(2000))
    assert 900 < tuning < 1100


def coded(penta: int, source: list[str], target: list[str], reciprocal: list[str] | None = None) -> dict[str, Any]:
    codes = {"source": source, "target": target, "reciprocal": reciprocal or []}
    return {"id": "dy-1", "text": "made up", "penta": penta, "codes": codes}


@pytest.mark.parametrize(
    ("sentence", "emitted", "errors"),
    [
        pytest.param(
            coded(4, ["RUR"], ["GRD"]), row("ASSAULT", actor_country="RUR", target_country="GRD"), [], id="hit"
        ),
        pytest.param(
            coded(4, ["RUR"], ["GRD"]),
            row("AGREE", actor_country="RUR", target_country="GRD"),
            ["type wrong"],
            id="type",
        ),
        pytest.param(
            coded(4, ["RUR"], ["GRD"]),
            row("ASSAULT", actor_country="RUR", target_country=None),
            ["target none"],
            id="no-target",
        ),
        pytest.param(
            coded(4, ["RUR"], ["GRD"]),
            row("ASSAULT", actor_country="GRD", target_country="RUR"),
            ["actor other", "target other"],
            id="reversed",
        ),
        pytest.param(
            coded(4, ["---"], ["GRD"]),
            row("ASSAULT", actor_country=None, target_country="GRD"),
            [],
            id="unknown-side-unchecked",
        ),
        pytest.param(
            coded(1, [], [], ["RUR", "GRD"]),
            row("AGREE", actor_country="GRD", target_country="RUR"),
            [],
            id="reciprocal",
        ),
        pytest.param(
            coded(4, ["RUR", "---"], ["GRD"]),
            row("ASSAULT", actor_country=None, target_country="GRD"),
            ["actor none"],
            id="known-code-beside-unknown-is-checked",
        ),
    ],
)
def test_a_dyad_row_is_judged_by_the_readme_rule(
    sentence: dict[str, Any], emitted: dict[str, Any], errors: list[str]
) -> None:
    assert dyad_row_errors(sentence, emitted) == errors


def test_dyad_scores_count_hits_wrong_and_misses_and_explain_by_the_closest_row() -> None:
    sentences = [
        coded(4, ["RUR"], ["GRD"]) | {"id": "hit"},
        coded(4, ["RUR"], ["GRD"]) | {"id": "wrong"},
        coded(4, ["RUR"], ["GRD"]) | {"id": "miss"},
    ]
    rows = {
        "hit": [row("AGREE", actor_country="RUR"), row("ASSAULT", actor_country="RUR", target_country="GRD")],
        "wrong": [row("AGREE", actor_country="RUR", target_country="GRD"), row("ASSAULT", actor_country="RUR")],
    }
    result = score_dyads(sentences, rows)
    assert (result.hits, result.wrong, result.misses, result.class_right) == (1, 1, 1, 2)
    assert result.kinds == {"hit": [], "wrong": ["target none"], "miss": ["no event"]}
    assert result.precision == 0.5
    assert result.recall == pytest.approx(1 / 3)
    assert result.f1 == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("sentence", "emitted", "judged"),
    [
        pytest.param(
            coded(4, ["RUR"], ["GRD"]), row("ASSAULT", actor_country="RUR", target_country="GRD"), True, id="whole-row"
        ),
        pytest.param(coded(4, ["RUR"], ["GRD"]), row("ASSAULT", actor_country="RUR"), False, id="target-missing"),
        pytest.param(coded(0, [], []), row("ASSAULT", actor_country="RUR"), False, id="no-event-sentence"),
        pytest.param(
            coded(3, ["RUR"], ["GRD"]),
            row("SANCTION", actor_country="RUR", target_country="GRD"),
            None,
            id="convention",
        ),
    ],
)
def test_confidence_is_judged_on_the_whole_row(
    sentence: dict[str, Any], emitted: dict[str, Any], judged: bool | None
) -> None:
    assert full_row_judgement(sentence, emitted) is judged
