"""The layout of a report: headings, sections, modality and clauses.

One module for what `mammo_negation`, `mammo_findings` and the corpus readers
need to know about where a report's parts begin and end.

Headings (`HEADING`, the one heading pattern) come in three forms: a label and a
colon at the start of a line or after a sentence ("FINDINGS:", "3. Impression:",
"... stable. IMPRESSION: ..."), a line in capitals ("MAMMOGRAPHY"), or a line of
heading words alone ("Clinical History", "Targeted ultrasound"). A heading opens a
section when its words name a kind (`SECTION_WORDS`) or a modality
(`MODALITY_WORDS`); capital and bare lines must consist of heading words only,
so that narrative in capitals is no heading.

Sections (`sections(text)`): each heading opens one, of its kind and modality.
A blank line ends a history, comparison or technique section once it has content,
and so does the end of the heading's line when the content starts on it
("Comparison: 2023.\nThe breasts are ..."); the text after is unheaded (kind None). A paragraph that opens with a
modality ("Targeted ultrasound of the left breast demonstrates ...") opens a
findings section of that modality, or keeps an impression's kind with that
modality. Without a modality of its own a section takes the report's: the one
modality that the title, header lines and technique lines name, if exactly one.
History and comparison sections have no modality. A sentence that opens with a
modality (`modality_marks`) sets it for the rest of its section.

Clauses (`clause_bounds(doc)`): sentences (`doc.sents` when set, else split on
".", "?", "!" outside numbers and abbreviations), always split on ";", never
inside an entity. A newline ends a clause only where the text says so
(`line_break_ends_clause`): at a blank line, after a line that is a label or a
heading, before a line that starts a field ("Mass: none"), a table row or a
heading, before a list item or checkbox after a complete line or an item, or
before a capitalised line after a line that does not end in a word
that needs more ("DOB: 1956" / "Fatty breasts.").
So a hard-wrapped sentence ("There is no evidence\\nof mass") stays one clause.
"""

import bisect
import re
import weakref
from functools import lru_cache
from typing import List, NamedTuple, Optional, Sequence, Tuple

from spacy.tokens import Doc

# ----------------------------------------------------------------------------
# Headings

_NUMBERING = r"(?:(?:\d{1,2}|[IVX]{1,4})[.)])?[ \t]*"
_LABEL = r"[A-Za-z][A-Za-z /&',+-]{0,50}?(?:[ \t]*\([^()\n]{0,40}\))?"
HEADING = re.compile(
    rf"^[ \t]*{_NUMBERING}(?:(?P<label>{_LABEL})[ \t]*:"
    r"|(?P<caps>[^a-z0-9\n]*[A-Z]{2,}[^a-z0-9\n]*)$"
    r"|(?P<bare>[A-Z][A-Za-z/&' -]{0,60}?)[ \t]*$)"
    rf"|(?<=[.!?])[ \t]+(?P<inline>{_LABEL})[ \t]*:",
    re.MULTILINE,
)
# Kinds in order of precedence: "Family history" is family_history, "Reason for exam" history, "Assessment and
# recommendations" an impression, "Mammogram findings" findings.
SECTION_WORDS = (
    ("family_history", ("family", "fhx", "fh")),
    (
        "history",
        (
            "history",
            "hx",
            "fhx",
            "hpi",
            "indication",
            "indications",
            "reason",
            "clinical",
            "complaint",
            "symptoms",
            "presentation",
        ),
    ),
    ("comparison", ("comparison", "comparisons", "compared", "prior", "priors", "previous")),
    (
        "procedure",
        (
            "procedure",
            "procedures",
            "biopsy",
            "biopsies",
            "aspiration",
            "fna",
            "localization",
            "localisation",
            "guided",
            "stereotactic",
        ),
    ),
    (
        "impression",
        (
            "impression",
            "impressions",
            "imp",
            "assessment",
            "assessments",
            "conclusion",
            "conclusions",
            "summary",
            "opinion",
            "diagnosis",
            "interpretation",
        ),
    ),
    ("recommendation", ("recommendation", "recommendations", "recommend", "rec", "recs", "plan", "management")),
    ("technique", ("technique", "techniques", "views", "protocol")),
    ("findings", ("findings", "finding", "result", "results", "report", "description", "observations")),
)
_WEAK_TECHNIQUE = ("exam", "examination", "study", "studies", "exams")
MODALITY_WORDS = (
    (
        "mammography",
        (
            "mammography",
            "mammogram",
            "mammograms",
            "mammographic",
            "mammographically",
            "mammo",
            "mammographies",
            "mam",
            "tomosynthesis",
            "tomo",
            "dbt",
            "mg",
        ),
    ),
    (
        "ultrasound",
        (
            "ultrasound",
            "ultrasounds",
            "ultrasonography",
            "ultrasonographic",
            "sonography",
            "sonogram",
            "sonographic",
            "sonographically",
            "us",
            "usg",
            "echography",
        ),
    ),
    ("mri", ("mri", "mr", "magnetic", "resonance")),
)
_MODALITY_OF = {w: m for m, words in MODALITY_WORDS for w in words}
_KIND_OF = {w: k for k, words in SECTION_WORDS for w in words}
_KIND_RANK = {k: i for i, (k, _) in enumerate(SECTION_WORDS)}
# Words a heading line may hold besides the kind and modality words.
_HEADING_FILLER = {
    "breast",
    "breasts",
    "left",
    "right",
    "bilateral",
    "bilat",
    "both",
    "lt",
    "rt",
    "diagnostic",
    "diag",
    "screening",
    "targeted",
    "limited",
    "focused",
    "digital",
    "whole",
    "with",
    "w",
    "and",
    "of",
    "the",
    "for",
    "final",
    "additional",
    "view",
    "clinical",
    "information",
    "info",
    "data",
    "general",
    "overall",
    "axilla",
    "axillary",
    "unilateral",
    "contrast",
    "enhanced",
    "core",
    "needle",
    "wire",
    "preoperative",
    "tomo",
    "a",
    "studies",
    "exam",
    "examination",
    "study",
    "exams",
    "on",
    "by",
    "in",
    "to",
    "breast's",
    "patient",
    "s",
    "personal",
    "medical",
    "surgical",
    "past",
    "social",
    "category",
    "acr",
    "bi",
    "rads",
    "birads",
}
# Abbreviations that are a modality only in capitals ("US"; "us" is a pronoun, "mg" a unit).
_CAPITALS_ONLY = {"us": "US", "mg": "MG", "mr": "MR"}
_HEADING_WORDS = set(_KIND_OF) | set(_MODALITY_OF) | _HEADING_FILLER | set(_WEAK_TECHNIQUE)
_WORD = re.compile(r"[A-Za-z]+(?:'s)?")
_INTERVENTION = re.compile(
    r"[-\s]guided|stereotactic|\bbiops|\baspirat|\blocali[sz]ation|\bclip placement|\bfna\b", re.IGNORECASE
)
SHORT_KINDS = ("family_history", "history", "comparison", "technique")
NO_MODALITY_KINDS = ("family_history", "history", "comparison")
# A sentence that opens with a modality: "Targeted ultrasound of ...", "On MRI, ...", "Sonographically, ...".
_LEAD_WORDS = (
    r"on|at|by|in|the|a|an|targeted|focused|diagnostic|screening|bilateral|left|right|lt|rt|limited|additional|"
    r"subsequent|spot|digital|contrast|enhanced|dedicated|whole|breast|second|look|real|time|handheld|hand|held|"
    r"repeat|follow|up|axillary|unilateral|correlative|corresponding|prior|current"
)
_MODALITY_LEAD = re.compile(
    r"(?:^|(?<=[.!?;:])[ \t]+)[ \t]*(?:[-*\u2022]|\d{1,2}[.)])?[ \t]*"
    rf"(?:(?:{_LEAD_WORDS})[\s-]+){{0,3}}"
    r"(?P<word>mammogra\w*|mammo|tomosynthesis|dbt|ultraso\w*|sonogra\w*|(?-i:US)|u/s|mri|(?-i:MR)|"
    r"magnetic resonance)\b",
    re.IGNORECASE | re.MULTILINE,
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n[ \t]*\n")
_WRAPPED = re.compile(r"[a-z,]\n[ \t]*[a-z]")
_RECOMMEND = re.compile(r"\brecommend|\badvised\b|\bsuggest", re.IGNORECASE)


class Heading(NamedTuple):
    """A heading that names a section kind: its start, where its content starts, kind and modality;
    `modality_only` when only a modality word gave the kind ("ULTRASOUND:")."""

    start: int
    content: int
    kind: str
    modality: Optional[str]
    modality_only: bool


class Section(NamedTuple):
    """A section of a report: where it starts, its kind (None: unheaded) and modality."""

    start: int
    kind: Optional[str]
    modality: Optional[str]


def heading_starts(text: str) -> List[int]:
    """Where the label and capital heading lines of `HEADING` begin (the readers' section cuts).

    text (str): The report text.
    RETURNS (List[int]): Character offsets, in order.
    """
    return [m.start() for m in HEADING.finditer(text) if m.group("label") is not None or m.group("caps") is not None]


def _modality_of(word: str) -> Optional[str]:
    lower = word.lower()
    if lower in _CAPITALS_ONLY and word != _CAPITALS_ONLY[lower]:
        return None
    return _MODALITY_OF.get(lower)


def classify_heading(label: str, *, strict: bool = True) -> Tuple[Optional[str], Optional[str], bool]:
    """The section kind and modality that a heading's words name.

    label (str): The heading without its colon, e.g. "CLINICAL HISTORY", "Sonography", "US".
    strict (bool): Require every word outside parentheses to be a heading word; False for a
        label at the start of a line, which may hold other words when it names a kind
        ("History of present illness").
    RETURNS (Tuple[Optional[str], Optional[str], bool]): (kind, modality, whether only a
        modality word gave the kind); (None, None, False) when it names neither.
    """
    words = _WORD.findall(re.sub(r"\([^()]*\)", " ", label))
    lowered = [w.lower() for w in words]
    kinds = [_KIND_OF[w] for w in lowered if w in _KIND_OF]
    all_heading_words = 0 < len(words) <= 10 and all(w in _HEADING_WORDS for w in lowered)
    if not (all_heading_words or (kinds and not strict)):
        return None, None, False
    modalities = {m for m in map(_modality_of, words) if m}
    modality = modalities.pop() if len(modalities) == 1 else None
    if kinds:
        kind = min(kinds, key=_KIND_RANK.__getitem__)
    elif modality or modalities:
        return "findings", modality, True
    elif any(w in _WEAK_TECHNIQUE for w in lowered):
        kind = "technique"
    else:
        return None, None, False
    if kind == "procedure" or _INTERVENTION.search(label):
        modality = "procedure"
    return kind, modality, False


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return end if end >= 0 else len(text)


def _line_ended(text: str, start: int) -> bool:
    """Whether the line before the one at `start` is blank or complete (not a wrapped sentence going on)."""
    before = text[text.rfind("\n", 0, max(start - 1, 0)) + 1 : start].rstrip()
    return not before or before[-1] in ".:;!?" or is_heading_line(before)


@lru_cache(maxsize=4096)
def is_heading_line(line: str) -> bool:
    """Whether a line is a heading in capitals or of heading words alone ("IMPRESSION", "Targeted ultrasound").

    line (str): One line of text.
    RETURNS (bool): True when it is such a heading.
    """
    m = HEADING.match(line.strip())
    if m is None or m.lastgroup not in ("caps", "bare") or re.search(r"[.!?](?:\s|$)", m.group(m.lastgroup)):
        return False
    return classify_heading(m.group(m.lastgroup))[0] is not None


def headings(text: str) -> List[Heading]:
    """The headings of a report that name a section kind, in order.

    text (str): The report text.
    RETURNS (List[Heading]): The headings.
    """
    found = []
    for m in HEADING.finditer(text):
        name = m.lastgroup
        label = m.group(name)
        if name in ("caps", "bare") and re.search(r"[.!?](?:\s|$)", label):
            continue
        if name == "bare" and not _line_ended(text, m.start()):
            continue
        # A label after a wrapped line may be the sentence's end ("Ultrasound\nfindings are tabulated:").
        strict = name != "label" or not _line_ended(text, m.start())
        kind, modality, modality_only = classify_heading(label, strict=strict)
        if kind is not None:
            found.append(Heading(m.start(name), m.end(), kind, modality, modality_only))
    return found


def _modalities(segment: str) -> set:
    found = set()
    for m in _WORD.finditer(segment):
        modality = _modality_of(m.group())
        if modality:
            found.add("procedure" if _INTERVENTION.match(segment, m.end()) else modality)
    return found


def exam_ranges(text: str, found: Sequence[Heading]) -> List[Tuple[int, int]]:
    """The parts of a report that describe the examination: its title and header lines
    (before the first heading of a kind other than technique and procedure, at most 400
    characters), its technique and procedure sections (to their paragraph's end) and its
    modality headings.

    text (str): The report text.
    found (Sequence[Heading]): Its `headings`.
    RETURNS (List[Tuple[int, int]]): (start, end) character ranges.
    """
    first = next((h.start for h in found if h.kind not in ("technique", "procedure") and not h.modality_only), None)
    ranges = [(0, min(len(text) if first is None else first, 400))]
    for i, h in enumerate(found):
        if h.kind in ("technique", "procedure"):
            end = found[i + 1].start if i + 1 < len(found) else len(text)
            brk = _PARAGRAPH_BREAK.search(text, h.content, end)
            ranges.append((h.start, brk.start() if brk else end))
        elif h.modality_only:
            ranges.append((h.start, h.content))
    return ranges


def report_modality(text: str, ranges: Sequence[Tuple[int, int]]) -> Optional[str]:
    """The report's own modality: the one that its `exam_ranges` name, or None when they name
    none or several or a paragraph opens with another one.

    text (str): The report text.
    ranges (Sequence[Tuple[int, int]]): Its `exam_ranges`.
    RETURNS (Optional[str]): "mammography", "ultrasound", "mri", "procedure" or None.
    """
    named = set()
    for start, end in ranges:
        named |= _modalities(text[start:end])
    if len(named) != 1:
        return None
    for pos in [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]:
        m = _MODALITY_LEAD.match(text, pos)
        lead = _lead(text, m) if m else None
        if lead and lead not in named:
            return None
    return named.pop()


def _lead(text: str, m: "re.Match[str]") -> Optional[str]:
    """The modality that a `_MODALITY_LEAD` match opens with, unless its sentence recommends
    or it starts a line that continues a wrapped sentence."""
    if text[m.start() - 1 : m.start()] == "\n" or m.start() == 0:
        if not _line_ended(text, m.start()):
            return None
    end = _SENTENCE_END.search(text, m.end())
    if _RECOMMEND.search(text, m.end(), end.start() if end else len(text)):
        return None
    if _INTERVENTION.match(text, m.end()):
        return "procedure"
    word = m.group("word").lower()
    if word.startswith(("mammo", "tomo", "dbt")):
        return "mammography"
    if word.startswith(("mr", "magnetic")):
        return "mri"
    return "ultrasound"


def _may_be_wrapped(text: str, newline: int, longest: int) -> bool:
    """Whether the newline at `text[newline]` may be a hard wrap: the next word would not have
    fitted on the line within the text's longest line (give or take a character: the wrap
    width may be one more than the longest line)."""
    line = text[text.rfind("\n", 0, newline) + 1 : newline]
    following = text[newline + 1 : _line_end(text, newline + 1)].split(None, 1)
    return bool(following) and len(line) + 1 + len(following[0]) > longest + 1


def _short_section_end(text: str, heading: Heading, limit: int) -> Optional[int]:
    """Where a history, comparison or technique section given on its heading's line ends:
    after the first line that ends its clause ("Comparison: 2023.\nThe breasts are ..."); a
    sentence's end counts where the line break cannot be a hard wrap."""
    if heading.kind not in SHORT_KINDS:
        return None
    newline = _line_end(text, heading.content)
    if not text[heading.content : newline].strip():
        return None
    # Wrapped text shows itself by lines that end mid-sentence before a line in lower case.
    longest = max(map(len, text.split("\n"))) if _WRAPPED.search(text) else None
    while newline < limit:
        sentence_end = text[:newline].rstrip()[-1:] in (".", ";", "!", "?")
        wrap = longest is not None and _may_be_wrapped(text, newline, longest)
        if (sentence_end and not wrap) or line_break_ends_clause(text, newline):
            return newline + 1
        newline = _line_end(text, newline + 1)
    return None


def sections(text: str, found: Optional[Sequence[Heading]] = None, default: Optional[str] = None) -> List[Section]:
    """The report's sections, in order (rules in the module docstring).

    text (str): The report text.
    found (Optional[Sequence[Heading]]): Its `headings`, when the caller has them.
    default (Optional[str]): Its `report_modality`, when `found` is given.
    RETURNS (List[Section]): The sections, the first at 0 (unheaded when no heading starts there).
    """
    if found is None:
        found = headings(text)
        default = report_modality(text, exam_ranges(text, found))
    events = [(h.start, 0, h) for h in found] + [(m.end(), 1, None) for m in _PARAGRAPH_BREAK.finditer(text)]
    events.append((0, 1, None))
    for i, h in enumerate(found):
        end = _short_section_end(text, h, found[i + 1].start if i + 1 < len(found) else len(text))
        if end is not None:
            events.append((end, 1, None))
    events.sort(key=lambda e: (e[0], e[1]))
    result: List[Section] = []
    kind: Optional[str] = None
    content, heading_at = 0, -1
    for pos, _, heading in events:
        if heading is not None:
            if not (heading.modality_only and kind in ("impression", "recommendation")):
                kind = heading.kind
            modality = heading.modality or (None if kind in NO_MODALITY_KINDS else default)
            result.append(Section(heading.start, kind, modality))
            content, heading_at = heading.content, heading.start
            continue
        if pos == heading_at or (pos >= len(text) and result):
            continue
        m = _MODALITY_LEAD.match(text, pos)
        lead = _lead(text, m) if m and kind != "recommendation" else None
        if lead:
            kind = kind if kind in ("impression", "procedure") else "findings"
            result.append(Section(pos, kind, lead))
            content = pos
        elif pos == 0 or (kind in SHORT_KINDS and text[content:pos].strip()):
            kind, content = None, pos
            result.append(Section(pos, None, default))
    return result


def modality_marks(text: str, found: Sequence[Section]) -> List[Tuple[int, str]]:
    """Sentences that open with a modality ("Ultrasound shows ..."), outside history,
    comparison and recommendation sections and sentences that recommend.

    text (str): The report text.
    found (Sequence[Section]): Its `sections`.
    RETURNS (List[Tuple[int, str]]): (offset, modality) per such sentence, in order.
    """
    marks = []
    starts = [s.start for s in found]
    for m in _MODALITY_LEAD.finditer(text):
        i = bisect.bisect_right(starts, m.start("word")) - 1
        if i >= 0 and found[i].kind in NO_MODALITY_KINDS + ("recommendation",):
            continue
        modality = _lead(text, m)
        if modality:
            marks.append((m.start("word"), modality))
    return marks


def section_at(found: Sequence[Section], char: int) -> Tuple[int, Optional[str]]:
    """The section a character offset lies in.

    found (Sequence[Section]): The doc's `sections`.
    char (int): A character offset.
    RETURNS (Tuple[int, Optional[str]]): (index into `found`, kind); (-1, None) before the first.
    """
    i = bisect.bisect_right([s.start for s in found], char) - 1
    return (i, found[i].kind) if i >= 0 else (-1, None)


# ----------------------------------------------------------------------------
# Clauses

_SENT_BREAK = re.compile(
    r"[;\n]|[?!]|(?<!\bvs)(?<!\be\.g)(?<!\bi\.e)(?<!\bapprox)(?<!\bdr)(?:\.(?!\d)|(?<!\d)\.)",
    re.IGNORECASE,
)
_HARD_BREAK = re.compile(r"[;\n]")
_LABEL_LINE = re.compile(rf"[ \t]*{_NUMBERING}{_LABEL}[ \t]*:[ \t]*")
_FIELD_START = re.compile(rf"[ \t]*{_NUMBERING}{_LABEL}[ \t]*:")
_ITEM_START = re.compile(
    r"[ \t]*(?:[-*\u2022\u00b7>]|\d{1,2}[.)]|[a-zA-Z][.)]|\[[ \t]*[xX\u2713\u2714]?[ \t]*\]|\([ \t]*[xX]?[ \t]*\))"
    r"(?:[ \t]|$)"
)
_TABLE_ROW = re.compile(r"[ \t]*\|.*\|[ \t]*")
_CAPITALISED = re.compile(r"[ \t]*[A-Z][a-z]")
# Words after which a sentence goes on, so a capitalised next line continues it ("in the\nRight breast").
_CONTINUES = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "at",
    "on",
    "to",
    "for",
    "from",
    "with",
    "without",
    "by",
    "and",
    "or",
    "no",
    "not",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "as",
    "than",
    "this",
    "that",
    "these",
    "those",
    "per",
    "dr",
    "see",
    "into",
    "within",
    "both",
    "either",
}


def line_break_ends_clause(text: str, i: int) -> bool:
    """Whether the newline at `text[i]` ends a clause (rules in the module docstring).

    text (str): The report text.
    i (int): The offset of a "\\n".
    RETURNS (bool): True where the text says the line ends its clause.
    """
    before = text[text.rfind("\n", 0, i) + 1 : i]
    after = text[i + 1 : _line_end(text, i + 1)]
    last = before.rstrip()
    if not last or not after.strip() or _FIELD_START.match(after) or _LABEL_LINE.fullmatch(before):
        return True
    # A list marker or checkbox after a wrapped line may be the sentence's own ("(BI-RADS\n0) for ...").
    if _ITEM_START.match(after) and (last[-1] in ".:;!?" or _ITEM_START.match(before)):
        return True
    if _TABLE_ROW.fullmatch(before) and _TABLE_ROW.fullmatch(after):
        return True
    if is_heading_line(before) or is_heading_line(after):
        return True
    if _CAPITALISED.match(after):
        return last[-1].isalnum() and last.rsplit(None, 1)[-1].lower() not in _CONTINUES
    return False


def clause_bounds(
    doc: Doc, text: Optional[str] = None, offsets: Optional[Sequence[Tuple[int, int]]] = None
) -> List[Tuple[int, int]]:
    """Character ranges of the doc's clauses (rules in the module docstring).

    doc (Doc): The document.
    text (Optional[str]): `doc.text`, when the caller has it (spaCy rebuilds it on every access).
    offsets (Optional[Sequence[Tuple[int, int]]]): The entities' (start_char, end_char), when known.
    RETURNS (List[Tuple[int, int]]): (start_char, end_char) per clause, in order.
    """
    text = doc.text if text is None else text
    offsets = [(e.start_char, e.end_char) for e in doc.ents] if offsets is None else offsets
    if doc.has_annotation("SENT_START"):
        sent_bounds = [(s.start_char, s.end_char) for s in doc.sents]
        pattern = _HARD_BREAK
    else:
        sent_bounds = [(0, len(text))]
        pattern = _SENT_BREAK
    ent_starts = [start for start, _ in offsets]
    ent_ends = [end for _, end in offsets]
    bounds = []
    for s_start, s_end in sent_bounds:
        start = s_start
        for m in pattern.finditer(text, s_start, s_end):
            cut = m.end()
            i = bisect.bisect_right(ent_starts, m.start()) - 1
            if i >= 0 and ent_ends[i] > m.start() and (ent_starts[i] < m.start() or ent_ends[i] > cut):
                continue
            if m.group() == "\n" and not line_break_ends_clause(text, m.start()):
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
    """The text, sections, modality marks, examination ranges, clauses and entity offsets of a doc,
    shared by the rule components."""

    text: str
    sections: List[Section]
    marks: List[Tuple[int, str]]
    exam: List[Tuple[int, int]]
    bounds: List[Tuple[int, int]]
    ents: Tuple[Tuple[int, int], ...]

    def section_at(self, char: int) -> Tuple[int, Optional[str]]:
        """(index, kind) of the section at a character offset; (-1, None) before the first."""
        return section_at(self.sections, char)

    def modality_at(self, char: int) -> Optional[str]:
        """The modality at a character offset: the last modality mark of its section
        before it, else the section's modality."""
        index, _ = self.section_at(char)
        if index < 0:
            return None
        j = bisect.bisect_right(self.marks, (char, "~")) - 1
        if j >= 0 and self.marks[j][0] >= self.sections[index].start:
            return self.marks[j][1]
        return self.sections[index].modality

    def in_exam(self, start: int, end: int) -> bool:
        """Whether a character range lies in one of the examination ranges."""
        return any(s <= start and end <= e for s, e in self.exam)


# One layout per doc for both rule components: the key says whether the entities or
# sentences it was built on have changed since. Weak keys: an entry goes with its doc.
_LAYOUTS: "weakref.WeakKeyDictionary[Doc, Tuple[tuple, ReportLayout]]" = weakref.WeakKeyDictionary()


def report_layout(doc: Doc, text: Optional[str] = None) -> ReportLayout:
    """The doc's text (built once: spaCy rebuilds it on every access) and its layout; computed
    once per doc for `mammo_negation` and `mammo_findings` unless the entities or sentences change.

    doc (Doc): The document.
    text (Optional[str]): `doc.text`, when the caller has it.
    RETURNS (ReportLayout): The layout.
    """
    offsets = tuple((e.start_char, e.end_char) for e in doc.ents)
    key = (doc.has_annotation("SENT_START"), offsets)
    cached = _LAYOUTS.get(doc)
    if cached is not None and cached[0] == key:
        return cached[1]
    text = doc.text if text is None else text
    found = headings(text)
    exam = exam_ranges(text, found)
    parts = sections(text, found, report_modality(text, exam))
    layout = ReportLayout(text, parts, modality_marks(text, parts), exam, clause_bounds(doc, text, offsets), offsets)
    _LAYOUTS[doc] = (key, layout)
    return layout
