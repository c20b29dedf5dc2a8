"""Score a pipeline on a test set: token BIO accuracy, exact-span entity P/R/F and,
given a findings gold file (docs/FINDINGS_FORMAT.md), the structured findings.

`python -m spacy mammo evaluate MODEL DATA --out-json metrics.json --out-md metrics.md [--findings GOLD]`

The findings are scored twice: on gold entities (the pipeline's rule components
run on docs whose `doc.ents` are the span file's spans, with their `negated`),
which measures the rules alone, and end to end (the full pipeline's own
entities).
"""

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence

import spacy
from spacy.language import Language
from spacy.scorer import PRFScore, Scorer
from spacy.tokens import Doc, DocBin
from spacy.training import Example

from ..errors import MammoDataError
from ..extensions import register_extensions
from ..io import atomic_open
from ..labels import FINDING_LABELS
from ..ner.bio import aligned_bio_tags, bio_accuracy

register_extensions()

# The components that `evaluate --findings` runs on gold entities, in pipeline order.
RULE_FACTORIES = ("mammo_negation", "mammo_findings")


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
    return score_entities(nlp, predict(nlp, references, batch_size=batch_size), references)


def predict(nlp: Language, references: Sequence[Doc], batch_size: int = 64) -> List[Doc]:
    """Run `nlp` on the texts of the reference docs."""
    return list(nlp.pipe((nlp.make_doc(ref.text) for ref in references), batch_size=batch_size))


def score_entities(nlp: Language, docs: Sequence[Doc], references: Sequence[Doc]) -> Dict[str, Any]:
    """The metrics of `evaluate` for docs that `nlp` predicted from the references' texts."""
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


def examples_from_records(
    nlp: Language, records: Iterable[Dict[str, Any]], path: Optional[Path] = None
) -> List[Example]:
    """Gold examples from validated span records (`corpus.readers.read_jsonl_records`), via `records_to_docs`.

    nlp (Language): the pipeline whose tokenizer is used.
    records (Iterable[Dict[str, Any]]): the records.
    path (Path or None): the source file, named in errors.
    RETURNS (List[Example]): one example per record; the references keep the record id in `user_data`.
    """
    from ..corpus.readers import records_to_docs

    return [Example(nlp.make_doc(ref.text), ref) for ref in records_to_docs(records, nlp, path=path)]


# ---------------------------------------------------------------------------
# Findings


def _id_lines(path: Path) -> Dict[str, int]:
    """The line of each record id of a JSONL file that a reader has already validated."""
    with Path(path).open(encoding="utf-8-sig") as file_:
        return {str(json.loads(text)["id"]): number for number, text in enumerate(file_, start=1) if text.strip()}


def check_findings_gold(
    gold: Sequence[Dict[str, Any]], references: Sequence[Doc], *, gold_path: Path, data_path: Path
) -> None:
    """Check that a findings gold file and its span file describe the same reports and heads:
    the same ids, and one gold finding per head entity (at its offsets, with its label; an
    ASSOCIATED_FEATURE head may be attached to another finding instead).

    gold (Sequence[Dict[str, Any]]): Records of `read_findings_gold(gold_path)`.
    references (Sequence[Doc]): The span file's docs, `user_data["record_id"]` set.
    gold_path (Path): The findings gold file, named in errors.
    data_path (Path): The span file, named in errors.
    """
    by_id: Dict[str, Doc] = {}
    for ref in references:
        if ref.user_data.get("record_id") is None:
            raise MammoDataError("the docs have no report ids: give the span .jsonl with --findings", path=data_path)
        by_id[str(ref.user_data["record_id"])] = ref
    gold_lines = _id_lines(gold_path)
    for record in gold:
        where = {"path": gold_path, "line": gold_lines[record["id"]], "record": record["id"]}
        ref = by_id.get(record["id"])
        if ref is None:
            raise MammoDataError(f"no report with this id in {data_path}", **where)
        heads = {(e.start_char, e.end_char): e.label_ for e in ref.ents if e.label_ in FINDING_LABELS}
        for i, finding in enumerate(record["findings"]):
            label = heads.get((finding["start"], finding["end"]))
            if label != finding["type"]:
                found = "no finding entity" if label is None else f"a {label} entity"
                raise MammoDataError(
                    f"finding {i} ({finding['type']} at {finding['start']}-{finding['end']}): "
                    f"{data_path} has {found} there",
                    **where,
                )
        given = {(f["start"], f["end"]) for f in record["findings"]}
        missing = [(key, label) for key, label in heads.items() if key not in given and label != "ASSOCIATED_FEATURE"]
        if missing:
            (start, end), label = missing[0]
            raise MammoDataError(f"no finding for the {label} entity at {start}-{end} of {data_path}", **where)
    extra = sorted(set(by_id) - {record["id"] for record in gold})
    if extra:
        line = _id_lines(data_path).get(extra[0]) if Path(data_path).suffix == ".jsonl" else None
        raise MammoDataError(
            f"no findings record in {gold_path} for this report", path=data_path, line=line, record=extra[0]
        )


def gold_entity_docs(nlp: Language, references: Sequence[Doc]) -> List[Doc]:
    """Copies of the reference docs (gold entities) run through the pipeline's rule components
    (`RULE_FACTORIES`), with each entity's `negated` kept as the gold gives it.

    nlp (Language): A pipeline with `mammo_findings`.
    references (Sequence[Doc]): Docs with the gold entities and their `negated`.
    RETURNS (List[Doc]): The processed copies.
    """
    rules = [
        (nlp.get_pipe_meta(name).factory, proc)
        for name, proc in nlp.pipeline
        if nlp.get_pipe_meta(name).factory in RULE_FACTORIES
    ]
    if "mammo_findings" not in {factory for factory, _ in rules}:
        raise ValueError("the pipeline has no mammo_findings component")
    docs = []
    for reference in references:
        doc = reference.copy()
        negated = [bool(ent._.negated) for ent in doc.ents]
        for factory, proc in rules:
            doc = proc(doc)
            if factory == "mammo_negation":
                for ent, value in zip(doc.ents, negated):
                    ent._.negated = value
        docs.append(doc)
    return docs


def evaluate_findings(
    nlp: Language,
    references: Sequence[Doc],
    predicted: Sequence[Doc],
    gold: Sequence[Dict[str, Any]],
) -> Dict[str, Any]:
    """Score the findings on gold entities and end to end (`rules.findings_score.score_findings`).

    nlp (Language): The pipeline, with `mammo_findings`.
    references (Sequence[Doc]): The span file's docs (gold entities and negation, record ids);
        check them against the gold with `check_findings_gold` first.
    predicted (Sequence[Doc]): The full pipeline's docs of the same texts, in the same order.
    gold (Sequence[Dict[str, Any]]): The findings gold records.
    RETURNS (Dict[str, Any]): {"n_reports", "gold_entities": scores, "end_to_end": scores}.
    """
    from ..rules.findings_score import predicted_record, score_findings

    ids = [str(ref.user_data["record_id"]) for ref in references]
    on_gold = [predicted_record(doc, record_id) for doc, record_id in zip(gold_entity_docs(nlp, references), ids)]
    end_to_end = [predicted_record(doc, record_id) for doc, record_id in zip(predicted, ids)]
    return {
        "n_reports": len(gold),
        "gold_entities": score_findings(gold, on_gold),
        "end_to_end": score_findings(gold, end_to_end),
    }


def findings_markdown(findings: Dict[str, Any]) -> str:
    """The two findings tables (on gold entities, end to end) under their headings."""
    from ..rules.findings_score import findings_table

    return (
        f"### Findings on gold entities ({findings['n_reports']} reports)\n\n"
        f"{findings_table(findings['gold_entities'])}\n\n"
        f"### Findings end to end (the pipeline's own entities)\n\n{findings_table(findings['end_to_end'])}"
    )


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
        counts = f"({negation['correct']}/{negation['matched']})"
        lines.append(f"| Negation accuracy (found findings) | {_pct(negation['accuracy'])} {counts} |")
    lines += [
        "",
        per_label_table(metrics),
    ]
    if metrics.get("findings"):
        lines += ["", findings_markdown(metrics["findings"])]
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
    findings: Optional[Path] = None,
    gpu_id: int = -1,
    batch_size: int = 64,
) -> Dict[str, Any]:
    """Load a pipeline, score it on a test file and write the metrics.

    model (str): Pipeline directory or package name.
    data (Path): Test data (.spacy or span .jsonl).
    out_json (Optional[Path]): Write the metrics as JSON.
    out_md (Optional[Path]): Write the metrics as a Markdown table.
    findings (Optional[Path]): The findings gold file of `data`'s reports: also score the
        findings (`evaluate_findings`), with `mammo_negation` and `mammo_findings` added
        to the pipeline when it lacks them.
    gpu_id (int): GPU to use, -1 for CPU.
    batch_size (int): `nlp.pipe` batch size.
    RETURNS (Dict[str, Any]): The metrics, as `evaluate` returns them, and "findings" with `findings`.
    """
    if gpu_id >= 0:
        spacy.require_gpu(gpu_id)
    if findings is None:
        nlp = spacy.load(model)
    else:
        from ..assemble import load_pipeline
        from ..rules.findings_score import read_findings_gold

        nlp = load_pipeline(model)
    references = [eg.reference for eg in read_examples(nlp, Path(data))]
    gold = None
    if findings is not None:
        gold = list(read_findings_gold(findings))
        check_findings_gold(gold, references, gold_path=Path(findings), data_path=Path(data))
    docs = predict(nlp, references, batch_size=batch_size)
    metrics = score_entities(nlp, docs, references)
    if gold is not None:
        metrics["findings"] = evaluate_findings(nlp, references, docs, gold)
    if out_json is not None:
        write_text_atomic(out_json, json.dumps(metrics, indent=2) + "\n")
    if out_md is not None:
        write_text_atomic(out_md, metrics_markdown(metrics))
    return metrics


def metrics_summary(metrics: Dict[str, Any]) -> str:
    """The per-label table and one line of overall scores, for the console."""
    summary = (
        f"{per_label_table(metrics)}\n\n"
        f"entities P/R/F: {_pct(metrics['ents_p'])} / {_pct(metrics['ents_r'])} / {_pct(metrics['ents_f'])}"
        f"   token BIO accuracy: {_pct(metrics['token_accuracy'])}"
    )
    if metrics.get("findings"):
        summary += "\n\n" + findings_markdown(metrics["findings"])
    return summary
