"""Site adaptation fine-tunes a saved pipeline on a handful of local reports."""

import json
from pathlib import Path

import pytest
import spacy
import srsly
import torch

from spacy_mammo.corpus.synth import generate_reports
from spacy_mammo.errors import MammoDataError
from spacy_mammo.training.adapt import AdaptOptions, adapt, average_tagger_weights, split_records, tagger_module

from ..conftest import REPORTS, parse_markup

BASE = Path(__file__).resolve().parents[1] / "fixtures" / "pipeline_v0_1_0"


def _local_records():
    records = []
    for i, marked in enumerate(REPORTS):
        text, spans = parse_markup(marked)
        records.append(
            {
                "id": f"site-{i}",
                "text": text,
                "spans": [{"start": s, "end": e, "label": lab, "negated": neg} for s, e, lab, neg in spans],
            }
        )
    return records


def test_split_is_deterministic_and_keeps_one_dev_record():
    records = [{"id": str(i)} for i in range(5)]
    train, dev = split_records(records, 0.2, seed=3)
    assert len(dev) == 1 and len(train) == 4
    assert split_records(records, 0.2, seed=3) == (train, dev)
    assert {r["id"] for r in train + dev} == {str(i) for i in range(5)}


def test_adapt_writes_a_complete_pipeline_that_learned_the_local_reports(tmp_path):
    local = tmp_path / "site.jsonl"
    srsly.write_jsonl(local, _local_records())
    synthetic = tmp_path / "synth.jsonl"
    srsly.write_jsonl(synthetic, generate_reports(6, seed=5))
    out = tmp_path / "adapted"
    options = AdaptOptions(max_epochs=2, patience_epochs=2, n_synthetic=6, learn_rate=0.002, dev_fraction=0.34)
    result = adapt(BASE, local, out, synthetic_path=synthetic, options=options)
    assert result["local_train_reports"] == 4 and result["local_dev_reports"] == 2
    assert result["synthetic_reports"] == 6
    nlp = spacy.load(out)
    assert nlp.pipe_names == ["mammo_ner", "mammo_negation", "mammo_findings"]
    meta = json.loads((out / "meta.json").read_text())
    assert meta["spacy_mammo_adaptation"]["local_train_reports"] == 4
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".adapted.")]  # no work folder left

    # --overwrite replaces the old pipeline, and only with a complete new one
    (out / "stale.txt").write_text("from the previous run")
    options.max_epochs = 1
    adapt(BASE, local, out, synthetic_path=synthetic, options=options, overwrite=True)
    assert not (out / "stale.txt").exists()
    assert spacy.load(out).pipe_names == ["mammo_ner", "mammo_negation", "mammo_findings"]


def test_adapt_refuses_an_existing_output_and_too_few_reports(tmp_path):
    local = tmp_path / "one.jsonl"
    srsly.write_jsonl(local, _local_records()[:1])
    with pytest.raises(MammoDataError, match="at least two"):
        adapt(BASE, local, tmp_path / "out")
    (tmp_path / "exists").mkdir()
    with pytest.raises(MammoDataError, match="already exists"):
        adapt(BASE, local, tmp_path / "exists")


def test_adapt_pools_several_local_files_and_names_each_bad_one(tmp_path):
    records = _local_records()
    first, second = tmp_path / "site_a.jsonl", tmp_path / "site_b.jsonl"
    srsly.write_jsonl(first, records[:3])
    srsly.write_jsonl(second, records[3:])
    out = tmp_path / "adapted"
    options = AdaptOptions(max_epochs=1, patience_epochs=1, n_synthetic=0, dev_fraction=0.34)
    result = adapt(BASE, [first, second], out, options=options)
    assert result["local_train_reports"] + result["local_dev_reports"] == len(records)
    meta = json.loads((out / "meta.json").read_text())
    assert meta["spacy_mammo_adaptation"]["local"] == f"{first.as_posix()}, {second.as_posix()}"

    bad = dict(records[0], id="bad-1", spans=[{"start": 1, "end": 3, "label": "MASS", "negated": False}])
    srsly.write_jsonl(second, [bad] * 3)
    with pytest.raises(MammoDataError) as error:
        adapt(BASE, [first, second], tmp_path / "again", options=options)
    assert "site_b.jsonl" in str(error.value)


def test_adapt_without_a_dev_split_trains_on_every_report_and_keeps_the_last_model(tmp_path):
    records = _local_records()
    local = tmp_path / "site.jsonl"
    srsly.write_jsonl(local, records)
    out = tmp_path / "adapted"
    options = AdaptOptions(max_epochs=1, n_synthetic=0, dev_fraction=0.0, learn_rate=0.002)
    result = adapt(BASE, local, out, options=options)
    assert result["local_train_reports"] == len(records) and result["local_dev_reports"] == 0
    meta = json.loads((out / "meta.json").read_text())
    assert meta["spacy_mammo_adaptation"]["epochs"] == "1, no dev split"
    assert meta["spacy_mammo_adaptation"]["max_epochs"] == 1
    assert split_records(records, 0.0, seed=0)[1] == []
    tuned, base = spacy.load(out).get_pipe("mammo_ner"), spacy.load(BASE).get_pipe("mammo_ner")
    assert tuned.model.to_bytes() != base.model.to_bytes()  # the weights moved

    # a single report is enough when nothing is held out
    srsly.write_jsonl(local, records[:1])
    assert adapt(BASE, local, tmp_path / "one", options=options)["local_train_reports"] == 1


def test_averaging_tagger_weights_gives_the_mean_of_the_runs(tmp_path):
    local = tmp_path / "site.jsonl"
    srsly.write_jsonl(local, _local_records())
    options = AdaptOptions(max_epochs=1, n_synthetic=0, dev_fraction=0.0, learn_rate=0.01, n_runs=2)
    result = adapt(BASE, local, tmp_path / "soup", options=options)
    assert result["runs_averaged"] == 2
    assert json.loads((tmp_path / "soup" / "meta.json").read_text())["spacy_mammo_adaptation"]["runs_averaged"] == 2

    tuned = tmp_path / "tuned"
    adapt(BASE, local, tuned, options=AdaptOptions(max_epochs=1, n_synthetic=0, dev_fraction=0.0, learn_rate=0.01))
    average_tagger_weights([BASE, tuned], tmp_path / "mean")
    states = [tagger_module(spacy.load(path)).state_dict() for path in (BASE, tuned, tmp_path / "mean")]
    moved = [key for key in states[0] if not torch.equal(states[0][key], states[1][key])]
    assert moved  # the fine-tuning changed some weights
    for key in moved:
        assert torch.allclose(states[2][key], (states[0][key] + states[1][key]) / 2, atol=1e-6), key
    assert spacy.load(tmp_path / "mean").pipe_names == spacy.load(BASE).pipe_names
