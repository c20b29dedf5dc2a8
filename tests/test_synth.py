"""Synthetic report generator and corpus statistics."""
import json
import re

import pytest

from spacy_mammo.corpus_stats import cli_main as stats_cli_main
from spacy_mammo.corpus_stats import corpus_stats, read_jsonl
from spacy_mammo.errors import MammoDataError
from spacy_mammo.labels import FINDING_LABELS, LABELS, NEVER_NEGATED
from spacy_mammo.synth import cli_main, generate_reports

# Descriptors that may carry `negated` inside a negated noun phrase.
NEGATABLE = set(FINDING_LABELS) | {"SHAPE", "MARGIN", "MASS_DENSITY", "CALC_MORPHOLOGY", "CALC_DISTRIBUTION"}


@pytest.fixture(scope="module")
def records():
    return generate_reports(300, seed=1)


def _spans(record):
    return [(s["start"], s["end"], s["label"], s["negated"], record["text"][s["start"] : s["end"]]) for s in record["spans"]]


def test_deterministic_for_a_seed():
    assert generate_reports(25, seed=7) == generate_reports(25, seed=7)
    assert generate_reports(25, seed=7) != generate_reports(25, seed=8)


def test_records_are_valid(records):
    assert [r["id"] for r in records] == [f"synth-{i:06d}" for i in range(1, 301)]
    for record in records:
        text = record["text"]
        assert text == text.strip() or text == text.lstrip(), record["id"]
        last_end = 0
        for start, end, label, negated, surface in sorted(_spans(record)):
            assert 0 <= start < end <= len(text), record["id"]
            assert start >= last_end, (record["id"], start)
            last_end = end
            assert surface == surface.strip() and surface, (record["id"], start)
            assert label in LABELS
            assert not (negated and label in NEVER_NEGATED), (record["id"], label)
            assert not negated or label in NEGATABLE


def test_all_labels_and_negation_present(records):
    labels = {s["label"] for r in records for s in r["spans"]}
    assert labels == set(LABELS)
    negated = {s["label"] for r in records for s in r["spans"] if s["negated"]}
    assert set(FINDING_LABELS) <= negated


def test_lengths_range_from_terse_to_long(records):
    lengths = [len(re.findall(r"\w+|[^\w\s]", r["text"])) for r in records]
    assert min(lengths) >= 20 and max(lengths) <= 600
    assert sum(n < 60 for n in lengths) >= 15 and sum(n > 250 for n in lengths) >= 10


def test_spans_align_with_domain_tokenizer(records):
    from spacy_mammo.tokenizer import blank_mammo_nlp

    nlp = blank_mammo_nlp()
    for record in records:
        doc = nlp.make_doc(record["text"])
        for start, end, label, _, _ in _spans(record):
            assert doc.char_span(start, end, label=label, alignment_mode="strict") is not None, (record["id"], start, label)


def test_time_stamps_and_view_codes_never_annotated(records):
    for record in records:
        text = record["text"]
        covered = [(s["start"], s["end"]) for s in record["spans"]]
        for match in re.finditer(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:AM|PM))?|\b[RL](?:CC|MLO|ML|XCCL)\b|\bR/O\b", text):
            inside = any(s <= match.start() < e for s, e in covered)
            is_clock = re.fullmatch(r"(?:1[0-2]|[1-9]):(?:00|30)", match.group(0))
            header_line = re.search(r"\b(Date|DD|DT|Signed|signed|Dictated|Transcribed|DOS|Exam date)\b[^\n]*$", text[: match.start()].rsplit("\n", 1)[-1])
            if header_line or not is_clock:
                assert not inside, (record["id"], match.start())


def test_guideline_traps(records):
    for record in records:
        text = record["text"]
        spans = sorted(_spans(record))
        for i, (start, end, label, negated, surface) in enumerate(spans):
            low = surface.lower()
            following = text[end : end + 40].lower()
            if low == "scattered":
                assert label == "CALC_DISTRIBUTION"
            if low.startswith("scattered ") and ("fibroglandular" in low or "fgt" in low):
                assert label == "COMPOSITION"
            if label == "LATERALITY" and low == "both":
                assert following.startswith(" b"), record["id"]  # "breasts", or a typo of it
            if low == "round" and label == "CALC_MORPHOLOGY":
                assert any(l == "CALCIFICATION" and abs(s - start) < 80 for s, _, l, _, _ in spans), record["id"]
            if low == "round" and label == "SHAPE":
                assert not re.match(r"\s*(calc|microcalc)", following)
            if label == "MASS" and re.search(r"(no change in the|may obscure small|could obscure small) $", text[:start].lower()):
                assert not negated, (record["id"], start)
            if low == "either":
                assert label == "LATERALITY" and following.startswith(" breast"), record["id"]
        for match in re.finditer(r"\b(suspicious|benign-appearing|dominant|IDC|DCIS|carcinoma)\b", text):
            assert not any(s <= match.start() < e for s, e, *_ in spans), (record["id"], match.group(0))


def test_no_calcifications_extend_beyond_the_mass_keeps_mass_affirmed():
    seen = 0
    for record in generate_reports(1500, seed=3):
        text = record["text"]
        for match in re.finditer(r"\b(?:extend beyond|are associated with|are seen within) the ", text):
            mass = [s for s in record["spans"] if s["start"] == match.end() and s["label"] == "MASS"]
            if mass:
                seen += 1
                assert not mass[0]["negated"]
    assert seen > 0


def test_cli_writes_jsonl_atomically(tmp_path):
    out = tmp_path / "sub" / "synth.jsonl"
    assert cli_main(["--n", "12", "--seed", "4", "--out", str(out)]) == 0
    assert [p.name for p in out.parent.iterdir()] == ["synth.jsonl"]
    assert read_jsonl(out) == generate_reports(12, seed=4)


def test_corpus_stats_counts():
    records = [
        {"id": "a", "text": "No mass. BI-RADS 1.", "spans": [
            {"start": 3, "end": 7, "label": "MASS", "negated": True},
            {"start": 9, "end": 18, "label": "BIRADS", "negated": False}]},
        {"id": "b", "text": "No mass. BI-RADS 2.", "spans": [
            {"start": 3, "end": 7, "label": "MASS", "negated": True},
            {"start": 9, "end": 18, "label": "BIRADS"}]},
    ]
    stats = corpus_stats(records)
    assert stats["reports"] == 2 and stats["tokens"] == 16 and stats["tokens_median"] == 8
    assert stats["label_counts"]["MASS"] == 2 and stats["negated_counts"]["MASS"] == 2
    assert stats["negated_counts"]["BIRADS"] == 0 and stats["spans"] == 4
    # "No <MASS>." and "<BIRADS>." are the same in both reports: digits and entities are normalised
    assert stats["sentences"] == 4 and stats["distinct_sentence_patterns"] == 2


def test_corpus_stats_cli_prints_markdown(tmp_path, capsys):
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in generate_reports(20, seed=2)) + "\n", encoding="utf8")
    assert stats_cli_main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "| reports | 20 |" in out and "| BIRADS |" in out


def test_read_jsonl_error_names_line_without_text(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "text": "secret report text"}\n{broken\n', encoding="utf8")
    with pytest.raises(MammoDataError) as err:
        read_jsonl(path)
    assert "line 2" in str(err.value) and "secret" not in str(err.value)
