"""Peak resident memory of bare spaCy and of the coder over the bench's articles (`tools/bench.py`).

A peak is a high-water mark, so one process running both would report the larger peak for the
second run as well: each figure comes from a fresh child process running this file, which
reads the articles as JSON on stdin, loads either the coder's spaCy pipeline (`bare`, what the
speed figures' bare run parses with) or the whole coder (`coder`), and prints its peak RSS twice:
once right after loading (exactly what a child that only loaded would report, the mark being
monotone) and once after working through every article. The difference separates what working
costs from what loading costs. Children run one process each (`n_process=1`): the memory of one
worker is what a deployment sizes, and forked workers would not count in the child's own peak.

    .venv/bin/python tools/bench_memory.py {bare,coder} --batch-size 64 < articles.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from transforms.coder import ArticleText  # noqa: E402

PROC_STATUS = Path("/proc/self/status")
# Linux reports ru_maxrss in KiB, macOS in bytes.
RUSAGE_UNITS_PER_MIB = 1024 * 1024 if sys.platform == "darwin" else 1024


@dataclass(frozen=True)
class PeakMemory:
    """One child's peak RSS in MiB: after loading, and after working through the articles."""

    loaded_mib: float
    worked_mib: float

    @property
    def working_mib(self) -> float:
        """What working through the articles added to the loaded peak."""
        return self.worked_mib - self.loaded_mib


def peak_rss_mib() -> float:
    """This process's peak resident memory so far, in MiB.

    On Linux the kernel's high-water mark of this process's own memory since exec (`VmHWM`), not
    `ru_maxrss`: that one keeps the forking parent's peak across fork and exec, so a child of the
    bench (over a gigabyte with the coder and the gazetteer loaded) would report the parent's.
    """
    if PROC_STATUS.is_file():
        for line in PROC_STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / RUSAGE_UNITS_PER_MIB


def measure_in_child(kind: str, articles: list[ArticleText], batch_size: int) -> PeakMemory:
    """Run `kind` ("bare" or "coder") over `articles` in a fresh process and return its peaks."""
    payload = json.dumps([[a.article_id, a.text, a.published and a.published.isoformat()] for a in articles])
    result = subprocess.run(
        [sys.executable, __file__, kind, "--batch-size", str(batch_size)],
        input=payload,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=1800,
    )
    if result.returncode != 0:
        raise SystemExit(f"memory child '{kind}' failed:\n{result.stderr}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return PeakMemory(figures["loaded_mib"], figures["worked_mib"])


def print_memory(articles: list[ArticleText], bare_batch_size: int, coder_batch_size: int) -> None:
    """Measure bare spaCy and the coder, one fresh process each, and print the memory block."""
    bare = measure_in_child("bare", articles, bare_batch_size)
    coder = measure_in_child("coder", articles, coder_batch_size)
    print(f"peak memory (RSS, 1 process, a fresh one each, {len(articles)} articles):")
    for label, peaks in (("bare nlp.pipe", bare), ("coder", coder)):
        print(
            f"{label:<13} : {peaks.worked_mib:7.0f} MiB peak  "
            f"({peaks.loaded_mib:.0f} MiB loaded, {peaks.working_mib:+.0f} MiB working)"
        )
    print(
        f"memory ratio coder / bare spaCy: {coder.worked_mib / bare.worked_mib:.2f}; the coder adds "
        f"{coder.worked_mib - bare.worked_mib:+.0f} MiB ({coder.loaded_mib - bare.loaded_mib:+.0f} loaded, "
        f"{coder.working_mib - bare.working_mib:+.0f} working)"
    )


def run_child(kind: str, batch_size: int) -> dict[str, float]:
    """Load `kind`, then work through the articles on stdin; the peaks before and after."""
    from flows.io.nlp import load_coder, load_coder_nlp

    articles = [
        ArticleText(article_id, text, published and dt.date.fromisoformat(published))
        for article_id, text, published in json.load(sys.stdin)
    ]
    if kind == "bare":
        nlp = load_coder_nlp()
        loaded = peak_rss_mib()
        for _doc in nlp.pipe((a.text for a in articles), batch_size=batch_size):
            pass
    else:
        coder = load_coder()
        coder.batch_size = batch_size
        loaded = peak_rss_mib()
        for _article_id, _rows in coder.code(articles):
            pass
    return {"loaded_mib": loaded, "worked_mib": peak_rss_mib()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One memory child of tools/bench.py (articles as JSON on stdin).")
    parser.add_argument("kind", choices=("bare", "coder"))
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args(argv)
    print(json.dumps(run_child(args.kind, args.batch_size)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
