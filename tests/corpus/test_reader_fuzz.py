"""Corrupted and random input for every reader and the `convert` command: each
either succeeds or raises MammoDataError naming the file and the line or
record; never another exception, never a partial output file."""

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import DocBin
from spacy.vocab import Vocab

from spacy_mammo.corpus.readers import (
    read_conll_docs,
    read_csv_docs,
    read_jsonl_records,
    records_to_docs,
    write_docbin,
)
from spacy_mammo.corpus.synth import generate_reports
from spacy_mammo.errors import MammoDataError
from spacy_mammo.evaluation.evaluate import read_examples
from spacy_mammo.tokenizer import blank_mammo_nlp

from ..conftest import invoke_cli

FUZZ_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
# Errors about the whole file carry no line or record.
FILE_LEVEL_PROBLEMS = ("empty file", "file not found", "unknown encoding", "malformed CSV: parser error")
TEN_MB = 10 * 1024 * 1024
NLP = blank_mammo_nlp()

RECORDS = generate_reports(6, seed=7)
JSONL = "".join(json.dumps(r) + "\n" for r in RECORDS).encode("utf-8")


def _bio_rows(records):
    """(sequence id, token, tag) rows of the records' tokens."""
    rows = []
    for seq, doc in enumerate(records_to_docs(records, NLP), start=1):
        for token in doc:
            if not token.is_space:
                iob = token.ent_iob_
                rows.append((seq, token.text, "O" if iob == "O" else f"{iob}-{token.ent_type_}"))
    return rows


ROWS = _bio_rows(RECORDS)
CONLL = "".join(
    f"{token}\t{tag}\n" + ("\n" if i + 1 < len(ROWS) and ROWS[i + 1][0] != seq else "")
    for i, (seq, token, tag) in enumerate(ROWS)
).encode("utf-8")
CSV_TEXT = io.StringIO()
csv.writer(CSV_TEXT, lineterminator="\n").writerows([("sentence_id", "token", "tag"), *ROWS])
CSV = CSV_TEXT.getvalue().encode("utf-8")


def read_jsonl(path, **kwargs):
    return list(records_to_docs(read_jsonl_records(path), NLP, path=path, **kwargs))


def read_conll(path, **kwargs):
    return list(read_conll_docs(path, Vocab(), **kwargs))


def read_csv(path, **kwargs):
    return list(read_csv_docs(path, Vocab(), **kwargs))


READERS = {".jsonl": read_jsonl, ".tsv": read_conll, ".csv": read_csv}
VALID = {".jsonl": JSONL, ".tsv": CONLL, ".csv": CSV}


def read_or_data_error(read, path, **kwargs):
    """Read `path`; return the docs, or the MammoDataError after checking that it
    names the file and, unless about the whole file, the line or record."""
    try:
        return read(path, **kwargs)
    except MammoDataError as err:
        assert err.path == str(path)
        assert str(err).startswith(str(path))
        if not err.problem.startswith(FILE_LEVEL_PROBLEMS):
            assert err.line is not None or err.record is not None, str(err)
        return err


def convert_or_data_error(src: Path):
    """Run `convert`; on failure check that nothing was written next to the output."""
    out_dir = src.parent / "out"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / "data.spacy"
    out.unlink(missing_ok=True)
    result = invoke_cli("convert", src, out)
    if result.exit_code == 0:
        assert len(DocBin().from_disk(out)) > 0
    else:
        assert result.exit_code == 1
        assert result.stderr.startswith(f"error: {src}") and result.stderr.count("\n") == 1
        assert list(out_dir.iterdir()) == []
    return result.exit_code


def write(tmp_path, suffix, data: bytes) -> Path:
    path = tmp_path / f"data{suffix}"
    path.write_bytes(data)
    return path


def test_valid_files_read(tmp_path):
    for suffix, data in VALID.items():
        docs = READERS[suffix](write(tmp_path, suffix, data))
        assert len(docs) == len(RECORDS)
        assert sum(len(doc.ents) for doc in docs) == sum(len(r["spans"]) for r in RECORDS)


@FUZZ_SETTINGS
@given(suffix=st.sampled_from(sorted(VALID)), fraction=st.floats(0.0, 1.0))
def test_truncated_files(tmp_path, suffix, fraction):
    data = VALID[suffix]
    path = write(tmp_path, suffix, data[: int(len(data) * fraction)])
    result = read_or_data_error(READERS[suffix], path)
    assert isinstance(result, (list, MammoDataError))
    assert convert_or_data_error(path) == (0 if isinstance(result, list) else 1)


@FUZZ_SETTINGS
@given(suffix=st.sampled_from(sorted(VALID)), data=st.binary(max_size=400))
def test_random_bytes(tmp_path, suffix, data):
    read_or_data_error(READERS[suffix], write(tmp_path, suffix, data))


@FUZZ_SETTINGS
@given(suffix=st.sampled_from(sorted(VALID)), text=st.text(max_size=300))
def test_random_text(tmp_path, suffix, text):
    read_or_data_error(READERS[suffix], write(tmp_path, suffix, text.encode("utf-8")))


@FUZZ_SETTINGS
@given(
    suffix=st.sampled_from(sorted(VALID)),
    edits=st.lists(st.tuples(st.floats(0.0, 1.0), st.binary(min_size=0, max_size=3)), min_size=1, max_size=4),
)
def test_corrupted_bytes(tmp_path, suffix, edits):
    data = bytearray(VALID[suffix])
    for where, new in edits:
        i = int(where * (len(data) - 1))
        data[i : i + 1] = new
    path = write(tmp_path, suffix, bytes(data))
    result = read_or_data_error(READERS[suffix], path)
    assert convert_or_data_error(path) == (0 if isinstance(result, list) else 1)


@FUZZ_SETTINGS
@given(line=st.text(max_size=60), value=st.sampled_from(["", "x", 1, -1, 2**70, None, [], {}, True, 1.5]))
def test_jsonl_random_records(tmp_path, line, value):
    records = [
        {"id": "a", "text": line, "spans": [{"start": 0, "end": len(line), "label": "MASS"}]},
        {"id": "b", "text": line, "spans": [{"start": value, "end": 1, "label": "MASS"}]},
        {"id": value, "text": line},
        {"id": "c", "text": value},
        {"id": "d", "text": line, "spans": [{"start": 0, "end": 1, "label": "MASS", "negated": value}]},
        {"id": "e", "text": line, "spans": value},
    ]
    for record in records:
        read_or_data_error(read_jsonl, write(tmp_path, ".jsonl", json.dumps(record).encode("utf-8")))


HOSTILE_JSON = {
    "deep": "[" * 100_000,  # deeper than Python's recursion limit
    "long-int": '{"id": "a", "text": "mass", "spans": [{"start": ' + "9" * 5000 + ', "end": 4, "label": "MASS"}]}',
    "nan": '{"id": "a", "text": "mass", "spans": [{"start": 0, "end": 4, "label": "MASS", "negated": NaN}]}',
    "infinity": '{"id": "a", "text": "mass", "spans": [{"start": 0, "end": Infinity, "label": "MASS"}]}',
}


@pytest.mark.parametrize("payload", HOSTILE_JSON.values(), ids=HOSTILE_JSON.keys())
def test_jsonl_hostile_json(tmp_path, payload):
    err = read_or_data_error(read_jsonl, write(tmp_path, ".jsonl", payload.encode("utf-8") + b"\n"))
    assert isinstance(err, MammoDataError)
    assert err.line == 1


@pytest.mark.parametrize("field", ["text", "id"])
def test_jsonl_lone_surrogate_escape(tmp_path, field):
    record = {"id": "a", "text": "mass in the right breast", "spans": [{"start": 0, "end": 4, "label": "MASS"}]}
    record[field] = record[field] + "\ud800"
    path = write(tmp_path, ".jsonl", json.dumps(record).encode("utf-8") + b"\n")
    err = read_or_data_error(read_jsonl, path)
    assert isinstance(err, MammoDataError) and err.line == 1
    assert convert_or_data_error(path) == 1


@pytest.mark.parametrize("suffix", sorted(VALID))
@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "utf-16-le", "utf-32"])
def test_wrong_encoding_names_the_line(tmp_path, suffix, encoding):
    text = VALID[suffix].decode("utf-8")
    non_ascii = "Mamograf\u00eda caf\u00e9"
    if suffix == ".jsonl":
        text += json.dumps({"id": "x", "text": non_ascii}, ensure_ascii=False) + "\n"
    elif suffix == ".tsv":
        text += f"\n{non_ascii.split()[0]}\tO\n"
    else:
        text += f"99,{non_ascii.split()[0]},O\n"
    path = write(tmp_path, suffix, text.encode(encoding, errors="replace"))
    err = read_or_data_error(READERS[suffix], path)
    assert isinstance(err, MammoDataError)
    assert err.line is not None
    assert convert_or_data_error(path) == 1


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "latin-1", "cp1252"])
def test_csv_in_its_declared_encoding(tmp_path, encoding):
    text = CSV.decode("utf-8").replace("mass", "m\u00e1ss").encode("latin-1", "replace").decode("latin-1")
    path = write(tmp_path, ".csv", text.encode(encoding))
    docs = read_csv(path, encoding=encoding)
    assert [doc.text for doc in docs] == [doc.text for doc in read_csv(write(tmp_path, ".csv", text.encode("utf-8")))]


def test_csv_unknown_encoding(tmp_path):
    err = read_or_data_error(read_csv, write(tmp_path, ".csv", CSV), encoding="no-such-codec")
    assert isinstance(err, MammoDataError)
    assert "encoding" in err.problem


@pytest.mark.parametrize(
    "header",
    ["sentence_id,token", "sentence_id,tag", "token,tag", "sentence_id,token,token,tag", "sentence_id,token,tag,tag"],
)
def test_csv_missing_or_repeated_columns(tmp_path, header):
    value = {"sentence_id": "1", "token": "tok", "tag": "O"}
    body = ",".join(value[column] for column in header.split(",")) + "\n"
    err = read_or_data_error(read_csv, write(tmp_path, ".csv", f"{header}\n{body}".encode("utf-8")))
    assert isinstance(err, MammoDataError)
    assert err.line == 1


@pytest.mark.parametrize("damage", [",extra", ',"never closed'])
def test_csv_malformed_row_names_its_line(tmp_path, damage):
    data = CSV.decode("utf-8").splitlines(keepends=True)
    data[4] = data[4].rstrip("\n") + damage + "\n"
    err = read_or_data_error(read_csv, write(tmp_path, ".csv", "".join(data).encode("utf-8")))
    assert isinstance(err, MammoDataError)
    assert err.line == 5


@pytest.mark.parametrize("lines", [["tok"], ["tok\tO\textra"], ["\tO"]])
def test_conll_missing_columns(tmp_path, lines):
    err = read_or_data_error(read_conll, write(tmp_path, ".tsv", CONLL + "\n".join(lines).encode("utf-8") + b"\n"))
    assert isinstance(err, MammoDataError)
    assert err.line == CONLL.count(b"\n") + 1


@pytest.mark.parametrize("suffix", sorted(VALID))
def test_ten_megabyte_line(tmp_path, suffix):
    """One 10 MB line: a truncated JSON record, a 10 MB CoNLL token, a 10 MB CSV header."""
    big = "x" * TEN_MB
    if suffix == ".jsonl":
        data = json.dumps({"id": "a", "text": big})[:-2]
    elif suffix == ".tsv":
        data = f"{big}\tO\n"
    else:
        data = f"{big},token,tag\n1,a,O\n"
    path = write(tmp_path, suffix, data.encode("utf-8"))
    result = read_or_data_error(READERS[suffix], path)
    if suffix == ".tsv":
        assert len(result) == 1 and len(result[0][0].text) == TEN_MB
    else:
        assert isinstance(result, MammoDataError) and result.line == 1
    convert_or_data_error(path)


def test_ten_megabyte_valid_jsonl_record(tmp_path):
    text = "mass " * (TEN_MB // 5)
    path = write(tmp_path, ".jsonl", json.dumps({"id": "a", "text": text, "spans": []}).encode("utf-8"))
    (record,) = read_jsonl_records(path)
    assert record["text"] == text


@FUZZ_SETTINGS
@given(fraction=st.floats(0.0, 1.0), noise=st.binary(max_size=20))
def test_evaluate_reads_corrupted_docbins_as_data_errors(tmp_path, fraction, noise):
    path = tmp_path / "data.spacy"
    write_docbin(records_to_docs(RECORDS, NLP), path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)] + noise)
    try:
        examples = read_examples(NLP, path)
    except MammoDataError as err:
        assert err.path == str(path) and err.problem.startswith("not a readable .spacy DocBin")
    else:
        assert len(examples) == len(RECORDS)


def test_evaluate_missing_docbin(tmp_path):
    with pytest.raises(MammoDataError, match="file not found"):
        read_examples(NLP, tmp_path / "missing.spacy")
