"""Inference speed at 1 and 2 threads of the pipelines a benchmark run already trained.

python benchmarks/speed_threads.py [--work benchmarks/results] [--dataset mammo]
    [--threads 1,2] [--repeats 3] [--out benchmarks/results_threads.md]

`run_benchmarks.py` trains every system and measures it right after; this
script measures them again, one after the other on a machine left quiet, from
the models and test split under WORK (WORK/models/DATASET/SYSTEM[/model-best],
WORK/data/DATASET/test.spacy, or the project's corpus/test.spacy for mammo).
Each system runs in a fresh process (`measure_inference.py`); "x eff" is the
ratio to spaCy ner (efficiency) at the same thread limit, in this run.
"""

import argparse
import json
import platform
import shlex
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Dict, List, Optional

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure_inference import cpu_name
from benchmarks.run_benchmarks import (
    FULL,
    PROJECT_CORPUS,
    REFERENCE_SYSTEM,
    REPO,
    SYSTEMS,
    add_speed_ratios,
    measure_inference,
)
from spacy_mammo.evaluation.evaluate import write_text_atomic


def trained_models(work: Path, dataset: str) -> Dict[str, Path]:
    """System -> saved pipeline (model-best for the spaCy-trained ones), in SYSTEMS order."""
    models = {}
    for system in SYSTEMS:
        folder = work / "models" / dataset / system
        for candidate in (folder / "model-best", folder):
            if (candidate / "config.cfg").exists():
                models[system] = candidate
                break
    return models


def scored_split(work: Path, dataset: str) -> Path:
    """The test split the benchmark scored on."""
    own = work / "data" / dataset / "test.spacy"
    if own.exists():
        return own
    if dataset == "mammo" and (PROJECT_CORPUS / "test.spacy").exists():
        return PROJECT_CORPUS / "test.spacy"
    raise FileNotFoundError(f"no test split for {dataset} under {work}/data (run benchmarks/run_benchmarks.py first)")


def to_markdown(result: Dict[str, Any]) -> str:
    threads = result["threads"]
    head = " | ".join(f"words/s @{t} | x eff @{t}" for t in threads)
    lines = [
        f"# Inference speed per thread limit ({result['dataset']})",
        "",
        f"- command: `{result['command']}`",
        f"- machine: {result['cpu']}; Python {result['python']}; {result['started']} to {result['finished']}",
        f"- data: `{result['data']}`; `nlp.pipe(batch_size={result['batch_size']})`, one process, "
        f"median of {result['repeats']} passes after a warm-up pass",
        "",
        f"| system | {head} | 2 threads / 1 thread |" if len(threads) == 2 else f"| system | {head} |",
        "| --- |" + " ---: |" * (2 * len(threads) + (len(threads) == 2)),
    ]
    for system, entry in result["systems"].items():
        wps, ratio = entry["inference"]["median_wps"], entry["inference"]["ratio_to_reference"]
        cells = [
            f"{wps[str(t)]:,.0f} | {ratio[str(t)]:.2f}" if ratio[str(t)] else f"{wps[str(t)]:,.0f} | -" for t in threads
        ]
        scaling = [f"{wps[str(threads[1])] / wps[str(threads[0])]:.2f}"] if len(threads) == 2 else []
        lines.append("| " + " | ".join([system, *cells, *scaling]) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--work", type=Path, default=REPO / "benchmarks" / "results", help="run_benchmarks.py --out folder"
    )
    parser.add_argument("--dataset", default="mammo")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread limits")
    parser.add_argument("--repeats", type=int, default=FULL.repeats)
    parser.add_argument(
        "--out", type=Path, default=REPO / "benchmarks" / "results_threads.md", help="Markdown; JSON beside it"
    )
    args = parser.parse_args(argv)
    models = trained_models(args.work, args.dataset)
    if REFERENCE_SYSTEM not in models:
        parser.error(f"no {REFERENCE_SYSTEM} model under {args.work}/models/{args.dataset}")
    threads = [int(t) for t in args.threads.split(",") if t.strip()]
    settings = replace(FULL, threads=tuple(threads), repeats=args.repeats)
    data = scored_split(args.work, args.dataset)
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    systems = {}
    for system, model in models.items():
        print(f"{system}: measuring {model}", file=sys.stderr, flush=True)
        systems[system] = {"model": str(model), "inference": measure_inference(model, data, settings)}
    add_speed_ratios(systems)
    result = {
        "command": shlex.join(["python", *sys.argv]),
        "cpu": cpu_name(),
        "python": platform.python_version(),
        "dataset": args.dataset,
        "data": str(data.relative_to(REPO) if data.is_relative_to(REPO) else data),
        "batch_size": settings.batch_size,
        "repeats": settings.repeats,
        "threads": threads,
        "started": started,
        "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
        "systems": systems,
    }
    markdown = to_markdown(result)
    write_text_atomic(args.out, markdown)
    write_text_atomic(args.out.with_suffix(".json"), json.dumps(result, indent=2, default=str) + "\n")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
