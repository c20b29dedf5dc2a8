"""Same config and seed, same weights: two `spacy train` runs on CPU.

What makes it so: `spacy train` calls `spacy.util.fix_random_seed(training.seed)`
before building the pipeline, which seeds `random`, numpy and torch
(`torch.manual_seed`), so weight initialisation, torch dropout and the
curriculum batcher's shuffling repeat. On CPU nothing more is needed: the
autograd ops of the model (embedding, LSTM, attention, linear) have
deterministic CPU kernels, and `torch.use_deterministic_algorithms(True)` changes
nothing (checked: identical bytes with and without it). Different hash seeds
(PYTHONHASHSEED) do not matter either: the runs below use two. What the runs
must share is the number of torch threads (`torch.set_num_threads`,
OMP_NUM_THREADS; one here): one thread and two threads give different bytes
(checked), as parallel reductions sum in per-thread chunks. GPU runs are not covered here
(fix_random_seed sets `torch.backends.cudnn.deterministic` there).
"""

import subprocess

import pytest
import spacy
import srsly

from ..system.test_no_patient_text import spacy_train_args, train_env, write_corpus

pytestmark = pytest.mark.slow  # two `spacy train` runs side by side: about 60 s of CPU


def train(tmp_path, corpus, name, hash_seed, seed=0):
    log = tmp_path / f"{name}.jsonl"
    output = tmp_path / name
    args = spacy_train_args(output, corpus["train"], corpus["dev"], log, max_steps=4, eval_frequency=2, seed=seed)
    env = train_env(PYTHONHASHSEED=str(hash_seed))
    return subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait(process):
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output[-3000:]


def test_same_seed_same_weights_and_predictions(tmp_path):
    corpus = write_corpus(tmp_path, n_train=12, n_dev=4)
    runs = {
        "a": train(tmp_path, corpus, "a", hash_seed=1),
        "b": train(tmp_path, corpus, "b", hash_seed=2),
        # Proves the comparison can fail: another seed, other weights.
        "other_seed": train(tmp_path, corpus, "other_seed", hash_seed=1, seed=1),
    }
    for process in runs.values():
        wait(process)
    weights = {name: (tmp_path / name / "model-last" / "mammo_ner" / "model").read_bytes() for name in runs}
    assert weights["a"] == weights["b"]
    assert weights["a"] != weights["other_seed"]
    logs = [[(r["step"], r["losses"], r["ents_f"]) for r in srsly.read_jsonl(tmp_path / f"{n}.jsonl")] for n in "ab"]
    assert logs[0] == logs[1] and len(logs[0]) == 3
    texts = [doc["text"] for doc in srsly.read_jsonl(corpus["dev_jsonl"])]
    predictions = []
    for name in "ab":
        nlp = spacy.load(tmp_path / name / "model-last")
        predictions.append([[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)])
    assert predictions[0] == predictions[1]
