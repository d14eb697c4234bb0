"""Ingest-to-release benchmark: `eventwire run` on a generated folder of short wire stories.

Generates `--articles` (default 3,000) short wire stories (generated text, not evaluation data:
templates filled from small word lists with a fixed seed, each story different enough not to
be a near-duplicate of another) as `.txt` files in a temporary folder, writes a sources file
with that one folder source, then runs the real command twice on a fresh working store, each
time as its own process (its own temporary Prefect server, as a person's run would be):

1. the first run: every story is new (ingest, code, publish);
2. the repeat run: nothing is new.

The Prefect home is a temporary one too, warmed first by a run on an empty folder (so the
first measured run does not pay for creating Prefect's database), and afterwards its database
tells how many task runs each run created. Prints first-run articles/s, repeat-run seconds,
task runs per run, and how many output lines were Prefect's "Subscription queue is full"
messages or other warnings.

    .venv/bin/python tools/bench.py --only pipeline [--articles 3000]
    .venv/bin/python tools/bench_pipeline.py [--articles 3000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUEUE_FULL = "Subscription queue is full"

LEADERS = (
    ("President", "Kenya"),
    ("Prime Minister", "Ethiopia"),
    ("Foreign Minister", "Brazil"),
    ("Defence Minister", "India"),
    ("President", "Nigeria"),
    ("Chancellor", "Germany"),
    ("Prime Minister", "Japan"),
    ("President", "Mexico"),
    ("Foreign Minister", "Turkey"),
    ("President", "Indonesia"),
    ("Prime Minister", "Pakistan"),
    ("President", "Egypt"),
)
SURNAMES = (
    "Achieng Moraa Tesfaye Almeida Sharma Okafor Brandt Tanaka Ortega Yilmaz Santoso Qureshi Farouk "
    "Kamau Haile Pereira Iyer Adeyemi Keller Sato Herrera Demir Wibowo Malik Nasser Otieno Girma Costa "
    "Rao Eze Vogel Mori Navarro Aydin Halim Chaudhry Mansour"
).split()
COUNTRIES = [country for _, country in LEADERS]
CITIES = (
    "Nairobi",
    "Addis Ababa",
    "Brasilia",
    "New Delhi",
    "Abuja",
    "Berlin",
    "Tokyo",
    "Mexico City",
    "Ankara",
    "Jakarta",
)
MEETINGS = (
    "met {other} counterpart in {city} on {day} to discuss {topic}",
    "held talks with officials from {other_country} in {city} on {day} about {topic}",
    "visited {city} on {day} for talks on {topic}",
)
CONFLICTS = (
    "Police in {city} arrested {n} protesters who had gathered outside parliament on {day}, witnesses said.",
    "Rebel fighters attacked an army post near the border with {other_country} on {day}, killing {n} soldiers, the military said.",
    "The government of {country} accused {other_country} of violating its airspace {n} times this month.",
    "Thousands of people marched through {city} on {day} to demand higher wages, and {n} were detained.",
)
COOPERATION = (
    "{country} agreed to provide {n} million dollars in emergency aid to {other_country} after the floods.",
    "The two governments signed an agreement on {topic} and promised to meet again within {n} weeks.",
    "{country} praised {other_country} for its help in {topic}, a spokesman said on {day}.",
    "Officials from {country} and {other_country} pledged to cooperate on {topic}.",
)
TOPICS = (
    "the border dispute",
    "trade and investment",
    "water sharing on the river",
    "security in the region",
    "the refugee crisis",
    "energy supplies",
    "fishing rights",
    "the rail project",
)
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
FILLER = (
    "Analysts said the {word} talks could shape the region's {topic2} for {n} years.",
    "Local newspapers reported that the {word} plan had been under discussion since {month}.",
    "Markets in {city} were {mood} on the news, with the index {moved} {n} points.",
)
WORDS = "long-awaited delayed surprise disputed ambitious modest fragile landmark".split()
MONTHS = "January February March April May June July August September October".split()
MOODS = "calm nervous upbeat quiet mixed".split()


def wire_story(number: int, rng: random.Random) -> tuple[str, str]:
    """One short generated wire story (about 120 words): its file name and its text."""
    title_name, country = rng.choice(LEADERS)
    other_country = rng.choice([c for c in COUNTRIES if c != country])
    leader = f"{country}'s {title_name} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
    published = dt.date(2024, 1, 1) + dt.timedelta(days=number % 300)
    fill = {
        "country": country,
        "other_country": other_country,
        "other": f"{other_country}'s",
        "city": rng.choice(CITIES),
        "day": rng.choice(DAYS),
        "topic": rng.choice(TOPICS),
        "topic2": rng.choice(TOPICS),
        "word": rng.choice(WORDS),
        "month": rng.choice(MONTHS),
        "mood": rng.choice(MOODS),
        "moved": rng.choice(("up", "down")),
    }

    def sentence(template: str) -> str:
        return template.format(n=rng.randint(2, 900), **fill)

    paragraphs = [
        f"{fill['city'].upper()}, story {number} (Wire) - {leader} {sentence(rng.choice(MEETINGS))}.",
        sentence(rng.choice(CONFLICTS)) + " " + sentence(rng.choice(COOPERATION)),
        sentence(rng.choice(FILLER)) + " " + sentence(rng.choice(FILLER)),
        sentence(rng.choice(COOPERATION)) + f" Reference {number:05d}-{rng.randint(0, 10**9)}.",
    ]
    title = f"{leader} in talks on {fill['topic']} ({number})"
    text = f"{title}\nPublished: {published.isoformat()}\n\n" + "\n\n".join(paragraphs) + "\n"
    return f"{published.isoformat()}-story-{number:05d}.txt", text


def write_stories(folder: Path, count: int, seed: int = 15) -> None:
    """`count` generated wire stories as text files in `folder`."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        name, text = wire_story(number, rng)
        (folder / name).write_text(text, encoding="utf-8")


def write_sources(path: Path, folder: Path) -> None:
    path.write_text(
        f'[[source]]\nname = "bench-wire"\nkind = "folder"\npath = "{folder}"\nmax_items = 1000000\n',
        encoding="utf-8",
    )


@dataclass
class RunFigures:
    """One `eventwire run` process: its wall time, output and the task runs it created."""

    seconds: float
    lines: list[str]
    returncode: int
    task_runs: int = 0

    def count(self, needle: str) -> int:
        return sum(1 for line in self.lines if needle in line)

    def warnings(self) -> int:
        """Warning lines other than the queue-full flood."""
        return sum(1 for line in self.lines if "WARNING" in line.upper() and QUEUE_FULL not in line)


def task_run_count(prefect_home: Path) -> int:
    """Task runs recorded so far in the temporary Prefect home's database."""
    database = prefect_home / "prefect.db"
    if not database.exists():
        return 0
    with sqlite3.connect(database) as connection:
        return int(connection.execute("SELECT count(*) FROM task_run").fetchone()[0])


def run_command(args: list[str], env: dict[str, str], prefect_home: Path) -> RunFigures:
    """Run `eventwire` with `args`; its wall time, output lines and the task runs it added."""
    before = task_run_count(prefect_home)
    command = [str(Path(sys.executable).with_name("eventwire")), *args]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO, check=False)
    seconds = time.perf_counter() - started
    lines = (done.stdout + done.stderr).splitlines()
    return RunFigures(seconds, lines, done.returncode, task_run_count(prefect_home) - before)


def bench_pipeline(count: int, keep: Path | None = None) -> int:
    """Generate the stories, run the pipeline twice on a fresh store and print the figures."""
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-") as temporary:
        root = keep or Path(temporary)
        stories, empty, home = root / "stories", root / "empty", root / "prefect-home"
        empty.mkdir(parents=True, exist_ok=True)
        write_stories(stories, count)
        write_sources(root / "sources.toml", stories)
        write_sources(root / "warm.toml", empty)
        env = {**os.environ, "PREFECT_HOME": str(home)}
        env.pop("PREFECT_API_URL", None)
        store = ["--store", str(root / "working" / "eventwire.duckdb"), "--releases", str(root / "releases")]
        warm = ["--store", str(root / "warm" / "eventwire.duckdb"), "--releases", str(root / "warm-releases")]
        run_command(["run", "--sources", str(root / "warm.toml"), *warm], env, home)
        first = run_command(["run", "--sources", str(root / "sources.toml"), *store], env, home)
        repeat = run_command(["run", "--sources", str(root / "sources.toml"), *store], env, home)
        for name, figures in (("first", first), ("repeat", repeat)):
            (root / f"{name}-run.log").write_text("\n".join(figures.lines) + "\n", encoding="utf-8")
        new = _new_articles(first.lines)
        print(f"ingest-to-release on {count} generated wire stories (eventwire run, fresh store, 2 runs)")
        print(f"first run     : {first.seconds:6.1f} s, {new} new articles, {new / first.seconds:5.1f} new articles/s")
        print(f"repeat run    : {repeat.seconds:6.1f} s (nothing new)")
        print(f"task runs     : {first.task_runs} first run, {repeat.task_runs} repeat run")
        for name, figures in (("first run", first), ("repeat run", repeat)):
            print(
                f"output {name:<10}: {len(figures.lines)} lines, {figures.count(QUEUE_FULL)} '{QUEUE_FULL}', "
                f"{figures.warnings()} other warning lines"
            )
        failed = False
        for name, figures in (("first run", first), ("repeat run", repeat)):
            if figures.returncode != 0:
                failed = True
                print(f"{name} FAILED (exit {figures.returncode}); its last lines:", *figures.lines[-5:], sep="\n  ")
    return 1 if failed else 0


def _new_articles(lines: list[str]) -> int:
    """The `new` count of the ingest summary line the run printed."""
    for line in lines:
        if line.startswith("ingest:") and " new," in line:
            return int(line.split(" new,")[0].rsplit(" ", 1)[-1])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="eventwire run on generated wire stories, twice.")
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    return bench_pipeline(args.articles, args.keep)


if __name__ == "__main__":
    sys.exit(main())
