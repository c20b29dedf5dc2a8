"""The competence-based curriculum batcher and the reversed (anti-curriculum) difficulty."""

import pytest
import spacy
from spacy.tokens import Span
from spacy.training import Example

from spacy_mammo.training import curriculum

COMPETENCE = "spacy-mammo.competence_batcher.v1"


@pytest.fixture(scope="module")
def examples():
    nlp = spacy.blank("en")
    egs = []
    for n in range(1, 41):
        ref = nlp.make_doc(" ".join(f"w{i}" for i in range(n)))
        ref.ents = [Span(ref, 0, 1, label="MASS")]
        egs.append(Example(nlp.make_doc(ref.text), ref))
    return egs


def test_competence_schedule_follows_the_square_root_formula():
    c0, total = 0.1, 100
    assert curriculum.competence(0, total, c0) == pytest.approx(c0)
    assert curriculum.competence(50, total, c0) == pytest.approx((50 * (1 - c0**2) / total + c0**2) ** 0.5)
    assert curriculum.competence(100, total, c0) == 1.0 and curriculum.competence(500, total, c0) == 1.0
    assert curriculum.competence(3, 0, c0) == 1.0


def test_batches_come_from_the_easiest_share_and_respect_the_padded_budget(examples):
    batcher = spacy.registry.batchers.get(COMPETENCE)(size=200, total_steps=12, initial_competence=0.2, seed=1)
    seen_max = []
    for epoch in range(3):
        for batch in batcher(list(reversed(examples))):
            lengths = [len(eg.reference) for eg in batch]
            assert max(lengths) * len(lengths) <= 200 or len(batch) == 1
            pool = max(1, round(curriculum.competence(batcher.step - 1, 12, 0.2) * len(examples)))
            assert max(lengths) <= pool  # example k (k tokens) is the k-th easiest by length
            seen_max.append(max(lengths))
    assert batcher.epoch == 2 and batcher.competence == 1.0
    assert seen_max[0] <= 8 and max(seen_max[-10:]) > 30  # easy first (c0 = 0.2 of 40), everything at the end
    assert curriculum.current_stage()["competence"] == 1.0


def test_each_epoch_yields_about_the_datas_tokens_and_is_reproducible(examples):
    make = lambda: spacy.registry.batchers.get(COMPETENCE)(size=300, total_steps=10, size_by="words", seed=7)
    first, second = make(), make()
    batches_a = [[len(eg.reference) for eg in b] for b in first(examples)]
    batches_b = [[len(eg.reference) for eg in b] for b in second(examples)]
    assert batches_a == batches_b
    total = sum(len(eg.reference) for eg in examples)
    made = sum(sum(b) for b in batches_a)
    assert total <= made < total + 300
    assert all(sum(b) <= 300 for b in batches_a)


def test_reversed_difficulty_puts_hard_examples_first(examples):
    reverse = spacy.registry.misc.get("spacy-mammo.reversed_difficulty.v1")(curriculum.length_difficulty)
    batcher = spacy.registry.batchers.get("spacy-mammo.curriculum_batcher.v1")(size=10_000, difficulty=reverse)
    first_epoch = [len(eg.reference) for batch in batcher(examples) for eg in batch]
    assert min(first_epoch) > 25  # stage "easy" of the reversed order holds the longest third


def test_bad_settings_are_refused():
    make = spacy.registry.batchers.get(COMPETENCE)
    with pytest.raises(ValueError, match="initial_competence"):
        make(size=100, total_steps=10, initial_competence=0.0)
    with pytest.raises(ValueError, match="size_by"):
        make(size=100, total_steps=10, size_by="tokens")
