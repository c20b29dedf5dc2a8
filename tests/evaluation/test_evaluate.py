import json

import pytest
import spacy
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example

from spacy_mammo.errors import MammoDataError
from spacy_mammo.evaluation.evaluate import evaluate, examples_from_records, read_examples

from ..conftest import invoke_cli

PATTERNS = [
    {"label": "LATERALITY", "pattern": "left"},
    {"label": "LATERALITY", "pattern": "right"},
    {"label": "MASS", "pattern": "mass"},
]
# (words, gold entities as (start, end, label)); the ruler predicts the PATTERNS tokens.
GOLD = [
    (["left", "breast", "mass"], [(0, 1, "LATERALITY"), (2, 3, "MASS")]),
    (["oval", "mass", "right", "breast"], [(0, 2, "MASS"), (2, 3, "LATERALITY")]),
    (["architectural", "distortion", "left"], [(0, 2, "DISTORTION")]),
]
# Worked by hand from GOLD and PATTERNS:
# doc 1: LATERALITY tp, MASS tp; doc 2: "mass" vs "oval mass" is a MASS fp + fn, LATERALITY tp;
# doc 3: "left" is a LATERALITY fp, DISTORTION fn.
COUNTS = {"LATERALITY": (2, 1, 0), "MASS": (1, 1, 1), "DISTORTION": (0, 0, 1)}  # tp, fp, fn
GOLD_TAGS = ["B-LATERALITY", "O", "B-MASS", "B-MASS", "I-MASS", "B-LATERALITY", "O", "B-DISTORTION", "I-DISTORTION", "O"]
PRED_TAGS = ["B-LATERALITY", "O", "B-MASS", "O", "B-MASS", "B-LATERALITY", "O", "O", "O", "B-LATERALITY"]


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS)
    return nlp


@pytest.fixture(scope="module")
def gold_docs(nlp):
    docs = []
    for words, ents in GOLD:
        doc = Doc(nlp.vocab, words=words)
        doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
        docs.append(doc)
    return docs


def gold_examples(nlp, docs):
    return [Example(nlp.make_doc(doc.text), doc) for doc in docs]


def test_scores_match_hand_counts(nlp, gold_docs):
    metrics = evaluate(nlp, gold_examples(nlp, gold_docs))
    tp, fp, fn = (sum(c[i] for c in COUNTS.values()) for i in range(3))
    p, r, f = prf(tp, fp, fn)
    assert (metrics["ents_p"], metrics["ents_r"], metrics["ents_f"]) == pytest.approx((p, r, f))
    assert set(metrics["ents_per_type"]) == set(COUNTS)
    for label, counts in COUNTS.items():
        row = metrics["ents_per_type"][label]
        assert (row["p"], row["r"], row["f"]) == pytest.approx(prf(*counts))
        assert row["support"] == counts[0] + counts[2]
    n_correct = sum(g == p for g, p in zip(GOLD_TAGS, PRED_TAGS))
    assert metrics["n_tokens"] == len(GOLD_TAGS)
    assert metrics["token_accuracy"] == pytest.approx(n_correct / len(GOLD_TAGS))
    report = metrics["token_report"]
    assert report["B-LATERALITY"]["support"] == GOLD_TAGS.count("B-LATERALITY")
    assert report["I-MASS"]["recall"] == 0.0
    assert report["O"]["support"] == GOLD_TAGS.count("O")


def test_perfect_pipeline(nlp):
    doc = nlp("left breast mass")
    metrics = evaluate(nlp, [Example(nlp.make_doc(doc.text), doc)])
    assert metrics["ents_f"] == pytest.approx(1.0)
    assert metrics["token_accuracy"] == pytest.approx(1.0)


def test_records_to_examples(nlp):
    records = [{"id": "r1", "text": "oval mass right breast", "spans": [{"start": 0, "end": 9, "label": "MASS"}]}]
    (eg,) = examples_from_records(nlp, records)
    assert [(e.text, e.label_) for e in eg.reference.ents] == [("oval mass", "MASS")]
    assert not eg.predicted.ents


def test_misaligned_span_names_record_not_text(nlp, tmp_path):
    records = [{"id": "r7", "text": "oval mass", "spans": [{"start": 0, "end": 3, "label": "MASS"}]}]
    with pytest.raises(MammoDataError) as err:
        examples_from_records(nlp, records, tmp_path / "x.jsonl")
    assert "r7" in str(err.value) and "0-3" in str(err.value)
    assert "oval" not in str(err.value)
    overlapping = [{"id": "r8", "text": "oval mass", "spans": [{"start": 0, "end": 9, "label": "MASS"}, {"start": 5, "end": 9, "label": "MASS"}]}]
    with pytest.raises(MammoDataError, match="r8"):
        examples_from_records(nlp, overlapping)


def test_unsupported_format(nlp, tmp_path):
    with pytest.raises(MammoDataError, match="unsupported"):
        read_examples(nlp, tmp_path / "data.csv")


def test_cli_writes_json_and_markdown(nlp, gold_docs, tmp_path):
    nlp.to_disk(tmp_path / "model")
    DocBin(docs=gold_docs).to_disk(tmp_path / "test.spacy")
    out_json, out_md = tmp_path / "out" / "metrics.json", tmp_path / "out" / "metrics.md"
    data = tmp_path / "test.spacy"
    result = invoke_cli("evaluate", tmp_path / "model", data, "--out-json", out_json, "--out-md", out_md)
    assert result.exit_code == 0
    metrics = json.loads(out_json.read_text(encoding="utf8"))
    expected = evaluate(nlp, gold_examples(nlp, gold_docs))
    assert metrics["ents_f"] == pytest.approx(expected["ents_f"])
    markdown = out_md.read_text(encoding="utf8")
    assert "| LATERALITY |" in markdown and "| Support |" in markdown
    assert "| MASS |" in result.stdout and "entities P/R/F" in result.stdout
    assert sorted(p.name for p in out_json.parent.iterdir()) == ["metrics.json", "metrics.md"]


def test_cli_reads_jsonl(nlp, tmp_path):
    pytest.importorskip("spacy_mammo.corpus.readers")
    nlp.to_disk(tmp_path / "model")
    record = {"id": "r1", "text": "left breast mass", "spans": [{"start": 0, "end": 4, "label": "LATERALITY"}]}
    (tmp_path / "test.jsonl").write_text(json.dumps(record) + "\n", encoding="utf8")
    out_json = tmp_path / "metrics.json"
    assert invoke_cli("evaluate", tmp_path / "model", tmp_path / "test.jsonl", "--out-json", out_json).exit_code == 0
    metrics = json.loads(out_json.read_text(encoding="utf8"))
    # The ruler also predicts "mass", which the record does not annotate.
    assert (metrics["ents_p"], metrics["ents_r"]) == pytest.approx(prf(1, 1, 0)[:2])
