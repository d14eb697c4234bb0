"""The named errors the CLI turns into one-line messages instead of tracebacks."""

from __future__ import annotations

from flows.nlp import ModelNotInstalledError
from flows.store import StoreError
from transforms.validate import FrameSchemaError

KNOWN_ERRORS: tuple[type[BaseException], ...] = (
    ModelNotInstalledError,
    StoreError,
    FrameSchemaError,
    FileNotFoundError,
)
