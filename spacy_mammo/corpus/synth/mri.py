"""Breast MRI paragraphs and MRI reports.

Background enhancement, kinetics, internal enhancement and the distribution and pattern words of
non-mass enhancement are not annotated ("linear", "clumped", "segmental", "rim" enhancement): they
describe enhancement, not calcifications. The named finding "[non-mass enhancement]" ("[NME]") is an
OTHER_FINDING, as in the real-text development set. An enhancing [mass] keeps its SHAPE and MARGIN; the amount of
fibroglandular tissue is a COMPOSITION; implant findings are OTHER_FINDING, the signs that show them
("linguine sign") are not annotated.
"""

from typing import List, Tuple

from .assessment import assessment_line
from .findings import Finding, Generator
from .history import history
from .sections import Report, comparison, header
from .template import Piece, txt
from .vocabulary import IMPLANT_PLACEMENT, RUPTURE_SIGNS

FGT = {
    "a": ("almost entirely fat", "almost entirely fatty"),
    "b": ("scattered fibroglandular tissue", "scattered fibroglandular tissue", "scattered FGT"),
    "c": ("heterogeneous fibroglandular tissue", "heterogeneous fibroglandular tissue"),
    "d": ("extreme fibroglandular tissue", "extreme amount of fibroglandular tissue"),
}
BPE = ("minimal", "mild", "mild", "moderate", "marked")
KINETICS = (
    "rapid initial enhancement and delayed washout",
    "rapid initial enhancement with a plateau delayed phase",
    "medium initial enhancement and persistent delayed enhancement",
    "a type III (washout) curve",
    "a type II (plateau) curve",
    "a type I (persistent) curve",
    "fast wash-in and washout kinetics",
    "persistent kinetics",
)
INTERNAL = (
    "heterogeneous internal enhancement",
    "homogeneous internal enhancement",
    "rim enhancement",
    "dark internal septations",
    "heterogeneous enhancement",
)
NME_DISTRIBUTION = ("linear", "segmental", "regional", "focal", "multiple regions", "diffuse", "ductal")
NME_PATTERN = ("clumped", "heterogeneous", "homogeneous", "clustered ring", "stippled")

_TECHNIQUE = (
    "Multiplanar, multisequence MRI of {both} breasts was performed on a [[1.5|3]] T magnet before and after "
    "intravenous administration of {ml} mL of [[gadobutrol|gadoterate meglumine|Gadavist]].",
    "{Bilat} breast MRI with and without contrast. Axial T1, T2 fat-saturated and dynamic post-contrast "
    "images[[ with subtraction and MIP reconstructions]].",
    "Dynamic contrast-enhanced MRI of [[{both} breasts|the breasts]][[; CAD post-processing was performed]].",
    "Abbreviated breast MRI protocol[[, {ml} mL gadolinium IV]].",
    "Silicone-sensitive sequences of {both} breasts without contrast.",
)
_MASS = (
    "In the {lat} breast at {clock}, {fdist}, there is a {size} {fshape} enhancing {fmass} with {fmargins} margins "
    "and {internal}, demonstrating {kinetics}.",
    "{Where}, there is a {fshape} {fmass} with {fmargins} margins measuring {size}, with {internal} and {kinetics}.",
    "A {size} enhancing {fmass} [[is seen|is present]] {where}, {fshape} with {fmargins} margins[[; kinetics: "
    "{kinetics}]].",
    "{Lat} {clock}: {fshape} {fmargin} {fmass}, {size}, {internal}, {kinetics}.",
    "The known {fmass} {where} measures {size} on MRI[[ and shows {kinetics}]][[, with a {clip} artifact]].",
    "A {fshape}, {fmargin} enhancing {fmass} {where} measures {size}[[ ({kinetics})]].",
)
_NME = (
    "There is {pattern} {nmef} in a {nme} distribution {where}, spanning {size}[[, with {kinetics}]].",
    "{Pattern} {nme} {nmef} {where} extends over {size}.",
    "There is {nme} {pattern} enhancement {where}[[, spanning {size}]][[, with {kinetics}]].",
    "{Lat} breast: {nme} {pattern} enhancement at {clock}, {fdist}, spanning {size}.",
    "An area of {pattern} enhancement in a {nme} distribution [[is seen|is present]] in the {lat} {quad}[[, "
    "measuring {size}]].",
    "A [[{size} |]]enhancing focus [[is seen|is noted]] {where}[[ with {kinetics}]].",
    "Multiple {bilat} punctate foci of enhancement, likely background.",
    "There is linear enhancement along a duct {where}[[, extending toward the nipple]].",
)
_IMPLANTS = (
    "{Bilat} {placement} {implants}[[ are present| are seen]].",
    "There is {intracap} of the {lat} {implant} {sign}.",
    "{Intracap} of the {lat} {implant}, {sign}.",
    "No evidence of {intracap!} or {extracap!}.",
    "{Freesilicone} is seen in the {lat} breast at {clock}[[, consistent with {extracap}]].",
    "A {silgran} is present in the {lat} breast at {clock}[[, measuring {size}]].",
    "{Freesilicone} in the {lat} {axilla} with silicone-laden {nodes}.",
    "Radial folds are seen in the {lat} {implant} without evidence of {rupture!}.",
    "The {implants} are intact {bilaterally}.",
    "There is a small amount of peri-implant fluid around the {lat} {implant}.",
)
_OTHER = (
    "Background parenchymal enhancement is {bpe}[[ and symmetric| and asymmetric, greater on the {lat}]].",
    "No suspicious enhancement in the {lat} breast.",
    "No suspicious {mass!} or {nmef!} in {either} breast.",
    "No suspicious enhancing {masses!}.",
    "No {adenopathy!}.",
    "Normal {nodes} in {both} {axillae}.",
    "[[Multiple|Scattered]] non-enhancing T2-bright {cysts} [[are present|are seen]] {bilaterally}.",
    "A {size} non-enhancing {fa} with dark internal septations is seen in the {lat} {quad}.",
    "{Fatnec} is seen at the lumpectomy site in the {lat} breast[[ with rim enhancement]].",
    "A {seroma} is present at the lumpectomy site[[, measuring {size}]].",
    "The skin and nipples are unremarkable.",
    "There is diffuse {skinthick} of the {lat} breast[[ with edema]].",
    "Susceptibility artifact from the {clip} in the {lat} breast at {clock}.",
    "A {imln} is seen in the {lat} {quad}.",
    "No {internalln!}.",
)


def mri_slots(g: Generator, f: Finding) -> dict:
    """The finding's slots plus the MRI descriptors (unannotated unless a finding word)."""
    s = g.finding_slots(f)
    s.update(
        internal=g.plain(*INTERNAL),
        kinetics=g.plain(*KINETICS),
        nme=g.plain(*NME_DISTRIBUTION),
        pattern=g.plain(*NME_PATTERN),
        nmef=g.term(
            "OTHER_FINDING", "non-mass enhancement", "non-mass enhancement", "NME", "non-mass-like enhancement"
        ),
        bpe=g.plain(*BPE),
        ml=lambda: [txt(str(g.rng.randint(5, 20)))],
        placement=g.plain(*IMPLANT_PLACEMENT),
        sign=g.plain(*RUPTURE_SIGNS),
        intracap=g.term("OTHER_FINDING", "intracapsular rupture", "intracapsular implant rupture"),
        extracap=g.term("OTHER_FINDING", "extracapsular rupture", "extracapsular silicone"),
        freesilicone=g.term("OTHER_FINDING", "free silicone", "extracapsular silicone"),
        silgran=g.term("OTHER_FINDING", "silicone granuloma", "siliconoma"),
        nodes=g.term("OTHER_FINDING", "lymph nodes", "axillary lymph nodes", "nodes"),
        fatnec=g.term("OTHER_FINDING", "fat necrosis", "fat necrosis", "oil cyst"),
        seroma=g.term("OTHER_FINDING", "seroma", "hematoma", "seroma"),
        internalln=g.term("OTHER_FINDING", "internal mammary lymph nodes", "internal mammary nodes"),
    )
    return s


def mri_sentences(g: Generator, f: Finding) -> List[List[Piece]]:
    """An MRI description of one finding: a mass, non-mass enhancement or an implant finding."""
    s = mri_slots(g, f)
    if f.kind == "mass":
        return [g.fill(g.pick(_MASS), s)]
    if f.kind == "other":
        return [g.fill(g.pick(_IMPLANTS), s)]
    return [g.fill(g.pick(_NME), s)]


def report_mri(g: Generator) -> Tuple[Report, str]:
    """A breast MRI report: technique, FGT and BPE, findings, lymph nodes, assessment."""
    cat = g.pick(("1", "1", "2", "2", "3", "4", "4A", "5", "6", "0"))
    side = g.pick(("right", "left"))
    kind = g.pick(("highrisk", "highrisk", "known", "implants", "lumpectomy", "palpable"))
    n = 0 if cat == "1" else g.pick((1, 1, 2))
    kinds = ("other",) if kind == "implants" else ("mass", "mass", "calc", "distortion")
    findings = [g.new_finding(g.pick(kinds), cat if i == 0 else "2", side) for i in range(max(n, 1))]
    s = mri_slots(g, findings[0])
    letter = g.pick("abbccd")
    s["fgt"] = g.term("COMPOSITION", *FGT[letter])
    r = Report(g)
    title = g.pick(
        (
            "MRI {BILAT} BREASTS WITH AND WITHOUT CONTRAST",
            "MR BREAST {BILAT} W/WO CONTRAST",
            "{Bilat} breast MRI",
            "Breast MRI[[, high-risk screening| for extent of disease| implant protocol]]",
            "MRI {BILAT} BREASTS[[ - SILICONE PROTOCOL]]",
        )
    )
    exam = g.fill(title.replace("{BILAT}", "{bilat}"), s)
    if title.isupper() or "{BILAT}" in title:
        exam = [(text.upper(), label, neg) for text, label, neg in exam]
    if g.p(0.6):
        r.add(header(g, exam))
    r.section("history", history(g, kind, findings, side))
    if g.p(0.5):
        r.section("comparison", comparison(g))
    r.section("technique", [g.fill(g.pick(_TECHNIQUE), s)])
    body = [
        g.fill(
            g.pick(
                (
                    "Amount of fibroglandular tissue: {fgt}.",
                    "There is {fgt}.",
                    "The breasts demonstrate {fgt}.",
                    "Fibroglandular tissue: {fgt}.",
                )
            ),
            s,
        ),
        g.fill(g.pick(_OTHER[:1] + ("Background parenchymal enhancement: {bpe}.", "BPE: {bpe}.")), s),
    ]
    if cat != "1":
        for f in findings:
            body += mri_sentences(g, f)
    for _ in range(g.pick((1, 1, 2))):
        body.append(g.fill(g.pick(_OTHER[1:]), s))
    if kind == "implants" and g.p(0.6):
        r.section("findings", body[:2])
        r.section("implants", [g.fill(g.pick(_IMPLANTS), s) for _ in range(g.pick((1, 2)))] + body[2:])
    else:
        r.section("mri", body, bullets=g.p(0.15))
    if g.p(0.4):
        r.section(
            "nodes", [g.fill(g.pick(("No {adenopathy!}.", "Normal {nodes} {bilaterally}.", "No {internalln!}.")), s)]
        )
    imp = []
    if cat not in ("1", "2"):
        imp.append(
            g.fill(
                g.pick(
                    (
                        "{Size} enhancing {fmass} in the {lat} breast at {clock}[[, suspicious]].",
                        "{Lat} breast {finding} {where}.",
                        "Known {lat} breast malignancy at {clock} measuring {size} on MRI. No additional disease.",
                        "Suspicious {nmef} in the {lat} {quad}.",
                    )
                ),
                s,
            )
        )
    else:
        imp.append(
            g.fill(g.pick(("No MRI evidence of malignancy.", "Benign MRI findings.", "Negative breast MRI.")), s)
        )
    imp.append(assessment_line(g, cat))
    r.section("impression", imp)
    if cat[0] in "45" and g.p(0.5):
        r.section("recommendation", [g.fill("MRI-guided biopsy [[is recommended|of the {lat} breast finding]].", s)])
    return r, cat
