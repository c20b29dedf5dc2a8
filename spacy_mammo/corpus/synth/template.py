"""Report pieces and the template language.

A report is built by appending pieces, each either plain text or an annotated
span, so character offsets are exact by construction. Sentences come from
small templates: `[[a|b]]` picks one option, `[[a]]` keeps its text half of
the time, `{slot}` inserts pieces from a slot (`{Slot}` capitalises its first
letter, `{slot!}` marks its spans as negated where the guidelines allow).
"""

import random
import re
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

from ...labels import NEVER_NEGATED

# (text, label or None, negated)
Piece = Tuple[str, Optional[str], bool]
SlotValue = Union[List[Piece], Callable[[], List[Piece]]]

_CHOICE = re.compile(r"\[\[([^\[\]]*)\]\]")
_SLOT = re.compile(r"\{(\w+)(!?)\}")


def txt(text: str) -> Piece:
    """A plain-text piece."""
    return (text, None, False)


def ent(text: str, label: str, negated: bool = False) -> Piece:
    """An annotated piece; `negated` is dropped for labels that are never negated."""
    return (text, label, negated and label not in NEVER_NEGATED)


def negate(pieces: List[Piece]) -> List[Piece]:
    return [ent(text, label, True) if label else (text, None, False) for text, label, _ in pieces]


def capitalize(pieces: List[Piece]) -> List[Piece]:
    out = list(pieces)
    for i, (text, label, neg) in enumerate(out):
        if text.strip():
            j = len(text) - len(text.lstrip())
            out[i] = (text[:j] + text[j].upper() + text[j + 1 :], label, neg)
            break
    return out


def choose(rng: random.Random, template: str) -> str:
    while True:
        match = _CHOICE.search(template)
        if match is None:
            return template
        options = match.group(1).split("|")
        if len(options) == 1:
            pick = options[0] if rng.random() < 0.5 else ""
        else:
            pick = rng.choice(options)
        template = template[: match.start()] + pick + template[match.end() :]


def fill(rng: random.Random, template: str, slots: Dict[str, SlotValue]) -> List[Piece]:
    """Render one template into pieces.

    rng (random.Random): The generator's random state.
    template (str): Template text with `[[choices]]` and `{slots}`.
    slots (Dict[str, SlotValue]): Slot name (lowercase) -> pieces or a callable giving them.
    RETURNS (List[Piece]): The tidied pieces.
    """
    text = choose(rng, template)
    pieces: List[Piece] = []
    pos = 0
    for match in _SLOT.finditer(text):
        pieces.append(txt(text[pos : match.start()]))
        name, bang = match.group(1), match.group(2)
        value = slots[name.lower()]
        value = value() if callable(value) else list(value)
        if bang:
            value = negate(value)
        if name[0].isupper():
            value = capitalize(value)
        pieces.extend(value)
        pos = match.end()
    pieces.append(txt(text[pos:]))
    return tidy(pieces)


def needs_an(word: str) -> bool:
    low = word.lower()
    if re.match(r"(8|11\b|18\b|11[ .x]|18[ .x])", low):
        return True
    if low.startswith(("one", "uni", "use", "usu", "ul ")) or re.match(r"u[a-z]{0,2}q\b", low):
        return low.startswith(("ul ",))
    if low.startswith(("uoq", "uiq")):
        return False
    return bool(re.match(r"[aeiou]", low)) or bool(re.match(r"(ln|lmlo|lcc|mri|rcc|rmlo|imln|ad\b|acr|fgt)", low))


def _merge(pieces: List[Piece]) -> List[Piece]:
    """Join neighbouring text pieces and drop empty ones."""
    merged: List[Piece] = []
    for piece in pieces:
        if not piece[0]:
            continue
        if piece[1] is None and merged and merged[-1][1] is None:
            merged[-1] = txt(merged[-1][0] + piece[0])
        else:
            merged.append(piece)
    return merged


def tidy(pieces: List[Piece]) -> List[Piece]:
    """Merge text pieces, collapse spaces, fix punctuation spacing and a/an."""
    merged = _merge(pieces)
    out: List[Piece] = []
    for i, (text, label, neg) in enumerate(merged):
        if label is None:
            text = re.sub(r" {2,}", " ", text)
            text = re.sub(r" +([,.;:)])", r"\1", text)
            text = re.sub(r"\( +", "(", text)
            text = re.sub(r"\b([Aa]) (?=(\w+))", lambda m: m.group(1) + ("n " if needs_an(m.group(2)) else " "), text)
            if text.endswith((" a ", " A ")) or text in ("a ", "A "):
                nxt = merged[i + 1][0] if i + 1 < len(merged) else ""
                if needs_an(nxt):
                    text = text[:-1] + "n "
        out.append((text, label, neg))
    if out and out[0][1] is None:
        out[0] = txt(out[0][0].lstrip())
    if out and out[-1][1] is None:
        out[-1] = txt(out[-1][0].rstrip())
    return [piece for piece in out if piece[0]]


def tidy_keep(pieces: List[Piece]) -> List[Piece]:
    """Merge text pieces and drop empty ones, keeping the whitespace as written."""
    out = _merge(pieces)
    if out and out[0][1] is None:
        out[0] = txt(out[0][0].lstrip())
    return [p for p in out if p[0]]


def assemble(pieces: Sequence[Piece]) -> Tuple[str, List[dict]]:
    parts: List[str] = []
    spans: List[dict] = []
    pos = 0
    for text, label, neg in pieces:
        if label is not None:
            spans.append({"start": pos, "end": pos + len(text), "label": label, "negated": bool(neg)})
        parts.append(text)
        pos += len(text)
    return "".join(parts), spans
