"""The training augmenters keep every gold entity and its negation."""

import random

import pytest
import spacy
from spacy.training import Example

import spacy_mammo.training.augment  # noqa: F401  (registers the augmenters)
from spacy_mammo.extensions import register_extensions
from spacy_mammo.rules.lexicon import TERMS
from spacy_mammo.tokenizer import blank_mammo_nlp

from ..conftest import make_examples

register_extensions()


@pytest.fixture(scope="module")
def nlp():
    return blank_mammo_nlp()


def _ents(eg: Example):
    return [(e.text, e.label_, e._.negated) for e in eg.reference.ents]


def test_wrap_augmenter_adds_a_wrapped_copy_with_the_same_entities(nlp):
    augment = spacy.registry.augmenters.get("spacy-mammo.wrap_augmenter.v1")(level=1.0, min_width=20, max_width=20)
    random.seed(0)
    long_report = max(make_examples(nlp), key=lambda eg: len(eg.reference.text))
    original, wrapped = list(augment(nlp, long_report))
    assert original is long_report
    assert "\n" in wrapped.reference.text and wrapped.reference.text.replace("\n", " ") == original.reference.text
    assert _ents(wrapped) == _ents(original)
    assert all("\n" not in e.text for e in wrapped.reference.ents)


def test_entity_substitution_swaps_findings_for_other_lexicon_terms(nlp):
    augment = spacy.registry.augmenters.get("spacy-mammo.entity_substitution_augmenter.v1")(
        level=1.0, per_entity=1.0, labels=["MASS", "OTHER_FINDING"]
    )
    random.seed(3)
    examples = make_examples(nlp)
    for example in examples:  # the negation flags of the markup
        for ent in example.reference.ents:
            ent._.negated = "No suspicious" in example.reference.text and ent.label_ != "BIRADS"
    out = [eg for example in examples for eg in augment(nlp, example)]
    substituted = [eg for eg in out if eg not in examples]
    assert substituted
    for eg in substituted:
        for ent in eg.reference.ents:
            if ent.label_ in ("MASS", "OTHER_FINDING"):
                assert ent.text.lower() in TERMS[ent.label_]
    # the negated masses of report 2 stay negated
    negated = [e for eg in substituted for e in eg.reference.ents if e._.negated]
    assert any(e.label_ == "MASS" for e in negated)


def test_chain_runs_augmenters_in_config_order_and_config_resolves(nlp):
    config = {
        "aug": {
            "@augmenters": "spacy-mammo.chain_augmenters.v1",
            "augmenters": {
                "wrap": {
                    "@augmenters": "spacy-mammo.wrap_augmenter.v1",
                    "level": 1.0,
                    "min_width": 15,
                    "max_width": 15,
                },
                "lower": {"@augmenters": "spacy.lower_case.v1", "level": 1.0},
            },
        }
    }
    augment = spacy.registry.resolve(config)["aug"]
    example = make_examples(nlp)[0]
    texts = [eg.reference.text for eg in augment(nlp, example)]
    assert len(texts) == 2 and texts[0] == example.reference.text.lower() and "\n" in texts[1]


def test_bad_levels_are_refused():
    with pytest.raises(ValueError):
        spacy.registry.augmenters.get("spacy-mammo.wrap_augmenter.v1")(level=1.5)
    with pytest.raises(ValueError):
        spacy.registry.augmenters.get("spacy-mammo.entity_substitution_augmenter.v1")(level=0.5, per_entity=-1)
