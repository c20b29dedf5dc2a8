"""Patient text stays in the data files: a marker planted in report texts must
not reach any log, console output, training log, metrics file or error message
of convert, `spacy train` and evaluate.

`find_marker` and the training helpers here are reused by other test modules.
"""

import gzip
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Iterable, List, Sequence, Union

import pytest

from spacy_mammo.corpus.readers import records_to_docs, write_docbin
from spacy_mammo.corpus.synth import generate_reports
from spacy_mammo.tokenizer import blank_mammo_nlp

from ..conftest import TINY_MODEL

MARKER = "ZZPATIENTMARKERZZ"
ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "configs" / "mammo_ner.cfg"
# Runs several `python -m spacy_mammo` commands in one interpreter (imports are
# the slow part); an uncaught exception prints its traceback as the CLI would.
CLI_DRIVER = """
import json, sys, traceback
from spacy_mammo.cli import main
for argv in json.loads(sys.argv[1]):
    try:
        code = main(argv)
    except SystemExit as err:
        code = err.code
    except Exception:
        traceback.print_exc()
        code = "exception"
    print("exit", code, flush=True)
"""


def find_marker(paths: Iterable[Union[str, Path]] = (), texts: Iterable[str] = (), marker: str = MARKER) -> List[str]:
    """Where `marker` occurs, case-insensitively: in the files under `paths`
    (folders are searched recursively, bytes read as UTF-8 and UTF-16) and in
    `texts` (captured stdout/stderr, say).

    paths (Iterable[Union[str, Path]]): Files or folders to scan.
    texts (Iterable[str]): Strings to scan.
    marker (str): The planted string.
    RETURNS (List[str]): The files holding it and "text N" for each text that does.
    """
    needles = [marker.lower().encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    hits = []
    for root in map(Path, paths):
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            data = _decompressed(path.read_bytes()).lower()
            if any(needle in data for needle in needles):
                hits.append(str(path))
    hits.extend(f"text {i}" for i, text in enumerate(texts) if marker.lower() in text.lower())
    return hits


def _decompressed(data: bytes) -> bytes:
    """The data, with gzip or zlib streams (.gz, spaCy's .spacy DocBins) unpacked."""
    for unpack in (gzip.decompress, zlib.decompress):
        try:
            return data + unpack(data)
        except (OSError, EOFError, zlib.error):
            pass
    return data


def marked_records(n: int, seed: int, marker: str = MARKER) -> List[dict]:
    """Synthetic reports with `marker` planted before, inside and after each text
    (never inside a span)."""
    records = []
    for record in generate_reports(n, seed):
        head = f"Patient: {marker}, MRN {marker}-{record['id']}.\n"
        tail = f"\nDictated by Dr. {marker.title()}."
        shift = len(head)
        spans = [{**span, "start": span["start"] + shift, "end": span["end"] + shift} for span in record["spans"]]
        records.append({"id": record["id"], "text": head + record["text"] + tail, "spans": spans})
    return records


def write_jsonl(path: Path, records: Sequence[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def run_cli(commands: Sequence[Sequence[str]], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run `python -m spacy_mammo` commands in one subprocess; `.codes` holds
    their exit codes (an int, or "exception")."""
    result = subprocess.run(
        [sys.executable, "-c", CLI_DRIVER, json.dumps([list(map(str, c)) for c in commands])],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    codes = [line.split(" ", 1)[1] for line in result.stdout.splitlines() if line.startswith("exit ")]
    result.codes = [int(c) if c.lstrip("-").isdigit() else c for c in codes]
    assert len(result.codes) == len(commands), result.stderr[-3000:]
    return result


def spacy_train_args(
    output: Path,
    train: Path,
    dev: Path,
    log: Path,
    *,
    max_steps: int = 4,
    eval_frequency: int = 2,
    batch_words: int = 500,
    seed: int = 0,
    extra: Sequence[str] = (),
) -> List[str]:
    """`python -m spacy train` on configs/mammo_ner.cfg with the tests' tiny model."""
    overrides = {f"components.mammo_ner.model.{key}": value for key, value in TINY_MODEL.items()}
    overrides.update(
        {
            "paths.train": train,
            "paths.dev": dev,
            "paths.log": log,
            "system.seed": seed,
            "training.max_steps": max_steps,
            "training.max_epochs": 0,
            "training.eval_frequency": eval_frequency,
            "training.batcher.size": batch_words,
            "training.logger.progress_bar": "false",
        }
    )
    args = [sys.executable, "-m", "spacy", "train", str(CONFIG), "--output", str(output)]
    for key, value in overrides.items():
        args += [f"--{key}", json.dumps(value).replace(" ", "") if isinstance(value, list) else str(value)]
    return args + list(extra)


def train_env(**variables: str) -> dict:
    """The environment for a `spacy train` subprocess: one torch thread (tiny
    models gain nothing from more, and test runs share the cores)."""
    return {**os.environ, "OMP_NUM_THREADS": "1", **variables}


def write_corpus(directory: Path, n_train: int = 24, n_dev: int = 6, seed: int = 3) -> dict:
    """Marked train/dev JSONL and .spacy files in `directory` (converted in
    process; the marker test runs the convert command itself).

    RETURNS (dict): Paths "train_jsonl", "dev_jsonl", "train", "dev".
    """
    nlp = blank_mammo_nlp()
    records = marked_records(n_train + n_dev, seed)
    paths = {}
    for name, part in (("train", records[:n_train]), ("dev", records[n_train:])):
        paths[f"{name}_jsonl"] = write_jsonl(directory / f"{name}.jsonl", part)
        paths[name] = directory / f"{name}.spacy"
        write_docbin(records_to_docs(part, nlp), paths[name])
    return paths


def broken_inputs(directory: Path) -> dict:
    """Files with the marker in their text that the readers must refuse,
    by name -> path."""
    (good,) = marked_records(1, seed=11)
    cut = good["text"].index(MARKER) + 3
    inputs = {
        "span_cuts_token.jsonl": [json.dumps({**good, "spans": [{"start": cut, "end": cut + 5, "label": "MASS"}]})],
        "truncated.jsonl": [json.dumps(good)[:-40]],
        "bad_label.jsonl": [json.dumps({**good, "spans": [{"start": 0, "end": 7, "label": f"{MARKER} x"}]})],
        "duplicate.jsonl": [json.dumps(good), json.dumps(good)],
        "bad_tag.tsv": [f"{MARKER}\tB-MASS", f"{MARKER}\tB-"],
        "swapped_columns.tsv": [f"B-MASS\t{MARKER}"],
        "three_columns.tsv": [f"{MARKER}\tO\t{MARKER}"],
        "bad_tag.csv": ["sentence_id,token,tag", f"1,{MARKER},O", f"1,{MARKER},{MARKER}"],
        "unclosed_quote.csv": ["sentence_id,token,tag", f'1,"{MARKER},O', f"1,{MARKER},O"],
        "extra_field.csv": ["sentence_id,token,tag", f"1,{MARKER},O,{MARKER}"],
    }
    paths = {}
    for name, lines in inputs.items():
        paths[name] = directory / name
        paths[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


pytestmark = pytest.mark.slow  # one `spacy train` and three CLI subprocesses: about 45 s of CPU


@pytest.fixture(scope="module")
def marked_run(tmp_path_factory):
    """Convert, train (a few steps), evaluate and provoke reader errors on marked reports."""
    tmp = tmp_path_factory.mktemp("marked")
    records = marked_records(30, seed=3)
    corpus = {
        "train_jsonl": write_jsonl(tmp / "train.jsonl", records[:24]),
        "dev_jsonl": write_jsonl(tmp / "dev.jsonl", records[24:]),
        "train": tmp / "train.spacy",
        "dev": tmp / "dev.spacy",
    }
    broken = broken_inputs(tmp)
    convert = run_cli(
        [["convert", corpus["train_jsonl"], corpus["train"]], ["convert", corpus["dev_jsonl"], corpus["dev"]]]
        + [["convert", path, tmp / "refused" / f"{name}.spacy"] for name, path in broken.items()],
        tmp,
    )
    log = tmp / "logs" / "train.jsonl"
    train = subprocess.run(
        spacy_train_args(tmp / "training", corpus["train"], corpus["dev"], log),
        cwd=tmp,
        env=train_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert train.returncode == 0, train.stderr[-3000:]
    metrics = tmp / "metrics"
    model = tmp / "training" / "model-best"
    evaluate = run_cli(
        [
            ["evaluate", model, corpus["dev_jsonl"], "--out-json", metrics / "dev.json"]
            + ["--out-md", metrics / "dev.md"],
            ["evaluate", model, corpus["dev"], "--out-json", metrics / "dev_spacy.json"],
            ["evaluate", model, broken["span_cuts_token.jsonl"], "--out-json", metrics / "broken.json"],
        ],
        tmp,
    )
    return {
        "tmp": tmp,
        "corpus": corpus,
        "broken": broken,
        "runs": {"convert": convert, "train": train, "evaluate": evaluate},
        "log": log,
        "metrics": metrics,
        "model": model,
    }


def test_marker_is_planted_and_found(marked_run):
    corpus = marked_run["corpus"]
    assert find_marker([corpus["train_jsonl"], corpus["train"], corpus["dev"]]) == [
        str(corpus["train_jsonl"]),
        str(corpus["train"]),
        str(corpus["dev"]),
    ]
    assert find_marker(texts=["x", f"a {MARKER.lower()} b"]) == ["text 1"]


def test_reader_errors_name_records_not_text(marked_run):
    run = marked_run["runs"]["convert"]
    assert run.codes == [0, 0] + [1] * len(marked_run["broken"])
    for name, path in marked_run["broken"].items():
        assert f"error: {path}" in run.stderr, name
    assert not (marked_run["tmp"] / "refused").exists() or not any((marked_run["tmp"] / "refused").iterdir())
    assert find_marker(texts=[run.stdout, run.stderr]) == []


def test_no_marker_in_console_output(marked_run):
    texts = [text for run in marked_run["runs"].values() for text in (run.stdout, run.stderr)]
    assert marked_run["runs"]["train"].stdout and marked_run["runs"]["convert"].stdout
    assert find_marker(texts=texts) == []


def test_no_marker_in_training_log(marked_run):
    rows = [json.loads(line) for line in marked_run["log"].read_text(encoding="utf8").splitlines()]
    assert len(rows) >= 2
    assert find_marker([marked_run["log"].parent]) == []


def test_no_marker_in_evaluate_outputs(marked_run):
    run = marked_run["runs"]["evaluate"]
    assert run.codes == [0, 0, 1]
    assert f"error: {marked_run['broken']['span_cuts_token.jsonl']}" in run.stderr
    assert "does not match token boundaries" in run.stderr
    written = sorted(p.name for p in marked_run["metrics"].iterdir())
    assert written == ["dev.json", "dev.md", "dev_spacy.json"]
    assert find_marker([marked_run["metrics"]]) == []


def test_no_marker_in_the_trained_pipeline(marked_run):
    """spaCy would save every corpus token in vocab/strings.json; the config's
    spacy-mammo.safe_checkpoints.v1 keeps only the labels."""
    for model in (marked_run["model"], marked_run["model"].parent / "model-last"):
        assert (model / "vocab" / "strings.json").exists()
        assert find_marker([model]) == []
