"""Reading reports for `extract`: CSV and Parquet (in chunks), JSONL (streamed)
and folders of .txt files, as `InputRecord`s, and the checks every record passes
(`RecordChecker`) before it reaches the pipeline.
"""

import codecs
import csv
import json
import os
import re
import stat
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Deque, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union

from ..errors import MammoDataError
from ..extras import require

PathLike = Union[str, Path]
MAX_TEXT_CHARS = 1_000_000
DEFAULT_CHUNKSIZE = 10_000
# csv's own limit (131072 characters a field) is below MAX_TEXT_CHARS.
CSV_FIELD_LIMIT = 2 * MAX_TEXT_CHARS
# What `surrogateescape` turns undecodable bytes into.
_UNDECODABLE = re.compile("[\udc80-\udcff]")
# Strings that cannot be written as UTF-8 (lone surrogates, e.g. from a JSON "\\ud800").
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class InputRecord:
    """One report as read, before and after validation.

    where (Tuple[str, Union[int, str]]): Its position: ("line", n) in JSONL,
        ("row", n) in CSV/Parquet (1-based data row, header not counted),
        ("file", name) in a folder.
    id (Any): The id as read; a str after validation.
    text (Any): The text as read; None once the record is known not to be processed.
    problem (Optional[str]): Why the record is not processed (no report text).
    skip (bool): Already in the output of a resumed run.
    """

    where: Tuple[str, Union[int, str]]
    id: Any
    text: Any
    problem: Optional[str] = None
    skip: bool = False

    @property
    def processable(self) -> bool:
        return self.problem is None and not self.skip


def input_kind(path: PathLike) -> str:
    """Tell the input kind: "folder", "jsonl", "csv" or "parquet".

    path (PathLike): The input file or folder.
    RETURNS (str): The kind.
    """
    path = Path(path)
    if path.is_dir():
        return "folder"
    kind = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
    if path.suffix.lower() not in kind:
        raise MammoDataError("unknown input type: expected a folder, .jsonl, .csv or .parquet", path=path)
    if not path.exists():
        raise MammoDataError("no such file", path=path)
    return kind[path.suffix.lower()]


def iter_input(
    path: PathLike,
    *,
    id_column: str = "id",
    text_column: str = "text",
    chunksize: int = DEFAULT_CHUNKSIZE,
    follow_symlinks: bool = False,
) -> Iterator[InputRecord]:
    """Stream the reports of a CSV, Parquet, JSONL file or a folder of .txt files.

    What makes the whole input unreadable (no such file, an empty or corrupt
    file, missing columns) raises `MammoDataError` here, before the first
    record; what spoils one record (a CSV row with the wrong number of fields,
    bytes that are not UTF-8, a folder entry that is not a regular file) is a
    record with a `problem`, and reading goes on.

    path (PathLike): The input.
    id_column (str): Id column or key (JSONL: always "id").
    text_column (str): Text column or key (JSONL: always "text").
    chunksize (int): Rows read at a time from Parquet.
    follow_symlinks (bool): Read symbolic links in a folder (never to outside it).
    RETURNS (Iterator[InputRecord]): The reports in input order, not yet validated.
    """
    path = Path(path)
    kind = input_kind(path)
    if kind == "folder":
        return _iter_folder(path, follow_symlinks)
    if kind == "jsonl":
        return _iter_jsonl(path)
    if kind == "csv":
        return _iter_csv(path, id_column, text_column)
    return _iter_parquet(path, id_column, text_column, chunksize)


def _iter_jsonl(path: Path) -> Iterator[InputRecord]:
    return _jsonl_records(path.open("rb"))


def _jsonl_records(file_: BinaryIO) -> Iterator[InputRecord]:
    with file_:
        for number, raw in enumerate(file_, 1):
            where = ("line", number)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield InputRecord(where, None, None, problem="not valid UTF-8")
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                yield InputRecord(where, None, None, problem=f"invalid JSON ({err.msg}, column {err.colno})")
                continue
            if not isinstance(obj, dict):
                yield InputRecord(where, None, None, problem="the line is not a JSON object")
            elif "id" not in obj or "text" not in obj:
                missing = [key for key in ("id", "text") if key not in obj]
                yield InputRecord(where, obj.get("id"), None, problem=f"missing {' and '.join(missing)}")
            else:
                yield InputRecord(where, obj["id"], obj["text"])


def _check_columns(path: Path, columns: Sequence[str], id_column: str, text_column: str) -> None:
    missing = [c for c in (id_column, text_column) if c not in set(columns)]
    if missing:
        raise MammoDataError(f"missing columns {missing} (use --id-column / --text-column)", path=path)


class _CsvLines:
    """The lines of a binary CSV file for `csv.reader`, decoded as UTF-8 with
    invalid bytes kept as lone surrogates (`surrogateescape`). Remembers the
    lines of the record being read, so that after a malformed record the lines
    after its first can be read again (`reread_after_first`).
    """

    def __init__(self, file_: BinaryIO):
        self.file = file_
        self.number = 0  # physical lines read from the file
        self.record: List[Tuple[int, str]] = []  # (line number, line) of the current record
        self.pending: Deque[Tuple[int, str]] = deque()

    def __iter__(self) -> Iterator[str]:
        while True:
            if self.pending:
                item = self.pending.popleft()
            else:
                raw = self.file.readline()
                if not raw:
                    return
                self.number += 1
                if self.number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                item = (self.number, raw.decode("utf-8", errors="surrogateescape"))
            self.record.append(item)
            yield item[1]

    def start_record(self) -> None:
        self.record = []

    @property
    def first_line(self) -> int:
        return self.record[0][0] if self.record else self.number + 1

    def reread_after_first(self) -> None:
        self.pending.extendleft(reversed(self.record[1:]))
        self.record = []


def _iter_csv(path: Path, id_column: str, text_column: str) -> Iterator[InputRecord]:
    # Python's csv module in strict mode, not pandas: pandas' C parser accepts
    # short rows (padding them), long ones when given usecols, and an unbalanced
    # quote that glues the next reports onto this one. Strict parsing raises on
    # the stray quote; the record is an error and reading starts again on the
    # line after its first, so the reports it swallowed are read on their own.
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    file_ = path.open("rb")
    try:
        lines = _CsvLines(file_)
        try:
            header = next(csv.reader(lines, strict=True))
        except StopIteration:
            raise MammoDataError("empty file", path=path) from None
        except csv.Error as err:
            raise MammoDataError(f"malformed CSV header ({err})", path=path, line=1) from None
        if any(_UNDECODABLE.search(name) for name in header):
            raise MammoDataError("the header is not valid UTF-8", path=path, line=1)
        _check_columns(path, header, id_column, text_column)
    except BaseException:
        file_.close()
        raise
    return _csv_records(file_, lines, len(header), header.index(id_column), header.index(text_column))


def _csv_records(file_: BinaryIO, lines: _CsvLines, n_fields: int, id_at: int, text_at: int) -> Iterator[InputRecord]:
    def valid(value: str) -> Optional[str]:
        return None if _UNDECODABLE.search(value) else value

    with file_:
        reader = csv.reader(lines, strict=True)
        while True:
            lines.start_record()
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                where = ("line", lines.first_line)
                lines.reread_after_first()
                reader = csv.reader(lines, strict=True)
                yield InputRecord(where, None, None, problem=f"malformed CSV ({err}); the next line is read anew")
                continue
            where = ("line", lines.first_line)
            if not row:
                continue  # a blank line
            report_id = valid(row[id_at]) if id_at < len(row) else None
            if len(row) != n_fields:
                yield InputRecord(where, report_id, None, problem=f"expected {n_fields} fields, saw {len(row)}")
            elif report_id is None or valid(row[text_at]) is None:
                yield InputRecord(where, report_id, None, problem="not valid UTF-8")
            else:
                yield InputRecord(where, report_id, row[text_at])


def _iter_parquet(path: Path, id_column: str, text_column: str, chunksize: int) -> Iterator[InputRecord]:
    pq = require("pyarrow.parquet", "parquet", "reading Parquet (or give CSV or JSONL)")
    import pyarrow

    try:
        parquet = pq.ParquetFile(path)
    except (pyarrow.ArrowException, OSError) as err:
        raise MammoDataError(f"not a readable Parquet file ({type(err).__name__}: {err})", path=path) from None
    _check_columns(path, parquet.schema_arrow.names, id_column, text_column)
    return _parquet_records(path, parquet, id_column, text_column, chunksize)


def _parquet_records(
    path: Path, parquet: Any, id_column: str, text_column: str, chunksize: int
) -> Iterator[InputRecord]:
    import pyarrow

    row = 0
    batches = parquet.iter_batches(batch_size=chunksize, columns=[id_column, text_column])
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (pyarrow.ArrowException, OSError) as err:
            raise MammoDataError(f"corrupt Parquet data after row {row} ({type(err).__name__})", path=path) from None
        ids = batch.column(id_column).to_pylist()
        texts = batch.column(text_column).to_pylist()
        for report_id, text in zip(ids, texts):
            row += 1
            yield InputRecord(("row", row), report_id, text)


_KIND_OF_ENTRY = [
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
]


def _entry_kind(mode: int) -> Optional[str]:
    """None for a regular file, else what the entry is."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KIND_OF_ENTRY if test(mode)), "not a regular file")


def _iter_folder(path: Path, follow_symlinks: bool) -> Iterator[InputRecord]:
    folder = path.resolve()
    with os.scandir(path) as entries:
        # Hidden files are left out, as glob("*.txt") does.
        names = sorted(e.name for e in entries if e.name.endswith(".txt") and not e.name.startswith("."))
    return (_folder_entry(path / name, folder, follow_symlinks) for name in names)


def _folder_entry(file_path: Path, folder: Path, follow_symlinks: bool) -> InputRecord:
    """One .txt entry of an input folder: a record, or a record with the problem."""
    where = ("file", file_path.name)
    report_id = file_path.stem

    def problem(reason: str) -> InputRecord:
        return InputRecord(where, report_id, None, problem=reason)

    if file_path.is_symlink():
        if not follow_symlinks:
            return problem("a symbolic link (not followed without --follow-symlinks)")
        target = file_path.resolve()
        if not target.exists():
            return problem("a dangling symbolic link")
        if folder not in target.parents:
            return problem("a symbolic link to outside the input folder")
    try:
        kind = _entry_kind(os.stat(file_path).st_mode)
        if kind is None:
            # O_NONBLOCK: should the entry have become a FIFO since, opening it must not wait for a writer.
            fd = os.open(file_path, os.O_RDONLY | os.O_NONBLOCK)
            with os.fdopen(fd, "rb") as file_:
                kind = _entry_kind(os.fstat(fd).st_mode)
                data = file_.read() if kind is None else b""
    except OSError as err:
        return problem(f"cannot read ({err.strerror})")
    if kind is not None:
        return problem(f"{kind}, not a regular file")
    try:
        return InputRecord(where, report_id, data.decode("utf-8"))
    except UnicodeDecodeError:
        return problem("not valid UTF-8")


class RecordChecker:
    """Validate records in input order: sets `problem` or `skip`, makes the id a
    str and drops the text of records that will not be processed.
    """

    def __init__(self, *, max_chars: int = MAX_TEXT_CHARS, done_ids: Iterable[str] = ()):
        """Initialise the checker.

        max_chars (int): Longest text accepted.
        done_ids (Iterable[str]): Ids already in the output (resume): skipped.
        """
        self.max_chars = max_chars
        self.done_ids = set(done_ids)
        self.seen: Set[str] = set()

    def __call__(self, record: InputRecord) -> InputRecord:
        if record.problem is None:
            record.problem = self._problem(record)
        if record.problem is None and record.id in self.done_ids:
            record.skip = True
        if not record.processable:
            record.text = None
        return record

    def _problem(self, record: InputRecord) -> Optional[str]:
        if isinstance(record.id, bool) or not isinstance(record.id, (str, int)):
            record.id = None
            return "id is not a string or integer"
        record.id = str(record.id)
        if not record.id.strip():
            return "empty id"
        if _SURROGATE.search(record.id):
            record.id = None
            return "id is not valid Unicode (a lone surrogate)"
        if record.id in self.seen:
            return "duplicate id"
        self.seen.add(record.id)
        if not isinstance(record.text, str):
            return f"text is not a string ({'null' if record.text is None else type(record.text).__name__})"
        if len(record.text) > self.max_chars:
            return f"text longer than {self.max_chars} characters ({len(record.text)})"
        return None
