"""The `extract` command: inputs (JSONL, CSV, Parquet, folder), JSONL and CSV
outputs, the errors file, isolation of pipeline failures, --resume, streaming."""

import csv
import json
import os

import pandas as pd
import pytest
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.util import minibatch

from spacy_mammo.assemble import load_pipeline
from spacy_mammo.batch import inputs
from spacy_mammo.batch import run as batch_run
from spacy_mammo.batch.inputs import InputRecord, RecordChecker, iter_input
from spacy_mammo.batch.outputs import REPORT_COLUMNS
from spacy_mammo.batch.run import doc_record
from spacy_mammo.rules.findings import FINDING_KEYS

from ..conftest import REPORTS, invoke_cli, parse_markup

TEXTS = [parse_markup(marked)[0] for marked in REPORTS]
# Appears in a report below: output on the console and in the errors file must never contain it.
SECRET = "Zyxwvut"
BOOM = "BOOM-TRIGGER"


class BatchBoom(Pipe):
    """Fails a whole batch when one of its reports holds BOOM, as a trainable
    component whose predict raises would."""

    def __init__(self, name):
        self.name = name

    def __call__(self, doc):
        if BOOM in doc.text:
            raise RuntimeError(f"failed on {doc.text}")
        return doc

    def pipe(self, docs, *, batch_size=128):
        for batch in minibatch(docs, batch_size):
            try:
                yield from [self(doc) for doc in batch]
            except Exception as err:
                self.get_error_handler()(self.name, self, batch, err)


@Language.factory("mammo_test_boom")
def make_batch_boom(nlp, name):
    return BatchBoom(name)


@pytest.fixture(scope="module")
def model_dir(trained_nlp, tmp_path_factory):
    path = tmp_path_factory.mktemp("extract") / "model"
    trained_nlp.to_disk(path)
    return path


@pytest.fixture(scope="module")
def boom_model_dir(model_dir, tmp_path_factory):
    nlp = load_pipeline(model_dir)
    nlp.add_pipe("mammo_test_boom", after="mammo_ner")
    path = tmp_path_factory.mktemp("extract") / "boom_model"
    nlp.to_disk(path)
    return path


@pytest.fixture(autouse=True)
def load_once(monkeypatch):
    """Each model is loaded for real once per module; later runs reuse it (speed)."""
    monkeypatch.setattr(batch_run, "load_pipeline", _cached_load)


_LOADED = {}


def _cached_load(model):
    if str(model) not in _LOADED:
        _LOADED[str(model)] = load_pipeline(model)
    return _LOADED[str(model)]


def good_records():
    records = [{"id": f"r{i}", "text": text} for i, text in enumerate(TEXTS)]
    records.insert(3, {"id": "empty", "text": ""})  # no entities: no findings
    records.append({"id": 42, "text": f"{SECRET} mass in the right breast."})
    return records


def bad_lines():
    return [
        json.dumps({"id": "r1", "text": f"{SECRET} duplicate"}),
        json.dumps({"id": "", "text": f"{SECRET} no id"}),
        json.dumps({"id": "num", "text": 12}),
        json.dumps({"id": "long", "text": f"{SECRET} " * 100}),
        json.dumps({"text": f"{SECRET} missing id"}),
        "{not json " + SECRET,
        json.dumps([SECRET]),
    ]


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def run(input_path, model, out, *extra):
    """`extract`: RETURNS (Result): exit_code, stdout and stderr."""
    return invoke_cli("extract", input_path, "--model", model, "--out", out, *extra)


@pytest.fixture(scope="module")
def mixed_input(tmp_path_factory):
    """Good reports with bad lines in between (the bad ones at lines 3-9)."""
    good = [json.dumps(r) for r in good_records()]
    lines = good[:2] + bad_lines() + good[2:]
    path = tmp_path_factory.mktemp("extract") / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(mixed_input, model_dir, tmp_path_factory):
    """An uninterrupted run on the mixed input, JSONL and CSV outputs."""
    folder = tmp_path_factory.mktemp("reference")
    rcs = [run(mixed_input, model_dir, folder / f"out.{fmt}", "--max-chars", 300).exit_code for fmt in ("jsonl", "csv")]
    return {"rcs": rcs, "jsonl": folder / "out.jsonl", "csv": folder / "out.csv"}


def test_jsonl_output_matches_the_pipeline(reference, model_dir):
    assert reference["rcs"] == [1, 1]  # some reports went to the errors file
    out = read_jsonl(reference["jsonl"])
    expected_ids = [str(r["id"]) for r in good_records()]
    assert [r["id"] for r in out] == expected_ids
    assert not reference["jsonl"].with_name("out.jsonl.partial").exists()
    nlp = load_pipeline(model_dir)
    assert nlp.pipe_names == ["mammo_ner", "mammo_abbreviations", "mammo_negation", "mammo_findings"]
    for record, source in zip(out, good_records()):
        assert set(record) == {"id", "entities", "findings", "report"}
        expected = json.loads(json.dumps(doc_record(nlp(source["text"]), str(source["id"]))))
        assert record == expected
    first = out[0]
    assert any(f["type"] == "MASS" and f["laterality"] == "right" for f in first["findings"])
    assert all(set(e) == {"start", "end", "label", "negated", "uncertain"} for e in first["entities"])
    assert any(e["negated"] for e in out[1]["entities"])


def test_errors_file_names_id_line_and_reason_without_text(reference):
    errors_path = reference["jsonl"].with_name("out.jsonl.errors.jsonl")
    errors = read_jsonl(errors_path)
    assert [(e["id"], e["line"]) for e in errors] == [
        ("r1", 3),
        ("", 4),
        ("num", 5),
        ("long", 6),
        (None, 7),
        (None, 8),
        (None, 9),
    ]
    reasons = [e["reason"] for e in errors]
    assert reasons[0] == "duplicate id"
    assert reasons[1] == "empty id"
    assert reasons[2] == "text is not a string (int)"
    assert reasons[3].startswith("text longer than 300 characters")
    assert reasons[4] == "missing id"
    assert reasons[5].startswith("invalid JSON")
    assert reasons[6] == "the line is not a JSON object"
    assert SECRET not in errors_path.read_text(encoding="utf-8")
    assert SECRET not in reference["jsonl"].read_text(encoding="utf-8")


def test_console_shows_counts_never_text(mixed_input, model_dir, tmp_path):
    result = run(mixed_input, model_dir, tmp_path / "out.jsonl", "--max-chars", 300)
    assert result.exit_code == 1
    assert "8 written" in result.stdout and "7 errors" in result.stdout
    assert SECRET not in result.output
    assert all(text[:20] not in result.output for text in TEXTS)


def test_csv_output_one_row_per_finding(reference):
    out = read_jsonl(reference["jsonl"])
    with reference["csv"].open(encoding="utf-8", newline="") as file_:
        rows = list(csv.DictReader(file_))
    assert list(rows[0]) == REPORT_COLUMNS + list(FINDING_KEYS)
    assert len(rows) == sum(max(1, len(r["findings"])) for r in out)
    assert [r["id"] for r in rows] == [r["id"] for r in out for _ in range(max(1, len(r["findings"])))]
    (empty,) = [row for row in rows if row["id"] == "empty"]
    assert all(empty[column] == "" for column in FINDING_KEYS)
    by_id = {}
    for row in rows:
        by_id.setdefault(row["id"], []).append(row)
    for record in out:
        for finding, row in zip(record["findings"], by_id[record["id"]]):
            assert row["type"] == finding["type"]
            assert row["locations"] == ";".join(finding["locations"])
            assert row["associated_features"] == ";".join(finding["associated_features"])
            assert row["start_char"] == str(finding["start_char"])
        birads = record["report"]["birads"]
        assert by_id[record["id"]][0]["birads_overall"] == (birads["overall"] or "")


def test_csv_and_folder_and_parquet_inputs(reference, model_dir, tmp_path):
    expected = [r for r in read_jsonl(reference["jsonl"])]
    records = [{**r, "id": str(r["id"])} for r in good_records()]
    pd.DataFrame(records).rename(columns={"id": "report_id", "text": "body"}).to_csv(tmp_path / "in.csv", index=False)
    assert (
        run(
            tmp_path / "in.csv",
            model_dir,
            tmp_path / "csv.jsonl",
            "--id-column",
            "report_id",
            "--text-column",
            "body",
            "--chunksize",
            3,
        ).exit_code
        == 0
    )
    assert read_jsonl(tmp_path / "csv.jsonl") == expected

    folder = tmp_path / "reports"
    folder.mkdir()
    for record in records:
        if record["text"]:
            (folder / f"{record['id']}.txt").write_text(record["text"], encoding="utf-8")
    (folder / "notes.md").write_text("not a report", encoding="utf-8")
    assert run(folder, model_dir, tmp_path / "folder.jsonl").exit_code == 0
    by_id = {r["id"]: r for r in expected}
    out = read_jsonl(tmp_path / "folder.jsonl")
    assert [r["id"] for r in out] == sorted(r["id"] for r in records if r["text"])
    assert all(r == by_id[r["id"]] for r in out)

    pytest.importorskip("pyarrow", reason='Parquet input needs the parquet extra: pip install "spacy-mammo[parquet]"')
    pd.DataFrame(records).to_parquet(tmp_path / "in.parquet")
    assert run(tmp_path / "in.parquet", model_dir, tmp_path / "pq.jsonl", "--chunksize", 4).exit_code == 0
    assert read_jsonl(tmp_path / "pq.jsonl") == expected


def test_bad_input_and_missing_columns_are_data_errors(model_dir, tmp_path):
    pd.DataFrame({"id": ["a"], "report": ["x"]}).to_csv(tmp_path / "in.csv", index=False)
    result = run(tmp_path / "in.csv", model_dir, tmp_path / "out.jsonl")
    assert result.exit_code == 1
    # The progress bar shares stderr; the error is one line after it, no traceback.
    expected = f"error: {tmp_path / 'in.csv'}: missing columns ['text'] (use --id-column / --text-column)"
    assert result.stderr.splitlines()[-1] == expected and "Traceback" not in result.stderr
    (tmp_path / "in.xml").write_text("<reports/>", encoding="utf-8")
    result = run(tmp_path / "in.xml", model_dir, tmp_path / "out.jsonl")
    assert result.exit_code == 1
    assert "unknown input type" in result.stderr


@pytest.mark.parametrize(
    "input_name,extra,message",
    [
        ("in.jsonl", ["--out", "out.txt"], "cannot tell the format of 'out.txt'"),
        ("in.jsonl", ["--n-process", 0], "-1 for all CPUs"),
        ("in.jsonl", ["--batch-size", 0], "'--batch-size'"),
        ("in.jsonl", ["--format", "xml"], "'xml' is not one of"),
        ("in.jsonl", ["--model", "no-such-model"], "neither a pipeline directory nor an installed pipeline package"),
        ("missing.jsonl", [], "does not exist"),
    ],
)
def test_usage_errors_exit_2_before_any_work(model_dir, tmp_path, monkeypatch, input_name, extra, message):
    """An option given twice takes its later value, so `extra` overrides the options before it."""
    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "in.jsonl", good_records())
    result = invoke_cli("extract", input_name, "--model", model_dir, "--out", "out.jsonl", *extra)
    assert result.exit_code == 2
    assert message in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


@pytest.mark.parametrize("n_process", [1, 2])
def test_pipeline_exception_isolates_the_failing_report(boom_model_dir, model_dir, tmp_path, n_process):
    records = [{"id": f"r{i}", "text": text} for i, text in enumerate(TEXTS)]
    records.insert(2, {"id": "boom", "text": f"{SECRET} {BOOM} mass."})
    write_jsonl(tmp_path / "in.jsonl", records)
    args = ("--batch-size", 4, "--n-process", n_process)
    assert run(tmp_path / "in.jsonl", boom_model_dir, tmp_path / "out.jsonl", *args).exit_code == 1
    (error,) = read_jsonl(tmp_path / "out.jsonl.errors.jsonl")
    assert error == {"id": "boom", "line": 3, "reason": "pipeline error in mammo_test_boom: RuntimeError"}
    out = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in out] == [f"r{i}" for i in range(len(TEXTS))]
    del records[2]
    write_jsonl(tmp_path / "clean.jsonl", records)
    assert run(tmp_path / "clean.jsonl", model_dir, tmp_path / "clean_out.jsonl").exit_code == 0
    assert out == read_jsonl(tmp_path / "clean_out.jsonl")


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_resume_after_a_kill_equals_an_uninterrupted_run(reference, mixed_input, model_dir, tmp_path, fmt):
    full = reference[fmt].read_bytes()
    out = tmp_path / f"out.{fmt}"
    partial = tmp_path / f"out.{fmt}.partial"
    lines = full.split(b"\n")
    # Killed mid-way through a line: complete lines, then half of the next one.
    for n_lines in (1, 3, len(lines) // 2):
        cut = len(b"\n".join(lines[:n_lines])) + 1 + len(lines[n_lines]) // 2
        partial.write_bytes(full[:cut])
        result = run(mixed_input, model_dir, out, "--resume", "--max-chars", 300)
        assert result.exit_code == 1
        assert out.read_bytes() == full
        if fmt == "jsonl":
            kept = n_lines
        else:  # the last report of the partial file may lack rows: it is redone
            ids = [row[0] for row in csv.reader(line.decode() for line in lines[1:n_lines])]
            kept = len(set(ids) - set(ids[-1:]))
        assert f"{kept} kept from a previous run" in result.stdout
        assert not partial.exists()
        errors = reference[fmt].with_name(f"out.{fmt}.errors.jsonl").read_bytes()
        assert out.with_name(f"out.{fmt}.errors.jsonl").read_bytes() == errors


def test_resume_skips_reports_already_written(reference, mixed_input, model_dir, tmp_path):
    full = reference["jsonl"].read_text(encoding="utf-8").splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.partial").write_text("".join(full[:4]), encoding="utf-8")
    result = run(mixed_input, model_dir, out, "--resume", "--max-chars", 300)
    assert result.exit_code == 1
    assert "4 kept from a previous run" in result.stdout
    # No --resume: an old partial file is overwritten, not continued (and OUT replaced only with --overwrite).
    (tmp_path / "out.jsonl.partial").write_text("".join(full[:4]), encoding="utf-8")
    assert run(mixed_input, model_dir, out, "--max-chars", 300).exit_code == 2
    assert run(mixed_input, model_dir, out, "--max-chars", 300, "--overwrite").exit_code == 1
    assert out.read_text(encoding="utf-8") == "".join(full)


def test_include_text(model_dir, tmp_path):
    write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": TEXTS[0]}])
    assert run(tmp_path / "in.jsonl", model_dir, tmp_path / "out.jsonl", "--include-text").exit_code == 0
    (record,) = read_jsonl(tmp_path / "out.jsonl")
    assert record["text"] == TEXTS[0]
    assert run(tmp_path / "in.jsonl", model_dir, tmp_path / "out.csv", "--include-text").exit_code == 0
    rows = list(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8", newline="")))
    assert rows and all(row["text"] == TEXTS[0] for row in rows)


def test_csv_input_is_streamed(tmp_path, monkeypatch):
    n_rows = 20_000
    pd.DataFrame({"id": [f"c{i}" for i in range(n_rows)], "text": [f"report {i}" for i in range(n_rows)]}).to_csv(
        tmp_path / "big.csv", index=False
    )
    opened = []
    path_open = inputs.Path.open

    def spy(self, *args, **kwargs):
        opened.append(path_open(self, *args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(inputs.Path, "open", spy)
    records = iter_input(tmp_path / "big.csv")
    first = next(records)
    assert (first.id, first.where) == ("c0", ("line", 2))
    (file_,) = opened
    assert file_.tell() < (tmp_path / "big.csv").stat().st_size / 10  # only the start has been read
    rest = list(records)
    assert [r.where for r in rest] == [("line", i) for i in range(3, n_rows + 2)]
    assert rest[-1].id == f"c{n_rows - 1}" and file_.closed


def test_record_checker():
    checker = RecordChecker(max_chars=10, done_ids={"done"})
    Record = InputRecord
    checked = [
        checker(Record(("line", i), report_id, text))
        for i, (report_id, text) in enumerate(
            [("a", "ok"), (7, "ok"), ("a", "x"), ("  ", "x"), (True, "x"), ("b", None), ("c", "x" * 11), ("done", "x")],
            1,
        )
    ]
    assert [r.problem for r in checked] == [
        None,
        None,
        "duplicate id",
        "empty id",
        "id is not a string or integer",
        "text is not a string (null)",
        "text longer than 10 characters (11)",
        None,
    ]
    assert checked[1].id == "7"
    assert [r.skip for r in checked] == [False] * 7 + [True]
    assert [r.text for r in checked] == ["ok", "ok"] + [None] * 6


def test_memory_zones_do_not_change_the_output(reference, mixed_input, model_dir, tmp_path, monkeypatch):
    """Chunks of 2 reports, each in its own nlp.memory_zone(), give the uninterrupted output and errors."""
    monkeypatch.setattr(batch_run.pipe_in_memory_zones, "__kwdefaults__", {"zone_size": 2})
    assert run(mixed_input, model_dir, tmp_path / "out.jsonl", "--max-chars", 300).exit_code == 1
    assert read_jsonl(tmp_path / "out.jsonl") == read_jsonl(reference["jsonl"])
    assert read_jsonl(tmp_path / "out.jsonl.errors.jsonl") == read_jsonl(
        reference["jsonl"].with_name("out.jsonl.errors.jsonl")
    )


def test_memory_zones_leave_the_vocab_as_it_was(model_dir):
    """The lexemes and strings that new words add inside a zone are gone after it.

    `len(nlp.vocab)` is not the measure: spaCy counts every lexeme ever added
    and never decrements the count when a zone frees them; iterating the vocab
    walks the lexemes it actually holds.
    """
    nlp = _cached_load(model_dir)
    list(nlp.pipe(["Warm-up: no suspicious mass."]))
    lexemes, strings = sum(1 for _ in nlp.vocab), len(nlp.vocab.strings)
    records = [
        InputRecord(where=("line", i + 1), id=f"r{i}", text=f"Left breast mass unseen{i}x zq{i * 7919} 1{i}mm.")
        for i in range(6)
    ]
    events = list(batch_run.pipe_in_memory_zones(nlp, records, zone_size=2, batch_size=2))
    assert len(events) == 6
    assert sum(1 for _ in nlp.vocab) == lexemes
    assert len(nlp.vocab.strings) == strings
    assert "unseen3x" not in nlp.vocab.strings


def test_batch_size_processes_and_a_loaded_pipeline_give_the_same_bytes(model_dir, tmp_path):
    """The speed-ups of extract (its batch size, a pipeline loaded once) leave the output as it was."""
    write_jsonl(tmp_path / "in.jsonl", good_records())
    for fmt in ("jsonl", "csv"):
        default = tmp_path / f"default.{fmt}"
        assert run(tmp_path / "in.jsonl", model_dir, default).exit_code == 0
        for name, extra in (("small", ["--batch-size", 2]), ("two", ["--n-process", 2, "--batch-size", 3])):
            assert run(tmp_path / "in.jsonl", model_dir, tmp_path / f"{name}.{fmt}", *extra).exit_code == 0
            assert (tmp_path / f"{name}.{fmt}").read_bytes() == default.read_bytes(), (name, fmt)
        options = batch_run.ExtractOptions(progress=False)
        batch_run.extract_file(tmp_path / "in.jsonl", _cached_load(model_dir), tmp_path / f"loaded.{fmt}", options)
        assert (tmp_path / f"loaded.{fmt}").read_bytes() == default.read_bytes()


class ExitInWorker(Pipe):
    """Ends its process on a report that holds EXIT, as the system killing a worker would."""

    def __init__(self, name):
        self.name = name

    def __call__(self, doc):
        if "EXIT-TRIGGER" in doc.text:
            os._exit(1)
        return doc


@Language.factory("mammo_test_exit")
def make_exit_in_worker(nlp, name):
    return ExitInWorker(name)


def test_a_worker_that_dies_stops_the_run_resumably(model_dir, tmp_path):
    nlp = load_pipeline(model_dir)
    nlp.add_pipe("mammo_test_exit", after="mammo_ner")
    records = [{"id": f"r{i}", "text": text} for i, text in enumerate(TEXTS * 4)]
    records[17]["text"] += " EXIT-TRIGGER"
    write_jsonl(tmp_path / "in.jsonl", records)
    options = batch_run.ExtractOptions(n_process=2, batch_size=2, progress=False)
    with pytest.raises(OSError, match="worker process died"):
        batch_run.extract_file(tmp_path / "in.jsonl", nlp, tmp_path / "out.jsonl", options)
    partial = tmp_path / "out.jsonl.partial"
    assert not (tmp_path / "out.jsonl").exists()
    assert not partial.exists() or all(json.loads(line)["id"] for line in partial.read_text().splitlines())
