"""Case reports and teaching-file prose: third person, past tense, a diagnosis and its discussion.

The diagnosis is annotated wherever it is named (in the title, the findings, the discussion and the
differential), generic mentions too ("[Hamartomas] are uncommon benign [lesions]"). Case and figure
numbers, ages, percentages and the edition of the lexicon are not entities; an assessment discussed in
the text is ("the lesion was classified as [BI-RADS 4A]"), "the BI-RADS classification" is not.
"""

from typing import NamedTuple, Tuple

from .findings import Generator
from .history import age_text
from .sections import Report
from .template import ent, txt
from .ultrasound import ECHO, ORIENTATION, POSTERIOR
from .vocabulary import BENIGN_LESIONS


class Topic(NamedTuple):
    name: Tuple[str, ...]  # singular forms
    plural: str
    presentation: Tuple[str, ...]
    mammo: Tuple[str, ...]  # the mammographic finding, a noun phrase
    birads: Tuple[str, ...]
    discussion: Tuple[str, ...]
    sex: str = "woman"


TOPICS = (
    Topic(
        ("hamartoma", "fibroadenolipoma"),
        "hamartomas",
        ("a soft, painless {lump} in the {lat} breast", "a {lump} found on screening mammography"),
        (
            "a {size} {circ} {oval} {mass} of mixed fat and soft-tissue density[[ with a thin capsule]]",
            "a {circ} {fatc} {mass} with a 'breast within a breast' appearance",
        ),
        ("2",),
        (
            "{Names} are uncommon benign {lesions} composed of fat, fibrous tissue and glandular elements, accounting "
            "for about 5% of benign breast {masses}.",
            "On mammography a {name} classically appears as a {circ} {mass} containing fat, surrounded by a thin "
            "radiolucent capsule.",
        ),
    ),
    Topic(
        ("lipoma",),
        "lipomas",
        ("a slowly growing soft {lump} in the {lat} breast",),
        ("a {size} {lucent} {fatc} {mass} with a thin capsule", "a {circ} {fatc} {mass} without {calcs!}"),
        ("2",),
        (
            "{Names} are common benign fatty tumours; on mammography they are {lucent} and encapsulated.",
            "A palpable {name} may be invisible in a fatty breast[[, and ultrasound is often performed]].",
        ),
    ),
    Topic(
        ("fibroadenoma",),
        "fibroadenomas",
        ("a mobile, painless {lump} in the {lat} breast", "a palpable {lump} noticed {n} months earlier"),
        ("a {size} {oval} {circ} {equal} {mass}", "a {oval} {mass} with {coarse} {popcorn} {calcs}"),
        ("3", "4A", "2"),
        (
            "{Name} is the most common benign tumour of the breast in women younger than 30 years.",
            "Involuting {names} may contain {coarse} {popcorn} {calcs}.",
            "On ultrasound, {names} are typically {oval}, {circ} and hypoechoic, with a parallel orientation.",
        ),
    ),
    Topic(
        ("galactocele",),
        "galactoceles",
        ("a tender {lump} in the {lat} breast while breastfeeding", "a {lump} {n} months after delivery"),
        ("a {circ} {fatc} {mass} with a fat-fluid level on the 90-degree lateral view",),
        ("2", "3"),
        (
            "A {name} is a milk-filled {cyst} that occurs during or shortly after lactation.",
            "The fat-fluid level of a {name} on a horizontal-beam view is diagnostic.",
        ),
    ),
    Topic(
        ("fat necrosis", "oil cyst"),
        "fat necrosis",
        ("a firm {lump} in the {lat} breast after a seat-belt injury", "a {lump} near the {lat} lumpectomy site"),
        ("an {oilcyst} with {rim} {calcs}", "a {size} {irregular} {mass} with {dystrophic} {calcs}"),
        ("2", "4A"),
        (
            "{Fatnec} is a benign inflammatory process that follows trauma, surgery or radiation.",
            "Its appearance ranges from an {oilcyst} to an {irregular} {spic} {mass} that mimics carcinoma.",
        ),
    ),
    Topic(
        ("PASH", "pseudoangiomatous stromal hyperplasia"),
        "PASH",
        ("a painless, enlarging {lump} in the {lat} breast",),
        ("a {size} {oval} {circ} {mass} without {calcs!}",),
        ("3", "4A"),
        ("{Name} is a benign stromal proliferation that usually presents as a {circ} {mass} in premenopausal women.",),
    ),
    Topic(
        ("intraductal papilloma", "papilloma"),
        "papillomas",
        ("[[bloody|serous]] nipple discharge from the {lat} breast", "single-duct nipple discharge"),
        ("a {sdd} in the {subareolar} region", "a small {circ} {mass} in the {subareolar} region"),
        ("4A",),
        (
            "{Names} are the most common cause of bloody nipple discharge.",
            "Ultrasound often shows an intraductal {mass} within a {dd}.",
        ),
    ),
    Topic(
        ("radial scar", "complex sclerosing lesion"),
        "radial scars",
        ("no symptoms; the finding was detected at screening",),
        ("{distortion} without a central {mass!}", "{distortion} with radiolucent central spicules"),
        ("4A", "4B"),
        (
            "A {name} cannot be distinguished reliably from carcinoma on imaging, and excision is often advised.",
            "{Names} appear as {distortion} with long spicules and a lucent centre.",
        ),
    ),
    Topic(
        ("silicone granuloma",),
        "silicone granulomas",
        ("a hard {lump} in the {lat} breast {n} years after augmentation",),
        ("a dense {mass} adjacent to the {lat} {implant}", "{freesilicone} outside the {implant} shell"),
        ("2",),
        (
            "{Extracap} lets {freesilicone} migrate into the breast tissue, where it may form a {name}.",
            "On ultrasound a {name} shows a 'snowstorm' pattern of echogenic noise.",
        ),
    ),
    Topic(
        ("epidermal inclusion cyst", "sebaceous cyst"),
        "epidermal inclusion cysts",
        ("a small {lump} just beneath the skin of the {lat} breast",),
        ("a {size} {circ} {round} {mass} abutting the skin",),
        ("2",),
        ("{Names} arise in the skin and are recognised by their continuity with the dermis (the 'claw sign').",),
    ),
    Topic(
        ("gynecomastia",),
        "gynecomastia",
        ("a tender swelling behind the {lat} nipple", "{bilat} breast enlargement while on spironolactone"),
        ("flame-shaped {subareolar} fibroglandular tissue", "nodular {subareolar} density"),
        ("2",),
        ("{Name} is the most common breast condition in men and is benign.",),
        sex="man",
    ),
    Topic(
        ("invasive ductal carcinoma",),
        "invasive carcinomas",
        ("a hard, fixed {lump} in the {lat} breast", "{assoc} of the {lat} breast"),
        ("a {size} {irregular} {spic} {mass} with {fpl} {calcs}", "a {spic} {mass} with {assoc}"),
        ("5", "4C"),
        ("The combination of an {irregular} {spic} {mass} and {fpl} {calcs} is highly suggestive of malignancy.",),
    ),
)

_TITLES = (
    "Case {n}: {Name}",
    "CASE {n}",
    "Teaching file: {Name} of the breast",
    "{Name} in a {age} {sex}: a case report",
    "Clinical case {n}",
    "{Name}",
)
_FINAL = (
    "Core needle biopsy [[was performed and |]]confirmed {name}.",
    "Histopathology revealed {name}.",
    "Excision was performed; the final pathology was {name}.",
    "Ultrasound-guided biopsy showed {name}[[, concordant with the imaging]].",
)
_DDX = (
    "The differential diagnosis includes {ddx}, {ddx2} and {ddx3}.",
    "Differential diagnosis: {ddx}, {ddx2}[[, {ddx3}]].",
    "Other considerations were {ddx} and {ddx2}.",
)


def report_narrative(g: Generator) -> Tuple[Report, str]:
    """A case report or teaching-file entry about one diagnosis."""
    topic = g.pick(TOPICS)
    cat = g.pick(topic.birads)
    side = g.pick(("right", "left"))
    f = g.new_finding("mass", cat, side)
    s = g.finding_slots(f)
    name = g.pick(topic.name)
    label = None if topic.name[0] == "invasive ductal carcinoma" else "OTHER_FINDING"
    named = (lambda text: [ent(text, label)]) if label else (lambda text: [txt(text)])
    ddx = [one for one, _ in BENIGN_LESIONS if one not in topic.name]
    s.update(
        name=lambda: named(name),
        names=lambda: named(topic.plural),
        age=lambda: [txt(age_text(g, g.rng.randint(18, 80) if topic.sex == "woman" else g.rng.randint(14, 80)))],
        sex=lambda: [txt(topic.sex)],
        n=lambda: [txt(str(g.rng.randint(2, 14)))],
        circ=g.term("MARGIN", "circumscribed", "well-circumscribed", "well-defined"),
        spic=g.term("MARGIN", "spiculated"),
        oval=g.term("SHAPE", "oval", "oval", "lobulated"),
        round=g.term("SHAPE", "round"),
        irregular=g.term("SHAPE", "irregular"),
        fatc=g.term("MASS_DENSITY", "fat-containing"),
        lucent=g.term("MASS_DENSITY", "radiolucent"),
        equal=g.term("MASS_DENSITY", "equal density", "isodense"),
        coarse=g.term("CALC_MORPHOLOGY", "coarse"),
        popcorn=g.term("CALC_MORPHOLOGY", "popcorn-like", "popcorn"),
        rim=g.term("CALC_MORPHOLOGY", "rim", "eggshell"),
        dystrophic=g.term("CALC_MORPHOLOGY", "dystrophic"),
        fpl=g.term("CALC_MORPHOLOGY", "fine pleomorphic", "fine linear branching"),
        lesions=g.term("MASS", "lesions"),
        oilcyst=g.term("OTHER_FINDING", "oil cyst"),
        fatnec=g.term("OTHER_FINDING", "fat necrosis"),
        sdd=g.term("OTHER_FINDING", "solitary dilated duct", "dilated duct"),
        dd=g.term("OTHER_FINDING", "dilated duct"),
        freesilicone=g.term("OTHER_FINDING", "free silicone"),
        extracap=g.term("OTHER_FINDING", "extracapsular rupture"),
        ddx=g.term("OTHER_FINDING", *ddx[:8]),
        ddx2=g.term("OTHER_FINDING", *ddx[8:16]),
        ddx3=g.term("OTHER_FINDING", *ddx[16:]),
        echo=g.plain(*ECHO),
        orient=g.plain(*ORIENTATION),
        post=g.plain(*POSTERIOR),
        bir=lambda: g.birads(cat),
        lesion=g.term("MASS", "lesion", "mass", "lesion"),
    )
    r = Report(g)
    r.heading_style = "asis"
    r.add(g.fill(g.pick(_TITLES), s))
    pronoun = "She" if topic.sex == "woman" else "He"
    case = [
        g.fill("A {age} {sex} presented with " + g.pick(topic.presentation) + ".", s),
    ]
    if g.p(0.5):
        case.append(
            g.fill(
                g.pick(
                    (
                        pronoun + " had no family history of breast cancer.",
                        pronoun + " had undergone [[{lat} lumpectomy|breast augmentation|a benign biopsy]] in {year}.",
                        "Physical examination revealed a [[mobile|firm|soft|tender]] {lump} [[in the {lat} {quad}|at "
                        "{clock}]][[, {fdist}]].",
                        "There was no {assoc!}.",
                    )
                ),
                dict(s, year=lambda: [txt(str(g.rng.randint(1995, 2022)))]),
            )
        )
    imaging = [
        g.fill(
            g.pick(
                (
                    "Mammography showed " + g.pick(topic.mammo) + " {where}.",
                    "Mammograms demonstrated " + g.pick(topic.mammo) + " in the {lat} breast[[ at {clock}]].",
                    "The {lat} MLO view showed " + g.pick(topic.mammo) + ".",
                )
            ),
            s,
        )
    ]
    if g.p(0.6):
        imaging.append(
            g.fill(
                g.pick(
                    (
                        "Ultrasound revealed a {size} {echo} {mass} with {orient} and {post}.",
                        "On ultrasound, the {lesion} was {oval}, {echo} and {circ}[[, measuring {size}]].",
                        "Sonography showed no correlate.",
                    )
                ),
                s,
            )
        )
    if g.p(0.6):
        imaging.append(
            g.fill(
                g.pick(
                    (
                        "The {lesion} was classified as {bir}.",
                        "It was assessed as {bir}[[ according to the BI-RADS lexicon (5th edition)]].",
                        "Using the BI-RADS classification, this would be a {bir}.",
                        "A {bir} assessment was given[[ and biopsy was recommended]].",
                    )
                ),
                s,
            )
        )
    if g.p(0.3):
        imaging.append(
            g.fill("Figure {n}. [[{Lat} CC view|Ultrasound image|{Lat} MLO view]] shows the {mass} (arrow).", s)
        )
    imaging.append(g.fill(g.pick(_FINAL), s))
    headings = g.pick(
        (
            ("Case presentation", "Imaging findings", "Discussion"),
            ("History", "Findings", "Discussion"),
            ("CLINICAL HISTORY", "IMAGING FINDINGS", "DISCUSSION"),
            ("Case report", "Imaging", "Teaching points"),
        )
    )
    discussion = [g.fill(one, s) for one in topic.discussion if g.p(0.8)] or [g.fill(topic.discussion[0], s)]
    if g.p(0.5):
        discussion.append(g.fill(g.pick(_DDX), s))
    for head, body in zip(headings, (case, imaging, discussion)):
        r.text("\n\n" + head + g.pick((":\n", "\n", ": ")))
        r.body(body, bullets=head == "Teaching points")
    return r, cat
