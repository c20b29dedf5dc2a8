"""Imaging-study abstracts: the prose of open-access breast-imaging research articles.

What real study abstracts write and case reports do not: BI-RADS values in running text ("[BI-RADS 4]
category was assigned in 704 [lesions]", "subtypes [4a], [4b], and [4c]", "[category 4 A] (low-risk
group)", "[BIRADS > 3]"), the classification named without a value ("to determine the BI-RADS
category", not annotated), calcification descriptors in statistics lists ("[linear] (100%), and
[segmental] distributions"), "dense" breasts of a study population (COMPOSITION), groups of patients and
pathology attributes that are not findings ("the low-risk group", "tumor type, grade"), the topic words
of a descriptor table ("shape, margin, orientation"), non-mass lesions ("breast [non-mass-like
lesions]"), implant words ("[intracapsular and extracapsular rupture]" of the [breast prosthesis]) and
coordinated findings ("[postoperative or post-biopsy changes]"). Counts, percentages, odds ratios and
p values are never entities.
"""

from typing import Tuple

from .findings import Generator
from .literature import DIAGNOSES
from .sections import Report
from .template import ent, txt
from .vocabulary import MALIGNANT_NAMES

BIRADS_THRESHOLDS = ("BIRADS > 3", "BI-RADS ≥ 4", "BI-RADS ≥4", "BI-RADS > 2", "BI-RADS ≥ 3", "BIRADS ≥ 4")
BIRADS_RANGES = ("category 4B-5", "BI-RADS 4B-5", "BI-RADS 3-5", "BI-RADS 4-5", "category 4-5")
STUDY_LESIONS = ("lesions", "lesions", "lesions", "masses", "tumors", "nodules")
NON_MASS = (
    "non-mass-like lesions",
    "non-mass lesions",
    "non-mass breast lesions",
    "non-mass-like enhancement",
    "non-mass enhancement",
)
NON_MASS_ABBR = ("NMLs", "NMLs", "NML", "NMLE", "NME")
POST_TREATMENT = (
    "postoperative or post-biopsy changes",
    "post-surgical changes",
    "postradiation change",
    "post-treatment changes",
    "postoperative scarring",
)
PROSTHESES = (
    "breast prosthesis",
    "silicone prostheses",
    "silicone-containing prostheses",
    "breast prostheses",
    "implants",
    "silicone breast implants",
)
RUPTURES = (
    "intracapsular and extracapsular rupture",
    "intra- and extracapsular rupture",
    "intracapsular rupture",
    "extracapsular rupture",
    "silicone lymphadenopathy",
    "free silicone",
)
STUDY_MORPHOLOGY = (
    "fine linear/branching pleomorphic",
    "fine pleomorphic",
    "amorphous",
    "coarse heterogeneous",
    "punctate",
    "fine linear branching",
    "heterogeneous pleomorphic",
    "heterogeneous",
    "linear branched",
    "fine linear/branching",
)
STUDY_DISTRIBUTIONS = ("linear", "segmental", "regional", "grouped", "clustered", "diffuse")
OLDER_ASYMMETRY = (
    "focal asymmetric density",
    "asymmetric density",
    "asymmetric breast tissue",
    "developing density",
    "focal asymmetry",
    "global asymmetry",
)
MODALITIES = (
    "digital breast tomosynthesis (DBT)",
    "contrast-enhanced spectral mammography (CESM)",
    "automated breast ultrasound (ABUS)",
    "handheld ultrasound (HHUS)",
    "shear-wave elastography",
    "dynamic contrast-enhanced MRI",
    "contrast-enhanced mammography",
    "full-field digital mammography",
)
# clinical words that are not findings, where an unknown word could pass for one
NON_FINDING_WORDS = (
    "concentric",
    "centripetal",
    "progressive",
    "acellular",
    "tubular",
    "molecular",
    "vascular",
    "cellular",
    "stromal",
    "myxoid",
    "inflammatory",
    "hormonal",
    "retrospective",
    "multicentric",
    "quantitative",
    "semi-quantitative",
    "isometric",
    "anteriorly",
    "inferiorly",
    "nearly half",
)
GROUPS = (
    "the low-risk group",
    "the malignant group",
    "the benign group",
    "the control group",
    "the medium-high-risk group",
    "the younger age group",
)

_US_BIRADS = (
    "BI-RADS-US grade",
    "BI-RADS US category",
    "BI-RADS ultrasound (US) category",
    "BI-RADS grade",
    "US BI-RADS category",
)
# density classes of a study population, with their inline keyword: COMPOSITION
DENSITY_CLASSES = tuple(f"BI-RADS class {letter}" for letter in "ABCD")
DENSITY_CATEGORIES = ("density categories C", "density category C")
DENSITY_GRADES = ("density grade D", "density grade C")
DENSITY_RANGES = ("categories a–d", "categories A-D")
# bare ultrasound grades after a first full one: BIRADS
GRADES_4A = ("grade 4a", "grade 4A", "category 4a")
GRADES_4B = ("grade 4b", "grade 4B", "category 4b")
_SIZE_RANGES = ("1.2 and 14 cm", "5 and 30 mm", "2 to 5 cm", "0.8-3.5 cm", "10 to 45 mm", "1 and 8 cm", "7-22 mm")
# the classification spelled out, then its value: one BIRADS span
_BIRADS_LONG = (
    "Breast Imaging Reporting and Data System (BI-RADS) Category",
    "Breast Imaging Reporting and Data System (BI-RADS) category",
    "Breast Imaging-Reporting and Data System (BI-RADS)",
    "Breast Imaging Reporting and Data System category",
)

# francophone "ACR" assessment categories ("ACR3", "ACR 4"): BIRADS, unlike the density letters ("ACR C")
ACR_CATEGORIES = tuple(form for value in "2345" for form in (f"ACR{value}", f"ACR {value}", f"ACR category {value}"))

# Forms written on purpose beyond the lexicon (the lexicon-coverage test exempts them).
OPEN_VOCABULARY = frozenset(
    form.lower()
    for group in (
        BIRADS_THRESHOLDS,
        BIRADS_RANGES,
        ACR_CATEGORIES,
        _SIZE_RANGES,
        DENSITY_CLASSES,
        DENSITY_CATEGORIES,
        DENSITY_GRADES,
        DENSITY_RANGES,
        [f"{form} 3" for form in _US_BIRADS],
        GRADES_4A,
        GRADES_4B,
        STUDY_LESIONS,
        NON_MASS,
        NON_MASS_ABBR,
        POST_TREATMENT,
        PROSTHESES,
        RUPTURES,
        STUDY_MORPHOLOGY,
        OLDER_ASYMMETRY,
        (
            "irregularly",
            "speculated",
            "non-circumscribed",
            "not circumscribed",
            "structural distortion",
            "4a",
            "4b",
            "4c",
            "4 a",
            "4 b",
            "4 c",
            "seroma",
        ),
    )
    for form in group
)

_BACKGROUND = (
    "Patients with {dense} breasts have a higher risk of developing breast cancer.",
    "Digital mammography has a reduced sensitivity in {dense} breast tissue[[ as a result of overlapping "
    "fibroglandular tissue]].",
    "Breast {asym} may reflect a variation in normal breast tissue, a developing {mass}, {posttx}, hormone "
    "replacement therapy or even poor positioning.",
    "{Dx} is among the most common benign breast {lesions} in young women.",
    "Breast imaging is important in selecting patients for further procedures in this age group.",
    "The ACR BI-RADS lexicon[[ 5th edition]] describes {calcs} by their morphology and distribution.",
    "{Calcs} are the earliest sign of ductal carcinoma in situ in many women.",
    "Late {seroma} formation is a rare complication after {implant}-based breast enlargement.",
    "The purpose of this study was to evaluate the role of {modality} in the characterization of {bir4} {lesions}.",
    "We aimed to assess the association between ultrasound findings, tumor type, grade and biological markers.",
)
_METHODS = (
    "This [[retrospective|prospective|single-centre]] study included {n} [[women|female patients|patients]] "
    "with {lesions} [[classified as|assessed as]] {birrange} on {modality_short}.",
    "Patients with suspicious breast {lesions} ({threshold}) were enrolled between {y1} and {y2}.",
    "All {lesions} were evaluated by HHUS, MG and ABUS to determine the BI-RADS category[[, and underwent "
    "pathological examination within six months]].",
    "Ultrasound findings were analyzed according to the ACR BI-RADS lexicon[[ 5th edition]] and correlated with "
    "tumor type, grade[[, and biological markers (ER, PR, HER-2/neu and Ki67)]].",
    "We excluded {count} patients assigned to {bir4b} category by preoperative US[[, and two whose images were "
    "unavailable]].",
    "Patients were divided into two groups, {group} and {group2}.",
    "The Mann-Whitney test or the χ2 test was used to compare data between groups.",
    "{N} cases of breast {nonmass} ({nonmassabbr}) confirmed by postoperative histology were analyzed.",
    "[[Ninety|Sixty-five|Forty|Twenty-five]] female cases having {dense} breast parenchyma ({acr1} & {acr2}) "
    "were included.",
    "Two radiologists recorded the shape, margin, orientation, echo pattern and posterior features of each {lesion}.",
)
_RESULTS = (
    "{Bir4key} category was assigned in {k} {lesions} ({pct}%), of which {k2} were malignant.",
    "{Lesions} with {lo}-{hi} points were considered {bircat4} {lesions}, and the positive predictive values of "
    "subtypes {sub_a}, {sub_b}, and {sub_c} {lesions} were {p1}%, {p2}%, and {p3}%, respectively.",
    "{Morph} {calcs} ({pct}%), {dist1} ({pct2}%), and {dist2} distributions ({pct3}%) were [[associated with "
    "DCIS|more frequent in malignant cases]].",
    "Features with a higher risk of malignancy were {morph} {calcs} (OR: {or1}), {dist1} (OR: {or2}), and {dist2} "
    "(OR: {or3}) distributions.",
    "{Lesions} with an {oval} shape ({pct}%) and a {circ} margin ({pct2}%) were more commonly assessed in "
    "{group} ({cat4a}) than in {group2} ({cat4b5}).",
    "Compared with {cat4b} and above, the malignant likelihood of {cat4a} {lesions} is low[[, between 2% and 10%]].",
    "{Irregular} shape and {spic} margins were more frequently associated with invasive duct carcinoma than DCIS "
    "(p value < 0.001).",
    "{Irregularly} shaped {lesions} with {spic} margins were more frequent in ER- and PR-positive cases.",
    "There was no association between the ultrasound findings (shape, margin, orientation and posterior "
    "features) and the tumor grade (p = {pval}).",
    "{Lesions} with non-hypoechoic patterns, {notcirc} margins, and posterior enhancement were more often benign.",
    "{Nme} ({nmeabbr}) lesions were analyzed for distribution and internal enhancement pattern.",
    "Benign and malignant {nme} breast lesions were compared using the t test.",
    "{Structural} and {asym} were recorded on the coronal planes of ABUS.",
    "A {vascular} pattern and {other} features were seen in nearly half of the {lesions}.",
    "The {implant} was displaced [[anteriorly|inferiorly]] by {fluid}, and the ruptured {implant} was replaced.",
    "{Vascular} breast {lesions} [[with high flow|on Doppler]] raise the suspicion of a {vascular} tumor type.",
    "{Noncirc} margins were frequently seen in PR-positive breast cancers (p value = {pval}).",
    "The most frequent {asym} was {olderasym} ({pct}%), followed by {olderasym2} ({pct2}%).",
    "Magnetic resonance imaging of {both} breasts revealed {rupture} of the {lat} {prosthesis}.",
    "On MRI, {nonmass} with segmental or linear distribution and clustered ring enhancement were more frequent "
    "in malignant {lesions}.",
    "The sensitivity, specificity and accuracy of {modality_short} were {p1}%, {p2}% and {p3}%, respectively.",
    "{Count} patients ({pct}%) had {dense} breasts ({acr1} and {acr2}).",
    "Of the {n} {lesions}, {k} were {bir3} and {k2} were {bir4} or {sub_a}.",
    # francophone "ACR" assessment categories; a bare number coordinated with one is BIRADS too
    "{Lesions} were classified in {pct}% in {acr_2}, {pct2}% in {acr_3} and {acr_n}, and in {pct3}% in {acr_5}.",
    "There were {pct}% {acr_4} grade {nodules}, {pct2}% {acr_5} {nodules} and {pct3}% {acr_3} {nodules}.",
    "Suspicious {lesions} ({acr_4} and {acr_n}) were discovered in {pct}% of cases.",
    "{Pct}% of {acr_3} {nodules} were benign and {pct2}% of {acr_5} {nodules} were [[actually ]]malignant.",
    # measurements of a series: a mean with its deviation, a range, one SIZE span each
    "The [[average|mean]] size of the {lesions} was {meansize}[[ (range, {sizerange})]].",
    "Their size was [[often ]]between {sizerange}, with an average of {size1}.",
    "The {lesions} measured {sizerange} in [[greatest|maximum]] diameter.",
    "The {lesion} was assessed as {birlong} on [[MRI|ultrasound|mammography]].",
    "A total of {n} patients of {catbirads} (mean age, {age_mean} years) were included.",
    # ultrasound BI-RADS written as grades, the modality inside the span; bare grades after the first
    "{Lesions} occurred in {usgrade3} ({pct}%), {grade4a} ({pct2}%) and {grade4b} ({pct3}%).",
    "The malignancy rates of {uscat3}, {cat4a_bare} and {cat4b_bare} were {p1}%, {p2}% and {p3}%.",
    # density classes of a study population: COMPOSITION with their inline keyword
    "Two readers assessed {n} studies ({classa}: {k}, {classb}: {k2}, {classc}: {k}, {classd}: {k2}).",
    "The difference in risk between breast {densc} and {dens_d} remains inadequately explored.",
    "Women with breast {densgrade} had larger tumors, and {pct}% had {densrange} breast density.",
    # a tumour or lesion as an attribute of the study, not a finding
    "Tumor characteristics, lesion diameter and lesion-related ultrasonic features were recorded for each patient.",
    # class statements: "tumors" and malignant names that are not the patient's finding stay unannotated
    "Malignant {lesions} were {malignant} in {k} cases and {malignant2} in {k2}.",
    "The mean age of patients with malignant tumors was {age_mean} years, and {pct}% of breast tumors were benign.",
)
_CONCLUSION = (
    "{Modality_short} effectively visualizes overlapping tissue in {dense} breasts.",
    "We concluded that specific patterns and distributions of {calcs} were associated with a higher risk of "
    "malignancy.",
    "{Modality_short} can help downgrade {cat4a} {lesions} and avoid unnecessary biopsies.",
    "{Nonmassabbr} remain a diagnostic challenge for every modality.",
    "{Rupture} should be considered in patients with {prosthesis} who present with {lump}.",
)
_HEADINGS = (
    ("Background", "Methods", "Results", "Conclusion"),
    ("Purpose", "Materials and methods", "Results", "Conclusions"),
    ("Objective", "Methods", "Results", "Conclusion"),
    None,
)


def report_study(g: Generator) -> Tuple[Report, str]:
    """An abstract of a breast-imaging study, with or without section headings."""
    n = g.rng.randint(25, 1500)
    k = g.rng.randint(3, n - 2)
    pct = lambda: [txt(f"{g.rng.uniform(1, 99):.1f}")]  # noqa: E731
    odds_ratio = lambda: [txt(f"{g.rng.uniform(1, 9):.3f}")]  # noqa: E731
    side = g.pick(("right", "left"))
    lesion_noun = g.pick(STUDY_LESIONS)

    def birads(value: str, word: str = "BI-RADS"):
        return lambda: [ent(g.pick((f"{word} {value}", f"{word} category {value}", f"category {value}")), "BIRADS")]

    def acr(value: str):
        return lambda: [ent(g.pick((f"ACR{value}", f"ACR {value}", f"ACR {value}", f"ACR category {value}")), "BIRADS")]

    def sub(letter: str):
        return lambda: [ent(g.pick((f"4{letter}", f"4{letter.upper()}", f"4 {letter.upper()}")), "BIRADS")]

    s = dict(
        n=lambda: [txt(str(n))],
        k=lambda: [txt(str(k))],
        k2=lambda: [txt(str(g.rng.randint(1, k)))],
        count=lambda: [txt(g.pick(("eight", "two", "12", "Fifteen", "27")))],
        lo=lambda: [txt(str(g.rng.randint(1, 2)))],
        hi=lambda: [txt(str(g.rng.randint(5, 7)))],
        pct=pct,
        pct2=pct,
        pct3=pct,
        p1=pct,
        p2=pct,
        p3=pct,
        or1=odds_ratio,
        or2=odds_ratio,
        or3=odds_ratio,
        pval=lambda: [txt(g.pick(("0.036", "0.068", "0.544", "1.0", "0.001")))],
        y1=lambda: [txt(g.pick(("January 2013", "2015", "March 2017")))],
        y2=lambda: [txt(g.pick(("February 2022", "2020", "December 2019")))],
        dense=g.term("COMPOSITION", "dense", "dense", "extremely dense", "heterogeneously dense"),
        acr1=g.term("COMPOSITION", "ACR C", "ACR c", "ACR category C"),
        acr2=g.term("COMPOSITION", "ACR D", "ACR d", "ACR category D"),
        asym=g.term("ASYMMETRY", "asymmetry", "asymmetries"),
        olderasym=g.term("ASYMMETRY", *OLDER_ASYMMETRY),
        olderasym2=g.term("ASYMMETRY", *OLDER_ASYMMETRY),
        mass=g.term("MASS", "mass", "lesion"),
        lesion=g.term("MASS", "lesion", "mass"),
        lesions=g.term("MASS", lesion_noun),
        lump=lambda: [
            txt(g.pick(("a palpable ", "a ", "palpable ", ""))),
            ent(g.pick(("lump", "lumps", "mass")), "MASS"),
        ],
        posttx=g.term("OTHER_FINDING", *POST_TREATMENT),
        dx=g.term("OTHER_FINDING", *(name for name, _ in DIAGNOSES)),
        seroma=g.term("OTHER_FINDING", "seroma"),
        prosthesis=g.term("OTHER_FINDING", *PROSTHESES),
        implant=g.term("OTHER_FINDING", "implant"),
        rupture=g.term("OTHER_FINDING", *RUPTURES),
        nonmass=g.term("OTHER_FINDING", *NON_MASS),
        nonmassabbr=g.term("OTHER_FINDING", *NON_MASS_ABBR),
        calcs=g.term("CALCIFICATION", "microcalcifications", "calcifications", "microcalcification"),
        morph=g.term("CALC_MORPHOLOGY", *STUDY_MORPHOLOGY),
        dist1=g.term("CALC_DISTRIBUTION", *STUDY_DISTRIBUTIONS),
        dist2=g.term("CALC_DISTRIBUTION", *STUDY_DISTRIBUTIONS),
        oval=g.term("SHAPE", "oval", "round", "irregular"),
        irregular=g.term("SHAPE", "irregular", "Irregular"),
        irregularly=g.term("SHAPE", "irregularly"),
        circ=g.term("MARGIN", "circumscribed", "microlobulated", "indistinct"),
        spic=g.term("MARGIN", "spiculated", "speculated", "angular"),
        noncirc=g.term("MARGIN", "non-circumscribed"),
        notcirc=g.term("MARGIN", "not circumscribed", "non-circumscribed"),
        structural=g.term("DISTORTION", "structural distortion", "architectural distortion"),
        nme=g.term("OTHER_FINDING", "non-mass enhancement", "non-mass-like enhancement"),
        nmeabbr=g.term("OTHER_FINDING", "NME", "NMLE"),
        fluid=g.term("OTHER_FINDING", "peri-implant fluid", "seroma"),
        vascular=g.plain(*NON_FINDING_WORDS),
        other=g.plain(*NON_FINDING_WORDS),
        both=g.term("LATERALITY", "both", "bilateral"),
        lat=g.term("LATERALITY", side),
        acr_2=acr("2"),
        acr_3=acr("3"),
        acr_4=acr("4"),
        acr_5=acr("5"),
        acr_n=lambda: [ent("5", "BIRADS")],
        nodules=g.term("MASS", "nodules"),
        usgrade3=lambda: [ent(g.pick(_US_BIRADS) + " 3", "BIRADS")],
        uscat3=lambda: [ent(g.pick(_US_BIRADS) + " 3", "BIRADS")],
        grade4a=lambda: [ent(g.pick(GRADES_4A), "BIRADS")],
        grade4b=lambda: [ent(g.pick(GRADES_4B), "BIRADS")],
        cat4a_bare=lambda: [ent(g.pick(("category 4a", "grade 4a")), "BIRADS")],
        cat4b_bare=lambda: [ent(g.pick(("category 4b", "grade 4b")), "BIRADS")],
        classa=lambda: [ent(DENSITY_CLASSES[0], "COMPOSITION")],
        classb=lambda: [ent(DENSITY_CLASSES[1], "COMPOSITION")],
        classc=lambda: [ent(DENSITY_CLASSES[2], "COMPOSITION")],
        classd=lambda: [ent(DENSITY_CLASSES[3], "COMPOSITION")],
        densc=lambda: [ent(g.pick(DENSITY_CATEGORIES), "COMPOSITION")],
        dens_d=lambda: [ent("D", "COMPOSITION")],
        densgrade=lambda: [ent(g.pick(DENSITY_GRADES), "COMPOSITION")],
        densrange=lambda: [ent(g.pick(DENSITY_RANGES), "COMPOSITION")],
        meansize=lambda: [
            ent(f"{g.rng.uniform(8, 40):.2f} ± {g.rng.uniform(3, 20):.2f} " + g.pick(("mm", "mm", "cm")), "SIZE")
        ],
        sizerange=lambda: [ent(g.pick(_SIZE_RANGES), "SIZE")],
        size1=lambda: [ent(f"{g.rng.uniform(1, 6):.1f} cm", "SIZE")],
        birlong=lambda: [ent(g.pick(_BIRADS_LONG) + " " + g.pick(("4A", "4B", "4C", "3", "5", "4")), "BIRADS")],
        catbirads=lambda: [
            ent(
                g.pick(("category BI-RADS ", "category BIRADS ", "BI-RADS category ")) + g.pick(("4A", "3", "4", "4B")),
                "BIRADS",
            )
        ],
        Pct=lambda: [txt(f"{g.rng.uniform(50, 99):.2f}")],
        age_mean=lambda: [txt(f"{g.rng.uniform(35, 60):.2f} ± {g.rng.uniform(5, 15):.2f}")],
        malignant=g.plain(*MALIGNANT_NAMES),
        malignant2=g.plain(*MALIGNANT_NAMES),
        bir3=birads("3"),
        bir4=birads("4"),
        bir4key=lambda: [ent(g.pick(("BI-RADS 4", "BI-RADS 5", "BIRADS 4", "BI-RADS 3")), "BIRADS")],
        bir4b=lambda: [ent(g.pick(("BI-RADS 4b", "BI-RADS 4B", "BIRADS 4b")), "BIRADS")],
        bircat4=lambda: [ent(g.pick(("BI-RADS category 4", "BI-RADS Category 4", "BI-RADS 4")), "BIRADS")],
        cat4a=lambda: [ent(g.pick(("category 4 A", "category 4A", "BI-RADS 4 A", "BI-RADS 4a")), "BIRADS")],
        cat4b=lambda: [ent(g.pick(("category 4B", "category 4b", "BI-RADS 4B")), "BIRADS")],
        cat4b5=g.term("BIRADS", *BIRADS_RANGES),
        birrange=lambda: (
            [ent(g.pick(("BI-RADS category 3", "BI-RADS 3")), "BIRADS"), txt(" or "), ent("4a", "BIRADS")]
            if g.p(0.4)
            else [ent(g.pick(BIRADS_RANGES + BIRADS_THRESHOLDS), "BIRADS")]
        ),
        threshold=g.term("BIRADS", *BIRADS_THRESHOLDS),
        sub_a=sub("a"),
        sub_b=sub("b"),
        sub_c=sub("c"),
        group=g.plain(*GROUPS),
        group2=g.plain(*GROUPS),
        modality=g.plain(*MODALITIES),
        modality_short=g.plain("DBT", "CESM", "ABUS", "HHUS", "elastography", "MRI", "tomosynthesis"),
    )
    r = Report(g)
    r.heading_style = "asis"
    if g.p(0.3):
        r.add([txt(g.pick(("Abstract", "ABSTRACT", "Original research article")) + "\n")])
    headings = g.pick(_HEADINGS)
    parts = (
        [g.fill(t, s) for t in g.rng.sample(_BACKGROUND, g.rng.randint(1, 2))],
        [g.fill(t, s) for t in g.rng.sample(_METHODS, g.rng.randint(1, 3))],
        [g.fill(t, s) for t in g.rng.sample(_RESULTS, g.rng.randint(2, 4))],
        [g.fill(g.pick(_CONCLUSION), s)],
    )
    for i, body in enumerate(parts):
        head = headings[i] + g.pick((": ", ":\n", "\n")) if headings else ""
        r.text(("\n" if i else "") + head)
        r.body(body)
    return r, g.pick(("3", "4", "4A", "0"))
