"""The `extract` run: `python -m spacy mammo extract INPUT --model PATH --out OUT` (spacy_mammo/cli/extract.py).

Reads reports (`inputs`), runs a `mammo_ner` pipeline with negation and
findings over them with `nlp.pipe`, one `nlp.memory_zone()` per chunk (with
`--n-process`, in forked workers that send back output records: `pool_events`), and
writes one JSONL line per report or one CSV row per finding, or at level
"lesion" one line or row per lesion (`outputs`).
Nothing holds the whole input in memory.

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

import itertools
import logging
import multiprocessing
import os
import sys
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Deque, Dict, Iterable, Iterator, List, Optional, Tuple, TypeVar, Union

from spacy.language import Language
from spacy.tokens import Doc

from ..assemble import load_pipeline
from ..errors import MammoDataError
from ..extensions import register_extensions
from ..rules.lesions import lesion_records
from .inputs import DEFAULT_CHUNKSIZE, MAX_TEXT_CHARS, InputRecord, RecordChecker, input_kind, iter_input
from .interrupts import Interrupted
from .memory import fix_mmap_threshold
from .outputs import (
    LEVELS,
    ErrorLog,
    JsonlOutput,
    OutputLock,
    check_output_path,
    default_errors_path,
    open_output,
    output_format,
    partial_path,
)
from .sql import SqlErrorLog, SqlOutput, SqlSource, SqlTable, iter_sql, sql_lock

register_extensions()
logger = logging.getLogger(__name__)

T = TypeVar("T")
PathLike = Union[str, Path]
Input = Union[str, Path, SqlSource]
Output = Union[str, Path, SqlTable]
# Reports per nlp.memory_zone() in extract: bounds the vocab's growth.
ZONE_SIZE = 5000
# nlp.pipe batch size of extract (spaCy's own default): with the heap fixed by memory.py,
# 64 was 11% slower for the same bytes (benchmarks/results_pipeline_speed.md).
BATCH_SIZE = 256


def doc_record(doc: Doc, report_id: str, *, include_text: bool = False, level: str = "report") -> Dict[str, Any]:
    """The output record of one processed report.

    doc (Doc): The doc, after mammo_negation and mammo_findings.
    report_id (str): The report's id.
    include_text (bool): Add the report text (patient data).
    level (str): "report", or "lesion" to add the lesion records (`doc._.lesions`).
    RETURNS (Dict[str, Any]): {"id", "entities", "findings", "report"} (+ "lesions", "text").
    """
    entities = []
    for ent in doc.ents:
        flags = ent._  # one Underscore per entity, not one per flag
        entities.append(
            {
                "start": ent.start_char,
                "end": ent.end_char,
                "label": ent.label_,
                "negated": bool(flags.negated),
                "uncertain": bool(flags.uncertain),
            }
        )
    record: Dict[str, Any] = {
        "id": report_id,
        "entities": entities,
        "findings": doc._.findings or [],
        "report": doc._.report or {},
    }
    if level == "lesion":
        record["lesions"] = lesion_records(doc)
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
    batch_size: int = BATCH_SIZE,
    n_process: int = 1,
    include_text: bool = False,
    level: str = "report",
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
    level (str): "report", or "lesion" to add the lesion records.
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
        output = None if doc is None else doc_record(doc, record.id, include_text=include_text, level=level)
        return record, output, reason

    # Raising from a handler inside an n_process worker can deadlock spaCy's
    # worker protocol; dropping the docs cannot.
    previous_handler = nlp.default_error_handler
    nlp.set_error_handler(drop_failed_docs)  # type: ignore[arg-type]  # spaCy's stub wants a handler that raises
    docs: Any = None  # nlp.pipe's generator, closed in `finally`
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
                yield record, doc_record(doc, record.id, include_text=include_text, level=level), None
    finally:
        if docs is not None:
            # Stops n_process workers now (spaCy sends them the end of work), not when collected.
            docs.close()
        nlp.set_error_handler(previous_handler)


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
    flush_every: int = BATCH_SIZE,
    progress: bool = True,
) -> ExtractSummary:
    """Write extraction events to the output and the errors log, flushing both
    every `flush_every` reports, and rename both into place at the end. On an
    exception both stay as .partial files (deleted when they hold no record);
    an `Interrupted` carries the counts so far.

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
        output.commit()
        errors.commit()
    except BaseException as err:
        output.close()
        errors.close()
        if isinstance(err, Interrupted):
            err.summary = summary
        raise
    finally:
        bar.close()
        close = getattr(events, "close", None)
        if close is not None:
            close()  # ends the pipeline's generators (and n_process workers) on any exit
    return summary


@dataclass
class ExtractOptions:
    """How `extract_file` and `distributed.extract_dask` read, run and write.

    fmt (Optional[str]): "jsonl" or "csv"; None: by the extension of OUT.
    level (str): "report" (a JSON line per report, a CSV or table row per finding) or
        "lesion" (a line or row per lesion of `doc._.lesions`).
    id_column (str): CSV/Parquet id column.
    text_column (str): CSV/Parquet text column.
    batch_size (int): `nlp.pipe` batch size; also the flush interval.
    n_process (int): Processes (`extract_file`: forked workers, see `pool_events`; Dask runs one per worker).
    errors_path (Optional[PathLike]): The errors JSONL; None: OUT + ".errors.jsonl".
    resume (bool): Keep the reports in OUT.partial and skip their ids.
    overwrite (bool): Replace an existing OUT (refused otherwise).
    include_text (bool): Put the report text in the output (patient data).
    chunksize (int): Parquet and SQL rows read at a time.
    max_chars (int): Longest text processed (at most `nlp.max_length`); longer ones go to the errors.
    follow_symlinks (bool): Read symbolic links in a folder input (never to outside it).
    progress (bool): Progress bar (counts only) on stderr.
    """

    fmt: Optional[str] = None
    level: str = "report"
    id_column: str = "id"
    text_column: str = "text"
    batch_size: int = BATCH_SIZE
    n_process: int = 1
    errors_path: Optional[PathLike] = None
    resume: bool = False
    overwrite: bool = False
    include_text: bool = False
    chunksize: int = DEFAULT_CHUNKSIZE
    max_chars: int = MAX_TEXT_CHARS
    follow_symlinks: bool = False
    progress: bool = True

    def __post_init__(self) -> None:
        if self.batch_size < 1 or self.chunksize < 1 or self.n_process == 0 or self.max_chars < 1:
            raise ValueError("batch_size, chunksize and max_chars must be positive, n_process non-zero")
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, not {self.level!r}")


@contextmanager
def output_lock(out: Output, options: ExtractOptions) -> Iterator[Any]:
    """Hold OUT's lock for a run and check, before any work, that OUT and the
    errors file may be written (see `outputs.check_output_path`, `sql.check_table`).

    out (Output): The output file or `SqlTable`.
    options (ExtractOptions): The run's options.
    YIELDS (Any): The lock, held until the block ends.
    """
    lock_cm: Any
    if isinstance(out, SqlTable):
        lock_cm = sql_lock(out, resume=options.resume, overwrite=options.overwrite)
    else:
        output_format(out, options.fmt)
        lock_cm = OutputLock(out)
    with lock_cm as lock:
        if lock.stale_pid is not None:
            logger.warning("%s: took over the lock of process %d, which no longer runs", out, lock.stale_pid)
        if not isinstance(out, SqlTable):
            check_output_path(out, resume=options.resume, overwrite=options.overwrite)
            check_output_path(errors_path(out, options), overwrite=True)
        yield lock


def errors_path(out: PathLike, options: ExtractOptions) -> Path:
    """The run's errors file: `options.errors_path` or OUT + ".errors.jsonl"."""
    return Path(options.errors_path) if options.errors_path else default_errors_path(out)


def read_input(input_path: Input, options: ExtractOptions) -> Iterator[InputRecord]:
    """The input's records (`inputs.iter_input` or `sql.iter_sql` with the run's options); a bad input raises here."""
    if isinstance(input_path, SqlSource):
        return iter_sql(
            input_path, id_column=options.id_column, text_column=options.text_column, chunksize=options.chunksize
        )
    return iter_input(
        input_path,
        id_column=options.id_column,
        text_column=options.text_column,
        chunksize=options.chunksize,
        follow_symlinks=options.follow_symlinks,
    )


def extract_file(
    input_path: Input, model: Union[PathLike, Language], out: Output, options: Optional[ExtractOptions] = None
) -> ExtractSummary:
    """Extract entities and findings of every report of `input_path` into `out`.

    The input, the output path and OUT's lock are checked before the model loads.

    input_path (Input): CSV, Parquet, JSONL, a folder of .txt files, or a `sql.SqlSource`.
    model (Union[PathLike, Language]): A mammo_ner pipeline (directory or package), or
        one already loaded with `assemble.load_pipeline`.
    out (Output): The .jsonl or .csv output, or a `sql.SqlTable`.
    options (Optional[ExtractOptions]): How to read, run and write; None: the defaults.
    RETURNS (ExtractSummary): The counts.
    """
    options = options or ExtractOptions()
    if not isinstance(input_path, SqlSource):
        input_kind(input_path)
    with output_lock(out, options):
        records = read_input(input_path, options)
        # Batch runs are long: keep their memory flat (see memory.py).
        fix_mmap_threshold()
        nlp = model if isinstance(model, Language) else load_pipeline(model)
        # Longer texts would make the tokenizer raise (spaCy's E088).
        max_chars = min(options.max_chars, nlp.max_length)
        output, errors, checked = open_run(records, out, options, max_chars=max_chars)
        events = extract_events(
            nlp,
            checked,
            batch_size=options.batch_size,
            n_process=options.n_process,
            include_text=options.include_text,
            level=options.level,
        )
        return write_events(events, output, errors, flush_every=options.batch_size, progress=options.progress)


def open_run(
    records: Iterable[InputRecord], out: Output, options: ExtractOptions, *, max_chars: Optional[int] = None
) -> Tuple[JsonlOutput, ErrorLog, Iterator[InputRecord]]:
    """The output, the errors file and the validated records of one extraction run.

    Shared by `extract_file` and `distributed.extract_dask`, inside `output_lock`.
    records (Iterable[InputRecord]): From `read_input`.
    out (Output): The output file or `SqlTable`.
    options (ExtractOptions): The run's options.
    max_chars (Optional[int]): Longest text accepted; None: `options.max_chars`.
    RETURNS (Tuple[JsonlOutput, ErrorLog, Iterator[InputRecord]]): The output (a CsvOutput
        for CSV, an SqlOutput for a table), the errors file (or table) and the records, read lazily.
    """
    if isinstance(out, SqlTable):
        output: Any = SqlOutput(
            out,
            include_text=options.include_text,
            resume=options.resume,
            overwrite=options.overwrite,
            level=options.level,
        )
        errors: Any = SqlErrorLog(out)
    else:
        output = open_output(
            out, options.fmt, include_text=options.include_text, resume=options.resume, level=options.level
        )
        errors = ErrorLog(errors_path(out, options))
    checker = RecordChecker(max_chars=max_chars or options.max_chars, done_ids=output.done_ids)
    return output, errors, map(checker, records)


def pipe_in_memory_zones(
    nlp: Language, records: Iterable[InputRecord], *, zone_size: int = ZONE_SIZE, **kwargs
) -> Iterator[Event]:
    """`pipe_records` over chunks of `zone_size` records, each inside `nlp.memory_zone()`.

    The strings and lexemes that one chunk's reports add to the vocab are freed
    when the chunk is done, so memory stays flat however long the input is. The
    events are plain dicts, never docs, so nothing outlives its zone.
    """
    for chunk in chunked(records, zone_size):
        with nlp.memory_zone():
            yield from pipe_records(nlp, chunk, **kwargs)


def partition_events(
    nlp: Language,
    records: List[InputRecord],
    *,
    batch_size: int = BATCH_SIZE,
    include_text: bool = False,
    level: str = "report",
) -> List[Event]:
    """Extract one partition of validated records in a memory zone of its own (what a worker
    process does with each task: it lives for many).

    nlp (Language): The pipeline.
    records (List[InputRecord]): Records passed through `RecordChecker`, in order.
    batch_size (int): `nlp.pipe` batch size.
    include_text (bool): Add the report text to the output records.
    level (str): "report", or "lesion" to add the lesion records.
    RETURNS (List[Event]): One event per record, in order, the records without their text
        (no need to send it back).
    """
    with nlp.memory_zone():
        events = list(pipe_records(nlp, records, batch_size=batch_size, include_text=include_text, level=level))
    for record, _, _ in events:
        record.text = None
    return events


# The pipeline of the worker processes that `pool_events` forks: set before they fork, so each
# has it without loading or pickling it.
_POOL_NLP: Optional[Language] = None


def _pool_partition(records: List[InputRecord], batch_size: int, include_text: bool, level: str) -> List[Event]:
    assert _POOL_NLP is not None, "a pool_events worker runs in a process forked with the pipeline set"
    return partition_events(_POOL_NLP, records, batch_size=batch_size, include_text=include_text, level=level)


def pool_events(
    nlp: Language,
    records: Iterable[InputRecord],
    *,
    n_process: int,
    batch_size: int = BATCH_SIZE,
    include_text: bool = False,
    level: str = "report",
) -> Iterator[Event]:
    """`partition_events` of each batch of records in `n_process` forked worker processes, in input order.

    The workers send back output records, not docs: `nlp.pipe(n_process=...)` serialises each
    Doc with its findings twice (about 2 ms a report each way), in the main process too. At
    most two batches per worker are in flight, so the input is read as the output is written.
    A worker ignores SIGINT and SIGTERM and dies with the main process (`interrupts`); when
    the run stops, the batches not started are cancelled.

    nlp (Language): The pipeline (from `load_pipeline`).
    records (Iterable[InputRecord]): Records passed through `RecordChecker`.
    n_process (int): Worker processes; -1 for one per CPU.
    batch_size (int): Records per task (and `nlp.pipe` batch size in the workers).
    include_text (bool): Add the report text to the output records.
    level (str): "report", or "lesion" to add the lesion records.
    YIELDS (Event): As `pipe_records`, the records without their text.
    """
    global _POOL_NLP
    n_workers = (os.cpu_count() or 1) if n_process == -1 else n_process
    _POOL_NLP = nlp
    executor = ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("fork"))
    futures: Deque[Any] = deque()
    try:
        for chunk in chunked(records, batch_size):
            futures.append(executor.submit(_pool_partition, chunk, batch_size, include_text, level))
            if len(futures) >= 2 * n_workers:
                yield from futures.popleft().result()
        while futures:
            yield from futures.popleft().result()
    except BrokenProcessPool:
        # An OSError: the run could not go on (exit 2); what is written so far is resumable.
        raise OSError(
            "an extract worker process died (killed by the system? out of memory?): run again with --resume"
        ) from None
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
        _POOL_NLP = None


def extract_events(nlp: Language, records: Iterable[InputRecord], *, n_process: int = 1, **kwargs) -> Iterator[Event]:
    """The events of a run: `pipe_in_memory_zones` in this process, or `pool_events` with
    `n_process` != 1 where processes can be forked (else `nlp.pipe`'s own processes)."""
    if n_process != 1 and "fork" in multiprocessing.get_all_start_methods():
        return pool_events(nlp, records, n_process=n_process, **kwargs)
    return pipe_in_memory_zones(nlp, records, n_process=n_process, **kwargs)


def chunked(items: Iterable[T], size: int) -> Iterator[List[T]]:
    """Consecutive lists of `size` items (the last may be shorter), read lazily."""
    items = iter(items)
    while True:
        chunk = list(itertools.islice(items, size))
        if not chunk:
            return
        yield chunk


def interrupted_message(err: Interrupted, out: Output) -> str:
    """The one line printed when a signal stops a run."""
    done = err.summary
    if done is None or done.written + done.resumed == 0:
        return f"interrupted by {err}: nothing written yet"
    where = out if isinstance(out, SqlTable) else partial_path(Path(out))
    return (
        f"interrupted by {err}: {done.written + done.resumed} reports in {where} "
        f"({done.errors} errors so far); run again with --resume to continue"
    )
