"""Lesion-level records (`spacy_mammo.rules.lesions`): mentions of one lesion merged, others kept apart."""

import json

import pytest
import spacy

from spacy_mammo.rules.findings import extract_findings
from spacy_mammo.rules.lesions import LESION_KEYS, group_lesions, lesion_family, lesion_records

from . import markup


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("mammo_negation")
    nlp.add_pipe("mammo_findings")
    return nlp


def run(nlp, marked):
    doc = markup.make_doc(nlp, marked)
    for name in nlp.pipe_names:
        doc = nlp.get_pipe(name)(doc)
    return doc


def groups(doc):
    """Each lesion as the head texts of its mentions."""
    return [[doc.text[s:e] for s, e in lesion["mention_offsets"]] for lesion in doc._.lesions]


ISSUE_REPORT = (
    "CLINICAL HISTORY: [[Palpable lump|MASS]] in the [[left|LATERALITY]] breast.\n\n"
    "MAMMOGRAPHY: There is a [[1.0 cm|SIZE]] [[irregular|SHAPE]] [[mass|MASS]] in the [[left|LATERALITY]] breast at "
    "[[4 o'clock|LOCATION]], [[6 cm from the nipple|DISTANCE]]. No suspicious [[calcifications|CALCIFICATION]].\n\n"
    "Sonography of the [[left|LATERALITY]] breast at [[4 o'clock|LOCATION]] demonstrates a [[1.1 cm|SIZE]] "
    "[[hypoechoic mass|MASS]] with [[angular|MARGIN]] margins. [[2|LOCATION]] abnormal "
    "[[lymph nodes|OTHER_FINDING]] in the [[left|LATERALITY]] axilla.\n\n"
    "IMPRESSION: Suspicious [[mass|MASS]] in the [[left|LATERALITY]] breast at [[4:00|LOCATION]].\n\n"
    "RECOMMENDATION: Ultrasound-guided biopsy of the [[left|LATERALITY]] breast [[mass|MASS]]."
)


def test_one_lesion_across_history_modalities_impression_and_recommendation(nlp):
    doc = run(nlp, ISSUE_REPORT)
    assert groups(doc) == [
        ["Palpable lump", "mass", "hypoechoic mass", "mass", "mass"],
        ["lymph nodes"],
    ]
    lesion = doc._.lesions[0]
    assert tuple(lesion) == LESION_KEYS
    assert lesion["mentions"] == [0, 1, 3, 5, 6]
    assert (lesion["laterality"], lesion["clock"], lesion["size_mm"], lesion["distance_from_nipple_cm"]) == (
        "left",
        "4:00",
        11.0,
        6.0,
    )
    assert (lesion["shape"], lesion["margin"]) == ("irregular", "angular")
    assert lesion["modalities"] == ["mammography", "ultrasound"]
    assert lesion["sections"] == ["history", "findings", "impression", "recommendation"]
    assert not lesion["historical"] and doc._.lesions[1]["clock"] is None
    json.dumps(doc._.lesions)


@pytest.mark.parametrize(
    "marked,expected",
    [
        # Different clock positions, sides, sizes, families: never one lesion.
        (
            "[[Mass|MASS]] at [[2:00|LOCATION]] in the [[right|LATERALITY]] breast. "
            "[[Mass|MASS]] at [[8:00|LOCATION]] in the [[right|LATERALITY]] breast.",
            [["Mass"], ["Mass"]],
        ),
        (
            "[[Mass|MASS]] in the [[right|LATERALITY]] breast. [[Mass|MASS]] in the [[left|LATERALITY]] breast.",
            [["Mass"], ["Mass"]],
        ),
        (
            "[[5 mm|SIZE]] [[mass|MASS]] at [[2:00|LOCATION]]. [[30 mm|SIZE]] [[mass|MASS]] at [[2:00|LOCATION]].",
            [["mass"], ["mass"]],
        ),
        (
            "[[Calcifications|CALCIFICATION]] at [[2:00|LOCATION]]. [[Mass|MASS]] at [[2:00|LOCATION]].",
            [["Calcifications"], ["Mass"]],
        ),
        (
            "[[Lymph node|OTHER_FINDING]] at [[2:00|LOCATION]]. [[Mass|MASS]] at [[2:00|LOCATION]].",
            [["Lymph node"], ["Mass"]],
        ),
        # A bilateral finding is never merged.
        (
            "[[Bilateral|LATERALITY]] [[cysts|OTHER_FINDING]]. [[Cyst|OTHER_FINDING]] in the [[right|LATERALITY]] "
            "breast.",
            [["cysts"], ["Cyst"]],
        ),
        # Two heads of one sentence are two lesions, unless one renames the other.
        ("[[Mass|MASS]] and [[cyst|OTHER_FINDING]] in the [[right|LATERALITY]] breast.", [["Mass"], ["cyst"]]),
        (
            "Oval [[mass|MASS]] at [[3:00|LOCATION]], consistent with a [[simple cyst|OTHER_FINDING]].",
            [["mass", "simple cyst"]],
        ),
        # Negated and family findings are no lesions.
        (
            "No [[mass|MASS]]. Mother with [[fibroadenoma|OTHER_FINDING]]. [[Cyst|OTHER_FINDING]] at [[2:00|LOCATION]].",
            [["Cyst"]],
        ),
        # The same measurements, or a reference back.
        (
            "[[Mass|MASS]] at [[10:00|LOCATION]], [[4 cm FN|DISTANCE]]. Ultrasound: [[cyst|OTHER_FINDING]] at "
            "[[10:30|LOCATION]].",
            [["Mass", "cyst"]],
        ),
        (
            "There is a [[mass|MASS]] at [[2:00|LOCATION]]. [[Calcifications|CALCIFICATION]] at [[9:00|LOCATION]]. "
            "The [[lesion|MASS]] measures [[1 cm|SIZE]].",
            [["mass", "lesion"], ["Calcifications"]],
        ),
        (
            "[[Right|LATERALITY]] breast: [[mass|MASS]] at [[2:00|LOCATION]]. [[Cyst|OTHER_FINDING]] at "
            "[[8:00|LOCATION]]. This [[mass|MASS]] is suspicious.",
            [["mass", "mass"], ["Cyst"]],
        ),
        # Two lesions on one side: a mention without measurements stays apart.
        (
            "[[Mass|MASS]] at [[2:00|LOCATION]] in the [[right|LATERALITY]] breast. [[Mass|MASS]] at [[8:00|LOCATION]] "
            "in the [[right|LATERALITY]] breast.\n\nIMPRESSION: [[Right|LATERALITY]] breast [[mass|MASS]].",
            [["Mass"], ["Mass"], ["mass"]],
        ),
    ],
)
def test_grouping(nlp, marked, expected):
    assert groups(run(nlp, marked)) == expected


def test_lesion_records_without_the_component():
    nlp = spacy.blank("en")
    doc = markup.make_doc(nlp, "[[Mass|MASS]] at [[2:00|LOCATION]]. The [[mass|MASS]] is oval.")
    assert doc._.lesions is None
    records = lesion_records(doc)
    assert [r["mentions"] for r in records] == [[0, 1]]
    assert records == group_lesions(extract_findings(doc), doc.text)


@pytest.mark.parametrize(
    "text,kind,family",
    [
        ("intramammary lymph node", "OTHER_FINDING", "node"),
        ("biopsy clip", "OTHER_FINDING", "clip"),
        ("saline implant rupture", "OTHER_FINDING", "implant"),
        ("simple cyst", "OTHER_FINDING", "mass"),
        ("post-surgical changes", "OTHER_FINDING", "scar"),
        ("gynecomastia", "OTHER_FINDING", "other:gynecomastia"),
        ("asymmetry", "ASYMMETRY", "mass"),
        ("calcs", "CALCIFICATION", "calcification"),
        ("skin thickening", "ASSOCIATED_FEATURE", None),
    ],
)
def test_lesion_family(text, kind, family):
    assert lesion_family({"type": kind, "start_char": 0, "end_char": len(text)}, text) == family
