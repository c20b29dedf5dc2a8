"""Structured findings and report-level values from `doc.ents`.

`extract_findings(doc)` groups entities into findings, one per head entity
(MASS, CALCIFICATION, ASYMMETRY, DISTORTION, OTHER_FINDING, and an
ASSOCIATED_FEATURE that stands on its own). The grouping rules:

1. Clauses, sections and modality are those of `layout.report_layout`.
   Entities attach only within their clause. A SIZE, DISTANCE, LOCATION,
   BIRADS or COMPOSITION entity that is a count, age, gauge, date, time or
   accession number, or a bare number without a cue (`numbers.is_value`), is
   left out, whatever its label.
2. An ASSOCIATED_FEATURE joins the previous head of its clause (as one of its
   `associated_features`) when the text between them says "with", "associated"
   or "causing" and both have the same `negated`; else it is a head itself.
3. A descriptor, size, distance, location or laterality right before a head,
   with only other descriptors and filler words ("suspicious", "new"; "and"/"or"
   between descriptors; "of" after a distribution: "[cluster] of") between
   them, attaches forward to that head. Any other attaches backward to the
   previous head in the clause, or forward when the clause has none before it.
   A mass descriptor (SHAPE, MARGIN, MASS_DENSITY) prefers a mass-like head and
   a calcification descriptor a CALCIFICATION head when the other side has one.
4. A head without its own laterality takes the nearest one in its clause
   (preceding first); failing that, the last one named in an earlier clause of
   the same section; failing that, the side of the examination when its title,
   header or technique names one breast ("LEFT DIAGNOSTIC MAMMOGRAM"), or
   "bilateral" for a negated finding of a bilateral examination. Two sides, or
   "both"/"bilateral", give "bilateral".
5. A head without its own location takes the locations of the nearest earlier
   clause of the same section that names a location but no finding (a
   heading such as "Left breast, upper outer quadrant:").
6. A list of negated heads ("No masses, calcifications or distortion") gives
   one negated finding per head.
7. `historical` and `family` are the head's flags (set by `mammo_negation`), and
   a finding in a history or comparison section is historical, one in a family
   history section is family.

Findings hold character offsets, not the report text (patient data), unless
`include_text=True`; `FINDING_KEYS` lists their keys in order.
`report_summary(doc)` gives the breast composition letter and the BI-RADS
categories per breast; prior assessments (history and comparison sections,
historical entities) count only when the report has no other.
"""

import re
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import register_extensions
from ..labels import FINDING_LABELS
from .layout import ReportLayout, group_by_clause, report_layout
from .lesions import ATTRIBUTE_KEYS, group_lesions
from .normalize import (
    normalize_birads,
    normalize_clock,
    normalize_composition,
    normalize_laterality,
    parse_distance_cm,
    parse_size_mm,
)
from .numbers import is_value

__all__ = [
    "FINDING_KEYS",
    "MammoFindings",
    "extract_findings",
    "report_summary",
    "normalize_birads",
    "normalize_clock",
    "normalize_composition",
    "normalize_laterality",
    "parse_distance_cm",
    "parse_size_mm",
]

register_extensions()

# The keys of every finding, in output order ("text" follows with include_text=True).
FINDING_KEYS = (
    ("type", "start_char", "end_char", "section", "modality")
    + ATTRIBUTE_KEYS
    + ("negated", "uncertain", "historical", "family")
)
MASS_DESCRIPTORS = {"SHAPE": "shape", "MARGIN": "margin", "MASS_DENSITY": "density"}
CALC_DESCRIPTORS = {"CALC_MORPHOLOGY": "calc_morphology", "CALC_DISTRIBUTION": "calc_distribution"}
DESCRIPTORS = {**MASS_DESCRIPTORS, **CALC_DESCRIPTORS}
ATTRIBUTE_LABELS = set(DESCRIPTORS) | {"SIZE", "DISTANCE", "LOCATION", "LATERALITY"}
MASS_LIKE = {"MASS", "OTHER_FINDING", "ASYMMETRY"}
FILLER_WORDS = {
    "suspicious",
    "new",
    "stable",
    "dominant",
    "small",
    "large",
    "benign",
    "appearing",
    "faint",
    "few",
    "several",
    "multiple",
    "tiny",
    "partially",
    "partly",
    "very",
    "mildly",
    "slightly",
    "some",
    "additional",
    "known",
    "persistent",
    "possible",
    "probable",
    "probably",
    "questionable",
    "other",
    "sub",
    "centimeter",
    "subcentimeter",
    "similar",
    "like",
}
# Sections about the patient's past and earlier examinations, and about relatives: their
# findings are historical / family, their assessments count only when the report has no other.
HISTORY_KINDS = ("history", "comparison")
FAMILY_KINDS = ("family_history",)
PAST_KINDS = HISTORY_KINDS + FAMILY_KINDS
BIRADS_SEVERITY = ["1", "2", "3", "6", "0", "4", "4A", "4B", "4C", "5"]

_ATTACH_WORDS = re.compile(r"\b(?:with|associated|causing)\b", re.IGNORECASE)
_GAP_STOP = re.compile(r"[.;:()]")
_GAP_WORDS = re.compile(r"[a-z']+")
# A category after a BIRADS entity that holds only the keyword ("ACR BI-RADS Category:\n5: ...").
_VALUE_AFTER = re.compile(
    r"[ \t]*(?:\([^()\n]{0,30}\))?[ \t]*[:=-]?\s*(?P<value>(?:[0-6]|zero|one|two|three|four|five|six|iv|v?i{1,3}|v)"
    r"(?:[ \t]?[abc])?)(?![\w.)])",
    re.IGNORECASE,
)


class Ent(NamedTuple):
    """An entity as the findings read it: offsets, label, text and assertion flags."""

    start: int
    end: int
    label: str
    text: str
    negated: bool
    uncertain: bool
    historical: bool
    family: bool


def entities(doc: Doc, text: str) -> List[Ent]:
    """The doc's entities as `Ent`s, without the numbers that are no values (rule 1).

    doc (Doc): The document.
    text (str): `doc.text`.
    RETURNS (List[Ent]): The entities, in order.
    """
    found = []
    for span in doc.ents:
        start, end, label = span.start_char, span.end_char, span.label_
        if not is_value(label, text, start, end):
            continue
        flags = span._
        found.append(
            Ent(start, end, label, text[start:end], flags.negated, flags.uncertain, flags.historical, flags.family)
        )
    return found


def _gap_words(text: str, start: int, end: int, skip: Sequence[Ent]) -> Optional[List[str]]:
    pieces, pos = [], start
    for ent in skip:
        pieces.append(text[pos : ent.start])
        pos = ent.end
    pieces.append(text[pos:end])
    gap = " ".join(pieces).lower()
    if _GAP_STOP.search(gap):
        return None
    return _GAP_WORDS.findall(gap)


def _premodifies(text: str, ent: Ent, head: Ent, between: Sequence[Ent]) -> bool:
    if any(e.label not in ATTRIBUTE_LABELS for e in between):
        return False
    words = _gap_words(text, ent.end, head.start, between)
    if words is None or len(words) > 3:
        return False
    allowed = set(FILLER_WORDS)
    if ent.label in DESCRIPTORS:
        allowed |= {"and", "or"}
    if ent.label == "CALC_DISTRIBUTION":
        allowed |= {"of", "a"}
    return all(w in allowed for w in words)


def _compatible(ent: Ent, head: Ent) -> bool:
    if ent.label in MASS_DESCRIPTORS:
        return head.label in MASS_LIKE
    if ent.label in CALC_DESCRIPTORS:
        return head.label == "CALCIFICATION"
    return True


def _nearest_side(ents: Sequence[Ent], head: Ent) -> Optional[str]:
    before = [e for e in ents if e.end <= head.start]
    after = [e for e in ents if e.start >= head.end]
    for ent in ([before[-1]] if before else []) + after[:1]:
        side = normalize_laterality(ent.text)
        if side:
            return side
    return None


def _combine_sides(sides: Sequence[Optional[str]]) -> Optional[str]:
    found = {s for s in sides if s}
    if not found:
        return None
    if "bilateral" in found or found == {"right", "left"}:
        return "bilateral"
    return found.pop()


def _offsets(ent: Ent) -> Tuple[int, int]:
    return ent.start, ent.end


def _norm_text(text: str) -> str:
    return " ".join(text.lower().split())


def extract_findings(
    doc: Doc,
    *,
    include_text: bool = False,
    layout: Optional[ReportLayout] = None,
    ents: Optional[List[Ent]] = None,
) -> List[Dict[str, object]]:
    """Group the doc's entities into findings (rules in the module docstring).

    doc (Doc): A doc with `doc.ents`, ideally after `mammo_negation`.
    include_text (bool): Also give each finding its head's text under "text".
    layout (Optional[ReportLayout]): `report_layout(doc)`, when the caller has it.
    ents (Optional[List[Ent]]): `entities(doc, layout.text)`, when the caller has them.
    RETURNS (List[Dict[str, object]]): One dict per head entity, in text order, keys as `FINDING_KEYS`.
    """
    layout = layout or report_layout(doc)
    text, bounds = layout.text, layout.bounds
    ents = entities(doc, text) if ents is None else ents
    exam_side = _combine_sides(
        [normalize_laterality(e.text) for e in ents if e.label == "LATERALITY" and layout.in_exam(e.start, e.end)]
    )
    findings = []
    context_side: Optional[str] = None
    context_locations: List[Ent] = []
    context_section = -1
    for clause in group_by_clause(bounds, ents, _offsets):
        if not clause:
            continue
        section_index, _ = layout.section_at(clause[0].start)
        if section_index != context_section:
            context_side, context_locations, context_section = None, [], section_index
        heads, attached = _group_clause(text, clause)
        sides_in_clause = [e for e in clause if e.label == "LATERALITY"]
        locations_in_clause = [e for e in clause if e.label == "LOCATION"]
        for head in heads:
            parts = attached[head]
            side = _combine_sides([normalize_laterality(e.text) for e in parts if e.label == "LATERALITY"])
            side = side or _nearest_side(sides_in_clause, head) or context_side
            if side is None and exam_side is not None and (exam_side != "bilateral" or head.negated):
                side = exam_side
            locations = [e for e in parts if e.label == "LOCATION"] or context_locations
            findings.append(_finding(head, parts, side, locations, layout, include_text))
        if sides_in_clause:
            context_side = _combine_sides([normalize_laterality(e.text) for e in sides_in_clause]) or context_side
        if not heads and locations_in_clause:
            context_locations = locations_in_clause
        elif not heads and sides_in_clause:
            context_locations = []
    return findings


def _group_clause(text: str, clause: Sequence[Ent]) -> Tuple[List[Ent], Dict[Ent, List[Ent]]]:
    """The heads of one clause and the entities attached to each (rules 2 and 3)."""
    heads = [e for e in clause if e.label in FINDING_LABELS]
    attached: Dict[Ent, List[Ent]] = {h: [] for h in heads}
    for feature in [h for h in heads if h.label == "ASSOCIATED_FEATURE"]:
        before = [h for h in heads if h.end <= feature.start]
        if not before or before[-1].label == "ASSOCIATED_FEATURE":
            continue
        owner = before[-1]
        if owner.negated == feature.negated and _ATTACH_WORDS.search(text, owner.end, feature.start):
            heads.remove(feature)
            del attached[feature]
            attached[owner].append(feature)
    if not heads:
        return heads, attached
    for ent in clause:
        if ent.label not in ATTRIBUTE_LABELS:
            continue
        prev = next((h for h in reversed(heads) if h.end <= ent.start), None)
        nxt = next((h for h in heads if h.start >= ent.end), None)
        if nxt is not None:
            between = [e for e in clause if ent.end <= e.start and e.end <= nxt.start]
            if _premodifies(text, ent, nxt, between) or prev is None:
                target, other = nxt, prev
            else:
                target, other = prev, nxt
        else:
            target, other = prev, None
        if other is not None and not _compatible(ent, target) and _compatible(ent, other):
            target = other
        attached[target].append(ent)
    return heads, attached


def _finding(
    head: Ent,
    parts: Sequence[Ent],
    side: Optional[str],
    locations: Sequence[Ent],
    layout: ReportLayout,
    include_text: bool,
) -> Dict[str, object]:
    by_label: Dict[str, List[Ent]] = {}
    for ent in parts:
        by_label.setdefault(ent.label, []).append(ent)
    clocks = [c for c in (normalize_clock(e.text) for e in locations) if c]
    sizes = [s for s in (parse_size_mm(e.text) for e in by_label.get("SIZE", [])) if s is not None]
    distances = [d for d in (parse_distance_cm(e.text) for e in by_label.get("DISTANCE", [])) if d is not None]
    section = layout.section_at(head.start)[1]
    finding: Dict[str, object] = {
        "type": head.label,
        "start_char": head.start,
        "end_char": head.end,
        "section": section,
        "modality": layout.modality_at(head.start),
        "laterality": side,
        "locations": [_norm_text(e.text) for e in locations],
        "clock": clocks[0] if clocks else None,
        "size_mm": max(sizes) if sizes else None,
        "distance_from_nipple_cm": distances[0] if distances else None,
    }
    for label, key in DESCRIPTORS.items():
        values = [_norm_text(e.text) for e in by_label.get(label, [])]
        finding[key] = ", ".join(values) if values else None
    finding["associated_features"] = [_norm_text(e.text) for e in by_label.get("ASSOCIATED_FEATURE", [])]
    finding["negated"] = bool(head.negated)
    finding["uncertain"] = bool(head.uncertain)
    finding["historical"] = bool(head.historical) or section in HISTORY_KINDS
    finding["family"] = bool(head.family) or section in FAMILY_KINDS
    if include_text:
        finding["text"] = head.text
    return finding


def _birads_side(clause: Sequence[Ent], ent: Ent) -> Optional[str]:
    assessments = [e for e in clause if e.label == "BIRADS"]
    i = assessments.index(ent)
    lo = assessments[i - 1].end if i > 0 else -1
    hi = assessments[i + 1].start if i + 1 < len(assessments) else float("inf")
    sides = [e for e in clause if e.label == "LATERALITY" and lo <= e.start and e.end <= hi]
    return _nearest_side(sides, ent)


def birads_category(text: str, ent: Ent) -> Optional[str]:
    """The category of a BIRADS entity, read after it when it holds only the keyword
    ("ACR BI-RADS Category:\\n5: ...", "BI-RADS category (left breast): 5"); a number
    that opens a list item ("BI-RADS\\n1. Left breast ...") is no category.

    text (str): The report text.
    ent (Ent): A BIRADS entity.
    RETURNS (Optional[str]): The category, or None.
    """
    category = normalize_birads(ent.text)
    if category is not None:
        return category
    m = _VALUE_AFTER.match(text, ent.end)
    if m is None or m.end() - m.start() > 60:
        return None
    at_line_start = not text[text.rfind("\n", 0, m.start("value")) + 1 : m.start("value")].strip()
    if at_line_start and re.match(r"[.)]\s", text[m.end() : m.end() + 2]):
        return None
    return normalize_birads(m.group("value"))


def _resolve(assessments: Sequence[Tuple[Optional[str], str]]) -> Dict[str, Optional[str]]:
    birads: Dict[str, Optional[str]] = {"right": None, "left": None, "overall": None}
    for side, category in assessments:
        if side in ("right", "left"):
            birads[side] = category
        elif side == "bilateral":
            birads["right"] = birads["left"] = birads["overall"] = category
        else:
            birads["overall"] = category
    return birads


def _examined_side(layout: ReportLayout, ents: Sequence[Ent]) -> Optional[str]:
    """ "right" or "left" when the current examination covers one breast: its title names that side, or
    every side named outside the history and comparison sections is that one."""
    sides = [normalize_laterality(e.text) for e in ents if e.label == "LATERALITY"]
    titled = _combine_sides([side for side, e in zip(sides, ents) if layout.in_exam(e.start, e.end)])
    if titled in ("right", "left"):
        return titled
    named = {side for side, e in zip(sides, ents) if side and layout.section_at(e.start)[1] not in PAST_KINDS}
    return named.pop() if len(named) == 1 and named <= {"right", "left"} else None


def report_summary(
    doc: Doc, *, layout: Optional[ReportLayout] = None, ents: Optional[List[Ent]] = None
) -> Dict[str, object]:
    """Breast composition and BI-RADS assessment of the report.

    Current assessments are those outside history and comparison sections and not
    historical; past ones count only when the report has no current one. Of the current
    ones, those in an impression/assessment section win, and a breast they leave without
    a category takes the last current one for it elsewhere. Within a group the last one
    per breast wins. "overall" is the last assessment without a side, else the most
    worrisome of the two breasts (1 < 2 < 3 < 6 < 0 < 4 < 5). In a one-breast examination (its title
    names one side, or every current side named is that one) an assessment without a side is that
    breast's (docs/FINDINGS_FORMAT.md, settled cases).

    doc (Doc): A doc with `doc.ents`.
    layout (Optional[ReportLayout]): `report_layout(doc)`, when the caller has it.
    ents (Optional[List[Ent]]): `entities(doc, layout.text)`, when the caller has them.
    RETURNS (Dict[str, object]): {"composition": "a".."d" or None,
        "birads": {"right": ..., "left": ..., "overall": ...}}.
    """
    layout = layout or report_layout(doc)
    ents = entities(doc, layout.text) if ents is None else ents
    compositions, assessments = [], []
    for clause in group_by_clause(layout.bounds, ents, _offsets):
        for ent in clause:
            if ent.label not in ("COMPOSITION", "BIRADS"):
                continue
            kind = layout.section_at(ent.start)[1]
            past = kind in PAST_KINDS or ent.historical
            if ent.label == "COMPOSITION":
                letter = normalize_composition(ent.text)
                if letter:
                    compositions.append((past, letter))
            else:
                category = birads_category(layout.text, ent)
                if category:
                    assessments.append((kind, past, _birads_side(clause, ent), category))
    current_compositions = [c for c in compositions if not c[0]] or compositions
    current = [a for a in assessments if not a[1]]
    impression = [a for a in current if a[0] == "impression"]
    birads = _resolve([a[2:] for a in impression or current or assessments])
    if impression:
        elsewhere = _resolve([a[2:] for a in current])
        for side in ("right", "left"):
            birads[side] = birads[side] or elsewhere[side]
    if birads["overall"] is None:
        sides = [c for c in (birads["right"], birads["left"]) if c]
        if sides:
            birads["overall"] = max(sides, key=BIRADS_SEVERITY.index)
    examined = _examined_side(layout, ents)
    if examined and birads["overall"] and not (birads["right"] or birads["left"]):
        birads[examined] = birads["overall"]
    return {"composition": current_compositions[-1][1] if current_compositions else None, "birads": birads}


class MammoFindings:
    """Sets `doc._.findings` (list of finding dicts), `doc._.report` and `doc._.lesions`."""

    def __init__(self, name: str = "mammo_findings", *, include_text: bool = False):
        """Initialise the component.

        name (str): The component name.
        include_text (bool): Put each head's text into its finding.
        """
        self.name = name
        self.include_text = include_text

    def __call__(self, doc: Doc) -> Doc:
        """Set the findings, the report summary and the lesions of the doc.

        doc (Doc): A doc with `doc.ents`.
        RETURNS (Doc): The same doc.
        """
        layout = report_layout(doc)
        ents = entities(doc, layout.text)
        doc._.findings = extract_findings(doc, include_text=self.include_text, layout=layout, ents=ents)
        doc._.report = report_summary(doc, layout=layout, ents=ents)
        doc._.lesions = group_lesions(doc._.findings, layout.text)
        return doc


@Language.factory(
    "mammo_findings",
    assigns=["doc._.findings", "doc._.report", "doc._.lesions"],
    requires=["doc.ents"],
    default_config={"include_text": False},
)
def make_mammo_findings(nlp: Language, name: str, include_text: bool) -> MammoFindings:
    """Build the findings component.

    include_text (bool): Put each head's text into its finding (patient data).
    RETURNS (MammoFindings): The component.
    """
    return MammoFindings(name, include_text=include_text)
