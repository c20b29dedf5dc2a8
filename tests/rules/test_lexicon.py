"""The BI-RADS lexicon: terms per label and regexes for the open classes."""

import pytest

from spacy_mammo.corpus.synth import generate_reports, literature, studies
from spacy_mammo.labels import LABELS
from spacy_mammo.rules.lexicon import PATTERNS, TERMS, compiled_patterns, entity_ruler_patterns, iter_terms
from spacy_mammo.rules.lexicon_match import HYPHENS, lexicon_spans

PATTERN_CASES = {
    "SIZE": [
        "12 x 8 mm",
        "1.2 x 0.9 x 1.0 cm",
        "one centimeter",
        "10x6x8mm",
        "1.2 cm",
        "12mm",
        "1cm",
        "12 × 8 mm",
        "1.2 x 0.8",
    ],
    "DISTANCE": [
        "4 cm from the nipple",
        "4 cm FN",
        "6 cmfn",
        "6cmfn",
        "4cm from nipple",
        "4 centimeters from the nipple",
    ],
    "LOCATION": [
        "10 o'clock",
        "10:00",
        "10-11 o'clock",
        "ten thirty",
        "12:00",
        "10 o’clock",
        "9:30 o'clock",
        "2:00-3:00",
    ],
    "BIRADS": [
        "BI-RADS 4A",
        "BI-RADS category 4",
        "BIRADS: 2",
        "ACR BI-RADS 0",
        "BI-RADS zero",
        "bi rads 2",
        "birads4",
        "BIRADS III",
        "BI-RADS Assessment: Category 1",
        "BI-RADS 4 A",
        "BI-RADS:4A",
        "Bi-Rads® 5",
    ],
    "COMPOSITION": ["ACR density C", "ACR C", "ACR category B", "ACR D"],
}


def _full_match(label, text):
    return any(regex.fullmatch(text) for regex in compiled_patterns()[label])


def test_terms_cover_labels_and_are_clean():
    assert set(TERMS) <= set(LABELS) and set(PATTERNS) <= set(LABELS)
    covered = {label for label, terms in TERMS.items() if terms} | set(PATTERNS)
    assert covered == set(LABELS)
    for label, terms in TERMS.items():
        assert len(set(terms)) == len(terms), label
        for term in terms:
            assert term == term.lower().strip() and "  " not in term, (label, term)


@pytest.mark.parametrize(
    "label,term",
    [
        ("LOCATION", "upper outer quadrant"),
        ("LOCATION", "uoq"),
        ("LOCATION", "liq"),
        ("LOCATION", "retroareolar"),
        ("LATERALITY", "rt"),
        ("LATERALITY", "lt"),
        ("CALCIFICATION", "calcs"),
        ("CALCIFICATION", "calcifictions"),
        ("COMPOSITION", "scattered fgt"),
        ("COMPOSITION", "heterogenously dense"),
        ("OTHER_FINDING", "imln"),
        ("OTHER_FINDING", "ln"),
        ("DISTORTION", "ad"),
        ("MARGIN", "speculated"),
        ("MASS", "tumour"),
        ("CALC_MORPHOLOGY", "fine linear branching"),
        ("ASYMMETRY", "focal a symmetry"),
        ("ASSOCIATED_FEATURE", "axillary lad"),
        ("OTHER_FINDING", "haematoma"),
    ],
)
def test_term_present(label, term):
    assert term in TERMS[label]


@pytest.mark.parametrize("label,text", [(label, text) for label, texts in PATTERN_CASES.items() for text in texts])
def test_pattern_matches_whole_form(label, text):
    assert _full_match(label, text)


def test_unicode_hyphens_match_like_ascii():
    assert lexicon_spans("an ill\u2011defined margin") == lexicon_spans("an ill-defined margin") == [(3, 14, "MARGIN")]


def test_clock_pattern_skips_time_stamps_and_vertebrae():
    location = compiled_patterns()["LOCATION"]
    for text in ("Exam date 04/05/2023 14:05", "at 17:45:12", "L5"):
        assert not any(regex.search(text) for regex in location), text


def test_birads_category_after_assessment_keeps_keyword_out():
    matches = {m.group(0) for regex in compiled_patterns()["BIRADS"] for m in regex.finditer("Assessment: Category 4A")}
    assert matches == {"Category 4A"}


def test_density_category_needs_density_context():
    composition = compiled_patterns()["COMPOSITION"]
    text = "Breast composition category B density. Assessment category 4."
    found = [m.group(0) for regex in composition for m in regex.finditer(text)]
    assert found == ["category B"]


def test_iter_terms_longest_first():
    lengths = [len(term) for _, term in iter_terms()]
    assert lengths == sorted(lengths, reverse=True)


def test_entity_ruler_patterns_find_terms():
    from spacy_mammo.tokenizer import blank_mammo_nlp

    nlp = blank_mammo_nlp()
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(entity_ruler_patterns())
    doc = nlp("Fine linear branching calcifications in the left upper-outer quadrant. No architectural distortion.")
    found = {(ent.text, ent.label_) for ent in doc.ents}
    assert {
        ("Fine linear branching", "CALC_MORPHOLOGY"),
        ("calcifications", "CALCIFICATION"),
        ("left", "LATERALITY"),
        ("upper-outer quadrant", "LOCATION"),
        ("architectural distortion", "DISTORTION"),
    } <= found


def test_lexicon_covers_generated_forms():
    """Every generated span of a closed class is a lexicon term, and every open-class span matches a regex
    (in context: some patterns look around the span), except bare values whose label comes from a table
    column or a form field, and the journal prose's open vocabulary, written beyond the lexicon on purpose."""
    patterns = compiled_patterns()
    open_vocabulary = literature.OPEN_VOCABULARY | studies.OPEN_VOCABULARY
    missing = []
    for record in generate_reports(300, seed=11):
        full = record["text"].translate(HYPHENS)  # as the matcher sees it
        for span in record["spans"]:
            start, end, label = span["start"], span["end"], span["label"]
            text = full[start:end]
            if text.lower() in TERMS.get(label, ()) or text.lower() in open_vocabulary:
                continue
            if any((m := r.match(full, start)) and m.end() == end for r in patterns.get(label, ())):
                continue
            bare_value = text.replace(".", "").replace(" x ", "").replace("x", "").isdigit() or len(text) <= 2
            field_value = label in ("DISTANCE", "BIRADS", "LOCATION", "MASS_DENSITY") and text.lower() in (
                {f"{n} cm" for n in range(1, 15)}
                | {"mid", "high", "low", "equal"}
                | {f"category {c}" for c in "0123456"}
            )
            if not (bare_value or field_value or text.lower().startswith("category") or text.lower().endswith(" cm")):
                missing.append((label, text))
    assert not missing, missing[:20]
