"""Contracts between the batch runner and the rest of the package: who fixes the
heap, which keys the CSV output takes from the findings."""

import json

from spacy_mammo.assemble import load_pipeline
from spacy_mammo.batch import memory
from spacy_mammo.batch import run as batch_run
from spacy_mammo.rules.findings import FINDING_KEYS

from ..conftest import REPORTS, parse_markup


def test_load_pipeline_leaves_malloc_alone_and_the_runner_fixes_it(trained_nlp, tmp_path, monkeypatch):
    trained_nlp.to_disk(tmp_path / "model")
    calls = []
    monkeypatch.setattr(memory, "_libc", lambda: calls.append("libc"))
    load_pipeline(tmp_path / "model")
    assert calls == []
    monkeypatch.setattr(batch_run, "fix_mmap_threshold", lambda: calls.append("fixed"))
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "a", "text": "No mass."}) + "\n", encoding="utf-8")
    options = batch_run.ExtractOptions(progress=False)
    assert batch_run.extract_file(tmp_path / "in.jsonl", tmp_path / "model", tmp_path / "out.jsonl", options).written
    assert calls == ["fixed"]


def test_findings_carry_exactly_the_finding_keys(trained_nlp, tmp_path):
    trained_nlp.to_disk(tmp_path / "model")
    nlp = load_pipeline(tmp_path / "model")
    findings = [f for marked in REPORTS for f in nlp(parse_markup(marked)[0])._.findings]
    assert findings and all(tuple(f) == FINDING_KEYS for f in findings)
