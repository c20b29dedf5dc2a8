"""The registered `spacy-mammo.AttentionBiLSTM.v1`: the featurizer, then the torch tagger in `PyTorchWrapper_v2`."""

import os
import warnings
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, cast

import numpy
import torch
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import ArgsKwargs, Model, PyTorchGradScaler, PyTorchShim, PyTorchWrapper_v2, torch2xp, xp2torch
from thinc.types import Floats2d, Floats3d, Ints2d

from .featurizer import build_featurizer
from .torch_tagger import AttentionBiLSTMTagger

# A process forked after torch ran its OpenMP pool hangs on its next parallel
# op; one thread per forked worker (nlp.pipe(n_process=...)) avoids that and
# the oversubscription of N processes times N threads on N cores.
os.register_at_fork(after_in_child=lambda: torch.set_num_threads(1))


@registry.architectures("spacy-mammo.AttentionBiLSTM.v1")
def build_attention_bilstm(
    attrs: Sequence[str] = ("NORM", "PREFIX", "SUFFIX", "SHAPE"),
    hash_rows: Sequence[int] = (5000, 1000, 2500, 500),
    subword_rows: int = 20000,
    n_subwords: int = 12,
    lexicon_features: bool = True,
    embed_width: int = 96,
    hidden_width: int = 192,
    lstm_depth: int = 1,
    attention_heads: int = 4,
    attention_window: int = 64,
    dropout: float = 0.1,
    mixed_precision: bool = False,
    grad_scaler_config: Optional[Dict[str, Any]] = None,
    nO: Optional[int] = None,
) -> Model[List[Doc], List[Floats2d]]:
    """Featurizer + attention-BiLSTM torch module behind `PyTorchWrapper_v2`.

    The torch module is built in `initialize`, once the component has set the
    number of tags (`nO`); every size it needs is in this config, so a saved
    pipeline rebuilds it before loading weights. The model's refs name its parts:
    "featurizer", and "tagger" (the wrapped torch module, unset until built).
    RETURNS (Model[List[Doc], List[Floats2d]]): one (n_tokens, nO) score matrix per doc.
    """
    if len(attrs) != len(hash_rows):
        raise ValueError(f"attrs ({len(attrs)}) and hash_rows ({len(hash_rows)}) must have the same length")
    featurizer = build_featurizer(attrs, hash_rows, subword_rows, n_subwords, lexicon_features)
    torch_config = {
        "hash_rows": list(hash_rows),
        "n_lexicon_tags": featurizer.attrs["n_lexicon_tags"],
        "subword_rows": subword_rows,
        "n_subwords": n_subwords,
        "embed_width": embed_width,
        "hidden_width": hidden_width,
        "lstm_depth": lstm_depth,
        "attention_heads": attention_heads,
        "attention_window": attention_window,
        "dropout": dropout,
    }
    return Model(
        "mammo_attention_bilstm",
        _tagger_forward,
        init=_tagger_init,
        layers=[featurizer],
        refs={"featurizer": featurizer, "tagger": None},
        dims={"nO": nO},
        attrs={
            "torch_config": torch_config,
            "mixed_precision": mixed_precision,
            "grad_scaler_config": dict(grad_scaler_config or {}),
        },
    )


def _tagger_init(model: Model, X: Optional[List[Doc]] = None, Y=None) -> None:
    if model.has_ref("tagger"):
        return
    n_tags = model.get_dim("nO")
    module = AttentionBiLSTMTagger(**model.attrs["torch_config"], n_tags=n_tags)
    mixed_precision = resolve_mixed_precision(model.attrs["mixed_precision"])
    scaler_config = {"init_scale": 65536.0, **model.attrs["grad_scaler_config"]}
    grad_scaler = PyTorchGradScaler(enabled=mixed_precision, **scaler_config)
    wrapped = PyTorchWrapper_v2(
        module,
        convert_inputs=_convert_inputs,
        convert_outputs=_convert_outputs,
        mixed_precision=mixed_precision,
        grad_scaler=grad_scaler,
    )
    model.layers.append(wrapped)
    model.set_ref("tagger", wrapped)


def set_subword_vectors(model: Model, table: numpy.ndarray) -> None:
    """Start the built tagger's character-trigram table from pretrained vectors of the same shape."""
    module = cast(PyTorchShim, model.get_ref("tagger").shims[0])._model
    if not module.n_subwords:
        raise ValueError("the model has no subword table (subword_rows = 0)")
    weight = module.subword_embed.weight
    if tuple(table.shape) != tuple(weight.shape):
        raise ValueError(f"subword vectors of shape {tuple(table.shape)}; the model's table is {tuple(weight.shape)}")
    with torch.no_grad():
        weight.copy_(torch.from_numpy(numpy.asarray(table, dtype="float32")))


def _tagger_forward(model: Model, docs: List[Doc], is_train: bool) -> Tuple[List[Floats2d], Callable]:
    features = model.get_ref("featurizer").predict(docs)
    scores, backprop_tagger = model.get_ref("tagger")(features, is_train)

    def backprop(d_scores: List[Floats2d]) -> List[Doc]:
        backprop_tagger(d_scores)
        return []

    return scores, backprop


def resolve_mixed_precision(requested: bool) -> bool:
    """Mixed precision only where thinc's shim can use it: CUDA. Else fp32, with one warning."""
    if requested and not torch.cuda.is_available():
        warnings.warn(
            "spacy-mammo: mixed_precision = true needs CUDA; no CUDA device is available, so the model runs in fp32.",
            stacklevel=2,
        )
        return False
    return bool(requested)


def _convert_inputs(model: Model, features: List[Ints2d], is_train: bool):
    lengths = [len(f) for f in features]
    n_columns = features[0].shape[1] if features else 0
    padded = numpy.zeros((len(features), max(lengths, default=0), n_columns), dtype="int64")
    for i, f in enumerate(features):
        padded[i, : len(f)] = f
    device = cast(PyTorchShim, model.shims[0]).device
    args = (torch.from_numpy(padded).to(device), torch.tensor(lengths, dtype=torch.int64))
    return ArgsKwargs(args=args, kwargs={}), lambda d_inputs: []


def _convert_outputs(model: Model, inputs_outputs, is_train: bool):
    features, scores_torch = inputs_outputs
    lengths = [len(f) for f in features]
    scores = cast(Floats3d, torch2xp(scores_torch.float()))
    per_doc = [scores[i, :n] for i, n in enumerate(lengths)]

    def backprop(d_scores: List[Floats2d]) -> ArgsKwargs:
        d_padded = model.ops.alloc3f(*scores.shape)
        for i, d in enumerate(d_scores):
            d_padded[i, : len(d)] = d
        grads = xp2torch(d_padded, device=scores_torch.device).to(scores_torch.dtype)
        return ArgsKwargs(args=(scores_torch,), kwargs={"grad_tensors": grads})

    return per_doc, backprop
