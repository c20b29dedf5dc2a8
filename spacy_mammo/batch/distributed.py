"""Batch extraction on a Dask cluster: `extract_dask(INPUT, MODEL, OUT)`.

Why Dask: its workers are plain Python processes, so a spaCy/torch pipeline
runs there as it does locally (no JVM, no serialising the model into another
runtime as Spark would need); inputs are read in pandas-sized partitions; a
`LocalCluster` gives real worker processes for tests and one machine, and the
same code runs on a real cluster.

How it works: the driver streams the input (`inputs.iter_input`), validates
it in order (`inputs.RecordChecker`: duplicate ids need one global view) and
submits partitions of `partition_size` records to the workers, at most a few
per worker at a time, so the input is never all in memory. Each worker
process loads the pipeline once (`worker_pipeline`, cached by model path) and
runs `run.partition_events` on its partition, the same code as the
single-process CLI. The driver writes the results in input order with
`run.write_events`, so the output (JSONL or CSV, with the errors file and
.partial/--resume handling) is byte-identical to that of
`python -m spacy_mammo extract`.

On a real cluster:

    from dask.distributed import Client
    client = Client("tcp://scheduler-host:8786")   # or a dask-jobqueue / dask-kubernetes cluster
    extract_dask("reports.csv", "/shared/models/mammo_ner", "out.jsonl", client=client)

Every worker needs spacy-mammo installed (`pip install spacy-mammo[distributed]`)
and the model at the same path (a shared filesystem) or installed as a package
(`spacy package`), whose name can then be given as the model. Reports travel
from the driver to the workers through the scheduler: keep the cluster on a
network you trust with patient data.
"""

import functools
import os
from collections import deque
from pathlib import Path
from typing import Any, Deque, Iterable, Iterator, List, Optional, Union

from spacy.language import Language

from ..assemble import load_pipeline
from ..extras import require
from .inputs import InputRecord, input_kind
from .memory import fix_mmap_threshold
from .run import (
    Event,
    ExtractOptions,
    ExtractSummary,
    Input,
    Output,
    chunked,
    open_run,
    output_lock,
    partition_events,
    read_input,
    write_events,
)
from .sql import SqlSource

PathLike = Union[str, Path]


@functools.lru_cache(maxsize=4)
def worker_pipeline(model: str) -> Language:
    """The pipeline of a worker process, loaded once per model path.

    model (str): A pipeline directory or package name.
    RETURNS (Language): The pipeline with negation and findings.
    """
    # A worker runs many partitions: keep its memory flat (see memory.py).
    fix_mmap_threshold()
    return load_pipeline(model)


def extract_partition(
    model: str, records: List[InputRecord], batch_size: int, include_text: bool, level: str = "report"
) -> List[Event]:
    """Run on a worker: extract one partition of validated records.

    model (str): The model path, as the workers see it.
    records (List[InputRecord]): Records passed through `RecordChecker`, in order.
    batch_size (int): `nlp.pipe` batch size.
    include_text (bool): Add the report text to the output records.
    level (str): "report", or "lesion" to add the lesion records.
    RETURNS (List[Event]): One event per record, in order, without the input text.
    """
    nlp = worker_pipeline(model)
    return partition_events(nlp, records, batch_size=batch_size, include_text=include_text, level=level)


def _dask_events(
    client,
    model: str,
    partitions: Iterable[List[InputRecord]],
    batch_size: int,
    include_text: bool,
    max_in_flight: int,
    level: str = "report",
) -> Iterator[Event]:
    futures: Deque[Any] = deque()
    try:
        for partition in partitions:
            futures.append(
                client.submit(extract_partition, model, partition, batch_size, include_text, level, pure=False)
            )
            if len(futures) >= max_in_flight:
                yield from futures.popleft().result()
        while futures:
            yield from futures.popleft().result()
    finally:
        for future in futures:
            future.cancel()


def _model_for_workers(model: PathLike) -> str:
    # A local directory is passed as an absolute path; a package name as is.
    return os.path.abspath(model) if Path(model).exists() else str(model)


def extract_dask(
    input_path: Input,
    model_path: PathLike,
    out: Output,
    client=None,
    options: Optional[ExtractOptions] = None,
    *,
    partition_size: int = 256,
) -> ExtractSummary:
    """Extract entities and findings of every report of `input_path` on Dask;
    the output equals that of `run.extract_file` with the same options.

    input_path (Input): CSV, Parquet, JSONL, a folder of .txt files or an `sql.SqlSource` (read by the driver).
    model_path (PathLike): A mammo_ner pipeline, at a path every worker can read, or a package name.
    out (Output): The .jsonl or .csv output or an `sql.SqlTable` (written by the driver).
    client (Optional[distributed.Client]): The cluster; None starts a LocalCluster
        of worker processes for this call.
    options (Optional[ExtractOptions]): As for `extract_file` (`n_process` is not used:
        each worker is one process); None: the defaults.
    partition_size (int): Reports per task.
    RETURNS (ExtractSummary): The counts.
    """
    require("dask.distributed", "distributed", "extraction on a Dask cluster")
    from dask.distributed import Client, LocalCluster

    options = options or ExtractOptions()
    if partition_size < 1:
        raise ValueError("partition_size must be positive")
    if not isinstance(input_path, SqlSource):
        input_kind(input_path)
    model = _model_for_workers(model_path)
    with output_lock(out, options):
        records = read_input(input_path, options)
        own_client = client is None
        if own_client:
            client = Client(LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None))
        try:
            n_workers = max(1, len(client.scheduler_info().get("workers", {})))
            output, errors, checked = open_run(records, out, options)
            events = _dask_events(
                client,
                model,
                chunked(checked, partition_size),
                options.batch_size,
                options.include_text,
                max_in_flight=2 * n_workers,
                level=options.level,
            )
            return write_events(events, output, errors, flush_every=options.batch_size, progress=options.progress)
        finally:
            if own_client:
                cluster = client.cluster
                client.close()
                cluster.close()
