"""The `mammo_ner` pipeline component: BIO tagging with an attention-BiLSTM, decoded to `doc.ents`."""

from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

import numpy
import srsly
from spacy import util
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc
from spacy.training import Example, validate_examples
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer, SequenceCategoricalCrossentropy, set_dropout_rate, to_numpy
from thinc.types import Floats2d

from ..errors import MammoDataError
from ..rules.spans import merge_ents
from .bio import allowed_transitions, bio_tags, gold_bio_tags, tags_to_spans, viterbi_decode
from .scorer import mammo_ner_score

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
    return MammoNER(nlp.vocab, model, name, overwrite_ents=overwrite_ents, batch_tokens=batch_tokens, scorer=scorer)


class MammoNER(TrainablePipe):
    """Named-entity recognizer that tags tokens with BIO labels and sets `doc.ents`.

    The model takes docs to one (n_tokens, n_tags) score matrix per doc; it gets its
    "nO" dim from the label set in `initialize` and sets its "tagger" ref once built.
    """

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
        self._transitions: Optional[Tuple[numpy.ndarray, numpy.ndarray]] = None

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
        """The architecture sets its "tagger" ref once the torch module exists."""
        return bool(self.model.has_ref("tagger"))

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
        subword_vectors: Optional[Path] = None,
    ) -> None:
        """Learn the label set (or take `labels`, e.g. from `spacy init labels`) and build the model.

        subword_vectors (Optional[Path]): a .npy table of pretrained trigram vectors
            (`python -m spacy mammo vectors`) to start the trigram table from, instead of at random.
        """
        validate_examples(get_examples(), "MammoNER.initialize")
        if labels is not None:
            for label in labels:
                self.add_label(label)
        else:
            found: Set[str] = set()
            for example in get_examples():
                found.update(ent.label_ for ent in example.reference.ents)
            for label in sorted(found):
                self.add_label(label)
        if not self.cfg["labels"]:
            raise ValueError("mammo_ner: no entity labels found in the training examples")
        self._build_model()
        if subword_vectors is not None:
            from .architectures import set_subword_vectors

            table = numpy.load(_existing(Path(subword_vectors), "subword vectors"), allow_pickle=False)
            set_subword_vectors(self.model, table)

    def _decode_tables(self) -> Tuple[numpy.ndarray, numpy.ndarray]:
        if self._transitions is None:
            self._transitions = allowed_transitions(self.tags)
        return self._transitions

    def predict(self, docs: Iterable[Doc]) -> List[numpy.ndarray]:
        """Decoded tag ids per doc; docs are scored in length-sorted chunks."""
        docs = list(docs)
        results = [numpy.zeros((0,), dtype="int64") for _ in docs]  # kept for empty docs
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

    def get_loss(self, examples: Iterable[Example], scores: List[Floats2d]) -> Tuple[float, List[Floats2d]]:
        """Cross-entropy over BIO tags, averaged over the tokens with a gold tag.

        Tokens without one (not annotated, or not aligned to the reference) are the
        loss's missing value. The gradient is with respect to the scores (logits);
        the loss reported is thinc's (squared gradient), per gold token.
        """
        tag_index = {tag: i for i, tag in enumerate(self.tags)}
        truths = [[-1 if tag is None else tag_index.get(tag, -1) for tag in gold_bio_tags(eg)] for eg in examples]
        n_gold = max(sum(tag != -1 for doc_truths in truths for tag in doc_truths), 1)
        loss_func = SequenceCategoricalCrossentropy(normalize=False, missing_value=-1)
        d_scores, loss = loss_func([self.model.ops.softmax(s) for s in scores], truths)
        # A mean over gold tokens: the gradient's scale, which grad_clip acts on, does not grow with the batch.
        return float(loss) / n_gold, [d / n_gold for d in d_scores]

    # Serialization: "cfg" comes first, so that the torch module is rebuilt with the
    # saved label set (and so tag count) before thinc loads its weights.

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        serialize = {
            "cfg": lambda: srsly.json_dumps(self.cfg),
            "vocab": lambda: self.vocab.to_bytes(exclude=exclude),
            "model": lambda: self.model.to_bytes(),
        }
        return util.to_bytes(serialize, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude=tuple()) -> "MammoNER":
        deserialize = {
            "cfg": lambda b: self.cfg.update(srsly.json_loads(b)),
            "vocab": lambda b: self.vocab.from_bytes(b, exclude=exclude),
            "model": lambda b: self._load_model(b, source="bytes"),
        }
        util.from_bytes(bytes_data, deserialize, exclude)
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        serialize = {
            "cfg": lambda p: srsly.write_json(p, self.cfg),
            "vocab": lambda p: self.vocab.to_disk(p, exclude=exclude),
            "model": lambda p: self.model.to_disk(p),
        }
        util.to_disk(path, serialize, exclude)

    def from_disk(self, path, *, exclude=tuple()) -> "MammoNER":
        deserialize: Dict[str, Callable[[Path], Any]] = {
            "cfg": lambda p: self.cfg.update(srsly.read_json(_existing(p, "mammo_ner config file"))),
            "vocab": lambda p: self.vocab.from_disk(p, exclude=exclude),
            "model": lambda p: self._load_model(_existing(p, "model weights file").read_bytes(), source=str(p)),
        }
        util.from_disk(path, deserialize, exclude)
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


def _existing(path: Path, what: str) -> Path:
    if not path.exists():
        raise MammoDataError(f"missing {what}", path=path)
    return path


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


def _log_softmax(scores: numpy.ndarray) -> numpy.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - numpy.log(numpy.exp(shifted).sum(axis=1, keepdims=True))
