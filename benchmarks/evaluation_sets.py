"""Score a pipeline and the lexicon + regex rules on every evaluation set, unwrapped and hard-wrapped.

For each set: entity P/R/F of the model and of the rules (exact spans), a 95% paired bootstrap
interval of the model-minus-rules F1 difference over documents, and the model's F1 on a copy
of the set hard-wrapped at width 70 (spaces outside gold spans turned into newlines).

    python benchmarks/evaluation_sets.py training/model-final --out benchmarks/results_evaluation_sets
    python benchmarks/evaluation_sets.py training/model-final --final ...   # also the blind parts
    python benchmarks/evaluation_sets.py training/model-final --sets independent --extra fresh=new.jsonl

The blind parts (`assets/independent_blind`, `assets/real_dev/blind`, `assets/real_abstracts/blind`) are scored
only with `--final`, once, at the end of a piece of work: never for error analysis or model selection.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, List, Sequence

import spacy
from spacy.scorer import Scorer
from spacy.training import Example

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spacy_mammo.corpus.readers import read_jsonl_records  # noqa: E402
from spacy_mammo.corpus.wrap import wrap_records  # noqa: E402
from spacy_mammo.evaluation.bootstrap import doc_counts, paired_bootstrap  # noqa: E402
from spacy_mammo.evaluation.evaluate import examples_from_records  # noqa: E402
from spacy_mammo.io import atomic_open  # noqa: E402
from spacy_mammo.rules.baseline import build_rule_pipeline  # noqa: E402

OPEN_SETS = {
    "synthetic test": "assets/mammo/test.jsonl",
    "independent": "assets/independent/reports.jsonl",
    "real_dev open": "assets/real_dev/open/reports.jsonl",
    "real_abstracts open": "assets/real_abstracts/open/reports.jsonl",
}
BLIND_SETS = {
    "independent_blind": "assets/independent_blind/reports.jsonl",
    "real_dev blind": "assets/real_dev/blind/reports.jsonl",
    "real_abstracts blind": "assets/real_abstracts/blind/reports.jsonl",
}
WRAP_WIDTH = 70


def predict(nlp, references: Sequence) -> List:
    return list(nlp.pipe((ref.text for ref in references), batch_size=64))


def prf(predicted: Sequence, references: Sequence) -> Dict[str, float]:
    scores = Scorer.score_spans([Example(p, r) for p, r in zip(predicted, references)], "ents")
    return {key: float(scores[f"ents_{key}"] or 0.0) for key in ("p", "r", "f")}


def score_set(model, rules, records: List[dict], n_samples: int) -> Dict[str, object]:
    references = [eg.reference for eg in examples_from_records(model, records)]
    model_docs, rule_docs = predict(model, references), predict(rules, references)
    wrapped = [eg.reference for eg in examples_from_records(model, wrap_records(records, WRAP_WIDTH))]
    comparison = paired_bootstrap(doc_counts(model_docs, references), doc_counts(rule_docs, references), n_samples)
    return {
        "n_docs": len(references),
        "n_spans": sum(len(ref.ents) for ref in references),
        "model": prf(model_docs, references),
        "rules": prf(rule_docs, references),
        "model_wrapped": prf(predict(model, wrapped), wrapped),
        "bootstrap": comparison,
    }


def markdown(results: Dict[str, Dict], model_name: str) -> str:
    lines = [
        f"Model: `{model_name}`. Exact-span entity scores in percent; the interval is the 95% paired bootstrap "
        f"interval of model F1 minus rules F1 over documents; wrapped = the same set hard-wrapped at width {WRAP_WIDTH}.",
        "",
        "| set | docs | spans | model P | model R | model F1 | rules F1 | model - rules [95% CI] | wrapped F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for name, res in results.items():
        m, r, w, b = res["model"], res["rules"], res["model_wrapped"], res["bootstrap"]
        lines.append(
            f"| {name} | {res['n_docs']} | {res['n_spans']} | {100 * m['p']:.2f} | {100 * m['r']:.2f} | "
            f"**{100 * m['f']:.2f}** | {100 * r['f']:.2f} | {100 * b['diff']:+.2f} "
            f"[{100 * b['diff_lo']:+.2f}, {100 * b['diff_hi']:+.2f}] | {100 * w['f']:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="pipeline directory or package name")
    parser.add_argument("--out", type=Path, default=None, help="write OUT.json and OUT.md")
    parser.add_argument("--final", action="store_true", help="also score the blind parts (once, at the end)")
    parser.add_argument("--sets", default=None, help="comma-separated set names to score (default: all open ones)")
    parser.add_argument(
        "--extra", action="append", default=[], metavar="NAME=PATH", help="also score this span file (repeatable)"
    )
    parser.add_argument("--n-samples", type=int, default=2000)
    args = parser.parse_args(argv)
    sets = dict(OPEN_SETS, **(BLIND_SETS if args.final else {}))
    if args.sets:
        sets = {name: sets[name] for name in args.sets.split(",")}
    sets.update(extra.split("=", 1) for extra in args.extra)
    model = spacy.load(args.model)
    rules = build_rule_pipeline(abbreviations=True)
    results = {}
    for name, rel in sets.items():
        path = ROOT / rel  # an absolute --extra path stays as it is
        if not path.exists():
            print(f"skipped {name}: {rel} not found", file=sys.stderr)
            continue
        results[name] = score_set(model, rules, list(read_jsonl_records(path)), args.n_samples)
        res = results[name]
        print(
            f"{name}: model F1 {100 * res['model']['f']:.2f}  rules F1 {100 * res['rules']['f']:.2f}  "
            f"wrapped F1 {100 * res['model_wrapped']['f']:.2f}",
            flush=True,
        )
    table = markdown(results, str(args.model))
    print(table)
    if args.out is not None:
        with atomic_open(args.out.with_suffix(".json"), "w", encoding="utf8") as file_:
            json.dump(results, file_, indent=2)
        with atomic_open(args.out.with_suffix(".md"), "w", encoding="utf8") as file_:
            file_.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
