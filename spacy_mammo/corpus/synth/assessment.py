"""Assessment lines in the layouts real reports use.

The BIRADS span runs from the keyword to the value, with a field label or a side qualifier between them
("[BI-RADS category (right breast): 3]"). When the keyword and the value stand on different lines the
bare value is the span ("BI-RADS Category:" / "[4] - Suspicious"), because a span never crosses a line
break. The verbal meaning after the value stays out.
"""

from typing import Dict, List, Optional

from .findings import Generator
from .template import Piece, ent, tidy, txt
from .vocabulary import BIRADS_VERBAL, NUMBER_WORDS

# keyword lines that are followed by the value on the next line
_KEY_LINES = (
    "BI-RADS Category:",
    "ACR BI-RADS Category:",
    "BI-RADS ASSESSMENT CATEGORY:",
    "BI-RADS Assessment Category:",
    "Final Assessment (BI-RADS):",
    "BI-RADS:",
    "BIRADS CATEGORY:",
    "Overall BI-RADS Category:",
)


def pick_cat(g: Generator) -> str:
    return g.pick(("0", "0", "1", "1", "1", "2", "2", "2", "3", "3", "4", "4A", "4A", "4B", "4C", "5", "6"))


def split_assessment(g: Generator, cat: str) -> List[Piece]:
    """The keyword on one line and the bare value on the next: "ACR BI-RADS Category:\\n[5]: Highly ..."."""
    verbal = g.pick(BIRADS_VERBAL[cat])
    tail = g.pick((f" - {verbal}", f": {verbal}", f" {verbal}", f" ({verbal})", f"\n{verbal}", ""))
    return [txt(g.pick(_KEY_LINES) + g.pick(("\n", "\n", "\n\n", " \n"))), ent(cat, "BIRADS"), txt(tail)]


def side_assessment(g: Generator, side: str, cat: str) -> List[Piece]:
    """A side qualifier between keyword and value, inside the span: "[BI-RADS category (left breast): 5]"."""
    key = g.pick(("BI-RADS", "BI-RADS", "ACR BI-RADS", "BIRADS", "BI-RADS®"))
    word = g.pick((side, side.capitalize(), side.upper()))
    breast = g.pick((" breast", " breast", "", " Breast")) if side != "bilateral" else ""
    qualifier = g.pick((f" ({word}{breast})", f" ({word}{breast})", f", {word}{breast}", f" - {word}{breast}"))
    middle = g.pick((" category", " Category", " Assessment Category", " CATEGORY", ""))
    span = key + middle + qualifier + g.pick((": ", ": ", " ", ": Category ")) + cat
    verbal = g.pick(BIRADS_VERBAL[cat])
    return [ent(span, "BIRADS"), txt(g.pick((f" - {verbal}", f": {verbal}", "", f" ({verbal})")))]


def assessment_line(g: Generator, cat: str, sides: Optional[Dict[str, str]] = None) -> List[Piece]:
    """One assessment line (or one per side) for category `cat`.

    sides (Optional[Dict[str, str]]): Side -> category, when each breast gets its own assessment.
    """
    verbal = g.pick(BIRADS_VERBAL[cat])
    slots = {"bir": lambda: g.birads(cat), "verbal": [txt(verbal)]}
    if sides and g.p(0.4):
        parts: List[Piece] = []
        for i, (side, c) in enumerate(sides.items()):
            parts += ([txt("\n")] if i else []) + side_assessment(g, side, c)
        return parts
    if sides and g.p(0.6):
        parts = []
        for i, (side, c) in enumerate(sides.items()):
            if i:
                parts.append(txt(g.pick((". ", "\n", "; "))))
            parts += g.fill(
                g.pick(
                    ("{Side}: {bir}[[ - {verbal}]]", "{Side} breast: {bir}", "{SIDE} BREAST: {bir}[[: {verbal}]]")
                ).replace("{verbal}", g.pick(BIRADS_VERBAL[c])),
                {"side": lambda side=side: g.lat(side), "bir": lambda c=c: g.birads(c)},
            )
        return tidy(parts + [txt(".")])
    if g.p(0.12):
        return split_assessment(g, cat)
    if g.p(0.05):
        return side_assessment(g, "bilateral", cat)
    tpls = [
        "{Bir}: {verbal}.",
        "{Bir} - {verbal}.",
        "{Bir}.",
        "{Bir} ({verbal}).",
        "Overall: {bir}.",
        "[[Final assessment|Overall assessment|Assessment|ASSESSMENT]]: {bir}[[ - {verbal}| {verbal}]].",
        "{verbal}. {Bir}.",
        "Final assessment category: {bir}.",
        "Assessment: {cat} - {verbal}.",
        "ASSESSMENT: {cat}: {verbal}",
        "Final assessment: {bir}.",
        "[[Overall|OVERALL]]: {cat}[[ - {verbal}| ({verbal})]].",
        "Overall {bir}[[ - {verbal}]].",
    ]
    slots["cat"] = lambda: [
        ent(
            g.pick(("Category ", "Category ", "CATEGORY ", "Category: "))
            + (cat if g.p(0.9) else NUMBER_WORDS.get(cat, cat)),
            "BIRADS",
        )
    ]
    return g.fill(g.pick(tpls), slots)
