"""Lesion-level records: the findings that mention the same lesion, merged.

A report often names one lesion several times: on mammography, on ultrasound,
in the impression and the recommendation. `group_lesions(findings, text)` walks
the findings in text order and adds each to the earlier lesion it refers to:

- Only affirmed findings of the patient count (not negated, not family); an
  ASSOCIATED_FEATURE on its own is no lesion.
- Same type family: masses, asymmetries, distortions and mass-like named
  findings (cyst, fibroadenoma, lipoma, ...) are one family; calcifications
  another; lymph nodes, clips, implants, scars and skin findings each their own;
  any other named finding only with the same name.
- Compatible: the same side (a bilateral finding is never merged), clock
  positions at most an hour apart, sizes within a factor of 1.6 (or 4 mm),
  distances from the nipple within 2 cm, where both findings give them.
- Evidence, at least one of: the same clock position (within half an hour),
  size or distance; the same side with no other lesion of the family on it; a
  definite reference ("this mass", "the lesion", "the corresponding cyst") to
  the latest compatible lesion (of the same type, if there is one); "consistent
  with", "yielded" or a label's colon between a finding and the one it renames
  in the same sentence. Two findings of one sentence are otherwise different
  lesions.

`lesion_records(doc)` gives one dict per lesion (keys `LESION_KEYS`): the
combined attributes (the first mention that gives one, the largest size), the
modalities and sections, and its mentions as indices into `doc._.findings`
and as character offsets.
"""

import re
from typing import Dict, List, Optional, Sequence

from spacy.tokens import Doc

# The attributes a finding and a lesion both carry, in one order for every output.
ATTRIBUTE_KEYS = (
    "laterality",
    "locations",
    "clock",
    "size_mm",
    "distance_from_nipple_cm",
    "shape",
    "margin",
    "density",
    "calc_morphology",
    "calc_distribution",
    "associated_features",
)
LESION_KEYS = (
    (
        "lesion",
        "type",
        "types",
    )
    + ATTRIBUTE_KEYS
    + (
        "modalities",
        "sections",
        "uncertain",
        "historical",
        "mentions",
        "mention_offsets",
    )
)
# The attributes a lesion takes from the first mention that gives them (the others are combined).
_FIRST_GIVEN = tuple(key for key in ATTRIBUTE_KEYS if key not in ("locations", "size_mm", "associated_features"))
_MASS_TYPES = ("MASS", "ASYMMETRY", "DISTORTION")
_OTHER_FAMILIES = (
    ("node", re.compile(r"\bnodes?\b|\bln\b|\blns\b|\bimln\b|lymph", re.IGNORECASE)),
    ("clip", re.compile(r"\bclips?\b|\bmarkers?\b", re.IGNORECASE)),
    ("implant", re.compile(r"implant|rupture|silicone|saline", re.IGNORECASE)),
    ("scar", re.compile(r"scar|post-?\s?surgical|post-?\s?operative|lumpectomy|seroma|hematoma", re.IGNORECASE)),
    ("skin", re.compile(r"\bskin\b|nevus|sebaceous|mole", re.IGNORECASE)),
    (
        "mass",
        re.compile(
            r"cyst|fibroadenoma|lipoma|papilloma|hamartoma|necrosis|abscess|nodule|lesion|tumou?r|phyllodes|"
            r"fibroepithelial|galactocele",
            re.IGNORECASE,
        ),
    ),
)
_DEFINITE = re.compile(
    r"\b(?:this|that|these|those|the|said|same|above|aforementioned|previously\s+described|described|corresponding|"
    r"sonographic|mammographic)\s+(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_RENAMES = re.compile(
    r"\b(?:consistent\s+with|compatible\s+with|c/w|representing|likely|suggestive\s+of|corresponding\s+to|"
    r"correlates?\s+(?:with|to)|in\s+keeping\s+with|due\s+to|yield(?:ed|ing|s)?|showed|revealed|proven)\b",
    re.IGNORECASE,
)
_SENTENCE_BREAK = re.compile(r"[.;!?](?:\s|$)|\n[ \t]*\n")


def lesion_family(finding: Dict[str, object], text: str) -> Optional[str]:
    """The type family a finding merges within, or None when it is no lesion.

    finding (Dict[str, object]): A finding of `extract_findings`.
    text (str): The report text.
    RETURNS (Optional[str]): "mass", "calcification", "node", "clip", "implant", "scar",
        "skin", "other:<name>" or None.
    """
    kind = finding["type"]
    if kind in _MASS_TYPES:
        return "mass"
    if kind == "CALCIFICATION":
        return "calcification"
    if kind != "OTHER_FINDING":
        return None
    name = text[finding["start_char"] : finding["end_char"]]
    for family, pattern in _OTHER_FAMILIES:
        if pattern.search(name):
            return family
    return "other:" + " ".join(name.lower().split())


def _hours(clock: Optional[str]) -> Optional[List[float]]:
    if not clock:
        return None
    hours = []
    for part in str(clock).split("-"):
        hour, minute = part.split(":")
        hours.append(int(hour) % 12 + int(minute) / 60)
    return hours


def _clock_gap(a: Optional[str], b: Optional[str]) -> Optional[float]:
    ha, hb = _hours(a), _hours(b)
    if ha is None or hb is None:
        return None
    return min(min(abs(x - y), 12 - abs(x - y)) for x in ha for y in hb)


def _sizes_agree(a: Optional[float], b: Optional[float]) -> Optional[bool]:
    if a is None or b is None:
        return None
    return abs(a - b) <= 4 or max(a, b) / max(min(a, b), 0.1) <= 1.6


def _distances_agree(a: Optional[float], b: Optional[float]) -> Optional[bool]:
    if a is None or b is None:
        return None
    return abs(a - b) <= 2


class _Lesion:
    """The mentions of one lesion so far and the attributes they give."""

    def __init__(self, family: str, index: int, finding: Dict[str, object]):
        self.family = family
        self.mentions = [index]
        self.findings = [finding]

    def value(self, key: str) -> Optional[object]:
        return next((f[key] for f in self.findings if f[key] is not None), None)

    def sizes(self) -> List[float]:
        return [f["size_mm"] for f in self.findings if f["size_mm"] is not None]

    def conflicts(self, finding: Dict[str, object]) -> bool:
        side, own = finding["laterality"], self.value("laterality")
        if side == "bilateral" or own == "bilateral" or (side and own and side != own):
            return True
        gap = _clock_gap(finding["clock"], self.value("clock"))
        if gap is not None and gap > 1:
            return True
        if finding["size_mm"] is not None and any(_sizes_agree(finding["size_mm"], s) is False for s in self.sizes()):
            return True
        return _distances_agree(finding["distance_from_nipple_cm"], self.value("distance_from_nipple_cm")) is False

    def matches(self, finding: Dict[str, object]) -> bool:
        """Whether the finding repeats a measured attribute of the lesion (clock, size or distance)."""
        gap = _clock_gap(finding["clock"], self.value("clock"))
        size = finding["size_mm"] is not None and any(_sizes_agree(finding["size_mm"], s) for s in self.sizes())
        distance = _distances_agree(finding["distance_from_nipple_cm"], self.value("distance_from_nipple_cm"))
        return (gap is not None and gap <= 0.5) or size or bool(distance)


def _same_sentence(text: str, a: Dict[str, object], b: Dict[str, object]) -> bool:
    return not _SENTENCE_BREAK.search(text, a["end_char"], b["start_char"])


def _renames(text: str, a: Dict[str, object], b: Dict[str, object]) -> bool:
    """Whether the text between two findings of a sentence says the second is the first
    ("mass, consistent with a cyst", "Index lesion: ... a 3.2 cm mass")."""
    between = text[a["end_char"] : b["start_char"]]
    return between.lstrip().startswith(":") or bool(_RENAMES.search(between))


def _refers_back(text: str, finding: Dict[str, object]) -> bool:
    start = finding["start_char"]
    return bool(_DEFINITE.search(text, max(0, start - 60), start))


def group_lesions(findings: Sequence[Dict[str, object]], text: str) -> List[Dict[str, object]]:
    """Merge the findings that mention the same lesion (rules in the module docstring).

    findings (Sequence[Dict[str, object]]): The doc's findings, in text order.
    text (str): The report text.
    RETURNS (List[Dict[str, object]]): One record per lesion (keys `LESION_KEYS`), in order of first mention.
    """
    lesions: List[_Lesion] = []
    for index, finding in enumerate(findings):
        family = None if finding["negated"] or finding["family"] else lesion_family(finding, text)
        if family is None:
            continue
        target = _referent(lesions, family, finding, text)
        if target is None:
            lesions.append(_Lesion(family, index, finding))
        else:
            target.mentions.append(index)
            target.findings.append(finding)
    return [_record(i, lesion) for i, lesion in enumerate(lesions)]


def _referent(lesions: Sequence[_Lesion], family: str, finding: Dict[str, object], text: str) -> Optional[_Lesion]:
    """The earlier lesion a finding mentions again, or None for a new lesion."""
    candidates = []
    for lesion in lesions:
        if lesion.family != family or lesion.conflicts(finding):
            continue
        last = lesion.findings[-1]
        if _same_sentence(text, last, finding) and not _renames(text, last, finding):
            continue
        candidates.append(lesion)
    if not candidates:
        return None
    measured = [c for c in candidates if c.matches(finding)]
    if len(measured) == 1:
        return measured[0]
    if measured:
        return None
    side = finding["laterality"]
    same_side = [c for c in candidates if side and c.value("laterality") == side]
    on_side = [le for le in lesions if le.family == family and le.value("laterality") in (side, None)]
    if len(same_side) == 1 and len(on_side) == 1:
        return same_side[0]
    if _refers_back(text, finding):
        same_type = [c for c in candidates if any(f["type"] == finding["type"] for f in c.findings)]
        return (same_type or candidates)[-1]
    last = candidates[-1].findings[-1]
    if _same_sentence(text, last, finding):
        return candidates[-1]
    return None


def _record(number: int, lesion: _Lesion) -> Dict[str, object]:
    found = lesion.findings
    record: Dict[str, object] = {
        "lesion": number,
        "type": found[0]["type"],
        "types": list(dict.fromkeys(f["type"] for f in found)),
    }
    for key in _FIRST_GIVEN:
        record[key] = lesion.value(key)
    sizes = lesion.sizes()
    record["size_mm"] = max(sizes) if sizes else None
    record["locations"] = list(dict.fromkeys(loc for f in found for loc in f["locations"]))
    record["associated_features"] = list(dict.fromkeys(a for f in found for a in f["associated_features"]))
    record["modalities"] = list(dict.fromkeys(f["modality"] for f in found if f["modality"]))
    record["sections"] = list(dict.fromkeys(f["section"] for f in found if f["section"]))
    record["uncertain"] = all(f["uncertain"] for f in found)
    record["historical"] = all(f["historical"] for f in found)
    record["mentions"] = list(lesion.mentions)
    record["mention_offsets"] = [[f["start_char"], f["end_char"]] for f in found]
    return {key: record[key] for key in LESION_KEYS}


def lesion_records(doc: Doc) -> List[Dict[str, object]]:
    """The doc's lesion records (`doc._.lesions`, set by `mammo_findings`; computed here
    from `doc._.findings` or `doc.ents` when the component has not run).

    doc (Doc): The document.
    RETURNS (List[Dict[str, object]]): One record per lesion, keys `LESION_KEYS`.
    """
    if doc._.lesions is not None:
        return doc._.lesions
    findings = doc._.findings
    if findings is None:
        from .findings import extract_findings

        findings = extract_findings(doc)
    return group_lesions(findings, doc.text)
