"""Numbers that are not measurements: counts, ages, gauges, dates, times and accession numbers.

The findings take a size, distance, clock position, BI-RADS category or
composition number from an entity only when its text and context say it is
one, whatever label the tagger gave it (guidelines v1.3: "Ages, counts
("2 abnormal lymph nodes"), gauges ("14 gauge"), dates and times are never
SIZE, LOCATION or BIRADS").

`non_measurement(text, start, end)` names what a number is instead (or None).
A bare number (no unit, no clock word, no BI-RADS keyword) also needs a cue
that it is a value of that kind (`has_cue`): a field or column label before it
("Size: 15", "clock 10", "BI-RADS Category:\\n5") or a table row.
"""

import re
from typing import Optional

_NUMBER = r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_MONTHS = r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE_TOKEN = re.compile(
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{1,2}/\d{2,4}|(?:19|20)\d\d(?:[/.-]\d{1,2})?|\d{1,2}(?:st|nd|rd|th)?",
    re.IGNORECASE,
)
_MONTH_NEAR = re.compile(rf"(?:\b(?:{_MONTHS})[a-z]*\.?\s*$)", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"\s*(?:{_MONTHS})[a-z]*\b", re.IGNORECASE)
_AGE = re.compile(rf"\s*{_NUMBER}\s*-?\s*(?:years?|yrs?|y/?o\b|y\.o\.|yo\b|year-old|-year|f\b|m\b)", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:age|aged)\s*:?\s*$", re.IGNORECASE)
_GAUGE = re.compile(rf"\s*{_NUMBER}\s*-?\s*(?:gauge|ga\b|g\b)", re.IGNORECASE)
_TIME_AFTER = re.compile(r"\s*(?::\d\d|(?:am|pm|a\.m\.|p\.m\.|h|hrs|hours)\b)", re.IGNORECASE)
_TIME_BEFORE = re.compile(
    r"(?:\b(?:time|read|dictated|signed|transcribed|reported|dt|dd)\b\s*:?\s*|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s+)$",
    re.IGNORECASE,
)
_LONG_NUMBER = re.compile(r"\d{5,}")
# Two or more spaces between cells, not after a sentence ("No mass.  No calcs.").
_COLUMN_GAP = re.compile(r"[^\s.:;](?:\t|[ \t]{2,})(?=\S)")
_HHMM = re.compile(r"\s*\d{1,2}:\d\d\b")
_HHMMSS = re.compile(r"\d{1,2}:\d\d:\d\d")
_ID_BEFORE = re.compile(
    r"(?:\b(?:acc(?:ession)?|mrn|id|number|cpt|phone|tel|fax|ref|code)\b\.?|\bno\.|\bnr\.?|#)\s*(?:no\.?|#)?\s*:?\s*$",
    re.IGNORECASE,
)
# A plural noun within three words after a bare number ("2 abnormal lymph nodes", "three cysts"),
# single spaces only: the next table cell is no noun of the number.
_COUNT_AFTER = re.compile(r"(?: [a-z-]+){0,2}? [a-z]{2,}(?<![su])s\b", re.IGNORECASE)
_NOT_COUNT_NOUNS = {"cms", "mms", "hrs", "yrs", "mos", "degrees", "times", "breasts"}
_UNIT = re.compile(r"(?:mm|cms?)\b|millimet|centimet|\d\s*cc\b|\d\s*(?:x|by)\s*\d", re.IGNORECASE)
_CLOCK_WORD = re.compile(r"o\s*'?\s*clock|oclock|\d\s*:\s*\d\d|\bclock\b|\bposition\b|\baxis\b", re.IGNORECASE)
_BIRADS_WORD = re.compile(
    r"\bb\W*[iy]\W*r\W*a\W*d\W*s?(?![a-z])|\bcategory\b|\bcat\b|\bassessment\b|\bacr\b", re.IGNORECASE
)
_BARE = re.compile(rf"\W*{_NUMBER}(?:\s*(?:-|to)\s*{_NUMBER})?\s*[a-c]?\W*", re.IGNORECASE)
_CUES = {
    "SIZE": re.compile(r"\b(?:size|sized|measur\w*|diameter|dimensions?)\b[^.;\n]{0,20}$", re.IGNORECASE),
    "DISTANCE": re.compile(r"\b(?:fn|nipple|distance|dist)\b[^.;\n]{0,20}$", re.IGNORECASE),
    "LOCATION": re.compile(r"(?:\b(?:clock|o'clock|oclock|position|at)\b|@)[^.;\n]{0,12}$", re.IGNORECASE),
    "BIRADS": re.compile(
        r"(?:\bb\W*[iy]\W*r\W*a\W*d\W*s?(?![a-z])|\bcategory|\bcat\b|\bassessment)[^.;]{0,40}$", re.IGNORECASE
    ),
    "COMPOSITION": re.compile(
        r"\b(?:density|densities|composition|acr|category|type|pattern|parenchyma)\b[^.;\n]{0,20}$", re.IGNORECASE
    ),
}


def _token(text: str, start: int, end: int) -> str:
    """The whitespace-delimited run of text around a span, without surrounding punctuation."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip(".,;:()[]|")


def non_measurement(text: str, start: int, end: int) -> Optional[str]:
    """What the number in `text[start:end]` is when it is no measurement, clock position or category.

    text (str): The report text.
    start (int): Start of the entity.
    end (int): End of the entity.
    RETURNS (Optional[str]): "date", "time", "accession", "age", "gauge" or "count"; None
        when the span holds no such number.
    """
    span = text[start:end]
    if not any(c.isdigit() for c in span) and not _BARE.fullmatch(span):
        return None
    before = text[max(0, start - 40) : start]
    tail = text[start : end + 40]
    token = _token(text, start, end)
    if _LONG_NUMBER.search(token) or _ID_BEFORE.search(before):
        return "accession"
    if _DATE_TOKEN.fullmatch(token) and (
        not token.isdigit() or len(token) == 4 or _MONTH_NEAR.search(before) or _MONTH_AFTER.match(text, end)
    ):
        return "date"
    if _HHMMSS.fullmatch(token) or _HHMM.match(span) and (_TIME_AFTER.match(text, end) or _TIME_BEFORE.search(before)):
        return "time"
    if _AGE.match(tail) or _AGE_BEFORE.search(before):
        return "age"
    if _GAUGE.match(tail):
        return "gauge"
    if _BARE.fullmatch(span):
        m = _COUNT_AFTER.match(text, end)
        if m and m.group().split()[-1].lower() not in _NOT_COUNT_NOUNS:
            return "count"
    return None


def _columns(text: str, line_start: int) -> int:
    line_end = text.find("\n", line_start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return 2 if line.count("|") >= 2 else len(_COLUMN_GAP.findall(line))


def in_table_row(text: str, start: int) -> bool:
    """Whether the line around `start` is a table row: cells between "|", or two or more
    columns of spaces, or one where a neighbouring line has two (a row wrapped in two).

    text (str): The report text.
    start (int): An offset in the line.
    RETURNS (bool): True for a table row.
    """
    line_start = text.rfind("\n", 0, start) + 1
    columns = _columns(text, line_start)
    if columns >= 2:
        return True
    if columns == 0:
        return False
    previous = text.rfind("\n", 0, max(line_start - 1, 0)) + 1 if line_start else None
    following = text.find("\n", start)
    return (previous is not None and _columns(text, previous) >= 2) or (
        following >= 0 and _columns(text, following + 1) >= 2
    )


def _marked(label: str, span: str) -> bool:
    """Whether an entity's own text says it is a value of its kind: a unit, a clock word or
    a BI-RADS / composition keyword."""
    if label == "SIZE":
        return bool(_UNIT.search(span))
    if label == "DISTANCE":
        return bool(_UNIT.search(span) or re.search(r"fn\b|nipple", span, re.IGNORECASE))
    if label == "LOCATION":
        return bool(_CLOCK_WORD.search(span)) or not any(c.isdigit() for c in span)
    if label == "COMPOSITION":
        return bool(_BIRADS_WORD.search(span)) or not any(c.isdigit() for c in span)
    return bool(_BIRADS_WORD.search(span))


def has_cue(label: str, text: str, start: int) -> bool:
    """Whether a bare number of that label has a cue before it that it is such a value,
    or stands in a table row.

    label (str): "SIZE", "DISTANCE", "LOCATION", "BIRADS" or "COMPOSITION".
    text (str): The report text.
    start (int): Where the number starts.
    RETURNS (bool): True when the context supports the label.
    """
    cue = _CUES.get(label)
    return in_table_row(text, start) or (cue is not None and bool(cue.search(text, max(0, start - 60), start)))


def is_value(label: str, text: str, start: int, end: int) -> bool:
    """Whether a SIZE, DISTANCE, LOCATION, BIRADS or COMPOSITION entity may give its value:
    it is no date, time, accession number, age, gauge or count, and its own text marks it as
    such a value (unit, clock word, keyword) or it is a bare number with a cue before it.

    label (str): The entity label.
    text (str): The report text.
    start (int): Start of the entity.
    end (int): End of the entity.
    RETURNS (bool): False when the findings must ignore the entity.
    """
    if label not in _CUES:
        return True
    span = text[start:end]
    if non_measurement(text, start, end) is not None:
        return False
    return _marked(label, span) or (bool(_BARE.fullmatch(span)) and has_cue(label, text, start))
