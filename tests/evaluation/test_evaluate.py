import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example

from spacy_mammo.corpus.readers import read_jsonl_records, records_to_docs
from spacy_mammo.errors import MammoDataError
from spacy_mammo.evaluation.evaluate import (
    check_findings_gold,
    evaluate,
    evaluate_file,
    examples_from_records,
    gold_entity_docs,
    read_examples,
)
from spacy_mammo.rules.findings_score import predicted_record, read_findings_gold, score_findings
from spacy_mammo.tokenizer import blank_mammo_nlp

from ..conftest import invoke_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# Four reports and their findings gold, written by hand for these tests (docs/FINDINGS_FORMAT.md).
SPANS, FINDINGS = FIXTURES / "findings" / "reports.jsonl", FIXTURES / "findings" / "findings.jsonl"

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
GOLD_TAGS = [
    "B-LATERALITY",
    "O",
    "B-MASS",
    "B-MASS",
    "I-MASS",
    "B-LATERALITY",
    "O",
    "B-DISTORTION",
    "I-DISTORTION",
    "O",
]
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


def span(start, end, label, negated=False):
    return {"start": start, "end": end, "label": label, "negated": negated}


def test_records_to_examples(nlp):
    records = [{"id": "r1", "text": "oval mass right breast", "spans": [span(0, 9, "MASS", True)]}]
    (eg,) = examples_from_records(nlp, records)
    assert [(e.text, e.label_, e._.negated) for e in eg.reference.ents] == [("oval mass", "MASS", True)]
    assert eg.reference.user_data["record_id"] == "r1"
    assert not eg.predicted.ents


def test_misaligned_span_names_record_not_text(nlp, tmp_path):
    records = [{"id": "r7", "text": "oval mass", "spans": [span(0, 3, "MASS")]}]
    with pytest.raises(MammoDataError) as err:
        examples_from_records(nlp, records, tmp_path / "x.jsonl")
    assert "r7" in str(err.value) and "0-3" in str(err.value)
    assert "oval" not in str(err.value)
    overlapping = [{"id": "r8", "text": "oval mass", "spans": [span(0, 9, "MASS"), span(5, 9, "MASS")]}]
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


# ---------------------------------------------------------------------------
# Findings


@pytest.fixture(scope="module")
def rules_nlp():
    """The rule components without a tagger: what `evaluate --findings` runs on gold entities."""
    nlp = blank_mammo_nlp()
    nlp.add_pipe("mammo_negation")
    nlp.add_pipe("mammo_findings")
    return nlp


def test_gold_entity_docs_keep_the_gold_negation_and_take_the_rest_from_the_rules(rules_nlp):
    text = "No mass in the right breast. Possible cyst in the left breast."
    # The span file says the mass is affirmed (wrongly): on gold entities it stays affirmed.
    spans = [span(3, 7, "MASS"), span(15, 20, "LATERALITY"), span(38, 42, "OTHER_FINDING"), span(50, 54, "LATERALITY")]
    (reference,) = records_to_docs([{"id": "r1", "text": text, "spans": spans}], rules_nlp)
    (doc,) = gold_entity_docs(rules_nlp, [reference])
    assert [(f["type"], f["laterality"], f["negated"], f["uncertain"]) for f in doc._.findings] == [
        ("MASS", "right", False, False),
        ("OTHER_FINDING", "left", False, True),
    ]
    assert rules_nlp(text).ents == ()  # no tagger: the entities are the gold ones only
    assert rules_nlp.get_pipe("mammo_negation")(reference.copy()).ents[0]._.negated
    assert not reference.ents[0]._.negated and reference._.findings is None  # the references are left as they were


def test_rule_output_taken_as_gold_scores_one_on_gold_entities(rules_nlp, tmp_path):
    """A gold file written from the rules' own output on gold entities: every field agrees, so the
    gold-entity path runs the same components on the same entities and negation."""
    references = [eg.reference for eg in read_examples(rules_nlp, SPANS)]
    gold = []
    for doc in gold_entity_docs(rules_nlp, references):
        record = predicted_record(doc)
        findings = [{"start": f.pop("start_char"), "end": f.pop("end_char"), **f} for f in record["findings"]]
        gold.append({**record, "findings": findings})
    path = tmp_path / "findings.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in gold), encoding="utf-8")
    metrics = evaluate_file(FIXTURES / "pipeline_v0_1_0", SPANS, findings=path)
    scores = metrics["findings"]["gold_entities"]
    assert scores["findings"]["f"] == 1.0
    assert all(value.get("accuracy", value.get("f")) == 1.0 for value in scores["fields"].values())
    assert all(value["accuracy"] == 1.0 for value in scores["report"].values())
    assert scores["lesions"]["f"] == 1.0


def test_findings_end_to_end_score_the_pipelines_own_entities():
    metrics = evaluate_file(FIXTURES / "pipeline_v0_1_0", SPANS, findings=FINDINGS)
    gold = list(read_findings_gold(FINDINGS))
    nlp = spacy.load(FIXTURES / "pipeline_v0_1_0")  # the fixture has the rule components
    records = list(read_jsonl_records(SPANS))
    predicted = [predicted_record(nlp(r["text"]), r["id"]) for r in records]
    findings = metrics["findings"]
    assert findings["n_reports"] == len(gold)
    assert findings["end_to_end"] == score_findings(gold, predicted)
    n_gold = sum(len(record["findings"]) for record in gold)
    # The gold heads are the span file's: on gold entities every one is found.
    assert findings["gold_entities"]["findings"]["gold"] == findings["gold_entities"]["findings"]["matched"] == n_gold


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def findings_lines():
    return [json.loads(line) for line in FINDINGS.read_text(encoding="utf-8").splitlines()]


def shifted(records):
    records[2]["findings"][1]["start"] += 1
    return records


def relabelled(records):
    records[2]["findings"][1]["type"] = "MASS"
    return records


def dropped(records):
    del records[2]["findings"][1]
    records[2]["lesions"] = [[0], [2, 3], [1]]
    return records


@pytest.mark.parametrize(
    "change,problem",
    [
        (shifted, "finding 1 (CALCIFICATION at 208-221): {spans} has no finding entity there"),
        (relabelled, "finding 1 (MASS at 207-221): {spans} has a CALCIFICATION entity there"),
        (dropped, "no finding for the CALCIFICATION entity at 207-221 of {spans}"),
    ],
)
def test_gold_findings_that_are_not_the_span_files_heads_name_the_gold_line(rules_nlp, tmp_path, change, problem):
    gold_path = write_jsonl(tmp_path / "findings.jsonl", change(findings_lines()))
    references = [eg.reference for eg in read_examples(rules_nlp, SPANS)]
    with pytest.raises(MammoDataError) as err:
        check_findings_gold(list(read_findings_gold(gold_path)), references, gold_path=gold_path, data_path=SPANS)
    assert str(err.value) == f"{gold_path}, line 3, record 'fx-003': " + problem.format(spans=SPANS)


def test_ids_that_only_one_file_has_are_named_with_file_and_line(rules_nlp, tmp_path):
    references = [eg.reference for eg in read_examples(rules_nlp, SPANS)]
    records = findings_lines()
    records[1]["id"] = "fx-999"
    gold_path = write_jsonl(tmp_path / "findings.jsonl", records)
    with pytest.raises(MammoDataError) as err:
        check_findings_gold(list(read_findings_gold(gold_path)), references, gold_path=gold_path, data_path=SPANS)
    assert str(err.value) == f"{gold_path}, line 2, record 'fx-999': no report with this id in {SPANS}"
    gold_path = write_jsonl(tmp_path / "findings.jsonl", findings_lines()[:2] + findings_lines()[3:])
    with pytest.raises(MammoDataError) as err:
        check_findings_gold(list(read_findings_gold(gold_path)), references, gold_path=gold_path, data_path=SPANS)
    assert str(err.value) == f"{SPANS}, line 3, record 'fx-003': no findings record in {gold_path} for this report"


def test_findings_need_report_ids(rules_nlp, tmp_path):
    docs = [eg.reference for eg in read_examples(rules_nlp, SPANS)]
    for doc in docs:
        del doc.user_data["record_id"]
    with pytest.raises(MammoDataError, match="no report ids: give the span .jsonl"):
        check_findings_gold(
            list(read_findings_gold(FINDINGS)), docs, gold_path=FINDINGS, data_path=tmp_path / "x.spacy"
        )
