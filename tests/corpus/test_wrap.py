from hypothesis import given, settings
from hypothesis import strategies as st

from spacy_mammo.corpus.wrap import hard_wrap, wrap_records

TEXT = "There is no evidence of mass or calcifications in the right breast upper outer quadrant. BI-RADS 1."


def test_wrapping_keeps_characters_and_offsets_and_line_width():
    wrapped = hard_wrap(TEXT, 30)
    assert len(wrapped) == len(TEXT)
    assert wrapped.replace("\n", " ") == TEXT
    assert all(len(line) <= 30 for line in wrapped.split("\n"))
    assert "\n" in wrapped


def test_spaces_inside_protected_spans_stay():
    start = TEXT.index("upper outer quadrant")
    span = (start, start + len("upper outer quadrant"))
    for width in range(8, 40):
        wrapped = hard_wrap(TEXT, width, [span])
        assert "\n" not in wrapped[span[0] : span[1]]


def test_records_keep_their_spans():
    record = {"id": "1", "text": TEXT, "spans": [{"start": 54, "end": 59, "label": "LATERALITY"}]}
    (out,) = wrap_records([record], 20)
    assert out["spans"] == record["spans"] and out["text"][54:59] == "right" and out["text"] != TEXT


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab \n", max_size=120), st.integers(min_value=1, max_value=30))
def test_wrapping_only_ever_turns_spaces_into_newlines(text, width):
    wrapped = hard_wrap(text, width)
    assert len(wrapped) == len(text)
    assert all(a == b or (a == " " and b == "\n") for a, b in zip(text, wrapped))
    for line in wrapped.split("\n"):
        # a line passes the width only when it holds no space where it could have been broken
        assert len(line) <= width or " " not in line[: width + 1]
