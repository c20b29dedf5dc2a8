"""Numbers that are not measurements never become sizes, clock positions or categories, whatever the label."""

import pytest

from spacy_mammo.rules.findings import extract_findings, report_summary
from spacy_mammo.rules.numbers import in_table_row, is_value, non_measurement
from spacy_mammo.tokenizer import blank_mammo_nlp

from . import markup


@pytest.fixture(scope="module")
def nlp():
    return blank_mammo_nlp()


def values(nlp, marked):
    """(clock, size, distance, locations) of the one finding, and the report's overall BI-RADS and composition."""
    doc = markup.make_doc(nlp, marked)
    (finding,) = extract_findings(doc)
    report = report_summary(doc)
    keys = ("clock", "size_mm", "distance_from_nipple_cm", "locations")
    return tuple(finding[k] for k in keys) + (report["birads"]["overall"], report["composition"])


NOTHING = (None, None, None, [], None, None)

# The same wrongly labelled number under every value label: none may give a value.
NON_MEASUREMENTS = {
    "count": "There are [[2|{label}]] abnormal [[lymph nodes|OTHER_FINDING]] in the axilla.",
    "count in words": "[[Two|{label}]] small [[cysts|OTHER_FINDING]] are seen.",
    "age": "[[52|{label}]] year old woman with a palpable [[lump|MASS]].",
    "age after a label": "Patient age [[58|{label}]]. Screening. [[Mass|MASS]] seen.",
    "age with F": "Indication: [[38F|{label}]] with a [[lump|MASS]].",
    "gauge": "A [[14|{label}]] gauge core biopsy of the [[mass|MASS]] was performed.",
    "gauge glued": "Biopsy with a [[14|{label}]]G needle; [[clip|OTHER_FINDING]] placed.",
    "date": "Compared with [[12/20/2024|{label}]], the [[mass|MASS]] is stable.",
    "date with dots": "Prior exam [[04.08.2018|{label}]] showed the [[mass|MASS]].",
    "month and year": "Biopsy in [[11/2022|{label}]]; [[clip|OTHER_FINDING]] in place.",
    "year": "Excised in [[2004|{label}]]; [[scar|OTHER_FINDING]] unchanged.",
    "day and month": "Screening on [[9|{label}]] Sep 2013: [[mass|MASS]].",
    "time after a date": "Date: 01/08/2024 [[08:42|{label}]]\n[[Mass|MASS]] in the breast.",
    "time with seconds": "Study date: 04.08.2018 [[10:11:56|{label}]]\n[[Mass|MASS]] in the breast.",
    "time label": "Time: [[10:15|{label}]]\n[[Mass|MASS]] in the breast.",
    "time am": "Read at [[9:30|{label}]] am. [[Mass|MASS]] in the breast.",
    "accession": "Acc#: [[70012845|{label}]]\n[[Mass|MASS]] in the breast.",
    "accession after a label": "Accession No. [[4|{label}]]\n[[Mass|MASS]] in the breast.",
    "record number": "MRN: [[00418823|{label}]]   [[Mass|MASS]] in the breast.",
    "code": "CPT 77067, [[77063|{label}]]. [[Mass|MASS]] in the breast.",
}


@pytest.mark.parametrize("case", NON_MEASUREMENTS)
@pytest.mark.parametrize("label", ["SIZE", "DISTANCE", "LOCATION", "BIRADS", "COMPOSITION"])
def test_non_measurements_give_no_value(nlp, case, label):
    assert values(nlp, NON_MEASUREMENTS[case].format(label=label)) == NOTHING


@pytest.mark.parametrize(
    "marked,expected",
    [
        ("[[Mass|MASS]], size: [[15|SIZE]]", (None, 15.0, None, [], None, None)),
        ("[[Mass|MASS]] measuring [[12|SIZE]] mm", (None, 12.0, None, [], None, None)),
        ("[[Mass|MASS]] at clock [[10|LOCATION]]", ("10:00", None, None, ["10"], None, None)),
        ("[[Mass|MASS]] at [[2|LOCATION]], 3 cm FN", ("2:00", None, None, ["2"], None, None)),
        ("[[Mass|MASS]], FN (cm): [[7|DISTANCE]]", (None, None, 7.0, [], None, None)),
        (
            "[[Mass|MASS]] [[1.2 cm|SIZE]] [[4 cm FN|DISTANCE]] [[10:30|LOCATION]]",
            ("10:30", 12.0, 4.0, ["10:30"], None, None),
        ),
        ("[[Mass|MASS]] measuring [[one centimeter|SIZE]]", (None, 10.0, None, [], None, None)),
        (
            "| 1 | [[mass|MASS]] | [[9:00|LOCATION]] | [[4|DISTANCE]] | [[15|SIZE]] | [[3|BIRADS]] |",
            ("9:00", 15.0, 4.0, ["9:00"], "3", None),
        ),
        (
            "1\t[[mass|MASS]]\t[[9|LOCATION]]\t[[4|DISTANCE]]\t[[15|SIZE]]\t[[3|BIRADS]]",
            ("9:00", 15.0, 4.0, ["9"], "3", None),
        ),
        ("[[Mass|MASS]].\nBI-RADS Category:\n[[4|BIRADS]] - Suspicious", (None, None, None, [], "4", None)),
        ("[[Mass|MASS]]. [[birads4|BIRADS]]. Density: [[3|COMPOSITION]]", (None, None, None, [], "4", "c")),
        ("[[Mass|MASS]]. [[ACR 4|COMPOSITION]]. [[BI-RADS 2|BIRADS]]", (None, None, None, [], "2", "d")),
    ],
)
def test_real_values_are_kept(nlp, marked, expected):
    assert values(nlp, marked) == expected


def test_a_clock_tagged_as_a_category_is_no_category(nlp):
    assert values(nlp, "[[Mass|MASS]] at [[10:00|BIRADS]].")[4] is None


@pytest.mark.parametrize(
    "text,reason",
    [
        ("2 abnormal lymph nodes", "count"),
        ("three cysts", "count"),
        ("45 years", "age"),
        ("14 gauge", "gauge"),
        ("12/20/2024", "date"),
        ("2019", "date"),
        ("Acc 3391002", "accession"),
        ("10:11:56", "time"),
        ("10 o'clock", None),
        ("1.2 x 0.9 cm", None),
        ("4", None),
        ("2 masses", "count"),
        ("BI-RADS 4", None),
    ],
)
def test_non_measurement(text, reason):
    start = text.index("3391002") if text.startswith("Acc") else 0
    end = start + len(text.split()[0] if reason in ("count", "age", "gauge") else text[start:])
    assert non_measurement(text, start, end) == reason


def test_table_rows():
    text = "Side  Size (mm)  FN (cm)\nR  12x8  12\nnote\n| a | b |\n1   R      UOQ 10:30\n    mass      4B"
    rows = [line for line in text.split("\n")]
    starts = [text.index(line) for line in rows]
    assert [in_table_row(text, s) for s in starts] == [True, True, False, True, True, True]


def test_labels_without_numbers_are_always_values():
    text = "upper outer quadrant, almost entirely fatty"
    assert is_value("LOCATION", text, 0, 20) and is_value("COMPOSITION", text, 22, len(text))
