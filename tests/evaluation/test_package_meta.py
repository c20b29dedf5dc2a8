"""The package meta names the training data the pipeline actually saw."""

from spacy_mammo.evaluation import package_meta

METRICS = {
    "n_docs": 3,
    "ents_p": 0.9,
    "ents_r": 0.8,
    "ents_f": 0.85,
    "token_accuracy": 0.97,
    "ents_per_type": {"MASS": {"p": 0.9, "r": 0.8, "f": 0.85, "support": 10}},
}
# What `adapt` writes into the adapted pipeline's meta.json.
ADAPTATION = {
    "base": "model-final",
    "local": "site/annotated.jsonl",
    "local_train_reports": 37,
    "local_dev_reports": 9,
    "synthetic_reports": 300,
}


def test_a_synthetic_only_pipeline_says_synthetic_only():
    meta = package_meta.package_meta({"name": "mammo_ner"}, {"real_dev_blind": METRICS})
    assert meta["description"] == package_meta.description(None)
    assert "synthetic reports only" in meta["description"]
    assert "**Training data.** Synthetic only." in meta["notes"]


def test_an_adapted_pipeline_names_its_annotated_texts_and_their_counts():
    meta = package_meta.package_meta(
        {"name": "mammo_ner", "spacy_mammo_adaptation": ADAPTATION}, {"real_dev_blind": METRICS}
    )
    assert "annotated real texts" in meta["description"] and "only" not in meta["description"]
    card = meta["notes"]
    assert "Synthetic only" not in card
    assert "on 37 annotated real texts (`site/annotated.jsonl`)" in card
    assert "300 synthetic reports, with early stopping on 9 more." in card
    assert "| `real_dev_blind` |" in card and "85.00" in card


def test_an_adapted_pipeline_without_a_dev_split_says_so_and_names_the_averaged_runs():
    adaptation = dict(ADAPTATION, local_train_reports=46, local_dev_reports=0, max_epochs=2)
    adaptation["runs_averaged"] = 3
    meta = package_meta.package_meta(
        {"name": "mammo_ner", "spacy_mammo_adaptation": adaptation}, {"real_dev_blind": METRICS}
    )
    assert "on 46 annotated real texts" in meta["notes"]
    assert (
        "300 synthetic reports, for 2 epochs without a held-out part, the weights of 3 runs (seeds) averaged."
        in meta["notes"]
    )
