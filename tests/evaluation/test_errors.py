from spacy.training import Example

from spacy_mammo.evaluation.errors import analyse, classify_errors, error_listing, errors_as_dicts, summary_table
from spacy_mammo.tokenizer import blank_mammo_nlp

TEXT = "Irregular spiculated mass in the right breast at 10 o'clock. BI-RADS 4A."


def _doc(nlp, spans):
    doc = nlp.make_doc(TEXT)
    doc.ents = [doc.char_span(TEXT.index(s), TEXT.index(s) + len(s), label) for s, label in spans]
    return doc


def test_each_error_kind_is_named_once():
    nlp = blank_mammo_nlp()
    gold = _doc(
        nlp,
        [
            ("Irregular", "SHAPE"),
            ("spiculated", "MARGIN"),
            ("mass", "MASS"),
            ("right", "LATERALITY"),
            ("10 o'clock", "LOCATION"),
            ("BI-RADS 4A", "BIRADS"),
        ],
    )
    pred = _doc(
        nlp,
        [
            ("Irregular", "SHAPE"),
            ("spiculated", "SHAPE"),
            ("right breast", "LATERALITY"),
            ("in the", "LOCATION"),
            ("10", "DISTANCE"),
            ("BI-RADS 4A", "BIRADS"),
        ],
    )
    kinds = {(e.kind, e.gold_text, e.pred_text) for e in classify_errors(pred, gold, "r1")}
    assert kinds == {
        ("label", "spiculated", "spiculated"),
        ("missed", "mass", ""),
        ("boundary", "right", "right breast"),
        ("boundary+label", "10 o'clock", "10"),
        ("spurious", "", "in the"),
    }
    spurious = [e for e in classify_errors(pred, gold) if e.kind == "spurious"]
    assert [(e.pred_text, e.label) for e in spurious] == [("in the", "LOCATION")]


def test_a_perfect_prediction_has_no_errors_and_the_table_totals_them():
    nlp = blank_mammo_nlp()
    gold = _doc(nlp, [("mass", "MASS"), ("right", "LATERALITY")])
    assert classify_errors(gold, gold) == []
    pred = _doc(nlp, [("mass", "MASS")])
    errors = analyse([Example(pred, gold)], doc_ids=["report-7"])
    assert errors[0].doc_id == "report-7" and errors[0].kind == "missed"
    table = summary_table(errors)
    assert "| LATERALITY | 0 | 0 | 0 | 1 | 0 | 1 |" in table
    assert table.splitlines()[-1] == "| **all** | 0 | 0 | 0 | 1 | 0 | 1 |"
    listing = error_listing(errors)
    assert listing.startswith("## LATERALITY / missed (1)") and "report-7" in listing and "[right]" in listing
    assert errors_as_dicts(errors)[0]["gold"] == (33, 38, "LATERALITY")
