"""Ultrasound paragraphs and ultrasound reports.

Echo pattern, orientation, posterior features, vascularity, elastography and "echogenic halo" are not
annotated; shape and margin words of a mass, a cyst or a lymph node are. Counts of lymph nodes and
levels ("level II") are not entities; a cortical thickness is a SIZE.
"""

from typing import List, Tuple

from .assessment import assessment_line
from .findings import Finding, Generator
from .history import history
from .sections import Report, comparison, header
from .template import Piece, ent, txt
from .vocabulary import ASYM_TYPES, BENIGN_LESIONS, BIRADS_VERBAL

ECHO = (
    "hypoechoic",
    "hypoechoic",
    "anechoic",
    "isoechoic",
    "heterogeneous",
    "complex cystic and solid",
    "hyperechoic",
    "markedly hypoechoic",
    "mixed echogenicity",
)
ORIENTATION = (
    "parallel orientation",
    "parallel orientation",
    "non-parallel orientation",
    "a taller-than-wide orientation",
    "a wider-than-tall orientation",
    "an orientation parallel to the skin",
)
POSTERIOR = (
    "posterior acoustic enhancement",
    "posterior acoustic shadowing",
    "no posterior features",
    "posterior shadowing",
    "combined posterior features",
    "no posterior acoustic features",
)
VASCULARITY = (
    "internal vascularity",
    "no internal vascularity",
    "peripheral vascularity",
    "no internal flow",
    "increased vascularity on color Doppler",
    "no Doppler flow",
    "internal vascular flow",
    "no internal vascular flow",
    "vascularity in the rim",
)
ELASTOGRAPHY = (
    "Elastography shows the {lesion} to be [[stiff|soft|of intermediate stiffness]][[ (score {n})]].",
    "Strain elastography: Tsukuba score {n}.",
    "Shear-wave elastography: mean stiffness {kpa} kPa.",
    "The strain ratio is {ratio}.",
)
COUNTS = ("two", "three", "2", "3", "4", "several", "multiple", "a few", "five")


def us_slots(g: Generator, f: Finding) -> dict:
    """The finding's slots plus the unannotated ultrasound descriptors and lymph-node slots."""
    s = g.finding_slots(f)
    s.update(
        echo=g.plain(*ECHO),
        orient=g.plain(*ORIENTATION),
        post=g.plain(*POSTERIOR),
        vasc=g.plain(*VASCULARITY),
        usshape=lambda: [ent(f.shape or g.pick(("oval", "irregular", "round")), "SHAPE")],
        usmargin=lambda: [ent(f.margin or g.pick(("circumscribed", "indistinct", "angular", "spiculated")), "MARGIN")],
        circ=g.term("MARGIN", "circumscribed"),
        nshape=g.term("SHAPE", "oval", "oval", "round", "lobulated", "reniform"),
        node=g.term("OTHER_FINDING", "lymph node", "axillary lymph node", "node", "LN", "lymph node"),
        nodes=g.term(
            "OTHER_FINDING", "lymph nodes", "axillary lymph nodes", "nodes", "axillary nodes", "LNs", "axillary LN"
        ),
        count=g.plain(*COUNTS),
        cortex=lambda: g.size([g.pick((2, 3, 3, 4, 5, 6, 7, 8))]),
        scyst=g.term("OTHER_FINDING", "simple cyst", "cyst", "simple cyst"),
        ccyst=g.term("OTHER_FINDING", "complicated cyst", "complex cyst", "complicated cyst"),
        vol=lambda: [ent(g.volume_text(f.dims), "SIZE")],
        benign=g.term("OTHER_FINDING", *(one for one, _ in BENIGN_LESIONS[:6])),
        noun=lambda: [ent(f.noun if f.kind == "mass" else g.mass_noun(), "MASS")],
        lesion=g.term("MASS", "lesion", "lesion", "mass"),
        n=lambda: [txt(str(g.rng.randint(1, 5)))],
        kpa=lambda: [txt(str(g.rng.randint(15, 160)))],
        ratio=lambda: [txt(f"{g.rng.randint(10, 60) / 10:g}")],
    )
    return s


_MASS = (
    "Targeted [[ultrasound|sonography|US]] [[of the {lat} breast ]]at {clock}[[,]] {fdist} [[demonstrates|shows|"
    "reveals]] a {size} {usshape} {echo} {noun} with {orient}, {post}[[ and {vasc}]].",
    "At {clock}, {fdist}, there is a {usshape} {echo} [[{usmargin} ]]{noun} measuring {size}[[, {orient}]], with "
    "{post}.",
    "{Lat} breast {clock} {fdist}: {usshape}, {echo}, {usmargin} {noun} measuring {size}. {Post}. {Vasc}.",
    "Ultrasound [[demonstrates|shows]] a {size} {echo} {noun} with {fmargins} margins {where}[[, {orient}]]. {Vasc}.",
    "Sonographically, the {noun} is {usshape}, {echo}, {orient}, with {fmargins} margins and {post}.",
    "[[Correlating|Corresponding]] to the mammographic finding, there is a {usshape} {echo} {noun} {where} "
    "measuring {size}[[, with an echogenic halo]].",
    "{Where}, a {usshape} {echo} {noun} with {usmargin} margins and {post} measures {size}[[ ({vol})]].",
    "The {noun} {where} is {echo} with margins that are not {circ!}, {orient} and {vasc}.",
    "Real-time imaging [[confirms|shows]] a {size} {usshape} {noun} at {clock}, {echo}, {orient}; {vasc}.",
)
_NODES = (
    "No {adenopathy!}.",
    "The {lat} {axilla} demonstrates normal-appearing {nodes}.",
    "In the {lat} {axilla}, {count} enlarged {nodes} [[are seen|are present|are noted]][[ with cortical thickening]].",
    "The {lat} {axilla} is [[unremarkable|normal]].",
    "{Count} {nodes} with normal fatty hila are seen in the {lat} {axilla}.",
    "{Count} {nodes} [[are seen|are identified]] in the {lat} {axilla}, the largest measuring {size} with a cortical "
    "thickness of {cortex}.",
    "A {nshape} {node} with [[eccentric|diffuse|focal]] cortical thickening to {cortex} is seen in the {lat} "
    "{axilla}[[ at level I| at level II]].",
    "There are {count} abnormal {nodes} in the {lat} {axilla} with loss of the fatty hilum[[, the largest "
    "measuring {size}]].",
    "The {lat} {axilla} contains {count} {nodes} with preserved fatty hila; maximal cortical thickness {cortex}.",
    "Level I and II {nodes} in the {lat} {axilla} are [[normal|unremarkable]] in morphology.",
    "A {nshape} {node} measuring {size} with a cortex of {cortex} and a preserved fatty hilum[[ is seen in the {lat} "
    "{axilla}]].",
    "{Nodes}: {count} in the {lat} {axilla}, cortical thickness up to {cortex}, [[normal hila|hila preserved|no "
    "hilum]].",
    "{Count} {nodes} measuring {sizerange} are seen in the {lat} {axilla}[[ with preserved fatty hila]].",
)
_CYSTS = (
    "At {clock}, {fdist}, there is an anechoic {scyst} measuring {size} with posterior acoustic enhancement.",
    "Targeted ultrasound {where} demonstrates a {size} {scyst}, accounting for the mammographic finding.",
    "{Lat} {clock} {fdist}: {size} {ccyst} with low-level internal echoes.",
    "{Lat} breast {clock}: {nshape} {circ} anechoic {scyst} measuring {size}[[ ({vol})]].",
    "A {size} {ccyst} with a fluid-debris level is seen {where}[[; no internal vascularity]].",
    "Scattered {cysts} [[are seen|are present]] in the {lat} breast, the largest at {clock} measuring {size}.",
    "A {usshape} {circ} {echo} {noun} {where}, measuring {size}, with {post}, [[compatible with|likely]] a {benign}.",
)
_NEGATIVE = (
    "Ultrasound of the {lat} breast at {clock} shows no sonographic correlate for the {fasym}.",
    "No sonographic correlate [[for|to]] the mammographic {fasym} was identified.",
    "Ultrasound at {clock} shows normal fibroglandular tissue without a {mass!}.",
    "No solid or cystic {mass!} is seen at the site of the palpable abnormality at {clock}.",
    "No sonographic abnormality in the remainder of the scanned region.",
    "No {cyst!} or solid {mass!} [[is seen|is identified]] elsewhere in the {lat} {quad}.",
    "Normal fibroglandular tissue is seen in the surrounding area.",
    "At the site of palpable concern in the {lat} breast at {clock}, there is no sonographic abnormality.",
    "The {fasym} seen on mammography is not seen on ultrasound.",
)


def us_sentences(g: Generator, f: Finding) -> List[List[Piece]]:
    """An ultrasound description of a mass finding, sometimes with elastography and the axilla."""
    s = us_slots(g, f)
    out = [g.fill(g.pick(_MASS), s)]
    if g.p(0.15):
        out.append(g.fill(g.pick(ELASTOGRAPHY), s))
    if g.p(0.4):
        out.append(g.fill(g.pick(_NODES + _NEGATIVE[4:7]), s))
    return out


def us_other(g: Generator, f: Finding) -> List[List[Piece]]:
    """Ultrasound of a finding that is not a mass: a cyst, or no correlate."""
    s = us_slots(g, f)
    if not f.asym:
        f.asym = g.pick(ASYM_TYPES[:4])
    return [g.fill(g.pick(_CYSTS[:3] + _NEGATIVE[:4] + _CYSTS[3:]), s)]


def node_sentences(g: Generator, f: Finding) -> List[List[Piece]]:
    """One or two lymph-node sentences (counts, cortical thickness, shape)."""
    s = us_slots(g, f)
    return [g.fill(g.pick(_NODES), s) for _ in range(g.pick((1, 1, 2)))]


def report_ultrasound(g: Generator) -> Tuple[Report, str]:
    """A stand-alone breast ultrasound report."""
    cat = g.pick(("1", "2", "2", "3", "3", "4A", "4B", "4C", "5"))
    side = g.pick(("right", "left"))
    kind = g.pick(("palpable", "palpable", "callback", "followup", "highrisk"))
    f = g.new_finding(g.pick(("mass", "mass", "mass", "other")) if cat != "1" else "mass", cat, side)
    s = us_slots(g, f)
    r = Report(g)
    title = g.pick(
        (
            "US BREAST {LAT}[[ LIMITED| COMPLETE]][[ AND {AXILLA}]]",
            "{Lat} breast ultrasound[[, targeted]]",
            "ULTRASOUND OF THE {LAT} BREAST AND {AXILLA}",
            "{Lat} breast and {axillary} ultrasound",
            "Ultrasound, {lat} breast",
        )
    )
    s.update(axillary=g.term("LOCATION", "axillary"), axillaword=g.term("LOCATION", "axilla", "axillary region"))
    upper = "{LAT}" in title
    exam = g.fill(title.replace("{LAT}", "{lat}").replace("{AXILLA}", "{axillaword}"), s)
    if upper:
        exam = [(text.upper(), label, neg) for text, label, neg in exam]
    if g.p(0.7):
        r.add(header(g, exam))
    r.section("history", history(g, kind, [f], side))
    if g.p(0.4):
        r.section("comparison", comparison(g))
    technique = (
        "Real-time ultrasound of the {lat} breast[[ and {axillaword}]] was performed[[ using a high-frequency linear "
        "transducer| by the radiologist]].",
        "Targeted ultrasound of the {lat} breast at {clock} was performed[[ with grayscale and color Doppler "
        "imaging]].",
        "Grayscale and color Doppler images of the {lat} breast [[and {axillary} region ]]were obtained.",
        "Sonographic evaluation of the {lat} {quad} and {axillaword}.",
    )
    if g.p(0.7):
        r.section("technique", [g.fill(g.pick(technique), s)])
    body: List[List[Piece]] = []
    if cat == "1":
        body.append(g.fill(g.pick(_NEGATIVE[3:]), s))
    elif f.kind == "mass":
        body += us_sentences(g, f)
    else:
        body.append(g.fill(g.pick(_CYSTS), s))
    if g.p(0.45):
        body += node_sentences(g, f)
    if g.p(0.3):
        body.append(g.fill(g.pick(_NEGATIVE[4:7]), s))
    r.section("us" if g.p(0.5) else "findings", body, bullets=g.p(0.1))
    verdict = {"1": "No sonographic abnormality", "2": "Benign findings", "3": "Probably benign"}.get(
        cat, "Suspicious [[solid |]]{mass}"
    )
    imp = [g.fill(verdict + "[[ in the {lat} breast| at {clock}| {where}]].", s)]
    if g.p(0.3) and cat[0] in "45":
        imp.append(g.fill("Ultrasound-guided core biopsy is recommended[[ and has been scheduled]].", s))
    imp.append(assessment_line(g, cat))
    r.section("impression", imp, bullets=g.p(0.2))
    if g.p(0.15):
        r.section("assessment", [g.birads(cat) + [txt(" - " + g.pick(BIRADS_VERBAL[cat]))]])
    return r, cat
