"""Normalised values of entity texts: side, clock position, size, distance, breast
composition and BI-RADS category. Pure functions of the surface form; whether a
number is a measurement at all is decided by `numbers`.
"""

import difflib
import re
from typing import List, Optional, Sequence, Tuple

_NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
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
