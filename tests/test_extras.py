"""The lean runtime: inference, `extract` and `evaluate` need none of the extras,
and a feature that needs one names it when it is missing."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from spacy_mammo.extras import require

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXTRAS_ONLY = ("matplotlib", "sklearn", "pyarrow", "dask", "hypothesis", "scipy", "sqlalchemy", "psycopg")

# Every extra-only package is made unimportable before anything else runs.
WITHOUT_EXTRAS = f"""
import json, sys
for name in {EXTRAS_ONLY!r}:
    sys.modules[name] = None
import spacy
from spacy_mammo.batch.run import extract_file
from spacy_mammo.evaluation.evaluate import evaluate, examples_from_records

model, reports, out = sys.argv[1:]
nlp = spacy.load(model)
examples = examples_from_records(nlp, [{{"id": "r1", "text": "Left breast mass.", "spans": []}}])
evaluate(nlp, examples)
summary = extract_file(reports, model, out)
print(json.dumps({{"written": summary.written, "entities": sum(len(json.loads(l)["entities"]) for l in open(out))}}))
"""


def test_inference_extract_and_evaluate_need_no_extra(tmp_path):
    reports = tmp_path / "reports.csv"
    reports.write_text("id,text\nr1,Irregular spiculated mass in the right breast at 10 o'clock. BI-RADS 4C.\n")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            WITHOUT_EXTRAS,
            str(FIXTURES / "pipeline_v0_1_0"),
            str(reports),
            str(tmp_path / "o.jsonl"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts["written"] == 1 and counts["entities"] > 0


@pytest.mark.parametrize(
    "module,extra",
    [
        ("matplotlib", "train"),
        ("pyarrow.parquet", "parquet"),
        ("dask.distributed", "distributed"),
        ("sqlalchemy", "sql"),
    ],
)
def test_a_missing_extra_is_named(monkeypatch, module, extra):
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError, match=rf'pip install "spacy-mammo\[{extra}\]"'):
        require(module, extra, "this feature")


def test_plot_names_the_train_extra(monkeypatch, tmp_path):
    from spacy_mammo.evaluation import plot

    log = tmp_path / "log.jsonl"
    log.write_text(json.dumps({"epoch": 0, "step": 0, "ents_f": 0.5}) + "\n")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"spacy-mammo\[train\]"):
        plot.plot_training_log(log, tmp_path / "f1.png")
