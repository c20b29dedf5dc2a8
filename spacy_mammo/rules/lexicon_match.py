"""Match the BI-RADS lexicon (`lexicon.TERMS`, `lexicon.PATTERNS`) against text.

Used twice: as a feature of the neural tagger (each token's lexicon BIO tag)
and as the rule-based baseline that the learned model has to beat.
"""

import re
from functools import lru_cache
from typing import List, Tuple

import numpy
from spacy.tokens import Doc

from ..labels import LABELS
from .spans import longest_first

# Tag 0 is "no match"; label i has B = 1 + 2i and I = 2 + 2i.
N_LEXICON_TAGS = 1 + 2 * len(LABELS)
_LABEL_INDEX = {label: i for i, label in enumerate(LABELS)}
# Unicode hyphens match the lexicon's "-" (one character for one, so offsets hold).
HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})


@lru_cache(maxsize=1)
def _compiled() -> Tuple[Tuple[str, "re.Pattern[str]"], ...]:
    from .lexicon import PATTERNS, TERMS

    compiled = []
    for label in LABELS:
        alternatives = [re.escape(term) for term in sorted(set(TERMS.get(label, ())), key=len, reverse=True)]
        alternatives += [f"(?:{pattern})" for pattern in PATTERNS.get(label, ())]
        if alternatives:
            # Lookarounds instead of \b so that terms ending in punctuation still match.
            regex = r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])"
            compiled.append((label, re.compile(regex, re.IGNORECASE)))
    return tuple(compiled)


def lexicon_spans(text: str) -> List[Tuple[int, int, str]]:
    """Non-overlapping (start, end, label) lexicon matches, longest first, then leftmost."""
    text = text.translate(HYPHENS)
    return longest_first(
        (match.start(), match.end(), label) for label, regex in _compiled() for match in regex.finditer(text)
    )


def lexicon_tag_ids(doc: Doc) -> numpy.ndarray:
    """Each token's lexicon BIO tag id (0 outside any match), int64 of length len(doc).

    A match covers every token it touches (like `char_span(alignment_mode="expand")`).
    """
    tags = numpy.zeros(len(doc), dtype="int64")
    matches = lexicon_spans(doc.text)
    if not matches or not len(doc):
        return tags
    starts = doc.to_array("IDX").astype("int64")
    ends = starts + doc.to_array("LENGTH").astype("int64")
    for start, end, label in matches:
        first = int(numpy.searchsorted(ends, start, side="right"))
        last = int(numpy.searchsorted(starts, end, side="left"))
        if first >= last:
            continue
        index = _LABEL_INDEX[label]
        tags[first] = 1 + 2 * index
        tags[first + 1 : last] = 2 + 2 * index
    return tags
