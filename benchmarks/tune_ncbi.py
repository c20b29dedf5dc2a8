"""Model selection for mammo_ner on NCBI-disease: a few config variants, scored on devel only.

python benchmarks/tune_ncbi.py [--data benchmarks/results_ncbi_work/data/ncbi] [--variants base,dropout03]
    [--out benchmarks/results_ncbi_tuning.md]

Each variant is `configs/ncbi.cfg` with the settings it had before this
selection (BASE: dropout 0.1, batches of 2000 words) and a handful of overrides, trained with
`spacy train` (one torch thread) on NCBI train and scored on devel by spaCy's
training loop; the test split is never read here. The best variant's
overrides are then written into configs/ncbi.cfg by hand, and the benchmark
(`run_benchmarks.py --datasets ncbi`) reports its devel and test scores.
"""

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure_inference import cpu_name
from spacy_mammo.evaluation.evaluate import write_text_atomic

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "configs" / "ncbi.cfg"
DROPOUT = ("training.dropout", "components.mammo_ner.model.dropout")
DROPOUT_03 = {key: "0.3" for key in DROPOUT}
# The config before this selection; every variant starts from it, whatever configs/ncbi.cfg holds now.
BASE = {**{key: "0.1" for key in DROPOUT}, "training.batcher.size": "2000"}
VARIANTS: Dict[str, Dict[str, str]] = {
    "base": {},
    "dropout03": DROPOUT_03,
    "dropout03_rows": {
        **DROPOUT_03,
        "components.mammo_ner.model.hash_rows": "[20000, 2000, 5000, 1000]",
        "components.mammo_ner.model.subword_rows": "50000",
    },
    "dropout03_wide": {
        **DROPOUT_03,
        "components.mammo_ner.model.hidden_width": "256",
        "components.mammo_ner.model.embed_width": "128",
    },
    "dropout03_batch1000": {**DROPOUT_03, "training.batcher.size": "1000"},
    "dropout03_flat": {**DROPOUT_03, "training.batcher.n_stages": "1"},
}


def best_dev(log: Path) -> Dict[str, float]:
    """The best devel entity P/R/F of a jsonl_logger log, with its epoch and step."""
    rows = [json.loads(line) for line in log.read_text(encoding="utf8").splitlines() if line.strip()]
    scored = [row for row in rows if row.get("ents_f") is not None]
    best = max(scored, key=lambda row: row["ents_f"])
    return {key: best[key] for key in ("ents_p", "ents_r", "ents_f", "epoch", "step")} | {
        "seconds": rows[-1]["seconds"]
    }


def train_variant(name: str, data: Path, work: Path) -> Dict[str, float]:
    """Train one variant; RETURNS its best devel scores."""
    log = work / f"{name}.jsonl"
    log.unlink(missing_ok=True)
    overrides = {"paths.train": str(data / "train.spacy"), "paths.dev": str(data / "dev.spacy"), "paths.log": str(log)}
    overrides.update(BASE)
    overrides.update(VARIANTS[name])
    command = [sys.executable, "-m", "spacy", "train", str(CONFIG), "--output", str(work / name)]
    for key, value in overrides.items():
        command += [f"--{key}", value]
    env_threads = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **env_threads})
    if done.returncode != 0:
        raise RuntimeError(f"{name}: spacy train failed:\n{done.stderr[-2000:]}")
    return best_dev(log)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=REPO / "benchmarks" / "results_ncbi_work" / "data" / "ncbi")
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "results_ncbi_work" / "tuning")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results_ncbi_tuning.md")
    args = parser.parse_args(argv)
    names = [n for n in args.variants.split(",") if n]
    unknown = sorted(set(names) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variants {unknown}; choose from {list(VARIANTS)}")
    if not (args.data / "train.spacy").exists():
        parser.error(f"no {args.data}/train.spacy: run benchmarks/run_benchmarks.py --datasets ncbi first")
    args.work.mkdir(parents=True, exist_ok=True)
    results = {}
    for name in names:
        print(f"{name}: training", file=sys.stderr, flush=True)
        results[name] = train_variant(name, args.data, args.work)
        print(f"{name}: {results[name]}", file=sys.stderr, flush=True)
    lines = [
        "# mammo_ner on NCBI-disease: model selection on devel",
        "",
        f"- command: `{shlex.join(['python', *sys.argv])}`",
        f"- machine: {cpu_name()}; Python {platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M')}",
        f"- every variant: `configs/ncbi.cfg` with {BASE} and its overrides; one torch thread, seed 0; test never read",
        "",
        "| variant | overrides | devel P | devel R | devel F1 | best epoch | train s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, best in results.items():
        overrides = "; ".join(f"`{k}={v}`" for k, v in VARIANTS[name].items()) or "-"
        lines.append(
            f"| {name} | {overrides} | {100 * best['ents_p']:.2f} | {100 * best['ents_r']:.2f} "
            f"| {100 * best['ents_f']:.2f} | {best['epoch']} | {best['seconds']:.0f} |"
        )
    write_text_atomic(args.out, "\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
