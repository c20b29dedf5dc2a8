"""The fair curriculum comparison (issue 14): every batcher with the same padded-token budget per batch,
the same optimizer, learning-rate schedule, evaluation frequency and seeds, on the mammography corpus
and on NCBI-disease.

    python benchmarks/curriculum_grid.py --datasets mammo,ncbi --seeds 0,1,2 --out benchmarks/results_curriculum_grid

Per variant and dataset: best dev F1, steps and seconds to 99% of the shuffled run's best dev F1 (mean of
the shuffled seeds), and test F1 of the selected checkpoint (model-best), as mean and standard deviation
over seeds; a plot of dev F1 against seconds with the seeds' spread shaded. Model selection uses dev only;
the test sets (synthetic test, `assets/independent_blind` and the open part of `assets/real_dev` for
mammography, NCBI test) are scored once per selected model and never used to choose a checkpoint.
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.training_runs import train_and_score, write_results  # noqa: E402

DATASETS = {
    "mammo": {
        "config": "configs/mammo_ner.cfg",
        "train": "corpus/train.spacy",
        "dev": "corpus/dev.spacy",
        "tests": {
            "synthetic test": "corpus/test.spacy",
            "independent_blind": "assets/independent_blind/reports.jsonl",
            "real_dev open": "assets/real_dev/open/reports.jsonl",
        },
        "size": 6000,
        "eval_frequency": 20,
        "epochs": 6,
    },
    "ncbi": {
        "config": "configs/ncbi.cfg",
        "train": "corpus/ncbi/train.spacy",
        "dev": "corpus/ncbi/devel.spacy",
        "tests": {"test": "corpus/ncbi/test.spacy"},
        "size": 2000,
        "eval_frequency": 28,
        "epochs": 8,
    },
}
LENGTH = {"@misc": "spacy-mammo.length_difficulty.v1"}
DENSITY = {"@misc": "spacy-mammo.entity_density_difficulty.v1"}


def variants(size: int, total_steps: int) -> Dict[str, dict]:
    """Batcher configs, all capped at `size` padded tokens a batch."""
    stages = {
        "@batchers": "spacy-mammo.curriculum_batcher.v1",
        "size": size,
        "n_stages": 3,
        "epochs_per_stage": 1,
        "mode": "cumulative",
        "size_by": "padded",
    }
    competence = {
        "@batchers": "spacy-mammo.competence_batcher.v1",
        "size": size,
        "total_steps": total_steps,
        "initial_competence": 0.1,
        "size_by": "padded",
    }
    return {
        "shuffled": {
            "@batchers": "spacy.batch_by_padded.v1",
            "size": size,
            "buffer": 256,
            "discard_oversize": False,
            "get_length": None,
        },
        "stages/length": {**stages, "difficulty": LENGTH},
        "stages/density": {**stages, "difficulty": DENSITY},
        "competence/length": {**competence, "difficulty": LENGTH},
        "competence/density": {**competence, "difficulty": DENSITY},
        "anti/length": {**stages, "difficulty": {"@misc": "spacy-mammo.reversed_difficulty.v1", "difficulty": LENGTH}},
    }


def estimate_steps(train: Path, size: int, epochs: int) -> int:
    """Steps that `epochs` epochs of full padded batches take (used as the competence horizon T)."""
    import spacy
    from spacy.tokens import DocBin

    lengths = sorted(len(doc) for doc in DocBin().from_disk(train).get_docs(spacy.blank("en").vocab))
    steps, batch = 0, []
    for n in lengths:
        if batch and max(batch[-1], n) * (len(batch) + 1) > size:
            steps, batch = steps + 1, []
        batch.append(n)
    return (steps + bool(batch)) * epochs


def train_run(dataset: dict, batcher: dict, seed: int, epochs: int, work: Path) -> Dict[str, object]:
    overrides = {
        "paths.train": str(REPO / dataset["train"]),
        "paths.dev": str(REPO / dataset["dev"]),
        "training.max_epochs": epochs,
        "training.eval_frequency": dataset["eval_frequency"],
        "training.patience": 0,
        "training.seed": seed,
        "system.seed": seed,
        "training.batcher": batcher,
    }
    return train_and_score(dataset["config"], overrides, work, dataset["tests"])


def first_reaching(rows: List[dict], target: float) -> "tuple[Optional[int], Optional[float]]":
    for row in rows:
        if row["ents_f"] is not None and row["ents_f"] >= target:
            return row["step"], row["seconds"]
    return None, None


def mean_sd(values: List[Optional[float]]) -> str:
    got = [v for v in values if v is not None]
    if not got:
        return "not reached"
    text = (
        f"{statistics.mean(got):.4g}" if len(got) == 1 else f"{statistics.mean(got):.4g} ± {statistics.stdev(got):.2g}"
    )
    return text if len(got) == len(values) else f"{text} ({len(got)}/{len(values)} seeds)"


def summarise(runs: Dict[str, List[dict]]) -> "tuple[list, float]":
    best_shuffled = statistics.mean(max(r["ents_f"] for r in run["rows"]) for run in runs["shuffled"])
    target = 0.99 * best_shuffled
    shuffled_seconds = statistics.mean(
        first_reaching(run["rows"], target)[1] or run["wall"] for run in runs["shuffled"]
    )
    table = []
    for name, seeds in runs.items():
        reached = [first_reaching(run["rows"], target) for run in seeds]
        seconds = [s for _, s in reached]
        row = {
            "variant": name,
            "best_dev_f1": mean_sd([100 * max(r["ents_f"] for r in run["rows"]) for run in seeds]),
            "steps_to_target": mean_sd([s for s, _ in reached]),
            "seconds_to_target": mean_sd(seconds),
            "time_ratio": mean_sd([None if s is None else s / shuffled_seconds for s in seconds]),
        }
        for test in seeds[0]["tests"]:
            row[test] = mean_sd([100 * run["tests"][test] for run in seeds])
        table.append(row)
    return table, target


def plot(runs: Dict[str, List[dict]], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy

    fig, ax = plt.subplots(figsize=(8, 4.5))
    lows = []
    for name, seeds in runs.items():
        grid = numpy.linspace(0, min(run["rows"][-1]["seconds"] for run in seeds), 60)
        curves = numpy.array(
            [
                numpy.interp(grid, [r["seconds"] for r in run["rows"]], [100 * r["ents_f"] for r in run["rows"]])
                for run in seeds
            ]
        )
        mean, sd = curves.mean(axis=0), curves.std(axis=0)
        ax.plot(grid, mean, label=name)
        ax.fill_between(grid, mean - sd, mean + sd, alpha=0.2)
        lows.append(numpy.percentile(mean, 25))
    top = max(100 * max(r["ents_f"] for run in seeds for r in run["rows"]) for seeds in runs.values())
    ax.set_ylim(max(0.0, min(lows) - 2), min(100.0, top + 1))
    ax.set_xlabel("seconds")
    ax.set_ylabel("dev entity F1")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="mammo,ncbi")
    parser.add_argument("--variants", default=None, help="comma-separated subset of the variants")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--epochs", type=int, default=None, help="override every dataset's epoch budget")
    parser.add_argument(
        "--train",
        action="append",
        default=[],
        metavar="DATASET=PATH",
        help="train on another .spacy file, e.g. mammo=corpus/train_800.spacy (a smaller budget)",
    )
    parser.add_argument(
        "--competence-fraction", type=float, default=0.5, help="competence horizon T as a share of the run's steps"
    )
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results_curriculum_grid")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    results = {}
    lines = [
        "# Curriculum grid",
        "",
        f"Command: `python benchmarks/curriculum_grid.py {' '.join(argv or sys.argv[1:])}`",
        "",
    ]
    train_files = dict(item.split("=", 1) for item in args.train)
    for name in args.datasets.split(","):
        dataset = dict(DATASETS[name], train=train_files.get(name, DATASETS[name]["train"]))
        epochs = args.epochs or dataset["epochs"]
        total = int(args.competence_fraction * estimate_steps(REPO / dataset["train"], dataset["size"], epochs))
        chosen = variants(dataset["size"], total)
        if args.variants:
            chosen = {v: chosen[v] for v in ["shuffled", *args.variants.split(",")] if v in chosen}
        runs: Dict[str, List[dict]] = {}
        for variant, batcher in chosen.items():
            for seed in seeds:
                with tempfile.TemporaryDirectory() as tmp:
                    runs.setdefault(variant, []).append(train_run(dataset, batcher, seed, epochs, Path(tmp)))
                print(
                    f"{name} {variant} seed {seed}: best dev F1 "
                    f"{max(r['ents_f'] for r in runs[variant][-1]['rows']):.4f}",
                    flush=True,
                )
        table, target = summarise(runs)
        results[name] = {
            "runs": runs,
            "table": table,
            "target": target,
            "epochs": epochs,
            "size": dataset["size"],
            "competence_total_steps": total,
        }
        tests = list(dataset["tests"])
        lines += [
            f"## {name}",
            "",
            f"Trained on `{dataset['train']}`, {epochs} epochs, at most {dataset['size']} padded tokens a batch, dev every "
            f"{dataset['eval_frequency']} steps, seeds {seeds}; target = 99% of shuffled's mean best dev F1 "
            f"({100 * target:.2f}); competence horizon T = {total} steps.",
            "",
            "| variant | best dev F1 | steps to target | seconds to target | time / shuffled | "
            + " | ".join(f"{t} F1" for t in tests)
            + " |",
            "|---|---:|---:|---:|---:|" + "---:|" * len(tests),
        ]
        for row in table:
            lines.append(
                f"| {row['variant']} | {row['best_dev_f1']} | {row['steps_to_target']} | "
                f"{row['seconds_to_target']} | {row['time_ratio']} | " + " | ".join(row[t] for t in tests) + " |"
            )
        lines.append("")
        plot(runs, args.out.parent / f"{args.out.name}_{name}.png", f"{name}: dev F1 against wall time (mean ± sd)")
        lines += [f"![{name}]({args.out.name}_{name}.png)", ""]
    write_results(args.out, results, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
