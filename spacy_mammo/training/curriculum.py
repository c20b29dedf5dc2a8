"""Curriculum batching: easy examples first, harder ones in later epochs.

spaCy's training loop calls the batcher once per epoch with a freshly shuffled
list of examples (`spacy.training.loop.create_train_batches`), so the
curriculum stage comes from the batcher's own epoch counter. The corpus must be
finite (`[training] max_epochs >= 0`): with a streaming corpus the batcher is
called only once and the curriculum never advances.

Exposing the stage: every call of a `CurriculumBatcher` makes it the module's
active batcher, and `current_stage()` reports its stage. The JSONL training
logger (`spacy_mammo.training.logger`) clears it with `reset_current_stage()` when
training starts, so a batcher from an earlier run in the same process is never
reported.
"""

import bisect
import itertools
import logging
import random
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Union

import numpy
import spacy
from spacy.training import Example

logger = logging.getLogger("spacy_mammo.training.curriculum")

DifficultyT = Callable[[Example], float]
Sizing = Union[int, Sequence[int], Iterator[int]]

ALL_STAGE_NAME = "all"
_active_batcher: Optional[Union["CurriculumBatcher", "CompetenceBatcher"]] = None


@spacy.registry.misc("spacy-mammo.length_difficulty.v1")
def make_length_difficulty() -> DifficultyT:
    """Difficulty = number of tokens of the reference doc (the BIO sequence length).

    RETURNS (Callable[[Example], float]): the difficulty function.
    """
    return length_difficulty


def length_difficulty(eg: Example) -> float:
    return float(len(eg.reference))


@spacy.registry.misc("spacy-mammo.entity_density_difficulty.v1")
def make_entity_density_difficulty() -> DifficultyT:
    """Difficulty = entities per token of the reference doc (denser is harder).

    RETURNS (Callable[[Example], float]): the difficulty function.
    """
    return entity_density_difficulty


def entity_density_difficulty(eg: Example) -> float:
    return len(eg.reference.ents) / max(len(eg.reference), 1)


@spacy.registry.misc("spacy-mammo.reversed_difficulty.v1")
def make_reversed_difficulty(difficulty: DifficultyT) -> DifficultyT:
    """The opposite order of another difficulty function: an anti-curriculum (hard first) control.

    difficulty (Callable[[Example], float]): the difficulty to reverse.
    RETURNS (Callable[[Example], float]): minus that difficulty.
    """
    return lambda eg: -difficulty(eg)


@spacy.registry.batchers("spacy-mammo.curriculum_batcher.v1")
def configure_curriculum_batcher(
    size: Sizing,
    difficulty: Optional[DifficultyT] = None,
    n_stages: int = 3,
    boundaries: Optional[List[float]] = None,
    stage_names: Optional[List[str]] = None,
    epochs_per_stage: Union[int, List[int]] = 1,
    mode: str = "cumulative",
    size_by: str = "padded",
    buffer: int = 256,
    discard_oversize: bool = False,
    get_length: Optional[Callable[[Example], int]] = None,
) -> "CurriculumBatcher":
    """Create a curriculum batcher: stage k of the curriculum trains on examples
    up to the k-th difficulty quantile, then the full data until training stops.

    size (int or Sequence[int] or schedule): largest padded size (or word count) of a batch;
        a sequence or thinc schedule gives one value per batch (the last value is kept).
    difficulty (Callable[[Example], float] or None): difficulty of an example; default: length.
    n_stages (int): number of curriculum stages.
    boundaries (List[float] or None): n_stages - 1 increasing quantiles in (0, 1) that
        separate the stages; default: evenly spaced.
    stage_names (List[str] or None): one name per stage; default: easy/medium/hard for 3 stages.
    epochs_per_stage (int or List[int]): epochs spent in each stage.
    mode (str): "cumulative" (stage k trains on stages 0..k) or "exclusive" (stage k only).
    size_by (str): "padded" (longest doc * number of docs) or "words" (sum of doc lengths).
    buffer (int): number of examples sorted by length together before batches are cut.
    discard_oversize (bool): drop single examples that exceed `size` by themselves.
    get_length (Callable[[Example], int] or None): length of an example; default: `len`.
    RETURNS (CurriculumBatcher): maps `Iterable[Example]` to `Iterable[List[Example]]`.
    """
    return CurriculumBatcher(
        size=size,
        difficulty=difficulty if difficulty is not None else length_difficulty,
        n_stages=n_stages,
        boundaries=boundaries,
        stage_names=stage_names,
        epochs_per_stage=epochs_per_stage,
        mode=mode,
        size_by=size_by,
        buffer=buffer,
        discard_oversize=discard_oversize,
        get_length=get_length if get_length is not None else len,
    )


class CurriculumBatcher:
    """Callable batcher that advances one curriculum epoch per call.

    After a call, `epoch` is the epoch just started (0-based), `stage_index`
    its stage (0..n_stages-1, or n_stages for the final full-data phase),
    `stage_name` that stage's name ("all" for the final phase) and
    `thresholds` the difficulty values that separate the stages.
    """

    def __init__(
        self,
        *,
        size: Sizing,
        difficulty: DifficultyT,
        n_stages: int,
        boundaries: Optional[List[float]],
        stage_names: Optional[List[str]],
        epochs_per_stage: Union[int, List[int]],
        mode: str,
        size_by: str,
        buffer: int,
        discard_oversize: bool,
        get_length: Callable[[Example], int],
    ):
        if n_stages < 1:
            raise ValueError(f"n_stages must be at least 1, got {n_stages}")
        if boundaries is None:
            boundaries = [k / n_stages for k in range(1, n_stages)]
        boundaries = [float(b) for b in boundaries]
        if len(boundaries) != n_stages - 1:
            raise ValueError(f"expected {n_stages - 1} boundaries for {n_stages} stages, got {len(boundaries)}")
        if any(not 0.0 < b < 1.0 for b in boundaries) or boundaries != sorted(boundaries):
            raise ValueError(f"boundaries must be increasing quantiles in (0, 1), got {boundaries}")
        if stage_names is None:
            stage_names = ["easy", "medium", "hard"] if n_stages == 3 else [f"stage{k}" for k in range(n_stages)]
        if len(stage_names) != n_stages:
            raise ValueError(f"expected {n_stages} stage names, got {len(stage_names)}")
        if isinstance(epochs_per_stage, int):
            epochs_per_stage = [epochs_per_stage] * n_stages
        if len(epochs_per_stage) != n_stages or any(e < 0 for e in epochs_per_stage):
            raise ValueError(f"epochs_per_stage needs {n_stages} non-negative values, got {epochs_per_stage}")
        if mode not in ("cumulative", "exclusive"):
            raise ValueError(f"mode must be 'cumulative' or 'exclusive', got {mode!r}")
        if size_by not in ("padded", "words"):
            raise ValueError(f"size_by must be 'padded' or 'words', got {size_by!r}")
        self.difficulty = difficulty
        self.n_stages = n_stages
        self.boundaries = boundaries
        self.stage_names = list(stage_names)
        self.stage_ends = list(itertools.accumulate(epochs_per_stage))
        self.mode = mode
        self.size_by = size_by
        self.buffer = buffer
        self.discard_oversize = discard_oversize
        self.get_length = get_length
        # One iterator for the whole run, so a schedule keeps advancing across epochs.
        self._sizes = itertools.repeat(size) if isinstance(size, int) else iter(size)
        self._size: Optional[int] = None
        self.epoch = -1
        self.stage_index: Optional[int] = None
        self.stage_name: Optional[str] = None
        self.thresholds: List[float] = []

    def stage_for_epoch(self, epoch: int) -> int:
        """The stage index of a 0-based epoch; n_stages once the curriculum is over."""
        return bisect.bisect_right(self.stage_ends, epoch)

    def __call__(self, examples: Iterable[Example]) -> Iterator[List[Example]]:
        global _active_batcher
        _active_batcher = self
        examples = list(examples)
        self.epoch += 1
        previous = self.stage_index
        self.stage_index = self.stage_for_epoch(self.epoch)
        final = self.stage_index >= self.n_stages
        self.stage_name = ALL_STAGE_NAME if final else self.stage_names[self.stage_index]
        if final:
            selected = examples
        else:
            difficulties = [self.difficulty(eg) for eg in examples]
            self.thresholds = [float(t) for t in numpy.quantile(difficulties, self.boundaries)] if examples else []
            # bisect_left puts an example that equals a threshold in the easier stage.
            stages = [bisect.bisect_left(self.thresholds, d) for d in difficulties]
            lowest = 0 if self.mode == "cumulative" else self.stage_index
            selected = [eg for eg, s in zip(examples, stages) if lowest <= s <= self.stage_index]
        if self.stage_index != previous and final:
            logger.info("Curriculum epoch %d: curriculum done, training on all %d examples", self.epoch, len(examples))
        elif self.stage_index != previous:
            logger.info(
                "Curriculum epoch %d: stage %r (%d of %d), %d of %d examples",
                self.epoch,
                self.stage_name,
                self.stage_index + 1,
                self.n_stages,
                len(selected),
                len(examples),
            )
        batches = self._make_batches(selected)
        # Batches are cut from length-sorted windows; shuffle so lengths do not come in order.
        random.shuffle(batches)
        return iter(batches)

    def _next_size(self) -> int:
        try:
            self._size = int(next(self._sizes))
        except StopIteration:
            if self._size is None:
                raise ValueError("the batch size sequence is empty") from None
        return self._size

    def _make_batches(self, examples: List[Example]) -> List[List[Example]]:
        batches = []
        for start in range(0, len(examples), self.buffer):
            window = sorted(examples[start : start + self.buffer], key=self.get_length)
            batch: List[Example] = []
            target = self._next_size()
            for eg in window:
                if batch and self._batch_size(batch + [eg]) > target:
                    self._keep(batches, batch, target)
                    batch = []
                    target = self._next_size()
                batch.append(eg)
            if batch:
                self._keep(batches, batch, target)
        return batches

    def _keep(self, batches: List[List[Example]], batch: List[Example], target: int) -> None:
        # Only a lone example can exceed the target: larger batches are cut before it.
        if not (self.discard_oversize and self._batch_size(batch) > target):
            batches.append(batch)

    def _batch_size(self, batch: List[Example]) -> int:
        lengths = [self.get_length(eg) for eg in batch]
        if self.size_by == "padded":
            return max(lengths) * len(lengths)
        return sum(lengths)


def current_stage() -> Optional[Dict[str, object]]:
    """The stage of the last-called curriculum batcher, or None if none was called.

    RETURNS (Dict[str, object] or None): keys "epoch", "stage_index", "stage_name".
    """
    if _active_batcher is None or _active_batcher.stage_index is None:
        return None
    stage: Dict[str, object] = {
        "epoch": _active_batcher.epoch,
        "stage_index": _active_batcher.stage_index,
        "stage_name": _active_batcher.stage_name,
    }
    if isinstance(_active_batcher, CompetenceBatcher):
        stage["competence"] = _active_batcher.competence
    return stage


def reset_current_stage() -> None:
    """Forget the active batcher (called when a training run starts)."""
    global _active_batcher
    _active_batcher = None


@spacy.registry.batchers("spacy-mammo.competence_batcher.v1")
def configure_competence_batcher(
    size: int,
    total_steps: int,
    difficulty: Optional[DifficultyT] = None,
    initial_competence: float = 0.01,
    size_by: str = "padded",
    get_length: Optional[Callable[[Example], int]] = None,
    seed: int = 0,
) -> "CompetenceBatcher":
    """Competence-based curriculum (Platanios et al., NAACL 2019): at step t every batch is sampled
    from the easiest c(t) of the data, c(t) = min(1, sqrt(t (1 - c0^2) / T + c0^2)).

    size (int): largest padded size (or word count) of a batch.
    total_steps (int): T, the step at which the whole data set becomes available.
    difficulty (Callable[[Example], float] or None): difficulty of an example; default: length.
    initial_competence (float): c0, the share of the data available at step 0.
    size_by (str): "padded" (longest doc * number of docs) or "words".
    get_length (Callable[[Example], int] or None): length of an example; default: `len`.
    seed (int): seed of the batch sampling.
    RETURNS (CompetenceBatcher): maps `Iterable[Example]` to `Iterable[List[Example]]`; each call (epoch)
        yields about as many padded tokens as the epoch's data holds.
    """
    return CompetenceBatcher(
        size=size,
        total_steps=total_steps,
        difficulty=difficulty if difficulty is not None else length_difficulty,
        initial_competence=initial_competence,
        size_by=size_by,
        get_length=get_length if get_length is not None else len,
        seed=seed,
    )


def competence(step: int, total_steps: int, initial: float) -> float:
    """The square-root competence schedule c(t) of Platanios et al. (2019)."""
    if total_steps <= 0:
        return 1.0
    return min(1.0, float(numpy.sqrt(step * (1.0 - initial**2) / total_steps + initial**2)))


class CompetenceBatcher:
    """Callable batcher sampling each batch from the examples the model is competent for.

    The step counter runs across calls (epochs); `competence` is the value for the last batch
    made, and `epoch` the epoch just started (0-based).
    """

    def __init__(
        self,
        *,
        size: int,
        total_steps: int,
        difficulty: DifficultyT,
        initial_competence: float,
        size_by: str,
        get_length: Callable[[Example], int],
        seed: int,
    ):
        if not 0.0 < initial_competence <= 1.0:
            raise ValueError(f"initial_competence must be in (0, 1], got {initial_competence}")
        if size_by not in ("padded", "words"):
            raise ValueError(f"size_by must be 'padded' or 'words', got {size_by!r}")
        if size < 1:
            raise ValueError(f"size must be positive, got {size}")
        self.size = size
        self.total_steps = total_steps
        self.difficulty = difficulty
        self.initial_competence = initial_competence
        self.size_by = size_by
        self.get_length = get_length
        self.rng = random.Random(seed)
        self.step = 0
        self.epoch = -1
        self.competence = competence(0, total_steps, initial_competence)
        self.stage_index: Optional[int] = None
        self.stage_name: Optional[str] = None

    def __call__(self, examples: Iterable[Example]) -> Iterator[List[Example]]:
        global _active_batcher
        _active_batcher = self
        examples = list(examples)
        self.epoch += 1
        self.stage_index = self.epoch
        self.stage_name = "competence"
        if not examples:
            return iter([])
        ranked = sorted(examples, key=self.difficulty)
        lengths = [self.get_length(eg) for eg in ranked]
        budget = sum(lengths)  # one epoch: about as many tokens as the data holds
        return self._batches(ranked, lengths, budget)

    def _batches(self, ranked: List[Example], lengths: List[int], budget: int) -> Iterator[List[Example]]:
        made = 0
        while made < budget:
            self.competence = competence(self.step, self.total_steps, self.initial_competence)
            pool = max(1, int(round(self.competence * len(ranked))))
            batch: List[int] = []
            longest = words = 0
            while True:
                i = self.rng.randrange(pool)
                new_longest = max(longest, lengths[i])
                cost = new_longest * (len(batch) + 1) if self.size_by == "padded" else words + lengths[i]
                if batch and cost > self.size:
                    break
                batch.append(i)
                longest, words = new_longest, words + lengths[i]
                if cost >= self.size:
                    break
            made += sum(lengths[i] for i in batch)
            self.step += 1
            yield [ranked[i] for i in batch]
