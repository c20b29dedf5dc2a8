"""Typing and dictation noise: typos, misspellings, speech-recognition slips, glued full stops."""

import random
import re
from typing import List, Tuple

from .surface import Writer
from .template import Piece
from .vocabulary import DICTATION, MISSPELLINGS

# spans whose label depends on the word after them
_LABEL_FROM_NEXT_WORD = ("either", "both", "irregular")


def _typo_word(rng: random.Random, word: str) -> str:
    i = rng.randint(1, len(word) - 3)
    op = rng.random()
    if op < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op < 0.8:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def add_noise(g: Writer, pieces: List[Piece]) -> Tuple[List[Piece], bool]:
    rng = g.rng
    out: List[Piece] = []
    for i, (text, label, neg) in enumerate(pieces):
        if label is not None:
            low = text.lower()
            # spaCy keeps an all-caps "CALCIFICATION'S." as one token: no possessive slip before a full stop
            before_stop = i + 1 < len(pieces) and pieces[i + 1][0].startswith(".")
            if g.typo_rate and low in MISSPELLINGS and rng.random() < g.typo_rate * 6:
                variant = rng.choice(MISSPELLINGS[low])
                text = variant[0].upper() + variant[1:] if text[0].isupper() else variant
            elif (
                low in DICTATION and rng.random() < DICTATION[low][1] and not (before_stop and low == "calcifications")
            ):
                variant = rng.choice(DICTATION[low][0])
                text = variant[0].upper() + variant[1:] if text[0].isupper() else variant
        elif g.typo_rate:
            # the word that gives a span its label keeps its spelling: "either breast", "irregular margins"
            keep = i > 0 and pieces[i - 1][1] is not None and pieces[i - 1][0].lower() in _LABEL_FROM_NEXT_WORD
            text = re.sub(
                r"\b[a-z]{6,}\b",
                lambda m: (
                    m.group(0)
                    if keep and m.start() <= 1 or rng.random() >= g.typo_rate
                    else _typo_word(rng, m.group(0))
                ),
                text,
            )
        if label is None and rng.random() < 0.03:
            text = text.replace(". ", ".  ", 1)
        if label is None and rng.random() < 0.03:
            text = text.replace("\n", " \n", 1)
        out.append((text, label, neg))
    # publishers' HTML writes non-breaking hyphens ("ill\u2011defined"); same length, so offsets hold
    if rng.random() < 0.02:
        out = [(text.replace("-", "\u2011"), label, neg) for text, label, neg in out]
    # a full stop with the following space dropped ("mass.no"): rare dictation slip
    glued = False
    if rng.random() < 0.03:
        for i in range(1, len(out)):
            text, label, neg = out[i]
            if (
                label is None
                and text.startswith(". No ")
                and re.search(r"[a-z]{2}$", out[i - 1][0] if out[i - 1][1] else "")
            ):
                out[i] = (".no " + text[5:], None, False)
                glued = True
                break
    return out, glued


def hard_wrap(text: str, spans: List[dict], width: int) -> str:
    """Break lines longer than `width` at their last space, as fixed-width report exports do.

    Spaces become line breaks (same length, so offsets hold); spaces inside spans are never used,
    because a span never crosses a line break.
    """
    inside = bytearray(len(text))
    for span in spans:
        inside[span["start"] : span["end"]] = b"\x01" * (span["end"] - span["start"])
    chars = list(text)
    line_start, last_space = 0, -1
    for i, char in enumerate(chars):
        if char == "\n":
            line_start, last_space = i + 1, -1
            continue
        if char == " " and not inside[i]:
            last_space = i
        if i - line_start >= width and last_space > line_start:
            chars[last_space] = "\n"
            line_start, last_space = last_space + 1, -1
    return "".join(chars)
