"""One training run through `spacy train` with overrides, its dev curve and the selected model's test scores.

Shared by the curriculum grid and the feature ablation.
"""

import json
import time
from pathlib import Path
from typing import Dict, List, Union

import srsly

REPO = Path(__file__).resolve().parent.parent


def train_and_score(
    config: Union[str, Path], overrides: Dict[str, object], work: Path, tests: Dict[str, Union[str, Path]]
) -> Dict[str, object]:
    """Train with `config` and `overrides` (paths.log is set to a file in `work`), then score model-best.

    RETURNS (Dict[str, object]): "rows" (step, seconds, ents_f per evaluation), "wall" (seconds of training)
        and "tests" (name -> entity F1 of model-best on that file, .spacy or span .jsonl).
    """
    import spacy
    from spacy.cli.train import train as spacy_train

    from spacy_mammo.evaluation.evaluate import evaluate, read_examples

    log = work / "log.jsonl"
    start = time.perf_counter()
    spacy_train(REPO / config, work / "model", overrides={**overrides, "paths.log": str(log)})
    wall = time.perf_counter() - start
    rows = [{"step": r["step"], "seconds": r["seconds"], "ents_f": r["ents_f"]} for r in srsly.read_jsonl(log)]
    nlp = spacy.load(work / "model" / "model-best")
    scores = {name: evaluate(nlp, read_examples(nlp, REPO / path))["ents_f"] for name, path in tests.items()}
    return {"rows": rows, "wall": wall, "tests": scores}


def write_results(out: Path, results: object, lines: List[str]) -> None:
    """Write OUT.json (the results) and OUT.md (the table lines), and print the table."""
    out.with_suffix(".json").write_text(json.dumps(results, indent=1) + "\n")
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
