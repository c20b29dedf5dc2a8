"""Shared fixtures: small hand-annotated reports and a tiny trained pipeline."""

import re

import pytest
import spacy
from spacy.training import Example

import spacy_mammo  # noqa: F401  (registers the extensions used by fixtures)

MARKUP = re.compile(r"\[\[(.+?)\|([A-Z_]+)(\|neg)?\]\]")

# Written for the tests from the guidelines; `[[text|LABEL]]` marks an entity.
REPORTS = [
    "There is a [[1.2 cm|SIZE]] [[irregular|SHAPE]] [[spiculated|MARGIN]] [[mass|MASS]] in the [[right|LATERALITY]] "
    "breast at [[10 o'clock|LOCATION]], [[4 cm from the nipple|DISTANCE]].",
    "No suspicious [[masses|MASS|neg]], [[calcifications|CALCIFICATION|neg]], or "
    "[[architectural distortion|DISTORTION|neg]]. [[BI-RADS 1|BIRADS]]: Negative.",
    "The breasts are [[heterogeneously dense|COMPOSITION]], which may obscure small [[masses|MASS]].",
    "[[Fine pleomorphic|CALC_MORPHOLOGY]] [[calcifications|CALCIFICATION]] in a [[segmental|CALC_DISTRIBUTION]] "
    "distribution in the [[left|LATERALITY]] [[upper outer quadrant|LOCATION]]. [[BI-RADS 4B|BIRADS]].",
    "[[Focal asymmetry|ASYMMETRY]] in the [[LT|LATERALITY]] [[UIQ|LOCATION]] with [[skin thickening|ASSOCIATED_FEATURE]].",
    "Benign [[intramammary lymph node|OTHER_FINDING]] in the [[right|LATERALITY]] [[axillary tail|LOCATION]]. "
    "[[Oval|SHAPE]] [[circumscribed|MARGIN]] [[equal density|MASS_DENSITY]] [[mass|MASS]] measuring [[8 x 6 mm|SIZE]].",
]


def parse_markup(marked: str):
    """Return (text, [(start, end, label, negated)]) for `[[text|LABEL(|neg)]]` markup."""
    text, spans, last = "", [], 0
    for match in MARKUP.finditer(marked):
        text += marked[last : match.start()]
        start = len(text)
        text += match.group(1)
        spans.append((start, len(text), match.group(2), bool(match.group(3))))
        last = match.end()
    return text + marked[last:], spans


def make_examples(nlp, reports=REPORTS):
    examples = []
    for marked in reports:
        text, spans = parse_markup(marked)
        reference = nlp.make_doc(text)
        reference.ents = [reference.char_span(s, e, label, alignment_mode="strict") for s, e, label, _ in spans]
        examples.append(Example(nlp.make_doc(text), reference))
    return examples


TINY_MODEL = {"embed_width": 32, "hidden_width": 64, "subword_rows": 2000, "hash_rows": [1000, 500, 500, 100]}


def train_tiny(nlp, examples, n_iter=80):
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(n_iter):
        nlp.update(examples, sgd=optimizer, losses={})
    return nlp


@pytest.fixture(scope="session")
def trained_nlp():
    """A `mammo_ner` pipeline overfitted on REPORTS (a few seconds on 2 cores)."""
    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "spacy-mammo.Tokenizer.v1"}}})
    nlp.add_pipe("mammo_ner", config={"model": TINY_MODEL})
    return train_tiny(nlp, make_examples(nlp))


def invoke_cli(*args):
    """Run a `mammo` command in this process (typer's CliRunner) and return its Result
    (exit_code, stdout, stderr). An exception other than an exit is raised, not hidden in the result."""
    from typer.testing import CliRunner

    from spacy_mammo.cli import app

    result = CliRunner().invoke(app, [str(arg) for arg in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result
