"""benchmarks/pipeline_speed.py end to end on a few reports: every system measured, every output the same."""

import json
from pathlib import Path

import pytest

pytest.importorskip(
    "threadpoolctl", reason="the benchmarks' own dependency: pip install -r benchmarks/requirements.txt"
)

from benchmarks import pipeline_speed  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "pipeline_v0_1_0"


@pytest.mark.slow
def test_pipeline_speed_measures_every_system_in_one_run(tmp_path):
    out = tmp_path / "speed.md"
    argv = ["--model", str(FIXTURE), "--n", "8", "--repeats", "1", "--work", str(tmp_path / "work"), "--out", str(out)]
    assert pipeline_speed.main(argv) == 0
    result = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert set(result["processes"]) == {"pipe", "extract", "hugetlb"}
    assert set(result["processes"]["pipe"]["median"]) == {"spacy_ner", "tagger", "full"}
    assert set(result["processes"]["extract"]["median"]) == {
        "tagger",
        "full",
        "extract_n1",
        "extract_n2",
        "extract_n1_b64",
        "events_n2_spacy",
        "events_n2_pool",
    }
    assert all(speed > 0 for process in result["processes"].values() for speed in process["median"].values())
    assert result["identical"]["all"] is True
    markdown = out.read_text(encoding="utf-8")
    assert "| extract n=1 / tagger of the pipe process |" in markdown and "Reading: `extract`" in markdown
