"""The benchmark harness (benchmarks/): a quick run on tiny data and its parts."""

import json
import subprocess
import sys
from dataclasses import replace

import pytest
import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

pytest.importorskip("pycrfsuite", reason="benchmark-only dependency: pip install -r benchmarks/requirements.txt")

from benchmarks import baselines  # noqa: E402
from benchmarks.measure_inference import run_fresh  # noqa: E402
from benchmarks.memory_long_docs import long_text  # noqa: E402
from benchmarks.run_benchmarks import (  # noqa: E402
    NCBI_DIR,
    QUICK,
    REFERENCE_SYSTEM,
    plan_budget,
    prepare_data,
    run,
    system_config,
)
from spacy_mammo.rules.baseline import METHODS  # noqa: E402
from spacy_mammo.tokenizer import blank_mammo_nlp  # noqa: E402

from ..conftest import make_examples  # noqa: E402

# Smaller than --quick: every system but the accuracy preset (the same code path as
# the efficiency preset, only slower), one thread limit, one timed pass, training on one
# thread (torch's spinning second thread only costs time on a busy 2-core machine).
TINY = replace(QUICK, n_train=12, n_dev=4, n_test=4, independent_limit=4, threads=(1,), repeats=1, train_threads=1)
TINY_SYSTEMS = ("mammo_ner", "spacy_ner_efficiency", "crf", "rules")


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    results = run(["mammo"], TINY_SYSTEMS, TINY, True, work, work, "pytest quick run")
    return work, results


def test_quick_run_writes_results_for_every_system(quick_results):
    work, results = quick_results
    on_disk = json.loads((work / "results.json").read_text(encoding="utf8"))
    assert on_disk["datasets"]["mammo"]["systems"].keys() == set(TINY_SYSTEMS)
    markdown = (work / "results.md").read_text(encoding="utf8")
    for system in TINY_SYSTEMS:
        assert f"| {system} |" in markdown
    assert on_disk["machine"]["cpu"] and on_disk["command"] == "pytest quick run"
    data = on_disk["datasets"]["mammo"]["data"]
    assert [data[split]["docs"] for split in ("train", "dev", "test", "independent")] == [12, 4, 4, 4]


def test_quick_run_measures_scores_speed_memory_and_size(quick_results):
    _, results = quick_results
    systems = results["datasets"]["mammo"]["systems"]
    for name, entry in systems.items():
        assert set(entry["scores"]) == {"dev", "test", "independent"}, name
        for metrics in entry["scores"].values():
            assert 0.0 <= metrics["ents_f"] <= 1.0
            assert "token_report" not in metrics
        inference = entry["inference"]
        assert inference["n_words"] == results["datasets"]["mammo"]["data"]["test"]["tokens"]
        assert len(inference["runs"]["1"]) == 1 and inference["median_wps"]["1"] > 0
        assert inference["hwm_peak_mb"] >= inference["hwm_loaded_mb"] > 0
        assert entry["model_size_bytes"] > 0
    assert systems[REFERENCE_SYSTEM]["inference"]["ratio_to_reference"]["1"] == pytest.approx(1.0)
    for name in ("mammo_ner", "spacy_ner_efficiency"):
        train = systems[name]["train"]
        assert 0 <= train["steps_to_best"] <= train["steps"]
        assert train["budget"]["eval_frequency"] >= 1 and train["train_seconds"] > 0
    assert systems["crf"]["train"]["steps"] <= TINY.crf_max_iterations
    assert systems["rules"]["train"]["method"] in METHODS


def test_accuracy_preset_is_the_cpu_cnn_without_vectors():
    config = system_config("spacy_ner_accuracy", "mammo")
    assert config["nlp"]["tokenizer"] == baselines.MAMMO_TOKENIZER
    assert config["paths"]["vectors"] is None
    assert config["components"]["tok2vec"]["model"]["embed"]["include_static_vectors"] is False
    width = config["components"]["tok2vec"]["model"]["encode"]["width"]
    assert width > system_config("spacy_ner_efficiency", "mammo")["components"]["tok2vec"]["model"]["encode"]["width"]
    assert system_config("mammo_ner", "ncbi")["nlp"]["tokenizer"] == baselines.ENGLISH_TOKENIZER


def test_budget_counts_steps_with_each_systems_own_batcher():
    nlp = blank_mammo_nlp()
    examples = make_examples(nlp) * 20
    settings = replace(TINY, max_epochs=2, evals_per_run=4, patience_epochs=1)
    budget = plan_budget(system_config("spacy_ner_efficiency", "mammo"), examples, settings)
    total = sum(budget["steps_per_epoch"])
    assert len(budget["steps_per_epoch"]) == 2 and total > 0
    assert budget["eval_frequency"] == max(1, total // 4)
    assert budget["patience"] >= total // 2


def test_crf_trains_saves_and_loads(tmp_path):
    nlp = baselines.build_crf_pipeline(baselines.MAMMO_TOKENIZER)
    examples = make_examples(nlp)
    info = baselines.train_crf(
        nlp.get_pipe("benchmark_crf_ner"), examples, examples[:2], max_iterations=30, work_dir=tmp_path
    )
    assert 1 <= info["best_iteration"] <= info["iterations"] <= 30
    texts = [eg.reference.text for eg in examples]
    before = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]
    assert any(before)
    nlp.to_disk(tmp_path / "crf")
    loaded = spacy.load(tmp_path / "crf")
    assert [[(e.start, e.end, e.label_) for e in doc.ents] for doc in loaded.pipe(texts)] == before
    assert loaded("").ents == ()


def test_bio_spans_reads_an_orphan_inside_tag_as_a_start():
    doc = Doc(Vocab(), words=["a", "b", "c", "d", "e"])
    spans = baselines.bio_spans(doc, ["I-X", "I-X", "O", "B-Y", "I-Z"])
    assert [(s.start, s.end, s.label_) for s in spans] == [(0, 2, "X"), (3, 4, "Y"), (4, 5, "Z")]


def test_run_fresh_starts_workers_without_the_parents_peak_memory():
    code = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    direct = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
    fresh = float(run_fresh([sys.executable, "-c", code]).stdout)
    # This process has spaCy and torch loaded; a child forked straight from it inherits that peak.
    assert fresh < direct / 2


def test_long_text_has_exactly_the_requested_tokens():
    nlp = blank_mammo_nlp()
    for n in (50, 300):
        assert len(nlp.make_doc(long_text(n))) == n


@pytest.mark.skipif(not NCBI_DIR.exists(), reason="NCBI-disease data not on this machine")
def test_ncbi_splits_are_converted_with_a_limit(tmp_path):
    paths = prepare_data("ncbi", replace(TINY, ncbi_limit=5), True, tmp_path)
    assert set(paths) == {"train", "dev", "test"}
    from spacy.tokens import DocBin

    for path in paths.values():
        docs = list(DocBin().from_disk(path).get_docs(Vocab()))
        assert len(docs) == 5
        assert {ent.label_ for doc in docs for ent in doc.ents} <= {"Disease"}


def test_load_benchmark_counts_lines_of_a_growing_file_across_its_rename(tmp_path):
    from benchmarks.load_extract import LineCounter

    partial = tmp_path / "out.jsonl.partial"
    counter = LineCounter(partial)
    assert counter.update() == 0  # not there yet
    partial.write_text('{"id": 1}\n{"id": 2}\n{"id"')  # the last line is still being written
    assert counter.update() == 2
    with partial.open("a") as file_:
        file_.write(': 3}\n{"id": 4}\n')
    final = tmp_path / "out.jsonl"
    partial.rename(final)
    counter.path = final
    assert counter.update() == 4


def test_load_benchmark_input_totals_are_running_sums(tmp_path):
    from benchmarks.load_extract import write_input

    totals = write_input(tmp_path / "in.jsonl", 5, seed=0)
    lines = [json.loads(line) for line in (tmp_path / "in.jsonl").read_text(encoding="utf8").splitlines()]
    assert [r["id"] for r in lines] == [f"load-{i:07d}" for i in range(1, 6)]
    assert totals["words"][-1] == sum(len(r["text"].split()) for r in lines)
    assert totals["chars"][2] == sum(len(r["text"]) for r in lines[:3])


def test_speed_threads_finds_the_trained_models_of_a_benchmark_run(tmp_path):
    from benchmarks.speed_threads import scored_split, trained_models

    for folder in (
        "models/ncbi/mammo_ner/model-best",
        "models/ncbi/crf",
        "models/ncbi/spacy_ner_efficiency/model-last",
    ):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "config.cfg").write_text("")
    (tmp_path / "data" / "ncbi").mkdir(parents=True)
    (tmp_path / "data" / "ncbi" / "test.spacy").write_bytes(b"")
    models = trained_models(tmp_path, "ncbi")
    assert list(models) == ["mammo_ner", "crf"]  # a spaCy system without model-best was not kept
    assert models["mammo_ner"] == tmp_path / "models/ncbi/mammo_ner/model-best"
    assert scored_split(tmp_path, "ncbi") == tmp_path / "data/ncbi/test.spacy"
    with pytest.raises(FileNotFoundError):
        scored_split(tmp_path, "bc5cdr")


def test_ncbi_tuning_variants_override_keys_that_exist_in_the_config():
    """spaCy adds an unknown override key silently; a typo would train the base config."""
    from benchmarks.tune_ncbi import BASE, CONFIG, VARIANTS

    config = spacy.util.load_config(CONFIG, interpolate=False)
    for name, overrides in VARIANTS.items():
        for key in {**BASE, **overrides}:
            section, *path, leaf = key.split(".")
            node = config[section]
            for part in path:
                node = node[part]
            assert leaf in node, (name, key)


def test_ncbi_tuning_reads_the_best_devel_score_of_a_training_log(tmp_path):
    from benchmarks.tune_ncbi import best_dev

    log = tmp_path / "log.jsonl"
    rows = [
        {"epoch": 0, "step": 0, "ents_p": 0.1, "ents_r": 0.2, "ents_f": 0.15, "seconds": 1},
        {"epoch": 2, "step": 150, "ents_p": 0.8, "ents_r": 0.7, "ents_f": 0.75, "seconds": 30},
        {"epoch": 3, "step": 300, "ents_p": 0.7, "ents_r": 0.7, "ents_f": 0.70, "seconds": 61},
    ]
    log.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert best_dev(log) == {"ents_p": 0.8, "ents_r": 0.7, "ents_f": 0.75, "epoch": 2, "step": 150, "seconds": 61}
