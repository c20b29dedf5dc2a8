"""Headings, sections, modality and clauses (`spacy_mammo.rules.layout`), seen through the findings."""

from pathlib import Path

import pytest
import spacy

from spacy_mammo.corpus.readers import read_jsonl_records, records_to_docs
from spacy_mammo.rules.findings import extract_findings, report_summary
from spacy_mammo.rules.layout import clause_bounds, heading_starts, report_layout, sections
from spacy_mammo.tokenizer import blank_mammo_nlp

from . import markup

ASSETS = Path(__file__).resolve().parents[2] / "assets"
HAND_WRITTEN = [ASSETS / "independent" / "reports.jsonl", ASSETS / "independent_blind" / "reports.jsonl"]


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def findings(nlp, marked, *keys):
    doc = markup.make_doc(nlp, marked, flags=True)
    return [(doc.text[f["start_char"] : f["end_char"]],) + tuple(f[k] for k in keys) for f in extract_findings(doc)]


# (heading in capitals, its title-case form, section kind, modality)
HEADINGS = [
    ("MAMMOGRAPHY", "Mammography", "findings", "mammography"),
    ("SONOGRAPHY", "Sonography", "findings", "ultrasound"),
    ("ULTRASOUND", "Ultrasound", "findings", "ultrasound"),
    ("MRI", "MRI", "findings", "mri"),
    ("TECHNIQUE", "Technique", "technique", None),
    ("PROCEDURE", "Procedure", "procedure", "procedure"),
    ("COMPARISON", "Comparison", "comparison", None),
    ("CLINICAL HISTORY", "Clinical History", "history", None),
    ("INDICATION", "Indication", "history", None),
    ("FINDINGS", "Findings", "findings", None),
    ("IMPRESSION", "Impression", "impression", None),
    ("ASSESSMENT AND RECOMMENDATIONS", "Assessment and Recommendations", "impression", None),
    ("RECOMMENDATION", "Recommendation", "recommendation", None),
    ("RECOMMENDATIONS", "Recommendations", "recommendation", None),
]
FORMS = {
    "capitals, colon, same line": lambda caps, title: f"{caps}: ",
    "capitals, colon, own line": lambda caps, title: f"{caps}:\n",
    "capitals, own line": lambda caps, title: f"{caps}\n",
    "title case, colon, same line": lambda caps, title: f"{title}: ",
    "title case, own line": lambda caps, title: f"{title}\n",
    "numbered": lambda caps, title: f"2. {caps}:\n",
    "after a sentence": lambda caps, title: f"Exam date 01/02/2024. {caps}: ",
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("caps,title,kind,modality", HEADINGS)
def test_heading_forms(nlp, form, caps, title, kind, modality):
    marked = FORMS[form](caps, title) + "Irregular [[mass|MASS]] in the [[left|LATERALITY]] breast."
    assert findings(nlp, marked, "section", "modality") == [("mass", kind, modality)]


def test_no_heading_no_section(nlp):
    assert findings(nlp, "Irregular [[mass|MASS]] in the [[left|LATERALITY]] breast.", "section", "modality") == [
        ("mass", None, None)
    ]


def test_narrative_in_capitals_and_field_labels_are_no_headings(nlp):
    marked = (
        "FINDINGS: Dense breasts.\nNO SUSPICIOUS FINDINGS ARE SEEN IN THE [[LEFT|LATERALITY]] BREAST.\n"
        "Breast composition: dense.\nDate of exam: 01/02/2024\n[[Mass|MASS]] at [[2:00|LOCATION]]."
    )
    assert findings(nlp, marked, "section") == [("Mass", "findings")]


def test_unheaded_paragraphs(nlp):
    marked = (
        "CLINICAL HISTORY: [[Palpable lump|MASS]] in the [[left|LATERALITY]] breast.\n\n"
        "There is a [[mass|MASS]] at [[2:00|LOCATION]].\n\n"
        "FINDINGS: Scattered densities.\n\nA [[cyst|OTHER_FINDING]] at [[4:00|LOCATION]].\n\n"
        "HISTORY: Screening.\n\nTargeted ultrasound of the [[left|LATERALITY]] breast shows a [[mass|MASS]].\n\n"
        "Indication:\n\n[[Lump|MASS]] in the [[right|LATERALITY]] breast."
    )
    assert findings(nlp, marked, "section", "modality") == [
        ("Palpable lump", "history", None),
        ("mass", None, None),  # a history paragraph ends at the blank line
        ("cyst", "findings", None),  # a findings section goes on over paragraphs
        ("mass", "findings", "ultrasound"),  # a paragraph opening with a modality
        ("Lump", "history", None),  # the first paragraph after a heading belongs to it
    ]


def test_report_modality_comes_from_the_title_and_technique(nlp):
    marked = (
        "[[LEFT|LATERALITY]] DIAGNOSTIC MAMMOGRAM\n\nFINDINGS: Irregular [[mass|MASS]] at [[2:00|LOCATION]].\n\n"
        "IMPRESSION: Suspicious [[mass|MASS]]."
    )
    assert findings(nlp, marked, "section", "modality", "laterality") == [
        ("mass", "findings", "mammography", "left"),
        ("mass", "impression", "mammography", "left"),
    ]
    marked = "TECHNIQUE: CC and MLO views with tomosynthesis.\n\nFINDINGS: [[Mass|MASS]] at [[2:00|LOCATION]]."
    assert findings(nlp, marked, "modality") == [("Mass", "mammography")]
    marked = "DIAGNOSTIC MAMMOGRAM AND ULTRASOUND\n\nFINDINGS: [[Mass|MASS]] at [[2:00|LOCATION]]."
    assert findings(nlp, marked, "modality") == [("Mass", None)]


def test_bilateral_exam_side_only_for_negated_findings(nlp):
    marked = (
        "EXAM: [[Bilateral|LATERALITY]] screening mammogram\n\n"
        "No [[masses|MASS|neg]]. [[Calcifications|CALCIFICATION]]."
    )
    assert findings(nlp, marked, "laterality") == [("masses", "bilateral"), ("Calcifications", None)]


def test_modality_sentences_and_modality_headings_in_the_impression(nlp):
    marked = (
        "DIAGNOSTIC MAMMOGRAM AND ULTRASOUND\n"
        "FINDINGS: [[Asymmetry|ASYMMETRY]] at [[3:00|LOCATION]]. "
        "Ultrasound shows a [[mass|MASS]] at [[3:00|LOCATION]].\n"
        "IMPRESSION:\nUltrasound: [[simple cyst|OTHER_FINDING]].\n"
        "Ultrasound-guided biopsy of the [[mass|MASS]] is recommended."
    )
    assert findings(nlp, marked, "section", "modality") == [
        ("Asymmetry", "findings", None),
        ("mass", "findings", "ultrasound"),
        ("simple cyst", "impression", "ultrasound"),
        ("mass", "impression", "ultrasound"),
    ]


def test_the_issue_report(nlp):
    """The real-style diagnostic report of issue 15: history, MAMMOGRAPHY:, sonography paragraphs, IMPRESSION:."""
    marked = (
        "CLINICAL HISTORY: [[Palpable lump|MASS]] in the [[left|LATERALITY]] breast.\n\n"
        "MAMMOGRAPHY: There is a [[1.0 cm|SIZE]] [[mass|MASS]] in the [[left|LATERALITY]] breast at "
        "[[4 o'clock|LOCATION]].\n\n"
        "Sonography of the [[left|LATERALITY]] breast at [[4 o'clock|LOCATION]] demonstrates a [[1.0 cm|SIZE]] "
        "[[hypoechoic mass|MASS]].\n\n"
        "IMPRESSION: [[Mass|MASS]] in the [[left|LATERALITY]] breast at [[4 o'clock|LOCATION]].\n\n"
        "ACR BI-RADS category (left breast): 5"
    )
    assert findings(nlp, marked, "section", "modality") == [
        ("Palpable lump", "history", None),
        ("mass", "findings", "mammography"),
        ("hypoechoic mass", "findings", "ultrasound"),
        ("Mass", "impression", None),
    ]


def test_wrapped_label_is_no_heading():
    text = "Mammography shows two masses. Ultrasound\nfindings are tabulated:\n\n| 1 | R | 9:00 |"
    assert sections(text) == [(0, "findings", "mammography")]


def test_readers_cut_sections_at_label_and_capital_lines():
    text = "FINDINGS:\nMass.\nImpression: benign\nIMPRESSION\nBenign findings\nNo mass. Findings: none"
    assert heading_starts(text) == [0, 16, 35]


@pytest.mark.parametrize(
    "marked,negated",
    [
        (
            "There is no evidence\nof [[mass|MASS]] or [[calcifications|CALCIFICATION]] in the [[right|LATERALITY]] "
            "breast.",
            [True, True, False],
        ),
        ("No suspicious [[masses|MASS]]\nor [[calcifications|CALCIFICATION]].", [True, True]),
        ("[[Masses|MASS]]: none\n[[Calcifications|CALCIFICATION]]: present", [True, False]),
        (
            "No [[masses|MASS]]\n\n[[Calcifications|CALCIFICATION]] in the [[left|LATERALITY]] breast",
            [True, False, False],
        ),
        ("IMPRESSION: no [[mass|MASS]]\nRECOMMENDATION\n[[Cyst|OTHER_FINDING]] aspiration", [True, False]),
        ("- No [[mass|MASS]]\n- [[calcifications|CALCIFICATION]] at [[2:00|LOCATION]]", [True, False, False]),
        ("Findings:\n* no [[mass|MASS]]\n* [[calcifications|CALCIFICATION]]", [True, False]),
        ("1) No [[mass|MASS]]\n2) [[calcifications|CALCIFICATION]]", [True, False]),
        ("No [[mass|MASS]] (BI-RADS\n0) or [[calcifications|CALCIFICATION]]", [True, True]),
        ("No [[mass|MASS]] seen\nBenign [[calcifications|CALCIFICATION]]", [True, False]),
        ("No [[mass|MASS]] in the\nRight [[axilla|LOCATION]] or [[calcifications|CALCIFICATION]]", [True, False, True]),
    ],
)
def test_a_newline_ends_a_clause_only_where_the_text_says_so(marked, negated):
    nlp = spacy.blank("en")
    nlp.add_pipe("mammo_negation")
    doc = nlp.get_pipe("mammo_negation")(markup.make_doc(nlp, marked))
    assert [e._.negated for e in doc.ents] == negated


def test_table_rows_are_clauses(nlp):
    doc = markup.make_doc(
        nlp, "| Side | Clock |\n| [[R|LATERALITY]] | [[9:00|LOCATION]] |\n| [[L|LATERALITY]] | [[2:00|LOCATION]] |"
    )
    assert len(clause_bounds(doc)) == 3


def test_birads_value_on_the_next_line_or_after_a_side(nlp):
    doc = markup.make_doc(nlp, "IMPRESSION: Suspicious.\n[[ACR BI-RADS Category|BIRADS]]:\n5: Highly suggestive.")
    assert report_summary(doc)["birads"]["overall"] == "5"
    doc = markup.make_doc(nlp, "IMPRESSION: Suspicious.\nACR BI-RADS Category:\n[[5|BIRADS]]: Highly suggestive.")
    assert report_summary(doc)["birads"]["overall"] == "5"
    doc = markup.make_doc(nlp, "[[ACR BI-RADS category|BIRADS]] ([[left|LATERALITY]] breast): 5")
    assert report_summary(doc)["birads"] == {"right": None, "left": "5", "overall": "5"}
    doc = markup.make_doc(nlp, "[[BI-RADS|BIRADS]]\n1. Left breast mass.")
    assert report_summary(doc)["birads"]["overall"] is None


def test_impression_sides_fall_back_to_the_findings(nlp):
    doc = markup.make_doc(
        nlp,
        "FINDINGS:\n[[R|LATERALITY]]  12x8  [[2|BIRADS]]\n\nSUMMARY\nOverall: [[BI-RADS 2|BIRADS]].",
    )
    assert report_summary(doc)["birads"] == {"right": "2", "left": None, "overall": "2"}


def _wrap(text, width):
    """Hard-wrap at `width` by turning spaces into newlines (offsets stay the same)."""
    chars, column, last_space = list(text), 0, None
    for i, char in enumerate(chars):
        if char == "\n":
            column, last_space = 0, None
            continue
        column += 1
        if column > width and last_space is not None:
            chars[last_space] = "\n"
            column, last_space = i - last_space, None
        if char == " ":
            last_space = i
    return "".join(chars)


@pytest.fixture(scope="module")
def rule_nlp():
    nlp = blank_mammo_nlp()
    nlp.add_pipe("mammo_negation")
    nlp.add_pipe("mammo_findings")
    return nlp


def _rule_values(nlp, record):
    doc = next(iter(records_to_docs([record], nlp)))
    for name in ("mammo_negation", "mammo_findings"):
        doc = nlp.get_pipe(name)(doc)
    flags = [(e.start_char, e._.negated, e._.uncertain, e._.historical, e._.family) for e in doc.ents]
    return flags, doc._.findings, doc._.report, doc._.lesions


@pytest.mark.parametrize("path", HAND_WRITTEN, ids=lambda p: p.parent.name)
def test_hard_wrapped_reports_give_the_same_values(rule_nlp, path):
    """Gold spans as entities, so the tagger is not involved; only the text's line breaks differ."""
    differ, wrapped_texts = [], 0
    records = list(read_jsonl_records(path))
    for record in records:
        plain = _rule_values(rule_nlp, record)
        for width in (60, 70, 80):
            wrapped = {**record, "text": _wrap(record["text"], width)}
            wrapped_texts += wrapped["text"] != record["text"]
            if _rule_values(rule_nlp, wrapped) != plain:
                differ.append((record["id"], width))
    assert wrapped_texts >= len(records) and differ == []


def test_layout_of_an_empty_doc(nlp):
    layout = report_layout(nlp.make_doc(""))
    assert layout.bounds == [] and layout.section_at(0) == (0, None) and layout.modality_at(0) is None
