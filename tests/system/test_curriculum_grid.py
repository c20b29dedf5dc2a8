"""The curriculum grid's parts: every variant resolves, the horizon estimate and the summary."""

import pytest
import spacy
from spacy.tokens import DocBin

import spacy_mammo.training.curriculum  # noqa: F401  (registers the batchers)
from benchmarks.curriculum_grid import estimate_steps, first_reaching, mean_sd, summarise, variants


def test_every_variant_is_a_registered_batcher_with_the_same_budget():
    chosen = variants(size=1234, total_steps=50)
    assert set(chosen) >= {"shuffled", "stages/length", "stages/density", "competence/length", "anti/length"}
    for config in chosen.values():
        assert config["size"] == 1234
        batcher = spacy.registry.resolve({"b": config})["b"]
        assert callable(batcher)


def test_estimate_steps_counts_full_padded_batches(tmp_path):
    nlp = spacy.blank("en")
    docs = [nlp.make_doc(" ".join(["w"] * n)) for n in (2, 2, 2, 2, 10)]
    DocBin(docs=docs).to_disk(tmp_path / "t.spacy")
    # padded size 8: [2,2,2,2] fills one batch, [10] alone is another
    assert estimate_steps(tmp_path / "t.spacy", size=8, epochs=3) == 6


def _run(f1s, wall=10.0):
    return {
        "rows": [{"step": 10 * i, "seconds": float(i), "ents_f": f} for i, f in enumerate(f1s, 1)],
        "wall": wall,
        "tests": {"test": f1s[-1]},
    }


def test_summary_measures_time_to_99_percent_of_shuffled_best():
    runs = {"shuffled": [_run([0.5, 0.9, 1.0]), _run([0.5, 0.99, 0.98])], "fast": [_run([0.995, 0.99, 0.99])] * 2}
    table, target = summarise(runs)
    assert target == pytest.approx(0.99 * 0.995)
    rows = {row["variant"]: row for row in table}
    assert rows["fast"]["steps_to_target"] == "10 ± 0" and rows["fast"]["time_ratio"] == "0.4 ± 0"
    assert rows["shuffled"]["seconds_to_target"] == "2.5 ± 0.71"
    assert first_reaching(runs["shuffled"][1]["rows"], 0.995) == (None, None)
    assert mean_sd([None, 2.0]) == "2 (1/2 seeds)" and mean_sd([None]) == "not reached"
