"""Property tests of the trained pipeline: any text goes through `nlp` and
`nlp.pipe`, and the entities that come out are well-formed."""

import random

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from spacy_mammo.labels import LABELS
from spacy_mammo.ner.bio import doc_bio_tags

from ..conftest import REPORTS, parse_markup

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that stress tokenizers and encoders: controls, bidi marks, RTL
# scripts, emoji with joiners and skin tones, combining marks, odd spaces.
AWKWARD = [
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u200b",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202e",
    "\u2066",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffd",
    "\u00a0",
    "\u3000",
    "\t",
    "\r\n",
    "\n\n\n",
    "\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627",
    "\U0001f469\u200d\u2695\ufe0f",
    "\U0001f44d\U0001f3fd",
    "\U0001f1fa\U0001f1f8",
    "e\u0301\u0301\u0301",
    "\ufdfd",
    "\U0001d54f",
    "BI-RADS 4A.",
    "10 o\u2019clock",
    "R2:00",
    "mass.no",
    "1.2 x 0.8 cm",
]


def replace_lone_surrogates(text: str) -> str:
    """Keep surrogate pairs, replace lone surrogates with U+FFFD (spaCy's
    tokenizer cannot hash them, so callers must clean text this way)."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


any_text = st.one_of(
    st.text(max_size=300),
    st.text(st.characters(categories=["Cs"]) | st.characters(), max_size=200).map(replace_lone_surrogates),
    st.lists(st.sampled_from(AWKWARD) | st.text(max_size=8), max_size=40).map("".join),
    st.text(st.sampled_from(".,;:!?-()[]/\\'\"*#%&@_~`^|<>{}"), min_size=1, max_size=200),
    st.text(st.sampled_from("0123456789"), min_size=1, max_size=200),
    st.text(st.sampled_from("0123456789 .,x\n"), min_size=1, max_size=200),
    st.sampled_from([parse_markup(r)[0] for r in REPORTS]).flatmap(
        lambda report: st.lists(st.sampled_from(AWKWARD), max_size=5).map(lambda extra: "".join(extra) + report)
    ),
)


def _long_text(n_chars: int) -> str:
    """A long mixture of report text, awkward pieces and random code points."""
    rng = random.Random(0)
    reports = [parse_markup(r)[0] for r in REPORTS]
    pieces = []
    while sum(map(len, pieces)) < n_chars:
        pieces.append(rng.choice(reports + AWKWARD + [chr(rng.randrange(0x20, 0x3000)) * rng.randrange(1, 20)]))
    return replace_lone_surrogates("".join(pieces)[:n_chars])


def check_doc(doc, text):
    """The doc keeps the text; entities lie inside it, never overlap, carry known
    labels and decode to valid BIO."""
    assert doc.text == text
    previous_end = 0
    for ent in doc.ents:
        assert previous_end <= ent.start < ent.end <= len(doc)
        assert ent.label_ in LABELS
        previous_end = ent.end
    previous = "O"
    for tag in doc_bio_tags(doc):
        assert tag == "O" or tag[:2] in ("B-", "I-")
        if tag.startswith("I-"):
            assert previous in (f"B-{tag[2:]}", tag)
        previous = tag


@PROPERTY_SETTINGS
@given(text=any_text)
@example(text="")
@example(text=" \n\t\u3000")
@example(text="\u202e\u0645\u0631\u062d\u0628\u0627 BI-RADS 4 \U0001f469\u200d\u2695\ufe0f")
@example(text=_long_text(100_000))
def test_any_text_gives_well_formed_entities(trained_nlp, text):
    check_doc(trained_nlp(text), text)


@settings(PROPERTY_SETTINGS, max_examples=20)
@given(texts=st.lists(any_text, max_size=4), batch_size=st.integers(1, 3))
def test_pipe_matches_call(trained_nlp, texts, batch_size):
    docs = list(trained_nlp.pipe(texts, batch_size=batch_size))
    assert len(docs) == len(texts)
    for doc, text in zip(docs, texts):
        check_doc(doc, text)
        alone = trained_nlp(text)
        assert [(e.start, e.end, e.label_) for e in doc.ents] == [(e.start, e.end, e.label_) for e in alone.ents]


def test_lone_surrogates_are_replaced_not_dropped():
    assert replace_lone_surrogates("a\ud800b\U0001f600") == "a\ufffdb\U0001f600"
