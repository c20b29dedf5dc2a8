"""Score a pipeline on a test set: token BIO accuracy, exact-span entity P/R/F.

`python -m spacy mammo evaluate MODEL DATA --out-json metrics.json --out-md metrics.md`
"""
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import spacy
from spacy.language import Language
from spacy.scorer import PRFScore, Scorer
from spacy.tokens import DocBin
from spacy.training import Example

from ..io import atomic_open
from ..ner.bio import aligned_bio_tags, bio_accuracy
from ..errors import MammoDataError
from ..extensions import register_extensions

register_extensions()


def evaluate(nlp: Language, examples: Iterable[Example], batch_size: int = 64) -> Dict[str, Any]:
    """Run `nlp` on the examples' texts and score its entities against the references.

    nlp (Language): the pipeline.
    examples (Iterable[Example]): gold examples; only their reference docs are used.
    batch_size (int): batch size for `nlp.pipe`.
    RETURNS (Dict[str, Any]): "n_docs", "n_tokens", "token_accuracy", "ents_p", "ents_r",
        "ents_f", "ents_per_type" (label -> p/r/f/support), "token_report"
        (BIO tag -> precision/recall/f1-score/support) and, when the pipeline
        has `mammo_negation`, "negation" (accuracy of `negated` on correctly found findings).
    """
    references = [eg.reference for eg in examples]
    docs = list(nlp.pipe((nlp.make_doc(ref.text) for ref in references), batch_size=batch_size))
    scored = [Example(doc, ref) for doc, ref in zip(docs, references)]
    y_true, y_pred = aligned_bio_tags(scored)
    spans = Scorer.score_spans(scored, "ents")
    support = Counter(ent.label_ for ref in references for ent in ref.ents)
    per_type = {
        label: {**prf, "support": support.get(label, 0)}
        for label, prf in sorted((spans.get("ents_per_type") or {}).items())
    }
    for label in sorted(set(support) - set(per_type)):
        per_type[label] = {"p": 0.0, "r": 0.0, "f": 0.0, "support": support[label]}
    negation = None
    if any(nlp.get_pipe_meta(name).factory == "mammo_negation" for name in nlp.pipe_names):
        from ..rules.negation import negation_accuracy

        negation = negation_accuracy(references, docs)
    return {
        "n_docs": len(scored),
        "n_tokens": len(y_true),
        "token_accuracy": bio_accuracy(y_true, y_pred),
        "ents_p": spans.get("ents_p"),
        "ents_r": spans.get("ents_r"),
        "ents_f": spans.get("ents_f"),
        "ents_per_type": per_type,
        "token_report": token_report(y_true, y_pred),
        "negation": negation,
    }


def token_report(y_true: List[str], y_pred: List[str]) -> Dict[str, Dict[str, float]]:
    """Precision, recall, F1 and gold support per BIO tag (0.0 where undefined)."""
    scores: Dict[str, PRFScore] = defaultdict(PRFScore)
    for gold, pred in zip(y_true, y_pred):
        if gold == pred:
            scores[gold].tp += 1
        else:
            scores[pred].fp += 1
            scores[gold].fn += 1
    return {
        tag: {"precision": s.precision, "recall": s.recall, "f1-score": s.fscore, "support": s.tp + s.fn}
        for tag, s in sorted(scores.items())
    }


def read_examples(nlp: Language, path: Path) -> List[Example]:
    """Gold examples from a .spacy DocBin or a span JSONL file, tokenized by `nlp`.

    nlp (Language): the pipeline whose tokenizer and vocab are used.
    path (Path): the data file.
    RETURNS (List[Example]): examples with the gold entities on the reference docs.
    """
    if path.suffix == ".spacy":
        if not path.is_file():
            raise MammoDataError("file not found", path=path)
        try:
            docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        except Exception as err:  # zlib, msgpack and spaCy raise many types; their messages may quote data
            raise MammoDataError(f"not a readable .spacy DocBin ({type(err).__name__})", path=path) from None
        return [Example(nlp.make_doc(doc.text), doc) for doc in docs]
    if path.suffix == ".jsonl":
        from ..corpus.readers import read_jsonl_records

        return examples_from_records(nlp, read_jsonl_records(path), path)
    raise MammoDataError(f"unsupported data format {path.suffix!r}; expected .spacy or .jsonl", path=path)


def examples_from_records(nlp: Language, records: Iterable[Dict[str, Any]], path: Optional[Path] = None) -> List[Example]:
    """Gold examples from span records (keys id/text/spans, see the annotation guidelines).

    nlp (Language): the pipeline whose tokenizer is used.
    records (Iterable[Dict[str, Any]]): the records.
    path (Path or None): the source file, named in errors.
    RETURNS (List[Example]): one example per record.
    """
    examples = []
    for record in records:
        doc = nlp.make_doc(record["text"])
        spans = []
        for span in record["spans"]:
            start, end, label = span["start"], span["end"], span["label"]
            ent = doc.char_span(start, end, label, alignment_mode="strict")
            if ent is None:
                raise MammoDataError(
                    f"span {start}-{end} ({label}) does not match the pipeline's token boundaries",
                    path=path,
                    record=str(record["id"]),
                )
            ent._.negated = bool(span.get("negated", False))
            spans.append(ent)
        try:
            doc.ents = spans
        except ValueError:
            raise MammoDataError("overlapping entity spans", path=path, record=str(record["id"])) from None
        examples.append(Example(nlp.make_doc(record["text"]), doc))
    return examples


def metrics_markdown(metrics: Dict[str, Any]) -> str:
    """A Markdown report: overall scores and a per-label P/R/F/support table."""
    lines = [
        "| Metric | Value |",
        "| --- | ---: |",
        f"| Documents | {metrics['n_docs']} |",
        f"| Tokens | {metrics['n_tokens']} |",
        f"| Token BIO accuracy | {_pct(metrics['token_accuracy'])} |",
        f"| Entity precision | {_pct(metrics['ents_p'])} |",
        f"| Entity recall | {_pct(metrics['ents_r'])} |",
        f"| Entity F1 | {_pct(metrics['ents_f'])} |",
    ]
    negation = metrics.get("negation")
    if negation and negation.get("accuracy") is not None:
        lines.append(
            f"| Negation accuracy (found findings) | {_pct(negation['accuracy'])} ({negation['correct']}/{negation['matched']}) |"
        )
    lines += [
        "",
        per_label_table(metrics),
    ]
    return "\n".join(lines) + "\n"


def per_label_table(metrics: Dict[str, Any]) -> str:
    """The per-label Markdown table (exact-span P/R/F in percent, gold support)."""
    lines = ["| Label | P | R | F | Support |", "| --- | ---: | ---: | ---: | ---: |"]
    for label, prf in metrics["ents_per_type"].items():
        lines.append(f"| {label} | {_pct(prf['p'])} | {_pct(prf['r'])} | {_pct(prf['f'])} | {prf['support']} |")
    return "\n".join(lines)


def _pct(value: Optional[float]) -> str:
    return "-" if value is None else f"{100 * value:.2f}"


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` to a temp file next to `path`, then rename it into place."""
    with atomic_open(path, "w", encoding="utf8") as file_:
        file_.write(text)


def evaluate_file(
    model: str,
    data: Path,
    *,
    out_json: Optional[Path] = None,
    out_md: Optional[Path] = None,
    gpu_id: int = -1,
    batch_size: int = 64,
) -> Dict[str, Any]:
    """Load a pipeline, score it on a test file and write the metrics.

    model (str): Pipeline directory or package name.
    data (Path): Test data (.spacy or span .jsonl).
    out_json (Optional[Path]): Write the metrics as JSON.
    out_md (Optional[Path]): Write the metrics as a Markdown table.
    gpu_id (int): GPU to use, -1 for CPU.
    batch_size (int): `nlp.pipe` batch size.
    RETURNS (Dict[str, Any]): The metrics, as `evaluate` returns them.
    """
    if gpu_id >= 0:
        spacy.require_gpu(gpu_id)
    nlp = spacy.load(model)
    metrics = evaluate(nlp, read_examples(nlp, Path(data)), batch_size=batch_size)
    if out_json is not None:
        write_text_atomic(out_json, json.dumps(metrics, indent=2) + "\n")
    if out_md is not None:
        write_text_atomic(out_md, metrics_markdown(metrics))
    return metrics


def metrics_summary(metrics: Dict[str, Any]) -> str:
    """The per-label table and one line of overall scores, for the console."""
    return (
        f"{per_label_table(metrics)}\n\n"
        f"entities P/R/F: {_pct(metrics['ents_p'])} / {_pct(metrics['ents_r'])} / {_pct(metrics['ents_f'])}"
        f"   token BIO accuracy: {_pct(metrics['token_accuracy'])}"
    )
