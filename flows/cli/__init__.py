"""The `eventwire` command: the one edge where named errors become messages and exit codes."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.cli.edge import Edge, fail, quiet_known_errors
from flows.cli.temporary_server import TemporaryServer, serving, start_early
from flows.settings import apply_prefect_defaults

app = typer.Typer(
    name="eventwire",
    help="Turn news into event data: who did what to whom, when, and how sure.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", envvar="EVENTWIRE_DEBUG", help="On an error, show its traceback and Prefect's logs of it."
        ),
    ] = False,
) -> None:
    """Options of every command."""
    Edge.debug = debug


def _before_flow(
    server: TemporaryServer | None,
    *,
    store: str | None,
    sources: str | None = None,
    releases: str | None = None,
    publishes: bool = False,
) -> contextlib.AbstractContextManager[None]:
    """Check what the user can fix before the flow starts and keep Prefect's logs of a named
    error off the console (the flow module is imported already, so Prefect's logging is set up);
    the flow runs in what this returns: against the temporary server the command started first
    (`start_early`), unless Prefect is set up with another."""
    from flows.cli.checks import check_before_run
    from flows.io.locking import resolve_store_path
    from flows.io.release import resolve_releases_dir

    quiet_known_errors()
    Edge.written = (str(resolve_store_path(store)),) + ((str(resolve_releases_dir(releases)),) if publishes else ())
    check_before_run(store=store, sources=sources, releases=releases, publishes=publishes)
    return serving(server)


def _echo_summary(summary: Any, as_json: bool) -> None:
    """A flow's summary for a person (its own rendering, else its counts), or JSON for a script."""
    data = summary.as_dict()
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str))
    elif hasattr(summary, "render"):
        typer.echo(summary.render())
    elif hasattr(summary, "line"):
        typer.echo(summary.line())
    else:
        for key, value in data.items():
            if value not in (None, [], {}):
                typer.echo(f"{key}: {value}")


@app.command()
def run(
    sources: Annotated[str, typer.Option(help="Sources file (TOML).")] = "data/sources.samples.toml",
    fetcher: Annotated[str, typer.Option(help="'recorded' (offline samples) or 'http'.")] = "recorded",
    store: Annotated[str | None, typer.Option(help="Working DuckDB store.")] = None,
    releases: Annotated[str | None, typer.Option("--releases", "--releases-dir", help="Releases folder.")] = None,
    allow_host: Annotated[
        list[str] | None, typer.Option("--allow-host", help="Allow this host even if it is private (repeatable).")
    ] = None,
) -> None:
    """Run the pipeline once: ingest, code, publish; print a summary."""
    server = start_early()
    from flows.cli.progress import run_progress
    from flows.pipeline import pipeline

    with _before_flow(server, store=store, sources=sources, releases=releases, publishes=True), run_progress():
        summary = pipeline(
            sources=sources, fetcher=fetcher, store_path=store, releases_dir=releases, allow_hosts=allow_host or None
        )
    typer.echo(summary.render())


@app.command()
def ingest(
    sources: Annotated[str, typer.Option(help="Sources file (TOML).")] = "data/sources.samples.toml",
    fetcher: Annotated[str, typer.Option(help="'recorded' (offline samples) or 'http'.")] = "recorded",
    store: Annotated[str | None, typer.Option(help="Working DuckDB store.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    allow_host: Annotated[
        list[str] | None, typer.Option("--allow-host", help="Allow this host even if it is private (repeatable).")
    ] = None,
) -> None:
    """Fetch new articles from the configured sources into the working store."""
    server = start_early()
    from flows.ingest import ingest as ingest_flow

    with _before_flow(server, store=store, sources=sources):
        summary = ingest_flow(sources=sources, fetcher=fetcher, store_path=store, allow_hosts=allow_host or None)
    _echo_summary(summary, as_json)


@app.command()
def code(
    store: Annotated[str | None, typer.Option(help="Working DuckDB store.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Code the stored articles that the current coder version has not coded yet."""
    server = start_early()
    from flows.code import code as code_flow

    with _before_flow(server, store=store):
        summary = code_flow(store_path=store)
    _echo_summary(summary, as_json)


@app.command()
def publish(
    store: Annotated[str | None, typer.Option(help="Working DuckDB store.")] = None,
    releases: Annotated[str | None, typer.Option("--releases", "--releases-dir", help="Releases folder.")] = None,
    version: Annotated[str | None, typer.Option(help="Version name (default: YYYY.MM.DD.N).")] = None,
    include_text: Annotated[bool, typer.Option("--include-text", help="Publish articles' full text.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Publish even when nothing changed.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Validate the stored events and publish a release."""
    server = start_early()
    from flows.publish import publish as publish_flow

    with _before_flow(server, store=store, releases=releases, publishes=True):
        summary = publish_flow(
            store_path=store, releases_dir=releases, version=version, include_text=include_text, force=force
        )
    _echo_summary(summary, as_json)


@app.command()
def recode(
    store: Annotated[str | None, typer.Option(help="Working DuckDB store.")] = None,
    releases: Annotated[str | None, typer.Option("--releases", "--releases-dir", help="Releases folder.")] = None,
    no_publish: Annotated[bool, typer.Option("--no-publish", help="Re-code only; do not publish a release.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Re-code stored articles with the current coder version (from the kept raw bytes), then publish."""
    server = start_early()
    from flows.recode import recode as recode_flow

    with _before_flow(server, store=store, releases=releases, publishes=not no_publish):
        summary = recode_flow(store_path=store, releases_dir=releases, publish_release=not no_publish)
    _echo_summary(summary, as_json)


@app.command("code-text")
def code_text(
    input: Annotated[str, typer.Argument(help="JSON Lines file of {id, text, date?}; '-' for standard input.")] = "-",
    explain: Annotated[
        bool, typer.Option("--explain", help="Add the rule and dictionary entries behind each row.")
    ] = False,
) -> None:
    """Code sentences or texts from JSON Lines; print one JSON line per event."""
    from flows.io.nlp import code_jsonl, load_coder

    coder = load_coder()
    if input == "-":
        for line in code_jsonl(sys.stdin, coder, explain=explain):
            typer.echo(line)
        return
    with Path(input).open(encoding="utf-8") as stream:
        for line in code_jsonl(stream, coder, explain=explain):
            typer.echo(line)


@app.command()
def geocode(
    input: Annotated[str, typer.Argument(help="JSON Lines file of {id, text, spans?}; '-' for standard input.")] = "-",
) -> None:
    """Resolve the places in texts to GeoNames, offline; print one JSON line per place."""
    from flows.cli.geocode_cli import geocode_command

    geocode_command(input, write=typer.echo, warn=lambda message: typer.echo(message, err=True))


@app.command()
def extract(
    path_or_url: Annotated[str, typer.Argument(help="A local .html/.txt file or a URL.")],
    fetcher: Annotated[str, typer.Option(help="'http' or 'recorded'.")] = "http",
    allow_host: Annotated[
        list[str] | None, typer.Option("--allow-host", help="Allow this host even if it is private (repeatable).")
    ] = None,
) -> None:
    """Print the article record the pipeline would see for one page, as JSON."""
    from flows.cli.extract_cli import extract_command

    record: dict[str, Any] = extract_command(path_or_url, fetcher=fetcher, allow_hosts=allow_host or None)
    typer.echo(json.dumps(record, indent=2, ensure_ascii=False, default=str))


def _mount_releases() -> None:
    from flows.cli.releases_cli import releases_app

    app.add_typer(releases_app, name="releases", help="List, show, diff, verify and prune releases.")


_mount_releases()


def main() -> None:
    """Entry point: apply Prefect defaults, run the command, end a named error in one line.

    `--debug` may come anywhere on the line; it is read before the command's own options."""
    apply_prefect_defaults()
    if "--debug" in sys.argv[1:]:
        sys.argv.remove("--debug")
        os.environ["EVENTWIRE_DEBUG"] = "1"
    try:
        app()
    except Exception as error:
        fail(error)
