"""Batch extraction: `python -m spacy mammo extract INPUT --model PATH --out OUT`.

Reads reports from a CSV or Parquet file (in chunks), a JSONL file (`{"id",
"text"}` per line, streamed) or a folder of .txt files (id = file stem, sorted),
runs a `mammo_ner` pipeline with negation and findings, and writes one JSONL
line per report or one CSV row per finding. Nothing holds the whole input in
memory.

Robustness:
- A report that cannot be processed (id missing, empty, not a string or
  repeated; text not a string or too long; an exception inside the pipeline)
  goes to the errors JSONL with its id, position and reason, never its text;
  the run goes on and exits with 1.
- Output goes to OUT.partial, flushed every batch, renamed to OUT at the end.
  `--resume` keeps the reports already in OUT.partial (cutting off a
  half-written tail) and skips their ids, so a killed run that is resumed
  writes exactly what an uninterrupted run writes. The errors file is rebuilt
  on every run: validation is cheap and deterministic.
"""
import csv
import itertools
import json
import os
import re
import sys
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Deque, Dict, Iterable, Iterator, List, Optional, Set, Tuple, TypeVar, Union

import pandas as pd
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import MammoDataError
from ..extensions import register_extensions
from ..extras import require
from ..rules.findings import FINDING_KEYS
from .memory import fix_mmap_threshold

register_extensions()

T = TypeVar("T")

PathLike = Union[str, Path]
MAX_TEXT_CHARS = 1_000_000
# Reports per nlp.memory_zone() in extract: bounds the vocab's growth.
ZONE_SIZE = 5000
DEFAULT_CHUNKSIZE = 10_000
OUTPUT_FORMATS = {".jsonl": "jsonl", ".csv": "csv"}
REPORT_COLUMNS = ["id", "composition", "birads_right", "birads_left", "birads_overall"]
# The keys of `spacy_mammo.rules.findings.extract_findings`, in their order.
FINDING_COLUMNS = list(FINDING_KEYS)


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


# ---------------------------------------------------------------------------
# Input


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
    pq = require("pyarrow.parquet", "parquet", "reading Parquet (or give CSV or JSONL)")
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


# ---------------------------------------------------------------------------
# Pipeline


def load_pipeline(model: PathLike) -> Language:
    """Load a pipeline with `spacy.load` and add `mammo_negation` and
    `mammo_findings` after its NER when it lacks them.

    model (PathLike): A pipeline directory or installed package name.
    RETURNS (Language): The pipeline.
    """
    # Batch runs are long: keep their memory flat (see heap.py).
    fix_mmap_threshold()
    nlp = spacy.load(model)
    factories = {name: nlp.get_pipe_meta(name).factory for name in nlp.pipe_names}
    ner = [name for name, factory in factories.items() if factory in ("mammo_ner", "ner")]
    if not ner:
        raise ValueError(f"{model}: the pipeline has no mammo_ner component")
    if "mammo_negation" not in factories.values():
        nlp.add_pipe("mammo_negation", after=ner[-1])
    if "mammo_findings" not in factories.values():
        negation = [name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory == "mammo_negation"]
        nlp.add_pipe("mammo_findings", after=negation[-1])
    return nlp


def doc_record(doc: Doc, report_id: str, *, include_text: bool = False) -> Dict[str, Any]:
    """The output record of one processed report.

    doc (Doc): The doc, after mammo_negation and mammo_findings.
    report_id (str): The report's id.
    include_text (bool): Add the report text (patient data).
    RETURNS (Dict[str, Any]): {"id", "entities", "findings", "report"} (+ "text").
    """
    record: Dict[str, Any] = {
        "id": report_id,
        "entities": [
            {
                "start": ent.start_char,
                "end": ent.end_char,
                "label": ent.label_,
                "negated": bool(ent._.negated),
                "uncertain": bool(ent._.uncertain),
            }
            for ent in doc.ents
        ],
        "findings": doc._.findings or [],
        "report": doc._.report or {},
    }
    if include_text:
        record["text"] = doc.text
    return record


def _describe_error(err: Exception) -> str:
    # Exception messages may quote the text; only our own error type promises not to.
    return str(err) if isinstance(err, MammoDataError) else type(err).__name__


def process_one(nlp: Language, text: str) -> Tuple[Optional[Doc], Optional[str]]:
    """Run the pipeline on one text, component by component, so that a failure
    names its component.

    nlp (Language): The pipeline.
    text (str): The report text.
    RETURNS (Tuple[Optional[Doc], Optional[str]]): (doc, None), or (None, reason).
    """
    try:
        doc = nlp.make_doc(text)
    except Exception as err:
        return None, f"pipeline error in the tokenizer: {_describe_error(err)}"
    for name, proc in nlp.pipeline:
        try:
            doc = proc(doc)
        except Exception as err:
            return None, f"pipeline error in {name}: {_describe_error(err)}"
    return doc, None


Event = Tuple[InputRecord, Optional[Dict[str, Any]], Optional[str]]


def drop_failed_docs(proc_name: str, proc: Any, docs: List[Doc], err: Exception) -> None:
    """Error handler for `nlp.pipe`: failed docs are left out of the stream;
    `pipe_records` notices the gap and runs them one by one.
    """


def pipe_records(
    nlp: Language,
    records: Iterable[InputRecord],
    *,
    batch_size: int = 64,
    n_process: int = 1,
    include_text: bool = False,
) -> Iterator[Event]:
    """Run the pipeline over validated records with `nlp.pipe`, in input order.

    A component that raises loses its batch (`drop_failed_docs`); the reports
    missing from the stream are then run one by one to isolate the failing
    one. An exception no handler covers (the tokenizer) ends the `nlp.pipe`
    stream: the reports in flight are run one by one and a new stream takes
    the rest of the input.

    nlp (Language): The pipeline (from `load_pipeline`); its error handler is
        restored at the end.
    records (Iterable[InputRecord]): Records passed through `RecordChecker`.
    batch_size (int): Batch size of `nlp.pipe`.
    n_process (int): Processes of `nlp.pipe`.
    include_text (bool): Add the report text to the output records.
    YIELDS (Tuple[InputRecord, Optional[dict], Optional[str]]): One event per
        record: (record, output, None) when processed, (record, None, reason)
        when not, (record, None, None) when skipped on resume.
    """
    records = iter(records)
    in_flight: Deque[InputRecord] = deque()
    input_errors: List[BaseException] = []

    def feed() -> Iterator[Tuple[str, Tuple[str, Union[int, str]]]]:
        # Errors of the input itself are fatal: keep them apart from pipeline errors.
        while True:
            try:
                record = next(records)
            except StopIteration:
                return
            except Exception as err:
                input_errors.append(err)
                return
            in_flight.append(record)
            if record.processable:
                # The context is the position: it comes back from n_process workers as a copy.
                yield record.text, record.where

    def settle(record: InputRecord) -> Event:
        """The event of a record that did not come out of the stream."""
        if not record.processable:
            return record, None, record.problem
        doc, reason = process_one(nlp, record.text)
        return record, None if doc is None else doc_record(doc, record.id, include_text=include_text), reason

    # Raising from a handler inside an n_process worker can deadlock spaCy's
    # worker protocol; dropping the docs cannot.
    previous_handler = nlp.default_error_handler
    nlp.set_error_handler(drop_failed_docs)
    try:
        while True:
            docs = nlp.pipe(feed(), batch_size=batch_size, n_process=n_process, as_tuples=True)
            while True:
                try:
                    doc, where = next(docs)
                except StopIteration:
                    while in_flight:
                        yield settle(in_flight.popleft())
                    if input_errors:
                        raise input_errors[0]
                    return
                except Exception:
                    if input_errors or not any(r.processable for r in in_flight):
                        raise
                    while in_flight:
                        yield settle(in_flight.popleft())
                    break
                while in_flight and in_flight[0].where != where:
                    yield settle(in_flight.popleft())
                if not in_flight:
                    raise RuntimeError(f"nlp.pipe returned a doc for {where} that was not sent")
                record = in_flight.popleft()
                yield record, doc_record(doc, record.id, include_text=include_text), None
    finally:
        nlp.set_error_handler(previous_handler)


# ---------------------------------------------------------------------------
# Output


def _partial_path(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def _complete_lines(partial: Path) -> Tuple[bytes, List[int]]:
    """Cut a half-written last line off `partial`; return its content and the
    byte offset where each line starts.
    """
    data = partial.read_bytes()
    end = data.rfind(b"\n") + 1
    if end < len(data):
        with partial.open("r+b") as file_:
            file_.truncate(end)
        data = data[:end]
    starts = [0] + [m.end() for m in re.finditer(b"\n", data)][:-1] if data else []
    return data, starts


class _PartialFile:
    """A text file written as OUT.partial and renamed to OUT only by `commit`."""

    def __init__(self, path: PathLike):
        self.path = Path(path)
        self.partial = _partial_path(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def flush(self) -> None:
        self.file.flush()

    def commit(self) -> None:
        """Close and rename OUT.partial to OUT."""
        self.file.close()
        os.replace(self.partial, self.path)

    def close(self) -> None:
        """Close without renaming (the partial output stays for --resume)."""
        self.file.close()


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
            self.file = self.partial.open("a", encoding="utf-8")
        else:
            self.file = self.partial.open("w", encoding="utf-8")

    def _recover(self) -> Set[str]:
        data, starts = _complete_lines(self.partial)
        done = set()
        for number, line in enumerate(data.decode("utf-8").split("\n")[:-1], 1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                raise MammoDataError("not valid JSON: cannot resume", path=self.partial, line=number) from None
            if ("text" in record) != self.include_text:
                raise MammoDataError("written with another --include-text: cannot resume", path=self.partial)
            done.add(record["id"])
        return done

    def write(self, record: Dict[str, Any]) -> None:
        self.file.write(json.dumps(record, ensure_ascii=False) + "\n")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


class CsvOutput(JsonlOutput):
    """One CSV row per finding; a report without findings gets one row with
    empty finding columns. Report-level values repeat on each row.
    """

    def __init__(self, path: PathLike, *, include_text: bool = False, resume: bool = False):
        self.columns = REPORT_COLUMNS + FINDING_COLUMNS + (["text"] if include_text else [])
        super().__init__(path, include_text=include_text, resume=resume)
        self.writer = csv.DictWriter(self.file, fieldnames=self.columns, lineterminator="\n")
        if self.file.tell() == 0:
            self.writer.writeheader()

    def _recover(self) -> Set[str]:
        # A report's rows are contiguous and the last report may lack some:
        # drop its rows too, it is processed again.
        data, starts = _complete_lines(self.partial)
        lines = data.decode("utf-8").split("\n")[:-1]
        reader = csv.reader(line + "\n" for line in lines)
        rows: List[Tuple[str, int]] = []
        try:
            line_index = 0
            for row in reader:
                rows.append((row[0] if row else "", starts[line_index]))
                line_index = reader.line_num
        except csv.Error:
            pass
        if not rows or next(csv.reader([lines[0] + "\n"])) != self.columns:
            if rows:
                raise MammoDataError("written with other columns (--include-text?): cannot resume", path=self.partial)
            return set()
        ids = rows[1:]
        keep = len(ids)
        while keep > 0 and ids[keep - 1][0] == ids[-1][0]:
            keep -= 1
        cut = ids[keep][1] if keep < len(ids) else len(data)
        with self.partial.open("r+b") as file_:
            file_.truncate(cut)
        return {report_id for report_id, _ in ids[:keep]}

    def write(self, record: Dict[str, Any]) -> None:
        birads = record["report"].get("birads") or {}
        base = {
            "id": record["id"],
            "composition": record["report"].get("composition"),
            "birads_right": birads.get("right"),
            "birads_left": birads.get("left"),
            "birads_overall": birads.get("overall"),
        }
        if self.include_text:
            base["text"] = record["text"]
        for finding in record["findings"] or [{}]:
            row = {**base, **finding}
            self.writer.writerow({key: _csv_cell(value) for key, value in row.items()})


def open_output(path: PathLike, fmt: Optional[str] = None, *, include_text: bool = False, resume: bool = False):
    """Open a JSONL or CSV output.

    path (PathLike): The final output path.
    fmt (Optional[str]): "jsonl" or "csv"; None: by the extension.
    include_text (bool): Records carry the report text.
    resume (bool): Continue OUT.partial.
    RETURNS (JsonlOutput): The output (a CsvOutput for CSV).
    """
    fmt = fmt or OUTPUT_FORMATS.get(Path(path).suffix.lower())
    if fmt not in ("jsonl", "csv"):
        raise ValueError(f"cannot tell the output format of {path}: use .jsonl or .csv, or give --format")
    cls = CsvOutput if fmt == "csv" else JsonlOutput
    return cls(path, include_text=include_text, resume=resume)


class ErrorLog(_PartialFile):
    """The errors JSONL: one line per report not processed (id, position, reason)."""

    def __init__(self, path: PathLike):
        super().__init__(path)
        self.file = self.partial.open("w", encoding="utf-8")

    def write(self, record: InputRecord, reason: str) -> None:
        key, position = record.where
        entry = {"id": record.id, key: position, "reason": reason}
        self.file.write(json.dumps(entry, ensure_ascii=False) + "\n")


@dataclass
class ExtractSummary:
    """Counts of one extraction run."""

    read: int = 0
    written: int = 0
    errors: int = 0
    resumed: int = 0
    findings: int = 0
    out: Optional[Path] = None
    errors_path: Optional[Path] = None

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def __str__(self) -> str:
        return (
            f"reports: {self.read} read, {self.written} written, {self.resumed} kept from a previous run, "
            f"{self.errors} errors; findings: {self.findings} -> {self.out} (errors: {self.errors_path})"
        )


def write_events(
    events: Iterable[Event],
    output: JsonlOutput,
    errors: ErrorLog,
    *,
    flush_every: int = 64,
    progress: bool = True,
) -> ExtractSummary:
    """Write extraction events to the output and the errors log, flushing both
    every `flush_every` reports, and rename both into place at the end. On an
    exception both stay as .partial files.

    events (Iterable[Event]): From `pipe_records`, in input order.
    output (JsonlOutput): The output.
    errors (ErrorLog): The errors log.
    flush_every (int): Reports between flushes.
    progress (bool): Show a progress bar (counts only) on stderr.
    RETURNS (ExtractSummary): The counts.
    """
    from tqdm import tqdm

    summary = ExtractSummary(out=output.path, errors_path=errors.path)
    bar = tqdm(unit=" reports", file=sys.stderr, disable=not progress, mininterval=0.5)
    try:
        for record, result, reason in events:
            summary.read += 1
            if result is not None:
                output.write(result)
                summary.written += 1
                summary.findings += len(result["findings"])
            elif reason is not None:
                errors.write(record, reason)
                summary.errors += 1
                bar.set_postfix(errors=summary.errors, refresh=False)
            else:
                summary.resumed += 1
            bar.update(1)
            if summary.read % flush_every == 0:
                output.flush()
                errors.flush()
    except BaseException:
        output.close()
        errors.close()
        raise
    finally:
        bar.close()
    output.commit()
    errors.commit()
    return summary


def default_errors_path(out: PathLike) -> Path:
    """OUT + ".errors.jsonl"."""
    out = Path(out)
    return out.with_name(out.name + ".errors.jsonl")


def extract_file(
    input_path: PathLike,
    model: PathLike,
    out: PathLike,
    *,
    fmt: Optional[str] = None,
    id_column: str = "id",
    text_column: str = "text",
    batch_size: int = 64,
    n_process: int = 1,
    errors_path: Optional[PathLike] = None,
    resume: bool = False,
    include_text: bool = False,
    chunksize: int = DEFAULT_CHUNKSIZE,
    max_chars: int = MAX_TEXT_CHARS,
    progress: bool = True,
) -> ExtractSummary:
    """Extract entities and findings of every report of `input_path` into `out`.

    input_path (PathLike): CSV, Parquet, JSONL or a folder of .txt files.
    model (PathLike): A mammo_ner pipeline (directory or package).
    out (PathLike): The .jsonl or .csv output.
    fmt (Optional[str]): "jsonl" or "csv"; None: by the extension of `out`.
    id_column (str): CSV/Parquet id column.
    text_column (str): CSV/Parquet text column.
    batch_size (int): `nlp.pipe` batch size; also the flush interval.
    n_process (int): `nlp.pipe` processes.
    errors_path (Optional[PathLike]): The errors JSONL; None: OUT + ".errors.jsonl".
    resume (bool): Keep the reports in OUT.partial and skip their ids.
    include_text (bool): Put the report text in the output (patient data).
    chunksize (int): CSV/Parquet rows read at a time.
    max_chars (int): Longest text processed, at most `nlp.max_length`; longer ones go to the errors.
    progress (bool): Progress bar on stderr.
    RETURNS (ExtractSummary): The counts.
    """
    input_kind(input_path)  # fail before loading the model
    nlp = load_pipeline(model)
    output, errors, records = open_run(
        input_path, out, fmt=fmt, id_column=id_column, text_column=text_column, errors_path=errors_path,
        resume=resume, include_text=include_text, chunksize=chunksize,
        # Longer texts would make the tokenizer raise (spaCy's E088).
        max_chars=min(max_chars, nlp.max_length),
    )
    events = pipe_in_memory_zones(nlp, records, batch_size=batch_size, n_process=n_process, include_text=include_text)
    return write_events(events, output, errors, flush_every=batch_size, progress=progress)


def open_run(
    input_path: PathLike,
    out: PathLike,
    *,
    fmt: Optional[str],
    id_column: str,
    text_column: str,
    errors_path: Optional[PathLike],
    resume: bool,
    include_text: bool,
    chunksize: int,
    max_chars: int,
) -> Tuple["JsonlOutput", "ErrorLog", Iterator[InputRecord]]:
    """The output, the errors file and the validated input records of one extraction run.

    Shared by `extract_file` and `distributed.extract_dask`; the arguments are theirs.
    RETURNS (Tuple[JsonlOutput, ErrorLog, Iterator[InputRecord]]): The output (a CsvOutput
        for CSV), the errors file and the records, read lazily.
    """
    output = open_output(out, fmt, include_text=include_text, resume=resume)
    errors = ErrorLog(errors_path or default_errors_path(out))
    checker = RecordChecker(max_chars=max_chars, done_ids=output.done_ids)
    records = map(checker, iter_input(input_path, id_column=id_column, text_column=text_column, chunksize=chunksize))
    return output, errors, records


def pipe_in_memory_zones(
    nlp: Language, records: Iterable["InputRecord"], *, zone_size: int = ZONE_SIZE, **kwargs
) -> Iterator["Event"]:
    """`pipe_records` over chunks of `zone_size` records, each inside `nlp.memory_zone()`.

    The strings and lexemes that one chunk's reports add to the vocab are freed
    when the chunk is done, so memory stays flat however long the input is. The
    events are plain dicts, never docs, so nothing outlives its zone.
    """
    for chunk in chunked(records, zone_size):
        with nlp.memory_zone():
            yield from pipe_records(nlp, chunk, **kwargs)


def chunked(items: Iterable[T], size: int) -> Iterator[List[T]]:
    """Consecutive lists of `size` items (the last may be shorter), read lazily."""
    items = iter(items)
    while True:
        chunk = list(itertools.islice(items, size))
        if not chunk:
            return
        yield chunk
