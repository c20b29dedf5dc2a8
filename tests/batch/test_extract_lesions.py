"""`extract --level lesion`: one JSON line, CSV row or table row per lesion of
`doc._.lesions`, with --resume and the default level left as it was."""

import csv
import json

import pytest

from spacy_mammo.assemble import load_pipeline
from spacy_mammo.batch.outputs import LESION_COLUMNS
from spacy_mammo.rules.lesions import LESION_KEYS

from ..conftest import invoke_cli
from .test_extract import good_records, load_once, model_dir, read_jsonl, run, write_jsonl  # noqa: F401


@pytest.fixture(scope="module")
def lesion_reference(model_dir, tmp_path_factory):  # noqa: F811
    """The input, and uninterrupted runs at both levels, JSONL and CSV."""
    folder = tmp_path_factory.mktemp("lesions")
    write_jsonl(folder / "in.jsonl", good_records())
    runs = {}
    for level in ("report", "lesion"):
        for fmt in ("jsonl", "csv"):
            out = folder / f"{level}.{fmt}"
            assert run(folder / "in.jsonl", model_dir, out, "--level", level).exit_code == 0
            runs[level, fmt] = out
    return {"input": folder / "in.jsonl", **{f"{level}.{fmt}": path for (level, fmt), path in runs.items()}}


def expected_rows(model_dir):  # noqa: F811
    """(id, lesion record or None) per expected row: the pipeline's own lesions, one None row per report without."""
    nlp = load_pipeline(model_dir)
    rows = []
    for record in good_records():
        lesions = nlp(record["text"])._.lesions
        rows += [(str(record["id"]), lesion) for lesion in lesions] or [(str(record["id"]), None)]
    return rows


def test_lesion_jsonl_has_one_line_per_lesion_of_the_pipeline(lesion_reference, model_dir):  # noqa: F811
    lines = read_jsonl(lesion_reference["lesion.jsonl"])
    expected = expected_rows(model_dir)
    assert any(lesion is None for _, lesion in expected) and sum(lesion is not None for _, lesion in expected) >= 3
    assert all(list(line) == LESION_COLUMNS for line in lines)
    assert [(line["id"], line["lesion"]) for line in lines] == [
        (report_id, lesion and lesion["lesion"]) for report_id, lesion in expected
    ]
    for line, (_, lesion) in zip(lines, expected):
        assert {key: line[key] for key in LESION_KEYS} == json.loads(json.dumps(lesion or dict.fromkeys(LESION_KEYS)))


def test_lesion_csv_rows_are_the_jsonl_lines(lesion_reference):
    lines = read_jsonl(lesion_reference["lesion.jsonl"])
    with lesion_reference["lesion.csv"].open(encoding="utf-8", newline="") as file_:
        rows = list(csv.DictReader(file_))
    assert list(rows[0]) == LESION_COLUMNS and len(rows) == len(lines)
    for row, line in zip(rows, lines):
        assert row["id"] == line["id"] and row["type"] == (line["type"] or "")
        offsets = line["mention_offsets"] or []
        assert row["mention_offsets"] == ";".join(f"{start}-{end}" for start, end in offsets)
        assert row["mentions"] == ";".join(str(i) for i in line["mentions"] or [])
        assert row["locations"] == ";".join(line["locations"] or [])
        assert row["size_mm"] == ("" if line["size_mm"] is None else str(line["size_mm"]))


def test_the_default_level_is_report(lesion_reference, model_dir, tmp_path):  # noqa: F811
    for fmt in ("jsonl", "csv"):
        assert run(lesion_reference["input"], model_dir, tmp_path / f"out.{fmt}").exit_code == 0
        assert (tmp_path / f"out.{fmt}").read_bytes() == lesion_reference[f"report.{fmt}"].read_bytes()
    assert all(set(record) == {"id", "entities", "findings", "report"} for record in read_jsonl(tmp_path / "out.jsonl"))


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_lesion_resume_after_a_kill_equals_an_uninterrupted_run(lesion_reference, model_dir, tmp_path, fmt):  # noqa: F811
    full = lesion_reference[f"lesion.{fmt}"].read_bytes()
    out, partial = tmp_path / f"out.{fmt}", tmp_path / f"out.{fmt}.partial"
    lines = full.split(b"\n")
    for n_lines in (1, 2, len(lines) // 2, len(lines) - 2):
        partial.write_bytes(full[: len(b"\n".join(lines[:n_lines])) + 1 + len(lines[n_lines]) // 2])
        result = run(lesion_reference["input"], model_dir, out, "--level", "lesion", "--resume")
        assert result.exit_code == 0, result.stderr
        assert out.read_bytes() == full and not partial.exists()


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_resume_at_another_level_is_refused(lesion_reference, model_dir, tmp_path, fmt):  # noqa: F811
    for written, resumed in (("lesion", "report"), ("report", "lesion")):
        out = tmp_path / f"{written}.{fmt}"
        lines = lesion_reference[f"{written}.{fmt}"].read_bytes().split(b"\n")
        (tmp_path / f"{written}.{fmt}.partial").write_bytes(b"\n".join(lines[:3]) + b"\n")
        result = run(lesion_reference["input"], model_dir, out, "--level", resumed, "--resume")
        assert result.exit_code == 1
        assert "--level" in result.stderr and "cannot resume" in result.stderr


def test_lesion_level_into_sqlite(lesion_reference, model_dir, tmp_path):  # noqa: F811
    pytest.importorskip("sqlalchemy", reason='needs the sql extra: pip install "spacy-mammo[sql]"')
    from spacy_mammo.batch.sql import table_rows

    url = f"sqlite:///{tmp_path / 'out.db'}"
    args = ["extract", lesion_reference["input"], "--model", model_dir, "--out-sql", url, "--table", "lesions"]
    assert invoke_cli(*args, "--level", "lesion").exit_code == 0
    lines = [line for line in read_jsonl(lesion_reference["lesion.jsonl"]) if line["lesion"] is not None]
    rows = table_rows(url, "lesions")
    assert [(row["report_id"], row["lesion"]) for row in rows] == sorted((line["id"], line["lesion"]) for line in lines)
    by_key = {(line["id"], line["lesion"]): line for line in lines}
    for row in rows:
        line = by_key[row["report_id"], row["lesion"]]
        assert {key: row[key] for key in LESION_KEYS} == {key: line[key] for key in LESION_KEYS}
    reports = table_rows(url, "lesions_reports")
    assert [row["id"] for row in reports] == sorted(str(record["id"]) for record in good_records())
    # A table written at one level is not resumed at the other.
    result = invoke_cli(*args, "--resume")
    assert result.exit_code == 1 and "--level" in result.stderr
