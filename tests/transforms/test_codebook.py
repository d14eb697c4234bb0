"""The codebook and the other column documents agree with the pandera schemas."""

from __future__ import annotations

import dataclasses

import pandera.polars as pa
import polars as pl
import pytest

from schemas.articles import Articles
from schemas.events import Events
from schemas.plover import PLOVER
from transforms.codebook import (
    TableSpec,
    column_specs,
    frictionless_fields,
    manifest_schema,
    published_tables,
    render_codebook,
    type_name,
)
from transforms.release_views import VIEWS, comment_statements, create_table_sql, sql_string

MODELS: dict[str, type[pa.DataFrameModel]] = {"events": Events, "articles": Articles}


def parse_codebook(text: str) -> dict[str, dict[str, list[str]]]:
    """{table: {column: [type, null, constraints, description]}} from CODEBOOK.md's tables."""
    tables: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("## Table `"):
            current = tables.setdefault(line.split("`")[1], {})
        elif line.startswith("## "):
            current = None
        elif current is not None and line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            current[cells[0].strip("`")] = cells[1:]
    return tables


def disagreements(text: str, models: dict[str, type[pa.DataFrameModel]]) -> list[str]:
    """Every way the codebook text differs from the models: columns, types, nullability, meaning."""
    documented = parse_codebook(text)
    found = []
    for table, model in models.items():
        columns = model.to_schema().columns
        rows = documented.get(table, {})
        if list(rows) != list(columns):
            found.append(f"{table}: columns {list(rows)} != {list(columns)}")
        for name, column in columns.items():
            if name not in rows:
                continue
            kind, null, _constraints, description = rows[name]
            expected_type = type_name(column.dtype.type() if isinstance(column.dtype.type, type) else column.dtype.type)
            if kind != expected_type:
                found.append(f"{table}.{name}: type {kind} != {expected_type}")
            text_column = table == "articles" and name == "text"
            if null != ("yes" if column.nullable or text_column else "no"):
                found.append(f"{table}.{name}: null {null}")
            if not description.startswith(column.description.replace("|", "\\|")):
                found.append(f"{table}.{name}: description differs")
    return found


def test_the_codebook_agrees_with_the_schemas() -> None:
    text = render_codebook(published_tables(), version="2026.11.25.1")
    assert disagreements(text, MODELS) == []
    assert text.startswith("# eventwire codebook — release 2026.11.25.1")
    for name in PLOVER:
        assert f"| `{name}` |" in text


def test_the_agreement_check_catches_a_drifted_codebook() -> None:
    tables = published_tables()
    events = tables["events"]
    drifted_column = dataclasses.replace(events.column("confidence"), description="Something else.")
    drifted = dataclasses.replace(
        events, columns=tuple(drifted_column if c.name == "confidence" else c for c in events.columns)[:-1]
    )
    problems = disagreements(render_codebook({**tables, "events": drifted}), MODELS)
    assert "events.confidence: description differs" in problems
    assert any(p.startswith("events: columns") for p in problems)


@pytest.mark.parametrize(
    ("column", "constraint"),
    [
        ("event_id", "unique; length 16…64"),
        ("confidence", "≥ 0; ≤ 1"),
        ("intensity", "≥ -10; ≤ 10"),
        ("date_precision", "one of `day`, `month`, `year`"),
        ("actor_country", "one of 254 codes (appendix)"),
        ("cameo_code", "matches `^[0-2][0-9]{1,3}$`"),
    ],
    ids=["unique-length", "probability", "intensity", "short-enum", "long-enum", "pattern"],
)
def test_constraints_are_worded_from_the_checks(column: str, constraint: str) -> None:
    rows = parse_codebook(render_codebook(published_tables()))
    assert rows["events"][column][2] == constraint


def test_a_check_the_codebook_cannot_word_is_an_error() -> None:
    class Odd(pa.DataFrameModel):
        n: int = pa.Field(gt=0, description="A strictly positive number.")

    with pytest.raises(ValueError, match="greater_than"):
        column_specs(Odd)


def test_frictionless_fields_carry_types_and_constraints() -> None:
    fields = {f["name"]: f for f in frictionless_fields(published_tables()["events"])}
    assert list(fields) == list(Events.to_schema().columns)
    assert fields["confidence"]["type"] == "number"
    assert fields["confidence"]["constraints"] == {"required": True, "minimum": 0.0, "maximum": 1.0}
    assert fields["date"]["type"] == "date" and fields["published_at"]["type"] == "datetime"
    assert fields["action"]["constraints"]["enum"] == list(PLOVER)
    assert "required" not in fields["target"].get("constraints", {})
    assert fields["sentence_index"]["type"] == "integer"


def test_manifest_schema_lists_columns_in_order() -> None:
    schema = manifest_schema(published_tables())
    assert [c["name"] for c in schema["articles"]["columns"]] == list(Articles.to_schema().columns)
    assert schema["events"]["primary_key"] == ["event_id"]


def test_comment_statements_cover_every_table_view_and_column() -> None:
    tables = published_tables()
    statements = comment_statements(tables.values())
    columns = sum(len(t.columns) for t in tables.values()) + sum(len(v.columns) for v in VIEWS)
    assert len(statements) == len(tables) + len(VIEWS) + columns
    assert (
        "COMMENT ON COLUMN events.\"actor\" IS 'The actor as named in the text, e.g. ''Dmitry Peskov'', ''North Korea''.'"
        in statements
    )


def test_create_table_sql_follows_nullability() -> None:
    table = TableSpec("t", "A table.", ("article_id",), column_specs(Articles)[:5])
    sql = create_table_sql(table)
    assert '"article_id" VARCHAR NOT NULL' in sql and '"title" VARCHAR,' in sql
    assert 'PRIMARY KEY ("article_id")' in sql
    assert "PRIMARY KEY" not in create_table_sql(table, primary_key=False)
    assert sql_string("it's") == "'it''s'"
    assert type_name(pl.Datetime("us", "UTC")) == "timestamp (UTC)"


def test_the_codebook_describes_every_analyst_view() -> None:
    from transforms.release_views import VIEWS

    text = render_codebook(published_tables(), views=[(v.name, v.description, v.columns) for v in VIEWS])
    for view in VIEWS:
        section = text.split(f"## View `{view.name}`", 1)[1].split("\n## ", 1)[0]
        assert view.description in section
        for column, _meaning in view.columns:
            assert f"| `{column}` |" in section
    assert parse_codebook(text).keys() == parse_codebook(render_codebook(published_tables())).keys()
