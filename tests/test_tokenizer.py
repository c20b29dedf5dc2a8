"""The mammography tokenizer: the guideline's tokenization traps, English
behaviour elsewhere, registry resolution and serialization."""

import json
import subprocess
import sys

import pytest
import spacy

from spacy_mammo.tokenizer import blank_mammo_nlp, create_mammo_tokenizer


@pytest.fixture(scope="module")
def nlp():
    return blank_mammo_nlp()


@pytest.fixture(scope="module")
def english():
    return spacy.blank("en")


TRAPS = [
    ("BI-RADS 4A.", ["BI", "-", "RADS", "4A", "."]),
    ("Category 4B.", ["Category", "4B", "."]),
    ("ACR density C.", ["ACR", "density", "C", "."]),
    ("Density: C.", ["Density", ":", "C", "."]),
    ("Mass in the R.", ["Mass", "in", "the", "R", "."]),
    ("seen on the L.", ["seen", "on", "the", "L", "."]),
    ("Mass.", ["Mass", "."]),
    ("[x] b. Scattered", ["[", "x", "]", "b", ".", "Scattered"]),
    ("density c.", ["density", "c", "."]),
    ("No change in the Mass.", ["No", "change", "in", "the", "Mass", "."]),
    ("R2:00 mass", ["R", "2:00", "mass"]),
    ("mass at L10:00.", ["mass", "at", "L", "10:00", "."]),
    ("(R12:00)", ["(", "R", "12:00", ")"]),
    ("LUOQ", ["L", "UOQ"]),
    ("RUOQ", ["R", "UOQ"]),
    ("LUIQ", ["L", "UIQ"]),
    ("RLOQ.", ["R", "LOQ", "."]),
    ("LLIQ,", ["L", "LIQ", ","]),
    ("BI-RADS:4A", ["BI", "-", "RADS", ":", "4A"]),
    ("BIRADS:2", ["BIRADS", ":", "2"]),
    ("mass.no", ["mass", ".", "no"]),
    ("left breast.no mass.", ["left", "breast", ".", "no", "mass", "."]),
    ("~1cm", ["~", "1", "cm"]),
    ("6cmfn", ["6", "cmfn"]),
    ("4CMFN", ["4", "CMFN"]),
    ("(≤10 mm)", ["(", "≤", "10", "mm", ")"]),
    ("BI-RADS≥4", ["BI", "-", "RADS", "≥", "4"]),
    ("scores 1(57.46%)", ["scores", "1", "(", "57.46", "%", ")"]),
    # publishers' non-breaking and Unicode hyphens split like "-"
    ("ill\u2011defined", ["ill", "\u2011", "defined"]),
    ("nipple\u2010sparing", ["nipple", "\u2010", "sparing"]),
]


@pytest.mark.parametrize("text,expected", TRAPS)
def test_traps_are_split(nlp, text, expected):
    assert [t.text for t in nlp(text)] == expected


# Forms the guidelines say English already handles, or that stay whole on
# purpose (a glued token carrying one label, a vertebra "L5", a time stamp).
AS_ENGLISH = ["4 cmfn", "10 o'clock", "10 o\u2019clock", "4cm", "10x6x8mm", "birads4", "L5", "14:05", "3:00.", "LIQ"]


@pytest.mark.parametrize("text", AS_ENGLISH)
def test_forms_kept_as_english(nlp, english, text):
    assert [t.text for t in nlp(text)] == [t.text for t in english(text)]


def test_expected_splits_of_english_forms(nlp):
    assert [t.text for t in nlp("4 cmfn")] == ["4", "cmfn"]
    assert [t.text for t in nlp("10 o'clock")] == ["10", "o'clock"]
    assert [t.text for t in nlp("10 o\u2019clock")] == ["10", "o\u2019clock"]
    assert [t.text for t in nlp("4cm")] == ["4", "cm"]


@pytest.mark.parametrize(
    "text,start,end",
    [("mass 10x6x8mm", 5, 13), ("birads4 noted", 0, 7), ("BI-RADS 4A.", 0, 10), ("R2:00", 0, 1), ("R2:00", 1, 5)],
)
def test_guideline_spans_align(nlp, text, start, end):
    assert nlp(text).char_span(start, end, alignment_mode="strict") is not None


ENGLISH_TEXTS = [
    "Dr. Smith arrived at 3 p.m. on Jan. 5th, and the U.S. team didn't wait.",
    "She said: \"It's fine\" -- e.g. the well-known results (see Fig. 2) weren't bad!",
    "Prices rose 4.5% to $12.50; visit https://example.com/a?b=1 or mail jo@example.org.",
    "The 3rd-quarter results: revenue of 1,200 units, i.e. up 10x over 2019's.",
    "Mr. and Mrs. Jones live on St. James Rd. in Washington, D.C. Isn't that nice?",
    "He's going to New York City... or maybe not?! We'll see :)",
]


@pytest.mark.parametrize("text", ENGLISH_TEXTS)
def test_ordinary_english_unchanged(nlp, english, text):
    assert [t.text for t in nlp(text)] == [t.text for t in english(text)]


def test_registry_resolves():
    factory = spacy.registry.tokenizers.get("spacy-mammo.Tokenizer.v1")
    assert factory is create_mammo_tokenizer
    nlp = blank_mammo_nlp()
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "spacy-mammo.Tokenizer.v1"


def test_rules_travel_in_bytes(nlp):
    # The rules are tokenizer data, so a default tokenizer loaded from our bytes splits the traps too.
    english = spacy.blank("en")
    english.tokenizer.from_bytes(nlp.tokenizer.to_bytes())
    for text, expected in TRAPS:
        assert [t.text for t in english(text)] == expected


def test_saved_pipeline_tokenizes_the_same_in_fresh_process(nlp, tmp_path):
    texts = [text for text, _ in TRAPS] + ENGLISH_TEXTS
    nlp.to_disk(tmp_path / "pipeline")
    # No spacy_mammo import: the tokenizer is found through the entry point.
    code = (
        "import json, sys, spacy\n"
        "nlp = spacy.load(sys.argv[1])\n"
        "texts = json.loads(sys.stdin.read())\n"
        "print(json.dumps([[t.text for t in nlp(x)] for x in texts]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "pipeline")],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(result.stdout)
    assert loaded == [[t.text for t in nlp(x)] for x in texts]
    assert loaded[0] == TRAPS[0][1]
