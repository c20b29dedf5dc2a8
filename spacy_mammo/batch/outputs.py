"""Writing `extract`'s results: JSONL (one line per report) or CSV (one row per
finding), or at `--level lesion` one JSON line or CSV row per lesion, and the
errors JSONL, each written as OUT.partial and renamed to OUT only when the run
ends; `--resume` continues a partial file from its last complete report.
"""

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import IO, Any, Dict, Iterator, List, Optional, Set, Tuple, Union

from ..errors import MammoDataError
from ..rules.findings import FINDING_KEYS
from ..rules.lesions import LESION_KEYS
from .inputs import InputRecord

PathLike = Union[str, Path]
OUTPUT_FORMATS = {".jsonl": "jsonl", ".csv": "csv"}
# What one output row is: a report (JSONL) or finding (CSV, SQL), or a lesion (`doc._.lesions`).
LEVELS = ("report", "lesion")
REPORT_COLUMNS = ["id", "composition", "birads_right", "birads_left", "birads_overall"]
LESION_COLUMNS = ["id"] + list(LESION_KEYS)


def report_columns(record: Dict[str, Any]) -> Dict[str, Any]:
    """The report-level columns of one output record: id, composition and the BI-RADS per side and overall."""
    birads = record["report"].get("birads") or {}
    return {
        "id": record["id"],
        "composition": record["report"].get("composition"),
        "birads_right": birads.get("right"),
        "birads_left": birads.get("left"),
        "birads_overall": birads.get("overall"),
    }


class RunRefused(OSError):
    """The run must not start or go on: an output that exists or is a folder, one
    that another run holds, a database it cannot reach or write. An OSError, so the
    command exits 2 (could not run) rather than 1 (bad data); names the file or database.
    """

    def __init__(self, problem: str, path: Any):
        super().__init__(problem)
        self.problem = problem
        self.filename = str(path)

    def __str__(self) -> str:
        return f"{self.filename}: {self.problem}"


def partial_path(path: Path) -> Path:
    """OUT + ".partial": where a run writes until it ends."""
    return path.with_name(path.name + ".partial")


def lock_path(path: Path) -> Path:
    """OUT + ".lock": held by the run writing OUT."""
    return path.with_name(path.name + ".lock")


def check_output_path(path: PathLike, *, resume: bool = False, overwrite: bool = False) -> None:
    """Refuse an output before any work starts: a folder, an existing OUT
    without --resume or --overwrite, a finished OUT given --resume.

    path (PathLike): OUT (or the errors file).
    resume (bool): The run continues OUT.partial.
    overwrite (bool): An existing OUT may be replaced.
    """
    path = Path(path)
    for candidate in (path, partial_path(path)):
        if candidate.is_dir():
            raise RunRefused("is a folder, not a file", candidate)
    if not path.exists() or overwrite:
        return
    if not resume:
        raise RunRefused("exists: give --overwrite to replace it (or --resume to continue a killed run)", path)
    if not partial_path(path).exists():
        raise RunRefused("exists and there is no .partial to resume: the run is done (--overwrite redoes it)", path)


class OutputLock:
    """An exclusive OS lock on OUT.lock, holding the owner's process id, for a whole run.

    A POSIX record lock (`fcntl.lockf`), not `flock`: it belongs to this process
    only, so `nlp.pipe` workers forked during the run do not inherit it, and the
    OS releases it when the process ends in any way (kill -9 included). A lock
    file left by a killed run is therefore stale as soon as it can be locked: it
    is taken over (`stale_pid` names the old owner).
    """

    def __init__(self, out: PathLike):
        self.out = Path(out)
        self.path = lock_path(self.out)
        self.fd: Optional[int] = None
        self.stale_pid: Optional[int] = None

    def __enter__(self) -> "OutputLock":
        self.acquire()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock or raise `RunRefused` naming the run that holds it."""
        import fcntl

        self.out.parent.mkdir(parents=True, exist_ok=True)
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as err:
                raise RunRefused(f"cannot create the lock file ({err.strerror})", self.path) from None
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = _read_pid(fd)
                os.close(fd)
                problem = f"another extract run (pid {holder or '?'}) is writing this output: wait for it or stop it"
                raise RunRefused(problem, self.out) from None
            # The last owner deletes the file when it is done: if it did so
            # between our open and our lock, ours is the lock of a deleted file.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        previous = _read_pid(fd)
        self.stale_pid = previous if previous and previous != os.getpid() else None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd

    def release(self) -> None:
        """Delete the lock file and release the lock."""
        if self.fd is None:
            return
        self.path.unlink(missing_ok=True)
        os.close(self.fd)  # closing releases a lockf lock
        self.fd = None


def _read_pid(fd: int) -> Optional[int]:
    text = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
    return int(text) if text.isdigit() else None


def _complete_lines(partial: Path) -> Tuple[bytes, List[int]]:
    """Cut a half-written last line off `partial`; return its content and the
    byte offset where each line ends.
    """
    data = partial.read_bytes()
    end = data.rfind(b"\n") + 1
    if end < len(data):
        with partial.open("r+b") as file_:
            file_.truncate(end)
        data = data[:end]
    return data, [m.end() for m in re.finditer(b"\n", data)]


def _keep_whole_reports(partial: Path, rows: List[Tuple[str, int]], start: int) -> Set[str]:
    """Cut `partial` after the last report that is surely whole: the rows of the last id
    are cut too, as it may lack some (it is processed again).

    partial (Path): The partial output.
    rows (List[Tuple[str, int]]): (report id, byte offset where the row ends) of the
        complete rows after `start`, in file order; a report's rows are contiguous.
    start (int): Where the rows begin (after a header).
    RETURNS (Set[str]): The ids of the reports kept.
    """
    keep = len(rows)
    while keep > 0 and rows[keep - 1][0] == rows[-1][0]:
        keep -= 1
    with partial.open("r+b") as file_:
        file_.truncate(rows[keep - 1][1] if keep else start)
    return {report_id for report_id, _ in rows[:keep]}


class _PartialFile:
    """A text file written as OUT.partial and renamed to OUT only by `commit`.

    Each record is written with one `write` call, so a signal (raised between
    two Python instructions) never leaves half a record in the buffer; the OS
    may still tear the last record on a kill or a full disk, which `--resume`
    cuts off. Write errors (a full disk) name the file.
    """

    file: IO[str]

    def __init__(self, path: PathLike):
        self.path = Path(path)
        self.partial = partial_path(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.records = 0  # records in the file, kept from a previous run or written by this one

    def _open(self, mode: str) -> None:
        try:
            self.file = self.partial.open(mode, encoding="utf-8", newline="")
        except OSError as err:
            raise _naming(err, self.partial) from None

    def _write(self, text: str) -> None:
        try:
            self.file.write(text)
        except OSError as err:
            raise _naming(err, self.partial) from None
        self.records += 1

    def flush(self) -> None:
        try:
            self.file.flush()
        except OSError as err:
            raise _naming(err, self.partial) from None

    def commit(self) -> None:
        """Close and rename OUT.partial to OUT."""
        self.flush()
        self.file.close()
        os.replace(self.partial, self.path)

    def close(self) -> None:
        """Close without renaming: the partial output stays for --resume, unless it holds no record."""
        try:
            self.file.close()
        except OSError:
            pass  # a full disk: what did reach the file is cut to whole records on --resume
        if self.records == 0:
            self.partial.unlink(missing_ok=True)


def _naming(err: OSError, path: Path) -> OSError:
    """The same OSError, naming the file (a write error does not)."""
    return type(err)(err.errno, err.strerror, str(path))


class JsonlOutput(_PartialFile):
    """One JSON line per report, written to OUT.partial and renamed at the end."""

    def __init__(self, path: PathLike, *, include_text: bool = False, resume: bool = False):
        """Open the output; with `resume`, keep what OUT.partial holds.

        path (PathLike): The final output path.
        include_text (bool): Whether records carry the text (checked on resume).
        resume (bool): Continue OUT.partial instead of starting afresh.
        """
        super().__init__(path)
        self.include_text = include_text
        self.done_ids: Set[str] = set()
        if resume and self.partial.exists():
            self.done_ids = self._recover()
            self.records = len(self.done_ids)
            self._open("a")
        else:
            self._open("w")

    def _recover(self) -> Set[str]:
        data, _ = _complete_lines(self.partial)
        done = set()
        for number, line in enumerate(data.decode("utf-8").split("\n")[:-1], 1):
            try:
                record = json.loads(line)
                report_id = record["id"]
            except (json.JSONDecodeError, TypeError, KeyError):
                raise MammoDataError("not an output record: cannot resume", path=self.partial, line=number) from None
            if ("text" in record) != self.include_text or "findings" not in record:
                raise MammoDataError("written with another --include-text or --level: cannot resume", path=self.partial)
            done.add(report_id)
        return done

    def write(self, record: Dict[str, Any]) -> None:
        self._write(json.dumps(record, ensure_ascii=False) + "\n")


def lesion_rows(record: Dict[str, Any], *, include_text: bool = False) -> List[Dict[str, Any]]:
    """The lesion-level rows of one output record: the report id and the keys of `LESION_KEYS`
    per lesion; a report without lesions gets one row whose lesion keys are None.

    record (Dict[str, Any]): An output record with "lesions" (`run.doc_record` at level "lesion").
    include_text (bool): Add the report text to each row.
    RETURNS (List[Dict[str, Any]]): The rows, keys `LESION_COLUMNS` (+ "text").
    """
    lesions = record["lesions"] or [dict.fromkeys(LESION_KEYS)]
    rows = [{"id": record["id"], **{key: lesion[key] for key in LESION_KEYS}} for lesion in lesions]
    if include_text:
        for row in rows:
            row["text"] = record["text"]
    return rows


class LesionJsonlOutput(JsonlOutput):
    """One JSON line per lesion (`lesion_rows`), a report's lines written together."""

    def _recover(self) -> Set[str]:
        data, line_ends = _complete_lines(self.partial)
        rows = []
        for number, (line, end) in enumerate(zip(data.decode("utf-8").split("\n"), line_ends), 1):
            try:
                row = json.loads(line)
                rows.append((row["id"], end))
            except (json.JSONDecodeError, TypeError, KeyError):
                raise MammoDataError("not an output record: cannot resume", path=self.partial, line=number) from None
            if ("text" in row) != self.include_text or "lesion" not in row:
                raise MammoDataError("written with another --include-text or --level: cannot resume", path=self.partial)
        return _keep_whole_reports(self.partial, rows, 0)

    def write(self, record: Dict[str, Any]) -> None:
        rows = lesion_rows(record, include_text=self.include_text)
        self._write("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        # Lists of pairs (a lesion's mention offsets) as "start-end".
        return ";".join("-".join(map(str, v)) if isinstance(v, list) else str(v) for v in value)
    return value


class CsvOutput(JsonlOutput):
    """One CSV row per finding; a report without findings gets one row with
    empty finding columns. Report-level values repeat on each row.
    """

    COLUMNS = REPORT_COLUMNS + list(FINDING_KEYS)

    def __init__(self, path: PathLike, *, include_text: bool = False, resume: bool = False):
        self.columns = self.COLUMNS + (["text"] if include_text else [])
        super().__init__(path, include_text=include_text, resume=resume)
        if self.file.tell() == 0:
            self.file.write(self._rows([dict(zip(self.columns, self.columns))]))

    def _rows(self, rows: List[Dict[str, Any]]) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=self.columns, lineterminator="\n")
        writer.writerows(rows)
        return buffer.getvalue()

    def _recover(self) -> Set[str]:
        # Parsed as CSV, not as lines: an id or a text may hold newlines. Only
        # rows that end on a complete line count; the first malformed one and
        # all after it are cut off. A report's rows are contiguous and the last
        # report may lack some: its rows are cut too, and it is processed again.
        data, line_ends = _complete_lines(self.partial)
        lines = data.decode("utf-8").split("\n")[:-1]
        consumed = 0

        def feed() -> Iterator[str]:
            nonlocal consumed
            for line in lines:
                consumed += 1
                yield line + "\n"

        reader = csv.reader(feed(), strict=True)
        rows: List[Tuple[str, int]] = []  # (id, byte offset where the row ends)
        try:
            for row in reader:
                if rows and len(row) != len(self.columns):
                    break
                rows.append((row[0] if row else "", line_ends[consumed - 1]))
                if len(rows) == 1 and row != self.columns:
                    raise MammoDataError(
                        "written with other columns (--include-text or --level?): cannot resume", path=self.partial
                    )
        except csv.Error:
            pass  # a quoted field cut by the kill
        return _keep_whole_reports(self.partial, rows[1:], rows[0][1] if rows else 0)

    def write(self, record: Dict[str, Any]) -> None:
        base = report_columns(record)
        if self.include_text:
            base["text"] = record["text"]
        rows = [
            {key: _csv_cell(value) for key, value in {**base, **finding}.items()}
            for finding in record["findings"] or [{}]
        ]
        self._write(self._rows(rows))


class LesionCsvOutput(CsvOutput):
    """One CSV row per lesion (`lesion_rows`; list cells joined by ";", mention offsets as "start-end")."""

    COLUMNS = LESION_COLUMNS

    def write(self, record: Dict[str, Any]) -> None:
        rows = lesion_rows(record, include_text=self.include_text)
        self._write(self._rows([{key: _csv_cell(value) for key, value in row.items()} for row in rows]))


_OUTPUTS = {
    ("jsonl", "report"): JsonlOutput,
    ("csv", "report"): CsvOutput,
    ("jsonl", "lesion"): LesionJsonlOutput,
    ("csv", "lesion"): LesionCsvOutput,
}


def open_output(
    path: PathLike,
    fmt: Optional[str] = None,
    *,
    include_text: bool = False,
    resume: bool = False,
    level: str = "report",
):
    """Open a JSONL or CSV output.

    path (PathLike): The final output path.
    fmt (Optional[str]): "jsonl" or "csv"; None: by the extension.
    include_text (bool): Records carry the report text.
    resume (bool): Continue OUT.partial.
    level (str): "report" (a JSON line per report, a CSV row per finding) or "lesion" (a line or row per lesion).
    RETURNS (JsonlOutput): The output (a CsvOutput for CSV, a LesionJsonlOutput or LesionCsvOutput per lesion).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    return _OUTPUTS[output_format(path, fmt), level](path, include_text=include_text, resume=resume)


def output_format(path: PathLike, fmt: Optional[str] = None) -> str:
    """ "jsonl" or "csv": `fmt`, or by the extension of `path`."""
    fmt = fmt or OUTPUT_FORMATS.get(Path(path).suffix.lower())
    if fmt not in ("jsonl", "csv"):
        raise ValueError(f"cannot tell the output format of {path}: use .jsonl or .csv, or give --format")
    return fmt


class ErrorLog(_PartialFile):
    """The errors JSONL: one line per report not processed (id, position, reason)."""

    def __init__(self, path: PathLike):
        super().__init__(path)
        self._open("w")

    def write(self, record: InputRecord, reason: str) -> None:
        key, position = record.where
        entry = {"id": record.id, key: position, "reason": reason}
        self._write(json.dumps(entry, ensure_ascii=False) + "\n")


def default_errors_path(out: PathLike) -> Path:
    """OUT + ".errors.jsonl"."""
    out = Path(out)
    return out.with_name(out.name + ".errors.jsonl")
