"""Fit the coder's confidence model on labelled sentences and write it as versioned data.

`confidence` is the probability that a row is right as a whole: its actor country, PLOVER type
and target country. The data: the *tuning half* only (sha256 of the id even; the check half is
never seen here, so `make eval` measures calibration on sentences the model was not fitted on)
of two sets: the country-coded ConfliBERT dyad sentences, where a row is right when the eval
README's full-row rule finds nothing wrong with it (`transforms.coder.evaluation.
full_row_judgement`), and the ConfliBERT sentences that hold no event (class 0), where every
row is wrong. Rows whose type the annotators file under another class by convention (an
appeal or a denial on a "statement" sentence, a sanction on a "verbal conflict" one:
`CONVENTION_DIFFERENCES`) are left out: the label cannot judge them.

The model: L2-regularised logistic regression on the row's features (`transforms.confidence.
confidence_features`: rule, frame, lexicon group, how actor and target were resolved and
whether each has a country, claim status, quotation, specificity, distances), fitted by
Newton's method. Logistic regression is calibrated on its training distribution by
construction; the check half tells whether that carries over. Writes
`data/reference/calibration/confidence.json` with the weights, what they were fitted on, and
the fit's own reliability numbers.

    .venv/bin/python tools/calibrate.py [--eval-dir ../shared/eval] [--l2 1.0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from flows.io.nlp import code_jsonl, load_coder  # noqa: E402
from flows.settings import DEFAULT_CALIBRATION_FILE  # noqa: E402
from transforms.coder.evaluation import full_row_judgement, is_tuning, reliability  # noqa: E402
from transforms.confidence import ConfidenceModel, confidence_features  # noqa: E402

DEFAULT_EVAL_DIR = REPO.parent / "shared" / "eval"


def labelled_rows(coder: Any, records: list[dict[str, Any]]) -> tuple[list[tuple[dict[str, float], bool]], int]:
    """(features, right) for every row the coder emits for the records that the labels can
    judge as a whole row (`full_row_judgement`), and how many rows they cannot."""
    by_id = {str(r["id"]): r for r in records}
    lines = (json.dumps({"id": r["id"], "text": r["text"]}) for r in records)
    out = []
    unjudged = 0
    for line in code_jsonl(lines, coder, explain=True):
        row = json.loads(line)
        right = full_row_judgement(by_id[str(row["id"])], row)
        if right is None:
            unjudged += 1
            continue
        out.append((confidence_features(row["explanation"]["features"]), right))
    return out, unjudged


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fit_logistic(
    samples: list[tuple[dict[str, float], bool]], l2: float, iterations: int = 50
) -> tuple[float, dict[str, float]]:
    """Bias and weights of an L2-regularised logistic regression (the bias is not penalised)."""
    names = sorted({name for features, _ in samples for name in features})
    index = {name: i for i, name in enumerate(names)}
    x = np.zeros((len(samples), len(names) + 1))
    x[:, 0] = 1.0
    y = np.array([1.0 if right else 0.0 for _, right in samples])
    for row, (features, _) in enumerate(samples):
        for name, value in features.items():
            x[row, index[name] + 1] = value
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    weights = {name: round(float(w[i + 1]), 4) for name, i in index.items() if abs(w[i + 1]) > 1e-4}
    return round(float(w[0]), 4), weights


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fit the coder's confidence model on the ConfliBERT tuning halves.")
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the feature weights")
    parser.add_argument("--out", type=Path, default=DEFAULT_CALIBRATION_FILE)
    args = parser.parse_args(argv)
    dyads_path = args.eval_dir / "conflibert_dyads" / "sentences.jsonl"
    breadth_path = args.eval_dir / "conflibert_train" / "sentences.jsonl"
    if not (dyads_path.is_file() and breadth_path.is_file()):
        print(f"calibrate: skipped ({dyads_path} or {breadth_path} is not present)")
        return 0
    dyads = [r for r in read_jsonl(dyads_path) if is_tuning(str(r["id"]))]
    dyad_ids = {str(r["id"]) for r in dyads}
    quiet = [
        r
        for r in read_jsonl(breadth_path)
        if is_tuning(str(r["id"])) and int(r["penta"]) == 0 and str(r["id"]) not in dyad_ids
    ]
    tuning = dyads + quiet
    coder = load_coder(calibration_file=args.out.with_suffix(".none"))
    samples, unjudged = labelled_rows(coder, tuning)
    bias, weights = fit_logistic(samples, args.l2)
    fingerprint = hashlib.sha256(json.dumps([bias, sorted(weights.items())]).encode()).hexdigest()[:8]
    model_version = f"{dt.date.today():%Y.%m.%d}-{fingerprint}"

    model = ConfidenceModel(model_version, bias, weights)
    fitted = reliability((model.probability(features), right) for features, right in samples)
    document = {
        "version": model_version,
        "method": "L2-regularised logistic regression (Newton), tools/calibrate.py",
        "fitted_on": (
            f"tuning halves (sha256(id) even) of the ConfliBERT dyads ({len(dyads)} country-coded sentences) "
            f"and of the ConfliBERT sentences without an event ({len(quiet)}): {len(samples)} coded rows; "
            "a row is right when its PLOVER type stands for the sentence's class and its actor and target "
            "countries are among the sentence's codes (the eval README's full-row rule), and wrong on a "
            f"sentence without an event; {unjudged} rows of types the annotators file under another class "
            "(REQUEST or REJECT on a statement, SANCTION on verbal conflict) are left out, since the label "
            "cannot judge them"
        ),
        "l2": args.l2,
        "coder": coder.version.rsplit("+confidence.", 1)[0],
        "rows": len(samples),
        "rows_left_out": unjudged,
        "rows_right": sum(1 for _, right in samples if right),
        "ece_on_fit": round(fitted.ece, 4),
        "bias": bias,
        "weights": dict(sorted(weights.items())),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(
        f"fitted on {len(samples)} rows ({document['rows_right']} right, {unjudged} the labels cannot judge "
        f"left out); ECE on the fit {fitted.ece:.3f}"
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
