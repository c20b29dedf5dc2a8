"""Clinical histories: the reason for the exam, symptoms, risk factors, prior surgery and imaging.

Ages, counts, years and percentages are never entities; a palpable [lump] is a MASS, "[nipple inversion]"
an ASSOCIATED_FEATURE, the side of a body part outside the breast a LATERALITY ("[left] arm").
Nipple discharge, pain, "palpable thickening" and "nodularity" are not annotated.
"""

from typing import List

from .findings import Finding, Generator
from .template import Piece
from .vocabulary import BENIGN_PATHOLOGY, IMPLANT


def age_text(g: Generator, age: int) -> str:
    """An age as reports write it ("52-year-old", "52 y/o", "52F")."""
    return g.pick((f"{age}-year-old", f"{age}-year-old", f"{age} year old", f"{age} y/o", f"{age} yo", f"{age}-yr-old"))


_REASONS = {
    "screening": (
        "{age} {sex} for [[routine |annual |]]screening.",
        "Screening. {age}.",
        "Routine screening[[, asymptomatic| mammogram]].",
        "Annual screening mammogram. No current breast complaints.",
        "{age} {sex}. Screening.",
        "Asymptomatic. [[Family history of breast cancer in [[mother|sister|maternal aunt]].|No family "
        "history.|Baseline study.]]",
        "{age} {sex}, [[baseline|routine]] screening[[, high risk|]].",
        "Screening round {n}.[[ No complaints.]]",
        "{age} {sex}, screening round {n}.",
        "Population screening, round {n}[[, asymptomatic]].",
        "Age {num}. Routine {bilat} screening.",
    ),
    "palpable": (
        "Palpable {lump} in the {lat} breast at {clock}.",
        "{age} {sex} with a palpable {lump} in the {lat} breast[[, {quad}| at {clock}]].",
        "[[Patient reports|Patient presents with|Complains of]] a [[new |tender |]]{lump} {lat} breast[[ for "
        "2 weeks| for several months|]].",
        "{Lat} breast {lump}[[, palpable| at {clock}]]. [[Pain.|No nipple discharge.|]]",
        "{Lat} breast pain and palpable thickening[[ at {clock}]].",
        "{Lat} breast nodularity[[ on self exam]]. R/O malignancy.",
        "Two palpable {lumps} in the {lat} breast[[ at {clock}]]. R/O malignancy.",
        "Clinical breast exam: palpable {lump} {lat} {quad}.",
        "Self-detected {lump} in the {lat} breast[[ {fdist}| at {clock}]], first noticed [[2|3|6]] weeks ago.",
        "{age} {sex} who palpated a [[firm |mobile |hard |]]{lump} in the {lat} {quad} last month.",
        "Palpable {lump} {lat} breast {clock} {fdist}, [[increasing in size|not tender|tender]].",
        "Referred by GP with a {lump} in the {lat} breast. [[Nil else.|No skin changes.]]",
    ),
    "callback": (
        "Recall from screening for {finding} in the {lat} breast.",
        "Callback from screening mammogram [[dated ]]{date} for {lat} breast {finding}.",
        "Additional evaluation of {finding} seen on recent screening[[ ({birads0})]].",
        "Abnormal screening mammogram[[, {birads0}]]. {Lat} {finding}.",
        "Further evaluation of a {lat} breast {finding} [[detected|identified]] on screening.",
        "Recall for a [[possible|questioned]] density in the {lat} breast on the [[CC|MLO]] view.",
    ),
    "followup": (
        "[[Six|6]]-month follow-up of probably benign {finding} in the {lat} breast[[ ({birads3})]].",
        "Short-interval follow-up. Prior {birads3} {lat} breast {finding}.",
        "Follow-up of {lat} breast {finding}, previously assessed as {birads3}.",
        "Short term follow up {lat} {finding} {clock}.",
        "12-month follow-up of {lat} breast {finding}[[, stable at 6 months]].",
    ),
    "lumpectomy": (
        "History of {lat} breast cancer status post lumpectomy and radiation[[ in {year}]].",
        "Personal history of {lat} breast IDC, s/p lumpectomy[[ and XRT]]. Annual surveillance.",
        "S/p {lat} lumpectomy for DCIS[[ {year}]]. Surveillance mammogram.",
        "{Lat} lumpectomy {year}. Follow-up.",
        "Post-treatment surveillance, {lat} breast cancer[[ treated with breast conservation]].",
        "{age} {sex}, {n} years after {lat} breast-conserving surgery and radiotherapy.",
    ),
    "known": (
        "Biopsy-proven invasive ductal carcinoma of the {lat} breast at {clock}. Extent of disease evaluation.",
        "Known {lat} breast cancer[[ (IDC, grade 2)| (DCIS)| (invasive lobular carcinoma)]]. Pre-operative evaluation.",
        "Biopsy-proven invasive lobular carcinoma [[of the|in the]] {lat} breast[[ at {clock}]]. Staging.",
        "Recent {lat} breast ultrasound-guided biopsy at {clock} showing carcinoma. Staging.",
        "Newly diagnosed {lat} breast malignancy[[ at {clock}]]. Evaluate for additional disease.",
        "{Lat} breast cancer diagnosed {date}; neoadjuvant chemotherapy, cycle {n} of 6. Response assessment.",
    ),
    "postbiopsy": (
        "Post-procedure mammogram after {lat} breast stereotactic biopsy of {finding}.",
        "{Clipword} placement check following {lat} breast [[ultrasound-guided|stereotactic|tomosynthesis-guided]] "
        "core biopsy[[ at {clock}]].",
        "Status post {lat} breast biopsy today. Confirm {clipword} position.",
    ),
    "implants": (
        "{age} {sex} with {implants}. Screening.",
        "Cosmetic augmentation. Routine screening.",
        "History of augmentation[[ with {implants}]]. Annual screening.",
        "{Implants} placed in {year}. [[Evaluate {implant} integrity.|Routine screening.|Change in breast shape.]]",
        "{age} {sex} with {implants}, [[concern for|rule out]] {rupture}.",
    ),
    "male": (
        "{age} male with {lat} breast enlargement[[ and tenderness]].",
        "Male patient. Palpable {lump} {lat} {subareolar} region.",
        "{Lat} breast swelling. Rule out {gyn} versus {mass}.",
        "{age} man on [[spironolactone|finasteride|anabolic steroids]] with a tender {subareolar} {lump} on the {lat}.",
    ),
    "highrisk": (
        "High-risk screening. [[BRCA1|BRCA2|PALB2|CHEK2]] mutation carrier[[, {age}]].",
        "{age} {sex}, lifetime risk {num}% (Tyrer-Cuzick). Annual MRI screening.",
        "Prior mantle radiation for Hodgkin lymphoma at age {young}. Supplemental MRI screening.",
        "{Composition} breasts on mammography. Supplemental screening[[ MRI| ultrasound]].",
        "Evaluation of {implant} integrity[[; {age} {sex}]].",
    ),
}

_EXTRAS = (
    "Family history of breast cancer in [[mother|sister|maternal grandmother|paternal aunt]][[ at age {young}]].",
    "No family history of breast cancer.",
    "Mother diagnosed with breast cancer at {young}[[, sister at {young2}]].",
    "Family history: [[two|three]] first-degree relatives with breast [[or ovarian ]]cancer.",
    "FHx: [[mother|sister|aunt]] breast ca at {young}.",
    "Prior {lat} breast biopsy {year}, benign[[ ({fa})]].",
    "History of benign {lat} breast biopsy.",
    "Prior {lat} excisional biopsy in {year} ({path}).",
    "S/p {lat} breast biopsy at {clock} in {year} ({path}) with {clip} placement.",
    "S/p {bilat} reduction mammoplasty[[ in {year}]].",
    "S/p {lat} mastectomy with {implant} reconstruction[[ in {year}]].",
    "On hormone replacement therapy[[ for {n} years]].",
    "On tamoxifen since {year}.",
    "Prior [[mammogram|study]] assessed as {birads_prior}.",
    "Previous {birads_prior} in {year}.",
    "BRCA1 carrier.",
    "Lifetime risk {num}% (Tyrer-Cuzick).",
    "[[Spontaneous |Intermittent |]][[bloody|clear|serous|green|milky]] nipple discharge from the {lat} breast[[ "
    "for {n} weeks| from a single duct]].",
    "New {lat} {nippleinv}[[ over the past {n} months]].",
    "{Lat} breast redness and warmth[[ for {n} days]]. [[Rule out {abscess}.|On antibiotics.]]",
    "History of {lat} arm lymphedema.",
    "{Lat} shoulder pain[[ radiating to the {lat2} breast]].",
    "[[Pregnant|Lactating]], [[{n} weeks postpartum|{n} months postpartum|{n} weeks of gestation]].",
    "G{n}P{n2}. LMP {n} weeks ago.",
    "{Lat} breast pain, non-focal.",
    "Prior imaging at an outside facility {date}[[, not available]].",
)


def history(g: Generator, kind: str, findings: List[Finding], side: str) -> List[List[Piece]]:
    """The history section: one reason for the exam and up to three other facts.

    g (Generator): The report's generator.
    kind (str): A key of `_REASONS`.
    findings (List[Finding]): The report's findings; the first one is the history's subject.
    side (str): "right", "left" or "bilateral".
    RETURNS (List[List[Piece]]): Sentences.
    """
    f0 = findings[0] if findings else g.new_finding("mass", "4A", side if side != "bilateral" else None)
    age = g.rng.randint(28, 88) if kind != "male" else g.rng.randint(16, 84)
    s = dict(
        g.finding_slots(f0),
        age=lambda: g.fill(age_text(g, age)),
        num=lambda: g.fill(str(g.rng.randint(12, 35) if kind == "highrisk" else age)),
        sex=lambda: g.fill(g.pick(("woman", "female", "F", "female patient", "patient", "lady"))),
        n=lambda: g.fill(str(g.rng.randint(2, 9))),
        n2=lambda: g.fill(str(g.rng.randint(0, 3))),
        year=lambda: g.fill(str(g.rng.randint(2005, 2023))),
        young=lambda: g.fill(str(g.rng.randint(32, 75))),
        young2=lambda: g.fill(str(g.rng.randint(32, 75))),
        date=lambda: g.fill(g.date()),
        birads0=lambda: g.birads("0"),
        birads3=lambda: g.birads("3"),
        birads_prior=lambda: g.birads(g.pick(("1", "2", "3", "2", "0"))),
        clipword=g.term("OTHER_FINDING", "clip", "clip", "biopsy clip", "marker clip"),
        path=g.term("OTHER_FINDING", *BENIGN_PATHOLOGY),
        implant=g.term("OTHER_FINDING", *IMPLANT),
        gyn=g.term("OTHER_FINDING", "gynecomastia"),
        abscess=g.term("OTHER_FINDING", "abscess", "mastitis"),
        nippleinv=g.term("ASSOCIATED_FEATURE", "nipple inversion", "nipple retraction", "inverted nipple"),
        composition=g.term("COMPOSITION", "Heterogeneously dense", "Extremely dense"),
        lat2=lambda: g.lat(f0.side),
    )
    out = [g.fill(g.pick(_REASONS[kind]), s)]
    for _ in range(g.pick((0, 0, 1, 1, 1, 2, 3)) if g.p(0.5) else 0):
        out.append(g.fill(g.pick(_EXTRAS), s))
    return out
