"""Report sections: headings, header and signature, history, comparison, technique, recommendation, assessment."""

from typing import List, Optional

from .findings import Finding, Generator
from .template import Piece, ent, txt


def heading(g: Generator, name: str, style: str) -> str:
    names = {
        "history": (
            "CLINICAL HISTORY",
            "HISTORY",
            "INDICATION",
            "Clinical information",
            "Reason for exam",
            "CLINICAL INDICATION",
            "Indication",
            "History",
        ),
        "comparison": ("COMPARISON", "Comparison", "COMPARISON STUDIES", "Prior studies", "Comparison"),
        "technique": ("TECHNIQUE", "Technique", "PROCEDURE", "Views", "TECHNIQUE"),
        "findings": ("FINDINGS", "Findings", "FINDINGS", "REPORT", "Mammogram findings"),
        "us": ("ULTRASOUND", "BREAST ULTRASOUND", "Ultrasound findings", "US FINDINGS", "Targeted ultrasound"),
        "impression": ("IMPRESSION", "Impression", "IMPRESSION", "CONCLUSION", "Conclusion", "Opinion", "SUMMARY"),
        "assessment": ("ASSESSMENT", "BI-RADS ASSESSMENT", "Final assessment", "OVERALL ASSESSMENT", "Assessment"),
        "recommendation": ("RECOMMENDATION", "RECOMMENDATIONS", "Recommendation", "Plan", "FOLLOW-UP"),
        "mri": ("MRI FINDINGS", "FINDINGS", "Findings", "MRI", "Breast MRI findings"),
        "procedure": ("PROCEDURE", "Procedure", "PROCEDURE NOTE", "DESCRIPTION OF PROCEDURE", "Technique"),
        "postproc": (
            "POST-PROCEDURE MAMMOGRAM",
            "Post-procedure mammogram",
            "POST BIOPSY MAMMOGRAM",
            "Post-biopsy imaging",
        ),
        "pathology": ("PATHOLOGY", "Pathology results", "PATHOLOGY RESULTS", "ADDENDUM", "Pathology"),
        "complications": ("COMPLICATIONS", "Complications", "Complications"),
        "nodes": ("ADDITIONAL FINDINGS", "Other findings", "Additional findings"),
        "implants": ("AUGMENTATION", "Silicone-sensitive images", "SILICONE SEQUENCES"),
    }
    text = g.pick(names[name])
    if style == "upper":
        text = text.upper()
    elif style == "title":
        text = text.title().replace("Bi-Rads", "BI-RADS")
    return text


class Report:
    """Assembles sections into one report."""

    def __init__(self, g: Generator):
        self.g = g
        self.pieces: List[Piece] = []
        self.heading_style = g.pick(("upper", "upper", "title", "asis"))
        self.layout = g.pick(("newline", "newline", "inline", "blank", "numbered"))
        self.section_no = 0

    def add(self, pieces: List[Piece]) -> None:
        self.pieces.extend(pieces)

    def text(self, text: str) -> None:
        self.pieces.append(txt(text))

    def section(self, name: str, sentences: List[List[Piece]], bullets: bool = False) -> None:
        g = self.g
        if not sentences:
            return
        if self.pieces:
            self.text(g.pick(("\n\n", "\n\n", "\n", "\n\n\n", "\n \n")))
        head = heading(g, name, self.heading_style)
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


def header(g: Generator, exam: List[Piece]) -> List[Piece]:
    lines: List[List[Piece]] = []
    if g.p(0.35):
        lines.append([txt(f"Patient: {g.name().replace('Dr. ', '').replace('Dr ', '')}")])
    if g.p(0.4):
        lines.append([txt(g.pick(("MRN", "MRN #", "Patient ID", "ID")) + f": {g.rng.randint(100000, 99999999):08d}")])
    if g.p(0.35):
        lines.append(
            [
                txt(
                    g.pick(("Accession", "Accession #", "ACC", "Acc. No."))
                    + ": "
                    + g.pick(("A", "", "MG", "ACC"))
                    + str(g.rng.randint(1000000, 99999999))
                )
            ]
        )
    if g.p(0.3):
        lines.append([txt(f"DOB: {g.date(1930, 1990)}")])
    if g.p(0.5):
        lines.append(
            [
                txt(
                    g.pick(("Exam date", "Date of exam", "Date", "Study date", "DOS"))
                    + f": {g.date()}"
                    + (f" {g.time()}" if g.p(0.6) else "")
                )
            ]
        )
    if g.p(0.25):
        lines.append([txt(g.pick(("Referring physician", "Ordering provider", "Referred by")) + f": {g.name()}")])
    if g.p(0.15):
        lines.append([txt(g.pick(("CPT: 77067", "CPT 77066", "CPT: 77065", "CPT: 76641", "Code: MAM-SCR")))])
    g.rng.shuffle(lines)
    if exam:
        lines.insert(
            0 if g.p(0.5) else len(lines),
            [txt(g.pick(("EXAM: ", "Exam: ", "PROCEDURE: ", "Study: ", "", "", "")))] + exam,
        )
    out: List[Piece] = []
    for i, line in enumerate(lines):
        if i:
            out.append(txt("\n"))
        out.extend(line)
    return out


def signature(g: Generator) -> List[Piece]:
    who = g.name()
    return [
        txt(
            g.pick(
                (
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
                )
            )
        )
    ]


def exam_title(g: Generator, side: str, kind: str) -> List[Piece]:
    lat = {
        "right": lambda: g.lat("right"),
        "left": lambda: g.lat("left"),
        "bilateral": lambda: [ent(g.lat_text("bilateral"), "LATERALITY")],
    }[side]
    slots = {"lat": lat, "axillary": g.term("LOCATION", "axillary"), "axilla": g.term("LOCATION", "axilla")}
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
            # "axillary" naming the examined region is LOCATION (v1.3)
            "{Lat} diagnostic mammogram and {lat} breast and {axillary} ultrasound",
            "DIAGNOSTIC MAMMOGRAM {LAT}, US {LAT} BREAST AND {AXILLA}",
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
    pieces = g.fill(t.replace("{LAT}", "{lat}").replace("{AXILLA}", "{axilla}"), slots)
    if upper:
        pieces = [(p[0].upper(), p[1], p[2]) for p in pieces]
    return pieces


def comparison(g: Generator) -> List[List[Piece]]:
    if g.p(0.15):
        return [
            g.fill(
                g.pick(
                    (
                        "None.",
                        "None available.",
                        "No prior studies available for comparison.",
                        "No prior imaging.",
                        "Baseline examination.",
                    )
                )
            )
        ]
    dates = [g.date() for _ in range(g.rng.randint(1, 3))]
    out = [
        g.fill(
            g.pick(
                (
                    ", ".join(dates) + ".",
                    "Prior mammograms dated " + " and ".join(dates) + ".",
                    "Compared with prior studies from " + ", ".join(dates) + ".",
                    "Comparison is made to exams dated " + ", ".join(dates) + "[[ from an outside facility]].",
                    "Previous mammogram " + dates[0] + ".",
                    "Priors: " + "; ".join(dates),
                )
            )
        )
    ]
    if g.p(0.2):
        out.append(
            g.fill(
                g.pick(
                    (
                        "The prior exam was assessed as {bir}.",
                        "Prior assessment: {bir}.",
                        "(previous {bir})",
                    )
                ),
                {"bir": lambda: g.birads(g.pick(("1", "2", "2", "3", "0")))},
            )
        )
    return out


def technique(g: Generator, side: str, kind: str) -> List[List[Piece]]:
    lat = {
        "right": lambda: g.lat("right"),
        "left": lambda: g.lat("left"),
        "bilateral": lambda: [ent(g.lat_text("bilateral"), "LATERALITY")],
    }[side]
    slots = {"lat": lat}
    if kind == "screening":
        tpls = (
            "Standard CC and MLO views of [[{both} breasts|the breasts]] were obtained.",
            "{Lat} CC and MLO views[[ with tomosynthesis]].",
            "[[Digital breast tomosynthesis|Tomosynthesis]] and synthesized 2D images of {both} breasts were "
            "obtained in the CC and MLO projections.",
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
            "[[Digital breast tomosynthesis|Tomosynthesis]] of the {lat} breast in CC and MLO projections[[ with a "
            "90-degree lateral view]].",
            "LCC, LMLO, LML and spot compression views.",
            "RCC, RMLO, RML[[ and XCCL]] views.",
            "Targeted ultrasound of the {lat} breast was performed[[ by the technologist and radiologist]].",
            "Targeted ultrasound of both palpable sites in the {lat} breast was performed.",
            "A BB was placed over both palpable sites[[ in the {lat} breast]].",
            "Standard and implant-displaced views.",
        )
    out = [g.fill(g.pick(tpls), slots)]
    if g.p(0.25):
        out.append(
            g.fill(
                g.pick(
                    (
                        "Computer-aided detection (CAD) was used.",
                        "CAD was utilized in interpretation.",
                        "A skin marker was placed over the area of concern.",
                        "A BB marks the palpable site.",
                    )
                )
            )
        )
    return out


def recommendation(g: Generator, cat: str, f: Optional[Finding]) -> List[List[Piece]]:
    s = g.finding_slots(f) if f else {}
    by_cat = {
        "0": (
            "Additional imaging evaluation with diagnostic mammogram[[ and ultrasound]] of the {lat} breast.",
            "Recall for spot compression views[[ and ultrasound]].",
            "Diagnostic mammogram and possible ultrasound recommended.",
        ),
        "1": (
            "Routine annual screening mammography.",
            "Annual screening mammogram recommended.",
            "Continue annual screening.",
            "Screening mammogram in 1 year.",
        ),
        "2": (
            "Routine annual screening mammography.",
            "Annual mammography.",
            "Continue routine screening.",
            "Return to annual screening.",
        ),
        "3": (
            "Short-interval follow-up {lat} diagnostic mammogram in 6 months.",
            "Follow-up [[mammogram|ultrasound]] of the {lat} breast in 6 months.",
            "6 month follow-up recommended.",
            "Follow-up ultrasound in [[8-12|6-8|4-6]] weeks[[ to document resolution]].",
        ),
        "4": (
            "Ultrasound-guided core needle biopsy of the {lat} breast {finding} is recommended.",
            "Stereotactic biopsy recommended.",
            "Tissue sampling is recommended.",
        ),
        "5": (
            "Ultrasound-guided biopsy of the {lat} breast {finding}[[ and the {lat} {axilla}]] is recommended.",
            "Biopsy is strongly recommended.",
            "Surgical consultation and biopsy recommended.",
        ),
        "6": (
            "Appropriate action should be taken.",
            "Surgical management as clinically indicated.",
            "MRI for extent of disease[[ may be considered]].",
            "Management per tumor board.",
        ),
    }
    key = cat[0] if cat[0] in "0123456" else "4"
    tpls = by_cat[key]
    out = []
    if f is None:
        tpls = tuple(t for t in tpls if "{" not in t) or ("Clinical follow-up.",)
    out.append(g.fill(g.pick(tpls), s))
    if g.p(0.3):
        out.append(
            g.fill(
                g.pick(
                    (
                        "The patient was informed of the results[[ at the time of the exam| and a letter was sent]].",
                        "Results discussed with the patient.",
                        "Clinical correlation recommended.",
                        "If symptoms persist, [[repeat|follow-up]] ultrasound in [[8-12|6-8|4-6]] weeks.",
                        "A letter with the results was sent to the patient.",
                        "Further management of a clinically suspicious finding should be based on clinical assessment.",
                    )
                )
            )
        )
    return out
