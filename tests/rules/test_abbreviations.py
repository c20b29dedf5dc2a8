"""mammo_abbreviations: a short form defined in brackets takes the label of the entity it abbreviates."""

import pytest
import spacy
from spacy.tokens import Span

from spacy_mammo.rules.abbreviations import label_abbreviations, short_form_after
from spacy_mammo.tokenizer import blank_mammo_nlp


@pytest.fixture(scope="module")
def nlp():
    return blank_mammo_nlp()


def _doc(nlp, text, ents):
    """`ents`: (phrase, label) pairs, each the phrase's first occurrence."""
    doc = nlp(text)
    spans = []
    for phrase, label in ents:
        start = text.index(phrase)
        spans.append(doc.char_span(start, start + len(phrase), label=label))
    doc.ents = spans
    return doc


def _ents(doc):
    return [(e.text, e.label_) for e in doc.ents]


def test_the_short_form_and_its_later_uses_get_the_long_forms_label(nlp):
    text = "MCs were misdiagnosed as fibroadenomas (FAs). Compared with FA, MC patients were older; 50 FAs."
    doc = label_abbreviations(_doc(nlp, text, [("fibroadenomas", "OTHER_FINDING")]))
    assert _ents(doc) == [("fibroadenomas", "OTHER_FINDING"), ("FAs", "OTHER_FINDING"), ("FA", "OTHER_FINDING")] + [
        ("FAs", "OTHER_FINDING")
    ]


def test_a_use_before_the_definition_is_labelled_too(nlp):
    text = "NML evaluation. Breast non-mass-like lesions (NMLs) were reviewed."
    doc = label_abbreviations(_doc(nlp, text, [("non-mass-like lesions", "OTHER_FINDING")]))
    assert ("NML", "OTHER_FINDING") in _ents(doc) and ("NMLs", "OTHER_FINDING") in _ents(doc)


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("BI-RADS 2 (Benign). Benign findings.", "BI-RADS 2"),  # a capitalised word, not an abbreviation
        ("a mass (CT) was seen; CT was normal.", "mass"),  # the first letters differ
        ("a mass (12 mm) was seen.", "mass"),  # not one token
        ("a mass (M) was seen.", "mass"),  # too short
    ],
)
def test_what_is_not_a_defined_abbreviation_is_left_alone(nlp, text, phrase):
    doc = _doc(nlp, text, [(phrase, "MASS" if phrase == "mass" else "BIRADS")])
    before = _ents(doc)
    assert _ents(label_abbreviations(doc)) == before


def test_an_entity_the_tagger_found_wins_over_an_abbreviation(nlp):
    text = "fibroadenoma (FA) and the FA region"
    doc = _doc(nlp, text, [("fibroadenoma", "OTHER_FINDING")])
    second = text.rindex("FA region")
    doc.ents = list(doc.ents) + [doc.char_span(second, second + len("FA region"), label="LOCATION")]
    assert _ents(label_abbreviations(doc)) == [
        ("fibroadenoma", "OTHER_FINDING"),
        ("FA", "OTHER_FINDING"),
        ("FA region", "LOCATION"),
    ]


def test_words_between_the_entity_and_the_brackets_count_when_the_short_form_spells_them(nlp):
    text = "Granular cell tumor of the breast (GCTB) is rare. A case of GCTB."
    doc = label_abbreviations(_doc(nlp, text, [("Granular cell tumor", "OTHER_FINDING")]))
    assert _ents(doc) == [
        ("Granular cell tumor", "OTHER_FINDING"),
        ("GCTB", "OTHER_FINDING"),
        ("GCTB", "OTHER_FINDING"),
    ]
    # the short form does not spell "of the breast": not a definition of it
    doc = _doc(nlp, "Granular cell tumor of the breast (GCT) is rare.", [("Granular cell tumor", "OTHER_FINDING")])
    assert short_form_after(doc.ents[0]) is None
    doc = _doc(nlp, "a mass in 2 patients (MP) was seen", [("mass", "MASS")])
    assert short_form_after(doc.ents[0]) is None


def test_short_form_after_reads_only_the_brackets_right_after_the_span(nlp):
    doc = nlp("microcalcifications (MC) in the mammogram")
    assert short_form_after(Span(doc, 0, 1)) == "MC"
    assert short_form_after(Span(doc, 4, 5)) is None


def test_the_component_is_registered_and_saved_with_the_pipeline(nlp, tmp_path):
    pipeline = blank_mammo_nlp()
    pipeline.add_pipe("mammo_abbreviations")
    pipeline.to_disk(tmp_path)
    loaded = spacy.load(tmp_path)
    assert loaded.pipe_names == ["mammo_abbreviations"]
    assert _ents(loaded("no entities (NE) here")) == []
