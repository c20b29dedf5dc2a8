"""The `mammo_ner` pipeline component: BIO tagging with an attention-BiLSTM, decoded to `doc.ents`."""
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

import numpy
import srsly
from spacy import util
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.scorer import get_ner_prf
from spacy.tokens import Doc
from spacy.training import Example, validate_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer, get_array_module, set_dropout_rate, to_numpy
from thinc.types import Floats2d

from .bio import allowed_transitions, bio_tags, biluo_to_bio, doc_bio_tags, tags_to_spans, viterbi_decode
from ..errors import MammoDataError
from ..rules.spans import merge_ents

DEFAULT_MODEL_CONFIG = """
[model]
@architectures = "spacy-mammo.AttentionBiLSTM.v1"
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
hash_rows = [5000, 1000, 2500, 500]
subword_rows = 20000
n_subwords = 12
lexicon_features = true
embed_width = 96
hidden_width = 192
lstm_depth = 1
attention_heads = 4
attention_window = 64
dropout = 0.1
mixed_precision = false
grad_scaler_config = {}
"""
DEFAULT_MODEL = Config().from_str(DEFAULT_MODEL_CONFIG)["model"]


@Language.factory(
    "mammo_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "model": DEFAULT_MODEL,
        "overwrite_ents": True,
        "batch_tokens": 20000,
        "scorer": {"@scorers": "spacy-mammo.ner_scorer.v1"},
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None, "bio_acc": 0.0},
)
def make_mammo_ner(
    nlp: Language,
    name: str,
    model: Model[List[Doc], List[Floats2d]],
    overwrite_ents: bool,
    batch_tokens: int,
    scorer: Optional[Callable],
) -> "MammoNER":
    """Create a `mammo_ner` component.

    overwrite_ents (bool): True replaces existing `doc.ents`; False keeps them and adds
        only predicted entities that overlap none of them.
    batch_tokens (int): padded tokens per forward pass inside `predict`; docs are sorted
        by length into such chunks so that padding stays small.
    """
    return MammoNER(
        nlp.vocab, model, name, overwrite_ents=overwrite_ents, batch_tokens=batch_tokens, scorer=scorer
    )


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


class MammoNER(TrainablePipe):
    """Named-entity recognizer that tags tokens with BIO labels and sets `doc.ents`."""

    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = "mammo_ner",
        *,
        overwrite_ents: bool = True,
        batch_tokens: int = 20000,
        scorer: Optional[Callable] = mammo_ner_score,
    ):
        self.vocab = vocab
        self.model = model
        self.name = name
        self.scorer = scorer
        self.cfg: Dict[str, Any] = {"labels": [], "overwrite_ents": overwrite_ents, "batch_tokens": batch_tokens}
        self._transitions = None

    @property
    def labels(self) -> List[str]:
        return list(self.cfg["labels"])

    @property
    def label_data(self) -> List[str]:
        return self.labels

    @property
    def tags(self) -> List[str]:
        return bio_tags(self.cfg["labels"])

    def add_label(self, label: str) -> int:
        if not isinstance(label, str):
            raise ValueError(f"mammo_ner: labels must be strings, got {type(label).__name__}")
        if label in self.cfg["labels"]:
            return 0
        if self._model_is_built():
            raise ValueError(f"mammo_ner: cannot add label {label!r} after the model is initialized")
        self.cfg["labels"].append(label)
        self._transitions = None
        return 1

    def _model_is_built(self) -> bool:
        return len(self.model.layers) > 1

    def _build_model(self) -> None:
        """Create the torch module once the label set (and so the tag count) is known."""
        if not self._model_is_built():
            self.model.set_dim("nO", len(self.tags))
            self.model.initialize()

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Optional[Language] = None,
        labels: Optional[Sequence[str]] = None,
    ) -> None:
        """Learn the label set (or take `labels`, e.g. from `spacy init labels`) and build the model."""
        validate_examples(get_examples(), "MammoNER.initialize")
        if labels is not None:
            for label in labels:
                self.add_label(label)
        else:
            found = set()
            for example in get_examples():
                found.update(ent.label_ for ent in example.reference.ents)
            for label in sorted(found):
                self.add_label(label)
        if not self.cfg["labels"]:
            raise ValueError("mammo_ner: no entity labels found in the training examples")
        self._build_model()

    def _decode_tables(self):
        if self._transitions is None:
            self._transitions = allowed_transitions(self.tags)
        return self._transitions

    def predict(self, docs: Iterable[Doc]) -> List[numpy.ndarray]:
        """Decoded tag ids per doc; docs are scored in length-sorted chunks."""
        docs = list(docs)
        results: List[Optional[numpy.ndarray]] = [None] * len(docs)
        for i, doc in enumerate(docs):
            if len(doc) == 0:
                results[i] = numpy.zeros((0,), dtype="int64")
        order = sorted((i for i, d in enumerate(docs) if len(d)), key=lambda i: len(docs[i]))
        start_allowed, transition_allowed = self._decode_tables()
        for chunk in _length_chunks(order, docs, self.cfg.get("batch_tokens", 20000)):
            scores = self.model.predict([docs[i] for i in chunk])
            log_probs = [_log_softmax(to_numpy(s)) for s in scores]
            for i, path in zip(chunk, viterbi_decode(log_probs, start_allowed, transition_allowed)):
                results[i] = path
        return results

    def set_annotations(self, docs: Iterable[Doc], tag_ids: List[numpy.ndarray]) -> None:
        tags = self.tags
        for doc, ids in zip(docs, tag_ids):
            predicted = tags_to_spans(doc, ids, tags)
            merge_ents(doc, predicted, overwrite=self.cfg["overwrite_ents"])

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optional[Optimizer] = None,
        losses: Optional[Dict[str, float]] = None,
    ) -> Dict[str, float]:
        if losses is None:
            losses = {}
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        validate_examples(examples, "MammoNER.update")
        examples = [eg for eg in examples if len(eg.predicted)]
        if not examples:
            return losses
        # thinc's dropout setting does not reach torch's nn.Dropout: the shim only
        # switches train()/eval(); the torch module's rate comes from its config.
        set_dropout_rate(self.model, drop)
        scores, backprop = self.model.begin_update([eg.predicted for eg in examples])
        loss, d_scores = self.get_loss(examples, scores)
        if numpy.isnan(loss):
            raise ValueError("mammo_ner: NaN loss during training")
        backprop(d_scores)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores: List[Floats2d]):
        """Softmax cross-entropy over BIO tags; tokens without gold annotation are skipped."""
        tag_index = {tag: i for i, tag in enumerate(self.tags)}
        truths, masks = [], []
        for example, doc_scores in zip(examples, scores):
            gold = [biluo_to_bio(t) for t in example.get_aligned_ner()]
            truths.append([tag_index.get(t, 0) if t is not None else 0 for t in gold])
            masks.append([t is not None and t in tag_index for t in gold])
        n_tokens = max(sum(sum(m) for m in masks), 1)
        d_scores, loss = [], 0.0
        for doc_scores, truth, mask in zip(scores, truths, masks):
            xp = get_array_module(doc_scores)
            probs = _softmax(doc_scores, xp)
            truth_arr = xp.asarray(truth, dtype="int64")
            mask_arr = xp.asarray(mask, dtype="float32")[:, None]
            rows = xp.arange(len(truth))
            loss -= float((xp.log(probs[rows, truth_arr] + 1e-9) * mask_arr[:, 0]).sum())
            onehot = xp.zeros_like(probs)
            onehot[rows, truth_arr] = 1.0
            d_scores.append(((probs - onehot) * mask_arr / n_tokens).astype("float32"))
        return loss / n_tokens, d_scores

    # Serialization: the torch module must exist, with the saved sizes, before
    # thinc loads its weights.

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        serialize = {
            "cfg": lambda: srsly.json_dumps(self.cfg),
            "vocab": lambda: self.vocab.to_bytes(exclude=exclude),
            "model": lambda: self.model.to_bytes(),
        }
        return util.to_bytes(serialize, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude=tuple()) -> "MammoNER":
        msg = srsly.msgpack_loads(bytes_data)
        if "cfg" not in exclude and "cfg" in msg:
            self.cfg.update(srsly.json_loads(msg["cfg"]))
        if "vocab" not in exclude and "vocab" in msg:
            self.vocab.from_bytes(msg["vocab"], exclude=exclude)
        if "model" not in exclude and "model" in msg:
            self._load_model(msg["model"], source="bytes")
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        serialize = {
            "cfg": lambda p: srsly.write_json(p, self.cfg),
            "model": lambda p: self.model.to_disk(p),
        }
        util.to_disk(path, serialize, exclude)

    def from_disk(self, path, *, exclude=tuple()) -> "MammoNER":
        path = util.ensure_path(path)
        if "cfg" not in exclude and (path / "cfg").exists():
            self.cfg.update(srsly.read_json(path / "cfg"))
        if "model" not in exclude:
            model_path = path / "model"
            if not model_path.exists():
                raise MammoDataError("missing model weights file", path=model_path)
            self._load_model(model_path.read_bytes(), source=str(model_path))
        return self

    def _load_model(self, data: bytes, source: str) -> None:
        self._transitions = None
        self._build_model()
        try:
            self.model.from_bytes(data)
        except Exception as err:  # thinc/torch raise many types; name the file and the cause
            raise MammoDataError(
                f"cannot load mammo_ner weights ({type(err).__name__}: {err}). The file may be truncated, "
                "not a weights file, or trained with another label set or model config; weights are only "
                "loaded as plain tensors (torch.load weights_only=True).",
                path=source,
            ) from err


def _length_chunks(order: List[int], docs: List[Doc], batch_tokens: int) -> Iterable[List[int]]:
    chunk: List[int] = []
    for i in order:
        longest = len(docs[i])  # `order` is ascending, so the newest doc is the longest
        if chunk and longest * (len(chunk) + 1) > batch_tokens:
            yield chunk
            chunk = []
        chunk.append(i)
    if chunk:
        yield chunk


def _softmax(scores, xp):
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = xp.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _log_softmax(scores: numpy.ndarray) -> numpy.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - numpy.log(numpy.exp(shifted).sum(axis=1, keepdims=True))
