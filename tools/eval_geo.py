"""Score the geocoder on LGL (`../shared/eval/geo_lgl_dev/`): `make eval` runs it as the `geo` set.

Everything goes through `flows.cli.geocode_cli.geocode_jsonl`, the code path of `eventwire geocode`:

- gold spans: each article with its marked spans in, one place per span out; accuracy within
  161 km and exact GeoNames id (`transforms/geo/evaluation.py: score_geo_spans`), by feature code;
- free mode: the article alone in, the places the geocoder finds out; toponym precision and
  recall at 161 km (`score_geo_free`).

Beside the 161 km accuracy it prints the share of misses where the GeoNames id was right and
only the point differs (a country's or division's point is estimated from its towns: the
sources carry none).

    .venv/bin/python tools/eval_geo.py [--eval-dir ../shared/eval] [--errors DIR] [--no-free]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from flows.cli.geocode_cli import geocode_jsonl, load_geocoder  # noqa: E402
from transforms.geo.evaluation import ERROR_KINDS, error_breakdown, score_geo_free, score_geo_spans  # noqa: E402

DEFAULT_EVAL_DIR = REPO.parent / "shared" / "eval"


def _geocode(geocoder: Any, records: list[dict[str, Any]], nlp_loader: Any = None) -> list[dict[str, Any]]:
    lines = (json.dumps(record) for record in records)
    return [json.loads(line) for line in geocode_jsonl(lines, geocoder, nlp_loader=nlp_loader)]


def _print_misses_by_kind(errors: Sequence[dict[str, Any]]) -> dict[str, int]:
    """One line per kind of miss, with the gold feature classes; returns the counts by kind."""
    breakdown = error_breakdown(errors)
    counts: dict[str, int] = {}
    for kind in ERROR_KINDS:
        classes = sorted(((c, n) for (k, c), n in breakdown.items() if k == kind), key=lambda item: -item[1])
        counts[kind] = sum(n for _, n in classes)
        by_class = f" (by gold feature class: {', '.join(f'{c} {n}' for c, n in classes)})" if classes else ""
        print(f"  misses, {kind}: {counts[kind]}{by_class}")
    return counts


def evaluate_geo(folder: Path, errors: Path | None = None, free: bool = True) -> dict[str, Any] | None:
    path = folder / "articles.jsonl"
    if not path.is_file():
        print("geo: skipped (no geo_lgl_dev/articles.jsonl)")
        return None
    articles = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    geocoder = load_geocoder()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    with_spans = [
        {"id": a["id"], "text": a["text"], "spans": [[t["start"], t["end"]] for t in a["toponyms"]]} for a in articles
    ]
    predicted = _geocode(geocoder, with_spans)
    spans_seconds = time.perf_counter() - started
    result = score_geo_spans(articles, predicted)
    right_id_far = sum(
        1
        for e in result.errors
        if e["predicted"] and str(e["predicted"].get("geonameid")) == str(e["gold"]["geonameid"])
    )
    print(
        f"\n== geo: LGL dev ({len(articles)} articles, {result.toponyms} toponyms; gazetteer loaded in {loaded:.2f} s)"
    )
    print(
        f"  gold spans: accuracy within 161 km {result.accuracy:.3f} ({result.within}/{result.with_point}), "
        f"exact GeoNames id {result.exact_accuracy:.3f} ({result.exact}/{result.with_id}); {spans_seconds:.1f} s"
    )
    print(
        f"  of the misses, right id but an estimated point farther than 161 km: {right_id_far}; "
        f"counting those as right: {(result.within + right_id_far) / max(1, result.with_point):.3f}; "
        f"no place found: {result.unresolved}"
    )
    by_kind = _print_misses_by_kind(result.errors)
    codes = sorted(result.by_code.items(), key=lambda item: -item[1][0])[:10]
    print("  by gold feature code: " + ", ".join(f"{code} {ok / n:.2f} ({n})" for code, (n, ok) in codes))
    summary: dict[str, Any] = {
        "accuracy_161km": result.accuracy,
        "exact_id_accuracy": result.exact_accuracy,
        "right_id_far_point": right_id_far,
        "unresolved": result.unresolved,
        "misses_by_kind": by_kind,
    }
    if free:
        from flows.io.nlp import load_nlp

        started = time.perf_counter()
        found = _geocode(geocoder, [{"id": a["id"], "text": a["text"]} for a in articles], nlp_loader=load_nlp)
        free_result = score_geo_free(articles, found)
        print(
            f"  free mode: precision {free_result.precision:.3f}  recall {free_result.recall:.3f}  "
            f"F1 {free_result.f1:.3f} ({free_result.true_positives} right of {free_result.found} found, "
            f"{free_result.gold} gold); {time.perf_counter() - started:.1f} s"
        )
        summary |= {
            "free_precision": free_result.precision,
            "free_recall": free_result.recall,
            "free_f1": free_result.f1,
        }
        if errors is not None:
            names = {
                "missed": free_result.missed_names.most_common(200),
                "false": free_result.false_names.most_common(200),
            }
            (errors / "geo_free.json").write_text(json.dumps(names, indent=1, ensure_ascii=False), encoding="utf-8")
    if errors is not None:
        with (errors / "geo_spans.jsonl").open("w", encoding="utf-8") as handle:
            for error in result.errors:
                handle.write(json.dumps(error, ensure_ascii=False) + "\n")
        counts = Counter(str(e["text"]) for e in result.errors)
        print(f"  most missed: {', '.join(f'{name} {n}' for name, n in counts.most_common(12))}")
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the geocoder on ../shared/eval/geo_lgl_dev.")
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--errors", type=Path, default=None)
    parser.add_argument("--no-free", action="store_true", help="gold spans only (no spaCy)")
    args = parser.parse_args(argv)
    if not args.eval_dir.is_dir():
        print(f"eval: skipped ({args.eval_dir} is not present)")
        return 0
    if args.errors is not None:
        args.errors.mkdir(parents=True, exist_ok=True)
    evaluate_geo(args.eval_dir / "geo_lgl_dev", args.errors, free=not args.no_free)
    return 0


if __name__ == "__main__":
    sys.exit(main())
