"""Load the versioned reference data from disk: the actor dictionaries (and the verb lexicon).

``transforms/`` never reads files; the coder gets the parsed :class:`Reference` from here.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flows.settings import DEFAULT_ACTORS_DIR, DEFAULT_CALIBRATION_FILE, DEFAULT_LEXICON_DIR
from transforms.coder import coder_version
from transforms.confidence import UNCALIBRATED, parse_confidence_model
from transforms.reference import (
    ActorEntry,
    AgentEntry,
    DiscardEntry,
    Reference,
    ReferenceDataError,
    build_reference,
    parse_actor_entries,
    parse_agent_entries,
    parse_discard_entries,
    parse_sponsor_words,
    parse_version,
)

CONVERTED_ACTOR_FILES = ("countries.jsonl", "international.jsonl", "groups.jsonl", "regions.jsonl")
"""In priority order: the dictionaries first, GeoNames' divisions (`regions.jsonl`) last."""
CONVERTED_AGENT_FILE = "agents.jsonl"
CONVERTED_DISCARD_FILE = "discards.jsonl"
PROJECT_DIR = "project"
"""The project's own layer: ``agents*.jsonl`` are sector nouns, every other ``*.jsonl`` actors."""
SPONSOR_WORDS_FILE = "sponsor_words.tsv"
"""In the project layer: hyphenated modifiers that name a sponsor ("US-backed"), not a country."""


def _read(path: Path) -> tuple[str, str]:
    """The file's text and the name errors use for it (its full path)."""
    name = str(path)
    try:
        return path.read_text(encoding="utf-8"), name
    except FileNotFoundError:
        raise ReferenceDataError(name, 0, "file is missing") from None
    except UnicodeDecodeError as error:
        raise ReferenceDataError(name, 0, f"not UTF-8: {error.reason}") from None
    except OSError as error:
        raise ReferenceDataError(name, 0, f"cannot read: {error.strerror}") from None


@lru_cache(maxsize=8)
def _load_reference_cached(directory: Path) -> Reference:
    if not directory.is_dir():
        raise ReferenceDataError(str(directory), 0, "reference directory does not exist")
    version = parse_version(*_read(directory / "VERSION"))
    actors: list[ActorEntry] = []
    agents: list[AgentEntry] = []
    project = directory / PROJECT_DIR
    if project.is_dir():
        for path in sorted(project.glob("*.jsonl")):
            if path.name.startswith("agents"):
                agents.extend(parse_agent_entries(*_read(path)))
            else:
                actors.extend(parse_actor_entries(*_read(path)))
    for name in CONVERTED_ACTOR_FILES:
        actors.extend(parse_actor_entries(*_read(directory / name)))
    agents.extend(parse_agent_entries(*_read(directory / CONVERTED_AGENT_FILE)))
    discards: tuple[DiscardEntry, ...] = parse_discard_entries(*_read(directory / CONVERTED_DISCARD_FILE))
    sponsors = project / SPONSOR_WORDS_FILE
    sponsor_words = parse_sponsor_words(*_read(sponsors)) if sponsors.is_file() else ()
    return build_reference(version, actors, agents, discards, sponsor_words=sponsor_words)


def load_reference(directory: Path | None = None) -> Reference:
    """Read and parse the actor reference in ``directory`` (default: the repository's).

    The project's layer (``project/``) is loaded before the converted dictionaries, so its
    entries win where both name the same phrase. Raises :class:`ReferenceDataError` naming
    the file (relative to ``directory``) and line on a missing or malformed file. Results are
    cached per directory; call :func:`clear_reference_cache` after editing the files.
    """
    return _load_reference_cached((directory or DEFAULT_ACTORS_DIR).resolve())


def clear_reference_cache() -> None:
    """Forget every loaded reference, so that the next load reads the files again."""
    _load_reference_cached.cache_clear()


def coder_version_on_disk(
    reference_dir: Path | None = None, lexicon_dir: Path | None = None, *, calibration_file: Path | None = None
) -> str:
    """The version `flows.io.nlp.load_coder` with the same arguments gives, from the VERSION
    files and the calibration file alone: no spaCy, no dictionaries parsed. A flow that finds
    nothing to code for this version need not load the coder at all."""
    actors_file = (reference_dir or DEFAULT_ACTORS_DIR) / "VERSION"
    verbs_file = (lexicon_dir or DEFAULT_LEXICON_DIR) / "VERSION"
    actors = parse_version(*_read(actors_file))
    verbs, _ = _read(verbs_file)
    calibration = calibration_file or DEFAULT_CALIBRATION_FILE
    confidence = parse_confidence_model(*_read(calibration)) if calibration.is_file() else UNCALIBRATED
    return coder_version(actors, verbs.strip(), confidence.version)
