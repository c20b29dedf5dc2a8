"""Journal prose: case reports and case series as open-access breast-imaging articles write them.

What this adds to the teaching-file narrative: benign diagnoses beyond the lexicon, often with an
abbreviation defined once and reused ("[idiopathic granulomatous mastitis] ([IGM])", later "[IGM]");
"tumor" as the patient's mass; older margin words for borders ("[smooth] and [lobulated] borders");
region phrases in prose order ("[outer inferior]", "[inner half]", "[axillary fossa]", "[0900]
position"); lymph-node sentences ("[Axillary] and [supraclavicular lymph nodes] were not palpable",
"no [axillary lymph node swelling]"); and descriptor words in contexts where they are not entities
("both T1- and T2-weighted images", "scattered throughout the parenchyma", "diffuse FDG uptake",
"high signal", "sentinel lymph node biopsy"). Counts, ages, years, percentages and figure numbers are
never entities.
"""

from typing import Tuple

from .findings import Generator
from .history import age_text
from .sections import Report
from .template import ent, txt
from .vocabulary import MALIGNANT_NAMES

# (long form, abbreviation or None): benign and high-risk diagnoses named in case literature
DIAGNOSES = (
    ("idiopathic granulomatous mastitis", "IGM"),
    ("granulomatous lobular mastitis", "GLM"),
    ("granulomatous mastitis", None),
    ("periductal mastitis", None),
    ("mucocele-like lesion", "MLL"),
    ("complex sclerosing lesion", "CSL"),
    ("radial scar", None),
    ("pseudoangiomatous stromal hyperplasia", "PASH"),
    ("atypical ductal hyperplasia", "ADH"),
    ("flat epithelial atypia", "FEA"),
    ("fibroepithelial lesion", "FEL"),
    ("sclerosing adenosis", None),
    ("myofibroblastoma", None),
    ("tubular adenoma", None),
    ("lactating adenoma", None),
    ("juvenile fibroadenoma", None),
    ("giant fibroadenoma", None),
    ("hemangioma", None),
    ("nevus", None),
    ("breast abscess", None),
    ("diabetic mastopathy", None),
    ("superficial thrombophlebitis", None),
    ("Mondor disease", None),
    ("intraductal papilloma", None),
    ("duct ectasia", None),
    ("galactocele", None),
    ("fat necrosis", None),
    ("hamartoma", None),
    ("lipoma", None),
    ("epidermal inclusion cyst", None),
    ("silicone granuloma", None),
    # rarer benign, inflammatory and high-risk names, with the typing words real abstracts keep in them
    ("granular cell tumor", "GCT"),
    ("granular cell tumour", None),
    ("cystic neutrophilic granulomatous mastitis", "CNGM"),
    ("IgG4-related mastitis", None),
    ("lymphocytic mastitis", None),
    ("plasma cell mastitis", None),
    ("tuberculous mastitis", None),
    ("tubercular mastitis", None),
    ("lupus mastitis", None),
    ("mastitis", None),
    ("complex fibroadenoma", None),
    ("cellular fibroadenoma", None),
    ("fibro-adenoma", None),
    ("adenomyoepithelioma", "AME"),
    ("nodular fasciitis", None),
    ("desmoid-type fibromatosis", None),
    ("fibromatosis", None),
    ("schwannoma", None),
    ("neurofibroma", None),
    ("leiomyoma", None),
    ("angiolipoma", None),
    ("fibroadenolipoma", None),
    ("adenolipoma", None),
    ("lymphangioma", None),
    ("cavernous hemangioma", None),
    ("sebaceous cyst", None),
    ("epidermoid cyst", None),
    ("hydatid cyst", None),
    ("ductal adenoma", None),
    ("nipple adenoma", None),
    ("intracystic papilloma", None),
    ("juvenile papillomatosis", None),
    ("papillomatosis", None),
    ("columnar cell lesion", "CCL"),
    ("atypical lobular hyperplasia", "ALH"),
    ("usual ductal hyperplasia", "UDH"),
    ("apocrine metaplasia", None),
    ("fibrocystic disease", None),
    ("fibrocystic breast changes", None),
    ("fibrocystic breast disease", None),
    ("focal fibrosis", None),
    ("fibrous mastopathy", None),
    ("stromal fibrosis", None),
    ("microglandular adenosis", None),
    ("adenosis", None),
    ("Mondor's disease", None),
    ("siliconoma", None),
    ("pseudogynecomastia", None),
    ("lactational adenoma", None),
    ("myoid hamartoma", None),
    ("pseudoaneurysm", None),
    ("breast infarction", None),
    ("sclerosing papilloma", None),
    ("radial sclerosing lesion", "RSL"),
    ("galactophoric dilatation", None),
    ("breast granular cell tumor", "BGCT"),
    ("pure adenoma", None),
    ("neurofibromas", None),
    ("skin neurofibromas", None),
    ("complex fibroadenomas", None),
    # fibroepithelial tumours named without "malignant" (a malignant one is MALIGNANT_NAMES, unannotated)
    ("phyllodes tumor", "PT"),
    ("phyllodes tumor", None),  # common in case literature: drawn three times as often
    ("phyllodes tumor", None),
    ("phyllodes tumour", None),
    ("phyllodes tumors", None),
    ("giant phyllodes tumor", None),
    ("phyllode tumour", None),
    ("cystosarcoma phyllodes", None),
    ("fibroepithelial tumor", None),
    ("fibroepithelial neoplasm", None),
    ("tuberculosis", None),
    ("desmoid tumor", None),
    ("atypia", None),
    ("suture granuloma", None),
    ("virginal breast hypertrophy", None),
    # compound names whose head noun is "tumor" or "disease", and congenital anomalies
    ("inflammatory myofibroblastic tumor", "IMT"),
    ("amyloid tumor", None),
    ("localized amyloidosis", None),
    ("pleomorphic adenoma", None),
    ("benign mixed tumor", None),
    ("Rosai-Dorfman disease", "RDD"),
    ("multiple papillomas", "MP"),
    ("ectopic breast tissue", "EBT"),
    ("accessory breast tissue", None),
    ("polymastia", None),
    ("axillary polymastia", None),
    ("polythelia", None),
    ("supernumerary nipple", None),
)
IMPLANT_FINDINGS = (
    "peri-implant fluid collection",
    "peri-implant effusion",
    "peri-implant fluid",
    "implant rupture",
    "intracapsular rupture",
    "extracapsular rupture",
    "capsular contracture",
    "silent rupture",
    "implant deflation",
    "gel bleed",
    "rupture",
    "deflation",
)
IMPLANT_NOUNS = (
    "saline-filled implant",
    "silicone gel-filled implant",
    "silicone gel-filled breast implant",
    "saline-filled breast implant",
    "textured breast implant",
    "textured implant",
    "silicone implant",
    "saline implant",
    "breast implant",
    "implant",
)
TUMOR = ("tumor", "tumor", "tumour", "tumor mass", "mass", "lesion", "nodule")
BORDER_MARGINS = (
    "smooth",
    "regular",
    "irregular",
    "lobulated",
    "well-defined",
    "ill-defined",
    "well delineated",
    "indistinct",
    "clearly defined",
    "spiculated",
    "micro lobulated",
    "microlobulated",
)
BORDER_NOUNS = ("borders", "border", "margins", "margin", "edges", "contour")
SERIES_MARGINS = (
    ("circumscribed", "non-circumscribed"),
    ("circumscribed", "indistinct"),
    ("well-defined", "ill-defined"),
    ("smooth", "irregular"),
)
DENSITY_WORDS = (
    "dense",
    "highly dense",
    "hyperdense",
    "high-density",
    "radiolucent",
    "hypodense",
    "isodense",
    "low-density",
)
SHAPE_WORDS = ("oval", "round", "irregular", "lobulated", "ovoid", "rounded", "lobular")
PROSE_REGIONS = (
    "outer half",
    "inner half",
    "upper half",
    "lower half",
    "outer halves",
    "outer inferior",
    "inferior medial",
    "upper lateral",
    "lateral quadrants",
    "medial quadrants",
    "upper outer quadrant",
    "lower inner quadrant",
    "axillary fossa",
    "subareolar",
    "retroareolar",
    "central",
    "inframammary region",
    "IMR",
    # francophone authors' quadrant words
    "upper external quadrant",
    "lower internal quadrant",
    "upper external",
    "supero-external quadrant",
    "infero-internal quadrant",
    "upper-outer quadrants",
    "middle inner",
    "medial superior",
    "lateral inferior",
    "intermammary groove",
    "chest wall",
    # Japanese region codes, written with their head noun
    "A region",
    "B region",
    "C region",
    "D region",
    "E region",
    "C' region",
)
CLOCK_PROSE = (
    "0900",
    "0300",
    "1100",
    "1-o'clock",
    "2-o’clock",
    "10 o'clock",
    "3 o’clock",
    "7 o'clock",
    "9 and 10 o’clock",
    "2 to 3 o'clock",
)
DEPTH_PROSE = ("deep", "superficial", "subdermal", "deep central")
ADENOPATHY = (
    "axillary lymphadenopathy",
    "axillary lymphadenopathies",
    "axillary lymph node swelling",
    "lymph node swelling",
    "lymphadenopathy",
    "axillary adenopathy",
)
NODE_GROUPS = (
    "supraclavicular lymph nodes",
    "infraclavicular lymph nodes",
    "internal mammary lymph nodes",
    "cervical lymph nodes",
)
ECHO = ("hypoechoic", "heterogeneous hypoechoic", "isoechoic", "hyperechoic", "anechoic", "complex cystic")

# Forms written on purpose beyond the lexicon, so that the tagger learns findings the lexicon does not
# know (the lexicon test exempts them); the slots below also write lexicon terms.
OPEN_VOCABULARY = frozenset(
    form.lower()
    for group in (
        [name for name, _ in DIAGNOSES],
        [abbr for _, abbr in DIAGNOSES if abbr],
        [abbr + "B" for _, abbr in DIAGNOSES if abbr],
        IMPLANT_FINDINGS,
        IMPLANT_NOUNS,
        TUMOR,
        BORDER_MARGINS,
        DENSITY_WORDS,
        SHAPE_WORDS,
        PROSE_REGIONS,
        CLOCK_PROSE,
        DEPTH_PROSE,
        ADENOPATHY,
        NODE_GROUPS,
        (
            "accessory nipple",
            "pectoralis major muscle",
            "major pectoralis muscle",
            "anterior chest wall",
            "spiculation",
            "speculation",
            "fluid collection",
            "fluid collections",
            "microabscesses",
            "effusion",
            "egg-shell",
            "micro-calcifications",
            "macro-calcifications",
            "non-mass enhancement",
            "non-mass-enhancement",
            "non-mass-like enhancement",
            "nme",
            "formation",
            "tumors",
            "tumours",
            "opacity",
            "opacities",
            "retraction of the nipple",
            "retraction of the areola",
            "retraction of the skin",
        ),
    )
    for form in group
)

_TITLES = (
    "{Dx} of the breast: a case report",
    "{Dx}: a case report and review of the literature",
    "Breast {dx} presenting as a palpable mass",
    "{Dx} mimicking breast carcinoma",
    "Imaging features of {dx}: a retrospective study of {n} cases",
    "{Dx} in a {age} woman",
    "Case report",
    "Abstract",
)
_SERIES = (
    "{Count} cases of {dxa} were identified[[ with imaging]] between {y1} and {y2}.",
    "The mean age of the patients was {mean} years (range, {lo}-{hi} years).",
    "{Count} patients had a palpable {lump}[[ and {count2} were detected on screening]].",
    "Most {lesions} had {m1} margins ({k}/{n}; {pct}%) or {m2} margins ({k2}/{n}; {pct2}%).",
    "An {oval} {dense} {mass} was the most common mammographic finding ({k}/{n}).",
    "At imaging, {abbr} most often demonstrated a {focal} or an {irregular} {mass} [[in the {region}|{depth}]].",
    "{Count2} cases had {adenopathy}, and {count3} had distant metastases.",
    "On MRI, {abbr} appeared as {irregular}, enhancing {masses} or {nme} with {abscesses}.",
    "The {lesions} were scattered throughout the parenchyma in {count2} cases.",
    "Both T1- and T2-weighted images showed high signal in {count2} of the {lesions}.",
    "Imaging features of {abbr} have not been described frequently.",
    "Of the {n} {lesions}, {k} ({pct}%) were surgically excised.",
    "{Dxa} is among the most common benign breast {lesions}[[ during pregnancy| in young women]].",
    "The most common findings were {masses} with {irregular} shapes (n = {k}, {pct}%) and {irregular_m} margins "
    "(n = {k2}).",
    "Retrospective review of multimodality imaging features of {n} cases[[ of {dxa}]].",
    "[[Eleven|Seven|Nine|Twelve]] patients ({pct}%) showed {calcs} on mammography.",
)
_PRESENT = (
    "A {age} woman presented with a {lump} in the {lat} breast[[ for {months} months]].",
    "A {age} woman was referred for a painful {lump} [[in the {region} of the {lat} breast|at the {clock} "
    "position of the {lat} breast]].",
    "A {age} woman with a history of {dxa} presented with swelling of the {lat} breast.",
    "A {age} woman who had noticed {acc} in her {lat} {region}[[ with slight, occasional discharge]] visited our "
    "hospital.",
    "A {age} woman presented with {bilateral} [[painless |]]palpable breast {masses} for {months} months.",
    "A {age} woman presented with a painful {tumor} of the [[hypertrophied |]]{lat} breast.",
    "Ultrasound reported the presence of a nodular multiloculated {formation} in the {region} of the {lat} breast.",
    "A {age} woman presented {years} years after {bilateral} {implant} placement with swelling of the {lat} breast.",
)
_EXAM = (
    "Physical examination revealed a {size} {tumor} in the {region} of the {lat} breast.",
    "A [[firm|mobile|hard|tender]] {tumor} [[{size} in size ]]was palpated in the {region} of the {lat} breast.",
    "[[The {axillary}|{Axillary}]] and {nodegroup} were not palpable.",
    "No {adenopathy!} was found.",
    "There were no skin changes or nipple discharge.",
    "There was no {retraction!} and no breast discharge.",
    "There were necrotic areas and {retraction}.",
    "Neither distant metastasis nor {adenopathy!} was observed.",
)
_MAMMO = (
    "Mammography showed a {dense} {shape} {tumor} with {bm1} and {bm2} {bnoun} in the {region} of the {lat} breast.",
    "Mammography showed a [[{bm1}|{Bm1}]] {dense} {tumor}[[ in the {region}]].",
    "Mammography showed a {bm1} {dense} {tumor} with peripheral {eggshell} {calcs}[[ at the {clock} position]].",
    "Mammography revealed an overlapping {tumor} on the {region} of the {lat} breast at {clock}.",
    "The [[craniocaudal|mediolateral oblique]] view showed that both {lesions} in the {lat} breast were {shape}.",
    "Mammography did not detect the {tumor}[[ because of the {densebreast} breast tissue]].",
    "Mammography showed no {micro!} or {macro!}, and no {spic!}.",
    "Mammograms showed {irregular}, {spic2} and {dense} {opacities} with or without {micro}.",
    "Mammography showed multiple {circ} {masses} scattered all over the parenchyma of {both} breasts.",
    "Ultrasonography revealed multiple {tumors} in {both} breasts[[, and core needle biopsy of three breast "
    "{tumors} was performed]].",
    "[[Mammography and ultrasound were|MRI was]] [[performed|examined]], and multiple suspicious {masses} were "
    "found on the {lat} side.",
)
_US = (
    "Ultrasound revealed a {echo} {tumor} measuring {size} with {irregular_m} margins[[ at the {clock} position]].",
    "Ultrasound showed a {echo} {tumor} with an {irregular_m} margin.",
    "Elastography could reveal the {tumor} detected with MRI.",
    "Ultrasonography showed a {echo} {tumor} with {bm1} {bnoun}, partially located in the {muscle}.",
    "Ultrasound showed a {echo} {tumor} located between the {region} and the {region} breast quadrants of the {lat} "
    "breast.",
    "Ultrasound of the {lat} breast showed a {depthword} {shape} {echo} {tumor}[[ with posterior acoustic shadowing]].",
    "Ultrasonography revealed {implfinding} around the {lat} {implantshort}.",
    "A {echo} {tumor} [[{size} in size ]]was found at the {clock} position of the {lat} breast.",
    "Ultrasound showed {abscesses} and fistulous tracts in the {region}.",
    # coordinated sizes are one span each
    "Two {echo} {masses} measuring {size} and {size2} were [[seen|found]] in the {lat} breast.",
    "The {ln} measured {size} and {size2}[[ in short axis|, with cortical thickening]].",
    "Ultrasound showed a {echo} {tumor} with {irregular} shape and {irregular_m} margins[[ and tentacle-like "
    "extensions]].",
)
_MRI = (
    "MRI showed {nmelong} ({nmeabbr}) in the {lat} {region} with a {curve} curve.",
    "Contrast-enhanced MRI revealed an {irregular} {tumor} in the {region} of the {lat} breast.",
    "The time-intensity curve of the {tumor} was of the {curve} type.",
    "PET/CT showed diffuse FDG uptake in the bone marrow and the primary {tumor}.",
    "PET/CT showed FDG accumulation in both vertebral bodies and the pelvis.",
    "MRI of {both} breasts finally showed a {nmelong} lesion in the {lat} breast.",
)
_PATH = (
    "Core needle biopsy revealed {dxa}.",
    "Histopathological examination confirmed the diagnosis of {dxa}.",
    "Excisional biopsy confirmed a benign {dxb} with focal {dx2} in adjacent tissue.",
    "Ultrasound-guided aspiration of the {implfinding} was performed.",
    "The patient was treated with {implantshort} removal alone and has been free of disease for {months} months.",
    # procedures and nodal status name lymph nodes that are not findings
    "She underwent lumpectomy and axillary lymph node dissection[[, followed by radiotherapy|]].",
    "Wide local excision without axillary lymph node dissection is the standard treatment[[ of {dxb}|]].",
    "Calcification features differed between lymph node positive (LN+) and lymph node negative (LN-) cases.",
    "She underwent total mastectomy with sentinel lymph node biopsy; sentinel lymph node biopsy showed no nodal "
    "metastasis.",
    "US-guided biopsy of both {lesions} in the {lat} breast yielded {dxb}.",
    "[[Core needle biopsy|The pathology report|Histopathology]] [[revealed|identified]] the {tumor} to be "
    "[[invasive ductal carcinoma|a carcinoma|a benign {dxb}]].",
    "A specimen was taken from one of the breast {lesions}[[ that showed metastatic carcinoma]].",
    "The differential diagnosis included a benign {dxb} versus invasive mucinous carcinoma.",
    "Aspiration of milky fluid was performed[[, and the swelling resolved]].",
    "Immunohistochemistry showed metastatic carcinoma of non-mammary origin in all four {ln}.",
    # "axillary" before a procedure, a metastasis or anatomy places nothing
    "{Lat} axillary [[dissection|staging|surgery]] was [[performed|not performed]].",
    "[[Contralateral axillary metastasis|Axillary metastasis from an occult primary|Primary axillary malignancy]] "
    "is rare[[ in breast cancer]].",
)
# Figure captions: panel letters ("(A, B)", "(b)", "Fig. 2C") are never entities.
_FIGURES = (
    "Fig. 1: (A) Craniocaudal and (B) mediolateral oblique views show a {shape} {tumor} in the {region} of the "
    "{lat} breast.",
    "Figure 2. (a) Ultrasound shows a {echo} {tumor} with {irregular_m} margins. (b) Doppler shows internal flow.",
    "Digital mammography CC & MLO (A, B) show {circ} {masses} in {both} breasts.",
    "Fig. [[2|3|4]]. A, B: MRI shows {nme} in the {lat} breast. C: Subtracted image.",
    "(a) Mammogram of the {lat} breast. (b) Spot magnification view showing {micro}. (c) Specimen radiograph.",
    "Figure [[1|3]]B shows the {tumor} at the {clock} position ([[arrow|arrowhead|white arrow]]).",
    "(A) A {age} woman with a {lump}; (B) ultrasound of the same {tumor}.",
    "A {age} woman[[ with no family history| with a family history of breast cancer]] ([[Case 1|patient A|Fig. 1A]]).",
)
_DISCUSSION = (
    "{Dxa} is a rare benign inflammatory disease of the breast that can mimic carcinoma.",
    "{Abbr} most often affects women of childbearing age[[, and its cause is unknown]].",
    "The most common imaging finding of {dxb} in our study was a {bm1}[[, heterogeneous|, hypoechoic|]] {mass}.",
    "Ultrasound cannot accurately distinguish between an {effusion} and a {mass}.",
    "Teaching point: {dxb} should be considered when a {circ} {mass} enlarges in a young woman.",
    # class statements: "tumors" as a class and malignant names are not the patient's finding
    "{Dxa} accounts for [[less than 1%|about 2%|0.5%]] of all breast tumors[[ and is usually benign]].",
    "Breast tumors in adolescents are [[mostly|usually]] benign[[, and malignant tumors are rare]].",
    "The differential diagnosis includes {malignant} and other benign tumors of the breast.",
    "Primary breast sarcomas are rare tumors[[, accounting for less than 1% of breast malignancies]].",
    "{Malignant} should be kept in mind in the differential diagnosis of solid breast {lesions}.",
    "Early diagnosis of these tumors is important, because {malignant} can look benign on imaging.",
    "Knowledge of normal axillary anatomy helps[[ the radiologist]] to recognise abnormal {ln}.",
    "Deep learning [[models|radiomics]] may help to distinguish {dxb} from carcinoma.",
)


def report_literature(g: Generator) -> Tuple[Report, str]:
    """A case report or case-series abstract in journal prose."""
    cat = g.pick(("2", "3", "4A", "4B", "4", "0"))
    side = g.pick(("right", "left"))
    f = g.new_finding("mass", cat, side)
    s = g.finding_slots(f)
    dx, abbr = g.pick(DIAGNOSES)
    defined = {"done": abbr is None}
    # "granular cell tumor of the breast (GCTB)": the abbreviation spells the words after the name too
    of_breast = bool(abbr) and dx.endswith(("tumor", "tumour", "oma")) and g.p(0.5)
    if of_breast:
        abbr += "B"

    def dx_first():
        # the first mention may define the abbreviation; later ones may use it
        if not defined["done"] and g.p(0.7):
            defined["done"] = True
            between = " of the breast (" if of_breast else " ("
            return [ent(dx, "OTHER_FINDING"), txt(between), ent(abbr, "OTHER_FINDING"), txt(")")]
        return [ent(abbr if abbr and defined["done"] and g.p(0.5) else dx, "OTHER_FINDING")]

    def dx_later():
        return [ent(abbr if abbr and defined["done"] and g.p(0.6) else dx, "OTHER_FINDING")]

    nme_abbr = g.p(0.5)
    other = [one for one, _ in DIAGNOSES if one != dx]
    n = g.rng.randint(8, 40)
    k = g.rng.randint(2, n - 2)
    margins = g.pick(SERIES_MARGINS)
    s.update(
        dx=dx_later,
        dxa=dx_first,
        dxb=dx_later,
        abbr=dx_later,
        dx2=g.term("OTHER_FINDING", *other),
        malignant=g.plain(*MALIGNANT_NAMES),
        age=lambda: [txt(age_text(g, g.rng.randint(19, 78)))],
        size2=lambda: g.size([g.rng.randint(4, 30)]),
        n=lambda: [txt(str(n))],
        k=lambda: [txt(str(k))],
        k2=lambda: [txt(str(n - k))],
        pct=lambda: [txt(str(round(100 * k / n)))],
        pct2=lambda: [txt(str(100 - round(100 * k / n)))],
        count=lambda: [txt(g.pick(("seventeen", "eleven", "twenty-four", "nine", str(n))))],
        count2=lambda: [txt(g.pick(("two", "three", "four", "six", "5", "7")))],
        count3=lambda: [txt(g.pick(("two", "one", "three")))],
        mean=lambda: [txt(str(g.rng.randint(30, 60)))],
        lo=lambda: [txt(str(g.rng.randint(18, 29)))],
        hi=lambda: [txt(str(g.rng.randint(61, 84)))],
        y1=lambda: [txt(str(g.rng.randint(2005, 2012)))],
        y2=lambda: [txt(str(g.rng.randint(2013, 2024)))],
        months=lambda: [txt(str(g.rng.randint(2, 24)))],
        years=lambda: [txt(g.pick(("six", "8", "ten", "12")))],
        lesions=g.term("MASS", "lesions", "masses", "lesions"),
        m1=lambda: [ent(margins[0], "MARGIN")],
        m2=lambda: [ent(margins[1], "MARGIN")],
        oval=g.term("SHAPE", "oval", "irregular", "round"),
        shape=g.term("SHAPE", *SHAPE_WORDS),
        irregular=g.term("SHAPE", "irregular"),
        irregular_m=g.term("MARGIN", "irregular", "angular", "indistinct", "irregular"),
        dense=g.term("MASS_DENSITY", *DENSITY_WORDS),
        focal=g.term("ASYMMETRY", "focal asymmetry", "asymmetry", "developing asymmetry"),
        region=g.term("LOCATION", *PROSE_REGIONS),
        clock=g.term("LOCATION", *CLOCK_PROSE),
        depth=g.term("LOCATION", *DEPTH_PROSE),
        depthword=g.term("LOCATION", "deep", "superficial"),
        muscle=g.term("LOCATION", "major pectoralis muscle", "pectoralis major muscle", "anterior chest wall"),
        adenopathy=g.term("ASSOCIATED_FEATURE", *ADENOPATHY),
        nodegroup=g.term("OTHER_FINDING", *NODE_GROUPS),
        ln=g.term("OTHER_FINDING", "lymph nodes", "nodes", "axillary lymph nodes"),
        axillary=g.term("LOCATION", "axillary"),
        bilateral=g.term("LATERALITY", "bilateral"),
        densebreast=g.term("COMPOSITION", "dense", "extremely dense", "heterogeneously dense"),
        nme=g.term("OTHER_FINDING", "non-mass enhancement", "non-mass-enhancement"),
        nmelong=g.term("OTHER_FINDING", "non-mass enhancement", "non-mass-enhancement"),
        nmeabbr=g.term("OTHER_FINDING", "NME") if nme_abbr else g.plain("arrow"),
        curve=g.plain("washout", "plateau", "persistent", "type II", "type III"),
        abscesses=g.term("OTHER_FINDING", "microabscesses", "abscesses", "fluid collections"),
        tumor=g.term("MASS", *TUMOR),
        masses=g.term("MASS", "masses", "lesions", "nodules"),
        tumors=g.term("MASS", "tumors", "tumours", "lesions"),
        formation=g.term("MASS", "formation", "opacity"),
        opacities=g.term("MASS", "opacities", "opacity"),
        spic2=g.term("MARGIN", "speculated", "spiculated"),
        retraction=g.term(
            "ASSOCIATED_FEATURE",
            "retraction of the nipple",
            "retraction of the areola",
            "nipple retraction",
            "skin retraction",
            "retraction of the skin",
        ),
        bm1=g.term("MARGIN", *BORDER_MARGINS),
        bm2=g.term("MARGIN", "lobulated", "smooth", "irregular", "regular"),
        bnoun=g.plain(*BORDER_NOUNS),
        circ=g.term("MARGIN", "well-circumscribed", "circumscribed", "well-defined"),
        spic=g.term("MARGIN", "spiculation", "speculation", "spiculation"),
        eggshell=g.term("CALC_MORPHOLOGY", "egg-shell", "eggshell", "rim"),
        micro=g.term("CALCIFICATION", "micro-calcifications", "microcalcifications"),
        macro=g.term("CALCIFICATION", "macro-calcifications", "macrocalcifications"),
        # "accessory breast tissue" is anatomy, not a finding (as annotated in real_dev)
        acc=lambda: g.pick(([txt("an "), ent("accessory nipple", "OTHER_FINDING")], [txt("accessory breast tissue")])),
        implant=g.term("OTHER_FINDING", *IMPLANT_NOUNS),
        implantshort=g.term("OTHER_FINDING", "implant", "breast implant"),
        implfinding=g.term("OTHER_FINDING", *IMPLANT_FINDINGS),
        effusion=g.term("OTHER_FINDING", "effusion", "fluid collection"),
        echo=g.plain(*ECHO),
    )
    r = Report(g)
    r.heading_style = "asis"
    r.add(g.fill(g.pick(_TITLES), s))
    series = g.p(0.35)
    if series:
        paragraphs = [("Results", [g.fill(t, s) for t in g.rng.sample(_SERIES, g.rng.randint(3, 6))])]
    else:
        case = [g.fill(g.pick(_PRESENT), s)] + [g.fill(t, s) for t in g.rng.sample(_EXAM, g.rng.randint(1, 2))]
        imaging = [g.fill(g.pick(_MAMMO), s)]
        for group, prob in ((_US, 0.7), (_MRI, 0.4)):
            if g.p(prob):
                imaging.append(g.fill(g.pick(group), s))
        if g.p(0.4):
            imaging.append(g.fill("The {tumor} was classified as {bir}.", dict(s, bir=lambda: g.birads(cat))))
        paragraphs = [("Case presentation", case), ("Imaging findings", imaging)]
    if g.p(0.45):
        paragraphs.append(("Figure legends", [g.fill(t, s) for t in g.rng.sample(_FIGURES, g.rng.randint(1, 2))]))
    paragraphs.append(("Pathology", [g.fill(t, s) for t in g.rng.sample(_PATH, g.rng.randint(1, 2))]))
    if g.p(0.6):
        paragraphs.append(("Discussion", [g.fill(g.pick(_DISCUSSION), s)]))
    for head, body in paragraphs:
        r.text("\n\n" + (head + g.pick((":\n", "\n", ": ")) if g.p(0.6) else ""))
        r.body(body)
    return r, cat
