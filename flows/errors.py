"""The named errors the CLI turns into one-line messages instead of tracebacks.

Imported lazily by the CLI's entry point, after the Prefect defaults are in place.
"""

from __future__ import annotations

from flows.cli.geocode_cli import GeocodeInputError
from flows.io.fetching import FetchError
from flows.io.locking import StoreBusyError
from flows.io.nlp import CodeTextInputError, ModelNotInstalledError
from flows.io.rawstore import RawStoreError
from flows.io.release import ReleaseError
from flows.io.store import StoreError
from flows.sources.base import SourceError
from flows.sources.config import SourceConfigError
from flows.taskrunners import DaskConfigError
from transforms.confidence import CalibrationDataError
from transforms.extract import ArticleParseError
from transforms.lexicon import LexiconError
from transforms.reference import ReferenceDataError
from transforms.validate import FrameSchemaError

KNOWN_ERRORS: tuple[type[BaseException], ...] = (
    ArticleParseError,
    CalibrationDataError,
    CodeTextInputError,
    DaskConfigError,
    FetchError,
    FileNotFoundError,
    FrameSchemaError,
    GeocodeInputError,
    IsADirectoryError,
    LexiconError,
    ModelNotInstalledError,
    RawStoreError,
    ReferenceDataError,
    ReleaseError,
    SourceConfigError,
    SourceError,
    StoreBusyError,
    StoreError,
)
