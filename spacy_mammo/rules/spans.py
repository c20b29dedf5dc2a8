"""Span helpers shared by the lexicon matcher, the rule baseline and the tagger."""

from typing import Iterable, List, Sequence, Tuple

import numpy
from spacy.tokens import Doc, Span

Match = Tuple[int, int, str]


def longest_first(candidates: Iterable[Match]) -> List[Match]:
    """Non-overlapping matches, longest first, then leftmost (`spacy.util.filter_spans`
    for character offsets); empty matches are dropped.

    candidates (Iterable[Tuple[int, int, str]]): (start, end, label) matches, possibly overlapping.
    RETURNS (List[Tuple[int, int, str]]): The chosen matches, sorted by position.
    """
    ordered = sorted((c for c in candidates if c[1] > c[0]), key=lambda c: (c[0] - c[1], c[0]))
    if not ordered:
        return []
    taken = bytearray(max(c[1] for c in ordered))
    chosen = []
    for start, end, label in ordered:
        if 1 not in taken[start:end]:
            taken[start:end] = b"\x01" * (end - start)
            chosen.append((start, end, label))
    return sorted(chosen)


def merge_ents(doc: Doc, spans: Sequence[Span], *, overwrite: bool) -> None:
    """Set `doc.ents` from new spans: replacing the doc's entities, or (overwrite=False)
    keeping them and adding only the spans that overlap none of them.

    doc (Doc): The doc.
    spans (Sequence[Span]): Non-overlapping new entities of the doc.
    overwrite (bool): Whether the new spans replace the existing entities.
    """
    if overwrite or not doc.ents:
        doc.ents = spans
        return
    taken = numpy.zeros(len(doc), dtype=bool)
    for ent in doc.ents:
        taken[ent.start : ent.end] = True
    kept = [s for s in spans if not taken[s.start : s.end].any()]
    doc.ents = sorted(list(doc.ents) + kept, key=lambda s: s.start)
