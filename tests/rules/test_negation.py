"""Tests for the rule-based assertion component `mammo_negation`."""

import random
import re

import pytest
import spacy
from spacy.tokens import Doc
from spacy.training import Example

from spacy_mammo.errors import MammoDataError
from spacy_mammo.labels import FINDING_LABELS
from spacy_mammo.rules.negation import (
    MammoNegation,
    clause_bounds,
    negation_accuracy,
    uncertainty_accuracy,
    within_one_edit,
)

from .markup import make_doc, parse


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("mammo_negation")
    return nlp


# Each case marks every entity; unmarked ones must come out False.
CASES = [
    # Pre-cue scope over a list of findings, with filler words.
    "No suspicious [[masses|MASS|neg]], [[calcifications|CALCIFICATION|neg]], or "
    "[[architectural distortion|DISTORTION|neg]].",
    "No [[spiculated|MARGIN|neg]] [[masses|MASS|neg]] in the [[right|LATERALITY]] breast.",
    "There is no [[mass|MASS|neg]] at [[10 o'clock|LOCATION]] in the [[left|LATERALITY]] breast.",
    "No new [[masses|MASS|neg]], [[calcifications|CALCIFICATION|neg]] or areas of "
    "[[architectural distortion|DISTORTION|neg]] are seen in either breast.",
    "Without [[skin thickening|ASSOCIATED_FEATURE|neg]] or [[nipple retraction|ASSOCIATED_FEATURE|neg]].",
    "Negative for [[axillary adenopathy|ASSOCIATED_FEATURE|neg]].",
    "The [[right|LATERALITY]] breast is free of [[masses|MASS|neg]].",
    "Absence of [[calcifications|CALCIFICATION|neg]].",
    "No evidence of [[architectural distortion|DISTORTION|neg]] or [[focal asymmetry|ASYMMETRY|neg]].",
    "No e/o [[mass|MASS|neg]].",
    "Neither [[mass|MASS|neg]] nor [[calcifications|CALCIFICATION|neg]] are present.",
    # Post-cues scope backward within the clause.
    "The previously seen [[focal asymmetry|ASYMMETRY|neg]] is not seen.",
    "The [[asymmetry|ASYMMETRY|neg]] in the [[left|LATERALITY]] breast is no longer visualized.",
    "The [[cyst|OTHER_FINDING|neg]] and [[calcifications|CALCIFICATION|neg]] have resolved.",
    "The [[irregular|SHAPE|neg]] [[mass|MASS|neg]] has resolved.",
    "[[Skin thickening|ASSOCIATED_FEATURE|neg]] is absent.",
    # Templates.
    "[[Masses|MASS|neg]]: none",
    "[[Calcifications|CALCIFICATION|neg]]: nil",
    "[[Calcifications|CALCIFICATION|neg]]: [ ] yes [x] no",
    "[[Calcifications|CALCIFICATION]]: [x] yes [ ] no",
    "[[Masses|MASS|neg]]: [x] no [ ] yes",
    "[[Architectural distortion|DISTORTION|neg]]: absent\n[[Masses|MASS]]: present",
    # Terminators end a forward scope.
    "No [[masses|MASS|neg]], but there are [[calcifications|CALCIFICATION]] in the [[left|LATERALITY]] breast.",
    "No [[mass|MASS|neg]]; [[amorphous|CALC_MORPHOLOGY]] [[calcifications|CALCIFICATION]] at [[2:00|LOCATION]].",
    "No [[masses|MASS|neg]] are seen. [[Calcifications|CALCIFICATION]] are benign.",
    "No [[calcifications|CALCIFICATION|neg]] extend beyond the [[mass|MASS]].",
    "No [[masses|MASS|neg]] other than the known [[cyst|OTHER_FINDING]].",
    "No [[mass|MASS|neg]] however a [[focal asymmetry|ASYMMETRY]] is present.",
    "No mammographic correlate to the palpable [[lump|MASS]].",
    "No [[mass|MASS|neg]] is seen and there is a [[cyst|OTHER_FINDING]] at [[3 o'clock|LOCATION]].",
    "No suspicious findings with the exception of a [[cyst|OTHER_FINDING]].",
    # Not negation.
    "No change in the [[mass|MASS]] at [[2:00|LOCATION]].",
    "No interval change in the known benign [[calcifications|CALCIFICATION]].",
    "No significant change in [[post-surgical changes|OTHER_FINDING]].",
    "The [[asymmetry|ASYMMETRY]] has not resolved.",
    "The [[mass|MASS]] is not palpable.",
    "Stable [[oval|SHAPE]] [[mass|MASS]] in the [[right|LATERALITY]] breast.",
    "[[Punctate|CALC_MORPHOLOGY]] [[calcifications|CALCIFICATION]] at [[1:00|LOCATION]], "
    "not present on the prior exam.",
    # Uncertainty.
    "Possible [[focal asymmetry|ASYMMETRY|unc]] in the [[left|LATERALITY]] breast.",
    "Questionable [[distortion|DISTORTION|unc]] in the [[UOQ|LOCATION]].",
    "A small [[mass|MASS|unc]] cannot be excluded.",
    "The [[mass|MASS]] may represent a [[fibroadenoma|OTHER_FINDING|unc]].",
    "[[Calcifications|CALCIFICATION]] suspicious for malignancy.",
    "[[Cyst|OTHER_FINDING|unc]] versus [[fibroadenoma|OTHER_FINDING|unc]].",
    "[[Distortion|DISTORTION|unc]] is not excluded.",
    # Hypothetical: neither.
    "The breasts are [[heterogeneously dense|COMPOSITION]], which may obscure small [[masses|MASS]].",
    "Dense tissue can obscure small [[masses|MASS]] and [[calcifications|CALCIFICATION]].",
    # Never negated labels.
    "No [[masses|MASS|neg]] in the [[upper outer quadrant|LOCATION]] of the [[left|LATERALITY]] breast, "
    "[[4 cm from the nipple|DISTANCE]].",
    "No [[BI-RADS 4|BIRADS]] findings.",
    "Not [[extremely dense|COMPOSITION]].",
    # Typos in long one-word cues; "within" is not "without".
    "[[Mass|MASS]] withuot [[skin thickening|ASSOCIATED_FEATURE|neg]].",
    "[[Masses|MASS|neg]] and [[calcs|CALCIFICATION|neg]] are absnt.",
    "[[Calcifications|CALCIFICATION]] within the [[mass|MASS]].",
    "The [[focal asymmetry|ASYMMETRY]] resolves on spot compression.",
    # Several clauses in one report.
    "[[Right|LATERALITY]] breast: no [[masses|MASS|neg]].\n[[Left|LATERALITY]] breast: [[irregular|SHAPE]] "
    "[[mass|MASS]] at [[2:00|LOCATION]] measuring [[1.2 cm|SIZE]].",
    "Benign [[calcifications|CALCIFICATION]]. No [[masses|MASS|neg]].",
    "A [[1.2 x 0.9 cm|SIZE]] [[mass|MASS]] is present. No other [[masses|MASS|neg]].",
]


def assert_flags(nlp, marked, names):
    """Run the component on the markup's entities and compare the named flags with the marked ones."""
    doc = nlp.get_pipe("mammo_negation")(make_doc(nlp, marked))
    _, spans = parse(marked)
    got = [(e.text,) + tuple(getattr(e._, name) for name in names) for e in doc.ents]
    want = [(doc.text[s:e],) + tuple(name in flags for name in names) for s, e, _, flags in spans]
    assert got == want


@pytest.mark.parametrize("marked", CASES)
def test_assertion_cases(nlp, marked):
    assert_flags(nlp, marked, ("negated", "uncertain"))


def test_never_negated_labels_stay_false(nlp):
    doc = make_doc(
        nlp,
        "No [[right|LATERALITY]] [[UOQ|LOCATION]] [[1 cm|SIZE]] [[4 cm FN|DISTANCE]] "
        "[[scattered fibroglandular tissue|COMPOSITION]] [[BI-RADS 2|BIRADS]] [[mass|MASS]].",
    )
    doc = nlp.get_pipe("mammo_negation")(doc)
    assert [e.label_ for e in doc.ents if e._.negated] == ["MASS"]


def test_in_pipeline_call_and_pipe_agree():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "MASS", "pattern": [{"LOWER": {"IN": ["mass", "masses"]}}]},
            {"label": "CALCIFICATION", "pattern": [{"LOWER": "calcifications"}]},
        ]
    )
    nlp.add_pipe("mammo_negation")
    texts = ["No masses or calcifications.", "A mass. Calcifications have resolved.", "", "Possible mass."]
    flags = lambda doc: [(e.text, e._.negated, e._.uncertain) for e in doc.ents]
    assert [flags(d) for d in nlp.pipe(texts)] == [flags(nlp(t)) for t in texts]
    assert flags(nlp(texts[1])) == [("mass", False, False), ("Calcifications", True, False)]
    assert flags(nlp(texts[3])) == [("mass", False, True)]


def test_empty_and_entityless_docs(nlp):
    for text in ["", "   ", "\n\n", "No masses. No calcifications."]:
        doc = nlp(text)
        assert list(doc.ents) == []


def test_resets_stale_flags(nlp):
    doc = make_doc(nlp, "Benign [[calcifications|CALCIFICATION|neg|unc]].", flags=True)
    assert doc.ents[0]._.negated
    doc = nlp.get_pipe("mammo_negation")(doc)
    assert not doc.ents[0]._.negated and not doc.ents[0]._.uncertain


def test_uses_doc_sents_when_set(nlp):
    doc = make_doc(nlp, "No [[mass|MASS|neg]] here and also [[calcifications|CALCIFICATION|neg]]")
    assert doc.ents[1]._.negated is False
    doc = nlp.get_pipe("mammo_negation")(doc)
    assert doc.ents[1]._.negated
    doc2 = make_doc(nlp, "No [[mass|MASS|neg]] here and also [[calcifications|CALCIFICATION]]")
    for token in doc2:
        token.is_sent_start = token.i == 0 or token.text == "and"
    doc2 = nlp.get_pipe("mammo_negation")(doc2)
    assert [e._.negated for e in doc2.ents] == [True, False]
    assert len(clause_bounds(doc2)) == 2


def test_clause_bounds_do_not_split_numbers_or_entities(nlp):
    doc = make_doc(
        nlp, "A [[1.2 cm|SIZE]] [[mass|MASS]]. [[Cyst|OTHER_FINDING]] vs. [[fibroadenoma|OTHER_FINDING]]; end"
    )
    texts = [doc.text[s:e].strip() for s, e in clause_bounds(doc)]
    assert texts == ["A 1.2 cm mass.", "Cyst vs. fibroadenoma;", "end"]


def test_cue_lists_are_configurable():
    nlp = spacy.blank("en")
    nlp.add_pipe("mammo_negation", config={"pre_negation": ["kein"], "post_negation": []})
    doc = make_doc(nlp, "kein [[mass|MASS|neg]]. No [[calcifications|CALCIFICATION]].")
    doc = nlp.get_pipe("mammo_negation")(doc)
    assert [e._.negated for e in doc.ents] == [True, False]


def test_empty_cue_is_a_data_error():
    with pytest.raises(MammoDataError):
        spacy.blank("en").add_pipe("mammo_negation", config={"pre_negation": ["no", " "]})


def test_typo_cues_can_be_switched_off():
    nlp = spacy.blank("en")
    nlp.add_pipe("mammo_negation", config={"typo_cues": []})
    doc = nlp.get_pipe("mammo_negation")(make_doc(nlp, "[[Mass|MASS]] withuot [[skin thickening|ASSOCIATED_FEATURE]]."))
    assert not doc.ents[1]._.negated


def test_within_one_edit():
    assert within_one_edit("withuot", "without") and within_one_edit("absnt", "absent")
    assert within_one_edit("resolvd", "resolved") and within_one_edit("xabsent", "absent")
    assert not within_one_edit("within", "without") and not within_one_edit("absent", "absent")
    assert not within_one_edit("absence", "absent")


def test_config_round_trip(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("mammo_negation", config={"pseudo": ["no change", "sans change"]})
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert loaded.pipe_names == ["mammo_negation"]
    assert loaded.get_pipe_config("mammo_negation")["pseudo"] == ["no change", "sans change"]
    marked = "No change in the [[mass|MASS]]. No [[masses|MASS|neg]]."
    doc = loaded.get_pipe("mammo_negation")(make_doc(loaded, marked))
    assert [e._.negated for e in doc.ents] == [False, True]


def test_component_declares_assigns_and_requires(nlp):
    meta = nlp.get_pipe_meta("mammo_negation")
    assert set(meta.assigns) == {"span._.negated", "span._.uncertain", "span._.historical", "span._.family"}
    assert meta.requires == ["doc.ents"]


def test_long_doc_is_handled(nlp):
    marked = "\n".join(CASES * 5)
    doc = nlp.get_pipe("mammo_negation")(make_doc(nlp, marked))
    _, spans = parse(marked)
    assert len(doc.ents) == len(spans)
    assert sum(e._.negated for e in doc.ents) == sum("negated" in flags for *_, flags in spans)


def test_negation_accuracy_counts(nlp):
    component = nlp.get_pipe("mammo_negation")
    gold = [make_doc(nlp, m, flags=True) for m in CASES]
    pred = [component(make_doc(nlp, m)) for m in CASES]
    # Flip one prediction and drop one predicted entity to check the bookkeeping.
    flipped = next(e for e in pred[0].ents if e.label_ in FINDING_LABELS)
    flipped._.negated = not flipped._.negated
    dropped = pred[1].ents[1]
    pred[1].ents = [e for e in pred[1].ents if e != dropped]
    scores = negation_accuracy(gold, pred)
    n_gold = sum(e.label_ in FINDING_LABELS for d in gold for e in d.ents)
    assert scores["gold_findings"] == n_gold
    assert scores["unmatched"] == int(dropped.label_ in FINDING_LABELS)
    assert scores["matched"] == n_gold - scores["unmatched"]
    assert scores["correct"] == scores["matched"] - 1
    assert scores["accuracy"] == pytest.approx(scores["correct"] / scores["matched"])
    assert scores["tp"] + scores["fp"] + scores["fn"] + scores["tn"] == scores["matched"]


def test_negation_accuracy_label_must_match(nlp):
    gold = [make_doc(nlp, "No [[mass|MASS|neg]].", flags=True)]
    pred = [make_doc(nlp, "No [[mass|OTHER_FINDING]].")]
    scores = negation_accuracy(gold, pred)
    assert scores["matched"] == 0 and scores["accuracy"] is None


def test_negation_accuracy_rejects_mismatched_input(nlp):
    gold = [make_doc(nlp, "No [[mass|MASS|neg]].", flags=True)]
    with pytest.raises(MammoDataError):
        negation_accuracy(gold, [])
    with pytest.raises(MammoDataError) as info:
        negation_accuracy(gold, [make_doc(nlp, "No [[masses|MASS]].")])
    assert "mass" not in str(info.value).lower()


def test_importing_module_registers_factory():
    assert "mammo_negation" in spacy.registry.factories.get_all()
    assert isinstance(spacy.blank("en").add_pipe("mammo_negation"), MammoNegation)
    assert Doc.has_extension("findings")


def test_cue_patterns_grouped_by_first_character_match_like_one_flat_alternation():
    """The grouped pattern finds exactly the matches of the plain longest-first alternation."""
    from spacy_mammo.rules import negation

    phrases = negation.DEFAULT_PRE_NEGATION + negation.DEFAULT_PSEUDO + negation.DEFAULT_TERMINATORS
    flat = re.compile(
        "|".join(negation.phrase_pattern(p) for p in sorted(set(phrases), key=len, reverse=True)), re.IGNORECASE
    )
    grouped = negation._compile(phrases)
    words = sorted({w for p in phrases for w in p.split()}) + ["mass", "left", ",", "-", "NO", "Without"]
    rng = random.Random(0)
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 25)))
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in flat.finditer(text)], text


def _scored_examples(nlp, cases, *, gold_uncertainty=True):
    """Examples whose predicted docs carry the markup's entities (no flags) and whose
    reference docs carry the gold flags (only `negated` when not gold_uncertainty)."""
    examples = []
    for marked in cases:
        reference = make_doc(nlp, marked, flags=gold_uncertainty)
        if not gold_uncertainty:
            for ent, (*_, marked_flags) in zip(reference.ents, parse(marked)[1]):
                ent._.negated = "negated" in marked_flags
        examples.append(Example(make_doc(nlp, marked), reference))
    return examples


def test_nlp_evaluate_reports_negation_and_uncertainty_accuracy(nlp):
    examples = _scored_examples(nlp, CASES)
    scores = nlp.evaluate(examples)
    component = nlp.get_pipe("mammo_negation")
    gold = [eg.reference for eg in examples]
    pred = [component(eg.predicted.copy()) for eg in examples]
    assert scores["neg_acc"] == negation_accuracy(gold, pred)["accuracy"]
    assert scores["unc_acc"] == uncertainty_accuracy(gold, pred)["accuracy"]
    assert scores["neg_acc"] is not None and scores["unc_acc"] is not None


def test_uncertainty_is_scored_only_where_the_gold_carries_it(nlp):
    """Guideline gold (a JSONL file, a converted .spacy) has `negated` only."""
    scores = nlp.evaluate(_scored_examples(nlp, CASES, gold_uncertainty=False))
    assert scores["neg_acc"] is not None
    assert scores["unc_acc"] is None


def test_negation_scores_are_training_columns_next_to_the_entity_scores():
    """spaCy's training table shows every score weight that is not None."""
    nlp = spacy.blank("en")
    nlp.add_pipe("mammo_ner")
    nlp.add_pipe("mammo_negation")
    weights = nlp.config["training"]["score_weights"]
    assert weights["neg_acc"] == 0.0 and weights["ents_f"] > 0
    assert weights["unc_acc"] is None


def test_spacy_evaluate_reports_negation_accuracy(trained_nlp, tmp_path):
    """`spacy evaluate --per-component` gives neg_acc for a packaged-style pipeline."""
    from spacy.cli.evaluate import evaluate as spacy_evaluate
    from spacy.tokens import DocBin

    from ..conftest import REPORTS, make_examples, parse_markup

    trained_nlp.to_disk(tmp_path / "trained")
    nlp = spacy.load(tmp_path / "trained")
    nlp.add_pipe("mammo_negation")
    nlp.to_disk(tmp_path / "model")
    references = [eg.reference for eg in make_examples(nlp)]
    for doc, marked in zip(references, REPORTS):
        negated = {(s, e) for s, e, _, neg in parse_markup(marked)[1] if neg}
        for ent in doc.ents:
            if (ent.start_char, ent.end_char) in negated:
                ent._.negated = True
    DocBin(docs=references, store_user_data=True).to_disk(tmp_path / "gold.spacy")
    scores = spacy_evaluate(str(tmp_path / "model"), tmp_path / "gold.spacy", per_component=True)
    expected = negation_accuracy(references, [nlp(doc.text) for doc in references])["accuracy"]
    assert expected is not None
    assert scores["mammo_negation"]["neg_acc"] == pytest.approx(expected)
    assert scores["mammo_ner"]["ents_f"] > 0.5


# Each case marks every entity's expected historical / family flag; unmarked ones must come out False.
CONTEXT_CASES = [
    "History of [[fibroadenoma|OTHER_FINDING|hist]] in the [[left|LATERALITY]] breast.",
    "Status post lumpectomy with [[post-surgical changes|OTHER_FINDING|hist]] at [[12:00|LOCATION]].",
    "S/p benign biopsy, [[clip|OTHER_FINDING|hist]] in place.",
    "Prior biopsy [[clip|OTHER_FINDING|hist]] in the [[right|LATERALITY]] breast.",
    "Known [[fibroadenoma|OTHER_FINDING|hist]], stable.",
    "The previously seen [[asymmetry|ASYMMETRY|neg|hist]] is not seen.",
    "Prior [[BI-RADS 3|BIRADS|hist]] assessment.",
    "The [[fibroadenoma|OTHER_FINDING|hist]] was excised in 2004.",
    "Compared with prior, the [[mass|MASS]] has grown.",
    "Known history of [[cyst|OTHER_FINDING|hist]], now with a new [[mass|MASS]].",
    "Mother with [[fibroadenoma|OTHER_FINDING|fam]].",
    "Family history of [[calcifications|CALCIFICATION|fam]]; patient has a [[mass|MASS]].",
    "No prior [[masses|MASS|neg|hist]].",
    "No [[masses|MASS|neg]] or [[calcifications|CALCIFICATION|neg]] compared to the prior.",
    "CLINICAL HISTORY: Palpable [[lump|MASS|hist]] in the [[left|LATERALITY]] breast.\n\n"
    "FINDINGS: There is a [[mass|MASS]] at [[2:00|LOCATION]].",
    "COMPARISON: 2023 ([[BI-RADS 2|BIRADS|hist]]).\nThe breasts are [[fatty|COMPOSITION]].",
    "FAMILY HISTORY: Sister with [[fibroadenoma|OTHER_FINDING|fam]].\n\nIMPRESSION: [[BI-RADS 1|BIRADS]].",
]


@pytest.mark.parametrize("marked", CONTEXT_CASES)
def test_historical_and_family_cases(nlp, marked):
    assert_flags(nlp, marked, ("negated", "historical", "family"))


def test_context_cues_do_not_change_negation(nlp):
    """Negation flags of the assertion cases stay as they were with the new cue families."""
    plain = spacy.blank("en")
    plain.add_pipe(
        "mammo_negation",
        config={
            "historical": [],
            "historical_near": [],
            "post_historical": [],
            "family": [],
            "context_terminators": [],
        },
    )
    for marked in CASES + CONTEXT_CASES:
        with_context = nlp.get_pipe("mammo_negation")(make_doc(nlp, marked))
        without = plain.get_pipe("mammo_negation")(make_doc(plain, marked))
        assert [e._.negated for e in with_context.ents] == [e._.negated for e in without.ents], marked
        assert ":" in marked or not any(e._.historical or e._.family for e in without.ents)


def test_findings_take_the_context_flags(nlp):
    nlp2 = spacy.blank("en")
    nlp2.add_pipe("mammo_negation")
    nlp2.add_pipe("mammo_findings")
    marked = "History of [[fibroadenoma|OTHER_FINDING]]. Mother with [[cyst|OTHER_FINDING]]. [[Mass|MASS]] at 2:00."
    doc = make_doc(nlp2, marked)
    for name in nlp2.pipe_names:
        doc = nlp2.get_pipe(name)(doc)
    assert [(f["historical"], f["family"]) for f in doc._.findings] == [(True, False), (False, True), (False, False)]
