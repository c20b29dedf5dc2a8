"""Reading reports for `extract`: CSV and Parquet (in chunks), JSONL (streamed)
and folders of .txt files, as `InputRecord`s, and the checks every record passes
(`RecordChecker`) before it reaches the pipeline.
"""
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Set, Tuple, Union

import pandas as pd

from ..errors import MammoDataError

PathLike = Union[str, Path]
MAX_TEXT_CHARS = 1_000_000
DEFAULT_CHUNKSIZE = 10_000


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
) -> Iterator[InputRecord]:
    """Stream the reports of a CSV, Parquet, JSONL file or a folder of .txt files.

    path (PathLike): The input.
    id_column (str): Id column or key (JSONL: always "id").
    text_column (str): Text column or key (JSONL: always "text").
    chunksize (int): Rows read at a time from CSV and Parquet.
    YIELDS (InputRecord): The reports in input order, not yet validated.
    """
    kind = input_kind(path)
    if kind == "folder":
        yield from _iter_folder(Path(path))
    elif kind == "jsonl":
        yield from _iter_jsonl(Path(path))
    elif kind == "csv":
        yield from _iter_csv(Path(path), id_column, text_column, chunksize)
    else:
        yield from _iter_parquet(Path(path), id_column, text_column, chunksize)


def _iter_jsonl(path: Path) -> Iterator[InputRecord]:
    with path.open("rb") as file_:
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


def _check_columns(path: Path, columns: Iterable[str], id_column: str, text_column: str) -> None:
    missing = [c for c in (id_column, text_column) if c not in set(columns)]
    if missing:
        raise MammoDataError(f"missing columns {missing} (use --id-column / --text-column)", path=path)


def _iter_csv(path: Path, id_column: str, text_column: str, chunksize: int) -> Iterator[InputRecord]:
    try:
        header = pd.read_csv(path, nrows=0).columns
    except pd.errors.EmptyDataError:
        raise MammoDataError("empty file", path=path) from None
    _check_columns(path, header, id_column, text_column)
    chunks = pd.read_csv(
        path,
        usecols=[id_column, text_column],
        dtype=str,
        keep_default_na=False,
        chunksize=chunksize,
    )
    try:
        for chunk in chunks:
            # The RangeIndex runs on across chunks: index + 1 is the data row.
            for row, report_id, text in zip(chunk.index, chunk[id_column], chunk[text_column]):
                yield InputRecord(("row", int(row) + 1), report_id, text)
    except pd.errors.ParserError as err:
        found = re.search(r"Expected \d+ fields in line \d+, saw \d+", str(err))
        raise MammoDataError(f"malformed CSV: {found.group(0) if found else 'parser error'}", path=path) from None
    except UnicodeDecodeError:
        raise MammoDataError("not valid UTF-8", path=path) from None
    finally:
        chunks.close()


def _iter_parquet(path: Path, id_column: str, text_column: str, chunksize: int) -> Iterator[InputRecord]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError("reading Parquet needs pyarrow: pip install pyarrow (or give CSV or JSONL)") from None
    parquet = pq.ParquetFile(path)
    _check_columns(path, parquet.schema_arrow.names, id_column, text_column)
    row = 0
    for batch in parquet.iter_batches(batch_size=chunksize, columns=[id_column, text_column]):
        ids = batch.column(id_column).to_pylist()
        texts = batch.column(text_column).to_pylist()
        for report_id, text in zip(ids, texts):
            row += 1
            yield InputRecord(("row", row), report_id, text)


def _iter_folder(path: Path) -> Iterator[InputRecord]:
    for file_path in sorted(path.glob("*.txt")):
        where = ("file", file_path.name)
        try:
            text = file_path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            yield InputRecord(where, file_path.stem, None, problem="not valid UTF-8")
            continue
        yield InputRecord(where, file_path.stem, text)


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
        if record.id in self.seen:
            return "duplicate id"
        self.seen.add(record.id)
        if not isinstance(record.text, str):
            return f"text is not a string ({'null' if record.text is None else type(record.text).__name__})"
        if len(record.text) > self.max_chars:
            return f"text longer than {self.max_chars} characters ({len(record.text)})"
        return None
