"""Checks of the independent hand-written evaluation set in assets/independent/."""

import importlib.util
import json
import re
from pathlib import Path

import pytest

from spacy_mammo.errors import MammoDataError
from spacy_mammo.labels import FINDING_LABELS, LABELS, NEVER_NEGATED
from spacy_mammo.tokenizer import blank_mammo_nlp

SET_DIR = Path(__file__).resolve().parents[2] / "assets" / "independent"
SOURCE = SET_DIR / "source.txt"
REPORTS = SET_DIR / "reports.jsonl"
# Descriptors may be negated, but only inside a negated noun phrase.
DESCRIPTOR_LABELS = tuple(label for label in LABELS if label not in FINDING_LABELS + NEVER_NEGATED)


def _load_build():
    spec = importlib.util.spec_from_file_location("independent_build", SET_DIR / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build()


@pytest.fixture(scope="module")
def records():
    with REPORTS.open(encoding="utf8") as file_:
        return [json.loads(line) for line in file_ if line.strip()]


def _where(record, span):
    # Names the span by id, offsets and label only: never by its text.
    return f"{record['id']} [{span['start']}:{span['end']}] {span['label']}"


def test_records_have_ids_text_and_spans(records):
    assert len(records) >= 75
    ids = [record["id"] for record in records]
    assert len(set(ids)) == len(ids)
    for record in records:
        assert re.fullmatch(r"indep-\d{3}", record["id"])
        assert isinstance(record["text"], str) and record["text"].strip()
        assert isinstance(record["spans"], list) and record["spans"]


def test_spans_are_in_range_and_trimmed(records):
    for record in records:
        text = record["text"]
        for span in record["spans"]:
            where = _where(record, span)
            assert 0 <= span["start"] < span["end"] <= len(text), where
            surface = text[span["start"] : span["end"]]
            assert surface == surface.strip(), where
            assert span["label"] in LABELS, where
            assert isinstance(span.get("negated", False), bool), where


def test_spans_do_not_overlap(records):
    for record in records:
        spans = sorted(record["spans"], key=lambda span: span["start"])
        for previous, span in zip(spans, spans[1:]):
            assert previous["end"] <= span["start"], _where(record, span)


def test_negation_only_where_guidelines_allow(records):
    for record in records:
        spans = sorted(record["spans"], key=lambda span: span["start"])
        for i, span in enumerate(spans):
            if not span.get("negated", False):
                continue
            where = _where(record, span)
            assert span["label"] not in NEVER_NEGATED, where
            if span["label"] in DESCRIPTOR_LABELS:
                head = next((s for s in spans[i + 1 :] if s["label"] in FINDING_LABELS), None)
                assert head is not None and head.get("negated", False), where


def test_every_label_occurs(records):
    seen = {span["label"] for record in records for span in record["spans"]}
    assert seen == set(LABELS)


def test_every_finding_label_occurs_negated_and_affirmed(records):
    negated = {s["label"] for r in records for s in r["spans"] if s.get("negated", False)}
    affirmed = {s["label"] for r in records for s in r["spans"] if not s.get("negated", False)}
    assert set(FINDING_LABELS) <= negated
    assert set(LABELS) <= affirmed


def test_jsonl_is_built_from_current_source(records):
    rebuilt = build.parse_source(SOURCE.read_text(encoding="utf8"), path=SOURCE)
    assert rebuilt == records


def test_parse_markup_computes_offsets():
    text, spans = build.parse_markup(
        "No [[spiculated|MARGIN|neg]] [[mass|MASS|neg]] at [[R|LATERALITY]][[2:00|LOCATION]]."
    )
    assert text == "No spiculated mass at R2:00."
    assert [(text[s["start"] : s["end"]], s["label"], s["negated"]) for s in spans] == [
        ("spiculated", "MARGIN", True),
        ("mass", "MASS", True),
        ("R", "LATERALITY", False),
        ("2:00", "LOCATION", False),
    ]


def test_parse_markup_keeps_single_brackets():
    text, spans = build.parse_markup("[[Mass|MASS|neg]]: [ ] yes [x] no")
    assert text == "Mass: [ ] yes [x] no"
    assert spans == [{"start": 0, "end": 4, "label": "MASS", "negated": True}]


@pytest.mark.parametrize(
    "marked",
    [
        "Zebrafinch [[mass|MASS",
        "Zebrafinch mass|MASS]] here",
        "Zebrafinch [[mass|TUMOUR]]",
        "Zebrafinch [[mass|MASS|negated]]",
        "Zebrafinch [[mass|MASS|neg|x]]",
        "Zebrafinch [[mass]]",
        "Zebrafinch [[ mass|MASS]]",
        "Zebrafinch [[|MASS]]",
        "Zebrafinch [[big [[mass|MASS]]|MASS]]",
        "Zebrafinch [[right|LATERALITY|neg]] breast",
        "Zebrafinch [[ma\nss|MASS]]",
    ],
)
def test_malformed_markup_fails_loudly_without_quoting_text(marked):
    with pytest.raises(MammoDataError) as info:
        build.parse_markup(marked, path="source.txt", first_line=7, record="indep-999")
    message = str(info.value)
    assert "Zebrafinch" not in message
    assert "indep-999" in message and "source.txt" in message


def test_error_names_the_source_line():
    source = "# comment\n=== r1\nfine [[mass|MASS]]\n\n=== r2\nline one\nline two [[mass|NOPE]]\n"
    with pytest.raises(MammoDataError) as info:
        build.parse_source(source, path="x.txt")
    assert info.value.line == 7
    assert info.value.record == "r2"


@pytest.mark.parametrize(
    "source",
    ["no header at all", "=== r1\ntext\n=== r1\ntext\n", "=== r1\n\n\n=== r2\ntext\n", "=== \ntext\n"],
)
def test_bad_source_structure_fails(source):
    with pytest.raises(MammoDataError):
        build.parse_source(source)


def test_build_writes_jsonl(tmp_path):
    source = tmp_path / "source.txt"
    source.write_text("=== a1\n\nNo [[mass|MASS|neg]].\n\n=== a2\n[[BI-RADS 1|BIRADS]]\n", encoding="utf8")
    output = tmp_path / "out.jsonl"
    written = build.build(source, output)
    lines = output.read_text(encoding="utf8").splitlines()
    assert [json.loads(line) for line in lines] == written
    assert written[0]["text"] == "No mass."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "source.txt"]


def test_spans_align_with_mammo_tokenizer(records):
    nlp = blank_mammo_nlp()
    misaligned = []
    for record in records:
        doc = nlp.make_doc(record["text"])
        for span in record["spans"]:
            if doc.char_span(span["start"], span["end"], alignment_mode="strict") is None:
                misaligned.append(_where(record, span))
    assert not misaligned, f"{len(misaligned)} spans off token boundaries: {misaligned}"
