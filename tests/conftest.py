"""Test configuration shared by every tier.

Prefect runs under one session-scoped `prefect_test_harness` (a temporary server started once),
with a project-local PREFECT_HOME so nothing touches the user's Prefect profile.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = REPO_ROOT.parent / "shared" / "eval"

os.environ.setdefault("PREFECT_HOME", str(REPO_ROOT / ".prefect-test"))
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for the whole session; flow tests depend on this fixture."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def nlp():
    """The spaCy English pipeline, loaded once per session."""
    from flows.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    """The development sets beside the repository; tests that need them skip when absent."""
    if not SHARED_EVAL.is_dir():
        pytest.skip("../shared/eval is not present")
    return SHARED_EVAL
