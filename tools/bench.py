"""Benchmark the event coder against bare spaCy on the same texts (`make bench`).

Builds a fixed set of ~600-word articles from the paragraphs of the offline sample pages
(`data/samples/site/**/*.html`, the seed article's copy excluded; if there are none, from the
project's own sentences below), then, in one run and with the same spaCy pipeline:

1. times `nlp.pipe` over the full texts (what a coder that parses everything would pay),
2. times `Coder.code` over the same articles (segmentation, the lexical prefilter, parsing the
   sentences that can hold an event, rules, resolution, dates, confidence),

3. times `Coder.code` again with the code flow's geocoding hook (`flows.code.placing_with`: the
   GeoNames gazetteer, one place per event and the article's places, on the coder's parse),

and prints articles per second for each, the coder's ratio to bare spaCy and what placing
costs over coding alone (issue 14's budget: at most 15%). `--processes 2` runs both with two
processes (spaCy's `n_process` for the bare run; two forked coder workers for the coder), the
way a 2-core deployment runs it. The two runs alternate `--repeat` times and the best of each
counts, so that other load on the machine does not favour either.

After the speed figures (`tools/bench_memory.py`, skipped with `--no-memory`), the memory the
same articles take: peak RSS of bare spaCy and of the coder, each in one process (a worker's
memory is what a deployment sizes) and each in a fresh child (a peak is a high-water mark, so one
run would hide the other's), read after loading and after the articles. It prints both, the
coder's ratio to bare spaCy and what it adds, loaded and working, so that a change's memory
can be checked against the bare-spaCy baseline of the same run.

Then (`tools/bench_pipeline.py`) the ingest-to-release benchmark: `eventwire run` twice on a
fresh store over a generated folder of `--stories` (3,000) short wire stories, printing
first-run new articles/s, repeat-run seconds, task runs and warning lines. `--only coder` or
`--only pipeline` runs one part.

    .venv/bin/python tools/bench.py [--articles 120] [--processes 1] [--words 600] [--only pipeline] [--no-memory]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from flows.code import placing_with, worker_geocoder  # noqa: E402
from flows.io.nlp import load_coder  # noqa: E402
from tools.bench_memory import print_memory  # noqa: E402
from transforms.coder import ArticleText  # noqa: E402

SAMPLES = REPO / "data" / "samples" / "site"
EXCLUDED = ("zelensky-north-korea-troops",)  # the seed article's copy: evaluation text, not bench text
FALLBACK_PARAGRAPHS = (
    "The foreign ministers of Kenya and Ethiopia met in Nairobi on Tuesday to discuss the border dispute.",
    "Police in the capital arrested dozens of protesters who had gathered outside parliament, witnesses said.",
    "The government said it would provide emergency aid to families displaced by the floods in the north.",
    "Rebel fighters attacked an army post near the border overnight, killing three soldiers, the military said.",
    "The European Union imposed new sanctions on officials it accused of undermining the election.",
    "Analysts expect growth to slow next year as exports fall and interest rates stay high.",
)


def sample_paragraphs() -> list[str]:
    """Paragraphs of the sample pages' article text, in a fixed order."""
    import trafilatura

    paragraphs: list[str] = []
    for path in sorted(SAMPLES.glob("**/*.html")):
        if any(name in path.name for name in EXCLUDED):
            continue
        text = trafilatura.extract(path.read_text(encoding="utf-8"), include_comments=False) or ""
        paragraphs.extend(p.strip() for p in re.split(r"\n\s*\n|\n", text) if len(p.split()) >= 8)
    return paragraphs or list(FALLBACK_PARAGRAPHS)


def build_articles(count: int, words: int) -> list[ArticleText]:
    """`count` articles of about `words` words, each a different run of sample paragraphs."""
    paragraphs = sample_paragraphs()
    articles = []
    for number in range(count):
        chosen: list[str] = []
        total = 0
        start = (number * 7) % len(paragraphs)
        offset = 0
        while total < words:
            paragraph = paragraphs[(start + offset) % len(paragraphs)]
            chosen.append(paragraph)
            total += len(paragraph.split())
            offset += 1
        articles.append(ArticleText(f"bench-{number}", "\n\n".join(chosen), dt.date(2024, 11, 20)))
    return articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Coder vs bare spaCy throughput on the same articles.")
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--processes", type=int, default=1, help="spaCy processes for both runs (2 on 2 cores)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of each; the best counts")
    parser.add_argument("--only", choices=("coder", "pipeline"), default=None, help="run only this part")
    parser.add_argument("--stories", type=int, default=3000, help="generated stories for the pipeline part")
    parser.add_argument("--no-memory", action="store_true", help="skip the coder part's peak-memory figures")
    args = parser.parse_args(argv)
    status = 0
    if args.only != "pipeline":
        status = bench_coder(args)
    if args.only != "coder":
        from tools.bench_pipeline import bench_pipeline

        print()
        status = bench_pipeline(args.stories) or status
    return status


def bench_coder(args: argparse.Namespace) -> int:
    """The coder against bare spaCy, and with placing, on the same articles."""
    coder = load_coder()
    geocoder = worker_geocoder()
    coder.batch_size = args.batch_size * 4
    nlp = coder.nlp
    articles = build_articles(args.articles, args.words)
    texts = [a.text for a in articles]
    mean_words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"pipeline: {nlp.meta.get('name')} {nlp.meta.get('version')} pipes={nlp.pipe_names}")
    print(f"{len(articles)} articles, {mean_words:.0f} words on average, {args.processes} process(es)")

    list(coder.code(articles[:4]))  # warm-up: caches, lazy imports
    with placing_with(coder, geocoder):
        list(coder.code(articles[:4]))
    list(nlp.pipe(texts[:4]))

    coder.n_process = args.processes
    bare_times: list[float] = []
    coder_times: list[float] = []
    placed_times: list[float] = []
    events = placed = 0
    for _ in range(args.repeat):
        # Alternate the two runs and keep each one's best: other load on the machine then
        # slows both alike instead of whichever happened to run during it.
        started = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=args.batch_size, n_process=args.processes):
            pass
        bare_times.append(time.perf_counter() - started)
        coder.stats = {"sentences": 0, "sentences_parsed": 0, "articles": 0}
        started = time.perf_counter()
        events = sum(len(rows) for _, rows in coder.code(articles))
        coder_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        with placing_with(coder, geocoder):
            placed = 0
            for article_id, _rows in coder.code(articles):
                placing = coder.article_extras.pop(article_id, None)
                placed += sum(1 for p in getattr(placing, "event_places", []) if p["place_source"])
        placed_times.append(time.perf_counter() - started)
    bare, coded, with_places = min(bare_times), min(coder_times), min(placed_times)

    bare_rate = len(articles) / bare
    coder_rate = len(articles) / coded
    parsed = coder.stats["sentences_parsed"] / max(1, coder.stats["sentences"])
    print(f"bare nlp.pipe : {bare_rate:7.1f} articles/s  ({bare:.2f} s)")
    print(
        f"coder         : {coder_rate:7.1f} articles/s  ({coded:.2f} s, {events} events, {parsed:.0%} of sentences parsed)"
    )
    print(
        f"coder + geo   : {len(articles) / with_places:7.1f} articles/s  ({with_places:.2f} s, {placed} events placed)"
    )
    print(f"ratio coder / bare spaCy: {coder_rate / bare_rate:.2f}")
    print(f"placing adds {with_places / coded - 1:+.1%} to coding (budget: +15%)")
    if not args.no_memory:
        print()
        print_memory(articles, bare_batch_size=args.batch_size, coder_batch_size=coder.batch_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
