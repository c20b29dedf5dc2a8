"""Every shipped config resolves; the mixed-precision config builds, saves and predicts on CPU."""

import warnings
from pathlib import Path

import pytest
import spacy
import torch
from spacy.util import load_config, load_model_from_config, registry

from ..conftest import REPORTS, make_examples, parse_markup, train_tiny

CONFIGS = sorted((Path(__file__).resolve().parents[2] / "configs").glob("*.cfg"))


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_config_resolves(path):
    config = load_config(path)
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    assert nlp.pipe_names == ["mammo_ner"]
    training = registry.resolve(nlp.config.interpolate()["training"], validate=False)
    assert callable(training["batcher"])
    assert callable(training["before_to_disk"])


def test_mixed_precision_config_trains_saves_and_predicts_on_cpu(tmp_path):
    if torch.cuda.is_available():
        pytest.skip("this checks the fp32 fallback on a machine without CUDA")
    config = load_config(Path(__file__).resolve().parents[2] / "configs" / "mammo_ner_gpu.cfg")
    assert config["components"]["mammo_ner"]["model"]["mixed_precision"] is True
    config["components"]["mammo_ner"]["model"].update({"embed_width": 32, "hidden_width": 32, "subword_rows": 2000})
    nlp = load_model_from_config(config, auto_fill=True)
    with pytest.warns(UserWarning, match="no CUDA device"):
        train_tiny(nlp, make_examples(nlp), n_iter=5)
    nlp.to_disk(tmp_path / "model")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = spacy.load(tmp_path / "model")
    text = parse_markup(REPORTS[0])[0]
    assert [(e.start, e.end, e.label_) for e in loaded(text).ents] == [
        (e.start, e.end, e.label_) for e in nlp(text).ents
    ]
