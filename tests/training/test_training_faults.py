"""`spacy train` killed with SIGTERM: the last saved model-best must still load.

spaCy's loop saves a checkpoint with `nlp.to_disk(model-last)` (files written
in place) and, when the score is the best so far, `shutil.rmtree(model-best)`
then `shutil.copytree(model-last, model-best)`. A SIGTERM between the two
evaluations that save is harmless; one during the copy leaves no model-best, or
half of one (model-last is then whole and holds the new best). The configs'
callbacks (spacy_mammo/training/callbacks.py) hold SIGTERM/SIGINT/SIGHUP from
`before_to_disk` until the next `before_update`, so the signal lands once both
directories are complete.
"""

import json
import signal
import subprocess
import sys
import time

import pytest
import spacy
from spacy.util import load_config

from spacy_mammo.evaluation.plot import read_training_log

from ..system.test_no_patient_text import CONFIG, spacy_train_args, train_env, write_corpus

pytestmark = pytest.mark.slow  # three short `spacy train` runs: about 40 s of CPU

# Fault injection: the second copy of model-last to model-best SIGTERMs the
# process after three files, as a kill at that moment would.
KILL_DURING_BEST_COPY = """
import os, shutil, signal, sys, types
import spacy.training.loop
from spacy.cli import setup_cli

real_copytree = shutil.copytree
calls = []

def copytree(src, dst, **kwargs):
    calls.append(dst)
    if len(calls) < 2:
        return real_copytree(src, dst, **kwargs)
    copied = []

    def copy_then_die(s, d, **kw):
        shutil.copy2(s, d, **kw)
        copied.append(d)
        if len(copied) == 3:
            os.kill(os.getpid(), signal.SIGTERM)

    return real_copytree(src, dst, copy_function=copy_then_die, **kwargs)

spacy.training.loop.shutil = types.SimpleNamespace(rmtree=shutil.rmtree, copytree=copytree)
sys.argv = ["spacy", "train", *sys.argv[1:]]
setup_cli()
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("faults_corpus"))


def config_with(tmp_path, **training):
    """configs/mammo_ner.cfg with [training] settings replaced."""
    config = load_config(CONFIG, interpolate=False)
    config["training"].update(training)
    path = tmp_path / "config.cfg"
    config.to_disk(path)
    return path


def assert_loads_and_runs(model_dir):
    nlp = spacy.load(model_dir)
    doc = nlp("There is a 1.2 cm irregular mass in the right breast at 10 o'clock. BI-RADS 4.")
    assert all(0 <= e.start < e.end <= len(doc) for e in doc.ents)
    return nlp


def test_sigterm_between_checkpoints_leaves_model_best_loadable(tmp_path, corpus):
    log = tmp_path / "train.jsonl"
    args = spacy_train_args(tmp_path / "out", corpus["train"], corpus["dev"], log, max_steps=5000, eval_frequency=6)
    process = subprocess.Popen(
        args, cwd=tmp_path, env=train_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 240
        # spaCy saves before it logs, so a row means model-best is complete.
        while not (log.exists() and log.read_text(encoding="utf8").count("\n") >= 1):
            assert process.poll() is None, process.stdout.read()[-3000:]
            assert time.monotonic() < deadline, "no evaluation logged"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGTERM
    assert "Saved pipeline to output directory" not in output
    rows = [json.loads(line) for line in log.read_text(encoding="utf8").splitlines()]
    assert len(read_training_log(log)) == len(rows)  # the killed run's log still plots
    nlp = assert_loads_and_runs(tmp_path / "out" / "model-best")
    # meta.json rounds the scores.
    assert any(nlp.meta["performance"]["ents_f"] == pytest.approx(row["ents_f"], abs=1e-8) for row in rows)


def _run_killed_during_best_copy(tmp_path, corpus, config):
    # Zero score weights: every evaluation ties with the best, so every one copies model-best.
    log = tmp_path / "train.jsonl"
    args = spacy_train_args(tmp_path / "out", corpus["train"], corpus["dev"], log, max_steps=6, eval_frequency=2)
    args = [sys.executable, "-c", KILL_DURING_BEST_COPY] + args[args.index("train") + 1 :]
    args[args.index(str(CONFIG))] = str(config)
    result = subprocess.run(args, cwd=tmp_path, env=train_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == -signal.SIGTERM, result.stderr[-3000:]
    return tmp_path / "out" / "model-best"


ZERO_SCORE_WEIGHTS = {
    "score_weights": {"ents_f": 0.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None, "bio_acc": 0.0}
}


@pytest.fixture(scope="module")
def killed_during_best_copy(tmp_path_factory, corpus):
    """The kill with spaCy's own checkpointing (the config's callbacks switched off)."""
    tmp = tmp_path_factory.mktemp("spacy_defaults")
    config = config_with(tmp, before_to_disk=None, before_update=None, **ZERO_SCORE_WEIGHTS)
    return _run_killed_during_best_copy(tmp, corpus, config)


@pytest.mark.xfail(
    strict=True,
    raises=OSError,
    reason="spaCy's save_checkpoint rmtree()s model-best, then copytree()s model-last into it: a SIGTERM during "
    "the copy leaves half a model-best; the configs' callbacks prevent it (test_deferred_signals_keep_model_best_whole)",
)
def test_sigterm_during_best_copy_with_spacy_defaults(killed_during_best_copy):
    assert_loads_and_runs(killed_during_best_copy)


def test_model_last_is_whole_whenever_model_best_is_not(killed_during_best_copy):
    """Recovery rule: spaCy writes model-last before it touches model-best, so a
    model-best that does not load means model-last holds the new best weights."""
    model_last = killed_during_best_copy.parent / "model-last"
    with pytest.raises(OSError):
        spacy.load(killed_during_best_copy)
    assert_loads_and_runs(model_last)


def test_deferred_signals_keep_model_best_whole(tmp_path, corpus):
    """The config's spacy-mammo.safe_checkpoints.v1 / deliver_deferred_signals.v1
    hold the signal until model-best is whole."""
    model_best = _run_killed_during_best_copy(tmp_path, corpus, config_with(tmp_path, **ZERO_SCORE_WEIGHTS))
    assert_loads_and_runs(model_best)
    # The signal waited for the copy, so model-best equals model-last.
    for path in model_best.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (model_best.parent / "model-last" / path.relative_to(model_best)).read_bytes()


# spaCy's last save_checkpoint(False) calls before_to_disk, and no before_update follows:
# the signal waits at most max_defer_seconds. The child sets SIGINT's disposition
# itself: a process started in the background of a non-interactive shell (as CI
# may start the tests) inherits SIGINT ignored, and an ignored signal must stay
# ignored. The long sleep only bounds the wait; the delivered signal ends it.
SIGNAL_AFTER_TRAINING = """
import os, signal, sys, time
import spacy
from spacy_mammo.training import callbacks

signal.signal(signal.SIGINT, signal.default_int_handler if sys.argv[1] == "default" else signal.SIG_IGN)
# The final checkpoint of an in-process train():
callbacks.make_safe_checkpoints(strip_strings=False, max_defer_seconds=0.5)(spacy.blank("en"))
print("deferred" if signal.getsignal(signal.SIGINT) is callbacks._defer else "left alone")
try:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(60 if sys.argv[1] == "default" else 2)
except KeyboardInterrupt:
    print("interrupted")
else:
    print("signal swallowed")
"""


@pytest.mark.parametrize(
    "disposition,expected",
    [("default", ["deferred", "interrupted"]), ("ignored", ["left alone", "signal swallowed"])],
)
def test_signals_work_again_after_an_in_process_training(tmp_path, disposition, expected):
    result = subprocess.run(
        [sys.executable, "-c", SIGNAL_AFTER_TRAINING, disposition],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("\n")[:2] == expected
