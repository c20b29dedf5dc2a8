"""Negation on gold entities: mammo_negation against negspacy and medspaCy's ConText.

Every system gets the same docs (the mammography tokenizer, the gold entities
of the hand-written sets) and decides which entities are negated; the score is
`spacy_mammo.rules.negation.negation_accuracy` over the gold finding entities
(FINDING_LABELS), with negated as the positive class for P/R/F. Sentence
boundaries change what the other systems see, so each runs with spaCy's
`sentencizer` and with medspaCy's clinical splitter (PyRuSH); mammo_negation
also with its own clause splitting (no sentences).

Run it in its own venv (benchmarks/requirements-negation.txt: medspaCy 1.3.1
accepts spaCy 3.8 only on Python >= 3.12); it needs no torch and no install of
spacy-mammo, only the source on the path:

    python3.12 -m venv /tmp/neg && /tmp/neg/bin/pip install -r benchmarks/requirements-negation.txt
    PYTHONPATH=. /tmp/neg/bin/python benchmarks/negation_compare.py --out benchmarks/results_negation.md
"""

import argparse
import datetime
import platform
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from spacy_mammo.corpus.readers import read_jsonl_records, records_to_docs
from spacy_mammo.labels import FINDING_LABELS
from spacy_mammo.rules.negation import MammoNegation, negation_accuracy
from spacy_mammo.tokenizer import blank_mammo_nlp

ROOT = Path(__file__).resolve().parents[1]
DATASETS = {
    "independent_blind": ROOT / "assets" / "independent_blind" / "reports.jsonl",
    "independent": ROOT / "assets" / "independent" / "reports.jsonl",
}


def negspacy_system(nlp: Language) -> Callable[[Doc], Doc]:
    """negspacy's Negex with the en_clinical termset, on finding entities; sets `_.negated`."""
    from negspacy.negation import Negex  # noqa: F401  (registers the "negex" factory)
    from negspacy.termsets import termset

    negex = nlp.add_pipe(
        "negex", config={"neg_termset": termset("en_clinical").get_patterns(), "ent_types": sorted(FINDING_LABELS)}
    )

    def run(doc: Doc) -> Doc:
        doc = negex(doc)
        for ent in doc.ents:
            ent._.negated = bool(ent._.negex)
        return doc

    return run


def context_system(nlp: Language) -> Callable[[Doc], Doc]:
    """medspaCy's ConText with its default rules; `_.negated` from `is_negated`."""
    from medspacy.context import ConText  # noqa: F401  (registers "medspacy_context")

    context = nlp.add_pipe("medspacy_context")

    def run(doc: Doc) -> Doc:
        doc = context(doc)
        for ent in doc.ents:
            ent._.negated = ent.label_ in FINDING_LABELS and bool(ent._.is_negated)
        return doc

    return run


def mammo_system(nlp: Language) -> Callable[[Doc], Doc]:
    return MammoNegation()


SYSTEMS = {
    "mammo_negation": mammo_system,
    "negspacy (en_clinical)": negspacy_system,
    "medspaCy ConText": context_system,
}
# name -> factory that sets sentence starts; None: no sentence boundaries.
SEGMENTERS = {"own clauses": None, "spaCy sentencizer": "sentencizer", "PyRuSH": "medspacy_pyrush"}


def segmenter(nlp: Language, name: Optional[str]) -> Callable[[Doc], Doc]:
    if name is None:
        return lambda doc: doc
    if name == "medspacy_pyrush":
        import medspacy.sentence_splitting  # noqa: F401  (registers "medspacy_pyrush")
        from loguru import logger  # PyRuSH logs every sentence split at DEBUG level

        logger.remove()
        logger.add(sys.stderr, level="WARNING")
    return nlp.add_pipe(name, name=f"seg_{name}")


def unflagged_copy(doc: Doc) -> Doc:
    """The doc with its gold entities but no sentence starts and no negation flags."""
    copy = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    copy.ents = [copy.char_span(e.start_char, e.end_char, e.label_) for e in doc.ents]
    return copy


def score(gold: List[Doc], system: Callable[[Doc], Doc], segment: Callable[[Doc], Doc]) -> Dict[str, float]:
    predicted = [system(segment(unflagged_copy(doc))) for doc in gold]
    counts = negation_accuracy(gold, predicted)
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {**counts, "p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}


def run(datasets: List[str]) -> Tuple[List[dict], Dict[str, int]]:
    rows, sizes = [], {}
    for dataset in datasets:
        gold = list(records_to_docs(read_jsonl_records(DATASETS[dataset]), blank_mammo_nlp()))
        sizes[dataset] = len(gold)
        for system_name, make_system in SYSTEMS.items():
            for seg_name, seg_factory in SEGMENTERS.items():
                if seg_factory is None and system_name != "mammo_negation":
                    continue  # negspacy needs sentences, and ConText without them scopes over the whole report
                nlp = blank_mammo_nlp()
                segment = segmenter(nlp, seg_factory)
                rows.append(
                    {
                        "dataset": dataset,
                        "system": system_name,
                        "sentences": seg_name,
                        **score(gold, make_system(nlp), segment),
                    }
                )
    return rows, sizes


def markdown(rows: List[dict], sizes: Dict[str, int]) -> str:
    versions = ", ".join(f"{name} {version(name)}" for name in ("spacy", "negspacy", "medspacy", "PyRuSH"))
    lines = [
        "# Negation on gold entities: mammo_negation, negspacy, medspaCy ConText",
        "",
        f"`PYTHONPATH=. python benchmarks/negation_compare.py`, {datetime.date.today()}, "
        f"Python {platform.python_version()}, {versions}. Gold entities and gold `negated` from the "
        "hand-written sets; accuracy over the gold finding entities (the same count for every system); "
        "P/R/F with negated as the positive class.",
        "",
        "| set | system | sentences | accuracy | correct / findings | negated P | negated R | negated F1 |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| `{row['dataset']}` ({sizes[row['dataset']]} reports) | {row['system']} | {row['sentences']} | "
            f"{100 * row['accuracy']:.1f} | {row['correct']} / {row['matched']} | {100 * row['p']:.1f} | "
            f"{100 * row['r']:.1f} | {100 * row['f']:.1f} |"
        )
    lines += [
        "",
        "`independent_blind` is the fair comparison: `assets/independent` was used for the project's error "
        "analysis, so it is not blind for mammo_negation. negspacy and ConText run with their published rules "
        "(negspacy's `en_clinical` termset, restricted to the finding labels; ConText's default rules), untuned "
        "for mammography.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--datasets", default="independent_blind,independent", help="comma-separated: " + ", ".join(DATASETS)
    )
    parser.add_argument("--out", type=Path, help="also write the Markdown table here")
    args = parser.parse_args(argv)
    rows, sizes = run(args.datasets.split(","))
    text = markdown(rows, sizes)
    print(text)
    if args.out is not None:
        args.out.write_text(text, encoding="utf8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
