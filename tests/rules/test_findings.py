"""Tests for structured findings and the report summary (`mammo_findings`)."""

import json

import pytest
import spacy

from spacy_mammo.rules.findings import (
    FINDING_KEYS,
    MammoFindings,
    extract_findings,
    normalize_birads,
    normalize_clock,
    normalize_composition,
    normalize_laterality,
    parse_distance_cm,
    parse_size_mm,
    report_summary,
)

from . import markup


def make_doc(nlp, marked):
    """A doc with the markup's entities and their hand-set assertion flags."""
    return markup.make_doc(nlp, marked, flags=True)


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def summary(doc, finding, *keys):
    """The finding's head text plus the chosen keys, for compact assertions."""
    return (doc.text[finding["start_char"] : finding["end_char"]],) + tuple(finding[k] for k in keys)


def test_single_mass_with_all_attributes(nlp):
    doc = make_doc(
        nlp,
        "There is a [[1.2 cm|SIZE]] [[irregular|SHAPE]] [[spiculated|MARGIN]] [[high density|MASS_DENSITY]] "
        "[[mass|MASS]] in the [[right|LATERALITY]] breast at [[10 o'clock|LOCATION]], "
        "[[4 cm from the nipple|DISTANCE]], with associated [[skin retraction|ASSOCIATED_FEATURE]].",
    )
    (f,) = extract_findings(doc)
    assert f == {
        "type": "MASS",
        "start_char": doc.text.index("mass"),
        "end_char": doc.text.index("mass") + 4,
        "section": None,
        "modality": None,
        "laterality": "right",
        "locations": ["10 o'clock"],
        "clock": "10:00",
        "size_mm": 12.0,
        "distance_from_nipple_cm": 4.0,
        "shape": "irregular",
        "margin": "spiculated",
        "density": "high density",
        "calc_morphology": None,
        "calc_distribution": None,
        "associated_features": ["skin retraction"],
        "negated": False,
        "uncertain": False,
        "historical": False,
        "family": False,
    }
    assert tuple(f) == FINDING_KEYS
    json.dumps(f)


def test_findings_hold_no_text_unless_asked(nlp):
    doc = make_doc(nlp, "[[Cyst|OTHER_FINDING]] in the [[left|LATERALITY]] breast.")
    assert "text" not in extract_findings(doc)[0]
    assert extract_findings(doc, include_text=True)[0]["text"] == "Cyst"


def test_two_findings_in_one_sentence(nlp):
    doc = make_doc(
        nlp,
        "There is an [[oval|SHAPE]] [[circumscribed|MARGIN]] [[mass|MASS]] at [[2:00|LOCATION]] measuring "
        "[[8 x 6 mm|SIZE]] and [[fine pleomorphic|CALC_MORPHOLOGY]] [[calcifications|CALCIFICATION]] in a "
        "[[segmental|CALC_DISTRIBUTION]] distribution at [[10:30|LOCATION]] in the [[left|LATERALITY]] breast.",
    )
    mass, calcs = extract_findings(doc)
    keys = ("shape", "margin", "clock", "size_mm", "calc_morphology", "calc_distribution", "laterality")
    assert summary(doc, mass, *keys) == ("mass", "oval", "circumscribed", "2:00", 8.0, None, None, "left")
    assert summary(doc, calcs, *keys) == (
        "calcifications",
        None,
        None,
        "10:30",
        None,
        "fine pleomorphic",
        "segmental",
        "left",
    )


def test_bilateral_findings(nlp):
    doc = make_doc(
        nlp,
        "There is a [[mass|MASS]] in the [[right|LATERALITY]] breast and [[calcifications|CALCIFICATION]] in "
        "the [[left|LATERALITY]] breast. [[Bilateral|LATERALITY]] [[intramammary lymph nodes|OTHER_FINDING]]. "
        "[[Scattered|CALC_DISTRIBUTION]] benign [[calcifications|CALCIFICATION]] in [[both|LATERALITY]] breasts.",
    )
    sides = [summary(doc, f, "laterality") for f in extract_findings(doc)]
    assert sides == [
        ("mass", "right"),
        ("calcifications", "left"),
        ("intramammary lymph nodes", "bilateral"),
        ("calcifications", "bilateral"),
    ]


def test_right_and_left_on_one_head_is_bilateral(nlp):
    doc = make_doc(nlp, "[[Cysts|OTHER_FINDING]] in the [[right|LATERALITY]] and [[left|LATERALITY]] breasts.")
    assert extract_findings(doc)[0]["laterality"] == "bilateral"


def test_negated_list_gives_one_finding_per_head(nlp):
    doc = make_doc(
        nlp,
        "[[Right|LATERALITY]] breast: No suspicious [[masses|MASS|neg]], [[calcifications|CALCIFICATION|neg]], "
        "or [[architectural distortion|DISTORTION|neg]]. [[Left|LATERALITY]] breast: [[oval|SHAPE]] [[mass|MASS]].",
    )
    got = [summary(doc, f, "type", "negated", "laterality", "shape") for f in extract_findings(doc)]
    assert got == [
        ("masses", "MASS", True, "right", None),
        ("calcifications", "CALCIFICATION", True, "right", None),
        ("architectural distortion", "DISTORTION", True, "right", None),
        ("mass", "MASS", False, "left", "oval"),
    ]


def test_negated_descriptor_stays_with_negated_head(nlp):
    doc = make_doc(nlp, "No [[spiculated|MARGIN|neg]] [[masses|MASS|neg]] or [[calcifications|CALCIFICATION|neg]].")
    mass, calcs = extract_findings(doc)
    assert (mass["margin"], mass["negated"], calcs["margin"], calcs["negated"]) == ("spiculated", True, None, True)


def test_associated_feature_alone_or_attached(nlp):
    doc = make_doc(
        nlp,
        "[[Irregular|SHAPE]] [[mass|MASS]] with [[nipple retraction|ASSOCIATED_FEATURE]]. "
        "[[Skin thickening|ASSOCIATED_FEATURE]] of the [[left|LATERALITY]] breast. "
        "[[Mass|MASS]] without [[skin retraction|ASSOCIATED_FEATURE|neg]].",
    )
    got = [summary(doc, f, "type", "associated_features", "negated") for f in extract_findings(doc)]
    assert got == [
        ("mass", "MASS", ["nipple retraction"], False),
        ("Skin thickening", "ASSOCIATED_FEATURE", [], False),
        ("Mass", "MASS", [], False),
        ("skin retraction", "ASSOCIATED_FEATURE", [], True),
    ]


def test_laterality_and_location_inherited_from_earlier_clause(nlp):
    doc = make_doc(
        nlp,
        "FINDINGS:\n[[Left|LATERALITY]] breast, [[upper outer quadrant|LOCATION]]:\n"
        "[[Grouped|CALC_DISTRIBUTION]] [[amorphous|CALC_MORPHOLOGY]] [[calcifications|CALCIFICATION]].\n"
        "An adjacent [[focal asymmetry|ASYMMETRY|unc]] is questioned.\n"
        "IMPRESSION:\n[[Calcifications|CALCIFICATION]] as above.",
    )
    got = [summary(doc, f, "laterality", "locations", "section", "uncertain") for f in extract_findings(doc)]
    assert got == [
        ("calcifications", "left", ["upper outer quadrant"], "findings", False),
        ("focal asymmetry", "left", ["upper outer quadrant"], "findings", True),
        ("Calcifications", None, [], "impression", False),
    ]


def test_trailing_attribute_attaches_backward_leading_forward(nlp):
    doc = make_doc(
        nlp,
        "A [[cyst|OTHER_FINDING]] at [[3:00|LOCATION]] and a [[5 mm|SIZE]] [[nodule|MASS]] at [[9:00|LOCATION]] "
        "[[6 cm FN|DISTANCE]].",
    )
    got = [summary(doc, f, "clock", "size_mm", "distance_from_nipple_cm") for f in extract_findings(doc)]
    assert got == [("cyst", "3:00", None, None), ("nodule", "9:00", 5.0, 6.0)]


def test_cluster_of_calcifications_after_a_mass(nlp):
    doc = make_doc(
        nlp,
        "[[Mass|MASS]] and a [[cluster|CALC_DISTRIBUTION]] of [[punctate|CALC_MORPHOLOGY]] "
        "[[calcifications|CALCIFICATION]].",
    )
    mass, calcs = extract_findings(doc)
    assert mass["calc_distribution"] is None
    assert (calcs["calc_distribution"], calcs["calc_morphology"]) == ("cluster", "punctate")


def test_mass_descriptor_prefers_mass_head(nlp):
    doc = make_doc(nlp, "[[Calcifications|CALCIFICATION]] and [[mass|MASS]] with [[obscured|MARGIN]] margins.")
    calcs, mass = extract_findings(doc)
    assert (calcs["margin"], mass["margin"]) == (None, "obscured")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("10 o'clock", "10:00"),
        ("10 o\u2019clock", "10:00"),
        ("10:00", "10:00"),
        ("10:30", "10:30"),
        ("ten thirty", "10:30"),
        ("10-11 o'clock", "10:00-11:00"),
        ("2 to 3 o'clock", "2:00-3:00"),
        ("12:00 axis", "12:00"),
        ("1030", "10:30"),
        ("upper outer quadrant", None),
        ("13:00", None),
        ("retroareolar", None),
    ],
)
def test_normalize_clock(text, expected):
    assert normalize_clock(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1.2 cm", 12.0),
        ("12 x 8 mm", 12.0),
        ("1.2 x 0.9 x 1.0 cm", 12.0),
        ("10x6x8mm", 10.0),
        ("one centimeter", 10.0),
        ("5mm", 5.0),
        ("1.2 cm x 8 mm", 12.0),
        ("0.5cm", 5.0),
        ("1,4 cm", 14.0),
        ("3 millimeters", 3.0),
        ("12 x 8", 12.0),
        ("1.2 x 0.8", 12.0),
        ("about", None),
    ],
)
def test_parse_size_mm(text, expected):
    assert parse_size_mm(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [("4 cm from the nipple", 4.0), ("4 cm FN", 4.0), ("6 cmfn", 6.0), ("45 mm from the nipple", 4.5), ("7", 7.0)],
)
def test_parse_distance_cm(text, expected):
    assert parse_distance_cm(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("almost entirely fatty", "a"),
        ("scattered areas of fibroglandular density", "b"),
        ("scattered fibroglandular tissue", "b"),
        ("Scattered FGT", "b"),
        ("heterogeneously dense", "c"),
        ("heterogenously dense", "c"),
        ("hetrogeneously dense", "c"),
        ("extremely dense", "d"),
        ("extremly dense", "d"),
        ("ACR density C", "c"),
        ("category B", "b"),
        ("C", "c"),
        ("ACR 4", "d"),
        ("dense", None),
    ],
)
def test_normalize_composition(text, expected):
    assert normalize_composition(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("BI-RADS 4", "4"),
        ("BI-RADS category 4A", "4A"),
        ("BIRADS: 2", "2"),
        ("ACR BI-RADS 0", "0"),
        ("Category 1", "1"),
        ("BI-RADS Assessment: Category 1", "1"),
        ("BI-RADS zero", "0"),
        ("BI-RADS 4 A", "4A"),
        ("BIRADS III", "3"),
        ("bi rads 2", "2"),
        ("birads4", "4"),
        ("BI-RADS IVb", "4B"),
        ("BI-RADS 4-c", "4C"),
        ("BI-RADS six", "6"),
        ("BIRADS V", "5"),
        ("BI-RADS", None),
    ],
)
def test_normalize_birads(text, expected):
    assert normalize_birads(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("R", "right"),
        ("RT", "right"),
        ("Rt.", "right"),
        ("left", "left"),
        ("L", "left"),
        ("both", "bilateral"),
        ("bilaterally", "bilateral"),
        ("B/L", "bilateral"),
        ("upper", None),
    ],
)
def test_normalize_laterality(text, expected):
    assert normalize_laterality(text) == expected


def test_composition_letter_and_descriptor(nlp):
    doc = make_doc(nlp, "Breast density: [[C|COMPOSITION]] - [[heterogeneously dense|COMPOSITION]].")
    assert report_summary(doc)["composition"] == "c"
    doc = make_doc(nlp, "The breasts are [[extremly dense|COMPOSITION]], which lowers sensitivity.")
    assert report_summary(doc)["composition"] == "d"
    assert report_summary(make_doc(nlp, "No masses."))["composition"] is None


def test_birads_per_breast(nlp):
    doc = make_doc(
        nlp,
        "IMPRESSION:\n[[Right|LATERALITY]] breast: [[BI-RADS 2|BIRADS]].\n"
        "[[Left|LATERALITY]] breast: [[BI-RADS 4B|BIRADS]]\n",
    )
    assert report_summary(doc)["birads"] == {"right": "2", "left": "4B", "overall": "4B"}


def test_birads_two_sides_in_one_sentence(nlp):
    doc = make_doc(
        nlp,
        "[[Right|LATERALITY]] [[BI-RADS 1|BIRADS]], [[left|LATERALITY]] [[BI-RADS 0|BIRADS]].",
    )
    assert report_summary(doc)["birads"] == {"right": "1", "left": "0", "overall": "0"}


def test_prior_assessment_in_history_does_not_override(nlp):
    doc = make_doc(
        nlp,
        "CLINICAL HISTORY: Prior [[BI-RADS 3|BIRADS]] in the [[left|LATERALITY]] breast, 6 month follow-up.\n"
        "FINDINGS: Stable [[calcifications|CALCIFICATION]].\n"
        "IMPRESSION: Benign. [[BI-RADS 2|BIRADS]]",
    )
    assert report_summary(doc)["birads"] == {"right": None, "left": None, "overall": "2"}


def test_last_assessment_wins_without_sections(nlp):
    doc = make_doc(
        nlp,
        "Previously [[BI-RADS 0|BIRADS]] at screening. Findings are benign. Overall assessment [[BIRADS II|BIRADS]].",
    )
    assert report_summary(doc)["birads"]["overall"] == "2"


def test_history_assessment_used_when_alone(nlp):
    doc = make_doc(nlp, "HISTORY: [[BI-RADS 3|BIRADS]] on prior.")
    assert report_summary(doc)["birads"]["overall"] == "3"


def test_bilateral_assessment(nlp):
    doc = make_doc(nlp, "[[Bilateral|LATERALITY]] [[BI-RADS 1|BIRADS]].")
    assert report_summary(doc)["birads"] == {"right": "1", "left": "1", "overall": "1"}


def test_component_in_pipeline(nlp):
    pipeline = spacy.blank("en")
    ruler = pipeline.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "MASS", "pattern": [{"LOWER": {"IN": ["mass", "masses"]}}]},
            {"label": "LATERALITY", "pattern": [{"LOWER": {"IN": ["right", "left"]}}]},
            {"label": "BIRADS", "pattern": [{"LOWER": "bi"}, {"ORTH": "-"}, {"LOWER": "rads"}, {"IS_DIGIT": True}]},
        ]
    )
    pipeline.add_pipe("mammo_negation")
    pipeline.add_pipe("mammo_findings")
    texts = ["No masses in the right breast. BI-RADS 1.", "Left breast mass. BI-RADS 4.", "", "   "]
    docs = list(pipeline.pipe(texts))
    assert [d._.findings for d in docs] == [pipeline(t)._.findings for t in texts]
    assert [(f["negated"], f["laterality"]) for f in docs[0]._.findings] == [(True, "right")]
    # one breast examined: the unsided assessment is that breast's
    assert docs[1]._.report["birads"] == {"right": None, "left": "4", "overall": "4"}
    assert docs[2]._.findings == [] and docs[2]._.report == {
        "composition": None,
        "birads": {"right": None, "left": None, "overall": None},
    }


def test_factory_config_and_round_trip(tmp_path):
    pipeline = spacy.blank("en")
    pipeline.add_pipe("mammo_findings", config={"include_text": True})
    meta = pipeline.get_pipe_meta("mammo_findings")
    assert set(meta.assigns) == {"doc._.findings", "doc._.report", "doc._.lesions"}
    pipeline.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    component = loaded.get_pipe("mammo_findings")
    assert isinstance(component, MammoFindings) and component.include_text
    doc = component(make_doc(loaded, "[[Cyst|OTHER_FINDING]]."))
    assert doc._.findings[0]["text"] == "Cyst"
