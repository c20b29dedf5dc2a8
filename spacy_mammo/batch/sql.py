"""Reports from a database and findings into one, through SQLAlchemy (`pip install "spacy-mammo[sql]"`).

`SqlSource(url, query)` is an input: the query's rows, streamed (a server-side
cursor where the driver has one), must have the id and text columns.
`SqlTable(url, table)` is an output of three tables:

- TABLE_reports: one row per report, keyed by its id (report-level
  composition and BI-RADS, the number of findings; the text only with
  --include-text);
- TABLE: one row per finding, keyed by (report id, finding index), with the
  columns of `rules.findings.FINDING_KEYS`; at `--level lesion` one row per
  lesion instead, keyed by (report id, lesion), with the columns of
  `rules.lesions.LESION_KEYS`;
- TABLE_errors: one row per report not processed (id, where, reason).

The same guarantees as the file outputs: a report's rows are written in the
transaction of its chunk (one per `batch_size` reports), so a killed run
leaves whole reports only and `--resume` skips the ids already in
TABLE_reports; the errors table is rebuilt on every run; one run at a time
per table (an advisory lock on PostgreSQL, a lock file beside an SQLite
database). Errors name the database (password hidden), never report text.
"""

import json
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

from ..errors import MammoDataError
from ..extras import require
from ..rules.findings import FINDING_KEYS
from ..rules.lesions import LESION_KEYS
from .inputs import InputRecord
from .outputs import LEVELS, OutputLock, RunRefused, report_columns

EXTRA = 'pip install "spacy-mammo[sql]"'
# Column types of the finding and lesion keys; a key not listed here is stored as JSON (lossless for any value).
_COLUMN_TYPES = {
    "type": "text",
    "start_char": "int",
    "end_char": "int",
    "section": "text",
    "modality": "text",
    "laterality": "text",
    "locations": "json",
    "clock": "text",
    "size_mm": "float",
    "distance_from_nipple_cm": "float",
    "shape": "text",
    "margin": "text",
    "density": "text",
    "calc_morphology": "text",
    "calc_distribution": "text",
    "associated_features": "json",
    "negated": "bool",
    "uncertain": "bool",
    "historical": "bool",
    "family": "bool",
    "lesion": "int",
}


def _sqlalchemy():
    return require("sqlalchemy", "sql", "SQL input and output")


@dataclass(frozen=True)
class SqlSource:
    """Reports from a database: the rows of `query` at `url`."""

    url: str
    query: str

    def __str__(self) -> str:
        return redact(self.url)


@dataclass(frozen=True)
class SqlTable:
    """Findings into the tables TABLE, TABLE_reports and TABLE_errors at `url`."""

    url: str
    table: str

    def __str__(self) -> str:
        return f"{redact(self.url)} table {self.table}"


def redact(url: str) -> str:
    """The URL with its password hidden (what errors and logs may show)."""
    try:
        return _sqlalchemy().engine.make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<database URL>"


def database_error(err: Exception, where: str, doing: str) -> RunRefused:
    """A clear error from a driver error: its kind and first line, never the SQL parameters (they hold reports)."""
    orig = getattr(err, "orig", None) or err
    first = str(orig).strip().splitlines()[0] if str(orig).strip() else ""
    return RunRefused(f"{doing} failed ({type(orig).__name__}: {first})", where)


def create_engine(url: str, where: str):
    """An engine for `url`; a bad URL or a missing driver is a clear error naming the extra."""
    sa = _sqlalchemy()
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as err:
        raise RunRefused(f"not a usable database URL ({err})", where) from None
    except ImportError as err:
        raise ImportError(f"{where}: the database driver is not installed ({err}): {EXTRA}") from None
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    # WAL: a query that streams reports and the chunks written to the same file do not block each other.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# ---------------------------------------------------------------------------
# Input


def iter_sql(
    source: SqlSource, *, id_column: str = "id", text_column: str = "text", chunksize: int = 10_000
) -> Iterator[InputRecord]:
    """Stream the reports of `source.query`; a bad URL, a failing query or a
    missing column raises here, before the first record.

    source (SqlSource): The database and query.
    id_column (str): The id column of the query's result.
    text_column (str): The text column.
    chunksize (int): Rows fetched at a time.
    RETURNS (Iterator[InputRecord]): The reports, where = ("row", n).
    """
    sa = _sqlalchemy()
    where = str(source)
    engine = create_engine(source.url, where)
    try:
        connection = engine.connect()
        result = connection.execution_options(stream_results=True, yield_per=chunksize).execute(sa.text(source.query))
    except sa.exc.SQLAlchemyError as err:
        engine.dispose()
        raise database_error(err, where, "the input query") from None
    missing = [c for c in (id_column, text_column) if c not in result.keys()]
    if missing:
        connection.close()
        engine.dispose()
        raise MammoDataError(f"the query has no columns {missing} (use --id-column / --text-column)", path=where)
    return _sql_records(engine, connection, result, id_column, text_column, where)


def _sql_records(engine, connection, result, id_column: str, text_column: str, where: str) -> Iterator[InputRecord]:
    sa = _sqlalchemy()
    try:
        for number, row in enumerate(result.mappings(), 1):
            yield InputRecord(("row", number), row[id_column], row[text_column])
    except sa.exc.SQLAlchemyError as err:
        raise database_error(err, where, "reading the input") from None
    finally:
        connection.close()
        engine.dispose()


# ---------------------------------------------------------------------------
# Output


def _tables(metadata: Any, table: str, include_text: bool, level: str = "report") -> Dict[str, Any]:
    sa = _sqlalchemy()
    kinds = {"text": sa.Text, "int": sa.Integer, "float": sa.Float, "bool": sa.Boolean, "json": sa.JSON}

    def columns(keys):
        return [sa.Column(key, kinds[_COLUMN_TYPES.get(key, "json")]()) for key in keys]

    reports = sa.Table(
        f"{table}_reports",
        metadata,
        sa.Column("id", sa.Text, primary_key=True),
        *[sa.Column(name, sa.Text) for name in ("composition", "birads_right", "birads_left", "birads_overall")],
        sa.Column("n_findings", sa.Integer, nullable=False),
        *([sa.Column("text", sa.Text)] if include_text else []),
    )
    if level == "lesion":
        rows = sa.Table(
            table,
            metadata,
            sa.Column("report_id", sa.Text, primary_key=True),
            sa.Column("lesion", sa.Integer, primary_key=True, autoincrement=False),
            *columns(key for key in LESION_KEYS if key != "lesion"),
        )
    else:
        rows = sa.Table(
            table,
            metadata,
            sa.Column("report_id", sa.Text, primary_key=True),
            sa.Column("finding_index", sa.Integer, primary_key=True),
            *columns(FINDING_KEYS),
        )
    errors = sa.Table(
        f"{table}_errors",
        metadata,
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("id", sa.Text),
        sa.Column("line", sa.Integer),
        sa.Column("row", sa.Integer),
        sa.Column("file", sa.Text),
        sa.Column("reason", sa.Text, nullable=False),
    )
    return {"reports": reports, "rows": rows, "errors": errors}


class SqlLock:
    """One run at a time per output table: a PostgreSQL advisory lock held on
    its own connection (released by the server when the run's connection
    ends, kill -9 included), or the `OutputLock` file of an SQLite database.
    """

    def __init__(self, target: SqlTable):
        self.target = target
        self.engine = create_engine(target.url, str(target))
        self.connection: Any = None  # a SQLAlchemy Connection while the lock is held
        self.file_lock: Optional[OutputLock] = None
        self.stale_pid: Optional[int] = None

    def __enter__(self) -> "SqlLock":
        sa = _sqlalchemy()
        dialect = self.engine.dialect.name
        try:
            if dialect == "postgresql":
                self._lock_postgresql(sa)
            elif dialect == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
                database = Path(self.engine.url.database)
                self.file_lock = OutputLock(database.with_name(f"{database.name}.{self.target.table}"))
                self.file_lock.acquire()
                self.stale_pid = self.file_lock.stale_pid
        except BaseException:
            self.engine.dispose()
            raise
        return self

    def _lock_postgresql(self, sa: Any) -> None:
        key = zlib.crc32(f"spacy-mammo:{self.target.table}".encode("utf-8")) & 0x7FFFFFFF
        try:
            self.connection = self.engine.connect()
            got = self.connection.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
            if not got:
                holder = self.connection.execute(
                    sa.text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = :k AND granted"),
                    {"k": key},
                ).scalar()
                raise RunRefused(
                    f"another extract run (server process {holder}) is writing this table: wait for it or stop it",
                    str(self.target),
                )
            self.connection.commit()
        except sa.exc.SQLAlchemyError as err:
            raise database_error(err, str(self.target), "connecting") from None

    def __exit__(self, *exc: Any) -> None:
        if self.file_lock is not None:
            self.file_lock.release()
        if self.connection is not None:
            self.connection.close()  # ends the session: the advisory lock goes with it
        self.engine.dispose()


def check_table(target: SqlTable, *, resume: bool = False, overwrite: bool = False) -> None:
    """Refuse, before any work, to write into an existing findings table without
    --resume or --overwrite (the same rule as for files)."""
    sa = _sqlalchemy()
    engine = create_engine(target.url, str(target))
    try:
        names = set(sa.inspect(engine).get_table_names())
    except sa.exc.SQLAlchemyError as err:
        raise database_error(err, str(target), "connecting") from None
    finally:
        engine.dispose()
    existing = {target.table, f"{target.table}_reports"} & names
    if existing and not (resume or overwrite):
        raise RunRefused(
            f"table {sorted(existing)[0]} exists: give --overwrite to replace it (or --resume to continue)", str(target)
        )


class _SqlWriter:
    """Rows wait in `pending` until `flush` writes them in one transaction;
    `close` drops what was not flushed (it is redone, or derived again, on --resume)."""

    def __init__(self, url: str, path: str):
        self.path = path
        self.engine = create_engine(url, path)
        self.pending: List[Any] = []

    def flush(self) -> None:
        raise NotImplementedError

    def _transaction(self, writes: List[Any], doing: str) -> None:
        """Insert (table, rows) pairs in one transaction and empty `pending`."""
        sa = _sqlalchemy()
        try:
            with self.engine.begin() as connection:
                for table, rows in writes:
                    if rows:
                        connection.execute(sa.insert(table), rows)
        except sa.exc.SQLAlchemyError as err:
            raise database_error(err, self.path, doing) from None
        self.pending = []

    def commit(self) -> None:
        self.flush()
        self.engine.dispose()

    def close(self) -> None:
        self.pending = []
        self.engine.dispose()


class SqlOutput(_SqlWriter):
    """The output tables (see the module docstring) with the interface of
    `outputs.JsonlOutput`: `done_ids`, `write`, `flush` (one transaction),
    `commit`, `close` (what is not flushed is rolled back)."""

    def __init__(
        self,
        target: SqlTable,
        *,
        include_text: bool = False,
        resume: bool = False,
        overwrite: bool = False,
        level: str = "report",
    ):
        sa = _sqlalchemy()
        if level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
        super().__init__(target.url, str(target))
        self.include_text = include_text
        self.level = level
        self.metadata = sa.MetaData()
        self.tables = _tables(self.metadata, target.table, include_text, level)
        self.done_ids = set()
        try:
            with self.engine.begin() as connection:
                if overwrite and not resume:
                    self.metadata.drop_all(connection)
                self._check_columns(connection, sa)
                self.metadata.create_all(connection)
                self.done_ids = set(connection.execute(sa.select(self.tables["reports"].c.id)).scalars())
        except sa.exc.SQLAlchemyError as err:
            self.engine.dispose()
            raise database_error(err, self.path, "preparing the output tables") from None

    def _check_columns(self, connection: Any, sa: Any) -> None:
        inspector = sa.inspect(connection)
        for table in self.tables.values():
            if not inspector.has_table(table.name):
                continue
            found = {column["name"] for column in inspector.get_columns(table.name)}
            if found != set(table.columns.keys()):
                raise MammoDataError(
                    f"table {table.name} has other columns (written with another --include-text or --level?): "
                    "cannot resume",
                    path=self.path,
                )

    def write(self, record: Dict[str, Any]) -> None:
        self.pending.append(record)

    def flush(self) -> None:
        """Write the pending reports in one transaction."""
        if not self.pending:
            return
        reports: List[Dict[str, Any]] = []
        rows: List[Dict[str, Any]] = []
        for record in self.pending:
            report = {**report_columns(record), "n_findings": len(record["findings"])}
            if self.include_text:
                report["text"] = record["text"]
            reports.append(report)
            if self.level == "lesion":
                rows.extend(
                    {"report_id": record["id"], **{key: lesion[key] for key in LESION_KEYS}}
                    for lesion in record["lesions"]
                )
            else:
                rows.extend(
                    {"report_id": record["id"], "finding_index": i, **{key: finding.get(key) for key in FINDING_KEYS}}
                    for i, finding in enumerate(record["findings"])
                )
        doing = "writing lesions" if self.level == "lesion" else "writing findings"
        self._transaction([(self.tables["reports"], reports), (self.tables["rows"], rows)], doing)


class SqlErrorLog(_SqlWriter):
    """The errors table, rebuilt by every run, with the interface of `outputs.ErrorLog`."""

    def __init__(self, target: SqlTable):
        sa = _sqlalchemy()
        super().__init__(target.url, f"{redact(target.url)} table {target.table}_errors")
        self.table = _tables(sa.MetaData(), target.table, False)["errors"]
        self.seq = 0
        try:
            with self.engine.begin() as connection:
                self.table.create(connection, checkfirst=True)
                connection.execute(sa.delete(self.table))
        except sa.exc.SQLAlchemyError as err:
            self.engine.dispose()
            raise database_error(err, self.path, "preparing the errors table") from None

    def write(self, record: InputRecord, reason: str) -> None:
        key, position = record.where
        self.seq += 1
        self.pending.append(
            {"seq": self.seq, "id": record.id, "line": None, "row": None, "file": None, key: position, "reason": reason}
        )

    def flush(self) -> None:
        self._transaction([(self.table, self.pending)], "writing errors")


@contextmanager
def sql_lock(target: SqlTable, *, resume: bool, overwrite: bool) -> Iterator[SqlLock]:
    """Hold the table's lock and check it may be written (see `check_table`)."""
    with SqlLock(target) as lock:
        check_table(target, resume=resume, overwrite=overwrite)
        yield lock


def table_rows(url: str, table: str) -> List[Dict[str, Any]]:
    """All rows of a table, in key order, as dicts (JSON columns decoded); for checks and tests."""
    sa = _sqlalchemy()
    engine = create_engine(url, redact(url))
    try:
        metadata = sa.MetaData()
        reflected = sa.Table(table, metadata, autoload_with=engine)
        order = list(reflected.primary_key.columns) or list(reflected.columns)
        with engine.connect() as connection:
            rows = [dict(row) for row in connection.execute(sa.select(reflected).order_by(*order)).mappings()]
    finally:
        engine.dispose()
    for row in rows:
        for key, value in row.items():
            if isinstance(value, str) and key in ("locations", "associated_features"):
                row[key] = json.loads(value)
    return rows
