"""Synthetic report generator and corpus statistics."""

import json
import re
from pathlib import Path

import pytest
import srsly

from spacy_mammo.corpus.readers import read_jsonl_records
from spacy_mammo.corpus.stats import corpus_stats
from spacy_mammo.corpus.synth import generate_reports, write_jsonl
from spacy_mammo.corpus.synth.noise import hard_wrap
from spacy_mammo.errors import MammoDataError
from spacy_mammo.labels import FINDING_LABELS, LABELS, NEVER_NEGATED

from ..conftest import invoke_cli

ROOT = Path(__file__).resolve().parents[2]

# Descriptors that may carry `negated` inside a negated noun phrase.
NEGATABLE = set(FINDING_LABELS) | {"SHAPE", "MARGIN", "MASS_DENSITY", "CALC_MORPHOLOGY", "CALC_DISTRIBUTION"}


@pytest.fixture(scope="module")
def records():
    return generate_reports(300, seed=1)


def _spans(record):
    return [
        (s["start"], s["end"], s["label"], s["negated"], record["text"][s["start"] : s["end"]]) for s in record["spans"]
    ]


def test_deterministic_for_a_seed():
    assert generate_reports(25, seed=7) == generate_reports(25, seed=7)
    assert generate_reports(25, seed=7) != generate_reports(25, seed=8)


def test_stream_is_prefix_stable():
    assert generate_reports(40, seed=5) == generate_reports(80, seed=5)[:40]


def _shipped_splits():
    """(n, seed, path) of each `synth` line of project.yml's `data` command."""
    project = srsly.read_yaml(ROOT / "project.yml")
    script = next(c for c in project["commands"] if c["name"] == "data")["script"]
    splits = []
    for line in script:
        match = re.search(r"synth --n (\S+) --seed (\d+) --out (\S+)", line)
        if match:
            n = match.group(1)
            n = project["vars"][n[len("${vars.") : -1]] if n.startswith("${vars.") else n
            splits.append((int(n), int(match.group(2)), match.group(3)))
    return splits


def test_shipped_corpus_is_what_the_generator_writes(tmp_path):
    splits = _shipped_splits()
    assert [Path(path).name for _, _, path in splits] == ["train.jsonl", "dev.jsonl", "test.jsonl"]
    for n, seed, path in splits:
        out = tmp_path / Path(path).name
        write_jsonl(generate_reports(n, seed), out)
        assert out.read_bytes() == (ROOT / path).read_bytes(), path


def test_every_generator_module_is_a_dependency_of_the_data_step():
    # `spacy project run` skips `data` unless a listed dependency changed
    project = srsly.read_yaml(ROOT / "project.yml")
    deps = set(next(c for c in project["commands"] if c["name"] == "data")["deps"])
    modules = {path.relative_to(ROOT).as_posix() for path in (ROOT / "spacy_mammo/corpus/synth").glob("*.py")}
    assert modules - deps == set()


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
            assert doc.char_span(start, end, label=label, alignment_mode="strict") is not None, (
                record["id"],
                start,
                label,
            )


def test_time_stamps_and_view_codes_never_annotated(records):
    for record in records:
        text = record["text"]
        covered = [(s["start"], s["end"]) for s in record["spans"]]
        for match in re.finditer(
            r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:AM|PM))?|\b[RL](?:CC|MLO|ML|XCCL)\b|\bR/O\b", text
        ):
            inside = any(s <= match.start() < e for s, e in covered)
            is_clock = re.fullmatch(r"(?:1[0-2]|[1-9]):(?:00|30)", match.group(0))
            header_line = re.search(
                r"\b(Date|DD|DT|Signed|signed|Dictated|Transcribed|DOS|Exam date)\b[^\n]*$",
                text[: match.start()].rsplit("\n", 1)[-1],
            )
            if header_line or not is_clock:
                assert not inside, (record["id"], match.start())


def _checklist_calc_morphology(text, spans, start):
    """ "Morphology: round" under a "Microcalcifications:" header a few checklist lines above."""
    if not re.search(r"morphology:\s*$", text[:start], re.IGNORECASE):
        return False
    headers = [s for s, e, label, _, _ in spans if label == "CALCIFICATION" and s < start and text[e : e + 1] == ":"]
    if not headers or text[headers[-1] - 1 : headers[-1]] not in ("", "\n"):
        return False
    # every line from the header down to "Morphology:" is a "Field: value" line of the same checklist
    return all(re.match(r"[A-Za-z][\w .()/-]{0,24}:", line) for line in text[headers[-1] : start].split("\n"))


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
                # "breasts" (or a typo of it), or a body part outside the breast (v1.3); hard wraps allowed
                assert re.match(r"\s(?:b|axillae)", following), record["id"]
            if low == "round" and label == "CALC_MORPHOLOGY":
                near = any(other == "CALCIFICATION" and abs(s - start) < 80 for s, _, other, _, _ in spans)
                assert near or _checklist_calc_morphology(text, spans, start), record["id"]
            if low == "round" and label == "SHAPE":
                assert not re.match(r"\s*(calc|microcalc)", following)
            if label == "MASS" and re.search(
                r"(no change in the|may obscure small|could obscure small) $", text[:start].lower()
            ):
                assert not negated, (record["id"], start)
            if low == "either":
                assert label == "LATERALITY" and re.match(r"\sbreast", following), record["id"]
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
        {
            "id": "a",
            "text": "No mass. BI-RADS 1.",
            "spans": [
                {"start": 3, "end": 7, "label": "MASS", "negated": True},
                {"start": 9, "end": 18, "label": "BIRADS", "negated": False},
            ],
        },
        {
            "id": "b",
            "text": "No mass. BI-RADS 2.",
            "spans": [
                {"start": 3, "end": 7, "label": "MASS", "negated": True},
                {"start": 9, "end": 18, "label": "BIRADS"},
            ],
        },
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
    return generate_reports(2500, seed=21)


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
    # "axilla" alone, or the head of one region phrase ("[inferior axilla]", v1.3)
    _assert_spans(corpus, r"\b(?<!inferior )(?<!high )axillae?\b", "LOCATION", at_least=20)
    _assert_spans(corpus, r"\b(?:inferior|high) axilla\b", "LOCATION")
    _assert_spans(corpus, r"\b(?:right|left|R|L|RT|LT) (axilla) is (?:unremarkable|normal|clear)", "LOCATION", group=1)
    _assert_spans(
        corpus,
        r"\bIn the (?:right|left|RT|LT|R|L) (axilla), (?:two|three|several|multiple) enlarged",
        "LOCATION",
        group=1,
        at_least=1,
    )
    _assert_spans(corpus, r"\bnear the (?:(?:right|left|rt|lt|r|l) )?(axilla)\b", "LOCATION", group=1)
    words = {
        "lower",
        "upper",
        "outer",
        "medial",
        "central",
        "periareolar",
        "inframammary fold",
        "posterior",
        "mid depth",
    }
    found = {
        record["text"][s["start"] : s["end"]].lower()
        for record in corpus
        for s in record["spans"]
        if s["label"] == "LOCATION"
    }
    assert words <= found, words - found
    # "[subareolar] region": the noun stays out
    for record, match in _hits(corpus, r"\b(subareolar) region\b"):
        assert _span(record, match.start(1), match.end(1))["label"] == "LOCATION"
        assert _uncovered(record, match.end(1) + 1, match.end())


def test_depth_and_clock_ranges_are_one_span(corpus):
    _assert_spans(
        corpus, r"\b(?:anterior|middle|mid) to (?:middle|mid|posterior) (?:depth|third)\b", "LOCATION", at_least=5
    )
    hits = _assert_spans(corpus, r"\b(\d{1,2})(?: to |-|–)(\d{1,2}) o['’]clock\b", "LOCATION", at_least=10)
    hours = {(int(m.group(2)) - int(m.group(1))) % 12 for _, m in hits}
    assert {1, 2} <= hours
    assert any(" to " in m.group(0) for _, m in hits) and any("-" in m.group(0) for _, m in hits)


def test_positions_relative_to_a_finding_are_not_location(corpus):
    _assert_unannotated(
        corpus,
        r"\b(?:posterior|anterior|medial|lateral|superior|inferior) (?:aspect|margin) of the (?=\w*calc)",
        at_least=1,
    )
    _assert_unannotated(corpus, r"\banterior and posterior extent\b", at_least=2)
    for record, match in _assert_unannotated(
        corpus, r"\bno (?:definite )?central(?= (?:mass|nodule|lesion|lump))", at_least=3
    ):
        noun = _covering(record, match.end() + 1, match.end() + 2)
        assert noun["label"] == "MASS" and noun["negated"], record["id"]
    for record, match in _assert_unannotated(corpus, r"\bcentral(?= (ill-defined|indistinct|spiculated) )", at_least=2):
        assert _span(record, match.end() + 1, match.end(1))["label"] == "MARGIN"
    _assert_unannotated(corpus, r"\bin \d+-\d+ weeks\b", at_least=5)


def test_distance_ranges_and_field_values(corpus):
    _assert_spans(
        corpus, r"\b\d+(?:-|–| to )\d+ ?cm (?:from (?:the )?nipple|FN)\b|\b\d+-\d+ ?cmfn\b", "DISTANCE", at_least=5
    )
    _assert_spans(corpus, r"\b(?:Distance from nipple|FN) \(cm\): (\d+(?:\.\d+)?)", "DISTANCE", group=1)
    checked = 0
    for record in corpus:
        lines = record["text"].split("\n")
        for i, line in enumerate(lines):
            if " | " not in line or "FN (cm)" not in line:
                continue
            columns = [c.strip() for c in line.split("|")]
            want = {
                j: {
                    "FN (cm)": "DISTANCE",
                    "Size (mm)": "SIZE",
                    "BI-RADS": "BIRADS",
                    "BIRADS": "BIRADS",
                    "Side": "LATERALITY",
                }.get(c.replace("Dist. ", "").replace("Distance from nipple (cm)", "FN (cm)"))
                for j, c in enumerate(columns)
            }
            offset = sum(len(before) + 1 for before in lines[: i + 2])
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
    r"post-radiation changes?",
    r"postradiation changes",
    r"post-lumpectomy changes",
    r"post-reduction changes",
    r"post-excisional changes",
    r"post-traumatic changes",
    r"post-surgical scar",
    r"surgical clips",
    r"axillary LN",
    r"axillary lymph nodes",
    r"complicated cysts",
    r"microcysts",
    r"lipoma",
    r"galactocele",
    r"dilated duct",
    r"seroma",
    r"hematoma",
    r"fat necrosis",
    r"skin lesions?",
)


@pytest.mark.parametrize("form", OTHER_WHOLE)
def test_other_findings_are_whole_spans(corpus, form):
    hits = _hits(corpus, rf"(?<![\w-]){form}\b")
    assert len(hits) >= 3, (form, len(hits))
    for record, match in hits:
        span = _covering(record, match.start(), match.end())
        assert span is not None and span["label"] == "OTHER_FINDING", (record["id"], match.group(0))
        # "[solitary dilated duct]" is one lexicon term (v1.3)
        solitary = form == "dilated duct" and span["start"] == match.start() - len("solitary ")
        assert span["start"] == match.start() or solitary or form in ("hematoma", "lipoma", "microcysts"), (
            record["id"],
            match.group(0),
        )


def test_other_finding_boundaries_and_traps(corpus):
    _assert_spans(corpus, r"\bsolitary dilated duct\b", "OTHER_FINDING")
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
    _assert_spans(
        corpus,
        r"^Density: ((?:high|low|equal)(?: density)?)$",
        "MASS_DENSITY",
        group=1,
        flags=re.IGNORECASE | re.MULTILINE,
        at_least=1,
    )
    _assert_spans(corpus, r"^Margins?: ([\w-]+(?: [\w-]+)*) ?$", "MARGIN", group=1, flags=re.IGNORECASE | re.MULTILINE)
    _assert_spans(corpus, r"^Shape: ([\w-]+(?: [\w-]+)*) ?$", "SHAPE", group=1, flags=re.IGNORECASE | re.MULTILINE)
    _assert_spans(corpus, r"^Depth: ([\w-]+(?: [\w-]+)*) ?$", "LOCATION", group=1, flags=re.IGNORECASE | re.MULTILINE)
    _assert_unannotated(corpus, r"^(?:Shape|Margins?|Depth|Side|Density):", flags=re.IGNORECASE | re.MULTILINE)
    for record, match in _hits(
        corpus,
        r"^(Calcifications|Microcalcifications): (?:none|no|absent|\[ \] yes \[x\] no)$",
        flags=re.IGNORECASE | re.MULTILINE,
    ):
        span = _span(record, match.start(1), match.end(1))
        assert span["label"] == "CALCIFICATION" and span["negated"], record["id"]


def test_speech_recognition_forms(corpus):
    _assert_spans(corpus, r"\barchitectural distraction\b", "DISTORTION")
    _assert_spans(corpus, r"\bcalcification's", "CALCIFICATION")
    _assert_spans(corpus, r"\bin distinct\b", "MARGIN", at_least=1)
    _assert_spans(corpus, r"\bfocal a symmetry\b", "ASYMMETRY")
    _assert_spans(
        corpus,
        r"\b(?:ACR )?(?:BI-RADS®?|BIRADS|Bi-RADS|Birads|BI RADS|bi-rads|bi rads|Bi-Rads|by rads|bi-rad|Bi Rads)(?: cat"
        r"egory| Category| CATEGORY)? for [ABC]\b",
        "BIRADS",
        at_least=2,
    )
    _assert_spans(
        corpus,
        r"\b(?:ACR )?(?:BI-RADS®?|BIRADS|Bi-RADS|Birads|BI RADS|bi-rads|bi rads|Bi-Rads|by rads|bi-rad|Bi Rads) (?:equ"
        r"ivalent|Equivalent):? \w+",
        "BIRADS",
        at_least=2,
    )
    _assert_spans(corpus, r"\bBIRADS (?:II|III|IV|V|VI|I)\b", "BIRADS", at_least=1)
    _assert_spans(corpus, r"\bbi rads \d\b(?! ?[ABC]\b)", "BIRADS")


def test_birads_field_labels_and_non_shape_words(corpus):
    _assert_spans(corpus, r"\b(?:ACR )?BI-RADS Assessment: Category [0-6](?: ?[ABC])?\b", "BIRADS")
    for record, match in _hits(
        corpus,
        r"^(?:ASSESSMENT|Assessment|Final assessment): (BI-RADS [0-6](?: [ABC]|[ABC])?)(?!\w)",
        flags=re.MULTILINE,
    ):
        assert _span(record, match.start(1), match.end(1))["label"] == "BIRADS"
    _assert_spans(corpus, r"\bOverall: (Category [0-6][ABC]?)\b", "BIRADS", group=1)
    _assert_unannotated(corpus, r"\bround(?= \d)")
    _assert_unannotated(corpus, r"\blobular(?= carcinoma)")


# ---------------------------------------------------------------------------
# Real-world report text (guidelines v1.3)
# ---------------------------------------------------------------------------


def _label_at(record, match, group=0):
    span = _covering(record, match.start(group), match.end(group))
    return span and span["label"]


def test_spans_never_cross_a_line_break(corpus):
    for record in corpus:
        for span in record["spans"]:
            assert "\n" not in record["text"][span["start"] : span["end"]], record["id"]


def test_birads_value_on_the_next_line_is_the_span(corpus):
    hits = _hits(corpus, r"(?:BI-RADS|BIRADS)[A-Za-z ()]*:[ ]?\n+([0-6][ABC]?)\b", flags=re.IGNORECASE)
    assert len(hits) >= 10
    for record, match in hits:
        assert _span(record, match.start(1), match.end(1))["label"] == "BIRADS", record["id"]


def test_side_qualifier_stays_inside_the_birads_span(corpus):
    hits = _hits(
        corpus,
        r"\b(?:ACR )?BI-?RADS®?(?: [A-Za-z]+)*? ?(?:\((?:right|left|bilateral)[a-z ]*\)|, (?:right|left))",
    )
    assert len(hits) >= 10
    for record, match in hits:
        span = _covering(record, match.start(), match.end())
        assert span["label"] == "BIRADS" and span["start"] == match.start(), record["id"]
        assert record["text"][span["end"] - 1].isalnum() and not re.search(r"\d", match.group(0)), record["id"]


def test_measurements_with_units_on_each_number_and_volumes(corpus):
    _assert_spans(
        corpus,
        r"\b\d+(?:\.\d+)? ?(?:cm|mm) (?:x|X|by) \d+(?:\.\d+)? ?(?:cm|mm)(?: (?:x|X|by) \d+(?:\.\d+)? ?(?:cm|mm))?",
        "SIZE",
        at_least=20,
    )
    _assert_spans(corpus, r"\((\d+\.\d ?(?:cc|mL|ml|cm3|cm³|mm3|mm³))\)", "SIZE", group=1)
    _assert_spans(corpus, r"\((\d+\.\d ?(?:mm3|mm³))\)", "SIZE", group=1, at_least=1)
    _assert_spans(
        corpus,
        r"(?:measuring|measures) (\d+(?:\.\d+)?(?:-| to |–| - )\d+(?:\.\d+)? ?(?:mm|cm))\b",
        "SIZE",
        group=1,
        at_least=1,
    )


def test_generic_lesion_nouns_are_mass_in_every_kind_of_sentence(corpus):
    """v1.3: "lesion" is a MASS unless part of a named finding, in pathology and procedure prose too."""
    _assert_spans(corpus, r"\bboth (lesions|masses)\b", "MASS", group=1, at_least=2)
    _assert_spans(corpus, r"\bElastography shows the (lesion|mass)\b", "MASS", group=1)
    _assert_spans(corpus, r"\bneedle position through the (mass lesion|\w+)\b", "MASS", group=1, at_least=1, flags=0)


def test_ages_node_counts_and_levels_are_never_entities(corpus):
    _assert_unannotated(corpus, r"\b\d{1,3}[- ](?:year|yr)[- ]old\b|\b\d{1,3} (?:y/o|yo)\b", at_least=50)
    _assert_unannotated(
        corpus,
        r"\b(?:two|three|2|3|4|five|several) (?=(?:enlarged |abnormal )?(?:lymph nodes|axillary lymph nodes|nodes)\b)",
    )
    _assert_unannotated(corpus, r"\blevel (?:I|II)\b")
    _assert_unannotated(corpus, r"\bscreening round \d\b|\bround \d\b", at_least=1)


def test_region_phrases_and_axillary_region_are_one_location(corpus):
    _assert_spans(
        corpus, r"(?<![\w-])(?:inferior axilla|high axilla|deep central|upper inner)\b(?! quadrant)", "LOCATION"
    )
    _assert_spans(corpus, r"\band (axillary) ultrasound\b", "LOCATION", group=1, at_least=1)


@pytest.mark.parametrize(
    "form,label",
    [
        ("asymmetric density", "ASYMMETRY"),
        ("developing density", "ASYMMETRY"),
        ("skin tethering", "ASSOCIATED_FEATURE"),
        ("thickening of the skin", "ASSOCIATED_FEATURE"),
        ("trabecular coarsening", "ASSOCIATED_FEATURE"),
        ("nipple inversion", "ASSOCIATED_FEATURE"),
        ("inverted nipple", "ASSOCIATED_FEATURE"),
        ("mass lesion", "MASS"),
        ("parenchymal distortion", "DISTORTION"),
        ("micro- or macrocalcifications", "CALCIFICATION"),
        ("microlobulation", "MARGIN"),
        ("(?<!and )extracapsular rupture", "OTHER_FINDING"),
        ("(?<!intra- and )(?<!and )intracapsular rupture", "OTHER_FINDING"),
        ("silicone granuloma", "OTHER_FINDING"),
        ("lipoma", "OTHER_FINDING"),
        ("hamartoma", "OTHER_FINDING"),
        ("fibroepithelial lesion", "OTHER_FINDING"),
        ("nevus", "OTHER_FINDING"),
        ("PASH", "OTHER_FINDING"),
        ("duct ectasia", "OTHER_FINDING"),
        ("epidermal inclusion cyst", "OTHER_FINDING"),
        ("sebaceous cyst", "OTHER_FINDING"),
        ("silicone breast implants?", "OTHER_FINDING"),
        ("tissue expanders?", "OTHER_FINDING"),
    ],
)
def test_older_synonyms_and_open_vocabulary_are_whole_spans(corpus, form, label):
    # "[focal asymmetric density]" and "[myoid hamartoma]" are longer terms of their own
    _assert_spans(
        corpus, rf"(?<![\w-])(?<!focal )(?<!myoid ){form}\b", label, flags=0 if form.isupper() else re.IGNORECASE
    )


def test_implant_placement_words_stay_out(corpus):
    _assert_unannotated(corpus, r"\b(?:subpectoral|retroglandular|subglandular|prepectoral)\b", at_least=10)


def test_every_clip_is_annotated_without_its_type_word(corpus):
    hits = _hits(corpus, r"\bclips?\b")
    assert len(hits) >= 100
    for record, match in hits:
        context = record["text"][match.start() - 30 : match.end()]
        assert _label_at(record, match) == "OTHER_FINDING", (record["id"], context)
    typed = _assert_unannotated(
        corpus,
        r"\b(?:wing|ribbon|coil|HydroMARK|titanium|X)(?:-shaped)?(?= (?:marker |biopsy )?clip\b)",
        flags=0,
    )
    placement = _hits(corpus, r"\b(clip) placement\b")
    assert len(placement) >= 10 and typed
    for record, match in placement:
        assert _covering(record, match.start(1), match.end(1))["end"] == match.end(1), record["id"]


def test_margin_and_node_shape_words(corpus):
    _assert_spans(corpus, r"\b(irregular) margins\b", "MARGIN", group=1)
    _assert_spans(
        corpus,
        r"\b(oval|round|lobulated|reniform) (?:intramammary |axillary )?(?:lymph )?node\b",
        "SHAPE",
        group=1,
    )


def test_descriptor_words_of_other_things_are_not_annotated(corpus):
    _assert_unannotated(corpus, r"\bdiffuse(?=\sskin\sthickening)", flags=0)
    _assert_unannotated(
        corpus,
        r"\bDense(?= (?:but normal-appearing )?(?:lymph nodes|axillary|nodes))",
        flags=0,
        at_least=1,
    )
    _assert_unannotated(
        corpus,
        r"\b(?:hypoechoic|anechoic|isoechoic|parallel orientation|posterior acoustic \w+|internal vascularity)\b",
        at_least=50,
    )
    _assert_unannotated(corpus, r"\bscattered(?= (?:oil |simple )?(?:cysts|microcysts))", flags=re.IGNORECASE)


def test_negation_aimed_at_a_modality_leaves_the_finding_affirmed(corpus):
    hits = _hits(corpus, r"\bThe (\w+(?: \w+)?) (?:is|was) not (?:seen|visualized) on (?:ultrasound|MRI|the \w+ view)")
    hits += _hits(corpus, r"\bsonographic correlate (?:for|to) the (?:mammographic )?(\w+(?: \w+)?)\b")
    checked = 0
    for record, match in hits:
        span = _span(record, match.start(1), match.end(1))
        if span:
            assert not span["negated"], (record["id"], match.group(0))
            checked += 1
    assert checked >= 10


def test_a_denied_descriptor_is_negated_alone(corpus):
    hits = _hits(corpus, r"\bnot classic ((?:fine )?pleomorphic|fine linear branching) (\w+)")
    assert hits
    for record, match in hits:
        assert _span(record, match.start(1), match.end(1))["negated"], record["id"]
        assert not _span(record, match.start(2), match.end(2))["negated"], record["id"]


def test_mri_text(corpus):
    _assert_unannotated(
        corpus,
        r"\b(?:linear|clumped|stippled|clustered ring|rim|heterogeneous|homogeneous)(?= (?:non-mass |internal )?enhanc"
        r"ement)",
    )
    _assert_unannotated(
        corpus, r"(?<=enhancement\sin\sa\s)(?:linear|segmental|regional|focal|ductal)(?=\sdistribution)", at_least=1
    )
    _assert_unannotated(
        corpus,
        r"\b(?:linear|segmental|regional|focal) (?=(?:clumped|stippled|heterogeneous|homogeneous|clustered ring) enhan"
        r"cement)",
        at_least=2,
    )
    _assert_unannotated(corpus, r"\bpunctate(?= foci of enhancement)", at_least=1)
    _assert_unannotated(
        corpus,
        r"\b(?:minimal|mild|moderate|marked)(?= and (?:a)?symmetric)|\btype I+ \((?:washout|plateau|persistent)\)",
    )
    _assert_unannotated(corpus, r"\b(?:linguine|keyhole|teardrop|salad oil) sign\b", at_least=1)
    for form in ("free silicone", "internal mammary lymph nodes", "heterogeneous fibroglandular tissue"):
        _assert_spans(corpus, rf"\b{form}\b", "COMPOSITION" if "tissue" in form else "OTHER_FINDING")


def test_structured_list_headers_with_all_fields_zero_are_negated(corpus):
    zero = _hits(corpus, r"^(\w+(?: \w+)?):\s*(?:\n  |\n- )?Number: 0", flags=re.MULTILINE)
    some = _hits(corpus, r"^(\w+(?: \w+)?):\s*(?:\n  |\n- )?Number: [1-9]", flags=re.MULTILINE)
    assert len(zero) >= 10 and len(some) >= 3
    for record, match in zero:
        assert _span(record, match.start(1), match.end(1))["negated"], record["id"]
    for record, match in some:
        assert not _span(record, match.start(1), match.end(1))["negated"], record["id"]
    _assert_spans(corpus, r"\b(?:Lymph nodes|LN): ([Aa]xillary)\b", "LOCATION", group=1)


def test_procedure_and_case_report_text(corpus):
    _assert_unannotated(corpus, r"\bleft(?= the department)", at_least=5)
    _assert_unannotated(corpus, r"\b\d{1,2}(?:-gauge| gauge)\b", at_least=10)
    _assert_unannotated(
        corpus,
        r"\b(?:\d+|two|three|four|five|six)(?= (?:passes|cores|core samples|samples|specimens)\b)",
    )
    # an anaesthetic or an aspirate is not a finding: its volume is not a SIZE
    _assert_unannotated(corpus, r"\b\d+ (?:mL|cc) of (?:1% lidocaine|[a-z -]*fluid)")
    _assert_unannotated(corpus, r"^(?:Case|CASE|Clinical case) \d+", flags=re.MULTILINE)
    _assert_spans(
        corpus,
        r"(?:Pathology|PATHOLOGY RESULTS): (fibroadenoma|stromal fibrosis|sclerosing adenosis|fibrocystic changes)\b",
        "OTHER_FINDING",
        group=1,
        at_least=1,
    )
    _assert_unannotated(corpus, r"\b(?:invasive ductal|invasive lobular) carcinoma\b", at_least=5)
    presented = _hits(corpus, r"\bA \d+(?:-year-old| year old| y/o| yo|-yr-old) (?:woman|man) presented with\b")
    assert len(presented) >= 10
    classified = _hits(corpus, r"\bclassified as ")
    assert len(classified) >= 3
    for record, match in classified:
        span = _covering(record, match.end(), match.end() + 1)
        assert span["label"] == "BIRADS" and span["start"] == match.end(), record["id"]
    _assert_unannotated(corpus, r"\bthe BI-RADS (?:classification|lexicon)\b", at_least=1)


def test_hard_wrap_breaks_only_spaces_outside_spans():
    text = "Irregular spiculated mass in the upper outer quadrant of the right breast measuring 1 cm x 0.7 cm."
    spans = [{"start": m.start(), "end": m.end()} for m in re.finditer(r"upper outer quadrant|1 cm x 0\.7 cm", text)]
    for width in (20, 30, 45):
        wrapped = hard_wrap(text, spans, width)
        assert len(wrapped) == len(text) and wrapped.replace("\n", " ") == text
        assert all("\n" not in wrapped[s["start"] : s["end"]] for s in spans)
        assert "\n" in wrapped and all(len(line) <= width + len("upper outer quadrant") for line in wrapped.split("\n"))


def test_some_reports_are_hard_wrapped(corpus):
    def wrapped(text):
        return max(map(len, text.split("\n"))) <= 80 and len(re.findall(r"[a-z,]\n[a-z]", text)) >= 2

    share = sum(wrapped(record["text"]) for record in corpus) / len(corpus)
    assert 0.05 <= share <= 0.25, share


def test_study_abstracts_annotate_birads_values_in_prose_and_leave_the_classification(corpus):
    """Study prose: "[BI-RADS 4] category was assigned", "subtypes [4a], [4b], and [4c]", "[BIRADS > 3]";
    "the BI-RADS category" and "the BI-RADS lexicon" (no value) stay out."""
    _assert_spans(corpus, r"\b(BI-?RADS [345]) category was assigned", "BIRADS", group=1)
    _assert_spans(corpus, r"subtypes (4 ?[aA]), (4 ?[bB]), and 4 ?[cC]", "BIRADS", group=1)
    _assert_spans(corpus, r"subtypes 4 ?[aA], (4 ?[bB]), and 4 ?[cC]", "BIRADS", group=1)
    _assert_spans(corpus, r"BI-?RADS ≥ ?[34]|BIRADS > 3", "BIRADS", at_least=2)
    _assert_unannotated(corpus, r"\bto determine the (BI-RADS category)", group=1, at_least=1)
    _assert_unannotated(corpus, r"\bACR (BI-RADS) lexicon", group=1)


def test_study_abstracts_leave_groups_topics_and_pathology_attributes(corpus):
    _assert_unannotated(corpus, r"\bthe (?:low-risk|malignant|benign|control|medium-high-risk) group\b")
    _assert_unannotated(corpus, r"\btumor (?:type|grade)\b")
    _assert_unannotated(corpus, r"\bthe shape, margin, orientation\b", at_least=1)
    # distribution words of non-mass enhancement are not calcification distributions
    _assert_unannotated(corpus, r"with segmental or linear distribution and clustered ring enhancement", at_least=1)


def test_study_abstracts_annotate_descriptor_lists_and_coordinated_findings(corpus):
    _assert_spans(corpus, r"\((?:OR: )?[\d.]+%?\), and (\w+) (?:\(OR: [\d.]+\) )?distributions", "CALC_DISTRIBUTION", 1)
    _assert_spans(
        corpus, r"intracapsular and extracapsular rupture|intra- and extracapsular rupture", "OTHER_FINDING", at_least=1
    )
    _assert_spans(corpus, r"postoperative or post-biopsy changes", "OTHER_FINDING", at_least=1)
    _assert_spans(
        corpus,
        r"patients with (dense|extremely dense|heterogeneously dense) breasts",
        "COMPOSITION",
        group=1,
        at_least=1,
    )


def test_figure_panel_letters_and_articles_are_never_composition(corpus):
    """Panel letters of figure legends ("(A, B)", "(b)") and a sentence-initial "A" are not density letters."""
    _assert_unannotated(corpus, r"\(([AB]), B\)|\(([abc])\) (?:Mammogram|Spot|Specimen)", at_least=2)
    _assert_unannotated(corpus, r"(?:^|\. |\n)(A) \d+(?:-year-old| yo| y/o)", group=1, flags=re.MULTILINE)
