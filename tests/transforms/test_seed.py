"""The seed article: every required event with its date, nothing from the page furniture.

This is the one test that reads the evaluation sets (from `../shared/eval/seed/`, skipped when
absent); it goes through `code_jsonl`, the path `eventwire code-text` and `make eval` use.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transforms.coder.evaluation import score_seed

PUBLISHED = "2024-10-14"
FIRST_LINE_AFTER_ARTICLE = "Post a Comment"


@pytest.fixture(scope="module")
def seed_rows(shared_eval: Path) -> tuple[list[dict], list[dict]]:
    from flows.io.nlp import code_jsonl, load_coder

    folder = shared_eval / "seed"
    text = (folder / "article.txt").read_text(encoding="utf-8")
    expected = [
        json.loads(line)
        for line in (folder / "expected.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    line = json.dumps({"id": "seed", "text": text, "date": PUBLISHED})
    rows = [json.loads(out) for out in code_jsonl([line], load_coder(), explain=True)]
    return expected, rows


def test_every_required_seed_event_is_coded_with_its_date(seed_rows: tuple[list[dict], list[dict]]) -> None:
    expected, rows = seed_rows
    result = score_seed(expected, rows, FIRST_LINE_AFTER_ARTICLE)
    missing = sorted(key for key, found in result.found.items() if not found)
    wrong_date = sorted(key for key, right in result.date_right.items() if not right and result.found[key])
    assert not missing, f"required seed events not coded: {missing}"
    assert not wrong_date, f"required seed events with a wrong date: {wrong_date}"


def test_nothing_is_coded_from_the_comment_box_or_cookie_banner(seed_rows: tuple[list[dict], list[dict]]) -> None:
    _, rows = seed_rows
    assert rows, "the seed article yields no rows at all"
    article_text = (Path(__file__).resolve().parents[3] / "shared" / "eval" / "seed" / "article.txt").read_text(
        encoding="utf-8"
    )
    cut = article_text.index(FIRST_LINE_AFTER_ARTICLE)
    furniture = article_text[cut:]
    for row in rows:
        assert row["sentence"] not in furniture, row["sentence"]
        assert "cookie" not in row["sentence"].lower()


def test_no_event_has_the_same_actor_and_target_country(seed_rows: tuple[list[dict], list[dict]]) -> None:
    _, rows = seed_rows
    same = [
        (r["actor"], r["action"], r["target"])
        for r in rows
        if r["actor_country"] is not None
        and r["actor_country"] == r["target_country"]
        and not r["explanation"].get("same_country_in_text")
    ]
    assert same == []


def test_every_seed_row_explains_itself(seed_rows: tuple[list[dict], list[dict]]) -> None:
    _, rows = seed_rows
    for row in rows:
        explanation = row["explanation"]
        assert explanation["rule"] and explanation["trigger"] and explanation["actor"]["entry"]
        assert 0.0 <= row["confidence"] <= 1.0
        assert row["date_source"] in ("text", "publication")
