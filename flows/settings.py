"""The repository root, the default paths under it, and the Prefect defaults for this project.

The one place that knows where the repository lives: every adapter takes its default paths from
here, and flow parameters override them. The Prefect defaults are applied at the CLI edge before
Prefect loads; explicit environment variables win, these only fill in what the operator has not set.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PREFECT_FILE = REPO_ROOT / "prefect.yaml"
DATA_DIR = REPO_ROOT / "data"
DEFAULT_STORE_PATH = DATA_DIR / "working" / "eventwire.duckdb"
DEFAULT_RELEASES_DIR = DATA_DIR / "releases"
DEFAULT_SAMPLES_ROOT = DATA_DIR / "samples" / "site"
DEFAULT_ACTORS_DIR = DATA_DIR / "reference" / "actors"
DEFAULT_LEXICON_DIR = DATA_DIR / "reference" / "verbs"
DEFAULT_CALIBRATION_FILE = DATA_DIR / "reference" / "calibration" / "confidence.json"

PROJECT_PREFECT_ENV: dict[str, str] = {
    "PREFECT_HOME": str(REPO_ROOT / ".prefect"),
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
}
"""What every Prefect process of this project needs: a project-local home, a start-up timeout
the first temporary server can meet on 2 cores, and no analytics."""

PREFECT_DEFAULTS: dict[str, str] = {**PROJECT_PREFECT_ENV, "PREFECT_LOGGING_LEVEL": "WARNING"}
"""The CLI's defaults: the project's, and quiet logs (the command prints its own summary)."""


def apply_prefect_defaults(environ: MutableMapping[str, str] | None = None) -> None:
    """Set the project's Prefect defaults where the environment does not set them already."""
    env = os.environ if environ is None else environ
    for key, value in PREFECT_DEFAULTS.items():
        env.setdefault(key, value)
