"""Paired bootstrap over documents: confidence intervals for entity F1 and for the F1 difference of two systems."""

from typing import Dict, List, Sequence, Tuple

import numpy
from spacy.tokens import Doc


def doc_counts(predicted: Sequence[Doc], references: Sequence[Doc]) -> numpy.ndarray:
    """Per document (tp, fp, fn) of exact-span entities, shape (n_docs, 3)."""
    rows = []
    for pred, ref in zip(predicted, references):
        p = {(e.start_char, e.end_char, e.label_) for e in pred.ents}
        g = {(e.start_char, e.end_char, e.label_) for e in ref.ents}
        rows.append((len(p & g), len(p - g), len(g - p)))
    return numpy.asarray(rows, dtype=numpy.int64).reshape(-1, 3)


def f1_from_counts(counts: numpy.ndarray) -> numpy.ndarray:
    """F1 from summed (tp, fp, fn) along the last axis; 0 where undefined."""
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    denom = 2 * tp + fp + fn
    return numpy.where(denom > 0, 2 * tp / numpy.maximum(denom, 1), 0.0)


def paired_bootstrap(
    counts_a: numpy.ndarray, counts_b: numpy.ndarray, n_samples: int = 2000, seed: int = 0, alpha: float = 0.05
) -> Dict[str, float]:
    """F1 of systems A and B, their difference, and percentile intervals from resampling documents.

    counts_a, counts_b (numpy.ndarray): `doc_counts` of the two systems over the same documents.
    RETURNS (Dict[str, float]): f1_a, f1_b, diff (A - B) and their lo/hi bounds; p_not_better, the share of
        samples in which A does not beat B.
    """
    if counts_a.shape != counts_b.shape:
        raise ValueError("the two systems must be scored on the same documents")
    rng = numpy.random.default_rng(seed)
    n = counts_a.shape[0]
    idx = rng.integers(0, n, size=(n_samples, n))
    f1_a = f1_from_counts(counts_a[idx].sum(axis=1))
    f1_b = f1_from_counts(counts_b[idx].sum(axis=1))
    diff = f1_a - f1_b
    lo, hi = 100 * alpha / 2, 100 * (1 - alpha / 2)
    result = {
        "f1_a": float(f1_from_counts(counts_a.sum(axis=0))),
        "f1_b": float(f1_from_counts(counts_b.sum(axis=0))),
        "p_not_better": float((diff <= 0).mean()),
        "n_docs": int(n),
        "n_samples": int(n_samples),
    }
    result["diff"] = result["f1_a"] - result["f1_b"]
    for name, values in (("f1_a", f1_a), ("f1_b", f1_b), ("diff", diff)):
        result[f"{name}_lo"], result[f"{name}_hi"] = (float(v) for v in numpy.percentile(values, [lo, hi]))
    return result


def f1_interval(
    counts: numpy.ndarray, n_samples: int = 2000, seed: int = 0, alpha: float = 0.05
) -> Tuple[float, float]:
    """Percentile bootstrap interval of one system's entity F1."""
    result = paired_bootstrap(counts, counts, n_samples=n_samples, seed=seed, alpha=alpha)
    return result["f1_a_lo"], result["f1_a_hi"]


def format_comparison(name_a: str, name_b: str, result: Dict[str, float]) -> List[str]:
    """Human-readable lines for a `paired_bootstrap` result (percent)."""
    return [
        f"{name_a}: F1 {100 * result['f1_a']:.2f} [{100 * result['f1_a_lo']:.2f}, {100 * result['f1_a_hi']:.2f}]",
        f"{name_b}: F1 {100 * result['f1_b']:.2f} [{100 * result['f1_b_lo']:.2f}, {100 * result['f1_b_hi']:.2f}]",
        f"{name_a} - {name_b}: {100 * result['diff']:+.2f} [{100 * result['diff_lo']:+.2f}, "
        f"{100 * result['diff_hi']:+.2f}] (95% paired bootstrap over {result['n_docs']} documents, "
        f"{result['n_samples']} samples; P(not better) = {result['p_not_better']:.3f})",
    ]
