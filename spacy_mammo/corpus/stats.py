"""Descriptive statistics of an annotated report corpus (JSONL span format).

Command line: `python -m spacy mammo stats FILE.jsonl [--out STATS.md]` prints Markdown.
"""

import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Union

from ..io import atomic_open
from ..labels import LABELS
from .readers import read_jsonl_records

_TOKEN = re.compile(r"\w+|[^\w\s]")
# A sentence ends at a full stop, question or exclamation mark before whitespace, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _tokens(text: str) -> List[str]:
    return _TOKEN.findall(text)


def _sentence_patterns(text: str, spans: List[dict]) -> List[str]:
    """Sentences with entity spans replaced by their label and digits normalised."""
    pieces = []
    pos = 0
    for span in sorted(spans, key=lambda s: s["start"]):
        pieces.append(text[pos : span["start"]])
        # a placeholder without sentence punctuation, so spans never split sentences
        pieces.append(f"<{span['label']}>")
        pos = span["end"]
    pieces.append(text[pos:])
    masked = "".join(pieces)
    out = []
    for sentence in _SENTENCE_END.split(masked):
        sentence = re.sub(r"\d", "0", sentence)
        sentence = re.sub(r"[ \t]+", " ", sentence).strip().lower()
        if sentence:
            out.append(sentence)
    return out


def corpus_stats(records: Iterable[dict]) -> Dict[str, object]:
    """Compute size, length, label and diversity statistics of a corpus.

    records (Iterable[dict]): Records with "text" and "spans" (guidelines' JSONL format).
    RETURNS (Dict[str, object]): "reports", "tokens", "tokens_min", "tokens_median",
        "tokens_max", "label_counts", "negated_counts", "spans", "sentences",
        "distinct_sentence_patterns", "distinct_4grams_per_1000_tokens".
    """
    lengths: List[int] = []
    label_counts: Counter = Counter()
    negated_counts: Counter = Counter()
    patterns: Counter = Counter()
    fourgrams = set()
    n_sentences = 0
    for record in records:
        text = record["text"]
        spans = record.get("spans", [])
        tokens = _tokens(text)
        lengths.append(len(tokens))
        lowered = [tok.lower() for tok in tokens]
        fourgrams.update(tuple(lowered[i : i + 4]) for i in range(len(lowered) - 3))
        for span in spans:
            label_counts[span["label"]] += 1
            if span.get("negated", False):
                negated_counts[span["label"]] += 1
        sentences = _sentence_patterns(text, spans)
        n_sentences += len(sentences)
        patterns.update(sentences)
    total = sum(lengths)
    return {
        "reports": len(lengths),
        "tokens": total,
        "tokens_min": min(lengths) if lengths else 0,
        "tokens_median": statistics.median(lengths) if lengths else 0,
        "tokens_max": max(lengths) if lengths else 0,
        "spans": sum(label_counts.values()),
        "label_counts": {label: label_counts.get(label, 0) for label in LABELS},
        "negated_counts": {label: negated_counts.get(label, 0) for label in LABELS},
        "sentences": n_sentences,
        "distinct_sentence_patterns": len(patterns),
        "distinct_4grams_per_1000_tokens": round(1000 * len(fourgrams) / total, 1) if total else 0.0,
    }


def to_markdown(stats: Dict[str, object]) -> str:
    """Format corpus statistics as Markdown.

    stats (Dict[str, object]): Output of `corpus_stats`.
    RETURNS (str): Markdown text.
    """
    lines = [
        "| statistic | value |",
        "|---|---|",
        f"| reports | {stats['reports']} |",
        f"| tokens | {stats['tokens']} |",
        "| tokens per report (min / median / max) | "
        f"{stats['tokens_min']} / {stats['tokens_median']} / {stats['tokens_max']} |",
        f"| spans | {stats['spans']} |",
        f"| sentences | {stats['sentences']} |",
        f"| distinct sentence patterns | {stats['distinct_sentence_patterns']} |",
        f"| distinct 4-grams per 1000 tokens | {stats['distinct_4grams_per_1000_tokens']} |",
        "",
        "| label | spans | negated |",
        "|---|---|---|",
    ]
    counts: Dict[str, int] = stats["label_counts"]  # type: ignore[assignment]
    negated: Dict[str, int] = stats["negated_counts"]  # type: ignore[assignment]
    for label in counts:
        lines.append(f"| {label} | {counts[label]} | {negated.get(label, 0)} |")
    return "\n".join(lines) + "\n"


def corpus_markdown(path: Union[str, Path], out: Optional[Union[str, Path]] = None) -> str:
    """The statistics of a JSONL span corpus as Markdown, also written to `out` (atomically) when given.

    path (Union[str, Path]): JSONL file with {id, text, spans} records.
    out (Optional[Union[str, Path]]): Markdown file to write.
    RETURNS (str): The Markdown.
    """
    markdown = to_markdown(corpus_stats(read_jsonl_records(path)))
    if out is not None:
        with atomic_open(out, "w", encoding="utf8") as file_:
            file_.write(markdown)
    return markdown
