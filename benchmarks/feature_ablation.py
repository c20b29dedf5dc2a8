"""Feature ablation and augmentation (issue 11): what the lexicon feature, the character trigrams and the
training augmenters do to accuracy on text the generator did not write.

Every variant trains `configs/mammo_ner.cfg` on the same synthetic split with the same budget and seed,
is selected on the synthetic dev split, and is scored on the synthetic dev split, `assets/independent`
and the open part of `assets/real_dev` (model selection happens there; the blind parts are never used).

    python benchmarks/feature_ablation.py --epochs 3 --out benchmarks/results_ablation
"""

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.training_runs import train_and_score, write_results  # noqa: E402

MODEL = "components.mammo_ner.model"
AUGMENTED = {
    "@augmenters": "spacy-mammo.chain_augmenters.v1",
    "augmenters": {
        "substitute": {"@augmenters": "spacy-mammo.entity_substitution_augmenter.v1", "level": 0.3, "per_entity": 0.5},
        "wrap": {"@augmenters": "spacy-mammo.wrap_augmenter.v1", "level": 0.15},
        "lower": {"@augmenters": "spacy.lower_case.v1", "level": 0.05},
    },
}
VARIANTS = {
    "full": {},
    "no lexicon feature": {f"{MODEL}.lexicon_features": False},
    "no char trigrams": {f"{MODEL}.subword_rows": 0},
    "neither": {f"{MODEL}.lexicon_features": False, f"{MODEL}.subword_rows": 0},
    "full + augmentation": {"corpora.train.augmenter": AUGMENTED},
}
TESTS = {
    "synthetic dev": "corpus/dev.spacy",
    "independent": "assets/independent/reports.jsonl",
    "real_dev open": "assets/real_dev/open/reports.jsonl",
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", default="corpus/train.spacy")
    parser.add_argument("--dev", default="corpus/dev.spacy")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--eval-frequency", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--variants", default=None, help="comma-separated subset")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results_ablation")
    args = parser.parse_args(argv)
    chosen = {v: VARIANTS[v] for v in args.variants.split(",")} if args.variants else VARIANTS
    results = {}
    for name, overrides in chosen.items():
        base = {
            "paths.train": str(REPO / args.train),
            "paths.dev": str(REPO / args.dev),
            "training.max_epochs": args.epochs,
            "training.eval_frequency": args.eval_frequency,
            "training.seed": args.seed,
            "system.seed": args.seed,
        }
        with tempfile.TemporaryDirectory() as tmp:
            run = train_and_score("configs/mammo_ner.cfg", {**base, **overrides}, Path(tmp), TESTS)
        results[name] = {"tests": run["tests"], "wall": run["wall"], "overrides": overrides}
        print(name, {k: round(100 * v, 2) for k, v in run["tests"].items()}, flush=True)
    lines = [
        "# Feature ablation",
        "",
        f"Command: `python benchmarks/feature_ablation.py {' '.join(argv or sys.argv[1:])}`; "
        f"{args.epochs} epochs, seed {args.seed}; entity F1 (exact spans) of model-best (selected on synthetic dev).",
        "",
        "| variant | " + " | ".join(TESTS) + " | train s |",
        "|---|" + "---:|" * (len(TESTS) + 1),
    ]
    for name, res in results.items():
        lines.append(
            f"| {name} | " + " | ".join(f"{100 * res['tests'][t]:.2f}" for t in TESTS) + f" | {res['wall']:.0f} |"
        )
    write_results(args.out, results, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
