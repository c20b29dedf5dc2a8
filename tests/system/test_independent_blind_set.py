"""Validation of the second, blind independent evaluation set (assets/independent_blind/)."""

import importlib.util
import json
from pathlib import Path

import pytest

from spacy_mammo.labels import FINDING_LABELS, LABELS, NEVER_NEGATED
from spacy_mammo.tokenizer import blank_mammo_nlp

ASSETS = Path(__file__).resolve().parents[2] / "assets"
BLIND_DIR = ASSETS / "independent_blind"
SOURCE = BLIND_DIR / "source.txt"
JSONL = BLIND_DIR / "reports.jsonl"
# The markup converter shared with the first independent set.
BUILD_SCRIPT = ASSETS / "independent" / "build.py"

# Descriptors may carry `negated` when they sit inside a negated noun phrase.
DESCRIPTOR_LABELS = ("SHAPE", "MARGIN", "MASS_DENSITY", "CALC_MORPHOLOGY", "CALC_DISTRIBUTION")


def load_build_module():
    """Import the markup converter by file path (assets/ is not a package).

    RETURNS (module): The module with `parse_source` and `write_jsonl`.
    """
    spec = importlib.util.spec_from_file_location("independent_build", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def records():
    with JSONL.open(encoding="utf8") as file_:
        return [json.loads(line) for line in file_ if line.strip()]


@pytest.fixture(scope="module")
def nlp():
    return blank_mammo_nlp()


def test_blind_set_size_and_ids(records):
    ids = [record["id"] for record in records]
    assert len(records) == 50
    assert ids == [f"blind-{i:03d}" for i in range(1, 51)]
    words = sum(len(record["text"].split()) for record in records)
    assert 5000 <= words <= 7000


def test_blind_set_matches_rebuild_of_source(records):
    build = load_build_module()
    rebuilt = build.parse_source(SOURCE.read_text(encoding="utf8"), path=SOURCE)
    assert rebuilt == records


def test_blind_set_write_roundtrip(records, tmp_path):
    build = load_build_module()
    output = tmp_path / "reports.jsonl"
    build.write_jsonl(records, output)
    assert output.read_text(encoding="utf8") == JSONL.read_text(encoding="utf8")


def test_blind_set_no_markup_left_in_text(records):
    for record in records:
        assert "[[" not in record["text"] and "]]" not in record["text"], record["id"]


def test_blind_set_spans_valid(records):
    for record in records:
        text = record["text"]
        previous_end = 0
        for span in sorted(record["spans"], key=lambda s: (s["start"], s["end"])):
            where = (record["id"], span["start"], span["end"], span["label"])
            assert 0 <= span["start"] < span["end"] <= len(text), where
            assert span["start"] >= previous_end, where
            assert not text[span["start"]].isspace(), where
            assert not text[span["end"] - 1].isspace(), where
            assert span["label"] in LABELS, where
            previous_end = span["end"]


def test_blind_set_negation_only_where_allowed(records):
    negated_labels = set()
    for record in records:
        for span in record["spans"]:
            negated = span.get("negated", False)
            assert isinstance(negated, bool), (record["id"], span["start"])
            if negated:
                where = (record["id"], span["start"], span["label"])
                assert span["label"] not in NEVER_NEGATED, where
                assert span["label"] in FINDING_LABELS + DESCRIPTOR_LABELS, where
                negated_labels.add(span["label"])
    # The set exercises negation on every finding label.
    assert set(FINDING_LABELS) <= negated_labels


def test_blind_set_spans_align_to_tokens(records, nlp):
    for record in records:
        doc = nlp(record["text"])
        for span in record["spans"]:
            aligned = doc.char_span(span["start"], span["end"], alignment_mode="strict")
            assert aligned is not None, (record["id"], span["start"], span["end"], span["label"])


def test_blind_set_covers_all_labels(records):
    seen = {span["label"] for record in records for span in record["spans"]}
    assert seen == set(LABELS)
