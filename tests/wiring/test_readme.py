"""The README's commands exist: every `make X` it shows is a Makefile target, every eventwire
command is documented in it, and the quick start is exactly `make run` and `make test`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
MAKE_TARGETS = set(re.findall(r"^([a-zA-Z][\w-]*):", MAKEFILE, flags=re.MULTILINE))
README_MAKE_COMMANDS = sorted(set(re.findall(r"`make ([a-z][\w-]*)", README)))


def test_quick_start_is_the_two_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick_start, flags=re.DOTALL)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make run", "make test"]


@pytest.mark.parametrize("target", README_MAKE_COMMANDS)
def test_readme_make_command_is_a_target(target: str) -> None:
    assert target in MAKE_TARGETS, f"README shows `make {target}` but the Makefile has no such target"


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (REPO_ROOT / ".ci" / "run").read_text()


def _cli_commands() -> list[str]:
    from flows.cli import app

    names = [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands]
    names += [g.name for g in app.registered_groups if g.name]
    return sorted(names)


@pytest.mark.parametrize("command", _cli_commands())
def test_every_cli_command_is_documented(command: str) -> None:
    assert re.search(rf"`eventwire {re.escape(command)}\b", README) or re.search(
        rf"/ `{re.escape(command)}`", README
    ), f"`eventwire {command}` is not in the README"
