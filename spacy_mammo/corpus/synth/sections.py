"""Report sections: headings, header and signature, history, comparison, technique, recommendation, assessment."""

from typing import Dict, List, Optional

from .findings import Finding, Generator
from .template import Piece, ent, tidy, txt
from .vocabulary import BIRADS_VERBAL, NUMBER_WORDS


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


def history(g: Generator, kind: str, findings: List[Finding], side: str) -> List[List[Piece]]:
    age = g.rng.randint(28, 88)
    sex = g.pick(("woman", "female", "F", "female patient", "patient"))
    out = []
    f0 = findings[0] if findings else g.new_finding("mass", "4A", side if side != "bilateral" else None)
    s = g.finding_slots(f0)
    if kind == "screening":
        out.append(
            g.fill(
                g.pick(
                    (
                        f"{age}-year-old {sex} for [[routine |annual |]]screening.",
                        f"Screening. {age} y/o.",
                        "Routine screening[[, asymptomatic| mammogram]].",
                        "Annual screening mammogram. No current breast complaints.",
                        f"{age} {sex}. Screening.",
                        "Asymptomatic. [[Family history of breast cancer in [[mother|sister|maternal aunt]].|No "
                        "family history.|Baseline study.]]",
                        f"{age}-year-old {sex}, [[baseline|routine]] screening[[, high risk|]].",
                        f"Screening round {g.rng.randint(2, 9)}.[[ No complaints.]]",
                        f"{age}-year-old {sex}, screening round {g.rng.randint(2, 9)}.",
                        f"Population screening, round {g.rng.randint(2, 9)}[[, asymptomatic]].",
                    )
                )
            )
        )
    elif kind == "palpable":
        out.append(
            g.fill(
                g.pick(
                    (
                        "Palpable {lump} in the {lat} breast at {clock}.",
                        f"{age}-year-old {sex} with a palpable {{lump}} in the {{lat}} breast[[, {{quad}}| at "
                        f"{{clock}}]].",
                        "[[Patient reports|Patient presents with|Complains of]] a [[new |tender |]]{lump} {lat} "
                        "breast[[ for 2 weeks| for several months|]].",
                        "{Lat} breast {lump}[[, palpable| at {clock}]]. [[Pain.|No nipple discharge.|]]",
                        "{Lat} breast pain and palpable thickening[[ at {clock}]].",
                        "{Lat} breast nodularity[[ on self exam]]. R/O malignancy.",
                        "Two palpable {lumps} in the {lat} breast[[ at {clock}]]. R/O malignancy.",
                        "Clinical breast exam: palpable {lump} {lat} {quad}.",
                    )
                ),
                s,
            )
        )
    elif kind == "callback":
        out.append(
            g.fill(
                g.pick(
                    (
                        "Recall from screening for {finding} in the {lat} breast.",
                        "Callback from screening mammogram [[dated ]]" + g.date() + " for {lat} breast {finding}.",
                        "Additional evaluation of {finding} seen on recent screening[[ ({birads0})]].",
                        "Abnormal screening mammogram[[, {birads0}]]. {Lat} {finding}.",
                        "Further evaluation of a {lat} breast {finding} [[detected|identified]] on screening.",
                    )
                ),
                dict(s, birads0=lambda: g.birads("0")),
            )
        )
    elif kind == "followup":
        out.append(
            g.fill(
                g.pick(
                    (
                        "[[Six|6]]-month follow-up of probably benign {finding} in the {lat} breast[[ ({birads3})]].",
                        "Short-interval follow-up. Prior {birads3} {lat} breast {finding}.",
                        "Follow-up of {lat} breast {finding}, previously assessed as {birads3}.",
                        "Short term follow up {lat} {finding} {clock}.",
                    )
                ),
                dict(s, birads3=lambda: g.birads("3")),
            )
        )
    elif kind == "lumpectomy":
        out.append(
            g.fill(
                g.pick(
                    (
                        "History of {lat} breast cancer status post lumpectomy and radiation[[ in "
                        + str(g.rng.randint(2008, 2022))
                        + "]].",
                        "Personal history of {lat} breast IDC, s/p lumpectomy[[ and XRT]]. Annual surveillance.",
                        "S/p {lat} lumpectomy for DCIS[[ "
                        + str(g.rng.randint(2008, 2022))
                        + "]]. Surveillance mammogram.",
                        "{Lat} lumpectomy " + str(g.rng.randint(2008, 2022)) + ". Follow-up.",
                        "Post-treatment surveillance, {lat} breast cancer[[ treated with breast conservation]].",
                    )
                ),
                s,
            )
        )
    elif kind == "known":
        out.append(
            g.fill(
                g.pick(
                    (
                        "Biopsy-proven invasive ductal carcinoma of the {lat} breast at {clock}. Extent of disease "
                        "evaluation.",
                        "Known {lat} breast cancer[[ (IDC, grade 2)| (DCIS)| (invasive lobular carcinoma)]]. "
                        "Pre-operative evaluation.",
                        "Biopsy-proven invasive lobular carcinoma [[of the|in the]] {lat} breast[[ at {clock}]]. "
                        "Staging.",
                        "Recent {lat} breast ultrasound-guided biopsy at {clock} showing carcinoma. Staging.",
                        "Newly diagnosed {lat} breast malignancy[[ at {clock}]]. Evaluate for additional disease.",
                    )
                ),
                s,
            )
        )
    elif kind == "postbiopsy":
        out.append(
            g.fill(
                g.pick(
                    (
                        "Post-procedure mammogram after {lat} breast stereotactic biopsy of {finding}.",
                        "Clip placement check following {lat} breast "
                        "[[ultrasound-guided|stereotactic|tomosynthesis-guided]] core biopsy[[ at {clock}]].",
                        "Status post {lat} breast biopsy today. Confirm clip position.",
                    )
                ),
                s,
            )
        )
    elif kind == "implants":
        out.append(
            g.fill(
                g.pick(
                    (
                        f"{age}-year-old {sex} with {{implants}}. Screening.",
                        "Cosmetic augmentation. Routine screening.",
                        "History of augmentation[[ with {implants}]]. Annual screening.",
                    )
                )
            )
        )
    elif kind == "male":
        out.append(
            g.fill(
                g.pick(
                    (
                        f"{age}-year-old male with {{lat}} breast enlargement[[ and tenderness]].",
                        "Male patient. Palpable {lump} {lat} {subareolar} region.",
                        "{Lat} breast swelling. Rule out gynecomastia versus mass.",
                    )
                ),
                s,
            )
        )
    if g.p(0.35):
        out.append(
            g.fill(
                g.pick(
                    (
                        "Family history of breast cancer in [[mother|sister|maternal grandmother]][[ at age "
                        + str(g.rng.randint(35, 75))
                        + "]].",
                        "No family history of breast cancer.",
                        "Prior {lat} breast biopsy " + str(g.rng.randint(2005, 2022)) + ", benign[[ ({fa})]].",
                        "History of benign {lat} breast biopsy.",
                        "On hormone replacement therapy.",
                        "Prior [[mammogram|study]] assessed as {birads_prior}.",
                        "Previous {birads_prior} in " + str(g.rng.randint(2010, 2023)) + ".",
                        "BRCA1 carrier.",
                        "Lifetime risk " + str(g.rng.randint(12, 35)) + "% (Tyrer-Cuzick).",
                    )
                ),
                dict(s, birads_prior=lambda: g.birads(g.pick(("1", "2", "3", "2", "0")))),
            )
        )
    return out


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


def pick_cat(g: Generator) -> str:
    return g.pick(("0", "0", "1", "1", "1", "2", "2", "2", "3", "3", "4", "4A", "4A", "4B", "4C", "5", "6"))


def assessment_line(g: Generator, cat: str, sides: Optional[Dict[str, str]] = None) -> List[Piece]:
    verbal = g.pick(BIRADS_VERBAL[cat])
    slots = {"bir": lambda: g.birads(cat), "verbal": [txt(verbal)]}
    if sides and g.p(0.6):
        parts: List[Piece] = []
        for i, (side, c) in enumerate(sides.items()):
            if i:
                parts.append(txt(g.pick((". ", "\n", "; "))))
            parts += g.fill(
                g.pick(
                    ("{Side}: {bir}[[ - {verbal}]]", "{Side} breast: {bir}", "{SIDE} BREAST: {bir}[[: {verbal}]]")
                ).replace("{verbal}", g.pick(BIRADS_VERBAL[c])),
                {"side": lambda side=side: g.lat(side), "bir": lambda c=c: g.birads(c)},
            )
        return tidy(parts + [txt(".")])
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
    slots["cat"] = lambda: [
        ent(
            g.pick(("Category ", "Category ", "CATEGORY ", "Category: "))
            + (cat if g.p(0.9) else NUMBER_WORDS.get(cat, cat)),
            "BIRADS",
        )
    ]
    t = g.pick(tpls)
    pieces = g.fill(t, slots)
    return pieces
