"""Test configuration shared by every tier.

Prefect runs under one session-scoped `prefect_test_harness` (a temporary server started once),
with a project-local PREFECT_HOME so nothing touches the user's Prefect profile.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.settings import apply_prefect_defaults

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = REPO_ROOT.parent / "shared" / "eval"

# Tests keep their own Prefect home; the rest are the CLI's defaults.
os.environ.setdefault("PREFECT_HOME", str(REPO_ROOT / ".prefect-test"))
apply_prefect_defaults()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for the whole session; flow tests depend on this fixture."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def nlp():
    """The spaCy English pipeline, loaded once per session."""
    from flows.io.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    """The development sets beside the repository; tests that need them skip when absent."""
    if not SHARED_EVAL.is_dir():
        pytest.skip("../shared/eval is not present")
    return SHARED_EVAL


@pytest.fixture(scope="session")
def geocoder():
    """The geocoder over the compiled gazetteer (compiled once into data/working/cache, then loaded)."""
    from flows.cli.geocode_cli import load_geocoder

    return load_geocoder()
