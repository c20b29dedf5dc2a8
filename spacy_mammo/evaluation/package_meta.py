"""The meta.json and model card that `spacy package` ships, from the shipped evaluation.

`spacy train` leaves the synthetic dev scores in a pipeline's meta.json. This
replaces them with the `evaluate` command's results (metrics/*.json) and adds
what a user needs to judge the model: description, author, licence, sources
and a model card (spaCy's own `generate_readme`, with the card as its notes).

    python -m spacy_mammo.evaluation.package_meta training/model-final \\
        --evaluation synthetic_test=metrics/test.json --evaluation independent_blind=metrics/independent_blind.json \\
        --meta-out packages/meta.json --readme-out packages/en_mammo_ner-0.1.0/README.md
    python -m spacy package training/model-final packages --meta-path packages/meta.json ...

`spacy package` uses a README.md that already lies in its output folder, so the
card written there replaces one a previous run left.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import srsly
from spacy.cli.package import generate_readme

from ..errors import MammoDataError
from .evaluate import write_text_atomic

AUTHOR = "spacy-mammo contributors"
LICENSE = "MIT"
DESCRIPTION = (
    "BI-RADS entities, negation and structured findings in English mammography reports "
    "(spacy-mammo attention-BiLSTM); trained on {training}, not validated on real patient reports"
)
SOURCES = [
    {"name": "spacy-mammo synthetic report generator (spacy_mammo/corpus/synth/)", "author": AUTHOR},
    {"name": "spacy-mammo annotation guidelines v1.3 (ACR BI-RADS lexicon, 17 labels)", "author": AUTHOR},
]
# What each evaluation set of project.yml is; other names are shown as given.
EVALUATION_SETS = {
    "synthetic_test": "synthetic test split: same generator as the training data, never trained on",
    "independent": "hand-written from the guidelines; used once for error analysis, so no longer blind",
    "independent_blind": "hand-written from the guidelines later; never looked at, scored only at the end",
    "real_dev_open": (
        "published breast-imaging texts by other authors; used for error analysis, checkpoint selection and the "
        "shipped fine-tuning, so in-sample"
    ),
    "real_dev_blind": "published breast-imaging texts by other authors; held out, scored only at the end",
    "real_abstracts_open": (
        "published breast-imaging article abstracts by other authors; used for error analysis, checkpoint selection "
        "and the shipped fine-tuning, so in-sample"
    ),
    "real_abstracts_blind": "published breast-imaging article abstracts by other authors; scored only at the end",
}
WEAK_F1 = 0.95


def package_meta(meta: Dict[str, Any], evaluations: Dict[str, Dict[str, Any]], *, url: str = "") -> Dict[str, Any]:
    """A copy of the pipeline's meta with honest metadata and the evaluation as `performance`.

    meta (Dict[str, Any]): the pipeline's meta.json.
    evaluations (Dict[str, Dict[str, Any]]): set name -> the `evaluate` command's metrics JSON.
    url (str): the project's home page; left out when empty.
    RETURNS (Dict[str, Any]): the meta for `spacy package --meta-path`; its "notes" hold the model card.
    """
    if not evaluations:
        raise MammoDataError("no evaluation given: the package meta needs at least one metrics file")
    adaptation = meta.get("spacy_mammo_adaptation")
    meta = {key: value for key, value in meta.items() if key not in ("performance", "url")}
    meta.update(description=description(adaptation), author=AUTHOR, license=LICENSE, sources=SOURCES)
    if url:
        meta["url"] = url
    meta["performance"] = performance(evaluations)
    meta["notes"] = model_card(evaluations, adaptation)
    return meta


def description(adaptation: Optional[Dict[str, Any]] = None) -> str:
    """The one-line package summary; it names the training data."""
    return DESCRIPTION.format(
        training="synthetic reports, then annotated real texts" if adaptation else "synthetic reports only"
    )


def performance(evaluations: Dict[str, Dict[str, Any]]) -> Dict[str, Any]:
    """Scores per set, keyed `<set>_<score>` (`spacy package` lists the numbers in the README)."""
    scores: Dict[str, Any] = {}
    for name, metrics in evaluations.items():
        negation = metrics.get("negation") or {}
        for key, value in (
            ("ents_p", metrics["ents_p"]),
            ("ents_r", metrics["ents_r"]),
            ("ents_f", metrics["ents_f"]),
            ("token_acc", metrics.get("token_accuracy")),
            ("neg_acc", negation.get("accuracy")),
        ):
            if value is not None:
                scores[f"{name}_{key}"] = value
        scores[f"{name}_ents_per_type"] = {
            label: {k: row[k] for k in ("p", "r", "f", "support")} for label, row in metrics["ents_per_type"].items()
        }
    return scores


def weak_labels(metrics: Dict[str, Any], threshold: float = WEAK_F1) -> List[Tuple[str, float, int]]:
    """(label, F1, gold support) of the labels under `threshold` F1, weakest first."""
    rows = [(label, row["f"], row["support"]) for label, row in metrics["ents_per_type"].items()]
    return sorted((row for row in rows if row[2] and row[1] < threshold), key=lambda row: row[1])


def training_data(adaptation: Optional[Dict[str, Any]]) -> str:
    """The model card's training-data paragraph: synthetic only, or synthetic then adapted on local reports."""
    synthetic = (
        "Every synthetic training and development report was generated, with its annotation, by spacy-mammo's "
        "report generator (`spacy_mammo/corpus/synth/`) from the BI-RADS lexicon, following the annotation "
        "guidelines v1.3."
    )
    if not adaptation:
        return (
            f"**Training data.** Synthetic only. {synthetic} No real patient report was used. The checkpoint was "
            "selected on the open parts of the real-text sets (published case reports and abstracts), so their "
            "scores below are optimistic; the blind parts were not used."
        )
    local = f"{adaptation['local_train_reports']} annotated real texts (`{adaptation.get('local', '?')}`)"
    if adaptation["local_dev_reports"]:
        stopping = f"with early stopping on {adaptation['local_dev_reports']} more"
    else:
        stopping = f"for {adaptation.get('max_epochs', '?')} epochs without a held-out part"
    runs = adaptation.get("runs_averaged", 1)
    averaged = f", the weights of {runs} runs (seeds) averaged" if runs > 1 else ""
    return (
        f"**Training data.** Synthetic reports, then fine-tuning (`spacy mammo adapt`) on {local}, mixed with "
        f"{adaptation['synthetic_reports']} synthetic reports, {stopping}{averaged}. {synthetic}"
    )


def model_card(evaluations: Dict[str, Dict[str, Any]], adaptation: Optional[Dict[str, Any]] = None) -> str:
    """The model card (Markdown): training data, intended use, limits, weak labels, evaluation.

    adaptation (Optional[Dict[str, Any]]): the meta's `spacy_mammo_adaptation` block of an adapted pipeline.
    """
    # The weak labels come from the hardest set: the one with the lowest entity F1.
    hardest = min(evaluations, key=lambda name: evaluations[name]["ents_f"] or 0.0)
    weak = weak_labels(evaluations[hardest])
    weak_text = ", ".join(f"{label} {100 * f:.1f} ({support} gold spans)" for label, f, support in weak) or "none"
    lines = [
        "## Model card",
        "",
        training_data(adaptation),
        "",
        "**Intended use.** Research and prototyping: finding BI-RADS entities (17 labels), their negation and "
        "uncertainty, structured findings and the report-level composition and BI-RADS category in English "
        "free-text mammography reports, with a person reviewing the output. It is not a medical device and "
        "must not be used for diagnosis or any other clinical decision.",
        "",
        "**Never validated on real patient reports.** No hospital's reports were used. The hand-written "
        "sets below were written from the guidelines by the project's authors (AI models), not by radiologists; "
        "the `real_dev` and `real_abstracts` sets are published texts by other authors (open-access case reports, "
        "abstracts and figure captions, annotated by the project) and score lower than the hand-written sets "
        "(table below). Batches of new published texts scored once before the project used them (the "
        "project README's results) scored well below these blind sets: the table overstates accuracy on text "
        "unlike the training data. A site's own reports (other house styles, dictation errors, templates, "
        "languages) may score lower still: measure on a sample before use, and consider "
        "`python -m spacy mammo adapt` with the site's annotated reports.",
        "",
        f"**Known weak labels** (entity F1 under {100 * WEAK_F1:.0f} on `{hardest}`): {weak_text}.",
        "",
        "### Evaluation",
        "",
        "| set | what it is | reports | entity P | entity R | entity F1 | token BIO acc. | negation acc. |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, metrics in evaluations.items():
        negation = metrics.get("negation") or {}
        neg = "-"
        if negation.get("accuracy") is not None:
            neg = f"{_pct(negation['accuracy'])} ({negation['correct']}/{negation['matched']})"
        lines.append(
            f"| `{name}` | {EVALUATION_SETS.get(name, name)} | {metrics['n_docs']} | {_pct(metrics['ents_p'])} | "
            f"{_pct(metrics['ents_r'])} | {_pct(metrics['ents_f'])} | {_pct(metrics.get('token_accuracy'))} | "
            f"{neg} |"
        )
    lines += [
        "",
        "Entity scores are exact-span P/R/F. Negation accuracy is over the gold finding entities that the "
        "tagger found with the same span and label.",
    ]
    return "\n".join(lines) + "\n"


def _pct(value: Optional[float]) -> str:
    return "-" if value is None else f"{100 * value:.2f}"


def _read_metrics(path: Path) -> Dict[str, Any]:
    try:
        metrics = json.loads(path.read_text(encoding="utf8"))
    except FileNotFoundError:
        raise MammoDataError("metrics file not found", path=path) from None
    except json.JSONDecodeError as err:
        raise MammoDataError(f"not valid JSON (line {err.lineno})", path=path) from None
    missing = [key for key in ("n_docs", "ents_p", "ents_r", "ents_f", "ents_per_type") if key not in metrics]
    if missing:
        raise MammoDataError(f"not an `evaluate` metrics file: missing {', '.join(missing)}", path=path)
    return metrics


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m spacy_mammo.evaluation.package_meta", description=__doc__.splitlines()[0]
    )
    parser.add_argument("model", type=Path, help="the pipeline directory that will be packaged")
    parser.add_argument(
        "--evaluation",
        action="append",
        default=[],
        metavar="NAME=METRICS.json",
        help="an `evaluate` metrics file and its set name (repeat; the order is the card's)",
    )
    parser.add_argument("--meta-out", type=Path, required=True, help="the meta.json for spacy package --meta-path")
    parser.add_argument("--readme-out", type=Path, help="where spacy package looks for README.md")
    parser.add_argument("--name", help="package name (as given to spacy package)")
    parser.add_argument("--version", help="package version (as given to spacy package)")
    parser.add_argument("--url", default="", help="the project's home page")
    args = parser.parse_args(argv)
    try:
        evaluations = {}
        for item in args.evaluation:
            name, sep, path = item.partition("=")
            if not sep or not name or not path:
                parser.error(f"--evaluation {item!r}: expected NAME=METRICS.json")
            evaluations[name] = _read_metrics(Path(path))
        meta_path = args.model / "meta.json"
        if not meta_path.is_file():
            raise MammoDataError("pipeline meta.json not found", path=meta_path)
        meta = package_meta(srsly.read_json(meta_path), evaluations, url=args.url)
    except MammoDataError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    meta.update({key: value for key, value in (("name", args.name), ("version", args.version)) if value})
    write_text_atomic(args.meta_out, srsly.json_dumps(meta, indent=2) + "\n")
    if args.readme_out is not None:
        write_text_atomic(args.readme_out, generate_readme(meta))
    print(f"package meta -> {args.meta_out}" + (f", model card -> {args.readme_out}" if args.readme_out else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
