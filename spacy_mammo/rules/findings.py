"""Structured findings and report-level values from `doc.ents`.

`extract_findings(doc)` groups entities into findings, one per head entity
(MASS, CALCIFICATION, ASYMMETRY, DISTORTION, OTHER_FINDING, and an
ASSOCIATED_FEATURE that stands on its own). The grouping rules:

1. Clauses are those of `spacy_mammo.rules.negation.clause_bounds` (sentences, split
   on ";" and newlines). Entities attach only within their clause.
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
   the same section. Two sides, or "both"/"bilateral", give "bilateral".
5. A head without its own location takes the locations of the nearest earlier
   clause of the same section that names a location but no finding (a
   heading such as "Left breast, upper outer quadrant:").
6. A list of negated heads ("No masses, calcifications or distortion") gives
   one negated finding per head.

Findings hold character offsets, not the report text (patient data), unless
`include_text=True`. `report_summary(doc)` gives the breast composition letter
and the BI-RADS categories per breast; prior assessments in history or
comparison sections count only when the report has no other.
"""
import difflib
import re
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..extensions import register_extensions
from ..labels import FINDING_LABELS
from .negation import clause_bounds, group_by_clause

register_extensions()

MASS_DESCRIPTORS = {"SHAPE": "shape", "MARGIN": "margin", "MASS_DENSITY": "density"}
CALC_DESCRIPTORS = {"CALC_MORPHOLOGY": "calc_morphology", "CALC_DISTRIBUTION": "calc_distribution"}
DESCRIPTORS = {**MASS_DESCRIPTORS, **CALC_DESCRIPTORS}
# The keys of every finding `extract_findings` returns, in order (plus "text" with include_text).
FINDING_KEYS = (
    "type", "start_char", "end_char", "section", "laterality", "locations", "clock", "size_mm",
    "distance_from_nipple_cm", *DESCRIPTORS.values(), "associated_features", "negated", "uncertain",
)
ATTRIBUTE_LABELS = set(DESCRIPTORS) | {"SIZE", "DISTANCE", "LOCATION", "LATERALITY"}
MASS_LIKE = {"MASS", "OTHER_FINDING", "ASYMMETRY"}
FILLER_WORDS = {
    "suspicious", "new", "stable", "dominant", "small", "large", "benign", "appearing", "faint",
    "few", "several", "multiple", "tiny", "partially", "partly", "very", "mildly", "slightly",
    "some", "additional", "known", "persistent", "possible", "probable", "probably",
    "questionable", "other", "sub", "centimeter", "subcentimeter", "similar", "like",
}
BIRADS_SEVERITY = ["1", "2", "3", "6", "0", "4", "4A", "4B", "4C", "5"]

_SECTION_HEADER = re.compile(r"(?m)^[ \t]*([A-Za-z][A-Za-z /&()-]{1,40}?)[ \t]*:")
_SECTION_KINDS = (
    ("history", ("history", "indication", "comparison", "reason", "prior", "clinical")),
    ("impression", ("impression", "assessment", "conclusion", "summary", "opinion")),
    ("findings", ("finding", "result", "report")),
    ("other", ("technique", "procedure", "exam", "recommendation", "view")),
)
_ATTACH_WORDS = re.compile(r"\b(?:with|associated|causing)\b", re.IGNORECASE)
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20,
}
_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b")
_MINUTE_WORDS = {"oh five": 5, "fifteen": 15, "thirty": 30, "fortyfive": 45}
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}
_BIRADS_KEYWORD = re.compile(r"b\s*[.\-_]?\s*i\s*[.\-_]?\s*r\s*[.\-_]?\s*a\s*[.\-_]?\s*d\s*[.\-_]?\s*s?")
_BIRADS_VALUE = re.compile(r"(\d|i{1,3}|iv|vi|v|zero|one|two|three|four|five|six)([abc])?")
_MEASURE = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)?|\.\d+)"
    r"|(?P<unit>millimet(?:er|re)s?|centimet(?:er|re)s?|mm|cms?)(?=fn|[^a-z]|$)"
)
_COMPOSITION_KEYWORDS = (
    ("d", ("extremely",)),
    ("c", ("heterogeneously", "heterogeneous")),
    ("b", ("scattered",)),
    ("a", ("fatty", "fat")),
)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'")))


def normalize_laterality(text: str) -> Optional[str]:
    """Map a LATERALITY surface form to "right", "left" or "bilateral".

    text (str): E.g. "R", "Rt.", "left", "both", "bilaterally", "B/L".
    RETURNS (Optional[str]): The side, or None when not recognised.
    """
    t = re.sub(r"[^a-z]", "", text.lower())
    if t in ("r", "rt", "rght", "right", "righ", "rightbreast"):
        return "right"
    if t in ("l", "lt", "lft", "left", "leftbreast"):
        return "left"
    if t in ("b", "bl", "both", "bil", "bilat", "bilateral", "bilaterally", "bilat", "bothbreasts"):
        return "bilateral"
    if t.startswith("right"):
        return "right"
    if t.startswith("left"):
        return "left"
    if t.startswith("bilat") or t.startswith("both"):
        return "bilateral"
    return None


def _clock_time(part: str) -> Optional[str]:
    part = part.strip()
    m = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?", part) or re.fullmatch(r"(\d{1,2})(\d{2})", part)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
    else:
        m = re.fullmatch(r"([a-z]+)(?:\s+(oh five|fifteen|thirty|fortyfive))?", part)
        if not m or m.group(1) not in _NUMBER_WORDS:
            return None
        hour, minute = _NUMBER_WORDS[m.group(1)], _MINUTE_WORDS.get(m.group(2) or "", 0)
    if not 1 <= hour <= 12 or not 0 <= minute < 60:
        return None
    return f"{hour}:{minute:02d}"


def normalize_clock(text: str) -> Optional[str]:
    """Normalise a clock-face position: "10 o'clock" -> "10:00", "ten thirty" ->
    "10:30", "10-11 o'clock" -> "10:00-11:00".

    text (str): A LOCATION surface form.
    RETURNS (Optional[str]): "H:MM" or "H:MM-H:MM", None when not a clock position.
    """
    t = text.lower().replace("\u2019", "'").replace("\u2013", "-")
    t = re.sub(r"forty[\s-]*five", "fortyfive", t)
    t = re.sub(r"\bo\s*'?\s*clock\b|\boclock\b|\bposition\b|\baxis\b|\bclock\b|\bhrs?\b", " ", t)
    t = re.sub(r"\s+", " ", t).strip(" ,")
    if not t:
        return None
    parts = re.split(r"\s*(?:-|\bto\b|\bthrough\b)\s*", t)
    if len(parts) > 2:
        return None
    times = [_clock_time(p) for p in parts]
    if any(x is None for x in times):
        return None
    return "-".join(times)


def _measurements(text: str) -> List[Tuple[float, Optional[str]]]:
    t = text.lower()
    t = _NUMBER_WORD_RE.sub(lambda m: str(_NUMBER_WORDS[m.group(1)]), t)
    t = re.sub(r"(\d+)\s+point\s+(\d+)", r"\1.\2", t)
    values: List[Tuple[float, Optional[str]]] = []
    pending: List[float] = []
    for m in _MEASURE.finditer(t):
        if m.group("num"):
            pending.append(float(m.group("num").replace(",", ".")))
        elif pending:
            unit = "mm" if m.group("unit").startswith(("mm", "milli")) else "cm"
            values.extend((v, unit) for v in pending)
            pending = []
    return values + [(v, None) for v in pending]


def parse_size_mm(text: str) -> Optional[float]:
    """Largest dimension of a SIZE in millimetres: "1.2 x 0.9 x 1.0 cm" -> 12.0.

    A unit applies to the numbers before it ("12 x 8 mm"). Numbers without any
    unit are read as cm when all are below 10 and one has a decimal, else mm.

    text (str): A SIZE surface form, e.g. "12 x 8 mm", "10x6x8mm", "one centimeter".
    RETURNS (Optional[float]): The size in mm, or None without a number.
    """
    values = _measurements(text)
    if not values:
        return None
    if all(unit is None for _, unit in values):
        as_cm = all(v < 10 for v, _ in values) and any(not v.is_integer() for v, _ in values)
        values = [(v, "cm" if as_cm else "mm") for v, _ in values]
    return round(max(v * 10 if unit == "cm" else v for v, unit in values if unit), 3)


def parse_distance_cm(text: str) -> Optional[float]:
    """Distance from the nipple in centimetres: "4 cm from the nipple" -> 4.0,
    "40 mm FN" -> 4.0; a bare number is read as cm.

    text (str): A DISTANCE surface form.
    RETURNS (Optional[float]): The distance in cm, or None without a number.
    """
    values = _measurements(text)
    if not values:
        return None
    value, unit = values[0]
    return round(value / 10 if unit == "mm" else value, 3)


def _fuzzy_in(word: str, keywords: Sequence[str], cutoff: float = 0.8) -> bool:
    return bool(difflib.get_close_matches(word, keywords, n=1, cutoff=cutoff))


def normalize_composition(text: str) -> Optional[str]:
    """Breast composition letter from a COMPOSITION span: a letter ("ACR C",
    "category B", the old numbers 1-4) or a descriptor, tolerant of typos
    ("heterogenously dense" -> "c").

    text (str): A COMPOSITION surface form.
    RETURNS (Optional[str]): "a".."d", or None (e.g. a bare "dense").
    """
    t = _words(text)
    m = re.fullmatch(
        r"(?:(?:acr|bi rads|birads|breast|density|category|cat|type|composition|grade|pattern)\s*)*"
        r"([abcd]|[1-4])",
        t,
    )
    if m:
        value = m.group(1)
        return "abcd"[int(value) - 1] if value.isdigit() else value
    words = t.split()
    for letter, keywords in _COMPOSITION_KEYWORDS:
        if any(_fuzzy_in(w, keywords) for w in words if len(w) > 2):
            return letter
    return None


def normalize_birads(text: str) -> Optional[str]:
    """BI-RADS category from a BIRADS span: "BI-RADS category 4A" -> "4A",
    "BIRADS III" -> "3", "BI-RADS zero" -> "0", "birads4" -> "4".

    text (str): A BIRADS surface form.
    RETURNS (Optional[str]): "0".."6", "4A", "4B", "4C", or None.
    """
    t = _BIRADS_KEYWORD.sub(" ", text.lower())
    t = re.sub(r"\b(?:acr|category|cat|assessment|final|overall|score|breast)\b", " ", t)
    tokens = re.findall(r"[a-z]+|\d", t)
    for i, token in enumerate(tokens):
        m = _BIRADS_VALUE.fullmatch(token)
        if not m:
            continue
        value = m.group(1)
        number = _ROMAN.get(value) or str(_NUMBER_WORDS.get(value, value))
        if int(number) > 6:
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        letter = m.group(2) or (following if following in ("a", "b", "c") else "")
        return "4" + letter.upper() if number == "4" and letter else number
    return None


def _sections(text: str) -> List[Tuple[int, str]]:
    sections = []
    for m in _SECTION_HEADER.finditer(text):
        name = m.group(1).lower()
        for kind, keys in _SECTION_KINDS:
            if any(k in name for k in keys):
                sections.append((m.start(1), kind))
                break
    return sections


def _section_at(sections: List[Tuple[int, str]], char: int) -> Tuple[int, Optional[str]]:
    index, kind = -1, None
    for i, (start, name) in enumerate(sections):
        if start <= char:
            index, kind = i, name
    return index, kind


def _gap_words(text: str, start: int, end: int, skip: Sequence[Span]) -> Optional[List[str]]:
    pieces, pos = [], start
    for ent in skip:
        pieces.append(text[pos : ent.start_char])
        pos = ent.end_char
    pieces.append(text[pos:end])
    gap = " ".join(pieces).lower()
    if re.search(r"[.;:()]", gap):
        return None
    return re.findall(r"[a-z']+", gap)


def _premodifies(text: str, ent: Span, head: Span, between: Sequence[Span]) -> bool:
    if any(e.label_ not in ATTRIBUTE_LABELS for e in between):
        return False
    words = _gap_words(text, ent.end_char, head.start_char, between)
    if words is None or len(words) > 3:
        return False
    allowed = set(FILLER_WORDS)
    if ent.label_ in DESCRIPTORS:
        allowed |= {"and", "or"}
    if ent.label_ == "CALC_DISTRIBUTION":
        allowed |= {"of", "a"}
    return all(w in allowed for w in words)


def _compatible(ent: Span, head: Span) -> bool:
    if ent.label_ in MASS_DESCRIPTORS:
        return head.label_ in MASS_LIKE
    if ent.label_ in CALC_DESCRIPTORS:
        return head.label_ == "CALCIFICATION"
    return True


def _nearest_side(ents: Sequence[Span], head: Span) -> Optional[str]:
    before = [e for e in ents if e.end_char <= head.start_char]
    after = [e for e in ents if e.start_char >= head.end_char]
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


def _offsets(ent: Span) -> Tuple[int, int]:
    return ent.start_char, ent.end_char


def _norm_text(text: str) -> str:
    return " ".join(text.lower().split())


class ReportLayout(NamedTuple):
    """The text, sections and clauses of a doc, shared by `extract_findings` and `report_summary`."""

    text: str
    sections: List[Tuple[int, str]]
    bounds: List[Tuple[int, int]]


def report_layout(doc: Doc) -> ReportLayout:
    """The doc's text (built once: spaCy rebuilds it on every access), sections and clause bounds."""
    text = doc.text
    return ReportLayout(text, _sections(text), clause_bounds(doc, text))


def extract_findings(
    doc: Doc, *, include_text: bool = False, layout: Optional[ReportLayout] = None
) -> List[Dict[str, object]]:
    """Group the doc's entities into findings (rules in the module docstring).

    doc (Doc): A doc with `doc.ents`, ideally after `mammo_negation`.
    include_text (bool): Also give each finding its head's text under "text".
    layout (Optional[ReportLayout]): `report_layout(doc)`, when the caller has it.
    RETURNS (List[Dict[str, object]]): One dict per head entity, in text order.
    """
    text, sections, bounds = layout or report_layout(doc)
    ents = list(doc.ents)
    findings = []
    context_side: Optional[str] = None
    context_locations: List[Span] = []
    context_section = -1
    for (c_start, _), clause in zip(bounds, group_by_clause(bounds, ents, _offsets)):
        section_index, section_kind = _section_at(sections, c_start)
        if section_index != context_section:
            context_side, context_locations, context_section = None, [], section_index
        heads, attached = _group_clause(text, clause)
        sides_in_clause = [e for e in clause if e.label_ == "LATERALITY"]
        locations_in_clause = [e for e in clause if e.label_ == "LOCATION"]
        for head in heads:
            parts = attached[head]
            side = _combine_sides([normalize_laterality(e.text) for e in parts if e.label_ == "LATERALITY"])
            side = side or _nearest_side(sides_in_clause, head) or context_side
            locations = [e for e in parts if e.label_ == "LOCATION"] or context_locations
            findings.append(_finding(head, parts, side, locations, section_kind, include_text))
        if sides_in_clause:
            context_side = _combine_sides([normalize_laterality(e.text) for e in sides_in_clause]) or context_side
        if not heads and locations_in_clause:
            context_locations = locations_in_clause
        elif not heads and sides_in_clause:
            context_locations = []
    return findings


def _group_clause(text: str, clause: Sequence[Span]) -> Tuple[List[Span], Dict[Span, List[Span]]]:
    """The heads of one clause and the entities attached to each (rules 2 and 3)."""
    heads = [e for e in clause if e.label_ in FINDING_LABELS]
    attached: Dict[Span, List[Span]] = {h: [] for h in heads}
    for feature in [h for h in heads if h.label_ == "ASSOCIATED_FEATURE"]:
        before = [h for h in heads if h.end_char <= feature.start_char]
        if not before or before[-1].label_ == "ASSOCIATED_FEATURE":
            continue
        owner = before[-1]
        gap = text[owner.end_char : feature.start_char]
        if owner._.negated == feature._.negated and _ATTACH_WORDS.search(gap):
            heads.remove(feature)
            del attached[feature]
            attached[owner].append(feature)
    if not heads:
        return heads, attached
    for ent in clause:
        if ent.label_ not in ATTRIBUTE_LABELS:
            continue
        prev = next((h for h in reversed(heads) if h.end_char <= ent.start_char), None)
        nxt = next((h for h in heads if h.start_char >= ent.end_char), None)
        if nxt is not None:
            between = [e for e in clause if ent.end_char <= e.start_char and e.end_char <= nxt.start_char]
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
    head: Span,
    parts: Sequence[Span],
    side: Optional[str],
    locations: Sequence[Span],
    section: Optional[str],
    include_text: bool,
) -> Dict[str, object]:
    by_label: Dict[str, List[Span]] = {}
    for ent in parts:
        by_label.setdefault(ent.label_, []).append(ent)
    clocks = [c for c in (normalize_clock(e.text) for e in locations) if c]
    sizes = [s for s in (parse_size_mm(e.text) for e in by_label.get("SIZE", [])) if s is not None]
    distances = [d for d in (parse_distance_cm(e.text) for e in by_label.get("DISTANCE", [])) if d is not None]
    finding: Dict[str, object] = {
        "type": head.label_,
        "start_char": head.start_char,
        "end_char": head.end_char,
        "section": section,
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
    finding["negated"] = bool(head._.negated)
    finding["uncertain"] = bool(head._.uncertain)
    if include_text:
        finding["text"] = head.text
    return finding


def _birads_side(clause: Sequence[Span], ent: Span) -> Optional[str]:
    assessments = [e for e in clause if e.label_ == "BIRADS"]
    i = assessments.index(ent)
    lo = assessments[i - 1].end_char if i > 0 else -1
    hi = assessments[i + 1].start_char if i + 1 < len(assessments) else float("inf")
    sides = [e for e in clause if e.label_ == "LATERALITY" and lo <= e.start_char and e.end_char <= hi]
    return _nearest_side(sides, ent)


def report_summary(doc: Doc, *, layout: Optional[ReportLayout] = None) -> Dict[str, object]:
    """Breast composition and BI-RADS assessment of the report.

    Of the BIRADS entities, those in an impression/assessment section win,
    else those outside history/comparison sections, else all; within them the
    last one per breast wins. "overall" is the last assessment without a side,
    else the most worrisome of the two breasts (1 < 2 < 3 < 6 < 0 < 4 < 5).

    doc (Doc): A doc with `doc.ents`.
    layout (Optional[ReportLayout]): `report_layout(doc)`, when the caller has it.
    RETURNS (Dict[str, object]): {"composition": "a".."d" or None,
        "birads": {"right": ..., "left": ..., "overall": ...}}.
    """
    _, sections, bounds = layout or report_layout(doc)
    compositions, assessments = [], []
    for clause in group_by_clause(bounds, list(doc.ents), _offsets):
        for ent in clause:
            kind = _section_at(sections, ent.start_char)[1]
            if ent.label_ == "COMPOSITION":
                letter = normalize_composition(ent.text)
                if letter:
                    compositions.append((kind, letter))
            elif ent.label_ == "BIRADS":
                category = normalize_birads(ent.text)
                if category:
                    assessments.append((kind, _birads_side(clause, ent), category))
    current = [c for c in compositions if c[0] != "history"] or compositions
    birads: Dict[str, Optional[str]] = {"right": None, "left": None, "overall": None}
    pool = (
        [a for a in assessments if a[0] == "impression"]
        or [a for a in assessments if a[0] != "history"]
        or assessments
    )
    for _, side, category in pool:
        if side in ("right", "left"):
            birads[side] = category
        elif side == "bilateral":
            birads["right"] = birads["left"] = birads["overall"] = category
        else:
            birads["overall"] = category
    if birads["overall"] is None:
        sides = [c for c in (birads["right"], birads["left"]) if c]
        if sides:
            birads["overall"] = max(sides, key=BIRADS_SEVERITY.index)
    return {"composition": current[-1][1] if current else None, "birads": birads}


class MammoFindings:
    """Sets `doc._.findings` (list of finding dicts) and `doc._.report`."""

    def __init__(self, name: str = "mammo_findings", *, include_text: bool = False):
        """Initialise the component.

        name (str): The component name.
        include_text (bool): Put each head's text into its finding.
        """
        self.name = name
        self.include_text = include_text

    def __call__(self, doc: Doc) -> Doc:
        """Set the findings and the report summary of the doc.

        doc (Doc): A doc with `doc.ents`.
        RETURNS (Doc): The same doc.
        """
        layout = report_layout(doc)
        doc._.findings = extract_findings(doc, include_text=self.include_text, layout=layout)
        doc._.report = report_summary(doc, layout=layout)
        return doc


@Language.factory(
    "mammo_findings",
    assigns=["doc._.findings", "doc._.report"],
    requires=["doc.ents"],
    default_config={"include_text": False},
)
def make_mammo_findings(nlp: Language, name: str, include_text: bool) -> MammoFindings:
    """Build the findings component.

    include_text (bool): Put each head's text into its finding (patient data).
    RETURNS (MammoFindings): The component.
    """
    return MammoFindings(name, include_text=include_text)
