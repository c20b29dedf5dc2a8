"""BIO tags of gold and predicted docs (spaCy's iob_utils) and the token accuracy that scorer and evaluate share."""

from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.vocab import Vocab

from spacy_mammo.ner.bio import aligned_bio_tags, bio_accuracy, doc_bio_tags, gold_bio_tags


def test_gold_tags_are_unknown_where_the_tokens_do_not_align():
    vocab = Vocab()
    reference = Doc(vocab, words=["a", "1.2", "cm", "big", "mass"], spaces=[True, True, True, False, False])
    reference.ents = [Span(reference, 1, 3, "SIZE"), Span(reference, 4, 5, "MASS")]
    predicted = Doc(vocab, words=["a", "1.2", "cm", "bigmass"], spaces=[True, True, True, False])
    predicted.ents = [Span(predicted, 1, 2, "SIZE")]
    example = Example(predicted, reference)
    assert gold_bio_tags(example) == ["O", "B-SIZE", "I-SIZE", None]
    assert doc_bio_tags(predicted) == ["O", "B-SIZE", "O", "O"]
    gold, guessed = aligned_bio_tags([example])
    assert (gold, guessed) == (["O", "B-SIZE", "I-SIZE"], ["O", "B-SIZE", "O"])
    assert bio_accuracy(gold, guessed) == 2 / 3
    assert bio_accuracy([], []) is None
