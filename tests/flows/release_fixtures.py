"""Synthetic articles and events for the release tests, valid under the schemas.

Nothing here is real news: actors, countries and sentences are drawn from small fixed lists
with a seeded random generator, so the same arguments always give the same rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from flows.io.store import Store
from schemas.articles import Articles
from schemas.events import Events
from schemas.plover import PLOVER
from transforms.validate import polars_schema

DEFAULT_CODER = "eventwire-coder 0.1.0+actors.2026.11.25+verbs.2026.11.25"

_COUNTRIES = ("USA", "CHN", "RUS", "UKR", "FRA", "DEU", "IRN", "ISR", "IND", "PAK", "BRA", "NGA", "KEN", "JPN", "KOR")
_SECTORS = ("GOV", "MIL", "CVL", "OPP", "REB", "BUS", None)
_ACTIONS = tuple(PLOVER)
_SOURCES = ("Harbour Gazette", "Northern Ledger", "Valley Courier")
_PLACES = (
    # (name, geonameid, country, admin1 code, admin1 name, latitude, longitude, precision), weight
    (("Kyiv", 703448, "UKR", "UA.12", "Kyiv City", 50.45466, 30.5238, 1), 8),
    (("Kharkiv", 706483, "UKR", "UA.07", "Kharkiv", 49.98081, 36.25272, 1), 4),
    (("Ukraine", 690791, "UKR", None, None, 48.6, 31.3, 3), 3),
    (("Beirut", 276781, "LBN", "LB.04", "Beyrouth", 33.89332, 35.50157, 1), 5),
    (("Khartoum", 379252, "SDN", "SD.29", "Khartoum", 15.55177, 32.53241, 1), 2),
    (("Tbilisi", 611717, "GEO", "GE.TB", "Tbilisi", 41.69411, 44.83368, 1), 2),
    (("California", 5332921, "USA", "US.CA", "California", 36.9, -119.6, 2), 1),
    (("Brasília", 3469058, "BRA", "BR.07", "Federal District", -15.77972, -47.92972, 1), 1),
)


def _hash(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


@dataclass(frozen=True)
class Corpus:
    """Articles and their events, both validated."""

    articles: pl.DataFrame
    events: pl.DataFrame

    def __add__(self, other: Corpus) -> Corpus:
        return Corpus(pl.concat([self.articles, other.articles]), pl.concat([self.events, other.events]))


def make_corpus(
    *,
    articles: int = 20,
    events_per_article: int = 3,
    start: dt.date = dt.date(2024, 1, 1),
    days: int = 90,
    seed: int = 0,
    coder: str = DEFAULT_CODER,
    places: bool = False,
) -> Corpus:
    """`articles` articles published between `start` and `start + days`, each with events dated
    on or shortly before its publication day; with `places`, nine events in ten are placed on a
    few towns, divisions and countries (drawn from their own generator, so the rest is the same)."""
    rng = random.Random(seed)
    place_rng = random.Random(f"places-{seed}")
    article_rows = []
    event_rows = []
    for a in range(articles):
        article_id = _hash("article", seed, a)[:32]
        published_day = start + dt.timedelta(days=rng.randrange(days))
        published = dt.datetime.combine(published_day, dt.time(rng.randrange(24), rng.randrange(60)), dt.UTC)
        source = rng.choice(_SOURCES)
        url = f"https://news.example.org/{seed}/{a}"
        article_rows.append(
            {
                "article_id": article_id,
                "url": url,
                "canonical_url": url,
                "source_name": source,
                "title": f"Synthetic report {seed}-{a}",
                "author": rng.choice(["A. Writer", None]),
                "published_at": published,
                "published_source": "metadata",
                "fetched_at": published + dt.timedelta(hours=1),
                "language": "en",
                "text": f"Synthetic article body {seed}-{a}.",
                "text_hash": _hash("text", seed, a),
                "content_sha256": _hash("bytes", seed, a),
                "duplicate_of": None,
                "status": "ok",
            }
        )
        for s in range(events_per_article):
            action = rng.choice(_ACTIONS)
            plover = PLOVER[action]
            actor_country, target_country = rng.sample(_COUNTRIES, 2)
            has_target = rng.random() > 0.1
            event_day = published_day - dt.timedelta(days=rng.choice([0, 0, 0, 1, 2]))
            actor = f"Officials of {actor_country}"
            target = f"Officials of {target_country}" if has_target else None
            event_rows.append(
                {
                    "event_id": _hash("event", article_id, s, actor, action, target)[:32],
                    "article_id": article_id,
                    "sentence_index": s,
                    "sentence": f"{actor} did {action.lower()} towards {target or 'nobody'} (sentence {s}).",
                    "actor": actor,
                    "actor_country": actor_country,
                    "actor_sector": rng.choice(_SECTORS),
                    "action": action,
                    "action_mode": None,
                    "cameo_code": None,
                    "quad_class": plover.quad_class,
                    "intensity": plover.intensity,
                    "target": target,
                    "target_country": target_country if has_target else None,
                    "target_sector": rng.choice(_SECTORS) if has_target else None,
                    "date": event_day,
                    "date_precision": "day",
                    "date_source": rng.choice(["text", "publication"]),
                    "claim_status": rng.choice(["asserted", "reported"]),
                    "speaker": None,
                    "confidence": round(rng.uniform(0.3, 0.99), 3),
                    "coder": coder,
                    "explanation": '{"rule": "synthetic"}',
                    "source_url": url,
                    "source_name": source,
                    "published_at": published,
                    **(_random_place(place_rng) if places else {}),
                }
            )
    article_frame = Articles.validate(pl.DataFrame(article_rows, schema=polars_schema(Articles)))
    event_frame = Events.validate(pl.DataFrame(event_rows, schema=polars_schema(Events)))
    return Corpus(article_frame, event_frame)


def _random_place(rng: random.Random) -> dict[str, object]:
    if rng.random() < 0.1:
        return {}
    (name, geonameid, country, admin1_code, admin1_name, latitude, longitude, precision) = rng.choices(
        [place for place, _ in _PLACES], weights=[weight for _, weight in _PLACES]
    )[0]
    return {
        "place_text": None if precision == 3 else name,
        "place_name": name,
        "geonameid": geonameid,
        "place_country": country,
        "admin1_code": admin1_code,
        "admin1_name": admin1_name,
        "latitude": latitude,
        "longitude": longitude,
        "geo_precision": precision,
        "place_source": "actor_country" if precision == 3 else rng.choice(["verb", "sentence", "dateline"]),
    }


def fill_store(path: Path, corpus: Corpus, *, now: dt.datetime | None = None) -> None:
    """Put a corpus into a working store the way the code flow does (articles, then events)."""
    now = now or dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
    with Store(path) as store:
        store.insert("articles", corpus.articles)
        coders = corpus.events["coder"].unique().to_list() or [DEFAULT_CODER]
        for coder in coders:
            events = corpus.events.filter(pl.col("coder") == coder)
            store.replace_events(events["article_id"].unique().to_list(), events, coder, now)


def replace_store_events(path: Path, events: pl.DataFrame, *, coder: str = DEFAULT_CODER) -> None:
    """Make `events` the events of the articles they name (a recode or a correction)."""
    with Store(path) as store:
        store.replace_events(
            events["article_id"].unique().to_list(), events, coder, dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
        )


def article_row(
    name: str,
    published_at: dt.datetime | None,
    *,
    fetched_at: dt.datetime | None = None,
    source: str = _SOURCES[0],
) -> dict[str, object]:
    """One article with every column filled; `name` makes its id, URL and title."""
    url = f"https://news.example.org/golden/{name}"
    fetched = fetched_at or (
        published_at + dt.timedelta(hours=1) if published_at else dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    return {
        "article_id": _hash("golden-article", name)[:32],
        "url": url,
        "canonical_url": url,
        "source_name": source,
        "title": f"Golden report {name}",
        "author": None,
        "published_at": published_at,
        "published_source": "metadata" if published_at else "none",
        "fetched_at": fetched,
        "language": "en",
        "text": f"Golden article body {name}.",
        "text_hash": _hash("golden-text", name),
        "content_sha256": _hash("golden-bytes", name),
        "duplicate_of": None,
        "status": "ok",
    }


def event_row(
    article: dict[str, object],
    name: str,
    *,
    date: dt.date,
    date_precision: str = "day",
    claim_status: str = "asserted",
    action: str = "CONSULT",
    actor_country: str | None = "USA",
    target_country: str | None = "CHN",
    actor_sector: str | None = "GOV",
    target_sector: str | None = "GOV",
    confidence: float = 0.8,
    place: dict[str, object] | None = None,
) -> dict[str, object]:
    """One event of `article` with every column filled; `name` makes its id and sentence;
    `place` gives its place columns (`schemas.events.PLACE_COLUMNS`), else it has none."""
    plover = PLOVER[action]
    actor = f"Officials of {actor_country or 'somewhere'}"
    target = f"Officials of {target_country}" if target_country else None
    return {
        "event_id": _hash("golden-event", name)[:32],
        "article_id": article["article_id"],
        "sentence_index": 0,
        "sentence": f"Golden sentence {name}.",
        "actor": actor,
        "actor_country": actor_country,
        "actor_sector": actor_sector,
        "action": action,
        "action_mode": None,
        "cameo_code": None,
        "quad_class": plover.quad_class,
        "intensity": plover.intensity,
        "target": target,
        "target_country": target_country,
        "target_sector": target_sector if target_country else None,
        "date": date,
        "date_precision": date_precision,
        "date_source": "text",
        "claim_status": claim_status,
        "speaker": "A spokesperson" if claim_status in ("reported", "denied") else None,
        "confidence": confidence,
        "coder": DEFAULT_CODER,
        "explanation": '{"rule": "golden"}',
        "source_url": article["url"],
        "source_name": article["source_name"],
        "published_at": article["published_at"],
        **(place or {}),
    }


def corpus_of(articles: list[dict[str, object]], events: list[dict[str, object]], *, validate: bool = True) -> Corpus:
    """A corpus of hand-made rows. `validate=False` keeps rows the current schemas refuse, as an
    older release may hold them (an asserted event dated after its article, say)."""
    article_frame = pl.DataFrame(articles, schema=polars_schema(Articles))
    event_frame = pl.DataFrame(events, schema=polars_schema(Events))
    if validate:
        article_frame, event_frame = Articles.validate(article_frame), Events.validate(event_frame)
    return Corpus(article_frame, event_frame)


def forge_file(folder: Path, relative: str, data: bytes, *, rename_to: str | None = None) -> str:
    """Replace a release file's bytes (and, with `rename_to`, its path) and rewrite manifest.json
    and SHA256SUMS to agree with it, as someone hiding the change would. The old file is unlinked
    first, so a month hard-linked from another release stays as it was there. Returns the new path."""
    new_relative = rename_to or relative
    old, new = folder / relative, folder / new_relative
    old.unlink()
    new.parent.mkdir(parents=True, exist_ok=True)
    new.write_bytes(data)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    entry = next(f for f in manifest["files"] if f["path"] == relative)
    entry.update(path=new_relative, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    manifest_data = (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode()
    for path in (manifest_path, folder / "SHA256SUMS"):
        path.unlink()
    manifest_path.write_bytes(manifest_data)
    lines = [f"{f['sha256']}  {f['path']}" for f in manifest["files"]]
    lines.append(f"{hashlib.sha256(manifest_data).hexdigest()}  manifest.json")
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return new_relative
