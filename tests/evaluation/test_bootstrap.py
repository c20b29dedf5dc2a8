import numpy
import pytest
import spacy

from spacy_mammo.evaluation.bootstrap import doc_counts, f1_interval, format_comparison, paired_bootstrap


def test_doc_counts_are_exact_span_tp_fp_fn():
    nlp = spacy.blank("en")
    gold = nlp.make_doc("left mass here")
    gold.ents = [gold.char_span(0, 4, "LATERALITY"), gold.char_span(5, 9, "MASS")]
    pred = nlp.make_doc("left mass here")
    pred.ents = [pred.char_span(0, 4, "LATERALITY"), pred.char_span(5, 14, "MASS")]
    assert doc_counts([pred], [gold]).tolist() == [[1, 1, 1]]


def test_paired_bootstrap_separates_a_clearly_better_system():
    better = numpy.array([[9, 1, 1]] * 40)
    worse = numpy.array([[6, 4, 4]] * 40)
    result = paired_bootstrap(better, worse, n_samples=500)
    assert result["f1_a"] == pytest.approx(0.9) and result["f1_b"] == pytest.approx(0.6)
    assert result["diff_lo"] > 0 and result["p_not_better"] == 0.0
    assert "+30.00" in format_comparison("model", "rules", result)[2]


def test_interval_contains_the_point_estimate_and_needs_matching_docs():
    rng = numpy.random.default_rng(1)
    counts = rng.integers(0, 10, size=(30, 3))
    lo, hi = f1_interval(counts, n_samples=300)
    point = paired_bootstrap(counts, counts, n_samples=10)["f1_a"]
    assert lo <= point <= hi
    with pytest.raises(ValueError):
        paired_bootstrap(counts, counts[:5])
