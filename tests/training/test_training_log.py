import io
import json

import pytest
import spacy
from spacy.cli.init_config import init_config
from spacy.cli.train import train
from spacy.tokens import DocBin, Span

import spacy_mammo.training.curriculum  # noqa: F401  registers the batcher
import spacy_mammo.training.logger as training_log

LOGGER = "spacy-mammo.jsonl_logger.v1"
WORDS = ["the", "left", "breast", "shows", "a", "small", "round", "mass", "and", "no", "calcifications"]


def make_docs(nlp, n):
    """Docs of growing length whose tokens "left" and "mass" are entities."""
    docs = []
    for i in range(n):
        words = (WORDS * 3)[: 4 + 2 * i]
        doc = spacy.tokens.Doc(nlp.vocab, words=words)
        label_of = {"left": "LATERALITY", "mass": "MASS"}
        doc.ents = [Span(doc, j, j + 1, label=label_of[w]) for j, w in enumerate(words) if w in label_of]
        docs.append(doc)
    return docs


@pytest.fixture(scope="module")
def training_run(tmp_path_factory):
    """Train a tiny spaCy `ner` for 20 steps with the curriculum batcher and the JSONL logger."""
    tmp = tmp_path_factory.mktemp("train")
    nlp = spacy.blank("en")
    docs = make_docs(nlp, 12)
    DocBin(docs=docs).to_disk(tmp / "train.spacy")
    DocBin(docs=docs[:4]).to_disk(tmp / "dev.spacy")
    config = init_config(lang="en", pipeline=["ner"], optimize="efficiency")
    config["components"]["tok2vec"]["model"]["embed"]["width"] = 32
    config["components"]["tok2vec"]["model"]["encode"]["width"] = 32
    config["components"]["tok2vec"]["model"]["encode"]["depth"] = 1
    config["training"]["batcher"] = {
        "@batchers": "spacy-mammo.curriculum_batcher.v1",
        "size": 40,
        "epochs_per_stage": 1,
    }
    log_path = tmp / "logs" / "train.jsonl"
    config["training"]["logger"] = {"@loggers": LOGGER, "path": str(log_path), "progress_bar": False}
    config["training"].update({"max_steps": 20, "eval_frequency": 4, "max_epochs": 0, "patience": 0})
    config.to_disk(tmp / "config.cfg")
    train(
        tmp / "config.cfg",
        tmp / "model",
        overrides={"paths.train": str(tmp / "train.spacy"), "paths.dev": str(tmp / "dev.spacy")},
    )
    rows = [json.loads(line) for line in log_path.read_text(encoding="utf8").splitlines()]
    return {"rows": rows, "model": tmp / "model" / "model-last"}


def test_logger_resolves():
    setup = spacy.registry.resolve({"l": {"@loggers": LOGGER, "path": "x.jsonl"}})["l"]
    assert callable(setup)


def test_training_with_curriculum_writes_stage_rows(training_run):
    rows = training_run["rows"]
    # Evaluations at steps 0, 4, ..., 20.
    assert [row["step"] for row in rows] == list(range(0, 21, 4))
    stages = [row["stage"] for row in rows]
    indices = [row["stage_index"] for row in rows]
    assert stages[0] == "easy"
    assert len(set(stages)) >= 2
    assert set(stages) <= {"easy", "medium", "hard", "all"}
    assert indices == sorted(indices)
    for row in rows:
        assert set(row) >= {
            "epoch",
            "losses",
            "score",
            "ents_p",
            "ents_r",
            "ents_f",
            "ents_per_type_f",
            "words",
            "seconds",
        }
        assert set(row["losses"]) == {"tok2vec", "ner"}
        assert 0.0 <= row["ents_f"] <= 1.0
    assert set(rows[-1]["ents_per_type_f"]) <= {"LATERALITY", "MASS"}
    assert [row["words"] for row in rows] == sorted(row["words"] for row in rows)
    # The trained pipeline loads and runs.
    nlp = spacy.load(training_run["model"])
    assert nlp("the left breast").text == "the left breast"


def test_no_stage_without_curriculum(tmp_path):
    """With spaCy's own batcher the stage columns are null, even after a curriculum run."""
    spacy_mammo.training.curriculum.configure_curriculum_batcher(size=10)([])
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    nlp.config["training"]["batcher"] = {"@batchers": "spacy.batch_by_words.v1", "size": 100}
    nlp.config["training"].update({"max_steps": 0, "eval_frequency": 1, "score_weights": {"ents_f": 1.0}})
    log_path = tmp_path / "log.jsonl"
    setup = training_log.jsonl_logger(str(log_path), console=True, progress_bar=False)
    stdout = io.StringIO()
    log_step, finalize = setup(nlp, stdout, io.StringIO())
    info = {
        "epoch": 0,
        "step": 0,
        "score": 0.5,
        "other_scores": {
            "ents_f": 0.5,
            "ents_p": 0.5,
            "ents_r": 0.5,
            "ents_per_type": {"MASS": {"p": 1, "r": 1, "f": 1}},
        },
        "losses": {"ner": 2.0},
        "words": 10,
        "seconds": 1,
    }
    log_step(None)
    log_step(info)
    finalize()
    (row,) = [json.loads(line) for line in log_path.read_text(encoding="utf8").splitlines()]
    assert row["stage"] is None and row["stage_index"] is None
    assert row["ents_per_type_f"] == {"MASS": 1.0}
    assert "50.00" in stdout.getvalue()  # spaCy's console table is still printed
