"""Baseline systems of the benchmark: spaCy `ner` configs and a linear-chain CRF.

The CRF (python-crfsuite, as sklearn-crfsuite wraps it) is a spaCy component
here, `benchmark_crf_ner`, so that every system is timed through the same
`nlp.pipe` and saved with `nlp.to_disk`. Import this module before
`spacy.load` of a CRF pipeline: the factory is registered only by the import.
"""

import time
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence

import srsly
from spacy import util
from spacy.cli.init_config import init_config
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from thinc.api import Config

from spacy_mammo.ner.bio import gold_bio_tags

MAMMO_TOKENIZER = {"@tokenizers": "spacy-mammo.Tokenizer.v1"}
ENGLISH_TOKENIZER = {"@tokenizers": "spacy.Tokenizer.v1"}
# L-BFGS with elastic-net regularisation, the sklearn-crfsuite tutorial's defaults.
CRF_PARAMS = {"c1": 0.1, "c2": 0.1, "feature.possible_transitions": True}


def spacy_ner_config(optimize: str, tokenizer: Dict[str, str]) -> Config:
    """spaCy's own `init config -p ner -o OPTIMIZE` for CPU, with the given tokenizer.

    The accuracy preset asks for en_core_web_lg vectors; this machine has none
    (no downloads), so static vectors are switched off: on CPU the accuracy
    preset is then the wider and deeper CNN tok2vec (width 256, depth 8).
    optimize (str): "efficiency" or "accuracy".
    tokenizer (Dict[str, str]): the `[nlp.tokenizer]` block.
    RETURNS (Config): the config, not yet interpolated.
    """
    config = init_config(lang="en", pipeline=["ner"], optimize=optimize, gpu=False, pretraining=False, silent=True)
    config["nlp"]["tokenizer"] = dict(tokenizer)
    config["paths"]["vectors"] = None
    config["components"]["tok2vec"]["model"]["embed"]["include_static_vectors"] = False
    return config


def token_features(doc: Doc, i: int) -> Dict[str, Any]:
    """A standard CRF feature template: the word, its shape and affixes, and the same for a +-2 window."""
    token = doc[i]
    lower = token.lower_
    features: Dict[str, Any] = {
        "bias": 1.0,
        "lower": lower,
        "prefix2": lower[:2],
        "prefix3": lower[:3],
        "suffix2": lower[-2:],
        "suffix3": lower[-3:],
        "shape": token.shape_,
        "is_title": token.is_title,
        "is_upper": token.is_upper,
        "is_digit": token.is_digit,
        "like_num": token.like_num,
        "is_punct": token.is_punct,
    }
    for offset in (-2, -1, 1, 2):
        j = i + offset
        if 0 <= j < len(doc):
            other = doc[j]
            features[f"{offset}:lower"] = other.lower_
            features[f"{offset}:suffix3"] = other.lower_[-3:]
            features[f"{offset}:shape"] = other.shape_
            features[f"{offset}:is_title"] = other.is_title
        else:
            features[f"{offset}:pad"] = True
    return features


def doc_features(doc: Doc) -> List[Dict[str, Any]]:
    """The CRF features of every token of `doc`."""
    return [token_features(doc, i) for i in range(len(doc))]


def bio_spans(doc: Doc, tags: Sequence[str]) -> List[Span]:
    """Entity spans from BIO tags; an I-X that follows no X starts a new entity (conlleval's reading)."""
    spans = []
    start, label = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, tag_label = tag.partition("-")
        continues = prefix == "I" and tag_label == label
        if start is not None and not continues:
            spans.append(Span(doc, start, i, label=label))
            start, label = None, None
        if prefix in ("B", "I") and not continues:
            start, label = i, tag_label
    return spans


@Language.factory("benchmark_crf_ner", assigns=["doc.ents"], default_config={})
def make_crf_ner(nlp: Language, name: str) -> "CrfNer":
    """Create an (untrained) CRF entity tagger; fill it with `train_crf`."""
    return CrfNer(name)


class CrfNer:
    """Linear-chain CRF entity tagger (python-crfsuite) over `token_features`."""

    def __init__(self, name: str = "benchmark_crf_ner"):
        self.name = name
        self.model_bytes: Optional[bytes] = None
        self._tagger = None

    def _get_tagger(self):
        if self._tagger is None:
            import pycrfsuite

            if self.model_bytes is None:
                raise ValueError("benchmark_crf_ner: the CRF is not trained")
            self._tagger = pycrfsuite.Tagger()
            self._tagger.open_inmemory(self.model_bytes)
        return self._tagger

    def __call__(self, doc: Doc) -> Doc:
        if len(doc):
            doc.ents = bio_spans(doc, self._get_tagger().tag(doc_features(doc)))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({"model": self.model_bytes})

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "CrfNer":
        self.model_bytes = srsly.msgpack_loads(data)["model"]
        self._tagger = None
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = util.ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "model.crfsuite").write_bytes(self.model_bytes or b"")

    def from_disk(self, path, *, exclude=tuple()) -> "CrfNer":
        self.model_bytes = (util.ensure_path(path) / "model.crfsuite").read_bytes()
        self._tagger = None
        return self


def example_tags(example: Example) -> List[str]:
    """Gold BIO tags on the example's predicted tokens ("O" where the tokens do not align)."""
    return [tag or "O" for tag in gold_bio_tags(example)]


def train_crf(
    crf: CrfNer, train: Sequence[Example], dev: Sequence[Example], *, max_iterations: int, work_dir: Path
) -> Dict[str, Any]:
    """Train `crf` with L-BFGS, reporting the tag F1 on `dev` after every iteration.

    crfsuite cannot resume or roll back L-BFGS, so the dev scores are recorded,
    not used to stop: training ends at `max_iterations` or when crfsuite's own
    convergence test (relative loss change < delta over `period` iterations) fires.
    crf (CrfNer): the component to fill.
    train (Sequence[Example]): training examples.
    dev (Sequence[Example]): held-out examples (crfsuite's "holdout" group).
    max_iterations (int): at most this many L-BFGS iterations (passes over the data).
    work_dir (Path): folder for crfsuite's model file.
    RETURNS (Dict[str, Any]): "iterations", "best_iteration" and "best_dev_tag_f1"
        (micro F1 of the non-O tags on dev, crfsuite's holdout evaluation).
    """
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for group, examples in ((0, train), (1, dev)):
        for example in examples:
            if len(example.predicted):
                trainer.append(doc_features(example.predicted), example_tags(example), group)
    trainer.select("lbfgs", "crf1d")
    trainer.set_params({**CRF_PARAMS, "max_iterations": max_iterations})
    work_dir.mkdir(parents=True, exist_ok=True)
    model_path = work_dir / "crf.crfsuite"
    trainer.train(str(model_path), holdout=1 if dev else -1)
    crf.model_bytes = model_path.read_bytes()
    crf._tagger = None
    model_path.unlink()
    history = [(it["num"], _tag_f1(it.get("scores") or {})) for it in trainer.logparser.iterations]
    best_iteration, best_f1 = max(history, key=lambda h: (h[1], -h[0]), default=(0, None))
    return {"iterations": len(history), "best_iteration": best_iteration, "best_dev_tag_f1": best_f1}


def _tag_f1(scores: Dict[str, Any]) -> float:
    match = sum(s.match for tag, s in scores.items() if tag != "O")
    predicted = sum(s.model for tag, s in scores.items() if tag != "O")
    gold = sum(s.ref for tag, s in scores.items() if tag != "O")
    return 2 * match / (predicted + gold) if predicted + gold else 0.0


def build_crf_pipeline(tokenizer: Dict[str, str]) -> Language:
    """A blank English pipeline with the given tokenizer and an untrained `benchmark_crf_ner`."""
    import spacy

    nlp = spacy.blank("en", config={"nlp": {"tokenizer": dict(tokenizer)}})
    nlp.add_pipe("benchmark_crf_ner")
    return nlp


def timed(function, *args, **kwargs):
    """(result, seconds) of one call."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start
