"""The `spacy-mammo.ner_scorer.v1` scorer: exact-span entity P/R/F and token BIO accuracy."""
from typing import Any, Callable, Dict, Iterable

from spacy.scorer import get_ner_prf
from spacy.training import Example
from spacy.util import registry

from .bio import biluo_to_bio, doc_bio_tags


def mammo_ner_score(examples: Iterable[Example], **kwargs) -> Dict[str, Any]:
    """Entity P/R/F (overall and per label, exact spans) and token-level BIO accuracy."""
    examples = list(examples)
    scores = get_ner_prf(examples, **kwargs)
    correct = total = 0
    for example in examples:
        predicted = doc_bio_tags(example.predicted)
        for i, gold in enumerate(example.get_aligned_ner()):
            gold = biluo_to_bio(gold)
            if gold is not None:
                total += 1
                correct += gold == predicted[i]
    scores["bio_acc"] = correct / total if total else None
    return scores


@registry.scorers("spacy-mammo.ner_scorer.v1")
def make_mammo_ner_scorer() -> Callable:
    return mammo_ner_score
