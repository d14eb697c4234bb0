"""Duplicate detection: exact by text hash, near-duplicates by MinHash over word shingles.

Syndicated wire copy reaches us from many outlets with small edits: a different first
paragraph, a trimmed ending, another headline. Its events must be counted once, so each copy
is linked to one canonical article. Exact copies share `text_hash` (of the text with case,
punctuation and spacing normalised). Near copies share many 5-word shingles: MinHash
signatures split into bands find candidates (locality-sensitive hashing), and the exact
shingle overlap of each candidate decides.

Everything here is deterministic across processes and machines (no `hash()`), because
signatures and band keys are stored and compared across runs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

SHINGLE_WORDS = 5
NUM_PERMUTATIONS = 126
ROWS_PER_BAND = 3
JACCARD_THRESHOLD = 0.5
CONTAINMENT_THRESHOLD = 0.8
MIN_SHINGLES = 12

_PRIME = np.uint64((1 << 61) - 1)
_MASK32 = 0xFFFFFFFF
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_for_hash(text: str) -> str:
    """Lower case, compatibility-normalised words separated by single spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(folded))


def text_hash(text: str) -> str:
    """sha256 (hex) of the normalised text: equal for texts that differ only in case, spacing, punctuation."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()


def content_sha256(body: bytes) -> str:
    """sha256 (hex) of raw bytes."""
    return hashlib.sha256(body).hexdigest()


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[int]:
    """32-bit hashes of the text's overlapping `size`-word sequences."""
    words = normalise_for_hash(text).split()
    if len(words) < size:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
    return frozenset(
        int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=4).digest(), "little") for g in grams
    )


def _permutation_parameters(count: int) -> tuple[np.ndarray, np.ndarray]:
    a = []
    b = []
    for index in range(count):
        digest = hashlib.sha256(f"eventwire-minhash-{index}".encode()).digest()
        a.append(int.from_bytes(digest[:4], "little") | 1)
        b.append(int.from_bytes(digest[4:8], "little"))
    return np.array(a, dtype=np.uint64), np.array(b, dtype=np.uint64)


_A, _B = _permutation_parameters(NUM_PERMUTATIONS)


def minhash(shingle_set: Iterable[int]) -> np.ndarray:
    """MinHash signature (NUM_PERMUTATIONS unsigned ints) of a set of 32-bit shingle hashes."""
    values = np.fromiter(shingle_set, dtype=np.uint64)
    if values.size == 0:
        return np.full(NUM_PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    hashed = (values[None, :] * _A[:, None] + _B[:, None]) % _PRIME
    return np.asarray(hashed.min(axis=1), dtype=np.uint64)


def band_keys(signature: np.ndarray, rows: int = ROWS_PER_BAND) -> list[tuple[int, int]]:
    """(band, bucket) keys: texts sharing any key are candidates. Buckets are signed 64-bit."""
    keys = []
    for band in range(len(signature) // rows):
        chunk = signature[band * rows : (band + 1) * rows].astype("<u8").tobytes()
        bucket = int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True)
        keys.append((band, bucket))
    return keys


@dataclass(frozen=True)
class Similarity:
    """Overlap of two shingle sets."""

    jaccard: float
    containment: float

    def is_near_duplicate(
        self, *, jaccard_threshold: float = JACCARD_THRESHOLD, containment_threshold: float = CONTAINMENT_THRESHOLD
    ) -> bool:
        return self.jaccard >= jaccard_threshold or self.containment >= containment_threshold


def similarity(a: frozenset[int], b: frozenset[int]) -> Similarity:
    """Jaccard overlap, and containment of the smaller set in the larger."""
    if not a or not b:
        return Similarity(0.0, 0.0)
    common = len(a & b)
    return Similarity(common / len(a | b), common / min(len(a), len(b)))


@dataclass(frozen=True)
class DuplicateMatch:
    """The article a text duplicates, how (`duplicate` or `near_duplicate`), and how closely."""

    article_id: str
    status: str
    score: float


def best_near_duplicate(
    candidate_shingles: frozenset[int],
    others: Mapping[str, frozenset[int]],
    *,
    jaccard_threshold: float = JACCARD_THRESHOLD,
    containment_threshold: float = CONTAINMENT_THRESHOLD,
    min_shingles: int = MIN_SHINGLES,
) -> DuplicateMatch | None:
    """The most similar of `others` if it is a near-duplicate of the candidate, else None.

    Texts with fewer than `min_shingles` shingles are never near-duplicates: a two-line
    brief shares too little to tell a copy from a coincidence.
    """
    if len(candidate_shingles) < min_shingles:
        return None
    best: tuple[float, str] | None = None
    for other_id, other in sorted(others.items()):
        if len(other) < min_shingles:
            continue
        score = similarity(candidate_shingles, other)
        if score.is_near_duplicate(jaccard_threshold=jaccard_threshold, containment_threshold=containment_threshold):
            key = max(score.jaccard, score.containment)
            if best is None or key > best[0]:
                best = (key, other_id)
    return DuplicateMatch(best[1], "near_duplicate", round(best[0], 4)) if best else None


@dataclass
class NearDuplicateIndex:
    """An in-memory LSH index of canonical articles (used within one batch, and in tests)."""

    buckets: dict[tuple[int, int], set[str]] = field(default_factory=dict)
    shingle_sets: dict[str, frozenset[int]] = field(default_factory=dict)

    def add(self, article_id: str, shingle_set: frozenset[int]) -> None:
        self.shingle_sets[article_id] = shingle_set
        for key in band_keys(minhash(shingle_set)):
            self.buckets.setdefault(key, set()).add(article_id)

    def candidates(self, shingle_set: frozenset[int]) -> set[str]:
        found: set[str] = set()
        for key in band_keys(minhash(shingle_set)):
            found |= self.buckets.get(key, set())
        return found

    def find(self, shingle_set: frozenset[int]) -> DuplicateMatch | None:
        ids = self.candidates(shingle_set)
        return best_near_duplicate(shingle_set, {i: self.shingle_sets[i] for i in ids})
