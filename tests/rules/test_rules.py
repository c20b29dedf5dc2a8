"""The rule baseline: `build_rule_pipeline` and the `mammo_rules` component."""

import pytest
import spacy

from spacy_mammo.labels import LABELS
from spacy_mammo.rules.baseline import METHODS, build_rule_pipeline, pattern_spans
from spacy_mammo.rules.lexicon import PATTERNS
from spacy_mammo.rules.lexicon_match import lexicon_spans

from ..conftest import REPORTS, make_examples, parse_markup

SENTENCE = (
    "There is a 1.2 cm irregular spiculated mass in the right breast at 10 o'clock, 4 cm from the nipple. BI-RADS 4B."
)
EXPECTED = [
    ("1.2 cm", "SIZE"),
    ("irregular", "SHAPE"),
    ("spiculated", "MARGIN"),
    ("mass", "MASS"),
    ("right", "LATERALITY"),
    ("10 o'clock", "LOCATION"),
    ("4 cm from the nipple", "DISTANCE"),
    ("BI-RADS 4B", "BIRADS"),
]


@pytest.mark.parametrize("method", METHODS)
def test_rule_pipeline_finds_lexicon_entities(method):
    nlp = build_rule_pipeline(method)
    doc = nlp(SENTENCE)
    assert [(ent.text, ent.label_) for ent in doc.ents] == EXPECTED


def test_lexicon_method_sets_exactly_the_lexicon_matches():
    nlp = build_rule_pipeline("lexicon")
    for marked in REPORTS:
        text, _ = parse_markup(marked)
        doc = nlp(text)
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == lexicon_spans(text)


def test_entity_ruler_method_uses_spacy_entity_ruler_then_regexes():
    nlp = build_rule_pipeline("entity_ruler")
    assert nlp.pipe_names == ["entity_ruler", "mammo_rules"]
    assert nlp.get_pipe("entity_ruler").patterns
    assert nlp.get_pipe("mammo_rules").terms is False


@pytest.mark.parametrize("method", METHODS)
def test_rule_pipeline_scores_every_gold_entity_of_the_fixtures(method):
    # The fixture reports use lexicon forms only, so recall has to be complete.
    nlp = build_rule_pipeline(method)
    examples = make_examples(nlp)
    scores = nlp.evaluate(examples)
    gold = sum(len(eg.reference.ents) for eg in examples)
    found = sum(
        1
        for eg in examples
        for ent in nlp(eg.reference.text).ents
        if (ent.start_char, ent.end_char, ent.label_)
        in {(e.start_char, e.end_char, e.label_) for e in eg.reference.ents}
    )
    assert found == gold
    assert scores["ents_r"] == 1.0


def test_pattern_spans_use_only_the_regexes_and_do_not_overlap():
    text, _ = parse_markup(" ".join(REPORTS))
    spans = pattern_spans(text)
    assert spans
    assert {label for _, _, label in spans} <= set(PATTERNS)
    for (_, end, _), (start, _, _) in zip(spans, spans[1:]):
        assert end <= start


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_and_whitespace_docs(text):
    assert build_rule_pipeline()(text).ents == ()


def test_keeps_existing_entities_when_not_overwriting():
    nlp = build_rule_pipeline("lexicon")
    nlp.get_pipe("mammo_rules").overwrite_ents = False
    doc = nlp.make_doc("Right breast mass.")
    doc.ents = [doc.char_span(0, 12, "OTHER_FINDING")]
    doc = nlp.get_pipe("mammo_rules")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Right breast", "OTHER_FINDING"), ("mass", "MASS")]


@pytest.mark.parametrize("method", METHODS)
def test_round_trip_through_disk(tmp_path, method):
    nlp = build_rule_pipeline(method)
    nlp.to_disk(tmp_path / "rules")
    loaded = spacy.load(tmp_path / "rules")
    assert loaded.pipe_names == nlp.pipe_names
    for marked in REPORTS:
        text, _ = parse_markup(marked)
        assert [(e.start, e.end, e.label_) for e in loaded(text).ents] == [
            (e.start, e.end, e.label_) for e in nlp(text).ents
        ]


def test_labels_are_the_guideline_labels():
    text, _ = parse_markup(" ".join(REPORTS))
    assert {ent.label_ for ent in build_rule_pipeline()(text).ents} <= set(LABELS)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="method"):
        build_rule_pipeline("regex")
    with pytest.raises(ValueError, match="alignment_mode"):
        build_rule_pipeline("lexicon", alignment_mode="nearest")


def test_pipe_equals_call():
    nlp = build_rule_pipeline()
    texts = [parse_markup(marked)[0] for marked in REPORTS]
    piped = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]
    called = [[(e.start, e.end, e.label_) for e in nlp(text).ents] for text in texts]
    assert piped == called


def test_rule_pipeline_can_add_the_abbreviation_component():
    """The baseline compared with the shipped pipeline gets the same post-processing of defined short forms."""
    text = "Fibroadenomas (FAs) are common. Two FAs were biopsied."
    plain = build_rule_pipeline()(text)
    with_abbreviations = build_rule_pipeline(abbreviations=True)
    assert with_abbreviations.pipe_names == ["mammo_rules", "mammo_abbreviations"]
    found = [(ent.text, ent.label_) for ent in with_abbreviations(text).ents]
    assert found == [("Fibroadenomas", "OTHER_FINDING"), ("FAs", "OTHER_FINDING"), ("FAs", "OTHER_FINDING")]
    assert [ent.text for ent in plain.ents] == ["Fibroadenomas"]
