"""The layout of a report: headings, sections and clauses.

One module for what `mammo_negation`, `mammo_findings` and the corpus readers
need to know about where a report's parts begin and end:

- `HEADING_LINE` is the one heading pattern: a line that opens with a label
  and a colon ("FINDINGS:", "Clinical history:") or a line in capitals
  ("IMPRESSION"); the readers cut sections there.
- `sections(text)` keeps the headings whose label names a kind of section
  (history, findings, impression, other).
- `clause_bounds(doc)` cuts the text into clauses (sentences, split on ";" and
  newlines, never inside an entity); `group_by_clause` distributes entities or
  cues over them.
"""
import bisect
import re
from typing import List, NamedTuple, Optional, Sequence, Tuple

from spacy.tokens import Doc

HEADING_LINE = re.compile(
    r"^[ \t]*(?:(?P<label>[A-Za-z][A-Za-z /&()-]{0,40}?)[ \t]*:|(?P<caps>[^a-z0-9\n]*[A-Z]{2,}[^a-z0-9\n]*)$)",
    re.MULTILINE,
)
SECTION_KINDS = (
    ("history", ("history", "indication", "comparison", "reason", "prior", "clinical")),
    ("impression", ("impression", "assessment", "conclusion", "summary", "opinion")),
    ("findings", ("finding", "result", "report")),
    ("other", ("technique", "procedure", "exam", "recommendation", "view")),
)
_SENT_BREAK = re.compile(
    r"[;\n]|[?!]|(?<!\bvs)(?<!\be\.g)(?<!\bi\.e)(?<!\bapprox)(?<!\bdr)(?:\.(?!\d)|(?<!\d)\.)",
    re.IGNORECASE,
)
_HARD_BREAK = re.compile(r"[;\n]")

Section = Tuple[int, str]


def heading_starts(text: str) -> List[int]:
    """Where the heading lines of `HEADING_LINE` begin (the readers' section cuts).

    text (str): The report text.
    RETURNS (List[int]): Character offsets, in order.
    """
    return [m.start() for m in HEADING_LINE.finditer(text)]


def sections(text: str) -> List[Section]:
    """The report's sections: each labelled heading whose label names a kind.

    text (str): The report text.
    RETURNS (List[Tuple[int, str]]): (start of the label, kind) per section, in order.
    """
    found = []
    for m in HEADING_LINE.finditer(text):
        if m.group("label") is None:
            continue
        name = m.group("label").lower()
        for kind, keys in SECTION_KINDS:
            if any(k in name for k in keys):
                found.append((m.start("label"), kind))
                break
    return found


def section_at(found: Sequence[Section], char: int) -> Tuple[int, Optional[str]]:
    """The section a character offset lies in.

    found (Sequence[Tuple[int, str]]): The doc's `sections`.
    char (int): A character offset.
    RETURNS (Tuple[int, Optional[str]]): (index into `found`, kind); (-1, None) before the first.
    """
    index, kind = -1, None
    for i, (start, name) in enumerate(found):
        if start <= char:
            index, kind = i, name
    return index, kind


def clause_bounds(doc: Doc, text: Optional[str] = None) -> List[Tuple[int, int]]:
    """Character ranges of the doc's clauses: `doc.sents` when set (else own
    splitting on sentence punctuation), always split on ";" and newlines, never
    inside an entity.

    doc (Doc): The document.
    text (Optional[str]): `doc.text`, when the caller has it (spaCy rebuilds it on every access).
    RETURNS (List[Tuple[int, int]]): (start_char, end_char) per clause, in order.
    """
    text = doc.text if text is None else text
    if doc.has_annotation("SENT_START"):
        sent_bounds = [(s.start_char, s.end_char) for s in doc.sents]
        pattern = _HARD_BREAK
    else:
        sent_bounds = [(0, len(text))]
        pattern = _SENT_BREAK
    ent_starts = [e.start_char for e in doc.ents]
    ent_ends = [e.end_char for e in doc.ents]
    bounds = []
    for s_start, s_end in sent_bounds:
        start = s_start
        for m in pattern.finditer(text, s_start, s_end):
            cut = m.end()
            i = bisect.bisect_right(ent_starts, m.start()) - 1
            if i >= 0 and ent_ends[i] > m.start() and (ent_starts[i] < m.start() or ent_ends[i] > cut):
                continue
            if text[start:cut].strip():
                bounds.append((start, cut))
            start = cut
        if text[start:s_end].strip():
            bounds.append((start, s_end))
    return bounds


def group_by_clause(bounds: Sequence[Tuple[int, int]], items: Sequence, start_end) -> List[list]:
    """Distribute items over clauses: an item belongs to the clause that
    contains it entirely; items that cross a clause boundary are dropped.

    bounds (Sequence[Tuple[int, int]]): Clause ranges from `clause_bounds`.
    items (Sequence): Items sorted by start, e.g. entities or cues.
    start_end (Callable): Maps an item to its (start_char, end_char).
    RETURNS (List[list]): One list of items per clause.
    """
    groups: List[list] = [[] for _ in bounds]
    starts = [b[0] for b in bounds]
    for item in items:
        start, end = start_end(item)
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and end <= bounds[i][1]:
            groups[i].append(item)
    return groups


class ReportLayout(NamedTuple):
    """The text, sections and clauses of a doc, shared by the findings and the report summary."""

    text: str
    sections: List[Section]
    bounds: List[Tuple[int, int]]


def report_layout(doc: Doc) -> ReportLayout:
    """The doc's text (built once: spaCy rebuilds it on every access), sections and clause bounds."""
    text = doc.text
    return ReportLayout(text, sections(text), clause_bounds(doc, text))
