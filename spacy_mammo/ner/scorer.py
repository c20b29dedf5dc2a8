"""The `spacy-mammo.ner_scorer.v1` scorer: exact-span entity P/R/F and token BIO accuracy."""

from typing import Any, Callable, Dict, Iterable

from spacy.scorer import get_ner_prf
from spacy.training import Example
from spacy.util import registry

from .bio import aligned_bio_tags, bio_accuracy


def mammo_ner_score(examples: Iterable[Example], **kwargs) -> Dict[str, Any]:
    """Entity P/R/F (overall and per label, exact spans) and token-level BIO accuracy."""
    examples = list(examples)
    scores = get_ner_prf(examples, **kwargs)
    scores["bio_acc"] = bio_accuracy(*aligned_bio_tags(examples))
    return scores


@registry.scorers("spacy-mammo.ner_scorer.v1")
def make_mammo_ner_scorer() -> Callable:
    return mammo_ner_score
