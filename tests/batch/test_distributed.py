"""Extraction on a local Dask cluster (2 worker processes) equals the
single-process `extract` command, byte for byte."""

import json
import os

import pandas as pd
import pytest

from spacy_mammo.batch.run import ExtractOptions

from ..conftest import REPORTS, invoke_cli, parse_markup

try:
    from dask.distributed import Client, LocalCluster
except ImportError:  # an optional extra: spacy-mammo[distributed]
    if os.environ.get("CI") == "true":
        raise
    pytest.skip('needs the distributed extra: pip install "spacy-mammo[distributed]"', allow_module_level=True)

from spacy_mammo.batch.distributed import extract_dask, worker_pipeline  # noqa: E402

TEXTS = [parse_markup(marked)[0] for marked in REPORTS]


@pytest.fixture(scope="module")
def model_dir(trained_nlp, tmp_path_factory):
    path = tmp_path_factory.mktemp("distributed") / "model"
    trained_nlp.to_disk(path)
    return path


@pytest.fixture(scope="module")
def client():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="module")
def records():
    good = [{"id": f"r{i}-{j}", "text": text} for j in range(2) for i, text in enumerate(TEXTS)]
    bad = [{"id": "r0-0", "text": "duplicate"}, {"id": "", "text": "no id"}, {"id": "n", "text": None}]
    return good[:5] + bad + good[5:]


def test_dask_output_equals_the_single_process_cli(client, model_dir, records, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert invoke_cli("extract", path, "--model", model_dir, "--out", tmp_path / "single.jsonl").exit_code == 1
    summary = extract_dask(path, model_dir, tmp_path / "dask.jsonl", client=client, partition_size=3)
    assert (summary.written, summary.errors, summary.exit_code) == (len(records) - 3, 3, 1)
    assert (tmp_path / "dask.jsonl").read_bytes() == (tmp_path / "single.jsonl").read_bytes()
    errors = (tmp_path / "dask.jsonl.errors.jsonl").read_bytes()
    assert errors == (tmp_path / "single.jsonl.errors.jsonl").read_bytes()
    assert [json.loads(line)["line"] for line in errors.decode().splitlines()] == [6, 7, 8]

    # The pipeline was loaded once in each worker process that got work, not once per task.
    loads = client.run(lambda: worker_pipeline.cache_info().misses)
    assert len(loads) == 2 and set(loads.values()) <= {0, 1} and sum(loads.values()) >= 1


def test_dask_csv_input_and_output(client, model_dir, records, tmp_path):
    good = [r for r in records if r["text"] and r["id"] and r["text"] != "duplicate"]
    pd.DataFrame(good).to_csv(tmp_path / "in.csv", index=False)
    assert (
        invoke_cli("extract", tmp_path / "in.csv", "--model", model_dir, "--out", tmp_path / "single.csv").exit_code
        == 0
    )
    summary = extract_dask(
        tmp_path / "in.csv",
        model_dir,
        tmp_path / "dask.csv",
        client=client,
        partition_size=4,
        options=ExtractOptions(chunksize=5, progress=False),
    )
    assert summary.exit_code == 0 and summary.written == len(good)
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "single.csv").read_bytes()


def test_dask_lesion_level_equals_the_single_process_cli(client, model_dir, records, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    single = invoke_cli("extract", path, "--model", model_dir, "--out", tmp_path / "single.csv", "--level", "lesion")
    assert single.exit_code == 1
    extract_dask(
        path,
        model_dir,
        tmp_path / "dask.csv",
        client=client,
        partition_size=3,
        options=ExtractOptions(level="lesion", progress=False),
    )
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "single.csv").read_bytes()
    assert (tmp_path / "dask.csv").read_text(encoding="utf-8").startswith("id,lesion,type,types,")
