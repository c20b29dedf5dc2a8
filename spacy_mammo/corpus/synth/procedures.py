"""Procedure reports: image-guided biopsies, localizations, aspirations, clips and post-procedure images.

Needle gauges, numbers of passes or cores, volumes of anesthetic or aspirated fluid, times and distances
relative to the target or the clip are not entities. Every clip is annotated, its type word left out
("[clip] placement", "a ribbon-shaped [clip]"); benign pathology results are OTHER_FINDING, malignant
ones are not annotated. "The patient left the department" is not a LATERALITY.
"""

from typing import List, Tuple

from .assessment import assessment_line
from .findings import Finding, Generator
from .history import age_text
from .sections import Report, header
from .template import Piece, ent, txt
from .vocabulary import BENIGN_PATHOLOGY, MALIGNANT_PATHOLOGY

GAUGES = {
    "core": ("14", "14", "12", "16", "18"),
    "vacuum": ("9", "10", "11", "8", "7", "12"),
    "wire": ("20", "20", "21"),
    "fna": ("22", "25", "21", "20"),
}
DEVICES = {
    "core": ("spring-loaded", "automated", "Bard Max-Core", "Achieve", "coaxial"),
    "vacuum": ("Mammotome", "ATEC", "EnCor", "Eviva", "Brevera", "Suros"),
}

_TITLES = {
    "us": (
        "ULTRASOUND-GUIDED CORE NEEDLE BIOPSY, {LAT} BREAST",
        "US-guided core biopsy {lat} breast {clock}[[ with {clipword} placement]]",
        "BIOPSY {LAT} BREAST W/ US GUIDANCE AND {CLIPWORD} PLACEMENT",
        "{Lat} breast ultrasound-guided biopsy[[ with {clipword} placement]]",
    ),
    "stereo": (
        "STEREOTACTIC VACUUM-ASSISTED BIOPSY, {LAT} BREAST",
        "{Lat} breast stereotactic core biopsy[[ with {clipword} placement]]",
        "TOMOSYNTHESIS-GUIDED BIOPSY {LAT} BREAST",
        "Stereotactic biopsy {lat} breast, {calcs}",
    ),
    "mri": ("MRI-GUIDED VACUUM-ASSISTED BIOPSY, {LAT} BREAST", "MR-guided biopsy of the {lat} breast"),
    "wire": (
        "{LAT} BREAST WIRE LOCALIZATION[[ UNDER MAMMOGRAPHIC GUIDANCE]]",
        "Needle localization {lat} breast",
        "RADIOACTIVE SEED LOCALIZATION, {LAT} BREAST",
        "Preoperative [[wire|seed]] localization of the {lat} breast {clipword}",
    ),
    "fna": ("ULTRASOUND-GUIDED FNA, {LAT} {NODE}", "US-guided fine needle aspiration {lat} {node}"),
    "cyst": ("ULTRASOUND-GUIDED ASPIRATION, {LAT} BREAST {CYST}", "Aspiration of {lat} breast {cyst}"),
}
_CONSENT = (
    "The procedure, risks, benefits and alternatives were discussed with the patient and written informed consent "
    "was obtained.",
    "Informed consent was obtained after discussion of the risks, including bleeding, infection and the need for "
    "repeat biopsy.",
    "Written consent obtained.",
    "The {age} patient gave written informed consent.",
)
_TIMEOUT = (
    "A time-out was performed to confirm the patient's identity, the procedure and the site.",
    "Time-out performed.",
    "Universal protocol was followed[[ and a time-out was performed]].",
)
_PREP = (
    "The {lat} breast was prepped and draped in the usual sterile fashion.",
    "The skin was cleansed with chlorhexidine.",
    "The patient was placed [[prone on the stereotactic table|in the upright position|supine]] and the {lat} breast "
    "was positioned[[ in the CC projection| in the ML projection| in the LM projection]].",
)
_ANESTHESIA = (
    "Local anesthesia was achieved with {ml} mL of 1% lidocaine[[, followed by {ml2} mL of 1% lidocaine with "
    "epinephrine]].",
    "{Ml} cc of 1% lidocaine [[was|were]] used for local anesthesia.",
    "After local anesthesia with [[buffered |]]lidocaine, a small skin incision was made.",
)
_SAMPLING = {
    "us": (
        "Under real-time ultrasound guidance, a {gauge} {device} core biopsy needle was advanced into the {target} at "
        "{clock} {fdist}.",
        "Using ultrasound guidance, {count} {gauge} core samples were obtained from the {target}[[ with post-fire "
        "images confirming needle position through the {target}]].",
        "{Count} passes were made through the {target} with a {gauge} {device} needle.",
    ),
    "stereo": (
        "Using stereotactic guidance, a {gauge} vacuum-assisted {vdevice} device was used to obtain {count} core "
        "samples from the {target}.",
        "Stereotactic targeting of the {target} was performed and {count} {gauge} vacuum-assisted cores were obtained.",
        "A {gauge} {vdevice} needle was placed at the {target} and {count} specimens were obtained.",
    ),
    "mri": (
        "Using MRI guidance and a grid localization system, a {gauge} vacuum-assisted device was placed at the area "
        "of enhancement {where}, and {count} samples were obtained.",
        "The target {where} was localized on post-contrast images and sampled with a {gauge} {vdevice} device "
        "({count} cores).",
    ),
    "wire": (
        "Under mammographic guidance, a {gauge} localization needle was placed from a [[lateral|medial|superior|"
        "inferior]] approach to the {target}, and the wire was deployed.",
        "A {gauge} hookwire was placed through the {target} {where}.",
        "Under ultrasound guidance, a radioactive seed was placed at the {target} {where}.",
    ),
    "fna": (
        "Under ultrasound guidance, {count} passes were made into the cortex of the {node} with a {gauge} needle.",
        "Fine needle aspiration of the {node} was performed with a {gauge} needle ({count} passes).",
    ),
    "cyst": (
        "Under ultrasound guidance, a {gauge} needle was advanced into the {cyst} and {ml} mL of "
        "[[yellow|straw-colored|"
        "green|cloudy|clear]] fluid was aspirated[[ with complete collapse of the {cyst}]].",
        "{Ml} cc of [[non-bloody|turbid|dark green]] fluid was aspirated from the {cyst}[[ and discarded| and sent "
        "for cytology]].",
    ),
}
_SPECIMEN = (
    "Specimen radiograph confirmed the presence of {calcs} in [[several|three|multiple|2]] of the cores.",
    "Specimen radiography demonstrated {calcs} in the samples.",
    "Specimens with and without {calcs} were placed in separate containers.",
    "The specimens were placed in formalin and sent to pathology.",
    "[[Cores|Samples]] were placed in formalin[[ and sent to pathology]].",
)
_CLIP = (
    "A {clip} was [[deployed|placed]] at the biopsy site[[ under ultrasound visualization| through the introducer]].",
    "{Clipword} placement was confirmed sonographically.",
    "Following the biopsy, a {clip} was placed.",
    "A {clip} was left at the biopsy site to mark it.",
    "The {clipword} was deployed without difficulty.",
)
_AFTER = (
    "Hemostasis was achieved with manual compression[[ for {n} minutes]].",
    "There were no immediate complications.",
    "The patient tolerated the procedure well and left the department in stable condition.",
    "The patient tolerated the procedure well[[ and left the department in good condition]].",
    "Estimated blood loss: minimal.",
    "Post-procedure instructions were given[[ verbally and in writing]].",
    "A small {hema} formed and was controlled with compression.",
    "Steri-Strips and a pressure dressing were applied.",
)
_POST = (
    "{Lat} CC and ML views [[were obtained and ]]demonstrate the {clip} at the biopsy site[[, in appropriate "
    "position| in expected position]].",
    "Post-procedure mammogram demonstrates the {clip} within [[5|3|2]] mm of the targeted {target}.",
    "The {clip} has migrated [[1|1.5|2]] cm [[lateral|inferior|superior|medial]] to the biopsy site.",
    "Air and {postbx} are present at the biopsy site[[ with the {clip} in good position]].",
    "Residual {calcs} remain [[adjacent to|around]] the {clip}.",
    "No residual {calcs!} are seen at the biopsy site.",
    "The wire tip is [[within|through|just beyond]] the {target}[[, 5 mm from the {clipword}]].",
    "A small {hema} is seen at the biopsy site[[ with the {clip} in its center]].",
)


def proc_slots(g: Generator, f: Finding, kind: str) -> dict:
    s = g.finding_slots(f)
    sampling = "vacuum" if kind in ("stereo", "mri") else kind if kind in GAUGES else "core"
    target = {
        "mass": lambda: [ent(f.noun or "mass", "MASS")],
        "calc": lambda: [ent(f.noun or "calcifications", "CALCIFICATION")],
        "asym": lambda: [ent(f.asym or "asymmetry", "ASYMMETRY")],
        "distortion": lambda: [ent(f.noun or "architectural distortion", "DISTORTION")],
    }.get(f.kind, lambda: [ent(f.other or "clip", "OTHER_FINDING")])
    s.update(
        target=target,
        gauge=lambda: [txt(g.pick(GAUGES[sampling]) + g.pick(("-gauge", "-gauge", " gauge", "G", " G", "g")))],
        device=g.plain(*DEVICES["core"]),
        vdevice=g.plain(*DEVICES["vacuum"]),
        count=g.plain("three", "four", "five", "six", "3", "4", "5", "6", "8", "12"),
        n=lambda: [txt(str(g.rng.randint(5, 15)))],
        ml=lambda: [txt(str(g.rng.randint(2, 12)))],
        ml2=lambda: [txt(str(g.rng.randint(3, 15)))],
        age=lambda: [txt(age_text(g, g.rng.randint(30, 85)))],
        clipword=g.term("OTHER_FINDING", "clip", "clip", "biopsy clip", "marker clip"),
        node=g.term("OTHER_FINDING", "axillary lymph node", "lymph node", "axillary node"),
        nodes=g.term("OTHER_FINDING", "axillary lymph nodes", "lymph nodes", "axillary nodes"),
        cyst=g.term("OTHER_FINDING", "cyst", "complicated cyst", "cyst"),
        hema=g.term("OTHER_FINDING", "hematoma", "hematoma", "haematoma"),
        postbx=g.term("OTHER_FINDING", "post-biopsy changes", "post biopsy changes"),
        benign=g.term("OTHER_FINDING", *BENIGN_PATHOLOGY),
        malignant=g.plain(*MALIGNANT_PATHOLOGY),
    )
    return s


def report_procedure(g: Generator) -> Tuple[Report, str]:
    """An image-guided procedure note with indication, technique, clip, post-procedure views and pathology."""
    kind = g.pick(("us", "us", "us", "stereo", "stereo", "mri", "wire", "fna", "cyst"))
    cat = {"wire": "6", "cyst": g.pick(("2", "3")), "fna": g.pick(("4", "5", "6"))}.get(
        kind, g.pick(("4", "4A", "4A", "4B", "4C", "5"))
    )
    side = g.pick(("right", "left"))
    fkind = {"us": "mass", "stereo": g.pick(("calc", "calc", "asym", "distortion")), "cyst": "other"}.get(
        kind, g.pick(("mass", "calc"))
    )
    f = g.new_finding(fkind, cat, side)
    if kind == "cyst":
        f.other = "complicated cyst"
    if kind == "fna":
        f.kind, f.other = "other", "axillary lymph node"
    s = proc_slots(g, f, kind)
    r = Report(g)
    title = g.pick(_TITLES[kind])
    upper = "{LAT}" in title
    exam = g.fill(
        title.replace("{LAT}", "{lat}")
        .replace("{CLIPWORD}", "{clipword}")
        .replace("{NODE}", "{node}")
        .replace("{CYST}", "{cyst}"),
        s,
    )
    if upper:
        exam = [(text.upper(), label, neg) for text, label, neg in exam]
    r.add(header(g, exam) if g.p(0.7) else exam)
    indication = (
        "{Size} {finding} {where}, {fbirads}.",
        "{Lat} breast {finding} at {clock}[[, {fdist}]], assessed as {fbirads} on diagnostic imaging.",
        "{Finding} {where}[[ ({fbirads})]]. Tissue diagnosis requested.",
        "Known {lat} breast carcinoma at {clock}; [[localization|localisation]] prior to lumpectomy.",
        "{Count} abnormal {nodes} in the {lat} {axilla}[[, cortical thickness {size}]].",
        "Symptomatic {lat} breast {cyst}[[ at {clock}]].",
    )
    pick = {"wire": 3, "fna": 4, "cyst": 5}.get(kind)
    r.section("history", [g.fill(indication[pick] if pick is not None else g.pick(indication[:3]), s)])
    steps: List[List[Piece]] = []
    prep = _PREP if kind in ("stereo", "mri") else _PREP[:2]
    for pool, prob in ((_CONSENT, 0.7), (_TIMEOUT, 0.5), (prep, 0.6), (_ANESTHESIA, 0.7)):
        if g.p(prob):
            steps.append(g.fill(g.pick(pool), s))
    steps.append(g.fill(g.pick(_SAMPLING[kind]), s))
    if kind == "stereo" and f.kind == "calc" and g.p(0.7):
        steps.append(g.fill(g.pick(_SPECIMEN), s))
    elif kind != "cyst" and g.p(0.3):
        steps.append(g.fill(g.pick(_SPECIMEN[3:]), s))
    if kind in ("us", "stereo", "mri", "fna") and g.p(0.85):
        steps.append(g.fill(g.pick(_CLIP), s))
    for _ in range(g.pick((1, 2, 2, 3))):
        steps.append(g.fill(g.pick(_AFTER), s))
    r.section("procedure", steps, bullets=g.p(0.1))
    if kind in ("us", "stereo", "mri", "wire") and g.p(0.65):
        post = [
            one for one in _POST if ("calcs" not in one or f.kind == "calc") and ("wire" in one) == (kind == "wire")
        ]
        r.section("postproc", [g.fill(g.pick(post + list(_POST[:2])), s) for _ in range(g.pick((1, 1, 2)))])
    imp = [
        g.fill(
            g.pick(
                (
                    "Successful [[ultrasound-guided|stereotactic|image-guided]] biopsy of the {lat} breast {finding} "
                    "at "
                    "{clock}[[ with {clip} placement]].",
                    "Technically successful {lat} breast [[biopsy|procedure]][[; {clip} in good position]].",
                    "Successful localization of the {lat} breast {target}.",
                    "[[Uncomplicated|Successful]] procedure. Pathology is pending.",
                )
                if kind != "fna"
                else ("Successful ultrasound-guided FNA of the {lat} {node}[[ with {clip} placement]].",)
            ),
            s,
        )
    ]
    if g.p(0.4):
        imp.append(assessment_line(g, cat))
    r.section("impression", imp, bullets=g.p(0.2))
    if kind != "wire" and g.p(0.5):
        benign = g.p(0.6)
        path = g.fill(
            g.pick(
                (
                    "Pathology: {benign}. [[Concordant benign.|This is concordant with the imaging findings.]]",
                    "PATHOLOGY RESULTS: {benign}[[ and {benign}]]. Concordant.",
                    "The pathology result of {benign} is concordant with the imaging.",
                )
                if benign
                else (
                    "Pathology: {malignant}. The result is concordant.",
                    "Pathology demonstrates {malignant}. Surgical consultation is recommended.",
                )
            ),
            s,
        )
        rec = "Return to annual screening." if benign and g.p(0.5) else "6-month follow-up [[imaging|ultrasound]]."
        r.section("pathology", [path] + ([g.fill(rec)] if benign else []))
    return r, cat
