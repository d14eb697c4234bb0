"""Score the event coder on the development sets in `../shared/eval/` (`make eval`).

Every set goes through `flows.io.nlp.code_jsonl`, the code path of `eventwire code-text`:
JSON Lines `{id, text, date}` in, one JSON line per event out. Scores are computed exactly as
`../shared/eval/README.md` defines them (see `transforms/coder/evaluation.py`):

- seed: which required events were found and whether their dates are right;
- PETR-2: precision, recall, F1 over (actor country, PLOVER action, target country) per
  sentence, action accuracy where the dyad matched, false positives on no-event sentences;
- ConfliBERT, tuning and check halves (sha256 of the id, even/odd): hits, wrong, misses,
  false alarms, precision, recall, F1, events per sentence, actor agreement; and for the check
  half the ten-bin reliability table and expected calibration error of `confidence`, where a
  row is right when its type stands for the sentence's class (rows the labels cannot judge,
  `CONVENTION_DIFFERENCES`, are left out and counted; the ECE with them counted wrong is
  printed beside);
- ConfliBERT dyads, same halves: the README's full-row rule (type for the class, actor and target
  country among the span codes), how many sentences had the class right, an error table by kind
  (actor none / other, target none / other, type wrong, no event), and the check half's
  reliability of `confidence` against full-row correctness.
- geo (LGL, `tools/eval_geo.py`): the geocoder's accuracy within 161 km and exact GeoNames id on
  the gold spans, and toponym precision and recall when it finds the places itself.

`--errors DIR` writes an error report per set (seed, PETR-2, the ConfliBERT and dyad tuning halves: the check
half is only ever scored, never studied). A missing folder or set is skipped with a note.

    .venv/bin/python tools/eval.py [--eval-dir ../shared/eval] [--errors DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from flows.io.nlp import code_jsonl, load_coder  # noqa: E402
from transforms.coder.evaluation import (  # noqa: E402
    DYAD_ERROR_KINDS,
    ConflibertResult,
    DyadResult,
    Petr2Result,
    Reliability,
    full_row_judgement,
    is_tuning,
    reliability,
    row_judgement,
    score_conflibert,
    score_dyads,
    score_petr2,
    score_seed,
)

DEFAULT_EVAL_DIR = REPO.parent / "shared" / "eval"
SEED_PUBLISHED = "2024-10-14"
SEED_FIRST_LINE_AFTER_ARTICLE = "Post a Comment"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


_CODED: dict[tuple[str, str, str | None], list[dict[str, Any]]] = {}


def code_records(coder: Any, records: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Code `{id, text, date}` records through `code_jsonl`; rows grouped by id. A record coded
    before in this run (the dyad set repeats ConfliBERT sentences) is not coded again."""
    records = list(records)
    fresh = [r for r in records if (str(r["id"]), r["text"], r.get("date")) not in _CODED]
    lines = (json.dumps({"id": r["id"], "text": r["text"], "date": r.get("date")}) for r in fresh)
    coded: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in code_jsonl(lines, coder, explain=True):
        row = json.loads(line)
        coded[str(row["id"])].append(row)
    for record in fresh:
        _CODED[(str(record["id"]), record["text"], record.get("date"))] = coded.get(str(record["id"]), [])
    return {str(r["id"]): _CODED[(str(r["id"]), r["text"], r.get("date"))] for r in records}


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    explanation = row.get("explanation") or {}
    return {
        "actor": row.get("actor"),
        "actor_country": row.get("actor_country"),
        "action": row.get("action"),
        "target": row.get("target"),
        "target_country": row.get("target_country"),
        "claim_status": row.get("claim_status"),
        "confidence": row.get("confidence"),
        "why": {
            "rule": explanation.get("rule"),
            "trigger": explanation.get("trigger"),
            "lexicon": explanation.get("lexicon"),
            "actor_via": (explanation.get("actor") or {}).get("via"),
            "target_via": (explanation.get("target") or {}).get("via") if explanation.get("target") else None,
        },
    }


def evaluate_seed(coder: Any, folder: Path, errors: Path | None) -> dict[str, Any] | None:
    if not (folder / "article.txt").is_file():
        print("seed: skipped (no seed/article.txt)")
        return None
    text = (folder / "article.txt").read_text(encoding="utf-8")
    expected = read_jsonl(folder / "expected.jsonl")
    rows = code_records(coder, [{"id": "seed", "text": text, "date": SEED_PUBLISHED}]).get("seed", [])
    result = score_seed(expected, rows, SEED_FIRST_LINE_AFTER_ARTICLE)
    print(f"\n== seed ({len(rows)} rows)")
    for event in expected:
        key = event["id"]
        if event.get("required"):
            found, dated = result.found[key], result.date_right[key]
            status = "found, date right" if found and dated else "found, DATE WRONG" if found else "MISSING"
        else:
            status = "found (optional)" if result.optional_found.get(key) else "not found (optional)"
        row = result.matched_rows.get(key)
        detail = (
            f"  → {row['actor_country']} {row['action']} {row['target_country']} {row['date']} {row['date_precision']}"
            if row
            else ""
        )
        print(f"  {key}: {status}{detail}")
    print(
        f"  rows from page furniture: {len(result.forbidden_rows)}; same actor/target country: {len(result.same_country_rows)}"
    )
    print(f"  seed passes: {result.passed}")
    if errors is not None:
        with (errors / "seed.jsonl").open("w", encoding="utf-8") as handle:
            for event in expected:
                key = event["id"]
                if result.found.get(key, result.optional_found.get(key)) and result.date_right.get(key, True):
                    continue
                same_sentence = [
                    _brief(r) | {"date": r.get("date")}
                    for r in rows
                    if " ".join(r["sentence"].split()) == " ".join(event["evidence"].split())
                ]
                handle.write(
                    json.dumps({"expected": event, "emitted_in_sentence": same_sentence}, ensure_ascii=False) + "\n"
                )
    return {
        "required_found": sum(result.found.values()),
        "required": len(result.found),
        "dates_right": sum(result.date_right.values()),
        "passed": result.passed,
    }


def evaluate_petr2(coder: Any, folder: Path, errors: Path | None) -> dict[str, Any] | None:
    path = folder / "sentences.jsonl"
    if not path.is_file():
        print("PETR-2: skipped (no petr2_validation/sentences.jsonl)")
        return None
    records = read_jsonl(path)
    rows = code_records(coder, records)
    result: Petr2Result = score_petr2(records, rows)
    print(f"\n== PETR-2 validation ({result.sentences} sentences, {result.gold} gold events in PLOVER)")
    print(
        f"  emitted {result.emitted}, matched {result.matched}"
        f" (rows matched by a gold event without a PLOVER type, not counted: {result.untyped_matched})"
    )
    print(f"  precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}")
    print(
        f"  action accuracy where the dyad matched: {result.action_accuracy:.3f} ({result.dyad_action_right}/{result.dyads_matched})"
    )
    print(f"  false positives on no-event sentences: {result.no_event_false_positives} of {result.no_event_sentences}")
    lenient = score_petr2(records, rows, missing_as_unknown=True)
    print(f"  for reference, reading a row without a country as gold's `---`: F1 {lenient.f1:.3f}")
    if errors is not None:
        by_id = {r["id"]: r for r in records}
        with (errors / "petr2.jsonl").open("w", encoding="utf-8") as handle:
            for item in result.per_sentence:
                if not item["missed"] and not item["false"]:
                    continue
                record = by_id[item["id"]]
                handle.write(
                    json.dumps(
                        {
                            "id": item["id"],
                            "text": record["text"],
                            "gold": item["gold"],
                            "missed": item["missed"],
                            "false": item["false"],
                            "emitted": [_brief(r) for r in rows.get(str(item["id"]), [])],
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    return {
        "precision": result.precision,
        "recall": result.recall,
        "f1": result.f1,
        "f1_missing_country_as_unknown": lenient.f1,
        "action_accuracy": result.action_accuracy,
        "no_event_false_positives": result.no_event_false_positives,
        "no_event_sentences": result.no_event_sentences,
    }


def _print_conflibert(name: str, result: ConflibertResult) -> None:
    print(f"  {name}: {result.sentences} sentences")
    print(
        f"    hits {result.hits}  wrong {result.wrong}  misses {result.misses}  "
        f"false alarms {result.false_alarms}  quiet {result.quiet}  "
        f"appeals left out {result.appeals}"
    )
    print(f"    precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}")
    print(
        f"    events per sentence {result.events_per_sentence:.2f}  actor agreement "
        f"{result.actor_agreement:.3f} ({result.actor_agree}/{result.hits_with_span})"
    )


def _print_reliability(table: Reliability, judged: str) -> None:
    """The ten-bin reliability table and its ECE, as both confidence checks print them."""
    print(f"    bin          rows   mean conf   {judged}")
    for low, high, count, mean_confidence, accuracy in table.bins:
        shown = f"{mean_confidence:9.3f}   {accuracy:8.3f}" if count else "        -          -"
        print(f"    {low:.1f}–{high:.1f}    {count:5d}   {shown}")
    print(f"    expected calibration error (ECE): {table.ece:.3f}")


def evaluate_conflibert(coder: Any, folder: Path, errors: Path | None) -> dict[str, Any] | None:
    path = folder / "sentences.jsonl"
    if not path.is_file():
        print("ConfliBERT: skipped (no conflibert_train/sentences.jsonl)")
        return None
    records = read_jsonl(path)
    rows = code_records(coder, records)
    tuning = [r for r in records if is_tuning(str(r["id"]))]
    check = [r for r in records if not is_tuning(str(r["id"]))]
    print(f"\n== ConfliBERT ({len(records)} sentences, split by sha256(id) even/odd)")
    results = {}
    for name, half in (("tuning half", tuning), ("check half", check)):
        results[name] = score_conflibert(half, rows)
        _print_conflibert(name, results[name])
    gap = results["tuning half"].f1 - results["check half"].f1
    print(f"  F1 gap tuning − check: {gap:+.3f}")
    judged = [
        (float(row["confidence"]), row_judgement(row["action"], int(record["penta"])))
        for record in check
        for row in rows.get(str(record["id"]), [])
    ]
    pairs = [(confidence, right) for confidence, right in judged if right is not None]
    table = reliability(pairs)
    every_row = reliability((confidence, bool(right)) for confidence, right in judged)
    print(
        "\n  for reference, confidence against the class alone (it is fitted to the whole row: see the dyads)"
        f" on the check half ({table.count} rows; {len(judged) - table.count} rows "
        "the labels cannot judge left out: REQUEST or REJECT on a statement, SANCTION on verbal conflict):"
    )
    _print_reliability(table, "accuracy")
    print(f"    ECE counting the rows left out as wrong: {every_row.ece:.3f}")
    if errors is not None:
        outcomes = results["tuning half"].outcomes
        with (errors / "conflibert_tuning.jsonl").open("w", encoding="utf-8") as handle:
            for record in tuning:
                outcome = outcomes[str(record["id"])]
                if outcome in ("hit", "quiet"):
                    continue
                handle.write(
                    json.dumps(
                        {
                            "id": record["id"],
                            "outcome": outcome,
                            "penta": record["penta"],
                            "text": record["text"],
                            "actors": record.get("actors"),
                            "emitted": [_brief(r) for r in rows.get(str(record["id"]), [])],
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    summary: dict[str, Any] = {}
    for name, result in results.items():
        summary[name] = {
            "hits": result.hits,
            "wrong": result.wrong,
            "misses": result.misses,
            "false_alarms": result.false_alarms,
            "appeals_left_out": result.appeals,
            "precision": result.precision,
            "recall": result.recall,
            "f1": result.f1,
            "events_per_sentence": result.events_per_sentence,
            "actor_agreement": result.actor_agreement,
        }
    summary["ece_check"] = table.ece
    return summary


def _print_dyads(name: str, result: DyadResult) -> None:
    print(f"  {name}: {result.sentences} sentences")
    print(f"    hits {result.hits}  wrong {result.wrong}  misses {result.misses}")
    print(f"    dyad precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}")
    print(
        f"    class right in {result.class_right} ({result.class_right / max(1, result.sentences):.3f}); "
        f"events per sentence {result.events / max(1, result.sentences):.2f}"
    )


def _print_dyad_errors(halves: dict[str, list[dict[str, Any]]], results: dict[str, Any]) -> None:
    """The error table by kind, after the count of sentences only a same-country row could hit."""
    one_code = {
        name: sum(
            1
            for r in half
            if not r["codes"]["source"]
            and not r["codes"]["target"]
            and len(set(r["codes"]["reciprocal"]) - {"---"}) == 1
        )
        for name, half in halves.items()
    }
    print(
        "  sentences whose only span names two sides under one code (only a same-country row could hit): "
        f"tuning {one_code['tuning half']}, check {one_code['check half']}"
    )
    print("  why a sentence was not a hit (closest row; a row wrong on both sides counts twice):")
    print("    kind            tuning   check")
    for kind in DYAD_ERROR_KINDS:
        print(f"    {kind:<14}  {results['tuning half'].errors[kind]:6d}  {results['check half'].errors[kind]:6d}")


def _dyad_confidence(
    coder: Any,
    folder: Path,
    records: list[dict[str, Any]],
    check: list[dict[str, Any]],
    rows: dict[str, list[dict[str, Any]]],
) -> tuple[Any, Any]:
    """Confidence against whole-row correctness on the check half, with the check half's
    sentences without an event (from conflibert_train) as rows that should not exist; prints
    the reliability table and returns it beside the one counting unjudgeable rows wrong."""
    breadth = folder.parent / "conflibert_train" / "sentences.jsonl"
    dyad_ids = {str(r["id"]) for r in records}
    quiet = [
        r
        for r in (read_jsonl(breadth) if breadth.is_file() else [])
        if not is_tuning(str(r["id"])) and int(r["penta"]) == 0 and str(r["id"]) not in dyad_ids
    ]
    quiet_rows = code_records(coder, quiet)
    judged = [
        (float(row["confidence"]), full_row_judgement(record, row))
        for record, coded in [(r, rows) for r in check] + [(r, quiet_rows) for r in quiet]
        for row in coded.get(str(record["id"]), [])
    ]
    pairs = [(confidence, right) for confidence, right in judged if right is not None]
    table = reliability(pairs)
    print(
        f"\n  confidence against full-row correctness on the check half ({table.count} rows of the "
        f"{len(check)} dyad sentences and {len(quiet)} sentences without an event; "
        f"{len(judged) - table.count} rows the labels cannot judge left out):"
    )
    _print_reliability(table, "right")
    every_row = reliability((confidence, bool(right)) for confidence, right in judged)
    print(f"    ECE counting the rows left out as wrong: {every_row.ece:.3f}")
    at_least = [right for confidence, right in pairs if confidence >= 0.8]
    if at_least:
        print(f"    rows with confidence ≥ 0.8: {len(at_least)}, right {sum(at_least) / len(at_least):.3f}")
    return table, every_row


def _write_dyad_errors(
    path: Path, tuning_half: list[dict[str, Any]], tuning: Any, rows: dict[str, list[dict[str, Any]]]
) -> None:
    """One JSON line per tuning-half sentence that is not a hit: its kinds, labels and rows."""
    with path.open("w", encoding="utf-8") as handle:
        for record in tuning_half:
            key = str(record["id"])
            if tuning.outcomes[key] == "hit":
                continue
            entry = {
                "id": key,
                "kinds": tuning.kinds[key],
                "penta": record["penta"],
                "text": record["text"],
                "actors": record.get("actors"),
                "codes": record.get("codes"),
                "unsure": record.get("unsure"),
                "emitted": [_brief(r) for r in rows.get(key, [])],
            }
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def evaluate_dyads(coder: Any, folder: Path, errors: Path | None) -> dict[str, Any] | None:
    path = folder / "sentences.jsonl"
    if not path.is_file():
        print("ConfliBERT dyads: skipped (no conflibert_dyads/sentences.jsonl)")
        return None
    records = read_jsonl(path)
    rows = code_records(coder, records)
    halves = {
        "tuning half": [r for r in records if is_tuning(str(r["id"]))],
        "check half": [r for r in records if not is_tuning(str(r["id"]))],
    }
    print(f"\n== ConfliBERT dyads ({len(records)} country-coded sentences, same halves)")
    results = {name: score_dyads(half, rows) for name, half in halves.items()}
    for name, result in results.items():
        _print_dyads(name, result)
    print(f"  dyad F1 gap tuning − check: {results['tuning half'].f1 - results['check half'].f1:+.3f}")
    _print_dyad_errors(halves, results)
    table, every_row = _dyad_confidence(coder, folder, records, halves["check half"], rows)
    if errors is not None:
        _write_dyad_errors(errors / "dyads_tuning.jsonl", halves["tuning half"], results["tuning half"], rows)
    summary: dict[str, Any] = {
        name: {
            "hits": r.hits,
            "wrong": r.wrong,
            "misses": r.misses,
            "precision": r.precision,
            "recall": r.recall,
            "f1": r.f1,
            "class_right": r.class_right,
            "errors": dict(r.errors),
        }
        for name, r in results.items()
    }
    summary["ece_check"] = table.ece
    summary["ece_check_left_out_as_wrong"] = every_row.ece
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the event coder on ../shared/eval.")
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--errors", type=Path, default=None, help="write an error report per set into this folder")
    parser.add_argument("--json", type=Path, default=None, help="also write the scores as JSON to this file")
    parser.add_argument(
        "--sets",
        default="seed,petr2,conflibert,dyads,geo",
        help="comma-separated: seed, petr2, conflibert, dyads, geo",
    )
    args = parser.parse_args(argv)
    if not args.eval_dir.is_dir():
        print(f"eval: skipped ({args.eval_dir} is not present)")
        return 0
    if args.errors is not None:
        args.errors.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    coder = load_coder()
    print(f"coder: {coder.name} {coder.version}")
    wanted = {s.strip() for s in args.sets.split(",")}
    scores: dict[str, Any] = {"coder": coder.version}
    if "seed" in wanted:
        scores["seed"] = evaluate_seed(coder, args.eval_dir / "seed", args.errors)
    if "petr2" in wanted:
        scores["petr2"] = evaluate_petr2(coder, args.eval_dir / "petr2_validation", args.errors)
    if "conflibert" in wanted:
        scores["conflibert"] = evaluate_conflibert(coder, args.eval_dir / "conflibert_train", args.errors)
    if "dyads" in wanted:
        scores["dyads"] = evaluate_dyads(coder, args.eval_dir / "conflibert_dyads", args.errors)
    if "geo" in wanted:
        from tools.eval_geo import evaluate_geo

        scores["geo"] = evaluate_geo(args.eval_dir / "geo_lgl_dev", args.errors)
    print(f"\n({time.perf_counter() - started:.1f} s)")
    if args.json is not None:
        args.json.write_text(json.dumps(scores, indent=2), encoding="utf-8")
    if args.errors is not None:
        print(f"error reports written to {args.errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
