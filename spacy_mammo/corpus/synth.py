"""Synthetic annotated mammography reports (annotation guidelines v1.2).

A report is built by appending pieces, each either plain text or an annotated
span, so character offsets are exact by construction. Sentences come from
small templates: `[[a|b]]` picks one option, `[[a]]` keeps its text half of
the time, `{slot}` inserts pieces from a slot (`{Slot}` capitalises its first
letter, `{slot!}` marks its spans as negated where the guidelines allow).

Command line: `python -m spacy mammo synth --n N --seed S --out FILE.jsonl`.
"""
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

from ..io import atomic_open
from ..labels import NEVER_NEGATED

# (text, label or None, negated)
Piece = Tuple[str, Optional[str], bool]
SlotValue = Union[List[Piece], Callable[[], List[Piece]]]

_CHOICE = re.compile(r"\[\[([^\[\]]*)\]\]")
_SLOT = re.compile(r"\{(\w+)(!?)\}")


def _t(text: str) -> Piece:
    return (text, None, False)


def _e(text: str, label: str, negated: bool = False) -> Piece:
    return (text, label, negated and label not in NEVER_NEGATED)


def _negate(pieces: List[Piece]) -> List[Piece]:
    return [_e(text, label, True) if label else (text, None, False) for text, label, _ in pieces]


def _capitalize(pieces: List[Piece]) -> List[Piece]:
    out = list(pieces)
    for i, (text, label, neg) in enumerate(out):
        if text.strip():
            j = len(text) - len(text.lstrip())
            out[i] = (text[:j] + text[j].upper() + text[j + 1 :], label, neg)
            break
    return out


def _choose(rng: random.Random, template: str) -> str:
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


def _fill(rng: random.Random, template: str, slots: Dict[str, SlotValue]) -> List[Piece]:
    """Render one template into pieces.

    rng (random.Random): The generator's random state.
    template (str): Template text with `[[choices]]` and `{slots}`.
    slots (Dict[str, SlotValue]): Slot name (lowercase) -> pieces or a callable giving them.
    RETURNS (List[Piece]): The tidied pieces.
    """
    text = _choose(rng, template)
    pieces: List[Piece] = []
    pos = 0
    for match in _SLOT.finditer(text):
        pieces.append(_t(text[pos : match.start()]))
        name, bang = match.group(1), match.group(2)
        value = slots[name.lower()]
        value = value() if callable(value) else list(value)
        if bang:
            value = _negate(value)
        if name[0].isupper():
            value = _capitalize(value)
        pieces.extend(value)
        pos = match.end()
    pieces.append(_t(text[pos:]))
    return _tidy(pieces)


def _needs_an(word: str) -> bool:
    low = word.lower()
    if re.match(r"(8|11\b|18\b|11[ .x]|18[ .x])", low):
        return True
    if low.startswith(("one", "uni", "use", "usu", "ul ")) or re.match(r"u[a-z]{0,2}q\b", low):
        return low.startswith(("ul ",))
    if low.startswith(("uoq", "uiq")):
        return False
    return bool(re.match(r"[aeiou]", low)) or bool(re.match(r"(ln|lmlo|lcc|mri|rcc|rmlo|imln|ad\b|acr|fgt)", low))


def _tidy(pieces: List[Piece]) -> List[Piece]:
    """Merge text pieces, collapse spaces, fix punctuation spacing and a/an."""
    merged: List[Piece] = []
    for piece in pieces:
        if not piece[0]:
            continue
        if piece[1] is None and merged and merged[-1][1] is None:
            merged[-1] = _t(merged[-1][0] + piece[0])
        else:
            merged.append(piece)
    out: List[Piece] = []
    for i, (text, label, neg) in enumerate(merged):
        if label is None:
            text = re.sub(r" {2,}", " ", text)
            text = re.sub(r" +([,.;:)])", r"\1", text)
            text = re.sub(r"\( +", "(", text)
            text = re.sub(r"\b([Aa]) (?=(\w+))", lambda m: m.group(1) + ("n " if _needs_an(m.group(2)) else " "), text)
            if text.endswith((" a ", " A ")) or text in ("a ", "A "):
                nxt = merged[i + 1][0] if i + 1 < len(merged) else ""
                if _needs_an(nxt):
                    text = text[:-1] + "n "
        out.append((text, label, neg))
    if out and out[0][1] is None:
        out[0] = _t(out[0][0].lstrip())
    if out and out[-1][1] is None:
        out[-1] = _t(out[-1][0].rstrip())
    return [piece for piece in out if piece[0]]


def _assemble(pieces: Sequence[Piece]) -> Tuple[str, List[dict]]:
    parts: List[str] = []
    spans: List[dict] = []
    pos = 0
    for text, label, neg in pieces:
        if label is not None:
            spans.append({"start": pos, "end": pos + len(text), "label": label, "negated": bool(neg)})
        parts.append(text)
        pos += len(text)
    return "".join(parts), spans


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

_HOUR_WORDS = ("twelve", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_QUAD_FORMS = {
    "UO": ("upper outer quadrant", "upper outer quadrant", "upper-outer quadrant", "UOQ", "upper outer", "outer upper quadrant"),
    "UI": ("upper inner quadrant", "upper inner quadrant", "upper-inner quadrant", "UIQ", "upper inner", "inner upper quadrant"),
    "LO": ("lower outer quadrant", "lower outer quadrant", "lower-outer quadrant", "LOQ", "lower outer", "outer lower quadrant"),
    "LI": ("lower inner quadrant", "lower inner quadrant", "lower-inner quadrant", "LIQ", "lower inner", "inner lower quadrant"),
}
_REGIONS = (
    "retroareolar", "subareolar", "subareolar", "retroareolar", "periareolar", "periareolar", "central", "central",
    "axillary tail", "upper", "lower", "lower", "outer", "outer", "inner", "medial", "medial", "lateral",
    "upper central", "lower central", "inframammary fold", "inframammary fold", "axilla", "superior", "inferior",
    "posterior", "posterior", "mid depth", "mid depth", "posterior depth",
)
# single region words that read as "the upper right breast", "the medial aspect of the left breast"
_REGION_WORDS = ("upper", "lower", "outer", "inner", "medial", "lateral", "central", "superior", "inferior", "posterior")
# depth phrases that read as "at mid depth"
_REGION_DEPTHS = ("mid depth", "posterior depth")
# one depth phrase across two thirds stays one span
_DEPTH_RANGES = ("middle to posterior depth", "anterior to middle depth", "mid to posterior depth", "anterior to mid depth", "middle to posterior third")
_DEPTHS = {
    "anterior": ("anterior depth", "anterior third", "anterior"),
    "middle": ("middle depth", "mid depth", "middle third", "mid-depth", "middle"),
    "posterior": ("posterior depth", "posterior third", "posterior"),
}
_SHAPES = ("oval", "round", "irregular", "lobulated", "irregular", "oval")
_MARGINS_BENIGN = ("circumscribed", "well-circumscribed", "well circumscribed", "obscured", "partially obscured", "well-defined")
_MARGINS_SUSP = ("spiculated", "indistinct", "microlobulated", "ill-defined", "angular", "spiculated", "ill defined", "poorly defined")
_MASS_DENSITIES = ("high density", "equal density", "isodense", "low density", "fat-containing", "high-density", "hyperdense", "equal-density")
_MORPH_BENIGN = (
    "coarse", "popcorn", "popcorn-like", "rim", "eggshell", "vascular", "dystrophic", "milk of calcium", "round",
    "punctate", "large rod-like", "rod-like", "secretory", "skin", "dermal", "suture", "lucent-centered",
)
_MORPH_SUSP = ("amorphous", "coarse heterogeneous", "fine pleomorphic", "fine linear branching", "fine linear", "pleomorphic", "punctate", "amorphous", "fine-linear branching")
_DISTRIBUTIONS = ("grouped", "clustered", "linear", "segmental", "regional", "diffuse", "scattered")
_CALC_NOUNS = ("calcifications", "calcifications", "calcifications", "microcalcifications", "calcs", "calcification")
_MASS_NOUNS = ("mass", "mass", "mass", "mass", "nodule", "lesion")
_ASYM_TYPES = ("focal asymmetry", "focal asymmetry", "asymmetry", "asymmetry", "global asymmetry", "developing asymmetry", "focal asymmetric density")
_ASSOC = ("skin retraction", "nipple retraction", "skin thickening", "trabecular thickening", "axillary adenopathy", "axillary lymphadenopathy")
_OTHER = (
    "intramammary lymph node", "intramammary lymph node", "lymph node", "cyst", "simple cyst", "complicated cyst",
    "oil cyst", "fibroadenoma", "skin lesion", "dilated duct", "biopsy clip", "clip", "post-surgical changes",
    "fat necrosis", "seroma", "hematoma", "radial scar", "complex sclerosing lesion", "papilloma", "lipoma",
    "hamartoma", "fibrocystic changes", "surgical scar", "biopsy scar", "dilated duct",
    "post-radiation changes", "post-lumpectomy changes", "post-surgical scar", "surgical clips", "microcysts",
    "complicated cysts", "galactocele", "seroma", "lipoma", "fat necrosis", "post-excisional changes",
)
# findings that are not measured in reports
_NO_SIZE_OTHER = (
    "biopsy clip", "clip", "post-surgical changes", "surgical scar", "biopsy scar", "fibrocystic changes", "skin lesion",
    "post-radiation changes", "post-lumpectomy changes", "post-surgical scar", "surgical clips", "post-excisional changes",
)
# benign changes after treatment or injury, always plural in reports ("post-radiation change" is rarer)
_POST_CHANGES = (
    "post-radiation changes", "post-radiation changes", "post-radiation change", "post-lumpectomy changes",
    "post-lumpectomy changes", "post-reduction changes", "post-excisional changes", "post-traumatic changes",
    "post-traumatic changes", "postradiation changes",
)
_BIRADS_VERBAL = {
    "0": ("Incomplete", "Incomplete - Need additional imaging evaluation", "Need additional imaging evaluation", "Incomplete: needs additional imaging"),
    "1": ("Negative",),
    "2": ("Benign", "Benign finding(s)", "Benign findings"),
    "3": ("Probably benign", "Probably Benign"),
    "4": ("Suspicious", "Suspicious abnormality"),
    "4A": ("Low suspicion for malignancy", "Suspicious - low suspicion", "Suspicious"),
    "4B": ("Moderate suspicion for malignancy", "Suspicious - moderate suspicion", "Suspicious"),
    "4C": ("High suspicion for malignancy", "Suspicious - high suspicion", "Suspicious"),
    "5": ("Highly suggestive of malignancy", "Highly Suggestive of Malignancy"),
    "6": ("Known biopsy-proven malignancy", "Known Biopsy-Proven Malignancy"),
}
_ROMAN = {"0": "0", "1": "I", "2": "II", "3": "III", "4": "IV", "5": "V", "6": "VI"}
_NUMBER_WORDS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six"}
_COMPOSITION_FORMS = {
    "a": ("almost entirely fatty", "almost entirely fatty", "almost entirely fatty", "predominantly fatty", "entirely fatty", "fatty replaced", "mostly fatty"),
    "b": (
        "scattered areas of fibroglandular density", "scattered areas of fibroglandular density",
        "scattered fibroglandular tissue", "scattered fibroglandular densities", "scattered areas of fibroglandular tissue",
        "scattered fibroglandular density", "scattered FGT", "scattered fibroglandular elements",
        "scattered areas of fiber glandular density",
    ),
    "c": ("heterogeneously dense", "heterogeneously dense", "heterogeneously dense", "heterogeneously dense", "heterogenously dense"),
    "d": ("extremely dense", "extremely dense", "extremely dense", "extremly dense"),
}
_MISSPELLINGS = {
    "spiculated": ("speculated",),
    "calcifications": ("calcifictions", "calcificatons", "calcfications", "calcificaitons"),
    "microcalcifications": ("micro calcifications", "micro-calcifications", "microcalcs"),
    "heterogeneously dense": ("heterogenously dense", "hetrogeneously dense"),
    "focal asymmetry": ("focal a symmetry", "focal assymetry"),
    "asymmetry": ("a symmetry", "assymetry", "asymetry"),
    "architectural distortion": ("architectual distortion", "architectural distorsion"),
    "scattered areas of fibroglandular density": ("scattered areas of fiber glandular density",),
    "scattered fibroglandular tissue": ("scattered fiber glandular tissue",),
    "intramammary lymph node": ("intramammary lymph note", "intra-mammary lymph node"),
    "fibroadenoma": ("fibro adenoma",),
    "amorphous": ("amorphus",),
    "circumscribed": ("circumscribe",),
    "extremely dense": ("extremly dense",),
    "retroareolar": ("retro-areolar",),
    "subareolar": ("sub-areolar",),
}
# speech-recognition slips, in dictated reports whatever their typing style: term -> (variants, rate)
_DICTATION = {
    "indistinct": (("in distinct",), 0.08),
    "architectural distortion": (("architectural distraction",), 0.025),
    "calcifications": (("calcification's",), 0.02),
    "focal asymmetry": (("focal a symmetry",), 0.025),
    "asymmetry": (("a symmetry",), 0.025),
}
_FIRST_NAMES = ("Anna", "Maria", "John", "Linda", "Susan", "David", "Priya", "Mei", "Olga", "Fatima", "Helen", "James", "Grace", "Ruth", "Carlos", "Ingrid")
_LAST_NAMES = ("Smith", "Patel", "Nguyen", "Garcia", "Kowalski", "O'Brien", "Johnson", "Okafor", "Lindqvist", "Rossi", "Tanaka", "Cohen", "Murphy", "Dubois", "Schmidt", "Ahmed")


@dataclass
class _Finding:
    kind: str  # mass | calc | asym | distortion | other | assoc
    side: str  # right | left
    hour: int
    half: bool
    quad: str
    depth: str
    dist_cm: float
    dims: List[int]
    birads: str
    shape: str = ""
    margin: str = ""
    density: str = ""
    morph: List[str] = field(default_factory=list)
    distribution: str = ""
    asym: str = ""
    other: str = ""
    noun: str = ""
    region: str = ""


class _Generator:
    """Builds one report; holds the report-level style choices."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.abbrev = rng.random() < 0.25
        self.british = rng.random() < 0.15
        self.clock_style = rng.choice(("oclock", "oclock", "colon", "colon", "mixed"))
        self.dist_style = rng.choice(("words", "words", "fn", "cmfn", "mixed"))
        self.size_unit = rng.choice(("mm", "cm", "mixed"))
        self.typo_rate = rng.choice((0.0, 0.0, 0.0, 0.02, 0.05))
        self.birads_key = rng.choice(("BI-RADS", "BI-RADS", "BI-RADS", "BIRADS", "Bi-RADS", "BI-RADS®", "Birads", "ACR BI-RADS", "BI RADS", "bi-rads"))

    def p(self, prob: float) -> bool:
        return self.rng.random() < prob

    def pick(self, options):
        return self.rng.choice(options)

    def fill(self, template: str, slots: Optional[Dict[str, SlotValue]] = None) -> List[Piece]:
        return _fill(self.rng, template, self._slots(slots or {}))

    # -- surface forms ------------------------------------------------------

    def lat_text(self, side: str) -> str:
        if side == "bilateral":
            return self.pick(("bilateral", "bilateral", "bilateral", "bilat") if self.abbrev else ("bilateral",))
        if self.abbrev and self.p(0.8):
            forms = {"right": ("R", "RT", "Rt", "rt"), "left": ("L", "LT", "Lt", "lt")}[side]
            return self.pick(forms)
        if side == "right" and self.typo_rate and self.p(self.typo_rate * 0.6):
            return "write"  # speech recognition's homophone, annotated over the written surface
        return side

    def lat(self, side: str) -> List[Piece]:
        pieces = [_e(self.lat_text(side), "LATERALITY")]
        if self.typo_rate and self.p(self.typo_rate * 0.5):
            pieces += [_t(" "), pieces[0]]  # doubled word in dictation
        return pieces

    def clock_text(self, hour: int, half: bool = False) -> str:
        style = self.clock_style if self.clock_style != "mixed" else self.pick(("oclock", "colon"))
        r = self.rng.random()
        if half:
            if r < 0.1:
                return f"{_HOUR_WORDS[hour]} thirty"
            if r < 0.2:
                return f"{hour}:30 o'clock"
            return f"{hour}:30"
        if r < 0.08:
            nxt = hour % 12 + self.pick((1, 1, 1, 2, 2, 3))
            nxt = nxt - 12 if nxt > 12 else nxt
            return self.pick((f"{hour}-{nxt} o'clock", f"{hour}:00-{nxt}:00", f"{hour} to {nxt} o'clock", f"{hour}–{nxt} o'clock", f"{hour} to {nxt} o'clock"))
        if r < 0.12:
            return self.pick((f"{_HOUR_WORDS[hour]} o'clock", f"{hour} oclock", f"{hour} o’clock", f"{hour} o' clock"))
        if style == "colon":
            return f"{hour}:00"
        return f"{hour} o'clock" if r < 0.9 else f"{hour} o’clock"

    def quad_text(self, quad: str) -> str:
        forms = _QUAD_FORMS[quad]
        if self.abbrev and self.p(0.6):
            return forms[3]
        return self.pick(forms[:3] + ((forms[5],) if self.british else ()) + ((forms[4],) if self.p(0.3) else ()))

    def depth_text(self, depth: str) -> str:
        if self.p(0.06):
            return self.pick(_DEPTH_RANGES)
        return self.pick(_DEPTHS[depth][:-1]) if self.p(0.9) else _DEPTHS[depth][0]

    def dist_range_text(self, cm: float) -> str:
        """A distance range from the nipple, for findings with extent ("3-7 cm from the nipple")."""
        low = max(1, int(cm) - self.rng.randint(1, 3))
        high = low + self.rng.randint(2, 5)
        sep = self.pick(("-", "-", " to ", "–"))
        return self.pick((
            f"{low}{sep}{high} cm from the nipple", f"{low}{sep}{high} cm from the nipple", f"{low}{sep}{high} cm from nipple",
            f"{low}{sep}{high} cm FN", f"{low}-{high} cm FN", f"{low}-{high} cmfn",
        ))

    def dist_text(self, cm: float) -> str:
        num = f"{cm:g}"
        style = self.dist_style if self.dist_style != "mixed" else self.pick(("words", "fn", "cmfn"))
        if style == "words":
            return self.pick((
                f"{num} cm from the nipple", f"{num} cm from the nipple", f"{num} cm from nipple",
                f"{num}cm from the nipple", f"{num} centimeters from the nipple", f"{num} cm posterior to the nipple",
            ))
        if style == "fn":
            return self.pick((f"{num} cm FN", f"{num} cm FN", f"{num}cm FN", f"{num} cm fn", f"{num} CM FN"))
        return self.pick((f"{num} cmfn", f"{num} cmfn", f"{num}cmfn", f"{num} CMFN", f"{num} cm fn"))

    def size_text(self, dims: List[int]) -> Tuple[str, str]:
        """A size string and an optional prefix ("~")."""
        unit = self.size_unit if self.size_unit != "mixed" else self.pick(("mm", "cm"))
        if len(dims) == 1 and dims[0] == 10 and self.p(0.3):
            return self.pick(("one centimeter", "1 centimeter", "one centimetre" if self.british else "1 cm")), ""
        if len(dims) == 1 and dims[0] == 5 and self.p(0.2):
            return self.pick(("half a centimeter", "5 millimeters", "five millimeters")), ""
        if unit == "cm":
            nums = [f"{d / 10:.1f}" if self.p(0.85) else f"{d / 10:g}" for d in dims]
        else:
            nums = [str(d) for d in dims]
        r = self.rng.random()
        if r < 0.1 and len(dims) > 1:
            body = "x".join(nums) + unit  # glued "10x6x8mm"
        elif r < 0.15 and len(dims) == 2:
            body = f"{nums[0]} by {nums[1]} {unit}"
        else:
            joiner = self.pick((" x ", " x ", " x ", " X ", " × ", "x"))
            body = joiner.join(nums) + self.pick((" ", " ", " ", "")) + unit
        prefix = "~" if self.p(0.04) and len(dims) == 1 else ""
        if prefix and self.p(0.6):
            body = body.replace(" ", "")
        return body, prefix

    def size(self, dims: List[int]) -> List[Piece]:
        body, prefix = self.size_text(dims)
        return [_t(prefix), _e(body, "SIZE")] if prefix else [_e(body, "SIZE")]

    def birads_text(self, cat: str, key: Optional[str] = None) -> str:
        key = key or (self.birads_key if self.p(0.8) else self.pick(("BI-RADS", "BIRADS", "Bi-Rads", "BI-RADS", "ACR BI-RADS")))
        num, letter = cat[0], cat[1:]
        if letter and self.p(0.08 if self.typo_rate else 0.02):
            # speech recognition writes "4B" as "for B"
            return key + self.pick((" category for ", " category for ", " for ", " Category for ")) + letter
        if self.p(0.007):
            return key + self.pick((" equivalent: ", " equivalent ", " Equivalent: ")) + cat
        r = self.rng.random()
        if r < 0.04 and not letter:
            value = _ROMAN[num] if num != "0" else "0"
        elif r < 0.07 and not letter:
            value = _NUMBER_WORDS[num]
        elif letter and r < 0.15:
            value = num + " " + letter
        elif letter and r < 0.25:
            value = num + letter.lower()
        else:
            value = cat
        r = self.rng.random()
        if r < 0.5:
            middle = " "
        elif r < 0.65:
            middle = self.pick((" category ", " Category ", " CATEGORY "))
        elif r < 0.75:
            middle = ": "
        elif r < 0.8 and re.match(r"\d", value):
            middle = ":"
        elif r < 0.85:
            middle = self.pick((" Assessment: Category ", " assessment category ", " Category: ", " Final Assessment Category "))
        elif r < 0.9 and re.match(r"\d", value):
            middle = ""
            key = self.pick(("birads", "BIRADS", "BI-RADS"))
        elif r < 0.93:
            middle = " "
            key = self.pick(("bi rads", "bi-rad", "by rads", "Bi Rads"))
        else:
            middle = self.pick((" - ", " cat. ", " "))
        return key + middle + value

    def birads(self, cat: str) -> List[Piece]:
        return [_e(self.birads_text(cat), "BIRADS")]

    def comp_text(self, letter: str) -> str:
        return self.pick(_COMPOSITION_FORMS[letter])

    def comp_letter(self, letter: str) -> str:
        # lowercase letters stay in checklists: "c." would be one token
        up = letter.upper()
        return self.pick((f"ACR {up}", f"ACR density {up}", f"category {up}", f"ACR category {up}", f"Category {up}", f"ACR {up}"))

    def mass_noun(self, plural: bool = False) -> str:
        if plural:
            return self.pick(("masses", "masses", "masses", "nodules", "lesions"))
        if self.british and self.p(0.3):
            return self.pick(("opacity", "mass", "lesion"))
        return self.pick(_MASS_NOUNS)

    def calc_noun(self) -> str:
        if self.abbrev and self.p(0.5):
            return "calcs"
        return self.pick(_CALC_NOUNS)

    def name(self) -> str:
        first, last = self.pick(_FIRST_NAMES), self.pick(_LAST_NAMES)
        return self.pick((f"{first} {last}", f"{first[0]}. {last}", f"{last}, {first}", f"Dr. {first} {last}", f"Dr {last}"))

    def date(self, first_year: int = 2012, last_year: int = 2024) -> str:
        y, m, d = self.rng.randint(first_year, last_year), self.rng.randint(1, 12), self.rng.randint(1, 28)
        return self.pick((f"{m:02d}/{d:02d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{d:02d}.{m:02d}.{y}", f"{m}/{d}/{y}", f"{d} {('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec')[m - 1]} {y}"))

    def time(self) -> str:
        h, mi = self.rng.randint(7, 18), self.rng.randint(0, 59)
        return self.pick((f"{h:02d}:{mi:02d}", f"{h}:{mi:02d}", f"{h:02d}:{mi:02d}:{self.rng.randint(0, 59):02d}", f"{(h - 1) % 12 + 1}:{mi:02d} {'AM' if h < 12 else 'PM'}"))

    # -- slots ----------------------------------------------------------------

    def _slots(self, extra: Dict[str, SlotValue]) -> Dict[str, SlotValue]:
        base: Dict[str, SlotValue] = {
            "right": lambda: self.lat("right"),
            "left": lambda: self.lat("left"),
            "bilat": lambda: [_e(self.pick(("bilateral", "bilateral", "bilateral", "bilat") if self.abbrev else ("bilateral",)), "LATERALITY")],
            "bilaterally": lambda: [_e("bilaterally", "LATERALITY")],
            "both": lambda: [_e("both", "LATERALITY")],
            "either": lambda: [_e("either", "LATERALITY")],
            "axilla": lambda: [_e("axilla", "LOCATION")],
            "axillae": lambda: [_e("axillae", "LOCATION")],
            "subareolar": lambda: [_e(self.pick(("subareolar", "subareolar", "retroareolar")), "LOCATION")],
            "masses": lambda: [_e(self.mass_noun(plural=True), "MASS")],
            "mass": lambda: [_e(self.mass_noun(), "MASS")],
            "calcs": lambda: [_e(self.calc_noun(), "CALCIFICATION")],
            "distortion": lambda: [_e(self.pick(("architectural distortion", "architectural distortion", "distortion")), "DISTORTION")],
            "asym": lambda: [_e(self.pick(("asymmetry", "focal asymmetry", "asymmetries")), "ASYMMETRY")],
            "lump": lambda: [_e(self.pick(("lump", "lump", "mass", "lumps")), "MASS")],
            "lumps": lambda: [_e(self.pick(("lumps", "lumps", "masses")), "MASS")],
            "assoc": lambda: [_e(self.pick(_ASSOC), "ASSOCIATED_FEATURE")],
            "skinthick": lambda: [_e("skin thickening", "ASSOCIATED_FEATURE")],
            "nippleret": lambda: [_e(self.pick(("nipple retraction", "skin retraction")), "ASSOCIATED_FEATURE")],
            "adenopathy": lambda: [_e(self.pick(("axillary adenopathy", "axillary lymphadenopathy", "axillary lymphadenopathy", "axillary LAD")), "ASSOCIATED_FEATURE")],
            "axnodes": lambda: [_e(self.pick(("axillary lymph nodes", "lymph nodes", "axillary nodes", "nodes", "axillary LN", "axillary lymph nodes")), "OTHER_FINDING")],
            "imln": lambda: [_e(self.pick(("intramammary lymph node", "intramammary lymph node", "intramammary node", "lymph node", "IMLN")), "OTHER_FINDING")],
            "clip": lambda: [_e(self.pick(("biopsy clip", "clip", "biopsy marker clip", "marker clip", "clip")), "OTHER_FINDING")],
            "psc": lambda: [_e(self.pick(("post-surgical changes", "postsurgical changes", "post surgical changes", "postoperative changes")), "OTHER_FINDING")],
            "cyst": lambda: [_e(self.pick(("cyst", "simple cyst", "complicated cyst", "cyst")), "OTHER_FINDING")],
            "cysts": lambda: [_e(self.pick(("cysts", "simple cysts", "oil cysts")), "OTHER_FINDING")],
            "fa": lambda: [_e(self.pick(("fibroadenoma", "fibroadenoma", "fibro adenoma" if self.typo_rate else "fibroadenoma")), "OTHER_FINDING")],
            "implants": lambda: [_e(self.pick(("silicone implants", "saline implants", "implants", "silicone implant", "saline implant")), "OTHER_FINDING")],
            "rupture": lambda: [_e(self.pick(("implant rupture", "implant rupture", "silicone implant rupture", "saline implant rupture")), "OTHER_FINDING")],
            "morph": lambda: [_e(self.pick(_MORPH_SUSP), "CALC_MORPHOLOGY")],
            "dist": lambda: [_e(self.pick(("grouped", "clustered", "linear", "segmental", "regional")), "CALC_DISTRIBUTION")],
            "shape": lambda: [_e(self.pick(("irregular", "round", "oval", "lobulated")), "SHAPE")],
            "margin": lambda: [_e(self.pick(_MARGINS_SUSP), "MARGIN")],
        }
        base.update(extra)
        return base

    def finding_slots(self, f: _Finding) -> Dict[str, SlotValue]:
        slots: Dict[str, SlotValue] = {
            "lat": lambda: self.lat(f.side),
            "clock": lambda: [_e(self.clock_text(f.hour, f.half), "LOCATION")],
            "quad": lambda: [_e(self.quad_text(f.quad), "LOCATION")],
            "region": lambda: [_e(f.region, "LOCATION")],
            "depth": lambda: [_e(self.depth_text(f.depth), "LOCATION")],
            "fdist": lambda: [_e(self.dist_text(f.dist_cm), "DISTANCE")],
            "fdistrange": lambda: [_e(self.dist_range_text(f.dist_cm), "DISTANCE")],
            "size": lambda: self.size(f.dims),
            "size2": lambda: self.size([max(3, d - self.rng.randint(0, 2)) for d in f.dims]),
            "where": lambda: self.where(f),
            "fshape": lambda: [_e(f.shape, "SHAPE")],
            "fmargin": lambda: [_e(f.margin, "MARGIN")],
            "fdens": lambda: [_e(f.density, "MASS_DENSITY")],
            "desc": lambda: self.mass_desc(f),
            "fmass": lambda: [_e(f.noun or "mass", "MASS")],
            "fcalc": lambda: [_e(f.noun if f.kind == "calc" else self.calc_noun(), "CALCIFICATION")],
            "cmorph": lambda: self.morph_list(f),
            "cdist": lambda: [_e(f.distribution, "CALC_DISTRIBUTION")],
            "fasym": lambda: [_e(f.asym, "ASYMMETRY")],
            "fdistortion": lambda: [_e(f.noun or "architectural distortion", "DISTORTION")],
            "fother": lambda: [_e(f.other, "OTHER_FINDING")],
            "finding": lambda: self.finding_np(f),
            "fbirads": lambda: self.birads(f.birads),
            "cluster": lambda: [_e(self.pick(("cluster", "group", "cluster", "group")), "CALC_DISTRIBUTION")],
        }
        return slots

    def where(self, f: _Finding) -> List[Piece]:
        templates = [
            "in the {lat} breast at {clock}",
            "in the {lat} breast at {clock}, {fdist}",
            "in the {lat} breast at {clock}[[ position]], {fdist}",
            "at {clock} in the {lat} breast",
            "at the {clock} position of the {lat} breast[[, {fdist}]]",
            "in the {lat} {quad}",
            "in the {quad} of the {lat} breast",
            "in the {lat} {quad}[[,]] at {clock}",
            "in the {lat} breast, {quad}, {depth}",
            "in the {lat} breast at {clock}, {depth}",
            "in the {lat} breast at {clock} {fdist}",
            "in the {depth} of the {lat} {quad}",
            "in the {lat} breast {clock} {fdist}",
            "[[located ]]in the {lat} breast at {clock}, {depth}, {fdist}",
            "in the {quad} of the {lat} breast, {fdist}",
            "{lat} {clock}[[,]] {fdist}",
            "{lat} breast, {clock}",
            "in the {lat} breast, {clock} axis, {fdist}",
            "at {clock} {fdist} in the {lat} breast",
            "in the {lat} {quad} ({clock})",
            "in the {lat} breast at {clock}[[,]] {depth}[[,]] approximately {fdist}",
        ]
        slots = self.finding_slots(f)
        if f.region == "posterior":
            regional = ["in the {region} {lat} breast", "in the {lat} breast, {region}[[, at {clock}]]", "in the {region} aspect of the {lat} breast", "in the {region} {lat} breast at {clock}", "in the far {region} {lat} breast"]
        elif f.region in _REGION_WORDS:
            regional = [
                "in the {region} {lat} breast", "in the {region} aspect of the {lat} breast", "in the {lat} breast, {region}[[, {depth}]]",
                "in the {region} portion of the {lat} breast[[ at {clock}]]", "in the {region} {lat} breast[[, {fdist}]]", "{lat} breast, {region}[[, {clock}]]",
            ]
        elif f.region in _REGION_DEPTHS:
            regional = ["in the {lat} breast at {region}", "at {region} in the {lat} breast[[ at {clock}]]", "in the {lat} breast at {clock}, {region}", "in the {lat} {quad} at {region}"]
        elif f.region == "axilla":
            regional = ["in the {lat} {region}", "in the {lat} {region}", "[[near|in]] the {lat} {region}", "in the {lat} breast near the {region}", "in the {lat} breast, extending to the {region}"]
        elif f.region.endswith("areolar"):
            regional = [
                "in the {lat} {region}[[ region]]", "in the {lat} {region}[[ area]]", "in the {lat} breast, {region}", "in the {region} region of the {lat} breast",
                "in the {region} {lat} breast[[ at {clock}]]", "{lat} {region}",
            ]
        else:
            regional = ["in the {lat} {region}[[ region]]", "in the {lat} {region}", "in the {lat} breast, {region}", "in the {region} of the {lat} breast", "[[near|at]] the {lat} {region}"]
        if f.region and self.p(0.45):
            templates = regional
        if self.abbrev and self.p(0.08):
            # glued forms: "R2:00", "LUOQ"
            if self.p(0.5):
                return [_e(f.side[0].upper(), "LATERALITY"), _e(f"{f.hour}:00", "LOCATION"), _t(" "), _e(self.dist_text(f.dist_cm), "DISTANCE")]
            return [_t("in the "), _e(f.side[0].upper(), "LATERALITY"), _e(_QUAD_FORMS[f.quad][3], "LOCATION")]
        return _fill(self.rng, self.pick(templates), self._slots(slots))

    def mass_desc(self, f: _Finding) -> List[Piece]:
        items = []
        if f.shape and self.p(0.8):
            items.append(_e(f.shape, "SHAPE"))
        if f.margin and self.p(0.7):
            items.append(_e(f.margin, "MARGIN"))
        if f.density and self.p(0.45):
            items.append(_e(f.density, "MASS_DENSITY"))
        if self.p(0.3):
            self.rng.shuffle(items)
        return self.join(items, self.pick((" ", " ", " ", ", ")), self.pick((" ", ", ", " and ")))

    def morph_list(self, f: _Finding) -> List[Piece]:
        return self.join([_e(m, "CALC_MORPHOLOGY") for m in f.morph], ", ", self.pick((" and ", " and ", ", ", " or ")))

    def join(self, items: List[Piece], sep: str, last_sep: str) -> List[Piece]:
        out: List[Piece] = []
        for i, item in enumerate(items):
            if i:
                out.append(_t(last_sep if i == len(items) - 1 else sep))
            out.append(item)
        return out

    def finding_np(self, f: _Finding) -> List[Piece]:
        """A short noun phrase naming the finding, as used in impressions."""
        slots = self._slots(self.finding_slots(f))
        if f.kind == "mass":
            return _fill(self.rng, self.pick(("[[{fshape} ]]{fmass}", "{desc} {fmass}", "{fmass}", "{fmargin} {fmass}")), slots)
        if f.kind == "calc":
            return _fill(self.rng, self.pick(("{cmorph} {fcalc}", "{cdist} {cmorph} {fcalc}", "{fcalc}", "{cmorph} {fcalc} in a {cdist} distribution", "{cluster} of {cmorph} {fcalc}")), slots)
        if f.kind == "asym":
            return _fill(self.rng, "{fasym}", slots)
        if f.kind == "distortion":
            return _fill(self.rng, "{fdistortion}", slots)
        return _fill(self.rng, "{fother}", slots)

    # -- random findings ------------------------------------------------------

    def new_finding(self, kind: str, birads: str, side: Optional[str] = None) -> _Finding:
        rng = self.rng
        side = side or self.pick(("right", "left"))
        hour = rng.randint(1, 12)
        upper = hour in (9, 10, 11, 12, 1, 2, 3)
        outer = (hour in range(6, 13)) if side == "right" else (hour in range(0, 7))
        quad = ("U" if upper else "L") + ("O" if outer else "I")
        suspicious = birads in ("4", "4A", "4B", "4C", "5", "6", "0")
        f = _Finding(
            kind=kind, side=side, hour=hour, half=self.p(0.1), quad=quad,
            depth=self.pick(("anterior", "middle", "posterior")),
            dist_cm=self.pick((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 2.5, 3.5, 4.5, 1.5, 6.5)),
            dims=[], birads=birads,
            region=self.pick(_REGIONS) if self.p(0.25) else "",
        )
        if kind == "mass":
            big = rng.randint(4, 45 if suspicious else 25)
            f.dims = [big] if self.p(0.5) else [big, max(3, big - rng.randint(0, 6))] + ([max(3, big - rng.randint(0, 8))] if self.p(0.4) else [])
            f.shape = self.pick(("irregular", "irregular", "round", "lobulated")) if suspicious else self.pick(("oval", "oval", "round", "lobulated"))
            f.margin = self.pick(_MARGINS_SUSP) if suspicious else self.pick(_MARGINS_BENIGN)
            f.density = self.pick(("high density", "high density", "equal density", "hyperdense")) if suspicious else self.pick(_MASS_DENSITIES)
            f.noun = self.mass_noun()
        elif kind == "calc":
            f.dims = [rng.randint(3, 60)] if self.p(0.8) else [rng.randint(5, 40), rng.randint(3, 20)]
            pool = _MORPH_SUSP if suspicious else _MORPH_BENIGN
            f.morph = [self.pick(pool)] + ([self.pick(pool)] if self.p(0.25) else [])
            if len(f.morph) == 2 and f.morph[0] == f.morph[1]:
                f.morph.pop()
            f.distribution = self.pick(("grouped", "clustered", "linear", "segmental", "regional") if suspicious else ("scattered", "diffuse", "regional", "grouped", "scattered"))
            f.noun = self.calc_noun()
        elif kind == "asym":
            f.dims = [rng.randint(8, 40)]
            f.asym = self.pick(_ASYM_TYPES) if not self.typo_rate or self.p(0.7) else self.pick(("focal a symmetry", "assymetry"))
        elif kind == "distortion":
            f.dims = [rng.randint(8, 35)]
            f.noun = self.pick(("architectural distortion", "architectural distortion", "distortion", "architectural distortion"))
        elif kind == "other":
            f.dims = [rng.randint(3, 30)]
            f.other = self.pick(_OTHER)
        return f

    # -- finding sentences ----------------------------------------------------

    def describe(self, f: _Finding) -> List[Piece]:
        """One or two sentences describing a finding in the findings section."""
        slots = self.finding_slots(f)
        method = getattr(self, "_describe_" + f.kind)
        return method(f, slots)

    def _describe_mass(self, f: _Finding, s) -> List[Piece]:
        tpls = [
            "[[There is|There is again|Redemonstrated is|Noted is|Seen is|Demonstrated is|There is a persistent]] a {desc} {fmass} {where}[[, measuring {size}| measuring {size}|, which measures {size}| ({size})]].",
            "A {size} {desc} {fmass} is [[seen|noted|present|identified|demonstrated|visualized]] {where}.",
            "{Where}, there is a {desc} {fmass} measuring [[approximately |about |up to |]]{size}.",
            "{Where} [[is|there is]] a {fshape} {fmass} with {fmargin} margins[[, measuring {size}]].",
            "A {fmass} with {fmargin} margins is [[seen|present|noted]] {where}. It is {fshape} and {fdens}[[, measuring {size}]].",
            "{Lat} breast: {size} {desc} {fmass} at {clock}[[, {fdist}]].",
            "{Lat} {clock} {fdist}: {size} {desc} {fmass}.",
            "{Fmass} {where}: {fshape}, {fmargin}, {fdens}, {size}.",
            "In the {lat} breast at {clock}[[ position]], {fdist}, there is a {desc} {fmass} [[measuring|of|which measures]] {size}.",
            "A {fshape}, {fmargin}[[ and|,]] {fdens} {fmass} [[measuring {size} ]]is [[seen|present]] {where}.",
            "{Desc} {fmass} {where}[[, {size}| ({size})| measuring {size}]].",
            "The {fmass} [[measures|is]] {size} and is [[located|situated]] {where}.",
            "Corresponding to the [[palpable abnormality|area of clinical concern|site marked by the BB|palpable {lump}]], there is a {desc} {fmass} measuring {size}[[ {where}]].",
            "There is a {fdens} {fshape} {fmass} with {fmargin} margins {where}, [[measuring|which measures|that measures]] {size}[[ in greatest dimension| in maximal diameter| in long axis]].",
            "[[A|One]] {desc} {fmass} [[is seen|projects|is visualized]] {where}[[, best seen on the MLO view|, seen on the CC view only| on the spot compression views]].",
            "{Where} there is a [[new |persistent |possible |questionable |]]{fmass} [[measuring|of]] {size} with {fmargin} margins.",
            "A {fmass} is again seen {where}, [[unchanged|stable]] in size at {size}[[ (previously {size2})]].",
            "Spot compression [[views ]][[confirm|demonstrate|show]] a {desc} {fmass} {where}.",
            "Tomosynthesis [[images ]][[demonstrate|show]] a {desc} {fmass} {where}, [[approximately |]]{size}.",
            "{Lat}: {desc} {fmass}, {clock}, {fdist}, {size}.",
            "Mammographically, the {fmass} is {fshape} with {fmargin} margins and {fdens}[[, measuring {size}]].",
            "[[Within|In]] the {lat} {quad} [[there is|is]] a {size} {desc} {fmass}[[ at {clock}]][[, {depth}]].",
            "{Fmass}: {lat} breast, {clock}, {fdist}. Size {size}. Shape {fshape}. Margins {fmargin}.",
            "The [[previously described |known |]]{desc} {fmass} {where} [[now measures|measures]] {size}[[, previously {size2}| (previously {size2})]].",
            "An {fdens} {fmass} with {fmargin} margins [[is present|is identified]] {where}.",
        ]
        if self.british:
            tpls += [
                "There is a {size} {fmargin} {fmass} in the {lat} {quad}[[ at {clock}]].",
                "A {fmargin} {fshape} {fmass} [[is demonstrated|is shown]] {where}, measuring {size}.",
            ]
        pieces = self.fill(self.pick(tpls), s)
        r = self.rng.random()
        if r < 0.15:
            pieces += [_t(" ")] + self.fill("[[There is|There is an|With]] associated {assoc}[[ and {nippleret}]].", s)
        elif r < 0.3:
            pieces += [_t(" ")] + self.fill(self.pick((
                "No associated {calcs!}[[ or {distortion!}]].",
                "There are no associated {calcs!}.",
                "No {calcs!} [[extend beyond|are associated with|are seen within]] the {fmass}.",
                "The {fmass} is [[not palpable|palpable]][[ on clinical examination]].",
                "No {skinthick!} or {nippleret!}.",
                "[[Associated |]]{distortion} cannot be excluded.",
                "There is no change in the {fmass} compared with prior[[ studies]].",
            )), s)
        return pieces

    def _describe_calc(self, f: _Finding, s) -> List[Piece]:
        tpls = [
            "{Cmorph} {fcalc} {where}[[, spanning {size}| extending over {size}| over an area of {size}| measuring {size}]].",
            "There [[are|are new]] {cmorph} {fcalc} in a {cdist} distribution {where}[[, spanning {size}]].",
            "A {cluster} of {cmorph} {fcalc} [[is seen|is present|is identified]] {where}[[, measuring {size}]].",
            "{Cmorph} {fcalc} in a {cdist} distribution {where}[[, spanning {size}]].",
            "There are {cdist} {cmorph} {fcalc} {where}.",
            "{Where}, there are {cmorph} {fcalc} [[in a {cdist} distribution|in a {cdist} configuration|arranged in a {cdist} pattern]][[ spanning| measuring| over]] {size}.",
            "Magnification views [[demonstrate|show|confirm]] {cmorph} {fcalc} {where}[[ in a {cdist} distribution]].",
            "{Cdist} {cmorph} {fcalc} {where}[[, new since the prior study|, not present on the prior exam|, increased in number]].",
            "{Lat} breast: {cdist} {cmorph} {fcalc} at {clock}, {fdist}, spanning {size}.",
            "{Fcalc} {where}: {cmorph}, {cdist}, {size}.",
            "{Lat} {clock} {fdist}: {cdist} {cmorph} {fcalc} over {size}.",
            "A {cluster} of {cmorph} {fcalc} [[measuring|spanning]] {size} is [[seen|noted]] {where}.",
            "A {size} {cluster} of {cmorph} {fcalc} [[is seen|is noted|is present]] {where}.",
            "{Where}, there is a {size} {cluster} of {cmorph} {fcalc}.",
            "{Cmorph} {fcalc} [[are seen|are present]] in a {cluster} {where}[[, spanning {size}]].",
            "There is a {cdist} distribution of {cmorph} {fcalc} {where}, [[spanning|extending over]] {size}.",
            "[[Within|In]] the {lat} {quad}, {cmorph} {fcalc} are [[seen|present|identified]] in a {cdist} distribution[[ spanning {size}]].",
            "{Cmorph} {fcalc} are again [[seen|noted]] {where}, [[unchanged|stable]] in extent[[ ({size})]].",
        ]
        if f.distribution in ("segmental", "linear", "regional"):
            tpls += [
                "{Cmorph} {fcalc} in a {cdist} distribution {where}, extending {fdistrange}.",
                "There are {cdist} {cmorph} {fcalc} in the {lat} breast at {clock}, [[spanning|extending over|located]] {fdistrange}.",
                "{Lat} breast: {cdist} {cmorph} {fcalc} at {clock}, {fdistrange}[[, spanning {size}]].",
            ]
        pieces = self.fill(self.pick(tpls), s)
        r = self.rng.random()
        if r < 0.06:
            # position and extent relative to the finding itself are not LOCATION
            pieces += [_t(" ")] + self.fill(self.pick((
                "A {clip} was placed at the [[posterior|anterior|medial|lateral|superior]] aspect of the {fcalc}.",
                "The {fcalc} [[measure|span]] {size} in anterior and posterior extent.",
                "The anterior and posterior extent of the {fcalc} is {size}.",
                "The biopsy targeted the posterior aspect of the {fcalc}.",
                "The {clip} is [[located |]]at the [[posterior|anterior|inferior]] margin of the {fcalc}.",
            )), s)
        return pieces

    def _describe_asym(self, f: _Finding, s) -> List[Piece]:
        tpls = [
            "There is a {fasym} {where}[[, seen only on the CC view|, seen on the MLO view only|, visible on the CC view| on the MLO view]].",
            "{Fasym} {where}[[, which persists on spot compression views|, which does not efface on spot compression|, partially effacing on spot compression]].",
            "A {fasym} [[is noted|is seen|is present|is identified]] {where}[[, measuring {size}]].",
            "{Where}, there is a {fasym}[[ without associated {calcs!}| without a definite {mass!}| without {distortion!}]].",
            "[[A|The]] {fasym} {where} is [[new|larger|more conspicuous]] compared with the prior [[study|examination|exam]].",
            "{Lat} breast: {fasym} at {clock}, {depth}[[, {fdist}]].",
            "{Lat} {clock} {fdist}: {fasym}.",
            "The [[previously described |questioned |]]{fasym} {where} persists on spot compression [[views|imaging]][[, measuring {size}]].",
            "[[Tomosynthesis|Spot compression]] [[images ]][[show|demonstrate]] a {fasym} {where}[[ without an underlying {mass!}]].",
            "{Fasym} [[is seen |]]{where}[[, {size}]].",
        ]
        return self.fill(self.pick(tpls), s)

    def _describe_distortion(self, f: _Finding, s) -> List[Piece]:
        tpls = [
            "There is {fdistortion} {where}[[ without an associated {mass!}| without associated {calcs!}]].",
            "{Fdistortion} {where}[[, best seen on tomosynthesis| seen on tomosynthesis only|, seen on the CC view]].",
            "An area of {fdistortion} is [[noted|present|seen]] {where}[[, measuring {size}]].",
            "{Where}: {fdistortion}[[, {size}]].",
            "[[Subtle |Possible |Questionable |New |]]{fdistortion} {where}.",
            "{Lat} breast: {fdistortion} at {clock}[[, {depth}]][[, {fdist}]].",
            "{Lat} {clock} {fdist}: {fdistortion}.",
            "Tomosynthesis demonstrates {fdistortion} {where}[[ with no associated {mass!}]].",
            "[[There is|Seen is]] {fdistortion} {where} without [[a ]]sonographic correlate.",
            "{Fdistortion} {where} with [[no|no definite]] central {mass!}.",
            "There is {fdistortion} with a central {cmargin} {mass} {where}[[, measuring {size}]].",
        ]
        s = dict(s, cmargin=lambda: [_e(self.pick(("ill-defined", "ill-defined", "indistinct", "spiculated")), "MARGIN")])
        return self.fill(self.pick(tpls), s)

    def _describe_other(self, f: _Finding, s) -> List[Piece]:
        tpls = [
            "[[There is a|A]] {fother} [[is seen|is noted|is present]] {where}[[, measuring {size}]].",
            "{Fother} {where}[[, {size}]][[, unchanged| unchanged from prior| stable]].",
            "[[Stable|Unchanged|Benign-appearing]] {fother} {where}.",
            "{Lat} breast: {fother} at {clock}.",
            "A {size} {fother} is [[seen|noted|identified]] {where}.",
        ]
        t = self.pick(tpls)
        if f.other in _NO_SIZE_OTHER:
            t = self.pick(("[[There is a|A]] {fother} [[is seen|is noted|is present]] {where}.", "{Fother} {where}[[, unchanged| stable]].", "{Lat} breast: {fother} at {clock}."))
        if f.other == "dilated duct" and self.p(0.5):
            # "solitary" only judges: it stays out of the span
            t = self.pick(("A solitary {fother} [[is seen|is noted|is present]] {where}[[, measuring {size}]].", "Solitary {fother} {where}[[, unchanged| stable]]."))
        # "There is a post-surgical changes" reads wrong: plural nouns get their own frame
        if f.other.endswith(("changes", "lesions", "cysts", "clips")):
            t = self.pick(("{Fother} {where}[[, unchanged| stable]].", "[[There are|Again noted are]] {fother} {where}."))
        pieces = self.fill(t, s)
        if f.other in ("radial scar", "post-surgical scar", "surgical scar", "post-lumpectomy changes", "post-surgical changes") and self.p(0.3):
            # "central" relative to the finding is not LOCATION
            pieces += [_t(" ")] + self.fill(self.pick((
                "There is no central {mass!}.",
                "No central {mass!} is identified.",
                "[[It has|There is]] a central lucency without a central {mass!}.",
                "However, there is a central {margin} {mass}[[ measuring {size}]].",
            )), dict(s, margin=lambda: [_e(self.pick(("ill-defined", "ill-defined", "indistinct", "spiculated")), "MARGIN")]))
        return pieces

    def more(self, f: _Finding) -> List[Piece]:
        """A follow-up sentence about a finding already described."""
        s = self.finding_slots(f)
        noun = {"mass": "{fmass}", "calc": "{fcalc}", "asym": "{fasym}", "distortion": "{fdistortion}"}.get(f.kind, "{fother}")
        tpls = [
            "It [[measures|spans|is]] [[approximately |]]{size}[[ and is located {fdist}]].",
            "This corresponds to the [[palpable abnormality|area of clinical concern|finding on the outside study]].",
            "The " + noun + " is [[unchanged|slightly larger|new]] compared with the prior [[study|exam]] of " + self.date() + ".",
            "No {calcs!} are associated with the " + noun + "." if f.kind != "calc" else "The {fcalc} [[are|appear]] new.",
            "[[On tomosynthesis, the|On the spot compression views, the|The]] " + noun + " [[persists|is more conspicuous|remains visible]].",
            "The " + noun + " is located {fdist}[[, {depth}]].",
            "There is no associated {skinthick!} or {nippleret!}.",
            "The " + noun + " is [[best seen|only seen]] on the [[CC|MLO|ML]] view[[ at {depth}]].",
            "This finding was not present on the study from " + self.date() + ".",
            "[[Given its appearance, |]]tissue sampling is recommended.",
        ]
        return self.fill(self.pick(tpls), s)

    def _describe_assoc(self, f: _Finding, s) -> List[Piece]:
        return self.fill("[[There is |]]{assoc} {where}.", s)


# ---------------------------------------------------------------------------
# Report sections
# ---------------------------------------------------------------------------


def _heading(g: _Generator, name: str, style: str) -> str:
    names = {
        "history": ("CLINICAL HISTORY", "HISTORY", "INDICATION", "Clinical information", "Reason for exam", "CLINICAL INDICATION", "Indication", "History"),
        "comparison": ("COMPARISON", "Comparison", "COMPARISON STUDIES", "Prior studies", "Comparison"),
        "technique": ("TECHNIQUE", "Technique", "PROCEDURE", "Views", "TECHNIQUE"),
        "findings": ("FINDINGS", "Findings", "FINDINGS", "REPORT", "Mammogram findings"),
        "us": ("ULTRASOUND", "BREAST ULTRASOUND", "Ultrasound findings", "US FINDINGS", "Targeted ultrasound"),
        "impression": ("IMPRESSION", "Impression", "IMPRESSION", "CONCLUSION", "Conclusion", "Opinion", "SUMMARY"),
        "assessment": ("ASSESSMENT", "BI-RADS ASSESSMENT", "Final assessment", "OVERALL ASSESSMENT", "Assessment"),
        "recommendation": ("RECOMMENDATION", "RECOMMENDATIONS", "Recommendation", "Plan", "FOLLOW-UP"),
    }
    text = g.pick(names[name])
    if style == "upper":
        text = text.upper()
    elif style == "title":
        text = text.title().replace("Bi-Rads", "BI-RADS")
    return text


class _Report:
    """Assembles sections into one report."""

    def __init__(self, g: _Generator):
        self.g = g
        self.pieces: List[Piece] = []
        self.heading_style = g.pick(("upper", "upper", "title", "asis"))
        self.layout = g.pick(("newline", "newline", "inline", "blank", "numbered"))
        self.section_no = 0

    def add(self, pieces: List[Piece]) -> None:
        self.pieces.extend(pieces)

    def text(self, text: str) -> None:
        self.pieces.append(_t(text))

    def section(self, name: str, sentences: List[List[Piece]], bullets: bool = False) -> None:
        g = self.g
        if not sentences:
            return
        if self.pieces:
            self.text(g.pick(("\n\n", "\n\n", "\n", "\n\n\n", "\n \n")))
        head = _heading(g, name, self.heading_style)
        self.section_no += 1
        if self.layout == "numbered" and g.p(0.5):
            head = f"{self.section_no}. {head}"
        sep_after = {"newline": ":\n", "inline": ": ", "blank": ":\n\n", "numbered": ":\n"}[self.layout]
        if g.p(0.08):
            sep_after = sep_after.replace(":", "")
        self.text(head + sep_after)
        self.body(sentences, bullets)

    def body(self, sentences: List[List[Piece]], bullets: bool = False) -> None:
        g = self.g
        if bullets and len(sentences) > 1:
            marker = g.pick(("- ", "* ", "• ", "NUM", "NUM)"))
            for i, sentence in enumerate(sentences):
                if i:
                    self.text("\n")
                if marker.startswith("NUM"):
                    self.text(f"{i + 1}{')' if marker.endswith(')') else '.'} ")
                else:
                    self.text(marker)
                self.add(sentence)
            return
        for i, sentence in enumerate(sentences):
            if i:
                self.text(g.pick((" ", " ", " ", " ", "  ", "\n", " \n")) if g.p(0.85) else "\n")
            self.add(sentence)


def _header(g: _Generator, exam: List[Piece]) -> List[Piece]:
    lines: List[List[Piece]] = []
    if g.p(0.35):
        lines.append([_t(f"Patient: {g.name().replace('Dr. ', '').replace('Dr ', '')}")])
    if g.p(0.4):
        lines.append([_t(g.pick(("MRN", "MRN #", "Patient ID", "ID")) + f": {g.rng.randint(100000, 99999999):08d}")])
    if g.p(0.35):
        lines.append([_t(g.pick(("Accession", "Accession #", "ACC", "Acc. No.")) + ": " + g.pick(("A", "", "MG", "ACC")) + str(g.rng.randint(1000000, 99999999)))])
    if g.p(0.3):
        lines.append([_t(f"DOB: {g.date(1930, 1990)}")])
    if g.p(0.5):
        lines.append([_t(g.pick(("Exam date", "Date of exam", "Date", "Study date", "DOS")) + f": {g.date()}" + (f" {g.time()}" if g.p(0.6) else ""))])
    if g.p(0.25):
        lines.append([_t(g.pick(("Referring physician", "Ordering provider", "Referred by")) + f": {g.name()}")])
    if g.p(0.15):
        lines.append([_t(g.pick(("CPT: 77067", "CPT 77066", "CPT: 77065", "CPT: 76641", "Code: MAM-SCR")))])
    g.rng.shuffle(lines)
    if exam:
        lines.insert(0 if g.p(0.5) else len(lines), [_t(g.pick(("EXAM: ", "Exam: ", "PROCEDURE: ", "Study: ", "", "", "")))] + exam)
    out: List[Piece] = []
    for i, line in enumerate(lines):
        if i:
            out.append(_t("\n"))
        out.extend(line)
    return out


def _signature(g: _Generator) -> List[Piece]:
    who = g.name()
    return [_t(g.pick((
        f"Electronically signed by: {who}, MD on {g.date()} at {g.time()}",
        f"Electronically signed by {who} {g.date()} {g.time()}",
        f"Dictated by: {who}\nDictated: {g.date()} {g.time()}\nTranscribed: {g.date()} {g.time()}",
        f"{who}, M.D.\nRadiologist",
        f"Reported by: {who} (Consultant Radiologist) {g.date()}",
        f"Signed: {who} {g.date()} {g.time()}",
        f"DD: {g.date()} {g.time()}  DT: {g.date()} {g.time()}\n{who}",
        f"Read by: {who}. Results were sent to the patient by letter.",
        f"I have personally reviewed the images and agree with the report above.\n{who}",
        f"*** Final Report ***\nSigned by {who} on {g.date()} {g.time()}",
    )))]


def _exam_title(g: _Generator, side: str, kind: str) -> List[Piece]:
    lat = {"right": lambda: g.lat("right"), "left": lambda: g.lat("left"), "bilateral": lambda: [_e(g.lat_text("bilateral"), "LATERALITY")]}[side]
    slots = {"lat": lat}
    if kind == "screening":
        tpls = (
            "{Lat} screening mammogram[[ with tomosynthesis| with CAD| (2D/3D)| with DBT]]",
            "SCREENING MAMMOGRAM {LAT}[[ WITH TOMOSYNTHESIS| W/ CAD]]",
            "Digital screening mammography, {lat}",
            "MAMMO SCREENING {LAT} W TOMO",
            "{LAT} DIGITAL SCREENING MAMMOGRAM",
            "Screening mammogram",
            "Mammography, screening[[, {lat}]]",
        )
    elif kind == "us":
        tpls = (
            "{Lat} diagnostic mammogram and {lat} breast ultrasound",
            "DIAGNOSTIC MAMMOGRAM {LAT} AND US BREAST {LAT} LIMITED",
            "{LAT} DIAGNOSTIC MAMMOGRAM WITH TARGETED ULTRASOUND",
            "Mammogram and ultrasound of the {lat} breast",
            "US BREAST {LAT} LIMITED[[ AND DIAGNOSTIC MAMMOGRAM]]",
        )
    else:
        tpls = (
            "{Lat} diagnostic mammogram",
            "DIAGNOSTIC MAMMOGRAM {LAT}[[ WITH TOMOSYNTHESIS]]",
            "MAMMO DIAG {LAT}[[ W CAD| W TOMO]]",
            "Diagnostic mammography of the {lat} breast",
            "{LAT} DIAGNOSTIC MAMMOGRAM[[ AND SPOT COMPRESSION VIEWS]]",
            "Diagnostic mammogram",
        )
    t = g.pick(tpls)
    upper = "{LAT}" in t
    pieces = g.fill(t.replace("{LAT}", "{lat}"), slots)
    if upper:
        pieces = [(p[0].upper(), p[1], p[2]) for p in pieces]
    return pieces


def _history(g: _Generator, kind: str, findings: List[_Finding], side: str) -> List[List[Piece]]:
    age = g.rng.randint(28, 88)
    sex = g.pick(("woman", "female", "F", "female patient", "patient"))
    out = []
    f0 = findings[0] if findings else g.new_finding("mass", "4A", side if side != "bilateral" else None)
    s = g.finding_slots(f0)
    if kind == "screening":
        out.append(g.fill(g.pick((
            f"{age}-year-old {sex} for [[routine |annual |]]screening.",
            f"Screening. {age} y/o.",
            "Routine screening[[, asymptomatic| mammogram]].",
            "Annual screening mammogram. No current breast complaints.",
            f"{age} {sex}. Screening.",
            "Asymptomatic. [[Family history of breast cancer in [[mother|sister|maternal aunt]].|No family history.|Baseline study.]]",
            f"{age}-year-old {sex}, [[baseline|routine]] screening[[, high risk|]].",
            f"Screening round {g.rng.randint(2, 9)}.[[ No complaints.]]",
            f"{age}-year-old {sex}, screening round {g.rng.randint(2, 9)}.",
            f"Population screening, round {g.rng.randint(2, 9)}[[, asymptomatic]].",
        ))))
    elif kind == "palpable":
        out.append(g.fill(g.pick((
            "Palpable {lump} in the {lat} breast at {clock}.",
            f"{age}-year-old {sex} with a palpable {{lump}} in the {{lat}} breast[[, {{quad}}| at {{clock}}]].",
            "[[Patient reports|Patient presents with|Complains of]] a [[new |tender |]]{lump} {lat} breast[[ for 2 weeks| for several months|]].",
            "{Lat} breast {lump}[[, palpable| at {clock}]]. [[Pain.|No nipple discharge.|]]",
            "{Lat} breast pain and palpable thickening[[ at {clock}]].",
            "{Lat} breast nodularity[[ on self exam]]. R/O malignancy.",
            "Two palpable {lumps} in the {lat} breast[[ at {clock}]]. R/O malignancy.",
            "Clinical breast exam: palpable {lump} {lat} {quad}.",
        )), s))
    elif kind == "callback":
        out.append(g.fill(g.pick((
            "Recall from screening for {finding} in the {lat} breast.",
            "Callback from screening mammogram [[dated ]]" + g.date() + " for {lat} breast {finding}.",
            "Additional evaluation of {finding} seen on recent screening[[ ({birads0})]].",
            "Abnormal screening mammogram[[, {birads0}]]. {Lat} {finding}.",
            "Further evaluation of a {lat} breast {finding} [[detected|identified]] on screening.",
        )), dict(s, birads0=lambda: g.birads("0"))))
    elif kind == "followup":
        out.append(g.fill(g.pick((
            "[[Six|6]]-month follow-up of probably benign {finding} in the {lat} breast[[ ({birads3})]].",
            "Short-interval follow-up. Prior {birads3} {lat} breast {finding}.",
            "Follow-up of {lat} breast {finding}, previously assessed as {birads3}.",
            "Short term follow up {lat} {finding} {clock}.",
        )), dict(s, birads3=lambda: g.birads("3"))))
    elif kind == "lumpectomy":
        out.append(g.fill(g.pick((
            "History of {lat} breast cancer status post lumpectomy and radiation[[ in " + str(g.rng.randint(2008, 2022)) + "]].",
            "Personal history of {lat} breast IDC, s/p lumpectomy[[ and XRT]]. Annual surveillance.",
            "S/p {lat} lumpectomy for DCIS[[ " + str(g.rng.randint(2008, 2022)) + "]]. Surveillance mammogram.",
            "{Lat} lumpectomy " + str(g.rng.randint(2008, 2022)) + ". Follow-up.",
            "Post-treatment surveillance, {lat} breast cancer[[ treated with breast conservation]].",
        )), s))
    elif kind == "known":
        out.append(g.fill(g.pick((
            "Biopsy-proven invasive ductal carcinoma of the {lat} breast at {clock}. Extent of disease evaluation.",
            "Known {lat} breast cancer[[ (IDC, grade 2)| (DCIS)| (invasive lobular carcinoma)]]. Pre-operative evaluation.",
            "Biopsy-proven invasive lobular carcinoma [[of the|in the]] {lat} breast[[ at {clock}]]. Staging.",
            "Recent {lat} breast ultrasound-guided biopsy at {clock} showing carcinoma. Staging.",
            "Newly diagnosed {lat} breast malignancy[[ at {clock}]]. Evaluate for additional disease.",
        )), s))
    elif kind == "postbiopsy":
        out.append(g.fill(g.pick((
            "Post-procedure mammogram after {lat} breast stereotactic biopsy of {finding}.",
            "Clip placement check following {lat} breast [[ultrasound-guided|stereotactic|tomosynthesis-guided]] core biopsy[[ at {clock}]].",
            "Status post {lat} breast biopsy today. Confirm clip position.",
        )), s))
    elif kind == "implants":
        out.append(g.fill(g.pick((
            f"{age}-year-old {sex} with {{implants}}. Screening.",
            "Cosmetic augmentation. Routine screening.",
            "History of augmentation[[ with {implants}]]. Annual screening.",
        ))))
    elif kind == "male":
        out.append(g.fill(g.pick((
            f"{age}-year-old male with {{lat}} breast enlargement[[ and tenderness]].",
            "Male patient. Palpable {lump} {lat} {subareolar} region.",
            "{Lat} breast swelling. Rule out gynecomastia versus mass.",
        )), s))
    if g.p(0.35):
        out.append(g.fill(g.pick((
            "Family history of breast cancer in [[mother|sister|maternal grandmother]][[ at age " + str(g.rng.randint(35, 75)) + "]].",
            "No family history of breast cancer.",
            "Prior {lat} breast biopsy " + str(g.rng.randint(2005, 2022)) + ", benign[[ ({fa})]].",
            "History of benign {lat} breast biopsy.",
            "On hormone replacement therapy.",
            "Prior [[mammogram|study]] assessed as {birads_prior}.",
            "Previous {birads_prior} in " + str(g.rng.randint(2010, 2023)) + ".",
            "BRCA1 carrier.",
            "Lifetime risk " + str(g.rng.randint(12, 35)) + "% (Tyrer-Cuzick).",
        )), dict(s, birads_prior=lambda: g.birads(g.pick(("1", "2", "3", "2", "0"))))))
    return out


def _comparison(g: _Generator) -> List[List[Piece]]:
    if g.p(0.15):
        return [g.fill(g.pick(("None.", "None available.", "No prior studies available for comparison.", "No prior imaging.", "Baseline examination.")))]
    dates = [g.date() for _ in range(g.rng.randint(1, 3))]
    out = [g.fill(g.pick((
        ", ".join(dates) + ".",
        "Prior mammograms dated " + " and ".join(dates) + ".",
        "Compared with prior studies from " + ", ".join(dates) + ".",
        "Comparison is made to exams dated " + ", ".join(dates) + "[[ from an outside facility]].",
        "Previous mammogram " + dates[0] + ".",
        "Priors: " + "; ".join(dates),
    )))]
    if g.p(0.2):
        out.append(g.fill(g.pick((
            "The prior exam was assessed as {bir}.",
            "Prior assessment: {bir}.",
            "(previous {bir})",
        )), {"bir": lambda: g.birads(g.pick(("1", "2", "2", "3", "0")))}))
    return out


def _technique(g: _Generator, side: str, kind: str) -> List[List[Piece]]:
    lat = {"right": lambda: g.lat("right"), "left": lambda: g.lat("left"), "bilateral": lambda: [_e(g.lat_text("bilateral"), "LATERALITY")]}[side]
    slots = {"lat": lat}
    if kind == "screening":
        tpls = (
            "Standard CC and MLO views of [[{both} breasts|the breasts]] were obtained.",
            "{Lat} CC and MLO views[[ with tomosynthesis]].",
            "[[Digital breast tomosynthesis|Tomosynthesis]] and synthesized 2D images of {both} breasts were obtained in the CC and MLO projections.",
            "RCC, LCC, RMLO and LMLO views were obtained[[. Computer-aided detection was utilized]].",
            "Full-field digital mammography[[ with CAD]]. Both CC and MLO views were obtained.",
            "Standard screening views[[ with tomosynthesis]].",
            "2D and 3D mammography of {both} breasts[[, CAD applied]].",
        )
    else:
        tpls = (
            "Spot compression and 90-degree lateral views of the {lat} breast were obtained.",
            "{Lat} CC, MLO and ML views[[ with spot compression]].",
            "Diagnostic views of the {lat} breast including spot magnification views[[ in the CC and ML projections]].",
            "Additional views: spot compression CC and MLO, 90 degree lateral.",
            "[[Digital breast tomosynthesis|Tomosynthesis]] of the {lat} breast in CC and MLO projections[[ with a 90-degree lateral view]].",
            "LCC, LMLO, LML and spot compression views.",
            "RCC, RMLO, RML[[ and XCCL]] views.",
            "Targeted ultrasound of the {lat} breast was performed[[ by the technologist and radiologist]].",
            "Targeted ultrasound of both palpable sites in the {lat} breast was performed.",
            "A BB was placed over both palpable sites[[ in the {lat} breast]].",
            "Standard and implant-displaced views.",
        )
    out = [g.fill(g.pick(tpls), slots)]
    if g.p(0.25):
        out.append(g.fill(g.pick(("Computer-aided detection (CAD) was used.", "CAD was utilized in interpretation.", "A skin marker was placed over the area of concern.", "A BB marks the palpable site."))))
    return out


def _composition(g: _Generator, letter: str) -> List[Piece]:
    slots = {
        "comp": lambda: [_e(g.comp_text(letter), "COMPOSITION")],
        "cletter": lambda: [_e(g.comp_letter(letter), "COMPOSITION")],
        "bare": lambda: [_e(letter.upper(), "COMPOSITION")],
        "paren": lambda: [_e(letter, "COMPOSITION")],
    }
    common = [
        "The breasts are {comp} ({paren}).",
        "Breast composition: {comp} ({paren}).",
        "Density: {bare} - {comp}.",
        "The breasts are {comp}.",
        "The breast tissue is {comp}.",
        "Breast composition: {comp}.",
        "The breasts are {comp} ({cletter}).",
        "Breast composition: {cletter} - {comp}.",
        "Breast density: {bare} - {comp}.",
        "Density: {bare} ({comp})",
        "{Cletter}: {comp}.",
        "Composition: {cletter}.",
        "The breast density is {cletter}.",
        "[[Tissue density|Breast density|Density]]: {cletter}.",
        "The breast tissue is {comp} ({cletter}).",
        "Breast composition is {cletter}.",
        "Density {bare}.",
        "Breast density {bare}.",
        "{Comp} breast tissue.",
    ]
    extra = {
        "a": [
            "The breasts are {comp}[[ ({cletter})]].",
            "The breasts are composed almost entirely of fat ({cletter}).",
            "The breasts are {fat}[[ ({paren})]].",
            "The breast tissue is {fat}.",
            "{Comp} breasts.",
            "There is {comp} breast tissue.",
        ],
        "b": [
            "There are {comp}.",
            "There are {comp} ({cletter}).",
            "The breasts are composed of {comp}.",
            "The breast tissue consists of {comp}.",
            "{Comp}.",
            "[[Mild |]]{comp} [[is|are]] present.",
        ],
        "c": [
            "The breasts are {comp}, which may obscure small {masses}.",
            "The breast tissue is {comp}, which may obscure small {masses}.",
            "The breasts are {comp} ({cletter}), which may obscure small {masses}.",
            "{Comp} breast tissue ({cletter}), which could obscure small {masses}.",
            "The breasts are {comp}. This may lower the sensitivity of mammography.",
            "{Comp} breasts ({cletter}).",
            "[[{Bilat} |]]{comp} parenchyma.",
        ],
        "d": [
            "The breasts are {comp}, which lowers the sensitivity of mammography.",
            "The breast tissue is {comp} ({cletter}), which lowers the sensitivity of mammography.",
            "The breasts are {comp}. This may obscure small {masses}.",
            "{Comp} breasts ({cletter}).",
            "{Comp} breast parenchyma[[, which reduces sensitivity]].",
        ],
    }[letter]
    slots["fat"] = lambda: [_e(g.pick(("almost entirely fat", "almost entirely fatty")), "COMPOSITION")]
    return g.fill(g.pick(common + extra * 2), slots)


def _density_checklist(g: _Generator, letter: str) -> List[Piece]:
    pieces: List[Piece] = [_t(g.pick(("Breast composition: ", "Density: ", "BREAST DENSITY: ", "Composition (ACR): ")))]
    upper = g.p(0.5)
    ticked, empty = g.pick((("[x] ", "[ ] "), ("[X] ", "[ ] "), ("(x) ", "( ) ")))
    gap = g.pick(("  ", " ", "   "))
    for i, option in enumerate("abcd"):
        shown = option.upper() if upper else option
        if i:
            pieces.append(_t(gap))
        if option == letter:
            pieces += [_t(ticked), _e(shown, "COMPOSITION")]
        else:
            pieces.append(_t(empty + shown))
    return pieces


def _density_notice(g: _Generator, letter: str) -> List[List[Piece]]:
    dense = lambda: [_e(g.pick(("dense", "dense", "dense")), "COMPOSITION")]
    slots = {"dense": dense, "comp": lambda: [_e(g.comp_text(letter), "COMPOSITION")]}
    tpls = [
        "Your mammogram shows that your breast tissue is {dense}. {Dense} breast tissue is common and is not abnormal. However, {dense} breast tissue can make it harder to find cancer on a mammogram and may also be associated with an increased risk of breast cancer. This information about the result of your mammogram is given to you to raise your awareness. Use this information to talk to your health care provider about whether other supplemental tests in addition to your mammogram may be appropriate for you, based on your individual risk.",
        "BREAST DENSITY NOTIFICATION: The patient's breast tissue is {dense}. [[A letter regarding breast density has been sent to the patient.|Information on breast density was provided to the patient.]]",
        "Breast density notification: The breasts are {comp}. {Dense} breast tissue can hide abnormalities. [[Supplemental screening with ultrasound or MRI may be considered.|Discuss supplemental screening with your doctor.]]",
        "Per state law, the patient has been notified that she has {dense} breast tissue.",
        "Note: {Dense} breast tissue may reduce the sensitivity of mammography. Please discuss breast density with your provider.",
    ]
    return [g.fill(g.pick(tpls), slots)]


def _negative_sentences(g: _Generator, sides: str = "both") -> List[List[Piece]]:
    """Negated finding statements (negation per guidelines)."""
    nouns = {
        "masses": lambda: [_e(g.pick(("masses", "masses", "mass", "nodules", "lesions")), "MASS")],
        "calcs": lambda: [_e(g.pick(("calcifications", "microcalcifications", "calcifications", "calcs", "calcification")), "CALCIFICATION")],
        "distortion": lambda: [_e(g.pick(("architectural distortion", "architectural distortion", "distortion")), "DISTORTION")],
        "asym": lambda: [_e(g.pick(("asymmetries", "asymmetry", "focal asymmetry", "developing asymmetry")), "ASYMMETRY")],
        "ndesc": lambda: [_e(g.pick(("spiculated", "spiculated", "indistinct", "microlobulated")), "MARGIN")],
        "nshape": lambda: [_e(g.pick(("irregular", "round")), "SHAPE")],
        "nmorph": lambda: [_e(g.pick(("pleomorphic", "fine pleomorphic", "amorphous", "fine linear branching", "fine linear")), "CALC_MORPHOLOGY")],
        "ndist": lambda: [_e(g.pick(("clustered", "grouped", "segmental", "linear")), "CALC_DISTRIBUTION")],
        "lat": lambda: g.lat(g.pick(("right", "left"))),
        "where_both": lambda: g.fill("[[in {either} breast|{bilaterally}|in {both} breasts|||in the {lat} breast]]", {"lat": lambda: g.lat(g.pick(("right", "left")))}),
    }
    tpls = [
        "No suspicious {masses!}, {calcs!}, or {distortion!}[[ is seen| are seen| is identified]] {where_both}.",
        "There is no [[dominant |suspicious |]]{masses!}, suspicious {calcs!}, or {distortion!} {where_both}.",
        "No [[dominant |suspicious |new |]]{masses!}, {distortion!} or suspicious {calcs!}.",
        "Negative for {masses!} or suspicious {calcs!}.",
        "There are no {ndesc!} {masses!}, suspicious {calcs!}, or areas of {distortion!}.",
        "No {nshape!} {ndesc!} {masses!} [[are seen|are identified]].",
        "No {ndist!} {nmorph!} {calcs!} [[are seen|are present|are identified]].",
        "No suspicious {ndist!} {calcs!}.",
        "There is no mammographic evidence of malignancy.",
        "No [[new |suspicious |]]{masses!} or {calcs!}.",
        "No [[new |]]{masses!}, {calcs!}, {asym!}, or {distortion!}.",
        "No evidence of {masses!}, {distortion!}, or suspicious {calcs!} {where_both}.",
        "No e/o {masses!} or {calcs!}.",
        "Neither {masses!} nor {calcs!} [[are seen|are identified|are present]].",
        "The {lat} breast is free of {masses!} and suspicious {calcs!}.",
        "{Masses!}, {calcs!} and {distortion!} are absent.",
        "Suspicious {calcs!} are not seen.",
        "No suspicious findings.",
        "No {masses!}, {calcs!} or {distortion!} [[to suggest malignancy|suspicious for malignancy]].",
        "There are no findings suspicious for malignancy.",
        "Absence of {masses!}, {distortion!} or suspicious {calcs!}.",
        "Without {masses!} or {calcs!} of concern.",
        "{Masses!}: none. {Calcs!}: none. {Distortion!}: none.",
        "No {skinthick!}, {nippleret!}, or {adenopathy!}.",
        "No {adenopathy!}.",
        "The skin and nipples are [[unremarkable|normal]].",
        "No {skinthick!} or {nippleret!}.",
        "There is no {adenopathy!}[[ {bilaterally}]].",
        "No significant interval change.",
        "Stable mammogram.",
        "No [[new or enlarging |]]{masses!}.",
        "No new {calcs!} or {masses!}.",
        "No {asym!} [[or {distortion!} ]]is [[seen|identified]].",
        "[[No|There is no]] {distortion!}.",
        "Nil {masses!} or {calcs!}.",
        "The {lat} {axilla} is [[unremarkable|normal|clear]].",
        "No {adenopathy!} in the {lat} {axilla}.",
        "No suspicious findings in {either} breast.",
        "There is no evidence of malignancy in {either} breast.",
    ]
    return [g.fill(g.pick(tpls), nouns)]


def _benign_sentences(g: _Generator) -> List[Piece]:
    """Incidental benign findings, typically BI-RADS 2."""
    lat = lambda: g.lat(g.pick(("right", "left")))
    slots = {
        "lat": lat,
        "bmorph": lambda: [_e(g.pick(("vascular", "vascular", "coarse", "dystrophic", "round", "punctate", "skin", "dermal", "rim", "large rod-like", "secretory", "lucent-centered", "milk of calcium")), "CALC_MORPHOLOGY")],
        "popcorn": lambda: [_e(g.pick(("popcorn", "popcorn-like")), "CALC_MORPHOLOGY")],
        "coarse": lambda: [_e("coarse", "CALC_MORPHOLOGY")],
        "scattered": lambda: [_e(g.pick(("scattered", "scattered", "diffuse")), "CALC_DISTRIBUTION")],
        "round": lambda: [_e("round", "CALC_MORPHOLOGY")],
        "punctate": lambda: [_e("punctate", "CALC_MORPHOLOGY")],
        "vascular": lambda: [_e("vascular", "CALC_MORPHOLOGY")],
        "moc": lambda: [_e("milk of calcium", "CALC_MORPHOLOGY")],
        "quad": lambda: [_e(g.quad_text(g.pick(("UO", "UI", "LO", "LI"))), "LOCATION")],
        "clock": lambda: [_e(g.clock_text(g.rng.randint(1, 12)), "LOCATION")],
        "oilcyst": lambda: [_e(g.pick(("oil cyst", "oil cysts")), "OTHER_FINDING")],
        "skinlesion": lambda: [_e(g.pick(("skin lesion", "skin lesions")), "OTHER_FINDING")],
        "fn": lambda: [_e(g.pick(("fat necrosis",)), "OTHER_FINDING")],
    }
    tpls = [
        "[[Benign-appearing|Benign|Scattered benign]] {calcs} [[are present|are noted|are seen]] {bilaterally}.",
        "{Scattered} benign {calcs} {bilaterally}.",
        "{Vascular} {calcs} [[are noted|are present|are seen]][[ {bilaterally}| in the {lat} breast]].",
        "{Bmorph} {calcs} [[are noted|are present]] in the {lat} breast[[, unchanged| consistent with benign etiology| typically benign]].",
        "[[Coarse|Large]] {popcorn} {calcs} [[consistent with|compatible with|representing]] [[a degenerating|an involuting|a calcified]] {fa} in the {lat} breast.",
        "{Coarse} {popcorn} {calcs} in the {lat} {quad}.",
        "{Round} and {punctate} {calcs} are {scattered} throughout {both} breasts.",
        "{Moc} {calcs} layering on the 90-degree lateral view[[, benign]].",
        "{Bmorph} {calcs} at the lumpectomy site.",
        "Benign {imln} in the {lat} {quad}.",
        "A [[benign-appearing |]]{imln} is [[again ]]seen in the {lat} breast[[ at {clock}]].",
        "Benign-appearing {axnodes} [[are seen|are noted|are present]] [[{bilaterally}|in the {lat} {axilla}]].",
        "{Axnodes} with fatty hila [[are seen |]]in the {lat} {axilla}.",
        "[[Normal-appearing|Benign-appearing|Normal]] {axnodes} with [[preserved |]]fatty hila are [[seen|noted]] in the {lat} {axilla}.",
        "A benign {imln} with a fatty hilum is [[seen|noted]] in the {lat} {quad}[[ near the {axilla}]].",
        "A {imln} is seen [[near|adjacent to]] the {lat} {axilla}[[, unchanged]].",
        "{Post} in the {lat} breast[[, stable| unchanged| without suspicious findings]].",
        "[[Stable |Expected |]]{post} [[in|of]] the {lat} breast[[ at {clock}| in the {quad}]].",
        "{Bilat} {reduction}[[, stable| unchanged]].",
        "{Posttrauma} in the {lat} breast [[related to|following]] [[a prior motor vehicle accident|prior trauma|a seat belt injury]].",
        "[[Stable |]]{pss} in the {lat} breast[[ at {clock}| in the {quad}]].",
        "{Sclips} [[are present|are noted|are seen]] in the {lat} breast[[ from prior lumpectomy| at the lumpectomy site| in the {quad}]].",
        "[[Stable |Unchanged |]]{ccysts} in the {lat} breast[[ at {clock}| in the {quad}]].",
        "[[A stable|An unchanged|A]] {benmass} is [[noted|seen|present]] in the {lat} {quad}[[, benign]].",
        "Stable {lat} breast {benmass}[[ at {clock}]].",
        "A solitary {dd} is [[seen|noted]] in the {lat} {areolar} region[[, unchanged]].",
        "{Secretory} {calcs} [[are noted|are present|are seen]] {bilaterally}[[, consistent with secretory disease]].",
        "{Rodlike} {calcs} [[consistent with|compatible with|typical of]] secretory disease [[in the {lat} breast|{bilaterally}]].",
        "Findings [[are consistent with|compatible with]] secretory disease[[ in {both} breasts]].",
        "Stable {lat} breast {fa} with {coarse} {calcs}.",
        "{Clip} in the {lat} breast [[from prior benign biopsy|at the site of prior benign biopsy|unchanged]].",
        "A {clip} is present in the {lat} {quad}[[ from prior stereotactic biopsy]].",
        "{Rim} {calcs} consistent with an {oilcyst} in the {lat} breast.",
        "{Skinlesion} [[marked with a BB|marked by a skin marker]] in the {lat} breast.",
        "{Bmorph} {calcs} {bilaterally}.",
        "Stable {scattered} {bmorph} {calcs} {bilaterally}.",
        "There are {scattered} {bmorph} {calcs} in {both} breasts.",
        "{Lat} breast: benign {calcs}. No suspicious findings.",
        "No interval change in the known benign {calcs}.",
        "Unchanged {lat} breast {cyst}.",
        "Stable {lat} breast {fn} at the surgical site.",
        "Benign {bmorph} {calcs} in the {lat} breast, stable since " + str(g.rng.randint(2012, 2023)) + ".",
    ]
    slots.update({
        "rim": lambda: [_e("rim", "CALC_MORPHOLOGY")],
        "post": lambda: [_e(g.pick(_POST_CHANGES), "OTHER_FINDING")],
        "reduction": lambda: [_e("post-reduction changes", "OTHER_FINDING")],
        "posttrauma": lambda: [_e(g.pick(("post-traumatic changes", "post-traumatic changes", "fat necrosis")), "OTHER_FINDING")],
        "pss": lambda: [_e(g.pick(("post-surgical scar", "post-surgical scar", "postsurgical scar", "surgical scar")), "OTHER_FINDING")],
        "sclips": lambda: [_e("surgical clips", "OTHER_FINDING")],
        "ccysts": lambda: [_e(g.pick(("complicated cysts", "microcysts", "complicated cyst", "cysts")), "OTHER_FINDING")],
        "benmass": lambda: [_e(g.pick(("lipoma", "galactocele", "seroma", "hematoma", "fat necrosis", "oil cyst")), "OTHER_FINDING")],
        "dd": lambda: [_e("dilated duct", "OTHER_FINDING")],
        "areolar": lambda: [_e(g.pick(("subareolar", "retroareolar", "periareolar")), "LOCATION")],
        "secretory": lambda: [_e("secretory", "CALC_MORPHOLOGY")],
        "rodlike": lambda: [_e(g.pick(("rod-like", "rod-like", "large rod-like")), "CALC_MORPHOLOGY")],
        "imln": lambda: [_e(g.pick(("intramammary lymph node", "intramammary node", "lymph node")), "OTHER_FINDING")],
    })
    return g.fill(g.pick(tpls), slots)


def _us_sentences(g: _Generator, f: _Finding) -> List[List[Piece]]:
    """Ultrasound description: echo pattern, orientation, posterior features and vascularity stay unannotated."""
    s = g.finding_slots(f)
    echo = g.pick(("hypoechoic", "hypoechoic", "anechoic", "isoechoic", "heterogeneous", "complex cystic and solid", "hyperechoic", "markedly hypoechoic"))
    orient = g.pick(("parallel orientation", "parallel orientation", "non-parallel orientation", "a taller-than-wide orientation", "a wider-than-tall orientation", "an orientation parallel to the skin"))
    post = g.pick(("posterior acoustic enhancement", "posterior acoustic shadowing", "no posterior features", "posterior shadowing", "combined posterior features", "no posterior acoustic features"))
    vasc = g.pick((
        "internal vascularity", "no internal vascularity", "peripheral vascularity", "no internal flow", "increased vascularity on color Doppler",
        "no Doppler flow", "internal vascular flow", "no internal vascular flow", "internal vascular flow on color Doppler",
    ))
    usdesc = lambda: g.join(
        [_e(f.shape or g.pick(("oval", "irregular", "round")), "SHAPE"), _t(echo)]
        + ([_e(f.margin or g.pick(("circumscribed", "indistinct", "angular", "microlobulated", "spiculated")), "MARGIN")] if g.p(0.6) else []),
        g.pick((" ", ", ")), g.pick((" ", ", ", " and ")))
    s = dict(s, usdesc=usdesc)
    us_noun = "{fmass}" if f.kind == "mass" else "{mass}"
    tpls = [
        "Targeted [[ultrasound|sonography|US]] [[of the {lat} breast ]]at {clock}[[,]] {fdist} [[demonstrates|shows|reveals]] a {size} {usdesc} " + us_noun + f" with {orient}, {post}[[ and {vasc}]].",
        "At {clock}, {fdist}, there is a {usdesc} " + us_noun + f" measuring {{size}}[[, {orient}]], with {post}.",
        "{Lat} breast {clock} {fdist}: {usdesc} " + us_noun + f" measuring {{size}}. {post.capitalize()}. {vasc.capitalize()}.",
        "Ultrasound [[demonstrates|shows]] a {size} " + echo + " " + us_noun + " with {fmargin} margins {where}[[, " + orient + "]]. " + vasc.capitalize() + ".",
        "Sonographically, the " + us_noun + " is {fshape}, " + echo + f", {orient}, with {{fmargin}} margins and {post}.",
        "[[Correlating|Corresponding]] to the mammographic finding, there is a {usdesc} " + us_noun + " {where} measuring {size}[[, with an echogenic halo]].",
    ]
    out = [g.fill(g.pick(tpls), s)]
    if g.p(0.4):
        out.append(g.fill(g.pick((
            "No {adenopathy!}.",
            "The {lat} {axilla} demonstrates normal-appearing {axnodes}.",
            "In the {lat} {axilla}, [[two|three|several|multiple]] enlarged {axnodes} [[are seen|are present|are noted]][[ with cortical thickening]].",
            "The {lat} {axilla} is [[unremarkable|normal]].",
            "[[Two|Several]] {axnodes} with normal fatty hila are seen in the {lat} {axilla}.",
            "No sonographic abnormality in the remainder of the scanned region.",
            "No {cyst!} or solid {mass!} [[is seen|is identified]] elsewhere in the {lat} {quad}.",
            "Normal fibroglandular tissue is seen in the surrounding area.",
        )), s))
    return out


def _us_other(g: _Generator, f: _Finding) -> List[List[Piece]]:
    s = g.finding_slots(f)
    s["scyst"] = lambda: [_e(g.pick(("simple cyst", "cyst", "simple cyst")), "OTHER_FINDING")]
    s["ccyst"] = lambda: [_e(g.pick(("complicated cyst", "complex cyst")), "OTHER_FINDING")]
    tpls = [
        "At {clock}, {fdist}, there is an anechoic {scyst} measuring {size} with posterior acoustic enhancement.",
        "Targeted ultrasound {where} demonstrates a {size} {scyst}, accounting for the mammographic finding.",
        "{Lat} {clock} {fdist}: {size} {ccyst} with low-level internal echoes.",
        "Ultrasound of the {lat} breast at {clock} shows no sonographic correlate for the {fasym}.",
        "No sonographic correlate [[for|to]] the mammographic {fasym} was identified.",
        "Ultrasound at {clock} shows normal fibroglandular tissue without a {mass!}.",
        "No solid or cystic {mass!} is seen at the site of the palpable abnormality at {clock}.",
    ]
    if not f.asym:
        f.asym = g.pick(_ASYM_TYPES[:4])
    return [g.fill(g.pick(tpls), s)]


def _recommendation(g: _Generator, cat: str, f: Optional[_Finding]) -> List[List[Piece]]:
    s = g.finding_slots(f) if f else {}
    by_cat = {
        "0": ("Additional imaging evaluation with diagnostic mammogram[[ and ultrasound]] of the {lat} breast.", "Recall for spot compression views[[ and ultrasound]].", "Diagnostic mammogram and possible ultrasound recommended."),
        "1": ("Routine annual screening mammography.", "Annual screening mammogram recommended.", "Continue annual screening.", "Screening mammogram in 1 year."),
        "2": ("Routine annual screening mammography.", "Annual mammography.", "Continue routine screening.", "Return to annual screening."),
        "3": (
            "Short-interval follow-up {lat} diagnostic mammogram in 6 months.", "Follow-up [[mammogram|ultrasound]] of the {lat} breast in 6 months.",
            "6 month follow-up recommended.", "Follow-up ultrasound in [[8-12|6-8|4-6]] weeks[[ to document resolution]].",
        ),
        "4": ("Ultrasound-guided core needle biopsy of the {lat} breast {finding} is recommended.", "Stereotactic biopsy recommended.", "Tissue sampling is recommended."),
        "5": ("Ultrasound-guided biopsy of the {lat} breast {finding}[[ and the {lat} {axilla}]] is recommended.", "Biopsy is strongly recommended.", "Surgical consultation and biopsy recommended."),
        "6": ("Appropriate action should be taken.", "Surgical management as clinically indicated.", "MRI for extent of disease[[ may be considered]].", "Management per tumor board."),
    }
    key = cat[0] if cat[0] in "0123456" else "4"
    tpls = by_cat[key]
    out = []
    if f is None:
        tpls = tuple(t for t in tpls if "{" not in t) or ("Clinical follow-up.",)
    out.append(g.fill(g.pick(tpls), s))
    if g.p(0.3):
        out.append(g.fill(g.pick((
            "The patient was informed of the results[[ at the time of the exam| and a letter was sent]].",
            "Results discussed with the patient.",
            "Clinical correlation recommended.",
            "If symptoms persist, [[repeat|follow-up]] ultrasound in [[8-12|6-8|4-6]] weeks.",
            "A letter with the results was sent to the patient.",
            "Further management of a clinically suspicious finding should be based on clinical assessment.",
        ))))
    return out


def _assessment_line(g: _Generator, cat: str, sides: Optional[Dict[str, str]] = None) -> List[Piece]:
    verbal = g.pick(_BIRADS_VERBAL[cat])
    slots = {"bir": lambda: g.birads(cat), "verbal": [_t(verbal)]}
    if sides and g.p(0.6):
        parts: List[Piece] = []
        for i, (side, c) in enumerate(sides.items()):
            if i:
                parts.append(_t(g.pick((". ", "\n", "; "))))
            parts += g.fill(g.pick(("{Side}: {bir}[[ - {verbal}]]", "{Side} breast: {bir}", "{SIDE} BREAST: {bir}[[: {verbal}]]")).replace("{verbal}", g.pick(_BIRADS_VERBAL[c])), {
                "side": lambda side=side: g.lat(side), "bir": lambda c=c: g.birads(c)})
        return _tidy(parts + [_t(".")])
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
    ]
    slots["cat"] = lambda: [_e(g.pick(("Category ", "Category ", "CATEGORY ", "Category: ")) + (cat if g.p(0.9) else _NUMBER_WORDS.get(cat, cat)), "BIRADS")]
    t = g.pick(tpls)
    pieces = g.fill(t, slots)
    return pieces


# ---------------------------------------------------------------------------
# Report types
# ---------------------------------------------------------------------------


def _pick_cat(g: _Generator) -> str:
    return g.pick(("0", "0", "1", "1", "1", "2", "2", "2", "3", "3", "4", "4A", "4A", "4B", "4C", "5", "6"))


def _report_screening(g: _Generator) -> Tuple[_Report, str]:
    cat = g.pick(("1", "1", "1", "2", "2", "0", "0"))
    r = _Report(g)
    letter = g.pick("abbccd")
    findings = []
    if cat == "0":
        findings = [g.new_finding(g.pick(("mass", "calc", "asym", "asym", "distortion")), "0") for _ in range(g.rng.choice((1, 1, 1, 2)))]
    if g.p(0.7):
        r.add(_header(g, _exam_title(g, "bilateral", "screening")))
    if g.p(0.7):
        r.section("history", _history(g, "screening", findings, "bilateral"))
    if g.p(0.6):
        r.section("comparison", _comparison(g))
    if g.p(0.5):
        r.section("technique", _technique(g, "bilateral", "screening"))
    body = [_composition(g, letter) if g.p(0.85) else _density_checklist(g, letter)]
    if g.p(0.25):
        # house style with one paragraph per breast
        r.section("findings", body)
        both_paragraph = not findings and g.p(0.35)
        if both_paragraph:
            # one paragraph for both breasts: "Both breasts: No suspicious ..."
            upper = g.p(0.5)
            r.text(g.pick(("\n", "\n\n")))
            r.add([_e("BOTH" if upper else "Both", "LATERALITY"), _t((" BREASTS:" if upper else " breasts:") + g.pick((" ", "\n")))])
            r.body(([_benign_sentences(g)] if cat == "2" else []) + _negative_sentences(g) + _negative_sentences(g))
        for side in () if both_paragraph else ("right", "left"):
            block: List[List[Piece]] = [g.describe(f) for f in findings if f.side == side]
            block += [_benign_sentences(g)] if cat == "2" and g.p(0.5) else []
            block += _negative_sentences(g) if g.p(0.8) or not block else []
            head = g.lat(side)
            r.text(g.pick(("\n", "\n\n")))
            upper = g.p(0.6)
            r.add([(head[0][0].upper() if upper else head[0][0].capitalize(), head[0][1], False), _t(g.pick((" BREAST:" if upper else " breast:", ":")) + g.pick((" ", "\n")))])
            r.body(block)
    else:
        for f in findings:
            body.append(g.describe(f))
            if g.p(0.3):
                body.append(g.fill(g.pick(("Further evaluation with diagnostic mammography is recommended.", "This warrants additional evaluation.", "This requires further evaluation."))))
        if cat == "2" or g.p(0.15):
            for _ in range(g.rng.choice((1, 1, 2))):
                body.append(_benign_sentences(g))
        body += _negative_sentences(g)
        if g.p(0.4):
            body += _negative_sentences(g)
        r.section("findings", body, bullets=g.p(0.15))
    imp: List[List[Piece]] = []
    if cat == "0":
        for f in findings:
            imp.append(g.fill(g.pick((
                "{Finding} {where} requires further evaluation.",
                "Possible {finding} in the {lat} breast. Recommend diagnostic evaluation.",
                "{Finding} {where}. Additional imaging recommended.",
            )), g.finding_slots(f)))
    else:
        imp.append(g.fill(g.pick(("Negative [[{bilat} ]]screening mammogram." if cat == "1" else "Benign findings.", "No mammographic evidence of malignancy.", "No suspicious findings." if cat == "1" else "Benign mammographic findings.", ""))))
    imp.append(_assessment_line(g, cat))
    r.section("impression", [p for p in imp if p], bullets=g.p(0.2))
    if g.p(0.6):
        r.section("recommendation", _recommendation(g, cat, findings[0] if findings else None))
    if letter in "cd" and g.p(0.35):
        r.text("\n\n")
        r.body(_density_notice(g, letter))
    return r, cat


def _report_diagnostic(g: _Generator, kind: str) -> Tuple[_Report, str]:
    cat = {
        "palpable": g.pick(("1", "2", "3", "4A", "4B", "4C", "5", "4")),
        "callback": g.pick(("1", "2", "3", "4A", "4B", "4C", "4", "5")),
        "followup": g.pick(("2", "3", "3", "2")),
        "known": "6",
        "postbiopsy": g.pick(("6", "2", "4", "3")),
    }[kind]
    side = g.pick(("right", "left"))
    r = _Report(g)
    long = g.p(0.25)
    n_find = 0 if cat == "1" else g.rng.randint(2, 4) if long else g.rng.choice((1, 1, 1, 2, 2, 3))
    kinds = {"palpable": ("mass", "mass", "other", "asym"), "callback": ("mass", "calc", "asym", "distortion", "calc"),
             "followup": ("mass", "calc", "asym", "other"), "known": ("mass", "mass", "calc", "distortion"),
             "postbiopsy": ("calc", "mass", "other")}[kind]
    findings = [g.new_finding(g.pick(kinds), cat if i == 0 else g.pick(("2", "3", cat)), side if i == 0 or g.p(0.6) else None) for i in range(max(n_find, 1))]
    if cat == "1":
        findings = findings[:1]
    with_us = kind in ("palpable", "callback", "known") and g.p(0.6)
    if g.p(0.75):
        r.add(_header(g, _exam_title(g, side, "us" if with_us else "diagnostic")))
    r.section("history", _history(g, kind, findings, side))
    if g.p(0.7):
        r.section("comparison", _comparison(g))
    if g.p(0.6):
        r.section("technique", _technique(g, side if g.p(0.8) else "bilateral", "diagnostic"))
    letter = g.pick("abbccd")
    body: List[List[Piece]] = []
    if g.p(0.75):
        body.append(_composition(g, letter))
    if cat == "1":
        body += [g.fill(g.pick((
            "No [[mammographic ]]abnormality is seen at the site of the palpable {lump} in the {lat} breast.",
            "Spot compression views of the {lat} breast show normal fibroglandular tissue[[ without a {mass!}]].",
            "The [[previously questioned |]]{fasym} in the {lat} breast [[resolves|disperses]] on spot compression views, consistent with overlapping tissue.",
            "The previously seen {fasym!} [[is no longer visualized|has resolved|is not seen]] on the additional views.",
        )), g.finding_slots(findings[0]))]
    elif kind == "postbiopsy":
        body.append(g.fill(g.pick((
            "A {clip} is present at the biopsy site {where}[[, in satisfactory position]].",
            "Post-biopsy mammogram demonstrates the {clip} {where}[[, within 5 mm of the targeted site]].",
            "The {clip} is located 6 mm lateral to the biopsy cavity in the {lat} breast.",
            "{Clip} in good position {where}. [[Small post-biopsy {hema}.|Residual {fcalc} surround the {clip}.|No residual {fcalc} are seen.]]".replace("No residual {fcalc}", "No residual {fcalc!}"),
        )), dict(g.finding_slots(findings[0]), hema=lambda: [_e(g.pick(("hematoma", "haematoma" if g.british else "hematoma")), "OTHER_FINDING")])))
    else:
        for f in findings:
            body.append(g.describe(f))
            while g.p(0.5 if long else 0.2):
                body.append(g.more(f))
    if kind == "lumpectomy" or g.p(0.1):
        body.append(g.fill("{Psc} [[are present|are again noted|are seen]] in the {lat} breast[[ at {clock}| in the {quad}]][[ consistent with prior lumpectomy]].", g.finding_slots(findings[0])))
    for _ in range(2 if long else 1):
        if g.p(0.3):
            body.append(_benign_sentences(g))
        if g.p(0.7):
            body += _negative_sentences(g)
    r.section("findings", body, bullets=g.p(0.15))
    if with_us:
        us_body: List[List[Piece]] = []
        for f in findings[: len(findings) if long else g.rng.choice((1, 2))]:
            if f.kind == "mass":
                us_body += _us_sentences(g, f)
            else:
                us_body += _us_other(g, f)
        r.section("us", us_body)
    imp: List[List[Piece]] = []
    verdicts = {
        "2": ("consistent with a benign process", "benign", "unchanged and benign"),
        "3": ("probably benign", "likely benign", "stable and probably benign"),
        "6": ("consistent with the known malignancy", "compatible with biopsy-proven carcinoma", "known cancer"),
        "0": ("indeterminate", "requires further evaluation"),
    }
    for f in findings if cat != "1" else []:
        s = g.finding_slots(f)
        options = verdicts.get(f.birads, ("suspicious for malignancy", "highly suggestive of malignancy", "indeterminate", "suspicious"))
        s["verdict"] = [_t(g.pick(options))]
        template = g.pick((
            "{Lat} breast {finding} at {clock}[[, {fdist}]], {verdict}.",
            "{Finding} {where}, {verdict}.",
            "{Finding} in the {lat} {quad}, {verdict}.",
            "{Size} {finding} {where}.",
            "{Lat} {clock} {finding}: {fbirads}.",
        ))
        line = g.fill(template, s)
        if "{fbirads}" not in template and g.p(0.5):
            line += [_t(" ")] + g.birads(f.birads)
            if g.p(0.4):
                line.append(_t(": " + g.pick(_BIRADS_VERBAL[f.birads]) + "."))
            else:
                line.append(_t("."))
        imp.append(line)
    if cat == "1":
        imp.append(g.fill(g.pick(("No mammographic [[or sonographic ]]abnormality to account for the palpable finding.", "Negative diagnostic mammogram.", "No evidence of malignancy."))))
    sides = None
    if g.p(0.3):
        other = "left" if side == "right" else "right"
        sides = {side: cat, other: g.pick(("1", "2"))}
    imp.append(_assessment_line(g, cat, sides))
    if g.p(0.1):
        # some radiologists dictate the impression in capitals
        imp = [[(text.upper() if len(text.upper()) == len(text) else text, label, neg) for text, label, neg in line] for line in imp]
    r.section("impression", imp, bullets=g.p(0.35))
    if g.p(0.4):
        r.section("assessment", [g.birads(cat) + [_t(g.pick((".", "", " - " + g.pick(_BIRADS_VERBAL[cat]))))]])
    if g.p(0.7):
        rec = _recommendation(g, cat, findings[0])
        if len(findings) > 1 and cat[0] in "45" and g.p(0.4):
            # "both" here names the findings, not the breasts
            rec.insert(0, g.fill(g.pick((
                "[[Ultrasound-guided|Stereotactic]] biopsy of both is recommended.",
                "Tissue sampling of both is recommended.",
                "Biopsy of both [[sites |findings |]]is recommended.",
            ))))
        r.section("recommendation", rec)
    if letter in "cd" and g.p(0.5 if long else 0.15):
        r.text("\n\n")
        r.body(_density_notice(g, letter))
    return r, cat


def _report_lumpectomy(g: _Generator) -> Tuple[_Report, str]:
    cat = g.pick(("2", "2", "3", "1", "4A"))
    side = g.pick(("right", "left"))
    r = _Report(g)
    f = g.new_finding("other", cat, side)
    s = g.finding_slots(f)
    s["dystrophic"] = lambda: [_e(g.pick(("dystrophic", "coarse", "dystrophic")), "CALC_MORPHOLOGY")]
    s["oilcyst"] = lambda: [_e(g.pick(("oil cyst", "oil cysts")), "OTHER_FINDING")]
    s["fatnec"] = lambda: [_e(g.pick(("fat necrosis", "seroma", "scar", "surgical scar", "post-surgical scar", "hematoma")), "OTHER_FINDING")]
    s["sclips"] = lambda: [_e("surgical clips", "OTHER_FINDING")]
    s["seroma"] = lambda: [_e(g.pick(("seroma", "seroma", "hematoma")), "OTHER_FINDING")]
    s["postlump"] = lambda: [_e(g.pick(("post-lumpectomy changes", "post-lumpectomy changes", "post-excisional changes", "post lumpectomy changes")), "OTHER_FINDING")]
    s["postrad"] = lambda: [_e(g.pick(("post-radiation changes", "post-radiation changes", "post-radiation change", "postradiation changes")), "OTHER_FINDING")]
    s["pss"] = lambda: [_e(g.pick(("post-surgical scar", "postsurgical scar")), "OTHER_FINDING")]
    if g.p(0.7):
        r.add(_header(g, _exam_title(g, "bilateral", g.pick(("screening", "diagnostic")))))
    r.section("history", _history(g, "lumpectomy", [f], side))
    if g.p(0.5):
        r.section("comparison", _comparison(g))
    body = [_composition(g, g.pick("abbccd"))]
    body.append(g.fill(g.pick((
        "{Psc} [[are present|are again noted|are seen]] in the {lat} breast[[ at {clock}| in the {quad}]][[ with {skinthick} and {trab}]].",
        "{Psc} in the {lat} {quad} are stable[[ with {dystrophic} {calcs}]].",
        "Stable {psc} {where}[[, including {dystrophic} {calcs}]].",
        "Lumpectomy site {where} with {psc}[[ and {clip}]].",
        "Expected {psc} {where}, with {fatnec}[[ and {sclips}]].",
        "The lumpectomy bed {where} shows {psc} and {dystrophic} {calcs}.",
        "{Postlump} [[are seen|are again noted|are present]] in the {lat} breast[[ at {clock}| in the {quad}]][[ with {sclips}]].",
        "{Postrad} [[of|in]] the {lat} breast[[ with {skinthick}| with {trab}]][[, stable| decreasing since the prior study]].",
        "Stable {postrad} and {postlump} in the {lat} breast[[ with {clips} at the lumpectomy bed]].",
        "{Pss} in the {lat} {quad}[[ with {sclips}]][[, stable]].",
    )), dict(s, trab=lambda: [_e("trabecular thickening", "ASSOCIATED_FEATURE")], clips=lambda: [_e("clips", "OTHER_FINDING")])))
    if g.p(0.5):
        body.append(g.fill(g.pick((
            "{Dystrophic} {calcs} at the lumpectomy site are unchanged.",
            "{Oilcyst} at the surgical site[[, stable]].",
            "[[Mild |Residual |]]{skinthick} of the {lat} breast[[ related to radiation therapy| is decreasing]].",
            "{Clip} at the lumpectomy bed.",
            "{Sclips} at the lumpectomy bed[[ are unchanged]].",
            "A {seroma} at the lumpectomy site [[is decreasing in size|is stable|is smaller]].",
            "No {mass!} or suspicious {calcs!} at the lumpectomy site.",
            "Benign post-radiation {skinthick} is again seen.",
        )), s))
    if cat == "4A":
        f2 = g.new_finding(g.pick(("mass", "calc")), "4A", side)
        body.append(g.describe(f2))
    body += _negative_sentences(g)
    r.section("findings", body)
    r.section("impression", [g.fill(g.pick(("Stable {psc} in the {lat} breast.", "No evidence of recurrent malignancy.", "{Postlump} {lat} breast, stable.", "{Postrad} {lat} breast.", "Stable {postlump} and {postrad} in the {lat} breast.")), s), _assessment_line(g, cat)])
    if g.p(0.5):
        r.section("recommendation", _recommendation(g, cat, None))
    return r, cat


def _report_implants(g: _Generator) -> Tuple[_Report, str]:
    cat = g.pick(("1", "2", "2", "0"))
    r = _Report(g)
    s = {
        "placement": [_t(g.pick(("subpectoral", "retroglandular", "subglandular", "retropectoral")))],
    }
    if g.p(0.6):
        r.add(_header(g, _exam_title(g, "bilateral", "screening")))
    r.section("history", _history(g, "implants", [], "bilateral"))
    if g.p(0.5):
        r.section("technique", [g.fill("Standard and implant-displaced views [[of {both} breasts ]]were obtained.")])
    body = [_composition(g, g.pick("abbc"))]
    body.append(g.fill(g.pick((
        "{Bilat} {placement} {implants} are present.",
        "There are {bilat} {placement} {implants_pl}.",
        "{Implants} are in {placement} position {bilaterally}[[ and appear intact]].",
        "{Bilat} {implants}, {placement}[[, with normal contour]].",
        "{Bilat} {placement} {implants}. No evidence of {rupture!}.",
        "The {right} {implant} is [[intact|unremarkable]]. The {left} {implant} is [[intact|unremarkable]].",
    )), dict(s, implant=lambda: [_e(g.pick(("implant", "silicone implant", "saline implant")), "OTHER_FINDING")],
             implants_pl=lambda: [_e(g.pick(("implants", "silicone implants", "saline implants")), "OTHER_FINDING")])))
    if cat == "0":
        body.append(g.describe(g.new_finding(g.pick(("mass", "asym", "calc")), "0")))
    elif g.p(0.6):
        body.append(g.fill(g.pick(("No evidence of {rupture!}.", "There is no mammographic evidence of {rupture!}.", "No {rupture!} is seen.", "Possible {rupture} cannot be excluded; MRI may be considered."))))
    implant = lambda: [_e(g.pick(("implant", "implant", "silicone implant")), "OTHER_FINDING")]
    if g.p(0.5):
        body.append(g.fill(g.pick((
            "Mammography is limited in the evaluation of {implant} integrity[[; MRI is the preferred modality]].",
            "{Implant} integrity [[is not fully assessed|cannot be fully evaluated]] by mammography.",
            "{Implant} integrity [[appears maintained|is grossly maintained]] {bilaterally}.",
            "Dense peripheral capsular {calcs} [[surround|are seen along]] the {lat} {implant}[[, unchanged]].",
            "There are dense peripheral capsular {calcs} around the {lat} {implant}.",
        )), {"implant": implant, "lat": lambda: g.lat(g.pick(("right", "left")))}))
    body += _negative_sentences(g)
    r.section("findings", body)
    r.section("impression", [g.fill(g.pick(("{Bilat} {implants}[[ without evidence of {rupture!}]].", "Benign findings.", "No mammographic evidence of malignancy.")), s), _assessment_line(g, cat)])
    return r, cat


def _report_male(g: _Generator) -> Tuple[_Report, str]:
    cat = g.pick(("2", "2", "1", "4"))
    side = g.pick(("right", "left", "bilateral"))
    r = _Report(g)
    lat = (lambda: [_e(g.lat_text("bilateral"), "LATERALITY")]) if side == "bilateral" else (lambda: g.lat(side))
    s = {"lat": lat, "gyn": lambda: [_e(g.pick(("gynecomastia", "gynecomastia", "gynaecomastia" if g.british else "gynecomastia")), "OTHER_FINDING")],
         "region": lambda: [_e(g.pick(("subareolar", "retroareolar")), "LOCATION")]}
    if g.p(0.6):
        r.add(_header(g, _exam_title(g, side, "diagnostic")))
    f = g.new_finding("mass", "4", side if side != "bilateral" else "left")
    r.section("history", _history(g, "male", [f], side if side != "bilateral" else "left"))
    body = [g.fill(g.pick((
        "There is [[flame-shaped |nodular |dendritic |]]{region} fibroglandular tissue in the {lat} breast consistent with {gyn}.",
        "{Lat} {region} density consistent with {gyn}.",
        "{Gyn} {lat}[[, nodular pattern]].",
        "{Region} {gyn} [[is seen |]]in the {lat} breast.",
    )), s)]
    if cat == "4":
        body.append(g.describe(f))
    else:
        body.append(g.fill(g.pick(("No discrete {mass!} is seen.", "No suspicious {masses!} or {calcs!}.", "There is no {mass!}."))))
    r.section("findings", body)
    r.section("impression", [g.fill("{Lat} {gyn}.", s) if cat != "4" else g.fill("{Lat} breast {finding}.", g.finding_slots(f)), _assessment_line(g, cat)])
    return r, cat


def _report_terse(g: _Generator) -> Tuple[_Report, str]:
    """Short dictations and abbreviation-heavy notes."""
    g.abbrev = g.p(0.7)
    cat = _pick_cat(g)
    f = g.new_finding(g.pick(("mass", "calc", "asym", "distortion", "other")), cat)
    s = g.finding_slots(f)
    s.update({
        "comp": lambda: [_e(g.comp_text(g.pick("abcd")), "COMPOSITION")],
        "cletter": lambda: [_e(g.comp_letter(g.pick("abcd")), "COMPOSITION")],
        "fgt": lambda: [_e(g.pick(("Scattered FGT", "scattered FGT", "Scattered fibroglandular tissue")), "COMPOSITION")],
        "bir": lambda: g.birads(cat),
        "abbr_calcs": lambda: [_e("calcs", "CALCIFICATION")],
        "ad": lambda: [_e("AD", "DISTORTION")],
        "bl": lambda: [_e(g.pick(("Bilat", "Bilateral", "BILAT")), "LATERALITY")],
    })
    negative = [
        "{Bl} screening. {Fgt}. No suspicious {mass!}, {abbr_calcs!} or {ad!}. {Bir}.",
        "{Bl} mammo. {Comp}. Neg. {Bir}",
        "Screening: {cletter}. No findings. {Bir}.",
        "{Bl} screening, {comp}. Benign {abbr_calcs}. {Bir}. RTC 1 yr.",
        "Findings: {Comp}. No suspicious {mass!}, {abbr_calcs!} or {ad!}. {Bir}.",
        "{Comp}. No {mass!}, {abbr_calcs!}, {ad!}. {Bir}.",
        "Screening mammo {bl}: {cletter}, neg. {Bir}",
    ]
    positive = [
        "{Lat} breast {finding} {clock} {fdist}, {size}. {Bir}.",
        "Findings: {lat} {clock} {fdist} {size} {finding}. Impression: {bir}.",
        "{Lat} {clock} {fdist}: {finding}, {size}. US correlate. {Bir}. Bx.",
        "Dx mammo {lat}. {Finding} {where}. {Bir}.",
        "Mammo: {comp}. {Finding} {lat} {quad}. Assessment {bir}.",
        "{Lat}: {finding} at {clock}, {size}. {Bir}.\nRec: bx.",
        "IMPRESSION: {Lat} {finding}, {bir}.",
        "Stable {finding} {lat}. {Bir}. Annual f/u.",
        "{Lat} {quad}: {finding} {size}. {Bir}.",
        "{Finding} {lat}, {size}, {clock}. {Bir}",
    ]
    tpls = negative if cat == "1" else positive if cat not in ("2",) else negative + positive
    r = _Report(g)
    if g.p(0.3):
        r.add(_header(g, []))
        r.text("\n")
    r.add(g.fill(g.pick(tpls), s))
    if g.p(0.3):
        r.text(g.pick((" ", "\n")))
        r.add(g.fill(g.pick(("No {adenopathy!}.", "Letter to pt.", "Pt informed.", "No {skinthick!}.")), s))
    return r, cat


def _report_template(g: _Generator) -> Tuple[_Report, str]:
    """A structured form with checkboxes and field: value lines."""
    cat = _pick_cat(g)
    kind = g.pick(("mass", "calc", "asym", "distortion"))
    f = g.new_finding(kind, cat)
    letter = g.pick("abcd")
    yes, no = g.pick((("[x] yes [ ] no", "[ ] yes [x] no"), ("[X] Yes [ ] No", "[ ] Yes [X] No"), ("Yes", "No"), ("present", "absent"), ("yes", "none")))
    r = _Report(g)
    if g.p(0.5):
        r.add(_header(g, _exam_title(g, g.pick(("bilateral", f.side)), g.pick(("screening", "diagnostic")))))
        r.text("\n\n")
    lines: List[List[Piece]] = [_density_checklist(g, letter) if g.p(0.6) else g.fill("Breast composition: {cletter}", {"cletter": lambda: [_e(g.comp_letter(letter), "COMPOSITION")]})]
    fields = (
        ("MASS", ("Mass", "Masses", "Mass")),
        ("CALCIFICATION", ("Calcifications", "Microcalcifications", "Calcifications")),
        ("ASYMMETRY", ("Asymmetry", "Focal asymmetry", "Asymmetry")),
        ("DISTORTION", ("Architectural distortion", "Distortion", "Architectural distortion")),
    )
    present = {"mass": "MASS", "calc": "CALCIFICATION", "asym": "ASYMMETRY", "distortion": "DISTORTION"}[kind] if cat not in ("1",) else ""
    for label, names in fields:
        name = g.pick(names)
        val = yes if label == present else no
        lines.append([_e(name, label, negated=label != present), _t(": " + val)])
    if g.p(0.5):
        for name, label in ((g.pick(("Skin thickening", "Skin retraction")), "ASSOCIATED_FEATURE"), (g.pick(("Axillary adenopathy", "Axillary lymphadenopathy")), "ASSOCIATED_FEATURE")):
            lines.append([_e(name, label, negated=True), _t(": " + no)])
    if present:
        side_piece = [_t("Side: "), _e(g.pick((f.side, f.side.capitalize(), f.side[0].upper())), "LATERALITY")]
        lines.append(side_piece)
        lines.append([_t(g.pick(("Location: clock ", "Clock: ", "Clock position: "))), _e(str(f.hour), "LOCATION")] + ([_t(", quadrant: "), _e(_QUAD_FORMS[f.quad][3], "LOCATION")] if g.p(0.4) else []))
        lines.append([_t("Depth: "), _e(g.pick(("anterior", "middle", "posterior", "mid")), "LOCATION")])
        if g.p(0.4):
            # the unit sits in the field name: the bare number is the DISTANCE
            lines.append([_t(g.pick(("Distance from nipple (cm): ", "FN (cm): ", "Distance from nipple (cm): ", "Dist. FN (cm): "))), _e(f"{f.dist_cm:g}", "DISTANCE")])
        else:
            lines.append([_t(g.pick(("Distance from nipple: ", "FN: ", "Dist. from nipple: "))), _e(f"{f.dist_cm:g} cm", "DISTANCE")])
        lines.append([_t(g.pick(("Size: ", "Size: ", "Max. diameter: "))), _e(g.size_text(f.dims)[0], "SIZE")])
        if kind == "mass":
            lines.append([_t("Shape: "), _e(f.shape, "SHAPE")])
            lines.append([_t(g.pick(("Margin: ", "Margins: "))), _e(f.margin, "MARGIN")])
            if g.p(0.6):
                bare = {"high density": "high", "hyperdense": "high", "equal density": "equal", "low density": "low"}.get(f.density, f.density)
                lines.append([_t("Density: "), _e(g.pick((f.density, bare, bare)), "MASS_DENSITY")])
        if kind == "calc":
            lines.append([_t("Morphology: "), _e(f.morph[0], "CALC_MORPHOLOGY")])
            lines.append([_t("Distribution: "), _e(f.distribution, "CALC_DISTRIBUTION")])
    lines.append([_t(g.pick(("BI-RADS: ", "Assessment: ", "Final assessment: "))), _e(g.pick((cat, f"Category {cat}", cat)), "BIRADS")] if g.p(0.5) else [_t(g.pick(("", "Assessment: "))), _e(g.birads_text(cat), "BIRADS")])
    lines[-1] = _tidy(lines[-1])
    if lines[-1][0][1] == "BIRADS" and lines[-1][0][0].isdigit():
        lines[-1] = [_t("Assessment: ")] + lines[-1]
    for i, line in enumerate(lines):
        if i:
            r.text("\n")
        r.add(line)
    if g.p(0.5):
        r.text("\n")
        r.add(g.fill(g.pick(("Recommendation: annual screening.", "Recommendation: biopsy.", "Comments: none.", "Follow-up: 6 months."))))
    return r, cat


def _report_table(g: _Generator) -> Tuple[_Report, str]:
    """A findings table: bare numbers take the label of their column header."""
    cat = g.pick(("4A", "4B", "4C", "3", "2", "5", "4"))
    n = g.rng.randint(1, 3)
    findings = [g.new_finding(g.pick(("mass", "mass", "calc", "asym")), cat if i == 0 else g.pick(("2", "3")), None) for i in range(n)]
    r = _Report(g)
    if g.p(0.6):
        r.add(_header(g, _exam_title(g, "bilateral", "us")))
        r.text("\n\n")
    r.text(g.pick(("FINDINGS:\n", "Findings:\n", "Lesion table:\n", "")))
    if g.p(0.5):
        r.add(_composition(g, g.pick("abcd")))
        r.text("\n")
    sep = g.pick((" | ", "\t", "  ", " | "))
    size_head = g.pick(("Size (mm)", "Size (mm)", "Size (cm)"))
    headers = {
        "no": "#", "side": g.pick(("Side", "Side", "Lat")), "clock": g.pick(("Clock", "Location", "Clock")),
        "fn": g.pick(("FN (cm)", "Dist. FN (cm)", "FN (cm)", "Distance from nipple (cm)")), "size": size_head,
        "finding": g.pick(("Finding", "Type")), "birads": g.pick(("BI-RADS", "BI-RADS", "BIRADS")),
    }
    order = list(g.pick((
        ("no", "side", "clock", "fn", "size", "finding", "birads"),
        ("no", "side", "clock", "fn", "size", "finding", "birads"),
        ("finding", "side", "clock", "size", "fn", "birads"),
        ("side", "size", "fn", "birads"),
        ("no", "finding", "size", "fn", "birads", "side"),
        ("side", "clock", "size", "birads"),
    )))
    cols = [headers[key] for key in order]
    r.text(sep.join(cols).strip() + "\n")
    if sep == " | ":
        r.text("|".join("---" for _ in cols) + "\n")
    for i, f in enumerate(findings):
        if i:
            r.text("\n")
        size_num = "x".join(str(d) for d in f.dims) if "mm" in size_head else " x ".join(f"{d / 10:.1f}" for d in f.dims)
        noun = {"mass": f.noun or "mass", "calc": f.noun or "calcifications", "asym": f.asym or "asymmetry"}[f.kind]
        label = {"mass": "MASS", "calc": "CALCIFICATION", "asym": "ASYMMETRY"}[f.kind]
        by_key = {
            "no": [_t(str(i + 1))],
            "side": [_e(g.pick((f.side[0].upper(), f.side.capitalize(), f.side)), "LATERALITY")],
            "clock": [_e(g.pick((f"{f.hour}:00", str(f.hour), f"{f.hour} o'clock")), "LOCATION")],
            "fn": [_e(f"{f.dist_cm:g}", "DISTANCE")],
            "size": [_e(size_num, "SIZE")],
            "finding": [_e(noun, label)],
            "birads": [_e(f.birads, "BIRADS")],
        }
        cells = [by_key[key] for key in order]
        for j, cell in enumerate(cells):
            if j:
                r.text(sep)
            r.add(cell)
    r.text("\n\n")
    r.section("impression", [_assessment_line(g, cat)])
    return r, cat


def _report_british(g: _Generator) -> Tuple[_Report, str]:
    g.british = True
    cat = g.pick(("1", "2", "3", "4", "5", "0"))
    r = _Report(g)
    r.heading_style = "title"
    side = g.pick(("right", "left"))
    findings = [] if cat in ("1", "2") else [g.new_finding(g.pick(("mass", "mass", "calc", "distortion")), cat, side)]
    if g.p(0.6):
        r.add(_header(g, _exam_title(g, "bilateral", "diagnostic")))
    r.section("history", _history(g, "palpable" if findings else "screening", findings, side))
    body = [g.fill(g.pick((
        "{Bilat} mammograms. The breasts show {comp}.",
        "The breast parenchyma is {comp}.",
        "{Comp} breasts.",
    )), {"comp": lambda: [_e(g.comp_text(g.pick("abcd")), "COMPOSITION")], "bilat": lambda: [_e("Bilateral", "LATERALITY")]})]
    for f in findings:
        body.append(g.describe(f))
    body.append(g.fill(g.pick((
        "No other suspicious {masses!}, {distortion!} or {calcs!} in {either} breast.",
        "The {left} breast is unremarkable.",
        "No features of malignancy in the contralateral breast.",
        "Nil else of note.",
        "The {axillae} are clear.",
        "No {adenopathy!}.",
    ))))
    r.section("findings", body)
    imp = []
    if findings:
        imp.append(g.fill(g.pick(("{Lat} {finding}, favour malignancy.", "{Size} {finding} {where}, suspicious.", "Indeterminate {finding} in the {lat} breast centre.")).replace("{lat} breast centre", "{lat} breast"), g.finding_slots(findings[0])))
    else:
        imp.append(g.fill(g.pick(("Normal mammograms.", "Benign appearances.", "No mammographic features of malignancy."))))
    imp.append(_assessment_line(g, cat))
    r.section("impression", imp)
    return r, cat


_REPORT_TYPES = (
    (_report_screening, 26),
    (lambda g: _report_diagnostic(g, "palpable"), 10),
    (lambda g: _report_diagnostic(g, "callback"), 12),
    (lambda g: _report_diagnostic(g, "followup"), 5),
    (lambda g: _report_diagnostic(g, "known"), 5),
    (lambda g: _report_diagnostic(g, "postbiopsy"), 3),
    (_report_lumpectomy, 5),
    (_report_implants, 4),
    (_report_male, 2),
    (_report_terse, 12),
    (_report_template, 6),
    (_report_table, 4),
    (_report_british, 5),
)


# ---------------------------------------------------------------------------
# Noise
# ---------------------------------------------------------------------------


def _typo_word(rng: random.Random, word: str) -> str:
    i = rng.randint(1, len(word) - 3)
    op = rng.random()
    if op < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op < 0.8:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _add_noise(g: _Generator, pieces: List[Piece]) -> Tuple[List[Piece], bool]:
    rng = g.rng
    out: List[Piece] = []
    for i, (text, label, neg) in enumerate(pieces):
        if label is not None:
            low = text.lower()
            # spaCy keeps an all-caps "CALCIFICATION'S." as one token: no possessive slip before a full stop
            before_stop = i + 1 < len(pieces) and pieces[i + 1][0].startswith(".")
            if g.typo_rate and low in _MISSPELLINGS and rng.random() < g.typo_rate * 6:
                variant = rng.choice(_MISSPELLINGS[low])
                text = variant[0].upper() + variant[1:] if text[0].isupper() else variant
            elif low in _DICTATION and rng.random() < _DICTATION[low][1] and not (before_stop and low == "calcifications"):
                variant = rng.choice(_DICTATION[low][0])
                text = variant[0].upper() + variant[1:] if text[0].isupper() else variant
        elif g.typo_rate:
            text = re.sub(r"\b[a-z]{6,}\b", lambda m: _typo_word(rng, m.group(0)) if rng.random() < g.typo_rate else m.group(0), text)
        if label is None and rng.random() < 0.03:
            text = text.replace(". ", ".  ", 1)
        if label is None and rng.random() < 0.03:
            text = text.replace("\n", " \n", 1)
        out.append((text, label, neg))
    # a full stop with the following space dropped ("mass.no"): rare dictation slip
    glued = False
    if rng.random() < 0.03:
        for i in range(1, len(out)):
            text, label, neg = out[i]
            if label is None and text.startswith(". No ") and re.search(r"[a-z]{2}$", out[i - 1][0] if out[i - 1][1] else ""):
                out[i] = (".no " + text[5:], None, False)
                glued = True
                break
    return out, glued


def _length(text: str) -> int:
    return len(re.findall(r"\w+|[^\w\s]", text))


def generate_report(rng: random.Random) -> Tuple[str, List[dict]]:
    """Generate one annotated report.

    rng (random.Random): Random state; the only source of randomness.
    RETURNS (Tuple[str, List[dict]]): The text and its spans.
    """
    g = _Generator(rng)
    builders, weights = zip(*_REPORT_TYPES)
    builder = rng.choices(builders, weights=weights)[0]
    report, _ = builder(g)
    pieces = list(report.pieces)
    if g.p(0.55):
        pieces += [_t(g.pick(("\n\n", "\n\n", "\n", "\n\n\n")))] + _signature(g)
    if g.p(0.04):
        pieces.append(_t(g.pick(("\n", " ", "  \n"))))
    pieces, glued = _add_noise(g, pieces)
    if g.p(0.07) and not glued:
        upper = [(t.upper(), l, n) for t, l, n in pieces]
        if all(len(a[0]) == len(b[0]) for a, b in zip(upper, pieces)):
            pieces = upper
    return _assemble(_tidy_keep(pieces))


def _tidy_keep(pieces: List[Piece]) -> List[Piece]:
    """Merge text pieces and drop empty ones, keeping the whitespace as written."""
    out: List[Piece] = []
    for piece in pieces:
        if not piece[0]:
            continue
        if piece[1] is None and out and out[-1][1] is None:
            out[-1] = _t(out[-1][0] + piece[0])
        else:
            out.append(piece)
    if out and out[0][1] is None:
        out[0] = _t(out[0][0].lstrip())
    return [p for p in out if p[0]]


def generate_reports(n: int, seed: int) -> List[dict]:
    """Generate `n` annotated synthetic reports, deterministic for a seed.

    n (int): Number of reports.
    seed (int): Random seed.
    RETURNS (List[dict]): Records `{"id", "text", "spans"}` as in the guidelines' JSONL format.
    """
    rng = random.Random(seed)
    records = []
    for i in range(n):
        for _ in range(20):
            text, spans = generate_report(rng)
            if 20 <= _length(text) <= 600:
                break
        records.append({"id": f"synth-{i + 1:06d}", "text": text, "spans": spans})
    return records


def write_jsonl(records: Sequence[dict], path: Union[str, Path]) -> None:
    """Write records as JSONL atomically (temp file in the same folder, then rename).

    records (Sequence[dict]): The records.
    path (Union[str, Path]): Output file.
    """
    with atomic_open(path, "w", encoding="utf8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
