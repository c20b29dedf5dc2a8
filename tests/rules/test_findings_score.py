"""Scoring structured findings against a small hand-made findings gold standard."""

import copy
import json

import pytest
import spacy

from spacy_mammo.errors import MammoDataError
from spacy_mammo.rules.findings_score import (
    GOLD_FINDING_KEYS,
    findings_table,
    match_findings,
    predicted_record,
    read_findings_gold,
    score_findings,
    validate_gold_record,
)

from . import markup

REPORT = (
    "[[LEFT|LATERALITY]] DIAGNOSTIC MAMMOGRAM\n\n"
    "FINDINGS: The breasts are [[heterogeneously dense|COMPOSITION]]. There is a [[1.2 cm|SIZE]] "
    "[[irregular|SHAPE]] [[mass|MASS]] at [[4 o'clock|LOCATION]], [[6 cm FN|DISTANCE]], with "
    "[[skin retraction|ASSOCIATED_FEATURE]]. No [[calcifications|CALCIFICATION]].\n\n"
    "IMPRESSION: Suspicious [[mass|MASS]] at [[4:00|LOCATION]]. [[BI-RADS 4|BIRADS]]."
)


def finding(start, end, type_, **values):
    record = {key: None for key in GOLD_FINDING_KEYS}
    record.update(
        start=start,
        end=end,
        type=type_,
        locations=[],
        associated_features=[],
        negated=False,
        uncertain=False,
        historical=False,
        family=False,
    )
    record.update(values)
    return record


@pytest.fixture(scope="module")
def doc():
    nlp = spacy.blank("en")
    nlp.add_pipe("mammo_negation")
    nlp.add_pipe("mammo_findings")
    doc = markup.make_doc(nlp, REPORT)
    for name in nlp.pipe_names:
        doc = nlp.get_pipe(name)(doc)
    return doc


@pytest.fixture(scope="module")
def gold(doc):
    """Written by hand from the guidelines and docs/FINDINGS_FORMAT.md."""
    text = doc.text
    mass, calcs, mass2 = text.index("mass"), text.index("calcifications"), text.rindex("mass")
    common = dict(laterality="left", modality="mammography")
    return [
        {
            "id": "r1",
            "findings": [
                finding(
                    mass,
                    mass + 4,
                    "MASS",
                    section="findings",
                    clock="4:00",
                    locations=["4 o'clock"],
                    size_mm=12.0,
                    distance_from_nipple_cm=6.0,
                    shape="irregular",
                    associated_features=["skin retraction"],
                    **common,
                ),
                finding(calcs, calcs + 14, "CALCIFICATION", section="findings", negated=True, **common),
                finding(mass2, mass2 + 4, "MASS", section="impression", clock="4:00", locations=["4:00"], **common),
            ],
            # a one-sided examination: its unsided assessment is the left breast's (docs/FINDINGS_FORMAT.md)
            "report": {"composition": "c", "birads": {"right": None, "left": "4", "overall": "4"}},
            "lesions": [[0, 2]],
        }
    ]


def test_gold_is_valid_and_predictions_match_it(doc, gold):
    validate_gold_record(gold[0])
    scores = score_findings(gold, [predicted_record(doc, "r1")])
    assert scores["findings"] == {"gold": 3, "predicted": 3, "matched": 3, "p": 1.0, "r": 1.0, "f": 1.0}
    assert all(v["accuracy"] == 1.0 for k, v in scores["fields"].items() if "accuracy" in v)
    assert scores["fields"]["locations"]["f"] == 1.0 and scores["fields"]["associated_features"]["n"] == 1
    assert all(v["accuracy"] == 1.0 for v in scores["report"].values())
    pairs = {"gold_pairs": 1, "predicted_pairs": 1, "correct_pairs": 1}
    assert scores["lesions"] == {**pairs, "p": 1.0, "r": 1.0, "f": 1.0}
    assert "| clock | accuracy | 1.000 | 3 |" in findings_table(scores)


def test_errors_are_counted(doc, gold):
    pred = copy.deepcopy(predicted_record(doc, "r1"))
    pred["findings"][0]["clock"] = "5:00"
    pred["findings"][0]["size_mm"] = 12.04  # within the tolerance
    pred["findings"][0]["locations"] = ["4 o'clock", "upper outer quadrant"]
    del pred["findings"][1]  # a missed finding
    pred["lesions"] = [[0], [1]]  # the two masses split
    pred["report"]["birads"]["left"] = "5"
    pred["findings"].append({**pred["findings"][0], "start_char": 0, "end_char": 4})  # a spurious finding
    scores = score_findings(gold, [pred])
    assert scores["findings"]["matched"] == 2 and scores["findings"]["p"] == pytest.approx(2 / 3)
    assert scores["findings"]["r"] == pytest.approx(2 / 3)
    assert scores["fields"]["clock"]["accuracy"] == 0.5 and scores["fields"]["size_mm"]["accuracy"] == 1.0
    assert (scores["fields"]["locations"]["p"], scores["fields"]["locations"]["r"]) == (2 / 3, 1.0)
    assert scores["report"]["birads_left"]["accuracy"] == 0.0 and scores["report"]["birads_overall"]["accuracy"] == 1
    assert (scores["lesions"]["correct_pairs"], scores["lesions"]["r"], scores["lesions"]["p"]) == (0, 0.0, None)


def test_heads_match_by_offsets_then_overlap():
    gold = [{"start": 10, "end": 20}, {"start": 30, "end": 40}, {"start": 50, "end": 55}]
    pred = [{"start_char": 32, "end_char": 45}, {"start_char": 10, "end_char": 20}, {"start_char": 60, "end_char": 64}]
    assert match_findings(gold, pred) == {0: 1, 1: 0}


def test_read_findings_gold(tmp_path, gold):
    path = tmp_path / "findings.jsonl"
    path.write_text(json.dumps(gold[0]) + "\n\n", encoding="utf-8")
    assert list(read_findings_gold(path)) == gold
    path.write_text(json.dumps(gold[0]) + "\n" + json.dumps(gold[0]) + "\n", encoding="utf-8")
    with pytest.raises(MammoDataError, match="line 2.*duplicate id"):
        list(read_findings_gold(path))


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda r: r["findings"][0].update(clock="four o'clock"), "finding 0: 'clock' must be H:MM"),
        (lambda r: r["findings"][0].update(shape_2="irregular"), "finding 0: unknown keys"),
        (lambda r: r["findings"][1].update(type="Lump"), "finding 1: 'type' must be one of"),
        (lambda r: r["findings"][0].update(size_mm="1.2 cm"), "'size_mm' must be a number"),
        (lambda r: r["findings"][0].update(section="Clinical history"), "'section' must be one of"),
        (lambda r: r["report"].update(composition="heterogeneously dense"), "'report.composition'"),
        (lambda r: r.update(lesions=[[0, 1, 2]]), "negated or family \\[1\\]"),
        (lambda r: r.update(lesions=[[0], [0, 2]]), "more than one lesion"),
    ],
)
def test_bad_gold_is_named_without_its_text(gold, change, message):
    record = copy.deepcopy(gold[0])
    change(record)
    with pytest.raises(MammoDataError, match=message) as info:
        validate_gold_record(record, path="findings.jsonl", line=3)
    text = str(info.value)
    assert "findings.jsonl, line 3, record 'r1'" in text
    assert not any(word in text for word in ("four o'clock", "1.2 cm", "heterogeneously", "Lump", "Clinical"))


def test_every_gold_record_needs_a_prediction(gold):
    with pytest.raises(MammoDataError, match="no prediction"):
        score_findings(gold, [])
