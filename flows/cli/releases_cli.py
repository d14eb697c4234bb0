"""`eventwire releases …`: list, show, diff, verify and prune releases.

A typer sub-app (`releases_app`) that the `eventwire` command (`flows/cli/__init__.py`) mounts.
Release errors are named exceptions in `flows.io.release`; a failed verification is printed here
file by file, the others as the one line of the command's edge (`flows/cli/edge.py`); any
failure, verification included, exits 1.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from flows.cli.edge import print_error

if TYPE_CHECKING:
    from flows.io.release import ReleaseVerifyError

# The release modules (polars, DuckDB, pandera) are imported by the commands that use them:
# this sub-app is mounted on every `eventwire` command, and a flow command starts Prefect's
# temporary server only once the CLI module is imported.

releases_app = typer.Typer(
    name="releases",
    help="List, inspect, compare, verify and prune the published releases.",
    no_args_is_help=True,
    add_completion=False,
)

ReleasesDir = Annotated[
    Path | None,
    typer.Option(
        "--releases-dir",
        "--releases",
        envvar="EVENTWIRE_RELEASES_DIR",
        help="Folder holding the releases (default: data/releases in the repository).",
    ),
]


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """Print a failed verification file by file, any other release error as the one line of
    the command's edge (`flows/cli/edge.py`); either way exit 1."""
    from flows.io.release import ReleaseError, ReleaseVerifyError

    try:
        yield
    except ReleaseVerifyError as error:
        _print_verify_failure(error)
        raise typer.Exit(code=1) from error
    except ReleaseError as error:
        print_error(error)
        raise typer.Exit(code=1) from error


def _print_verify_failure(error: ReleaseVerifyError) -> None:
    """The one-line error, then each problem on its own line when there is more than one."""
    console = _err()
    console.print(f"[bold red]error[/]: {type(error).__name__}: {escape(error.headline)}")
    if len(error.problems) > 1:
        for problem in error.problems:
            console.print(f"[red]  ✗ {escape(str(problem))}[/]")


def _print_pointer_warnings(root: Path) -> None:
    """Releases the pointers do not reach: a warning each, with what to do (not a failure)."""
    from flows.io.release import pointer_warnings

    console = _err()
    for warning in pointer_warnings(root):
        console.print(f"[yellow]warning[/]: {escape(str(warning))}")


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n / 1024:.0f} KB"


@releases_app.command("list")
def list_command(
    releases_dir: ReleasesDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """The releases in place, newest first; the latest (the pointer) is marked."""
    from flows.io.release import list_releases, read_pointer, resolve_releases_dir

    with _errors():
        root = resolve_releases_dir(releases_dir)
        releases = list(reversed(list_releases(root)))
        pointer = read_pointer(root)
        if as_json:
            records = [
                {"version": r.version, "created_at": r.created_at, "latest": r.version == pointer, **r.counts}
                for r in releases
            ]
            typer.echo(json.dumps(records, indent=1))
            return
        if not releases:
            _out().print(f"no releases in {root}")
            return
        header = ("version", "created (UTC)", "events", "articles", "added", "changed", "removed", "size", "")
        rows = [
            (
                r.version,
                r.created_at[:16].replace("T", " "),
                *(str(r.counts.get(k, 0)) for k in ("events", "articles", "added", "changed", "removed")),
                _size(r.size_bytes),
                "<- latest" if r.version == pointer else "",
            )
            for r in releases
        ]
        widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
        typer.echo(f"releases in {root}")
        for row in (header, *rows):
            cells = [
                cell.ljust(w) if i in (0, 1, 8) else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            ]
            typer.echo("  ".join(cells).rstrip())


@releases_app.command("show")
def show_command(
    version: Annotated[str, typer.Argument(help="Release version, or 'latest'.")] = "latest",
    releases_dir: ReleasesDir = None,
) -> None:
    """One release: parent, coder versions, counts, changes by reason, files."""
    from flows.io.release import get_release, read_pointer, resolve_releases_dir

    with _errors():
        release = get_release(releases_dir, version)
        m = release.manifest
        out = _out()
        latest = " (latest)" if read_pointer(resolve_releases_dir(releases_dir)) == release.version else ""
        out.print(f"[bold]release {release.version}[/]{latest}  {release.path}")
        out.print(f"created_at: {m['created_at']}   parent: {m.get('parent') or '—'}")
        out.print(f"coder versions: {', '.join(m.get('coder_versions', [])) or '—'}")
        out.print(f"events dated {m['date_range']['min']} … {m['date_range']['max']}")
        out.print("counts: " + ", ".join(f"{k} {v}" for k, v in m["counts"].items()))
        for change, reasons in m.get("changes_by_reason", {}).items():
            if reasons:
                out.print(f"{change}: " + ", ".join(f"{reason} {n}" for reason, n in reasons.items()))
        out.print(
            f"files: {len(release.files)} ({_size(release.size_bytes)}); full text included: {m['articles_text_included']}"
        )


@releases_app.command("diff")
def diff_command(
    a: Annotated[str, typer.Argument(help="The older release (or 'latest').")],
    b: Annotated[str, typer.Argument(help="The newer release (or 'latest').")],
    releases_dir: ReleasesDir = None,
    sample: Annotated[int, typer.Option(help="How many changed ids to show per kind.")] = 10,
) -> None:
    """What differs between two releases' events: counts by kind and reason, and sample ids."""
    import polars as pl

    from flows.io.release import get_release, read_articles, read_events
    from transforms.changes import diff_events

    with _errors():
        first, second = get_release(releases_dir, a), get_release(releases_dir, b)
        changes = diff_events(
            read_events(first),
            read_events(second),
            articles_before=read_articles(first)["article_id"].to_list(),
            articles_after=read_articles(second)["article_id"].to_list(),
        )
        out = _out()
        out.print(
            f"[bold]{first.version} → {second.version}[/]: {changes.events_before} → {changes.events_after} events"
        )
        out.print(", ".join(f"{k} {v}" for k, v in changes.counts().items()))
        for kind, reasons in changes.counts_by_reason().items():
            for reason, n in reasons.items():
                out.print(f"  {kind:8} {reason:16} {n}")
        for kind in ("added", "changed", "removed"):
            ids = changes.changes.filter(pl.col("change") == kind).head(sample)
            for record in ids.iter_rows(named=True):
                cols = f" [{', '.join(record['columns_changed'])}]" if record["columns_changed"] else ""
                out.print(f"  {kind[0].upper()} {record['event_id']} ({record['reason']}){cols}")


@releases_app.command("verify")
def verify_command(
    version: Annotated[str | None, typer.Argument(help="Release version, or 'latest' (the default).")] = None,
    releases_dir: ReleasesDir = None,
    all_releases: Annotated[bool, typer.Option("--all", help="Verify every release.")] = False,
    deep: Annotated[bool, typer.Option("--deep", help="Also re-read and re-validate the data.")] = False,
) -> None:
    """Re-hash every file of a release against its manifest; exit 1 naming each mismatch.

    A month of events must also hold what its name says (the sha256 prefix). Releases that no
    pointer reaches (left by an interrupted publish) are warnings, with what to do.
    """
    from flows.io.release import (
        ReleaseError,
        ReleaseVerifyError,
        dangling_pointer,
        get_release,
        list_releases,
        resolve_releases_dir,
        verify_release,
    )

    with _errors():
        root = resolve_releases_dir(releases_dir)
        _print_pointer_warnings(root)
        releases = list_releases(root) if all_releases else [get_release(root, version or "latest")]
        dangling = dangling_pointer(root) if all_releases else None
        if all_releases and not releases:
            raise dangling or ReleaseError(f"no releases in {root}")
        failed = 0
        for release in releases:
            try:
                verify_release(release, deep=deep)
                _out().print(f"[green]✓[/] {release.version}: {len(release.files)} files match the manifest")
            except ReleaseVerifyError as error:
                _print_verify_failure(error)
                failed += 1
        if dangling is not None:
            raise dangling
        if failed:
            raise typer.Exit(code=1)


@releases_app.command("prune")
def prune_command(
    keep: Annotated[int, typer.Option("--keep", help="Keep the last N releases.")] = 10,
    keep_monthly: Annotated[
        bool, typer.Option("--keep-monthly/--no-keep-monthly", help="Also keep the last release of every month.")
    ] = True,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would be deleted; delete nothing.")] = False,
    releases_dir: ReleasesDir = None,
) -> None:
    """Delete old releases: keep the last N, the last of every month, and always the latest."""
    from flows.io.release import prune_releases, resolve_releases_dir
    from flows.io.site import write_site

    with _errors():
        root = resolve_releases_dir(releases_dir)
        plan = prune_releases(root, keep_last=keep, keep_monthly=keep_monthly, dry_run=dry_run)
        out = _out()
        verb = "would delete" if dry_run else "deleted"
        for version in plan.delete:
            out.print(f"{verb} {version}")
        for version, why in plan.keep.items():
            out.print(f"kept {version} ({'; '.join(why)})")
        if not dry_run:
            write_site(root)
