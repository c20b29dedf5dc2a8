"""The spaCy project workflow, end to end on a tiny config (weasel's project_run)."""

import json
import shutil
from pathlib import Path

import pytest
import spacy
import srsly
from weasel.cli.run import project_run

from spacy_mammo.corpus.readers import read_jsonl_records

ROOT = Path(__file__).resolve().parents[2]
# The package step only lays out the package (no sdist/wheel build): test_package builds one.
TINY_VARS = {
    "vars.config": "tiny",
    "vars.n_train": 40,
    "vars.n_dev": 10,
    "vars.n_test": 10,
    "vars.package_build": "none",
    "vars.adapt_epochs": 1,
    "vars.adapt_synthetic": 10,
    "vars.adapt_runs": 2,
}


REAL_TRAIN_SLICE = 20


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    shutil.copy(ROOT / "project.yml", root / "project.yml")
    shutil.copytree(ROOT / "configs", root / "configs")
    for name in (
        "independent",
        "independent_blind",
        "real_dev/open",
        "real_dev/blind",
        "real_abstracts/open",
        "real_abstracts/blind",
        "real_train",
    ):
        source, target = ROOT / "assets" / name / "reports.jsonl", root / "assets" / name / "reports.jsonl"
        target.parent.mkdir(parents=True)
        if name == "real_train":
            # The adapt step's time grows with real_train; a slice of it exercises the same workflow.
            lines = source.read_text(encoding="utf8").splitlines(keepends=True)
            target.write_text("".join(lines[:REAL_TRAIN_SLICE]), encoding="utf8")
        else:
            shutil.copy(source, target)
    # The data step's deps name the generator's source files.
    shutil.copytree(ROOT / "spacy_mammo", root / "spacy_mammo", ignore=shutil.ignore_patterns("__pycache__"))
    for command in ("data", "corpus", "train", "assemble", "adapt", "evaluate", "plot", "package"):
        project_run(root, command, overrides=TINY_VARS, capture=True)
    return root


def test_workflow_produces_model_metrics_and_plot(project):
    assert (project / "corpus" / "train.spacy").exists()
    nlp = spacy.load(project / "training" / "model-best")
    assert nlp.pipe_names == ["mammo_ner"]
    metrics = srsly.read_json(project / "metrics" / "test.json")
    assert 0.0 <= metrics["ents_f"] <= 1.0
    assert "ents_per_type" in metrics and "token_accuracy" in metrics
    assert (project / "metrics" / "independent.md").read_text().startswith("|") or "Label" in (
        project / "metrics" / "independent.md"
    ).read_text()
    png = (project / "metrics" / "f1_per_epoch.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_package_step_ships_the_evaluation_and_the_model_card(project):
    """The packaged meta.json holds the `evaluate` results, not spaCy's dev scores."""
    package = project / "packages" / "en_mammo_ner-0.1.0"
    meta = srsly.read_json(package / "meta.json")
    for name, metrics_file in (
        ("synthetic_test", "test"),
        ("independent", "independent"),
        ("independent_blind", "independent_blind"),
        ("real_dev_open", "real_dev_open"),
        ("real_dev_blind", "real_dev_blind"),
        ("real_abstracts_open", "real_abstracts_open"),
        ("real_abstracts_blind", "real_abstracts_blind"),
    ):
        metrics = srsly.read_json(project / "metrics" / f"{metrics_file}.json")
        # spacy package rounds meta.json floats to 10 decimals (so a small score keeps fewer digits).
        assert meta["performance"][f"{name}_ents_f"] == pytest.approx(metrics["ents_f"], rel=1e-8, abs=1e-10)
        neg_acc = metrics["negation"]["accuracy"]
        # None when the tiny model found no gold finding with its span and label; the key is then left out.
        if neg_acc is None:
            assert f"{name}_neg_acc" not in meta["performance"]
        else:
            assert meta["performance"][f"{name}_neg_acc"] == pytest.approx(neg_acc, rel=1e-8, abs=1e-10)
    assert "ents_f" not in meta["performance"]
    assert meta["author"] == "spacy-mammo contributors" and meta["license"] == "MIT"
    readme = (package / "README.md").read_text(encoding="utf8")
    assert "## Model card" in readme and "Never validated on real patient reports" in readme
    assert "`independent_blind`" in readme


def test_training_log_has_one_row_per_evaluation_with_stages(project):
    rows = [json.loads(line) for line in (project / "training" / "log.jsonl").read_text().splitlines()]
    assert len(rows) >= 2
    assert rows[0]["stage"] == "easy"
    assert {"epoch", "step", "ents_f", "ents_per_type_f"} <= set(rows[-1])
    assert [r["step"] for r in rows] == sorted(r["step"] for r in rows)


def test_rerun_skips_up_to_date_steps(project, capfd):
    project_run(project, "corpus", overrides=TINY_VARS)
    out = capfd.readouterr().out
    assert "Skipping 'corpus'" in out


def test_shipped_pipeline_is_adapted_on_the_open_and_training_real_texts_only(project):
    """model-final is model-synthetic fine-tuned on the two open parts and real_train; the blind parts never
    enter training."""
    meta = srsly.read_json(project / "training" / "model-final" / "meta.json")
    adaptation = meta["spacy_mammo_adaptation"]
    local = [
        "assets/real_dev/open/reports.jsonl",
        "assets/real_abstracts/open/reports.jsonl",
        "assets/real_train/reports.jsonl",
    ]
    assert adaptation["local"] == ", ".join(local)
    n_local = sum(1 for path in local for _ in read_jsonl_records(project / path))
    assert adaptation["local_train_reports"] == n_local and adaptation["local_dev_reports"] == 0
    assert adaptation["runs_averaged"] == 2
    assert (
        spacy.load(project / "training" / "model-final").pipe_names
        == spacy.load(project / "training" / "model-synthetic").pipe_names
    )
    card = (project / "packages" / "en_mammo_ner-0.1.0" / "README.md").read_text(encoding="utf8")
    assert f"then fine-tuning (`spacy mammo adapt`) on {n_local} annotated real texts" in card
