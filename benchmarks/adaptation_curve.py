"""Site adaptation learning curve by cross-validation: entity F1 with 0, 5, 10, 20 local reports.

The local reports (default: the open part of `assets/real_dev`) are cut into k folds. For each fold,
the pipeline is adapted (`spacy_mammo.training.adapt`, the defaults of `spacy mammo adapt`) on the
first n reports of the other folds, in a fixed shuffled order, and scored on the held-out fold;
n = 0 is the shipped pipeline itself. Reports given with `--extra-local` (e.g. a further annotated
set) join the training pool of every fold and are never scored; with them, n = 0 is the pipeline
adapted on those reports alone. Scores are exact-span P/R/F pooled over all held-out
reports, with a 95% bootstrap interval over documents and the per-fold F1 range.

    python benchmarks/adaptation_curve.py training/model-final --out benchmarks/results_adaptation
"""

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Sequence, Union

import numpy
import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spacy_mammo.corpus.readers import read_jsonl_records  # noqa: E402
from spacy_mammo.evaluation.bootstrap import doc_counts, f1_from_counts, f1_interval  # noqa: E402
from spacy_mammo.evaluation.evaluate import examples_from_records  # noqa: E402
from spacy_mammo.io import atomic_open  # noqa: E402
from spacy_mammo.training.adapt import AdaptOptions, adapt  # noqa: E402

SIZES = (0, 5, 10, 20)


def folds(records: Sequence[dict], k: int, seed: int) -> List[List[dict]]:
    """k folds of a fixed shuffle of the records, sizes differing by at most one."""
    shuffled = list(records)
    random.Random(seed).shuffle(shuffled)
    return [shuffled[i::k] for i in range(k)]


def fold_counts(model_path, held_out: Sequence[dict]) -> numpy.ndarray:
    """(tp, fp, fn) per held-out report for the pipeline at `model_path`."""
    nlp = spacy.load(model_path)
    references = [eg.reference for eg in examples_from_records(nlp, held_out)]
    predicted = list(nlp.pipe((ref.text for ref in references), batch_size=32))
    return doc_counts(predicted, references)


def learning_curve(
    base: Path,
    records: Sequence[dict],
    synthetic: Path,
    k: int,
    sizes: Sequence[Union[int, str]],
    options: AdaptOptions,
    seed: int,
    extra: Sequence[dict] = (),
) -> Dict[Union[int, str], Dict[str, object]]:
    parts = folds(records, k, seed)
    pool_size = min(len(records) - len(part) for part in parts)
    numbers = [n for n in sizes if n != "all"]
    if numbers and max(numbers) > pool_size:
        raise SystemExit(f"{max(numbers)} local reports asked for, but a fold leaves only {pool_size} to train on")
    counts: Dict[Union[int, str], List[numpy.ndarray]] = {n: [] for n in sizes}
    with tempfile.TemporaryDirectory(prefix="adapt_cv.") as tmp:
        for i, held_out in enumerate(parts):
            pool = [r for j, part in enumerate(parts) if j != i for r in part]
            for n in sizes:
                if n == 0 and not extra:
                    counts[n].append(fold_counts(base, held_out))
                    continue
                out = Path(tmp) / f"fold{i}_n{n}"
                # "all": every report of the other folds
                local = (pool if n == "all" else pool[:n]) + list(extra)
                adapt(base, f"fold {i}", out, synthetic_path=synthetic, options=options, local_records=local)
                counts[n].append(fold_counts(out, held_out))
                f = float(f1_from_counts(counts[n][-1].sum(axis=0)))
                print(f"fold {i} n={n}: F1 {100 * f:.2f}", flush=True)
    results = {}
    for n, per_fold in counts.items():
        pooled = numpy.concatenate(per_fold)
        tp, fp, fn = (int(v) for v in pooled.sum(axis=0))
        lo, hi = f1_interval(pooled)
        fold_f = [float(f1_from_counts(c.sum(axis=0))) for c in per_fold]
        results[n] = {
            "p": tp / max(tp + fp, 1),
            "r": tp / max(tp + fn, 1),
            "f": float(f1_from_counts(pooled.sum(axis=0))),
            "f_lo": lo,
            "f_hi": hi,
            "fold_f": fold_f,
            "n_docs": int(pooled.shape[0]),
        }
    return results


def markdown(results: Dict[Union[int, str], Dict[str, object]], base: str, source: str, k: int) -> str:
    lines = [
        f"Base: `{base}`; local reports: `{source}`, {k}-fold cross-validation (each fold scored by a pipeline "
        "adapted on reports of the other folds only). Exact-span entity scores in percent, pooled over all held-out "
        "reports; 95% bootstrap interval over documents; per-fold F1 range.",
        "",
        "| local reports | P | R | F1 [95% CI] | per-fold F1 |",
        "|---:|---:|---:|---|---|",
    ]
    for n, res in results.items():
        folds_f = ", ".join(f"{100 * f:.1f}" for f in res["fold_f"])
        lines.append(
            f"| {n} | {100 * res['p']:.2f} | {100 * res['r']:.2f} | **{100 * res['f']:.2f}** "
            f"[{100 * res['f_lo']:.2f}, {100 * res['f_hi']:.2f}] | {folds_f} |"
        )
    return "\n".join(lines) + "\n"


def _shown(path: Path) -> str:
    """The path relative to the repository, or its file name outside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return path.name


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, help="the shipped pipeline to adapt")
    parser.add_argument("--local", type=Path, default=ROOT / "assets/real_dev/open/reports.jsonl")
    parser.add_argument(
        "--extra-local", type=Path, action="append", default=[], help="reports added to every fold's training pool"
    )
    parser.add_argument("--synthetic", type=Path, default=ROOT / "assets/mammo/train.jsonl")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help='comma-separated; "all": the other folds')
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-synthetic", type=int, default=AdaptOptions.n_synthetic)
    parser.add_argument("--max-epochs", type=int, default=AdaptOptions.max_epochs)
    parser.add_argument("--local-weight", type=int, default=AdaptOptions.local_weight)
    parser.add_argument("--dev-fraction", type=float, default=AdaptOptions.dev_fraction)
    parser.add_argument("--runs", type=int, default=AdaptOptions.n_runs, help="adapt runs averaged per pipeline")
    parser.add_argument("--learn-rate", type=float, default=AdaptOptions.learn_rate)
    parser.add_argument("--out", type=Path, default=None, help="write OUT.json and OUT.md")
    args = parser.parse_args(argv)
    sizes = [s if s == "all" else int(s) for s in args.sizes.split(",")]
    records = list(read_jsonl_records(args.local))
    extra = [record for path in args.extra_local for record in read_jsonl_records(path)]
    options = AdaptOptions(
        n_synthetic=args.n_synthetic,
        max_epochs=args.max_epochs,
        local_weight=args.local_weight,
        learn_rate=args.learn_rate,
        dev_fraction=args.dev_fraction,
        n_runs=args.runs,
    )
    results = learning_curve(args.model, records, args.synthetic, args.folds, sizes, options, args.seed, extra)
    source = _shown(args.local)
    table = markdown(results, str(args.model), source, args.folds)
    table += (
        f"\nAdaptation settings: `AdaptOptions(n_synthetic={options.n_synthetic}, max_epochs={options.max_epochs}, "
        f"local_weight={options.local_weight}, learn_rate={options.learn_rate}, dev_fraction={options.dev_fraction}, n_runs={options.n_runs})`, the other `spacy mammo adapt` "
        "defaults.\n"
    )
    if extra:
        names = ", ".join(f"`{_shown(path)}`" for path in args.extra_local)
        table += f"Every row is also trained on {len(extra)} further reports ({names}), never scored.\n"
    print(table)
    if args.out is not None:
        with atomic_open(args.out.with_suffix(".json"), "w", encoding="utf8") as file_:
            json.dump({str(n): res for n, res in results.items()}, file_, indent=2)
        with atomic_open(args.out.with_suffix(".md"), "w", encoding="utf8") as file_:
            file_.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
