"""Error analysis: a model's false positives and negatives, grouped by label and kind.

Kinds, for exact-span scoring:
- "boundary": a prediction with the gold label overlaps the gold span but has other boundaries;
- "label": the same span, another label;
- "boundary+label": overlapping, other boundaries and another label;
- "missed": a gold span that no prediction overlaps;
- "spurious": a prediction that overlaps no gold span.
Each exact-match failure is reported once, from the gold side where a gold span is involved.
"""

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from spacy.tokens import Doc
from spacy.training import Example

KINDS = ("boundary", "label", "boundary+label", "missed", "spurious")


@dataclass(frozen=True)
class EntityError:
    """One entity-level error of a prediction against the gold."""

    doc_id: str
    kind: str
    label: str  # the gold label, or the predicted one for "spurious"
    gold: Optional[Tuple[int, int, str]]  # (start_char, end_char, label)
    pred: Optional[Tuple[int, int, str]]
    gold_text: str
    pred_text: str
    context: str


def _spans(doc: Doc) -> List[Tuple[int, int, str]]:
    return [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]


def _context(text: str, start: int, end: int, width: int) -> str:
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return " ".join(f"{left}[{text[start:end]}]{right}".split())


def classify_errors(predicted: Doc, reference: Doc, doc_id: str = "", context_chars: int = 30) -> List[EntityError]:
    """The entity errors of `predicted` against `reference` (both over the same text).

    RETURNS (List[EntityError]): one record per gold span not predicted exactly and per
        spurious prediction, in text order.
    """
    text = reference.text
    gold, pred = _spans(reference), _spans(predicted)
    gold_set, pred_set = set(gold), set(pred)
    explained = set()
    errors = []
    for g in gold:
        if g in pred_set:
            continue
        overlapping = [p for p in pred if p[0] < g[1] and g[0] < p[1] and p not in gold_set]
        if not overlapping:
            kind, p = "missed", None
        else:
            p = max(overlapping, key=lambda s: min(s[1], g[1]) - max(s[0], g[0]))
            same_bounds = p[:2] == g[:2]
            kind = "label" if same_bounds else ("boundary" if p[2] == g[2] else "boundary+label")
            explained.update(overlapping)
        start, end = (min(g[0], p[0]), max(g[1], p[1])) if p else g[:2]
        errors.append(
            EntityError(
                doc_id,
                kind,
                g[2],
                g,
                p,
                text[g[0] : g[1]],
                text[p[0] : p[1]] if p else "",
                _context(text, start, end, context_chars),
            )
        )
    for p in pred:
        if p in gold_set or p in explained:
            continue
        context = _context(text, p[0], p[1], context_chars)
        errors.append(EntityError(doc_id, "spurious", p[2], None, p, "", text[p[0] : p[1]], context))
    return sorted(errors, key=lambda e: (e.gold or e.pred)[0])


def analyse(examples: Iterable[Example], doc_ids: Optional[Sequence[str]] = None) -> List[EntityError]:
    """Errors over scored examples (`eg.predicted` from the model, `eg.reference` the gold)."""
    errors: List[EntityError] = []
    for i, eg in enumerate(examples):
        doc_id = doc_ids[i] if doc_ids is not None else str(i)
        errors.extend(classify_errors(eg.predicted, eg.reference, doc_id))
    return errors


def summary_table(errors: Sequence[EntityError]) -> str:
    """A Markdown table of error counts: one row per label, one column per kind."""
    counts: Dict[str, Counter] = defaultdict(Counter)
    for error in errors:
        counts[error.label][error.kind] += 1
    lines = ["| label | " + " | ".join(KINDS) + " | total |", "| --- |" + " ---: |" * (len(KINDS) + 1)]
    for label in sorted(counts, key=lambda lab: -sum(counts[lab].values())):
        row = [str(counts[label][kind]) for kind in KINDS]
        lines.append(f"| {label} | " + " | ".join(row) + f" | {sum(counts[label].values())} |")
    totals = Counter(error.kind for error in errors)
    lines.append("| **all** | " + " | ".join(str(totals[kind]) for kind in KINDS) + f" | {len(errors)} |")
    return "\n".join(lines)


def error_listing(errors: Sequence[EntityError], limit_per_group: int = 0) -> str:
    """Every error as one line, grouped by label and kind: `doc  gold -> pred  context`."""
    groups: Dict[Tuple[str, str], List[EntityError]] = defaultdict(list)
    for error in errors:
        groups[(error.label, error.kind)].append(error)
    lines = []
    for (label, kind), group in sorted(groups.items(), key=lambda item: (item[0][0], KINDS.index(item[0][1]))):
        lines.append(f"\n## {label} / {kind} ({len(group)})")
        shown = group if limit_per_group <= 0 else group[:limit_per_group]
        for e in shown:
            gold = f"{e.gold_text!r}|{e.gold[2]}" if e.gold else "-"
            pred = f"{e.pred_text!r}|{e.pred[2]}" if e.pred else "-"
            lines.append(f"{e.doc_id}\t{gold} -> {pred}\t{e.context}")
        if len(shown) < len(group):
            lines.append(f"... {len(group) - len(shown)} more")
    return "\n".join(lines).lstrip("\n")


def errors_as_dicts(errors: Sequence[EntityError]) -> List[dict]:
    """JSON-ready records of the errors."""
    return [asdict(error) for error in errors]


def analyse_file(model: str, data) -> List[EntityError]:
    """Run the pipeline `model` on the texts of `data` (.spacy or span .jsonl) and return its entity errors."""
    import spacy

    from .evaluate import read_examples

    nlp = spacy.load(model)
    examples = read_examples(nlp, data)
    references = [eg.reference for eg in examples]
    predicted = nlp.pipe((ref.text for ref in references), batch_size=64)
    ids = [str(i) for i in range(len(references))]
    if Path(data).suffix == ".jsonl":
        from ..corpus.readers import read_jsonl_records

        ids = [record["id"] for record in read_jsonl_records(data)]
    return analyse((Example(doc, ref) for doc, ref in zip(predicted, references)), doc_ids=ids)
