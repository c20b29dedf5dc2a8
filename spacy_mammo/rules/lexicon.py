"""The BI-RADS lexicon as data: surface terms and regular expressions per label.

Used by the synthetic report generator, the rule-based baseline (EntityRuler
patterns) and the lexicon-match features of the neural model. Terms are
lowercase; match them case-insensitively. Multi-word terms are kept whole
(guidelines, boundary rule 3). The open classes (sizes, distances, clock
positions, assessment categories, density letters) are regexes in PATTERNS.
"""
import re
from typing import Dict, Iterator, List, Pattern, Tuple

TERMS: Dict[str, Tuple[str, ...]] = {
    "COMPOSITION": (
        "almost entirely fatty",
        "almost entirely fat",
        "entirely fatty",
        "predominantly fatty",
        "mostly fatty",
        "fatty replaced",
        "fatty",
        "scattered areas of fibroglandular density",
        "scattered areas of fibroglandular tissue",
        "scattered areas of fibroglandular densities",
        "scattered areas of fiber glandular density",
        "scattered areas of fiber glandular tissue",
        "scattered fiber glandular tissue",
        "scattered fibroglandular tissue",
        "scattered fibroglandular densities",
        "scattered fibroglandular density",
        "scattered fibroglandular elements",
        "scattered fgt",
        "heterogeneously dense",
        "heterogenously dense",
        "heterogeneously-dense",
        "hetrogeneously dense",
        "heterogeneous dense",
        "extremely dense",
        "extremly dense",
        "moderately dense",
        "dense",
        "acr a",
        "acr b",
        "acr c",
        "acr d",
        "acr density a",
        "acr density b",
        "acr density c",
        "acr density d",
        "acr category a",
        "acr category b",
        "acr category c",
        "acr category d",
        "category a",
        "category b",
        "category c",
        "category d",
    ),
    "LATERALITY": (
        "right",
        "left",
        "bilateral",
        "bilaterally",
        "bilat",
        "both",
        "rt",
        "lt",
        "write",
        "r",
        "l",
    ),
    "LOCATION": (
        "upper outer quadrant",
        "upper inner quadrant",
        "lower outer quadrant",
        "lower inner quadrant",
        "upper-outer quadrant",
        "upper-inner quadrant",
        "lower-outer quadrant",
        "lower-inner quadrant",
        "outer upper quadrant",
        "inner upper quadrant",
        "outer lower quadrant",
        "inner lower quadrant",
        "upper outer",
        "upper inner",
        "lower outer",
        "lower inner",
        "upper central",
        "lower central",
        "uoq",
        "uiq",
        "loq",
        "liq",
        "retroareolar",
        "subareolar",
        "periareolar",
        "retro-areolar",
        "sub-areolar",
        "central",
        "axillary tail",
        "tail of spence",
        "axillary region",
        "axilla",
        "axillae",
        "inframammary fold",
        "inframammary",
        "anterior depth",
        "middle depth",
        "mid depth",
        "mid-depth",
        "posterior depth",
        "anterior third",
        "middle third",
        "posterior third",
        "anterior to middle depth",
        "anterior to mid depth",
        "middle to posterior depth",
        "mid to posterior depth",
        "middle to posterior third",
        "anterior",
        "middle",
        "posterior",
        "upper",
        "lower",
        "outer",
        "inner",
        "medial",
        "lateral",
        "superior",
        "inferior",
        "ten thirty",
    ),
    "DISTANCE": (),
    "SIZE": (
        "one centimeter",
        "one centimetre",
        "half a centimeter",
    ),
    "MASS": (
        "mass",
        "masses",
        "nodule",
        "nodules",
        "lesion",
        "lesions",
        "lump",
        "lumps",
        "tumor",
        "tumour",
        "opacity",
        "mas",
    ),
    "CALCIFICATION": (
        "calcifications",
        "calcification",
        "microcalcifications",
        "microcalcification",
        "micro-calcifications",
        "micro calcifications",
        "calcs",
        "calc",
        "microcalcs",
        "calcifictions",
        "calcificatons",
        "calcificaitons",
        "calcfications",
        "calcification's",
    ),
    "ASYMMETRY": (
        "asymmetry",
        "asymmetries",
        "focal asymmetry",
        "focal asymmetries",
        "global asymmetry",
        "developing asymmetry",
        "focal asymmetric density",
        "asymmetric density",
        "asymmetric breast tissue",
        "focal a symmetry",
        "a symmetry",
        "assymetry",
        "asymetry",
        "focal assymetry",
    ),
    "DISTORTION": (
        "architectural distortion",
        "architectural distortions",
        "distortion",
        "architectural distorsion",
        "architectual distortion",
        "arch distortion",
        "architectural distraction",
        "ad",
    ),
    "OTHER_FINDING": (
        "intramammary lymph node",
        "intramammary lymph nodes",
        "intramammary node",
        "intramammary lymph note",
        "intra-mammary lymph node",
        "axillary lymph nodes",
        "axillary lymph node",
        "axillary ln",
        "axillary lns",
        "axillary nodes",
        "lymph node",
        "lymph nodes",
        "node",
        "nodes",
        "ln",
        "imln",
        "cyst",
        "cysts",
        "simple cyst",
        "simple cysts",
        "complicated cyst",
        "complicated cysts",
        "microcysts",
        "complex cyst",
        "oil cyst",
        "oil cysts",
        "fibroadenoma",
        "fibroadenomas",
        "fibro adenoma",
        "papilloma",
        "intraductal papilloma",
        "skin lesion",
        "skin lesions",
        "dilated duct",
        "dilated ducts",
        "biopsy clip",
        "biopsy marker clip",
        "marker clip",
        "clip",
        "clips",
        "surgical clips",
        "post-surgical changes",
        "postsurgical changes",
        "post surgical changes",
        "postoperative changes",
        "post-operative changes",
        "post-biopsy changes",
        "post-radiation change",
        "post-radiation changes",
        "postradiation changes",
        "post radiation changes",
        "post-lumpectomy changes",
        "post lumpectomy changes",
        "post-reduction changes",
        "post-excisional changes",
        "post-traumatic changes",
        "post-surgical scar",
        "postsurgical scar",
        "surgical scar",
        "biopsy scar",
        "scar",
        "radial scar",
        "complex sclerosing lesion",
        "fat necrosis",
        "seroma",
        "hematoma",
        "haematoma",
        "gynecomastia",
        "gynaecomastia",
        "fibrocystic change",
        "fibrocystic changes",
        "lipoma",
        "hamartoma",
        "galactocele",
        "abscess",
        "implant",
        "implants",
        "silicone implant",
        "silicone implants",
        "saline implant",
        "saline implants",
        "implant rupture",
        "silicone implant rupture",
        "saline implant rupture",
    ),
    "SHAPE": (
        "oval",
        "round",
        "irregular",
        "lobulated",
        "lobular",
        "ovoid",
    ),
    "MARGIN": (
        "circumscribed",
        "well-circumscribed",
        "well circumscribed",
        "well-defined",
        "well defined",
        "obscured",
        "partially obscured",
        "microlobulated",
        "indistinct",
        "in distinct",
        "ill-defined",
        "ill defined",
        "poorly defined",
        "spiculated",
        "speculated",
        "spiculate",
        "angular",
        "circumscribe",
    ),
    "MASS_DENSITY": (
        "high density",
        "high-density",
        "equal density",
        "equal-density",
        "isodense",
        "low density",
        "low-density",
        "fat-containing",
        "fat containing",
        "hyperdense",
        "hypodense",
    ),
    "CALC_MORPHOLOGY": (
        "amorphous",
        "coarse heterogeneous",
        "fine pleomorphic",
        "fine linear branching",
        "fine-linear branching",
        "fine linear",
        "fine-linear",
        "pleomorphic",
        "punctate",
        "popcorn",
        "popcorn-like",
        "coarse",
        "rim",
        "eggshell",
        "vascular",
        "dystrophic",
        "milk of calcium",
        "round",
        "large rod-like",
        "rod-like",
        "secretory",
        "skin",
        "dermal",
        "suture",
        "lucent-centered",
        "lucent centered",
        "lucent-centred",
        "amorphus",
    ),
    "CALC_DISTRIBUTION": (
        "diffuse",
        "scattered",
        "regional",
        "grouped",
        "clustered",
        "linear",
        "segmental",
        "cluster",
        "clusters",
        "group",
        "groups",
    ),
    "ASSOCIATED_FEATURE": (
        "skin retraction",
        "nipple retraction",
        "skin thickening",
        "trabecular thickening",
        "axillary adenopathy",
        "axillary lymphadenopathy",
        "axillary lad",
        "adenopathy",
        "lymphadenopathy",
    ),
    "BIRADS": (
        "bi-rads 0",
        "bi-rads 1",
        "bi-rads 2",
        "bi-rads 3",
        "bi-rads 4",
        "bi-rads 4a",
        "bi-rads 4b",
        "bi-rads 4c",
        "bi-rads 5",
        "bi-rads 6",
    ),
}

# Number words used in spelled-out sizes, clock positions and categories.
_NUM_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
)
_NUM = r"\d+(?:[.,]\d+)?"
_X = r"\s*[x×]\s*"
_UNIT = r"(?:mm|cm|millimet(?:er|re)s?|centimet(?:er|re)s?)"
# "for B" is 4B as speech recognition writes it
_CAT = r"(?:[0-6](?:\s?[abc])?|for\s[abc]|zero|one|two|three|four|five|six|i{1,3}|iv|v|vi)"
_RANGE = r"(?:\s*(?:-|–|to)\s*\d+(?:[.,]\d+)?)?"
_KEYWORD = r"(?:acr\s+)?(?:bi|by)[\s-]?rads?(?:®)?"

PATTERNS: Dict[str, Tuple[str, ...]] = {
    "SIZE": (
        # "1.2 x 0.9 x 1.0 cm", "12 x 8 mm", "10x6x8mm", "12 mm", "~1cm" (the "~" stays out)
        rf"\b{_NUM}(?:{_X}{_NUM}){{0,2}}\s*{_UNIT}\b",
        # "12 by 8 mm"
        rf"\b{_NUM}\s+by\s+{_NUM}\s*{_UNIT}\b",
        # unitless "1.2 x 0.8" (clearly a size)
        rf"\b{_NUM}(?:{_X}{_NUM}){{1,2}}\b(?!\s*(?:{_UNIT}|o'clock))",
        # "one centimeter", "two millimeters"
        rf"\b{_NUM_WORDS}\s+{_UNIT}\b",
        r"\bhalf\s+a\s+centimet(?:er|re)\b",
    ),
    "DISTANCE": (
        # "4 cm from the nipple", "4 cm from nipple", "4 centimeters posterior to the nipple",
        # ranges "3-7 cm from the nipple"
        rf"\b{_NUM}{_RANGE}\s*{_UNIT}\s+(?:from|posterior\s+to)\s+(?:the\s+)?nipple\b",
        # "4 cm FN", "4cm FN", "6 cmfn", "6cmfn", "2-5 cm FN"
        rf"\b{_NUM}{_RANGE}\s*(?:cm|mm)\s*fn\b",
        rf"\b{_NUM_WORDS}\s+centimet(?:er|re)s?\s+from\s+(?:the\s+)?nipple\b",
    ),
    "LOCATION": (
        # "10 o'clock", "10-11 o'clock", "10 to 11 o'clock", "10 oclock"
        r"\b(?:1[0-2]|[1-9])(?::[0-5][0-9])?(?:\s*(?:-|–|to)\s*(?:1[0-2]|[1-9]))?\s*(?:o['’]\s?clock|oclock|o\s+clock)\b",
        # "10:00", "12:00", "10:30", "2:00-3:00" (callers must exclude header time stamps)
        r"(?<![\d:])(?:1[0-2]|0?[1-9]):[0-5][0-9](?:\s*(?:-|–|to)\s*(?:1[0-2]|0?[1-9]):[0-5][0-9])?(?!\d|:\d)",
        # spelled-out: "ten thirty", "two o'clock"
        rf"\b{_NUM_WORDS}(?:\s+thirty|\s+o['’]\s?clock)\b",
        # one depth phrase across two thirds: "middle to posterior depth", "anterior-mid depth"
        r"\b(?:anterior|middle|mid)\s*(?:to|-)\s*(?:middle|mid|posterior)\s+(?:depth|third)s?\b",
    ),
    "LATERALITY": (
        # "either"/"both" only when naming the breasts
        r"\b(?:either|both)(?=\s+breasts?\b)",
    ),
    "BIRADS": (
        # "BI-RADS 4A", "BI-RADS category 4", "BIRADS: 2", "ACR BI-RADS 0", "bi rads 2", "birads4",
        # "BIRADS III", "BI-RADS zero", "BI-RADS 4 A", "BI-RADS Assessment: Category 1"
        # "BI-RADS equivalent: 4B", "BI-RADS category for B"
        rf"\b{_KEYWORD}\s*:?\s*(?:(?:final\s+)?(?:assessment|equivalent)\s*:?\s*)?(?:category|cat\.?)?\s*[:\-]?\s*{_CAT}\b",
        # "Category 1" right after an assessment keyword ("Assessment: Category 1", "Overall:
        # Category 2"); the keyword itself stays out of the match
        r"(?:(?<=assessment: )|(?<=assessment:)|(?<=assessment )|(?<=assessment - )|(?<=overall: ))"
        rf"category\s*:?\s*{_CAT}\b",
    ),
    "COMPOSITION": (
        # "ACR density C", "ACR C", "ACR category B", "ACR-C"
        r"\bacr(?:\s+(?:density|category|type|composition))?\s*[:\-]?\s*[abcd]\b",
        # "category B" followed by density / composition words
        r"\bcategory\s+[abcd]\b(?=\s*(?:density|breast|composition|\)))",
    ),
}


def iter_terms() -> Iterator[Tuple[str, str]]:
    """Yield every (label, term) pair of TERMS, longest terms first.

    RETURNS (Iterator[Tuple[str, str]]): pairs, longest term first so that
        greedy matchers prefer multi-word terms.
    """
    pairs = [(label, term) for label, terms in TERMS.items() for term in terms]
    pairs.sort(key=lambda pair: (-len(pair[1]), pair[0], pair[1]))
    yield from pairs


def compiled_patterns() -> Dict[str, List[Pattern]]:
    """Compile PATTERNS case-insensitively.

    RETURNS (Dict[str, List[Pattern]]): label -> compiled regexes.
    """
    return {
        label: [re.compile(regex, re.IGNORECASE) for regex in regexes]
        for label, regexes in PATTERNS.items()
    }


def entity_ruler_patterns() -> List[dict]:
    """Token patterns for spaCy's EntityRuler, one per lexicon term.

    Tokens are split on whitespace and hyphens like spaCy's English tokenizer
    does, and matched on the LOWER attribute.

    RETURNS (List[dict]): EntityRuler patterns `{"label": ..., "pattern": [...]}`.
    """
    patterns = []
    for label, term in iter_terms():
        tokens = [piece for piece in re.split(r"\s+|(-)", term) if piece]
        patterns.append({"label": label, "pattern": [{"LOWER": tok} for tok in tokens]})
    return patterns
