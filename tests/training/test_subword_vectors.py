"""Pretrained trigram vectors: the skip-gram trainer, the CLI, and the tagger's table started from them."""

import numpy
import pytest
import spacy

from spacy_mammo.ner.featurizer import subword_ids
from spacy_mammo.training.subword_vectors import conll_sentences, train_subword_vectors

from ..conftest import TINY_MODEL, invoke_cli, make_examples

ROWS, N_SUBWORDS, WIDTH = 2000, 12, 16


def _sentences():
    """'lipoma' and 'hamartoma' share every context; 'aspirin' has others."""
    rng = numpy.random.default_rng(0)
    out = []
    for _ in range(300):
        finding = ["lipoma", "hamartoma"][rng.integers(2)]
        out.append(["a", "benign", finding, "in", "the", "breast", "was", "seen"])
        out.append(["the", "patient", "took", "aspirin", "daily", "for", "pain"])
    return out


def _centred_vectors(table, words):
    """Word vectors (mean of their trigram rows) minus the mean word vector, unit length:
    skip-gram vectors share a common direction that hides their differences."""
    vectors = numpy.stack([table[[i for i in subword_ids(w, ROWS, N_SUBWORDS) if i]].mean(0) for w in words])
    vectors -= vectors.mean(0)
    return dict(zip(words, vectors / numpy.linalg.norm(vectors, axis=1, keepdims=True)))


def test_words_sharing_contexts_end_up_closer_than_others():
    sentences = _sentences()
    # No subsampling: in a corpus of 14 words every word is "frequent".
    table = train_subword_vectors(sentences, rows=ROWS, n_subwords=N_SUBWORDS, width=WIDTH, epochs=3, subsample=1.0)
    assert table.shape == (ROWS, WIDTH) and table.dtype == numpy.float32
    assert not table[0].any()
    vec = _centred_vectors(table, sorted({w for s in sentences for w in s}))
    assert vec["lipoma"] @ vec["hamartoma"] > vec["lipoma"] @ vec["aspirin"] + 0.3


def test_same_seed_same_table():
    first, second = (
        train_subword_vectors(_sentences(), rows=ROWS, n_subwords=N_SUBWORDS, width=WIDTH, epochs=1) for _ in range(2)
    )
    assert numpy.array_equal(first, second)


def test_no_text_is_an_error():
    with pytest.raises(ValueError, match="no sentences"):
        train_subword_vectors([["alone"]], rows=ROWS, n_subwords=N_SUBWORDS, width=WIDTH)


def test_conll_sentences_lowercase_tokens_and_skip_docstart(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("-DOCSTART-\tO\n\nBRCA1\tB-Gene\nmutation\tO\n\nLipoma\tB-Disease\n", encoding="utf8")
    assert list(conll_sentences(path)) == [["brca1", "mutation"], ["lipoma"]]


def test_too_little_text_is_an_error():
    with pytest.raises(ValueError, match="no \\(word, context\\) pairs"):
        train_subword_vectors([["a", "lipoma"]] * 3, rows=ROWS, n_subwords=N_SUBWORDS, width=WIDTH)


def test_vectors_command_writes_the_table(tmp_path):
    corpus = tmp_path / "reports.jsonl"
    assert invoke_cli("synth", "--n", 30, "--seed", 1, "--out", corpus).exit_code == 0
    out = tmp_path / "vec.npy"
    result = invoke_cli("vectors", out, "--jsonl", corpus, "--rows", ROWS, "--width", WIDTH, "--epochs", 1)
    assert result.exit_code == 0, result.stderr
    assert numpy.load(out).shape == (ROWS, WIDTH)
    assert invoke_cli("vectors", tmp_path / "none.npy").exit_code == 2
    tiny = tmp_path / "tiny.jsonl"
    tiny.write_text('{"id": "a", "text": "A lipoma.", "spans": []}\n', encoding="utf8")
    result = invoke_cli("vectors", tmp_path / "tiny.npy", "--jsonl", tiny)
    assert result.exit_code == 1 and "no (word, context) pairs" in result.stderr
    assert not (tmp_path / "tiny.npy").exists()


def _nlp(vectors_path=None):
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "spacy-mammo.Tokenizer.v1"}}})
    nlp.add_pipe("mammo_ner", config={"model": {**TINY_MODEL, "embed_width": WIDTH}})
    if vectors_path is not None:
        nlp.config["initialize"]["components"]["mammo_ner"] = {"subword_vectors": str(vectors_path)}
    return nlp


def _trigram_table(nlp):
    return nlp.get_pipe("mammo_ner").model.get_ref("tagger").shims[0]._model.subword_embed.weight.detach().numpy()


def test_the_trigram_table_starts_from_the_vectors_and_then_trains(tmp_path):
    table = numpy.random.default_rng(1).normal(size=(ROWS, WIDTH)).astype("float32")
    numpy.save(tmp_path / "vec.npy", table)
    nlp = _nlp(tmp_path / "vec.npy")
    examples = make_examples(nlp)
    optimizer = nlp.initialize(lambda: examples)
    assert numpy.array_equal(_trigram_table(nlp), table)
    nlp.update(examples, sgd=optimizer, losses={})
    moved = _trigram_table(nlp).copy()
    assert not numpy.array_equal(moved, table)
    nlp.to_disk(tmp_path / "pipeline")
    assert numpy.array_equal(_trigram_table(spacy.load(tmp_path / "pipeline")), moved)


def test_vectors_of_another_shape_are_refused(tmp_path):
    numpy.save(tmp_path / "small.npy", numpy.zeros((ROWS, WIDTH - 1), dtype="float32"))
    nlp = _nlp(tmp_path / "small.npy")
    examples = make_examples(nlp)
    with pytest.raises(ValueError, match="shape"):
        nlp.initialize(lambda: examples)
