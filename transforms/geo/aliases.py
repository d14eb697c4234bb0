"""The alias table: names GeoNames lacks, as versioned reference data (``aliases.tsv``).

One alias a line, tab-separated: ``alias``, ``kind``, ``target``, ``source``.

| kind | target | example |
| --- | --- | --- |
| ``country`` | ISO 3166-1 alpha-3 | ``U.S.`` → ``USA`` |
| ``demonym`` | ISO 3166-1 alpha-3 | ``American`` → ``USA`` (the place a nationality names) |
| ``admin1`` | GeoNames admin1 ``CC.CODE`` | ``Ill.`` → ``US.IL`` |
| ``place`` | a GeoNames id | ``D.C.`` → ``4140963`` |

Lines starting with ``#`` and a first line ``alias  kind  target  source`` are skipped.
:func:`parse_aliases` takes the file's contents and its name and raises
:class:`~transforms.reference.ReferenceDataError` naming the file and line of the first fault.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from transforms.geo.names import name_key
from transforms.reference import ReferenceDataError

ALIAS_KINDS = frozenset({"country", "demonym", "admin1", "place"})
_ISO3 = re.compile(r"^[A-Z]{3}$")
_ADMIN1 = re.compile(r"^[A-Z]{2}\.[A-Z0-9]+$")
_HEADER = ("alias", "kind", "target", "source")


@dataclass(frozen=True)
class Alias:
    alias: str
    kind: str
    target: str
    source: str
    line: int


class AliasTable:
    """Aliases by name key (the same key the gazetteer uses)."""

    def __init__(self, aliases: list[Alias], file: str = "aliases.tsv") -> None:
        self.file = file
        self.aliases = aliases
        self._by_key: dict[str, list[Alias]] = defaultdict(list)
        for alias in aliases:
            self._by_key[name_key(alias.alias)].append(alias)

    def __len__(self) -> int:
        return len(self.aliases)

    def lookup(self, text: str) -> list[Alias]:
        return list(self._by_key.get(name_key(text), ()))

    def lookup_key(self, key: str) -> list[Alias]:
        return list(self._by_key.get(key, ()))

    def is_demonym(self, text: str) -> bool:
        found = self.lookup(text)
        return bool(found) and all(alias.kind == "demonym" for alias in found)


def parse_aliases(text: str, file: str) -> AliasTable:
    """Parse ``aliases.tsv`` contents; a malformed line is an error naming `file` and the line."""
    aliases: list[Alias] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if tuple(f.strip().lower() for f in fields) == _HEADER:
            continue
        if len(fields) != 4:
            raise ReferenceDataError(
                file, number, f"expected 4 tab-separated fields (alias, kind, target, source), found {len(fields)}"
            )
        alias, kind, target, source = (f.strip() for f in fields)
        if not alias or not name_key(alias):
            raise ReferenceDataError(file, number, "empty alias")
        if kind not in ALIAS_KINDS:
            raise ReferenceDataError(file, number, f"unknown kind {kind!r} (one of {', '.join(sorted(ALIAS_KINDS))})")
        if kind in ("country", "demonym") and not _ISO3.match(target):
            raise ReferenceDataError(file, number, f"target {target!r} is not an ISO 3166-1 alpha-3 code")
        if kind == "admin1" and not _ADMIN1.match(target):
            raise ReferenceDataError(file, number, f"target {target!r} is not a GeoNames admin1 code CC.CODE")
        if kind == "place" and not target.isdigit():
            raise ReferenceDataError(file, number, f"target {target!r} is not a GeoNames id")
        if not source:
            raise ReferenceDataError(file, number, "no source given")
        key = (alias, kind, target)
        if key in seen:
            raise ReferenceDataError(file, number, f"duplicate of line {seen[key]}")
        seen[key] = number
        aliases.append(Alias(alias, kind, target, source, number))
    return AliasTable(aliases, file)
