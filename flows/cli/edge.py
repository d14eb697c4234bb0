"""How the `eventwire` command ends when something fails: one line for an error the user can fix,
and no Prefect traceback before it, unless `--debug` asks for the tracebacks.

A flow that fails logs the error through Prefect (the task run, then the flow run, each with its
traceback) before the CLI sees it. `KnownErrorLogFilter` sits on the console handlers and drops
those records (and the failed run's headline, which carries its error as
`flows.runs.ERROR_ATTRIBUTE`) when their error is one `flows.errors.named_error` names, and the
lines after them that repeat its text (the "Finished in state Failed(...)" lines); Prefect's API handler still
gets them, so the run in the UI keeps its traceback.

`flows.errors` is imported inside the functions: it imports Prefect, which must load only after
the CLI applied its Prefect defaults.
"""

from __future__ import annotations

import logging
import sys
import traceback

import typer

_MIN_REPEATED_TEXT = 12
"""Shorter error texts are not matched in later log lines (they could be in any line)."""


class KnownErrorLogFilter(logging.Filter):
    """Drops warning and error records about an error the CLI will print as its one line."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        from flows.errors import error_chain, named_error
        from flows.runs import ERROR_ATTRIBUTE

        if record.levelno < logging.WARNING:
            return True
        error = record.exc_info[1] if record.exc_info else getattr(record, ERROR_ATTRIBUTE, None)
        if isinstance(error, BaseException):
            if named_error(error) is None:
                return True
            self.texts.extend(t for link in error_chain(error) if len(t := str(link)) >= _MIN_REPEATED_TEXT)
            return False
        message = record.getMessage()
        return not any(text in message for text in self.texts)


class Edge:
    """The command's failure settings: whether `--debug` was given, and the filter once installed."""

    debug = False
    log_filter: KnownErrorLogFilter | None = None
    written: tuple[str, ...] = ()
    """The store and folders the command writes, named when a refusal does not say where."""


def quiet_known_errors() -> None:
    """Put `KnownErrorLogFilter` on the console handlers Prefect configured (call after importing a
    flow, which configures Prefect's logging); nothing with `--debug`."""
    if Edge.debug or Edge.log_filter is not None:
        return
    Edge.log_filter = KnownErrorLogFilter()
    for handler in logging.getLogger().handlers:
        handler.addFilter(Edge.log_filter)


def fail(error: BaseException) -> None:
    """End the command for `error`: its one line and exit code 1 when it has a name (after the
    traceback with `--debug`); an error without a name is a bug and goes on as a traceback."""
    from flows.errors import named_error

    where = " or ".join(Edge.written) if Edge.written else "a file being written"
    named = named_error(error, f"writing under {where}" if Edge.written else where)
    if named is None:
        raise error
    print_error(error, named)
    _release_frames(error)
    sys.exit(1)


def _release_frames(error: BaseException) -> None:
    """Let go of the failed run's frames (and the DuckDB connections their locals hold), so
    that the interpreter's exit closes them instead of reporting them as leaked."""
    import gc

    from flows.errors import error_chain

    for link in error_chain(error):
        if link.__traceback__ is not None:
            traceback.clear_frames(link.__traceback__)
    gc.collect()


def print_error(error: BaseException, named: BaseException | None = None) -> None:
    """Print the one line for `error` (as `named`, when it was given another name) on stderr,
    after its traceback with `--debug`."""
    from flows.errors import error_line

    if Edge.debug:
        traceback.print_exception(error)
    typer.secho(error_line(named or error), fg=typer.colors.RED, err=True)
    sys.stderr.flush()
