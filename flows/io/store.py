"""The working store: one DuckDB file that the flows write and nobody else opens.

Tables mirror the pandera models in `schemas/`; frames go in and come out as polars. Every
write that must not be half-done (replacing an article's events, say) runs in one transaction,
so a crash leaves the store as it was before the write.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pandera.polars as pa
import polars as pl

from flows.settings import DEFAULT_STORE_PATH
from schemas.articles import Articles
from schemas.events import Events
from schemas.ingest_state import Coded, DedupBands, FetchState, RawDocuments, SourceHealth
from schemas.quarantine import Quarantine
from schemas.runs import Runs
from transforms.validate import polars_schema

_DUCKDB_TYPES: dict[type[pl.DataType], str] = {
    pl.String: "VARCHAR",
    pl.Int64: "BIGINT",
    pl.Int32: "INTEGER",
    pl.Int16: "SMALLINT",
    pl.Float64: "DOUBLE",
    pl.Boolean: "BOOLEAN",
    pl.Date: "DATE",
}

TABLE_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "articles": Articles,
    "events": Events,
    "quarantine": Quarantine,
    "runs": Runs,
    "fetch_state": FetchState,
    "source_health": SourceHealth,
    "dedup_bands": DedupBands,
    "raw_documents": RawDocuments,
    "coded": Coded,
}
"""Every table the working store holds, by name: the published ones and the bookkeeping."""

_PRIMARY_KEYS = {
    "articles": ("article_id",),
    "events": ("event_id",),
    "quarantine": ("item", "stage", "reason"),
    "runs": ("run_id",),
    "fetch_state": ("url",),
    "source_health": ("source_name",),
    "dedup_bands": (),
    "raw_documents": ("content_sha256",),
    "coded": ("article_id", "coder"),
}

_INDEXES = {"dedup_bands": ("bucket",)}


class StoreError(RuntimeError):
    """The working store cannot be opened or written."""


def duckdb_type(dtype: pl.DataType) -> str:
    """The DuckDB column type for a polars dtype."""
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMPTZ" if dtype.time_zone else "TIMESTAMP"
    for polars_type, name in _DUCKDB_TYPES.items():
        if isinstance(dtype, polars_type):
            return name
    raise StoreError(f"no DuckDB type for polars dtype {dtype}")


def create_table_sql(name: str, model: type[pa.DataFrameModel], *, primary_key: Sequence[str] = ()) -> str:
    """CREATE TABLE IF NOT EXISTS for a model, column order and nullability as the model says."""
    columns = model.to_schema().columns
    parts = []
    for column, dtype in polars_schema(model).items():
        null = "" if columns[column].nullable else " NOT NULL"
        parts.append(f'"{column}" {duckdb_type(dtype)}{null}')
    if primary_key:
        parts.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in primary_key) + ")")
    return f"CREATE TABLE IF NOT EXISTS {name} (\n  " + ",\n  ".join(parts) + "\n)"


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file without ever trying to download an extension."""
    return duckdb.connect(str(path), read_only=read_only, config={"autoinstall_known_extensions": False})


class Store:
    """The working DuckDB store of one deployment."""

    def __init__(self, path: Path | str = DEFAULT_STORE_PATH) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = connect(self.path)
        except duckdb.Error as error:
            raise StoreError(f"cannot open the working store {self.path}: {error}") from error
        self._ensure_schema()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_schema(self) -> None:
        for name, model in TABLE_MODELS.items():
            self.con.execute(create_table_sql(name, model, primary_key=_PRIMARY_KEYS[name]))
            for column in _INDEXES.get(name, ()):
                self.con.execute(f'CREATE INDEX IF NOT EXISTS {name}_{column} ON {name} ("{column}")')
        # Stores made before coded.text_hash existed gain it here.
        self.con.execute("ALTER TABLE coded ADD COLUMN IF NOT EXISTS text_hash VARCHAR")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run the body in one transaction: all of it lands or none of it."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def frame(self, sql: str, params: Sequence[object] = ()) -> pl.DataFrame:
        """Run a query and return its result as a polars frame."""
        result = pl.from_arrow(self.con.sql(sql, params=list(params) or None).to_arrow_table())
        assert isinstance(result, pl.DataFrame)
        return result

    def table(self, name: str) -> pl.DataFrame:
        """A whole table as a frame in the model's column order and dtypes."""
        model = TABLE_MODELS[name]
        frame = self.frame(f"SELECT * FROM {name} ORDER BY ALL")
        return frame.cast(polars_schema(model)) if frame.height else pl.DataFrame(schema=polars_schema(model))

    def count(self, name: str) -> int:
        rows = self.con.execute(f"SELECT count(*) FROM {name}").fetchall()
        return int(rows[0][0]) if rows else 0

    def insert(self, name: str, frame: pl.DataFrame) -> int:
        """Insert rows that are not there yet (by primary key); return how many were new."""
        if frame.height == 0:
            return 0
        frame = frame.select(list(polars_schema(TABLE_MODELS[name])))
        before = self.count(name)
        self.con.register("incoming", frame)
        try:
            self.con.execute(f"INSERT OR IGNORE INTO {name} SELECT * FROM incoming")
        finally:
            self.con.unregister("incoming")
        return self.count(name) - before

    def known_article_ids(self, article_ids: Sequence[str]) -> set[str]:
        """Which of these article ids are stored already."""
        if not article_ids:
            return set()
        rows = self.con.execute(
            "SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?))", [list(article_ids)]
        ).fetchall()
        return {r[0] for r in rows}

    def articles_to_code(self, coder: str, limit: int | None = None) -> pl.DataFrame:
        """Articles with status ok that this coder version has not coded from their current text."""
        sql = """SELECT a.* FROM articles a
                 WHERE a.status = 'ok'
                   AND NOT EXISTS (SELECT 1 FROM coded c
                                   WHERE c.article_id = a.article_id AND c.coder = ?
                                     AND c.text_hash IS NOT DISTINCT FROM a.text_hash)
                 ORDER BY a.published_at NULLS LAST, a.article_id"""
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        frame = self.frame(sql, [coder])
        return frame.cast(polars_schema(Articles)) if frame.height else pl.DataFrame(schema=polars_schema(Articles))

    def replace_events(self, article_ids: Sequence[str], events: pl.DataFrame, coder: str, now: dt.datetime) -> None:
        """Make `events` the events of these articles and mark them coded by `coder`, atomically."""
        counts = {a: 0 for a in article_ids}
        if events.height:
            for article_id, n in events.group_by("article_id").len().iter_rows():
                counts[article_id] = n
        with self.transaction() as con:
            con.execute("DELETE FROM events WHERE article_id IN (SELECT unnest(?))", [list(article_ids)])
            if events.height:
                con.register("incoming", events.select(list(polars_schema(Events))))
                con.execute("INSERT INTO events SELECT * FROM incoming")
                con.unregister("incoming")
            con.executemany(
                """INSERT OR REPLACE INTO coded (article_id, coder, coded_at, events, text_hash)
                   VALUES (?, ?, ?, ?, (SELECT text_hash FROM articles WHERE article_id = ?))""",
                [(a, coder, now, n, a) for a, n in counts.items()],
            )

    def add_quarantine(self, rows: pl.DataFrame) -> int:
        """Record quarantine rows; an item seen again updates last_seen and its count."""
        if rows.height == 0:
            return 0
        rows = rows.select(list(polars_schema(Quarantine)))
        self.con.register("incoming", rows)
        try:
            self.con.execute(
                """INSERT INTO quarantine SELECT * FROM incoming
                   ON CONFLICT (item, stage, reason) DO UPDATE SET
                     detail = excluded.detail,
                     last_seen = excluded.last_seen,
                     count = quarantine.count + 1"""
            )
        finally:
            self.con.unregister("incoming")
        return rows.height

    def record_run(self, run: pl.DataFrame) -> None:
        """Insert or update the row of one run."""
        run = Runs.validate(run).select(list(polars_schema(Runs)))
        self.con.register("incoming", run)
        try:
            self.con.execute("INSERT OR REPLACE INTO runs SELECT * FROM incoming")
        finally:
            self.con.unregister("incoming")
