"""Curriculum batcher vs spaCy's batch_by_words on shuffled data: same config, seed and data.

Records dev F1 against steps and wall time for both, and the steps each needs
to first reach 99% of the shuffled run's best dev F1.

    python benchmarks/curriculum_ablation.py --train corpus/train.spacy --dev corpus/dev.spacy --epochs 6 \
        --out benchmarks/results_curriculum.md
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import srsly

REPO = Path(__file__).resolve().parent.parent
SHUFFLED = {"@batchers": "spacy.batch_by_words.v1", "size": 1500, "tolerance": 0.2, "discard_oversize": False}


def train_run(batcher, train: Path, dev: Path, epochs: int, eval_frequency: int, work: Path) -> list:
    from spacy.cli.train import train as spacy_train

    log = work / "log.jsonl"
    overrides = {
        "paths.train": str(train),
        "paths.dev": str(dev),
        "paths.log": str(log),
        "training.max_epochs": epochs,
        "training.eval_frequency": eval_frequency,
    }
    if batcher is not None:
        overrides["training.batcher"] = batcher
    start = time.perf_counter()
    spacy_train(REPO / "configs" / "mammo_ner.cfg", work / "model", overrides=overrides)
    rows = list(srsly.read_jsonl(log))
    total = time.perf_counter() - start
    for row in rows:
        row["wall_fraction"] = row["seconds"] / total if total else None
    return rows


def first_step_reaching(rows: list, target: float):
    for row in rows:
        if row["ents_f"] >= target:
            return row["step"], row["seconds"]
    return None, None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=REPO / "corpus" / "train.spacy")
    parser.add_argument("--dev", type=Path, default=REPO / "corpus" / "dev.spacy")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--eval-frequency", type=int, default=20)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results_curriculum.md")
    args = parser.parse_args(argv)
    runs = {}
    for name, batcher in (("curriculum", None), ("shuffled batch_by_words", SHUFFLED)):
        with tempfile.TemporaryDirectory() as tmp:
            runs[name] = train_run(batcher, args.train, args.dev, args.epochs, args.eval_frequency, Path(tmp))
    best_shuffled = max(r["ents_f"] for r in runs["shuffled batch_by_words"])
    target = 0.99 * best_shuffled
    lines = [
        "# Curriculum ablation",
        "",
        f"Command: `python {' '.join(sys.argv)}`",
        "",
        f"Target: 99% of the shuffled run's best dev entity F1 ({best_shuffled:.4f}) = {target:.4f}",
        "",
        "| batcher | best dev F1 | steps to target | seconds to target | total steps |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    steps = {}
    for name, rows in runs.items():
        step, seconds = first_step_reaching(rows, target)
        steps[name] = step
        lines.append(
            f"| {name} | {max(r['ents_f'] for r in rows):.4f} | {step} | "
            f"{'-' if seconds is None else round(seconds)} | {rows[-1]['step']} |"
        )
    if steps["curriculum"] and steps["shuffled batch_by_words"]:
        lines += [
            "",
            f"Steps ratio (curriculum / shuffled): {steps['curriculum'] / steps['shuffled batch_by_words']:.2f}",
        ]
    lines += ["", "Dev F1 per evaluation (step: F1):", ""]
    for name, rows in runs.items():
        lines.append(f"- {name}: " + ", ".join(f"{r['step']}: {r['ents_f']:.3f}" for r in rows))
    args.out.write_text("\n".join(lines) + "\n")
    args.out.with_suffix(".json").write_text(json.dumps(runs, indent=1) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
