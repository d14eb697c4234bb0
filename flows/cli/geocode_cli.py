"""`eventwire geocode [FILE]`: JSON Lines of texts in, one JSON line per place out.

Input, one object a line: ``{"id", "text", "spans"?: [[start, end], ...]}``. With ``spans``
exactly those spans are resolved (one output line each, ``geonameid`` null where nothing fits);
without, the geocoder finds the places itself (spaCy's place entities, the dateline).

Output, one object per place: ``{"id", "start", "end", "text", "name", "geonameid",
"feature_class", "feature_code", "country" (ISO-3), "admin1": {"code", "name"}, "lat", "lon",
"precision", "confidence"}``; ``admin1.code`` is GeoNames' ``CC.CODE`` ("US.IL").

A bad line (not UTF-8, not JSON, empty text, a span outside the text or overlapping another) is
reported on standard error as ``line N: reason`` and the rest of the input is still processed;
the command then exits non-zero, naming how many lines failed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from flows.io.geonames import DEFAULT_GEONAMES_DIR, load_aliases, load_gazetteer
from transforms.geo.resolve import Geocoder, Resolved


class GeocodeInputError(ValueError):
    """Some input lines could not be geocoded (each was reported as it was met)."""


class _LineError(ValueError):
    pass


def load_geocoder(reference_dir: Path = DEFAULT_GEONAMES_DIR, *, nlp: Any = None) -> Geocoder:
    """The geocoder over the compiled gazetteer and the alias table; `nlp` may come later."""
    return Geocoder(load_gazetteer(reference_dir), load_aliases(reference_dir), nlp=nlp)


def place_record(record_id: Any, resolved: Resolved) -> dict[str, Any]:
    """One output line's fields for a resolved mention."""
    mention, place = resolved.mention, resolved.place
    out: dict[str, Any] = {"id": record_id, "start": mention.start, "end": mention.end, "text": mention.text}
    if place is None:
        return out | {
            "name": None,
            "geonameid": None,
            "feature_class": None,
            "feature_code": None,
            "country": None,
            "admin1": None,
            "lat": None,
            "lon": None,
            "precision": None,
            "confidence": 0.0,
        }
    return out | {
        "name": place.name,
        "geonameid": place.geonameid,
        "feature_class": place.feature_class,
        "feature_code": place.feature_code,
        "country": place.country3 or None,
        "admin1": {"code": place.admin1_key, "name": place.admin1_name} if place.admin1_key else None,
        "lat": round(place.lat, 5),
        "lon": round(place.lon, 5),
        "precision": place.precision,
        "confidence": resolved.confidence,
    }


def _spans(value: Any, text: str) -> list[tuple[int, int]]:
    if not isinstance(value, list):
        raise _LineError('"spans" must be a list of [start, end] pairs')
    spans: list[tuple[int, int]] = []
    for item in value:
        if (
            not isinstance(item, list | tuple)
            or len(item) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in item)
        ):
            raise _LineError(f"span {item!r} is not a [start, end] pair of integers")
        start, end = int(item[0]), int(item[1])
        if not 0 <= start < end <= len(text):
            raise _LineError(f"span [{start}, {end}] is outside the text (length {len(text)})")
        spans.append((start, end))
    ordered = sorted(spans)
    for (_, first_end), (second_start, second_end) in zip(ordered, ordered[1:], strict=False):
        if second_start < first_end:
            raise _LineError(f"span [{second_start}, {second_end}] overlaps another span")
    return spans


def _parse(raw: str | bytes) -> tuple[Any, str, list[tuple[int, int]] | None]:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _LineError(f"not UTF-8 (byte {error.start})") from None
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as error:
        raise _LineError(f"not JSON: {error.msg}") from None
    if not isinstance(record, dict):
        raise _LineError("not a JSON object")
    if "id" not in record:
        raise _LineError('no "id"')
    text = record.get("text")
    if not isinstance(text, str):
        raise _LineError('"text" must be a string')
    if not text.strip():
        raise _LineError("empty text")
    spans = _spans(record["spans"], text) if record.get("spans") is not None else None
    return record["id"], text, spans


@dataclass
class GeocodeRun:
    """What a run met: lines read and the bad ones (number, reason)."""

    lines: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def geocode_jsonl(
    lines: Iterable[str | bytes],
    geocoder: Geocoder,
    *,
    nlp_loader: Callable[[], Any] | None = None,
    on_error: Callable[[int, str], None] | None = None,
    run: GeocodeRun | None = None,
) -> Iterator[str]:
    """Geocode JSON Lines; yield one JSON line per place. Bad lines go to `on_error`."""
    run = run if run is not None else GeocodeRun()
    for number, raw in enumerate(lines, start=1):
        if not (raw.strip() if isinstance(raw, str) else raw.strip()):
            continue
        run.lines += 1
        try:
            record_id, text, spans = _parse(raw)
            if spans is None and geocoder.nlp is None:
                if nlp_loader is None:
                    raise _LineError("no spans given and no spaCy pipeline to find places with")
                geocoder.nlp = nlp_loader()
            resolved = geocoder.geocode(text, spans=spans)
        except _LineError as error:
            run.errors.append((number, str(error)))
            if on_error is not None:
                on_error(number, str(error))
            continue
        for item in resolved:
            if spans is None and item.place is None:
                continue  # finding places itself, a name the gazetteer does not know is no place
            yield json.dumps(place_record(record_id, item), ensure_ascii=False)


def geocode_command(input: str, write: Callable[[str], None], warn: Callable[[str], None]) -> GeocodeRun:
    """The command's work: read `input` ('-' for standard input), write lines, warn per bad line."""
    import sys

    from flows.io.nlp import load_nlp

    geocoder = load_geocoder()
    run = GeocodeRun()

    def report(number: int, reason: str) -> None:
        warn(f"line {number}: {reason}")

    def consume(stream: IO[bytes]) -> None:
        for line in geocode_jsonl(stream, geocoder, nlp_loader=load_nlp, on_error=report, run=run):
            write(line)

    if input == "-":
        consume(sys.stdin.buffer)
    else:
        with Path(input).open("rb") as stream:
            consume(stream)
    if run.errors:
        raise GeocodeInputError(f"{len(run.errors)} of {run.lines} input lines could not be geocoded (see above)")
    return run
