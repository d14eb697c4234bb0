"""The coder's events on the bundled samples, row for row against a committed golden file.

A guard for changes that should not change what the coder emits (moving word lists into the
lexicon, splitting long functions): the articles `eventwire run` codes from `data/samples/`
are gathered the way the ingest flow gathers them (discovery with the recorded fetcher,
extraction, duplicates left out) and coded with the real coder; every column the coder fills
but the `coder` version string must equal `tests/golden/sample_events.jsonl`.

A deliberate change to the coder regenerates the file with `make snapshot` (which runs this
test with `EVENTWIRE_UPDATE_GOLDEN=1`); the diff of the golden file then shows, in review,
what the change did to the sample events.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from flows.ingest import _candidates, dedup_and_build_rows, discover_source, extract_item, obtain_item
from flows.io.fetching import make_fetcher
from flows.io.nlp import load_coder
from flows.io.rawstore import RawStore
from flows.io.store import Store
from flows.settings import DEFAULT_SAMPLES_ROOT, REPO_ROOT
from flows.sources import build_source, load_sources
from transforms.coder import ArticleText

GOLDEN = REPO_ROOT / "tests" / "golden" / "sample_events.jsonl"
SAMPLE_SOURCES = REPO_ROOT / "data" / "sources.samples.toml"
UPDATE_VARIABLE = "EVENTWIRE_UPDATE_GOLDEN"
UNCOMPARED = frozenset({"coder"})
"""Columns left out: the coder version changes with every lexicon or code version bump."""
FLOAT_DIGITS = 6
SHOWN_DIFFERENCES = 40


def sample_articles(workdir: Path) -> list[ArticleText]:
    """The sample articles as the ingest flow stores them with status `ok`, oldest first.

    The same plain steps the flow runs as tasks, without Prefect: discover every enabled
    source, fold listings of one article, fetch or read, extract, drop exact and near
    duplicates (against a fresh store in `workdir`).
    """
    config = load_sources(SAMPLE_SOURCES)
    fetcher = make_fetcher("recorded", root=str(DEFAULT_SAMPLES_ROOT))
    raw = RawStore(workdir / "raw")
    try:
        results = [discover_source(build_source(source), fetcher, {}) for source in config.enabled()]
        candidates, _ = _candidates([item for result in results for item in result.items], [])
        obtained = [obtain_item(c, fetcher, raw, max_bytes=10 * 2**20) for c in candidates]
    finally:
        fetcher.close()
    extracted = [extract_item(o) for o in obtained]
    with Store(workdir / "golden.duckdb") as store:
        rows, _ = dedup_and_build_rows(store, extracted)
    kept = sorted(
        (r for r in rows if r["status"] == "ok"),
        key=lambda r: (r["published_at"] is None, r["published_at"] or 0, r["article_id"]),
    )
    return [
        ArticleText(
            article_id=r["article_id"],
            text=r["text"],
            published=r["published_at"].date() if r["published_at"] else None,
            title=r["title"],
        )
        for r in kept
    ]


def comparable(row: dict[str, Any]) -> dict[str, Any]:
    """A row as the golden file keeps it: no `coder`, floats rounded, the explanation parsed."""
    kept: dict[str, Any] = {}
    for column in sorted(row):
        if column in UNCOMPARED:
            continue
        value = row[column]
        if isinstance(value, float):
            value = round(value, FLOAT_DIGITS)
        elif column == "explanation" and isinstance(value, str):
            value = json.loads(value)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        kept[column] = value
    return kept


def coded_samples(workdir: Path) -> list[dict[str, Any]]:
    coder = load_coder()
    rows: list[dict[str, Any]] = []
    for _article_id, article_rows in coder.code(sample_articles(workdir)):
        rows.extend(comparable(r) for r in article_rows)
    # JSON round trip: the same types the golden file gives back (lists, not tuples).
    return [json.loads(json.dumps(r, ensure_ascii=False)) for r in rows]


def read_golden(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_golden(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8")


def _label(row: dict[str, Any]) -> str:
    return (
        f"{row.get('article_id', '?')[:12]} s{row.get('sentence_index')}: "
        f"{row.get('actor')} ({row.get('actor_country')}) {row.get('action')} "
        f"{row.get('target')} ({row.get('target_country')}) | {str(row.get('sentence', ''))[:90]}"
    )


def differences(expected: Sequence[dict[str, Any]], actual: Sequence[dict[str, Any]]) -> Iterator[str]:
    """Readable lines for what changed: rows gone, rows new, columns changed, order changed.

    Rows are matched by `event_id` (stable for the same article, sentence, actor, action and
    target), so a changed date or confidence shows as a changed column of the same event.
    """

    def keyed(rows: Sequence[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
        seen: dict[str, int] = {}
        out: dict[tuple[str, int], dict[str, Any]] = {}
        for row in rows:
            event = str(row.get("event_id"))
            seen[event] = seen.get(event, 0) + 1
            out[(event, seen[event])] = row
        return out

    before, after = keyed(expected), keyed(actual)
    for key, row in before.items():
        if key not in after:
            yield f"- gone: {_label(row)}"
    for key, row in after.items():
        if key not in before:
            yield f"+ new:  {_label(row)}"
    for key in before.keys() & after.keys():
        old, new = before[key], after[key]
        for column in sorted(old.keys() | new.keys()):
            if old.get(column) != new.get(column):
                yield f"~ {_label(old)}\n    {column}: {old.get(column)!r}\n         → {new.get(column)!r}"
    if list(before) != list(after) and before.keys() == after.keys():
        yield "~ the same rows in another order"


@pytest.mark.slow
def test_sample_events_match_the_golden_file(tmp_path: Path) -> None:
    actual = coded_samples(tmp_path)
    if os.environ.get(UPDATE_VARIABLE):
        write_golden(GOLDEN, actual)
        pytest.skip(f"wrote {len(actual)} rows to {GOLDEN.relative_to(REPO_ROOT)}")
    assert GOLDEN.is_file(), f"{GOLDEN} is missing: run `make snapshot`"
    expected = read_golden(GOLDEN)
    found = list(differences(expected, actual))
    if found:
        shown = "\n".join(found[:SHOWN_DIFFERENCES])
        more = f"\n… and {len(found) - SHOWN_DIFFERENCES} more" if len(found) > SHOWN_DIFFERENCES else ""
        pytest.fail(
            f"the sample events differ from {GOLDEN.relative_to(REPO_ROOT)} "
            f"({len(expected)} rows expected, {len(actual)} coded); if the change is deliberate, "
            f"run `make snapshot` and commit the file.\n{shown}{more}",
            pytrace=False,
        )
