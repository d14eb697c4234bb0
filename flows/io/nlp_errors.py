"""The errors of loading and feeding the coder (`flows.io.nlp`), apart from it so that naming
them (`flows.errors`, which every command imports) does not import spaCy."""

from __future__ import annotations


class ModelNotInstalledError(RuntimeError):
    """No English spaCy model is installed; `make run` or `make test` installs one."""


class CodeTextInputError(ValueError):
    """A line of `code-text` input is not a JSON object with a string `id` and `text`."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"input line {line}: {reason}")
        self.line = line
        self.reason = reason
