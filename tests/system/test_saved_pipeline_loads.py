"""A pipeline saved by spacy-mammo 0.1.0 (before the package was split into subpackages) still loads."""

import json
from pathlib import Path

import spacy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_pipeline_saved_before_the_layout_move_loads_and_predicts_the_same():
    nlp = spacy.load(FIXTURES / "pipeline_v0_1_0")
    assert nlp.pipe_names == ["mammo_ner", "mammo_negation", "mammo_findings"]
    expected = json.loads((FIXTURES / "pipeline_v0_1_0_predictions.json").read_text())
    for case in expected:
        doc = nlp(case["text"])
        got = [[e.start_char, e.end_char, e.label_, bool(e._.negated)] for e in doc.ents]
        assert got == case["ents"]
