import itertools
import logging
import random

import pytest
import spacy
from spacy.tokens import Span
from spacy.training import Example
from spacy.util import fix_random_seed
from thinc.api import compounding

import spacy_mammo.training.curriculum as curriculum  # registers the functions

BATCHER = "spacy-mammo.curriculum_batcher.v1"


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def examples(nlp):
    """30 examples of 1..30 tokens; the first token is an entity in every third example."""
    egs = []
    for n in range(1, 31):
        ref = nlp.make_doc(" ".join(f"w{i}" for i in range(n)))
        if n % 3 == 0:
            ref.ents = [Span(ref, 0, 1, label="MASS")]
        egs.append(Example(nlp.make_doc(ref.text), ref))
    return egs


def make_batcher(**kwargs):
    kwargs.setdefault("size", 1000)
    return spacy.registry.batchers.get(BATCHER)(**kwargs)


def run_epochs(batcher, examples, n_epochs):
    """Call the batcher as spaCy's loop does: once per epoch on a shuffled list."""
    epochs = []
    data = list(examples)
    for _ in range(n_epochs):
        random.shuffle(data)
        batches = list(batcher(data))
        epochs.append((batcher.stage_index, batcher.stage_name, batches))
    return epochs


def flat(batches):
    return [eg for batch in batches for eg in batch]


def test_registry_resolves_every_name(examples):
    config = {
        "batcher": {
            "@batchers": BATCHER,
            "size": 100,
            "difficulty": {"@misc": "spacy-mammo.entity_density_difficulty.v1"},
            "mode": "exclusive",
        },
        "length": {"@misc": "spacy-mammo.length_difficulty.v1"},
    }
    resolved = spacy.registry.resolve(config)
    assert isinstance(resolved["batcher"], curriculum.CurriculumBatcher)
    assert resolved["batcher"].difficulty is curriculum.entity_density_difficulty
    assert resolved["length"](examples[4]) == len(examples[4].reference) == 5


def test_difficulty_functions(examples):
    eg = examples[5]  # 6 tokens, one entity
    assert curriculum.length_difficulty(eg) == 6.0
    assert curriculum.entity_density_difficulty(eg) == pytest.approx(1 / 6)
    assert curriculum.entity_density_difficulty(examples[0]) == 0.0


def test_cumulative_stages_in_order(examples):
    fix_random_seed(0)
    batcher = make_batcher()
    epochs = run_epochs(batcher, examples, 5)
    assert [(index, name) for index, name, _ in epochs] == [
        (0, "easy"),
        (1, "medium"),
        (2, "hard"),
        (3, "all"),
        (3, "all"),
    ]
    low, high = batcher.thresholds
    easy, medium, hard = (flat(batches) for _, _, batches in epochs[:3])
    assert easy and max(len(eg) for eg in easy) <= low
    assert set(map(id, easy)) < set(map(id, medium)) < set(map(id, hard))
    assert max(len(eg) for eg in medium) <= high
    assert len(hard) == len(examples)


def test_exclusive_stages_partition_the_data(examples):
    fix_random_seed(0)
    batcher = make_batcher(mode="exclusive")
    epochs = run_epochs(batcher, examples, 4)
    stages = [flat(batches) for _, _, batches in epochs[:3]]
    low, high = batcher.thresholds
    assert max(len(eg) for eg in stages[0]) <= low < min(len(eg) for eg in stages[1])
    assert max(len(eg) for eg in stages[1]) <= high < min(len(eg) for eg in stages[2])
    assert sorted(map(id, itertools.chain(*stages))) == sorted(map(id, examples))
    assert epochs[3][1] == "all"


@pytest.mark.parametrize("mode", ["cumulative", "exclusive"])
def test_final_stage_uses_every_example_once(examples, mode):
    batcher = make_batcher(mode=mode, size=50, buffer=7)
    final = run_epochs(batcher, examples, 4)[-1]
    assert final[1] == "all"
    assert sorted(map(id, flat(final[2]))) == sorted(map(id, examples))


def test_epochs_per_stage_and_custom_boundaries(examples):
    batcher = make_batcher(n_stages=2, boundaries=[0.2], stage_names=["short", "long"], epochs_per_stage=[2, 1])
    names = [name for _, name, _ in run_epochs(batcher, examples, 4)]
    assert names == ["short", "short", "long", "all"]
    assert len(batcher.thresholds) == 1


def test_padded_size_bound(examples):
    size = 40
    batcher = make_batcher(size=size, buffer=8)
    for _, _, batches in run_epochs(batcher, examples, 4):
        for batch in batches:
            if len(batch) > 1:
                assert max(len(eg) for eg in batch) * len(batch) <= size
    # The longest examples exceed nothing on their own here; with size 20 they do.
    discarding = make_batcher(size=20, discard_oversize=True)
    kept = flat(run_epochs(discarding, examples, 4)[-1][2])
    assert sorted(len(eg) for eg in kept) == list(range(1, 21))


def test_word_count_bound_and_schedule(examples):
    sizes = compounding(10.0, 60.0, 1.5)
    batcher = make_batcher(size=sizes, size_by="words", n_stages=1, epochs_per_stage=0)
    for _, _, batches in run_epochs(batcher, examples, 3):
        for batch in batches:
            if len(batch) > 1:
                assert sum(len(eg) for eg in batch) <= 60
    # The schedule grows, so later epochs have fewer, larger batches.
    assert batcher._size == 60


def test_batch_order_is_shuffled(examples):
    fix_random_seed(1)
    batcher = make_batcher(size=30, n_stages=1, epochs_per_stage=0)
    _, _, batches = run_epochs(batcher, examples, 1)[0]
    longest = [max(len(eg) for eg in batch) for batch in batches]
    assert len(longest) > 5
    assert longest != sorted(longest) and longest != sorted(longest, reverse=True)


def test_deterministic_with_seed(examples):
    def texts(seed):
        fix_random_seed(seed)
        epochs = run_epochs(make_batcher(size=40, buffer=8), examples, 4)
        return [[[eg.reference.text for eg in batch] for batch in batches] for _, _, batches in epochs]

    assert texts(42) == texts(42)
    assert texts(42) != texts(43)


def test_stage_changes_logged_and_current_stage(examples, caplog):
    curriculum.reset_current_stage()
    assert curriculum.current_stage() is None
    batcher = make_batcher()
    with caplog.at_level(logging.INFO, logger="spacy_mammo.training.curriculum"):
        run_epochs(batcher, examples, 5)
    messages = [r.getMessage() for r in caplog.records if r.name == "spacy_mammo.training.curriculum"]
    assert len(messages) == 4  # easy, medium, hard, all; epoch 4 stays in "all"
    assert "'medium'" in messages[1]
    assert curriculum.current_stage() == {"epoch": 4, "stage_index": 3, "stage_name": "all"}


def test_invalid_arguments():
    with pytest.raises(ValueError):
        make_batcher(mode="random")
    with pytest.raises(ValueError):
        make_batcher(boundaries=[0.7, 0.3])
    with pytest.raises(ValueError):
        make_batcher(n_stages=2, stage_names=["a", "b", "c"])


def test_config_with_schedule_size_resolves():
    config = spacy.util.load_config_from_str(
        """
        [batcher]
        @batchers = "spacy-mammo.curriculum_batcher.v1"
        epochs_per_stage = [1, 2, 1]
        boundaries = [0.5, 0.8]

        [batcher.size]
        @schedules = "compounding.v1"
        start = 100
        stop = 1000
        compound = 1.001
        """
    )
    batcher = spacy.registry.resolve(config)["batcher"]
    assert [batcher.stage_for_epoch(e) for e in range(6)] == [0, 1, 1, 2, 3, 3]
    assert batcher._next_size() == 100
