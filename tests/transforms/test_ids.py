"""Stable event ids (transforms/ids.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from transforms.ids import event_id


def test_the_same_input_gives_the_same_id_forever() -> None:
    assert event_id("a1", 3, "Russia", "ASSAULT", "Ukraine") == "79e4765b91903a4d635f"


def test_a_missing_target_differs_from_an_empty_one() -> None:
    assert event_id("a1", 3, "Russia", "ASSAULT", None) != event_id("a1", 3, "Russia", "ASSAULT", "")


def test_fields_do_not_run_into_each_other() -> None:
    assert event_id("a", 1, "b c", "ASSAULT", None) != event_id("a", 1, "b", "c ASSAULT", None)


@given(st.text(), st.integers(0, 10_000), st.text(), st.sampled_from(["AGREE", "ASSAULT"]), st.none() | st.text())
def test_ids_are_20_hex_digits_and_deterministic(
    article: str, index: int, actor: str, action: str, target: str | None
) -> None:
    first = event_id(article, index, actor, action, target)
    assert first == event_id(article, index, actor, action, target)
    assert len(first) == 20 and int(first, 16) >= 0
