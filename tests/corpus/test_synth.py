"""Synthetic report generator and corpus statistics."""
import json
import re

import pytest

from spacy_mammo.corpus.stats import corpus_stats
from spacy_mammo.corpus.readers import read_jsonl_records
from spacy_mammo.errors import MammoDataError
from spacy_mammo.labels import FINDING_LABELS, LABELS, NEVER_NEGATED
from spacy_mammo.corpus.synth import generate_reports

from ..conftest import invoke_cli

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
    assert invoke_cli("synth", "--n", 12, "--seed", 4, "--out", out).exit_code == 0
    assert [p.name for p in out.parent.iterdir()] == ["synth.jsonl"]
    assert list(read_jsonl_records(out)) == generate_reports(12, seed=4)


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


def test_corpus_stats_cli_prints_and_writes_markdown(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in generate_reports(20, seed=2)) + "\n", encoding="utf8")
    result = invoke_cli("stats", path, "--out", tmp_path / "STATS.md")
    assert result.exit_code == 0
    assert "| reports | 20 |" in result.stdout and "| BIRADS |" in result.stdout
    assert (tmp_path / "STATS.md").read_text(encoding="utf8") == result.stdout


def test_read_jsonl_error_names_line_without_text(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "text": "secret report text"}\n{broken\n', encoding="utf8")
    with pytest.raises(MammoDataError) as err:
        list(read_jsonl_records(path))
    assert "line 2" in str(err.value) and "secret" not in str(err.value)


# ---------------------------------------------------------------------------
# Guideline cases, checked on the generated text where they occur
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus():
    return generate_reports(1500, seed=21)


def _hits(records, pattern, flags=re.IGNORECASE):
    """(record, match) for every match of `pattern` in the generated texts."""
    regex = re.compile(pattern, flags)
    return [(record, match) for record in records for match in regex.finditer(record["text"])]


def _span(record, start, end):
    """The span exactly at [start, end), or None."""
    return next((s for s in record["spans"] if s["start"] == start and s["end"] == end), None)


def _covering(record, start, end):
    """The span containing [start, end), or None."""
    return next((s for s in record["spans"] if s["start"] <= start and end <= s["end"]), None)


def _uncovered(record, start, end):
    return not any(s["start"] < end and start < s["end"] for s in record["spans"])


def _assert_spans(records, pattern, label, group=0, at_least=3, flags=re.IGNORECASE):
    """Every match (or its `group`) of `pattern` is exactly one span of `label`; returns the matches."""
    hits = _hits(records, pattern, flags)
    assert len(hits) >= at_least, (pattern, len(hits))
    for record, match in hits:
        span = _span(record, match.start(group), match.end(group))
        assert span is not None and span["label"] == label, (record["id"], match.group(0), span)
    return hits


def _assert_unannotated(records, pattern, group=0, at_least=3, flags=re.IGNORECASE):
    hits = _hits(records, pattern, flags)
    assert len(hits) >= at_least, (pattern, len(hits))
    for record, match in hits:
        assert _uncovered(record, match.start(group), match.end(group)), (record["id"], match.group(0))
    return hits


def test_axilla_and_region_words_are_location(corpus):
    _assert_spans(corpus, r"\baxillae?\b", "LOCATION", at_least=20)
    _assert_spans(corpus, r"\b(?:right|left|R|L|RT|LT) (axilla) is (?:unremarkable|normal|clear)", "LOCATION", group=1)
    _assert_spans(corpus, r"\bIn the (?:right|left|RT|LT|R|L) (axilla), (?:two|three|several|multiple) enlarged", "LOCATION", group=1, at_least=1)
    _assert_spans(corpus, r"\bnear the (?:(?:right|left|rt|lt|r|l) )?(axilla)\b", "LOCATION", group=1)
    words = {"lower", "upper", "outer", "medial", "central", "periareolar", "inframammary fold", "posterior", "mid depth"}
    found = {
        record["text"][s["start"] : s["end"]].lower()
        for record in corpus for s in record["spans"] if s["label"] == "LOCATION"
    }
    assert words <= found, words - found
    # "[subareolar] region": the noun stays out
    for record, match in _hits(corpus, r"\b(subareolar) region\b"):
        assert _span(record, match.start(1), match.end(1))["label"] == "LOCATION"
        assert _uncovered(record, match.end(1) + 1, match.end())


def test_depth_and_clock_ranges_are_one_span(corpus):
    _assert_spans(corpus, r"\b(?:anterior|middle|mid) to (?:middle|mid|posterior) (?:depth|third)\b", "LOCATION", at_least=5)
    hits = _assert_spans(corpus, r"\b(\d{1,2})(?: to |-|–)(\d{1,2}) o['’]clock\b", "LOCATION", at_least=10)
    hours = {(int(m.group(2)) - int(m.group(1))) % 12 for _, m in hits}
    assert {1, 2} <= hours
    assert any(" to " in m.group(0) for _, m in hits) and any("-" in m.group(0) for _, m in hits)


def test_positions_relative_to_a_finding_are_not_location(corpus):
    _assert_unannotated(corpus, r"\b(?:posterior|anterior|medial|lateral|superior|inferior) (?:aspect|margin) of the (?=\w*calc)", at_least=2)
    _assert_unannotated(corpus, r"\banterior and posterior extent\b", at_least=2)
    for record, match in _assert_unannotated(corpus, r"\bno (?:definite )?central(?= (?:mass|nodule|lesion|lump))", at_least=3):
        noun = _covering(record, match.end() + 1, match.end() + 2)
        assert noun["label"] == "MASS" and noun["negated"], record["id"]
    for record, match in _assert_unannotated(corpus, r"\bcentral(?= (ill-defined|indistinct|spiculated) )", at_least=2):
        assert _span(record, match.end() + 1, match.end(1))["label"] == "MARGIN"
    _assert_unannotated(corpus, r"\bin \d+-\d+ weeks\b", at_least=5)


def test_distance_ranges_and_field_values(corpus):
    _assert_spans(corpus, r"\b\d+(?:-|–| to )\d+ ?cm (?:from (?:the )?nipple|FN)\b|\b\d+-\d+ ?cmfn\b", "DISTANCE", at_least=5)
    _assert_spans(corpus, r"\b(?:Distance from nipple|FN) \(cm\): (\d+(?:\.\d+)?)", "DISTANCE", group=1)
    checked = 0
    for record in corpus:
        lines = record["text"].split("\n")
        for i, line in enumerate(lines):
            if " | " not in line or "FN (cm)" not in line:
                continue
            columns = [c.strip() for c in line.split("|")]
            want = {j: {"FN (cm)": "DISTANCE", "Size (mm)": "SIZE", "BI-RADS": "BIRADS", "BIRADS": "BIRADS", "Side": "LATERALITY"}.get(c.replace("Dist. ", "").replace("Distance from nipple (cm)", "FN (cm)")) for j, c in enumerate(columns)}
            offset = sum(len(l) + 1 for l in lines[: i + 2])
            for row in lines[i + 2 :]:
                if " | " not in row:
                    break
                pos = offset
                for j, cell in enumerate(row.split("|")):
                    start = pos + len(cell) - len(cell.lstrip())
                    end = pos + len(cell.rstrip())
                    if want.get(j):
                        assert _span(record, start, end)["label"] == want[j], (record["id"], cell)
                        checked += 1
                    pos += len(cell) + 1
                offset += len(row) + 1
    assert checked >= 20


def test_cluster_and_group_are_calc_distribution(corpus):
    hits = _assert_spans(corpus, r"\b(cluster|group)\b(?= of)", "CALC_DISTRIBUTION", group=1, at_least=20)
    assert any(m.group(1).isupper() for _, m in hits)
    assert any(re.search(r"\d ?mm $", r["text"][: m.start()]) for r, m in hits)
    # "a [cluster] of [punctate] [calcifications]": the morphology and the noun follow as their own spans
    for record, match in hits:
        following = [s for s in record["spans"] if s["start"] > match.end()][:1]
        assert following and following[0]["label"] in ("CALC_MORPHOLOGY", "CALCIFICATION"), record["id"]


OTHER_WHOLE = (
    r"post-radiation changes?", r"postradiation changes", r"post-lumpectomy changes", r"post-reduction changes",
    r"post-excisional changes", r"post-traumatic changes", r"post-surgical scar", r"surgical clips", r"axillary LN",
    r"axillary lymph nodes", r"complicated cysts", r"microcysts", r"lipoma", r"galactocele", r"dilated duct", r"seroma",
    r"hematoma", r"fat necrosis", r"skin lesions?",
)


@pytest.mark.parametrize("form", OTHER_WHOLE)
def test_other_findings_are_whole_spans(corpus, form):
    hits = _hits(corpus, rf"(?<![\w-]){form}\b")
    assert len(hits) >= 3, (form, len(hits))
    for record, match in hits:
        span = _covering(record, match.start(), match.end())
        assert span is not None and span["label"] == "OTHER_FINDING", (record["id"], match.group(0))
        assert span["start"] == match.start() or form in ("hematoma", "lipoma", "microcysts"), (record["id"], match.group(0))


def test_other_finding_boundaries_and_traps(corpus):
    _assert_unannotated(corpus, r"\bsolitary(?= dilated duct)")
    for record, match in _hits(corpus, r"\bimplant(?= integrity)"):
        span = _covering(record, match.start(), match.end())
        assert span["label"] == "OTHER_FINDING" and span["end"] == match.end(), record["id"]
    _assert_spans(corpus, r"\b(secretory) (?:calc|microcalc)", "CALC_MORPHOLOGY", group=1)
    _assert_unannotated(corpus, r"\bsecretory(?= disease)")
    _assert_unannotated(corpus, r"\binternal vascular flow\b")
    _assert_unannotated(corpus, r"\bfatty hil(?:um|a)\b")
    _assert_unannotated(corpus, r"\bdense peripheral capsular\b")


def test_laterality_either_both_and_dictation(corpus):
    _assert_spans(corpus, r"\b(either) breast\b", "LATERALITY", group=1, at_least=10)
    _assert_spans(corpus, r"^(both) breasts:", "LATERALITY", group=1, flags=re.IGNORECASE | re.MULTILINE)
    _assert_unannotated(corpus, r"\bboth(?= (?:is recommended|sites|findings|palpable sites|CC and MLO))")
    _assert_unannotated(corpus, r"\bR/O\b")
    _assert_spans(corpus, r"\b(write)(?= (?:breast|BREAST))", "LATERALITY", group=1)
    doubled = _hits(corpus, r"\b(right|left) \1\b")
    assert len(doubled) >= 3
    for record, match in doubled:
        assert _span(record, match.start(1), match.end(1))["label"] == "LATERALITY"
        assert _span(record, match.end() - len(match.group(1)), match.end())["label"] == "LATERALITY"


def test_composition_forms(corpus):
    _assert_spans(corpus, r"\balmost entirely fat(?:ty)?\b", "COMPOSITION")
    _assert_spans(corpus, r"(?:dense|fatty|density|tissue|elements|FGT|fat) \(([abcd])\)", "COMPOSITION", group=1)
    checklists = _hits(corpus, r"(?:[\[(][ xX][\])] [A-Da-d]\s*){4}")
    assert len(checklists) >= 10
    for record, match in checklists:
        for box in re.finditer(r"[\[(]([ xX])[\])] ([A-Da-d])", match.group(0)):
            start = match.start() + box.start(2)
            if box.group(1).strip():
                assert _span(record, start, start + 1)["label"] == "COMPOSITION", record["id"]
            else:
                assert _uncovered(record, start, start + 1), record["id"]
    for record, match in _hits(corpus, r"\bDensity: ([A-D]) - ([a-z][\w ]+?)\.", flags=0):
        assert _span(record, match.start(1), match.end(1))["label"] == "COMPOSITION"
        assert _span(record, match.start(2), match.end(2))["label"] == "COMPOSITION"
        assert _uncovered(record, match.start(), match.start(1))
    _assert_spans(corpus, r"\bscattered areas of fiber glandular density\b", "COMPOSITION", at_least=2)
    _assert_spans(corpus, r"\bheterogenously dense\b", "COMPOSITION")


def test_template_field_values(corpus):
    _assert_spans(corpus, r"^Density: ((?:high|low|equal)(?: density)?)$", "MASS_DENSITY", group=1, flags=re.IGNORECASE | re.MULTILINE)
    _assert_spans(corpus, r"^Margins?: ([\w-]+(?: [\w-]+)*) ?$", "MARGIN", group=1, flags=re.IGNORECASE | re.MULTILINE)
    _assert_spans(corpus, r"^Shape: ([\w-]+(?: [\w-]+)*) ?$", "SHAPE", group=1, flags=re.IGNORECASE | re.MULTILINE)
    _assert_spans(corpus, r"^Depth: ([\w-]+(?: [\w-]+)*) ?$", "LOCATION", group=1, flags=re.IGNORECASE | re.MULTILINE)
    _assert_unannotated(corpus, r"^(?:Shape|Margins?|Depth|Side|Density):", flags=re.IGNORECASE | re.MULTILINE)
    for record, match in _hits(corpus, r"^(Calcifications|Microcalcifications): (?:none|no|absent|\[ \] yes \[x\] no)$", flags=re.IGNORECASE | re.MULTILINE):
        span = _span(record, match.start(1), match.end(1))
        assert span["label"] == "CALCIFICATION" and span["negated"], record["id"]


def test_speech_recognition_forms(corpus):
    _assert_spans(corpus, r"\barchitectural distraction\b", "DISTORTION")
    _assert_spans(corpus, r"\bcalcification's", "CALCIFICATION")
    _assert_spans(corpus, r"\bin distinct\b", "MARGIN", at_least=1)
    _assert_spans(corpus, r"\bfocal a symmetry\b", "ASYMMETRY")
    _assert_spans(corpus, r"\b(?:ACR )?(?:BI-RADS®?|BIRADS|Bi-RADS|Birads|BI RADS|bi-rads|bi rads|Bi-Rads|by rads|bi-rad|Bi Rads)(?: category| Category| CATEGORY)? for [ABC]\b", "BIRADS", at_least=2)
    _assert_spans(corpus, r"\b(?:ACR )?(?:BI-RADS®?|BIRADS|Bi-RADS|Birads|BI RADS|bi-rads|bi rads|Bi-Rads|by rads|bi-rad|Bi Rads) (?:equivalent|Equivalent):? \w+", "BIRADS", at_least=2)
    _assert_spans(corpus, r"\bBIRADS (?:II|III|IV|V|VI|I)\b", "BIRADS", at_least=1)
    _assert_spans(corpus, r"\bbi rads \d\b(?! ?[ABC]\b)", "BIRADS")


def test_birads_field_labels_and_non_shape_words(corpus):
    _assert_spans(corpus, r"\b(?:ACR )?BI-RADS Assessment: Category [0-6](?: ?[ABC])?\b", "BIRADS")
    for record, match in _hits(corpus, r"^(?:ASSESSMENT|Assessment|Final assessment): (BI-RADS [0-6](?: [ABC]|[ABC])?)(?!\w)", flags=re.MULTILINE):
        assert _span(record, match.start(1), match.end(1))["label"] == "BIRADS"
    _assert_spans(corpus, r"\bOverall: (Category [0-6][ABC]?)\b", "BIRADS", group=1)
    _assert_unannotated(corpus, r"\bround(?= \d)")
    _assert_unannotated(corpus, r"\blobular(?= carcinoma)")
