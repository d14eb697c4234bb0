"""The working store: one DuckDB file that the flows write and nobody else opens.

Tables mirror the pandera models in `schemas/`; frames go in and come out as polars. Every
write that must not be half-done (replacing an article's events, say) runs in one transaction,
so a crash leaves the store as it was before the write.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import struct
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandera.polars as pa
import polars as pl

from flows.settings import DEFAULT_STORE_PATH
from schemas.articles import Articles
from schemas.events import Events
from schemas.ingest_state import Coded, DedupBands, FetchState, RawDocuments, SourceHealth
from schemas.places import ArticlePlaces
from schemas.quarantine import Quarantine
from schemas.runs import Runs
from transforms.languages import CODED_LANGUAGES
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
    "article_places": ArticlePlaces,
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
    "article_places": ("article_id", "start", "end"),
    "quarantine": ("item", "stage", "reason"),
    "runs": ("run_id",),
    "fetch_state": ("url",),
    "source_health": ("source_name",),
    "dedup_bands": (),
    "raw_documents": ("content_sha256",),
    "coded": ("article_id", "coder"),
}

_INDEXES = {"dedup_bands": ("bucket",)}

LISTING_STATE_COLUMNS = ("url", "source_name", "etag", "last_modified", "marker", "updated_at")
"""The `fetch_state` columns a listing's conditional GET fills."""
FAILURE_RECORD_COLUMNS = (
    "url",
    "source_name",
    "updated_at",
    "failure_reason",
    "failure_kind",
    "failed_attempts",
    "failed_at",
    "next_attempt_at",
)
"""The `fetch_state` columns a failed fetch or extraction fills."""


class StoreError(RuntimeError):
    """The working store cannot be opened or written."""


class StoreDamagedError(StoreError):
    """The working store's file fails its integrity check (cut short, not a DuckDB file, or a
    catalog DuckDB cannot read), so it is not opened for writing and stays byte for byte as it was."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(
            f"the working store is damaged ({problem}), {path}, left unchanged: restore it from a backup, "
            f"or move it aside and rebuild it with `eventwire run`"
        )


_HEADER_BLOCK = 4096
_FILE_HEADERS = 3 * _HEADER_BLOCK
"""A DuckDB file starts with a main header and two database headers, one 4 KiB block each."""
_DATABASE_HEADER_FIELDS = struct.Struct("<QQQQQ")
"""iteration, meta block, free list, block count, block size (after each header's checksum)."""


def store_file_problem(path: Path) -> tuple[str | None, str | None]:
    """Why the file at `path` cannot be a DuckDB database (its headers), and why it may be cut
    short (its size); read from the bytes, without DuckDB, so a damaged file is never written to.

    The database header with the higher iteration is the current one; its block count times its
    block size (plus the headers) is what the file held at its last checkpoint. DuckDB gives free
    blocks at the end back to the file system without lowering that count, so a shorter file is
    only a suspicion, which `check_store_file` settles by reading every table."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(_FILE_HEADERS)
    if len(head) < _FILE_HEADERS:
        return f"it is {size} bytes, shorter than DuckDB's {_FILE_HEADERS} bytes of headers", None
    if head[8:12] != b"DUCK":
        return "it is not a DuckDB file", None
    iteration, _meta, _free, blocks, block_size = max(
        _DATABASE_HEADER_FIELDS.unpack_from(head, offset + 8) for offset in (_HEADER_BLOCK, 2 * _HEADER_BLOCK)
    )
    plausible = block_size >= _HEADER_BLOCK and block_size & (block_size - 1) == 0 and blocks < 2**40
    needed = _FILE_HEADERS + blocks * block_size
    if iteration and plausible and size < needed:
        return None, f"it is {size} bytes but its header counts {blocks} blocks, {needed} bytes: the file was cut short"
    return None, None


def check_store_file(path: Path | str) -> None:
    """Raise `StoreDamagedError` unless the store file (when there is one) is whole and DuckDB can
    read its catalog when opening it read-only; a missing file is a new store and passes."""
    path = Path(path)
    if not path.exists():
        return
    problem, shortfall = store_file_problem(path)
    if problem is not None:
        raise StoreDamagedError(path, problem)
    try:
        con = connect(path, read_only=True)
    except duckdb.ConnectionException as error:
        if "different configuration" in str(error):
            return  # open for writing in this process already, so it passed this check then
        raise StoreDamagedError(path, f"DuckDB cannot open it: {error}") from error
    except duckdb.Error as error:
        if "could not set lock" in str(error).lower():  # another process holds it: the caller waits
            raise StoreError(f"cannot open the working store {path}: {error}") from error
        raise StoreDamagedError(path, f"DuckDB cannot open it: {error}") from error
    try:
        con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall()
        if shortfall is not None:
            _check_used_blocks_fit(con, path, shortfall)
            _read_every_block(con)
    except duckdb.Error as error:
        raise StoreDamagedError(path, shortfall or f"DuckDB cannot read its catalog: {error}") from error
    finally:
        con.close()


def _check_used_blocks_fit(con: duckdb.DuckDBPyConnection, path: Path, shortfall: str) -> None:
    """A file shorter than its headers and used blocks cannot be whole, wherever the free ones are."""
    ((block_size, used),) = con.execute("SELECT block_size, used_blocks FROM pragma_database_size()").fetchall()
    size = path.stat().st_size
    if size < _FILE_HEADERS + int(used) * int(block_size):
        raise StoreDamagedError(path, f"{shortfall}, and {used} of its blocks are in use")


def _read_every_block(con: duckdb.DuckDBPyConnection) -> None:
    """Read every column of every table, so that a block past the end of the file fails here.

    Only for a file shorter than its header's block count: DuckDB also truncates free blocks off
    the end of a whole file without lowering that count, so the size alone cannot tell a store
    cut short from one that gave its free tail back; reading what the tables use can."""
    tables = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE'"
    ).fetchall()
    for (table,) in tables:
        con.execute(f'SELECT bit_xor(hash(COLUMNS(*))) FROM "{table}"').fetchall()


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
        """Open (or create) the store for writing, once its file passed `check_store_file`."""
        self.path = Path(path)
        check_store_file(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.con = connect(self.path)
        except OSError as error:
            raise StoreError(
                f"cannot create the working store's folder ({error.strerror}), {self.path.parent}: "
                f"make it writable or pass --store elsewhere"
            ) from error
        except duckdb.Error as error:
            raise StoreError(
                f"cannot open the working store for writing ({error}), {self.path}: "
                f"make it and its folder writable, or pass --store elsewhere"
            ) from error
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
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """A store made before a nullable column was added to a model (the place columns of
        `events`, `coded.text_hash`, the failure columns of `fetch_state`) gains it, empty, at
        the end of its table; rows are read and written by column name, so it lines up."""
        present: dict[str, set[str]] = {}
        for table, column in self.con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
        ).fetchall():
            present.setdefault(table, set()).add(column)
        for name, model in TABLE_MODELS.items():
            columns = model.to_schema().columns
            for column, dtype in polars_schema(model).items():
                if column not in present.get(name, set()) and columns[column].nullable:
                    self.con.execute(f'ALTER TABLE {name} ADD COLUMN IF NOT EXISTS "{column}" {duckdb_type(dtype)}')

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
        schema = polars_schema(model)
        columns = ", ".join(f'"{c}"' for c in schema)
        frame = self.frame(f"SELECT {columns} FROM {name} ORDER BY ALL")
        return frame.cast(schema) if frame.height else pl.DataFrame(schema=schema)

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
            self.con.execute(f"INSERT OR IGNORE INTO {name} BY NAME SELECT * FROM incoming")
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
        """Articles with status ok, in a language the coder codes (`transforms/languages.py`),
        that this coder version has not coded from their current text."""
        sql = """SELECT a.* FROM articles a
                 WHERE a.status = 'ok'
                   AND (a.language IS NULL OR a.language IN (SELECT unnest(?)))
                   AND NOT EXISTS (SELECT 1 FROM coded c
                                   WHERE c.article_id = a.article_id AND c.coder = ?
                                     AND c.text_hash IS NOT DISTINCT FROM a.text_hash)
                 ORDER BY a.published_at NULLS LAST, a.article_id"""
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        frame = self.frame(sql, [sorted(CODED_LANGUAGES), coder])
        return frame.cast(polars_schema(Articles)) if frame.height else pl.DataFrame(schema=polars_schema(Articles))

    def replace_events(
        self,
        article_ids: Sequence[str],
        events: pl.DataFrame,
        coder: str,
        now: dt.datetime,
        places: pl.DataFrame | None = None,
    ) -> None:
        """Make `events` the events of these articles (and `places`, when given, their
        `article_places` rows) and mark them coded by `coder`, atomically."""
        counts = {a: 0 for a in article_ids}
        if events.height:
            for article_id, n in events.group_by("article_id").len().iter_rows():
                counts[article_id] = n
        with self.transaction() as con:
            con.execute("DELETE FROM events WHERE article_id IN (SELECT unnest(?))", [list(article_ids)])
            if events.height:
                con.register("incoming", events.select(list(polars_schema(Events))))
                con.execute("INSERT INTO events BY NAME SELECT * FROM incoming")
                con.unregister("incoming")
            if places is not None:
                con.execute("DELETE FROM article_places WHERE article_id IN (SELECT unnest(?))", [list(article_ids)])
                if places.height:
                    con.register("incoming_places", places.select(list(polars_schema(ArticlePlaces))))
                    con.execute("INSERT OR IGNORE INTO article_places BY NAME SELECT * FROM incoming_places")
                    con.unregister("incoming_places")
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

    def has_run(self, run_id: str) -> bool:
        """Whether the run has a row already."""
        return bool(self.con.execute("SELECT count(*) FROM runs WHERE run_id = ?", [run_id]).fetchall()[0][0])

    def fetch_states(self, source_names: Sequence[str]) -> pl.DataFrame:
        """The remembered conditional-GET validators and markers of these sources' listings."""
        frame = self.frame(
            "SELECT * FROM fetch_state WHERE source_name IN (SELECT unnest(?)) AND failure_reason IS NULL",
            [list(source_names)],
        )
        schema = polars_schema(FetchState)
        return frame.cast(schema) if frame.height else pl.DataFrame(schema=schema)

    def save_fetch_states(self, states: pl.DataFrame) -> None:
        """Remember listing validators (the `LISTING_STATE_COLUMNS` of `states`); a URL's newer
        row replaces its older one (the last of a URL's rows in `states` wins, as if written one
        after another). A URL's failure columns are left as they are."""
        if states.height == 0:
            return
        states = states.select(list(LISTING_STATE_COLUMNS)).unique("url", keep="last", maintain_order=True)
        self._upsert_fetch_state(states)

    def failure_records(self, urls: Sequence[str]) -> pl.DataFrame:
        """The failure columns of those of these URLs whose last fetch or extraction failed."""
        frame = self.frame(
            "SELECT * FROM fetch_state WHERE url IN (SELECT unnest(?)) AND failure_reason IS NOT NULL", [list(urls)]
        )
        schema = polars_schema(FetchState)
        return frame.cast(schema) if frame.height else pl.DataFrame(schema=schema)

    def due_failures(self, source_names: Sequence[str], now: dt.datetime) -> list[tuple[str, str]]:
        """(url, source name) of these sources' transient failures whose backoff has passed, oldest first."""
        rows = self.con.execute(
            """SELECT url, source_name FROM fetch_state
               WHERE source_name IN (SELECT unnest(?)) AND failure_kind = 'transient'
                 AND next_attempt_at IS NOT NULL AND next_attempt_at <= ?
               ORDER BY next_attempt_at, url""",
            [list(source_names), now],
        ).fetchall()
        return [(url, source_name) for url, source_name in rows]

    def save_failure_records(self, records: pl.DataFrame) -> None:
        """Write the failure columns of these URLs (`FAILURE_RECORD_COLUMNS`); validators stay."""
        if records.height == 0:
            return
        self._upsert_fetch_state(
            records.select(list(FAILURE_RECORD_COLUMNS)).unique("url", keep="last", maintain_order=True)
        )

    def clear_failure_records(self, urls: Sequence[str]) -> None:
        """Forget the failures of these URLs (they were fetched and read)."""
        if not urls:
            return
        self.con.execute(
            """UPDATE fetch_state SET failure_reason = NULL, failure_kind = NULL, failed_attempts = NULL,
                 failed_at = NULL, next_attempt_at = NULL
               WHERE url IN (SELECT unnest(?)) AND failure_reason IS NOT NULL""",
            [list(urls)],
        )
        self.con.execute(
            """DELETE FROM fetch_state WHERE url IN (SELECT unnest(?))
                 AND etag IS NULL AND last_modified IS NULL AND marker IS NULL""",
            [list(urls)],
        )

    def _upsert_fetch_state(self, rows: pl.DataFrame) -> None:
        columns = rows.columns
        names = ", ".join(f'"{c}"' for c in columns)
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != "url")
        self.con.register("incoming", rows)
        try:
            self.con.execute(
                f"INSERT INTO fetch_state ({names}) SELECT {names} FROM incoming "
                f"ON CONFLICT (url) DO UPDATE SET {updates}"
            )
        finally:
            self.con.unregister("incoming")

    def update_source_health(self, health: pl.DataFrame) -> None:
        """Record one run's health row per source: the last run's counts replace the stored ones,
        the totals grow by them, and `last_success` keeps its stored value when the run has none.

        `health` carries the run's counts in the `total_*` columns too (a source's first row)."""
        if health.height == 0:
            return
        health = health.select(list(polars_schema(SourceHealth)))
        self.con.register("incoming", health)
        try:
            self.con.execute(
                """INSERT INTO source_health SELECT * FROM incoming
                   ON CONFLICT (source_name) DO UPDATE SET
                     kind = excluded.kind,
                     last_run_at = excluded.last_run_at,
                     last_success = coalesce(excluded.last_success, source_health.last_success),
                     last_error = excluded.last_error,
                     discovered = excluded.discovered,
                     fetched = excluded.fetched,
                     new = excluded.new,
                     seen = excluded.seen,
                     duplicate = excluded.duplicate,
                     quarantined = excluded.quarantined,
                     not_modified = excluded.not_modified,
                     total_fetched = source_health.total_fetched + excluded.fetched,
                     total_new = source_health.total_new + excluded.new,
                     total_duplicate = source_health.total_duplicate + excluded.duplicate,
                     total_quarantined = source_health.total_quarantined + excluded.quarantined"""
            )
        finally:
            self.con.unregister("incoming")

    def last_successes(self, source_names: Sequence[str]) -> dict[str, dt.datetime | None]:
        """When each of these sources last ran without a source-level error, as stored."""
        rows = self.con.execute(
            "SELECT source_name, last_success FROM source_health WHERE source_name IN (SELECT unnest(?))",
            [list(source_names)],
        ).fetchall()
        return dict(rows)

    def roots_by_text_hash(self, text_hashes: Sequence[str]) -> dict[str, str]:
        """For each of these text hashes that is stored, the article its stored copies point to:
        that of an `ok` article first, then the earliest published, then the lowest id."""
        if not text_hashes:
            return {}
        rows = self.con.execute(
            """SELECT text_hash, coalesce(duplicate_of, article_id) FROM articles
               WHERE text_hash IN (SELECT unnest(?))
               ORDER BY status <> 'ok', published_at NULLS LAST, article_id""",
            [list(text_hashes)],
        ).fetchall()
        roots: dict[str, str] = {}
        for digest, root in rows:
            roots.setdefault(digest, root)
        return roots

    def articles_sharing_bands(self, probe: pl.DataFrame) -> list[tuple[int, str]]:
        """(probe, article id) for every stored article that shares a band bucket with a probe.

        `probe` has the columns `probe` (the caller's number for a text), `band` and `bucket`."""
        if probe.height == 0:
            return []
        self.con.register("near_probe", probe)
        try:
            rows = self.con.execute(
                """SELECT DISTINCT p.probe, b.article_id FROM near_probe p
                   JOIN dedup_bands b ON b.band = p.band AND b.bucket = p.bucket"""
            ).fetchall()
        finally:
            self.con.unregister("near_probe")
        return [(index, found) for index, found in rows]

    def add_dedup_bands(self, bands: pl.DataFrame) -> None:
        """Index the band buckets of articles that have none indexed yet."""
        if bands.height == 0:
            return
        bands = bands.select(list(polars_schema(DedupBands)))
        self.con.register("incoming_bands", bands)
        try:
            self.con.execute(
                """INSERT INTO dedup_bands SELECT * FROM incoming_bands
                   WHERE article_id NOT IN (SELECT DISTINCT article_id FROM dedup_bands
                                            WHERE article_id IN (SELECT article_id FROM incoming_bands))"""
            )
        finally:
            self.con.unregister("incoming_bands")

    def ok_article_texts(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The text of each of these articles that is stored with status ok."""
        if not article_ids:
            return {}
        rows = self.con.execute(
            "SELECT article_id, text FROM articles WHERE status = 'ok' AND article_id IN (SELECT unnest(?))",
            [list(article_ids)],
        ).fetchall()
        return dict(rows)

    def set_article_texts(self, texts: Sequence[tuple[str, str, str]]) -> None:
        """Replace the text and text hash of stored articles, given as (article_id, text,
        text_hash), in one transaction."""
        if not texts:
            return
        with self.transaction() as con:
            con.executemany(
                "UPDATE articles SET text = ?, text_hash = ? WHERE article_id = ?",
                [(text, digest, article_id) for article_id, text, digest in texts],
            )

    def raw_documents(self, content_sha256s: Sequence[str]) -> dict[str, dict[str, Any]]:
        """How each of these kept bodies was served (final URL, content type, charset), by digest,
        where ingest recorded it."""
        if not content_sha256s:
            return {}
        frame = self.frame(
            "SELECT content_sha256, final_url, content_type, charset FROM raw_documents "
            "WHERE content_sha256 IN (SELECT unnest(?))",
            [list(content_sha256s)],
        )
        return {r["content_sha256"]: r for r in frame.iter_rows(named=True)}

    def event_coders_other_than(self, coder: str) -> list[str]:
        """The other coder versions whose events are still in the store, in order."""
        rows = self.con.execute("SELECT DISTINCT coder FROM events WHERE coder <> ? ORDER BY coder", [coder]).fetchall()
        return [r[0] for r in rows]
