"""Duplicates: exact copies by text hash, syndicated copies by shingle overlap."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.dedup import (
    NUM_PERMUTATIONS,
    NearDuplicateIndex,
    band_keys,
    best_near_duplicate,
    minhash,
    shingles,
    similarity,
    text_hash,
)

ORIGINAL = """HARBOURTOWN, March 3 (Wire) — Port workers in the northern harbour walked off the job on Monday, halting the loading of grain ships for the first time in a decade, union leaders said.

The strike began at dawn after talks between the dockers' union and the port authority collapsed late on Sunday over a proposed change to shift patterns and overtime pay.

About 40 vessels were waiting at anchor outside the breakwater by midday, according to the harbour master's office, and shipping agents warned that delays could spread to other ports along the coast.

The port authority said it regretted the union's decision and remained ready to return to the table at any time, but insisted the new rota was needed to keep the terminal competitive.

The transport minister urged both sides to settle the dispute quickly, saying the harbour handles almost a third of the country's grain exports and that farmers could not afford a long stoppage.

Union leader Marta Kovac told reporters outside the main gate that the workers would stay out until the authority withdrew the plan, and that dockers at two smaller terminals had voted to join them on Wednesday.

Police said the protest outside the gate was peaceful and that no arrests had been made."""

SYNDICATED = """Dockers in the northern harbour went on strike on Monday, stopping the loading of grain ships for the first time in ten years, their union said.

The strike began at dawn after talks between the dockers' union and the port authority collapsed late on Sunday over a proposed change to shift patterns and overtime pay.

About 40 vessels were waiting at anchor outside the breakwater by midday, according to the harbour master's office, and shipping agents warned that delays could spread to other ports along the coast.

The port authority said it regretted the union's decision and remained ready to return to the table at any time, but insisted the new rota was needed to keep the terminal competitive.

The transport minister urged both sides to settle the dispute quickly, saying the harbour handles almost a third of the country's grain exports and that farmers could not afford a long stoppage.

Union leader Marta Kovac told reporters outside the main gate that the workers would stay out until the authority dropped the plan, and that dockers at two smaller terminals had voted to join them on Wednesday."""

SAME_EVENT_OTHER_STORY = """Grain exports from the northern harbour ground to a halt on Monday as dockers began an open-ended strike, leaving dozens of ships idle and farmers fearing for their harvest income.

The walkout follows months of friction over working hours. Marta Kovac, who leads the dockers' union, said members had been given no choice after the port authority tried to impose a new rota without consultation.

The authority, in a written statement, said it had offered generous terms and accused the union of putting the country's trade at risk. The transport minister called on both sides to resume talks.

Economists said a strike lasting more than two weeks could cut the quarter's export earnings noticeably, since grain is the country's main foreign currency earner after tourism.

At the main gate, a few hundred workers gathered around braziers, and police kept watch from a distance. There were no reports of violence."""


def test_text_hash_ignores_case_spacing_and_punctuation() -> None:
    variant = ORIGINAL.upper().replace("\n\n", "\n \n").replace(",", " ,")
    assert text_hash(variant) == text_hash(ORIGINAL)
    assert text_hash(SYNDICATED) != text_hash(ORIGINAL)
    assert len(text_hash(ORIGINAL)) == 64


@pytest.mark.parametrize(
    ("text", "near"),
    [
        (SYNDICATED, True),
        (ORIGINAL.split("\n\n", 1)[1], True),
        (SAME_EVENT_OTHER_STORY, False),
        ("Police said the protest was peaceful.", False),
    ],
    ids=["syndicated-copy", "copy-without-lead-paragraph", "other-story-same-event", "short-brief"],
)
def test_near_duplicates_are_found_and_other_stories_are_not(text: str, near: bool) -> None:
    index = NearDuplicateIndex()
    index.add("original", shingles(ORIGINAL))
    match = index.find(shingles(text))
    assert (match is not None) is near
    if match is not None:
        assert match.article_id == "original" and match.status == "near_duplicate"


def test_best_near_duplicate_picks_the_closest() -> None:
    others = {"other-story": shingles(SAME_EVENT_OTHER_STORY), "original": shingles(ORIGINAL)}
    match = best_near_duplicate(shingles(SYNDICATED), others)
    assert match is not None and match.article_id == "original" and match.score > 0.7


def test_minhash_estimates_jaccard() -> None:
    a, b = shingles(ORIGINAL), shingles(SYNDICATED)
    estimate = float(np.mean(minhash(a) == minhash(b)))
    assert abs(estimate - similarity(a, b).jaccard) < 0.15


def test_signatures_and_band_keys_are_deterministic() -> None:
    first, second = minhash(shingles(ORIGINAL)), minhash(shingles(ORIGINAL))
    assert first.shape == (NUM_PERMUTATIONS,)
    assert np.array_equal(first, second)
    keys = band_keys(first)
    assert keys == band_keys(second)
    assert all(-(2**63) <= bucket < 2**63 for _, bucket in keys)
    assert shingles("one two three four five six") == shingles("One, two; three four five six!")


@settings(max_examples=100, deadline=None)
@given(st.frozensets(st.integers(0, 2**32 - 1), max_size=50), st.frozensets(st.integers(0, 2**32 - 1), max_size=50))
def test_similarity_is_symmetric_and_bounded(a: frozenset[int], b: frozenset[int]) -> None:
    ab, ba = similarity(a, b), similarity(b, a)
    assert ab == ba
    assert 0.0 <= ab.jaccard <= ab.containment <= 1.0
    if a and a == b:
        assert ab.jaccard == 1.0
