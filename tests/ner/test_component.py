"""The mammo_ner component: registration, training, serialization, edge cases."""

import json
import pickle
import subprocess
import sys
import warnings
from importlib.metadata import entry_points

import numpy
import pytest
import spacy
import torch
from spacy.language import Language
from spacy.util import load_model_from_config, registry

from spacy_mammo.errors import MammoDataError
from spacy_mammo.labels import LABELS
from spacy_mammo.ner.architectures import build_attention_bilstm
from spacy_mammo.ner.bio import allowed_transitions, bio_tags, viterbi_decode
from spacy_mammo.ner.component import MammoNER
from spacy_mammo.ner.torch_tagger import AttentionBiLSTMTagger
from spacy_mammo.tokenizer import blank_mammo_nlp

from ..conftest import REPORTS, TINY_MODEL, make_examples, parse_markup, train_tiny

# Entry-point group -> spaCy registry. Factories land in spaCy's internal
# "factories" registry when the entry point's module runs its decorator.
REGISTRY_GROUPS = {
    "spacy_factories": "factories",
    "spacy_architectures": "architectures",
    "spacy_scorers": "scorers",
    "spacy_tokenizers": "tokenizers",
    "spacy_batchers": "batchers",
    "spacy_readers": "readers",
    "spacy_loggers": "loggers",
    "spacy_misc": "misc",
    "spacy_callbacks": "callbacks",
}


def _project_entry_points():
    found = []
    for group in REGISTRY_GROUPS:
        for ep in entry_points(group=group):
            if ep.value.startswith("spacy_mammo."):
                found.append((group, ep))
    return found


def test_every_entry_point_resolves_in_spacys_registry():
    found = _project_entry_points()
    assert {g for g, _ in found} >= {"spacy_factories", "spacy_architectures", "spacy_scorers", "spacy_tokenizers"}
    for group, ep in found:
        func = ep.load()
        assert callable(func)
        assert registry.get(REGISTRY_GROUPS[group], ep.name) is func
        assert registry.find(REGISTRY_GROUPS[group], ep.name)["module"] == ep.module
        if group == "spacy_factories":
            assert Language.has_factory(ep.name)


def test_add_pipe_and_load_work_without_importing_the_plugin(trained_nlp, tmp_path):
    trained_nlp.to_disk(tmp_path / "model")
    text = parse_markup(REPORTS[0])[0]
    code = (
        "import json, sys, spacy\n"
        "spacy.blank('en').add_pipe('mammo_ner')\n"
        f"nlp = spacy.load({str(tmp_path / 'model')!r})\n"
        f"print(json.dumps([(e.start_char, e.end_char, e.label_) for e in nlp({text!r}).ents]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    expected = [[e.start_char, e.end_char, e.label_] for e in trained_nlp(text).ents]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == expected


def test_config_round_trip(trained_nlp):
    config = trained_nlp.config
    nlp2 = load_model_from_config(config, auto_fill=True, validate=True)
    assert nlp2.pipe_names == ["mammo_ner"]
    assert nlp2.config["components"]["mammo_ner"]["model"] == config["components"]["mammo_ner"]["model"]
    assert nlp2.config.to_str() == config.to_str()


def test_overfits_a_few_reports_and_reloads_identically(trained_nlp, tmp_path):
    examples = make_examples(trained_nlp)
    scores = trained_nlp.evaluate(examples)
    assert scores["ents_f"] == 1.0
    assert scores["bio_acc"] == 1.0
    texts = [eg.reference.text for eg in examples]
    before = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in trained_nlp.pipe(texts)]
    assert before == [[(e.start, e.end, e.label_) for e in trained_nlp(t).ents] for t in texts]
    trained_nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    after = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in loaded.pipe(texts)]
    assert after == before


def test_bytes_round_trip_gives_identical_scores(trained_nlp):
    ner = trained_nlp.get_pipe("mammo_ner")
    data = ner.to_bytes()
    nlp2 = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "spacy-mammo.Tokenizer.v1"}}})
    ner2 = nlp2.add_pipe("mammo_ner", config={"model": TINY_MODEL})
    ner2.from_bytes(data)
    assert ner2.labels == ner.labels
    doc = trained_nlp.make_doc(parse_markup(REPORTS[3])[0])
    numpy.testing.assert_allclose(ner.model.predict([doc])[0], ner2.model.predict([doc])[0], rtol=1e-6)


def test_component_disk_round_trip_saves_the_vocab_as_bytes_do(trained_nlp, tmp_path):
    ner = trained_nlp.get_pipe("mammo_ner")
    ner.to_disk(tmp_path / "ner")
    assert (tmp_path / "ner" / "vocab" / "strings.json").is_file()
    nlp2 = blank_mammo_nlp()
    ner2 = nlp2.add_pipe("mammo_ner", config={"model": TINY_MODEL})
    assert "spiculated" not in nlp2.vocab.strings
    ner2.from_disk(tmp_path / "ner")
    assert "spiculated" in nlp2.vocab.strings
    assert ner2.labels == ner.labels
    doc = trained_nlp.make_doc(parse_markup(REPORTS[3])[0])
    numpy.testing.assert_array_equal(ner.model.predict([doc])[0], ner2.model.predict([doc])[0])


def test_missing_component_config_is_a_clear_error(trained_nlp, tmp_path):
    trained_nlp.to_disk(tmp_path / "model")
    (tmp_path / "model" / "mammo_ner" / "cfg").unlink()
    with pytest.raises(MammoDataError, match="missing mammo_ner config file"):
        spacy.load(tmp_path / "model")


def test_labels_from_init_labels(tmp_path):
    nlp = blank_mammo_nlp()
    ner = nlp.add_pipe("mammo_ner", config={"model": TINY_MODEL})
    examples = make_examples(nlp)
    ner.initialize(lambda: examples, nlp=nlp, labels=list(LABELS))
    assert ner.labels == list(LABELS)
    assert ner.label_data == list(LABELS)
    assert ner.model.get_dim("nO") == 1 + 2 * len(LABELS)


def test_edge_cases(trained_nlp):
    texts = ["", "   \n\t ", "mass", "Mamografía: masa irregular — 1,2 cm · 10 o’clock ✓", "x" * 5, "BI-RADS 4A."]
    for text in texts:
        doc = trained_nlp(text)
        assert doc.text == text
        for ent in doc.ents:
            assert 0 <= ent.start < ent.end <= len(doc)
    long_text = " ".join(parse_markup(r)[0] for r in REPORTS) * 20
    batch = ["", long_text, " ", "mass", long_text[:100]]
    docs = list(trained_nlp.pipe(batch, batch_size=3))
    assert [d.text for d in docs] == batch
    assert [len(d.ents) for d in docs] == [len(trained_nlp(t).ents) for t in batch]


def test_overwrite_policy(trained_nlp):
    from spacy.tokens import Span

    text = parse_markup(REPORTS[0])[0]
    ner = trained_nlp.get_pipe("mammo_ner")
    doc = trained_nlp.make_doc(text)
    doc.ents = [Span(doc, 0, 2, label="CUSTOM")]
    ner.cfg["overwrite_ents"] = False
    try:
        kept = ner(doc)
        assert kept.ents[0].label_ == "CUSTOM"
        assert {e.label_ for e in kept.ents} >= {"MASS", "SIZE"}
    finally:
        ner.cfg["overwrite_ents"] = True
    doc = trained_nlp.make_doc(text)
    doc.ents = [Span(doc, 0, 2, label="CUSTOM")]
    assert "CUSTOM" not in {e.label_ for e in ner(doc).ents}


def test_pipe_with_two_processes(trained_nlp):
    texts = [parse_markup(r)[0] for r in REPORTS]
    single = [[(e.start, e.end, e.label_) for e in d.ents] for d in trained_nlp.pipe(texts)]
    multi = [[(e.start, e.end, e.label_) for e in d.ents] for d in trained_nlp.pipe(texts, n_process=2, batch_size=2)]
    assert multi == single


def test_viterbi_always_gives_well_formed_bio():
    tags = bio_tags(LABELS)
    start, transition = allowed_transitions(tags)
    rng = numpy.random.default_rng(0)
    scores = [rng.normal(size=(n, len(tags))).astype("float32") for n in (0, 1, 7, 40)]
    # Make I- tags the most likely everywhere: the decoder must still repair them.
    for s in scores:
        s[:, 2::2] += 5.0
    for path in viterbi_decode(scores, start, transition):
        previous = "O"
        for tag in (tags[i] for i in path):
            if tag.startswith("I-"):
                assert previous in (f"B-{tag[2:]}", tag)
            previous = tag


def _tiny_module(n_tags=5):
    torch.manual_seed(0)
    return AttentionBiLSTMTagger(
        hash_rows=[50, 50],
        n_lexicon_tags=0,
        subword_rows=0,
        n_subwords=0,
        embed_width=8,
        hidden_width=8,
        lstm_depth=1,
        attention_heads=2,
        attention_window=4,
        dropout=0.0,
        n_tags=n_tags,
    ).eval()


def test_padding_never_leaks_into_the_scores():
    module = _tiny_module()
    short = torch.randint(0, 50, (1, 6, 4))
    long = torch.randint(0, 50, (1, 11, 4))
    alone = module(short, torch.tensor([6]))
    padded = torch.cat([torch.nn.functional.pad(short, (0, 0, 0, 5), value=7), long])
    together = module(padded, torch.tensor([6, 11]))
    torch.testing.assert_close(together[0, :6], alone[0], rtol=1e-5, atol=1e-5)


def test_long_document_runs(trained_nlp):
    words = ("There is a 1.2 cm mass in the right breast at 10 o'clock .".split() * 1700)[:20000]
    doc = trained_nlp(spacy.tokens.Doc(trained_nlp.vocab, words=words))
    assert len(doc) == 20000
    assert all(0 <= e.start < e.end <= 20000 for e in doc.ents)


def test_mixed_precision_config_falls_back_to_fp32_on_cpu(tmp_path):
    if torch.cuda.is_available():
        pytest.skip("this checks the CPU fallback")
    nlp = blank_mammo_nlp()
    nlp.add_pipe("mammo_ner", config={"model": {**TINY_MODEL, "mixed_precision": True}})
    with pytest.warns(UserWarning, match="mixed_precision"):
        train_tiny(nlp, make_examples(nlp), n_iter=3)
    nlp.to_disk(tmp_path / "mp")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = spacy.load(tmp_path / "mp")
    doc = loaded(parse_markup(REPORTS[0])[0])
    assert doc.text.startswith("There is")


def test_architecture_builds_unsized_until_initialized():
    model = build_attention_bilstm(**TINY_MODEL)
    assert model.has_ref("featurizer")
    assert model.has_ref("tagger") is None  # declared, unset until the tag count is known
    model.set_dim("nO", 5)
    model.initialize()
    tagger = model.get_ref("tagger")
    assert isinstance(tagger.shims[0]._model, AttentionBiLSTMTagger)
    assert tagger.shims[0]._model.output.out_features == 5
    model.initialize()  # a second call keeps the module
    assert model.get_ref("tagger") is tagger


def test_component_without_labels_refuses_to_initialize():
    nlp = blank_mammo_nlp()
    nlp.add_pipe("mammo_ner", config={"model": TINY_MODEL})
    doc = nlp.make_doc("nothing here")
    from spacy.training import Example

    with pytest.raises(ValueError, match="no entity labels"):
        nlp.initialize(lambda: [Example(doc, nlp.make_doc("nothing here"))])


class _Exploit:
    def __reduce__(self):
        return (print, ("pwned",))


def test_weights_that_would_run_code_are_refused(trained_nlp, tmp_path):
    trained_nlp.to_disk(tmp_path / "model")
    weights = tmp_path / "model" / "mammo_ner" / "model"
    import io

    import srsly

    msg = srsly.msgpack_loads(weights.read_bytes())
    buf = io.BytesIO()
    torch.save({"evil": _Exploit()}, buf)
    # Put the malicious pickle where the torch state dict goes.
    for node in msg["shims"]:
        if node:
            for i, _ in enumerate(node):
                shim = srsly.msgpack_loads(node[i])
                shim["state"] = buf.getvalue()
                node[i] = srsly.msgpack_dumps(shim)
    weights.write_bytes(srsly.msgpack_dumps(msg))
    with pytest.raises(MammoDataError, match="weights_only"):
        spacy.load(tmp_path / "model")


def test_truncated_weights_give_a_clear_error(trained_nlp, tmp_path):
    trained_nlp.to_disk(tmp_path / "model")
    weights = tmp_path / "model" / "mammo_ner" / "model"
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(MammoDataError, match="mammo_ner"):
        spacy.load(tmp_path / "model")


def test_label_set_that_does_not_match_the_weights(trained_nlp, tmp_path):
    trained_nlp.to_disk(tmp_path / "model")
    cfg_path = tmp_path / "model" / "mammo_ner" / "cfg"
    cfg = json.loads(cfg_path.read_text())
    cfg["labels"] = cfg["labels"][:-1]
    cfg_path.write_text(json.dumps(cfg))
    with pytest.raises(MammoDataError, match="label set"):
        spacy.load(tmp_path / "model")


def test_unknown_architecture_is_a_clear_error(trained_nlp):
    config = trained_nlp.config.copy()
    config["components"]["mammo_ner"]["model"]["@architectures"] = "spacy-mammo.NoSuchModel.v9"
    with pytest.raises(Exception, match="NoSuchModel"):
        load_model_from_config(config, auto_fill=True)


def test_component_pickles_via_bytes(trained_nlp):
    ner = trained_nlp.get_pipe("mammo_ner")
    assert isinstance(ner, MammoNER)
    clone = pickle.loads(pickle.dumps(trained_nlp))
    text = parse_markup(REPORTS[1])[0]
    assert [(e.start, e.end, e.label_) for e in clone(text).ents] == [
        (e.start, e.end, e.label_) for e in trained_nlp(text).ents
    ]
