"""Defaults for running Prefect from this repository, applied at the CLI edge before Prefect loads.

Explicit environment variables win: these only fill in what the operator has not set.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

PREFECT_DEFAULTS: dict[str, str] = {
    "PREFECT_HOME": str(REPO_ROOT / ".prefect"),
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def apply_prefect_defaults(environ: MutableMapping[str, str] | None = None) -> None:
    """Set the project's Prefect defaults where the environment does not set them already."""
    env = os.environ if environ is None else environ
    for key, value in PREFECT_DEFAULTS.items():
        env.setdefault(key, value)
