"""Findings-section sentences not about one finding: composition, density, negatives, benign findings."""

from typing import List

from .findings import Generator
from .template import Piece, ent, txt
from .vocabulary import POST_CHANGES


def composition(g: Generator, letter: str) -> List[Piece]:
    slots = {
        "comp": lambda: [ent(g.comp_text(letter), "COMPOSITION")],
        "cletter": lambda: [ent(g.comp_letter(letter), "COMPOSITION")],
        "bare": lambda: [ent(letter.upper(), "COMPOSITION")],
        "paren": lambda: [ent(letter, "COMPOSITION")],
    }
    common = [
        "The breasts are {comp} ({paren}).",
        "Breast composition: {comp} ({paren}).",
        "Density: {bare} - {comp}.",
        "The breasts are {comp}.",
        "The breast tissue is {comp}.",
        "Breast composition: {comp}.",
        "The breasts are {comp} ({cletter}).",
        "Breast composition: {cletter} - {comp}.",
        "Breast density: {bare} - {comp}.",
        "Density: {bare} ({comp})",
        "{Cletter}: {comp}.",
        "Composition: {cletter}.",
        "The breast density is {cletter}.",
        "[[Tissue density|Breast density|Density]]: {cletter}.",
        "The breast tissue is {comp} ({cletter}).",
        "Breast composition is {cletter}.",
        "Density {bare}.",
        "Breast density {bare}.",
        "{Comp} breast tissue.",
    ]
    extra = {
        "a": [
            "The breasts are {comp}[[ ({cletter})]].",
            "The breasts are composed almost entirely of fat ({cletter}).",
            "The breasts are {fat}[[ ({paren})]].",
            "The breast tissue is {fat}.",
            "{Comp} breasts.",
            "There is {comp} breast tissue.",
        ],
        "b": [
            "There are {comp}.",
            "There are {comp} ({cletter}).",
            "The breasts are composed of {comp}.",
            "The breast tissue consists of {comp}.",
            "{Comp}.",
            "[[Mild |]]{comp} [[is|are]] present.",
        ],
        "c": [
            "The breasts are {comp}, which may obscure small {masses}.",
            "The breast tissue is {comp}, which may obscure small {masses}.",
            "The breasts are {comp} ({cletter}), which may obscure small {masses}.",
            "{Comp} breast tissue ({cletter}), which could obscure small {masses}.",
            "The breasts are {comp}. This may lower the sensitivity of mammography.",
            "{Comp} breasts ({cletter}).",
            "[[{Bilat} |]]{comp} parenchyma.",
        ],
        "d": [
            "The breasts are {comp}, which lowers the sensitivity of mammography.",
            "The breast tissue is {comp} ({cletter}), which lowers the sensitivity of mammography.",
            "The breasts are {comp}. This may obscure small {masses}.",
            "{Comp} breasts ({cletter}).",
            "{Comp} breast parenchyma[[, which reduces sensitivity]].",
        ],
    }[letter]
    slots["fat"] = lambda: [ent(g.pick(("almost entirely fat", "almost entirely fatty")), "COMPOSITION")]
    return g.fill(g.pick(common + extra * 2), slots)


def density_checklist(g: Generator, letter: str) -> List[Piece]:
    pieces: List[Piece] = [
        txt(g.pick(("Breast composition: ", "Density: ", "BREAST DENSITY: ", "Composition (ACR): ")))
    ]
    upper = g.p(0.5)
    ticked, empty = g.pick((("[x] ", "[ ] "), ("[X] ", "[ ] "), ("(x) ", "( ) ")))
    gap = g.pick(("  ", " ", "   "))
    for i, option in enumerate("abcd"):
        shown = option.upper() if upper else option
        if i:
            pieces.append(txt(gap))
        if option == letter:
            pieces += [txt(ticked), ent(shown, "COMPOSITION")]
        else:
            pieces.append(txt(empty + shown))
    return pieces


def density_notice(g: Generator, letter: str) -> List[List[Piece]]:
    dense = lambda: [ent(g.pick(("dense", "dense", "dense")), "COMPOSITION")]
    slots = {"dense": dense, "comp": lambda: [ent(g.comp_text(letter), "COMPOSITION")]}
    tpls = [
        "Your mammogram shows that your breast tissue is {dense}. {Dense} breast tissue is common and is not "
        "abnormal. However, {dense} breast tissue can make it harder to find cancer on a mammogram and may also be "
        "associated with an increased risk of breast cancer. This information about the result of your mammogram is "
        "given to you to raise your awareness. Use this information to talk to your health care provider about "
        "whether other supplemental tests in addition to your mammogram may be appropriate for you, based on your "
        "individual risk.",
        "BREAST DENSITY NOTIFICATION: The patient's breast tissue is {dense}. [[A letter regarding breast density "
        "has been sent to the patient.|Information on breast density was provided to the patient.]]",
        "Breast density notification: The breasts are {comp}. {Dense} breast tissue can hide abnormalities. "
        "[[Supplemental screening with ultrasound or MRI may be considered.|Discuss supplemental screening with your "
        "doctor.]]",
        "Per state law, the patient has been notified that she has {dense} breast tissue.",
        "Note: {Dense} breast tissue may reduce the sensitivity of mammography. Please discuss breast density with "
        "your provider.",
    ]
    return [g.fill(g.pick(tpls), slots)]


def negative_sentences(g: Generator, sides: str = "both") -> List[List[Piece]]:
    """Negated finding statements (negation per guidelines)."""
    nouns = {
        "masses": lambda: [ent(g.pick(("masses", "masses", "mass", "nodules", "lesions")), "MASS")],
        "calcs": lambda: [
            ent(
                g.pick(("calcifications", "microcalcifications", "calcifications", "calcs", "calcification")),
                "CALCIFICATION",
            )
        ],
        "distortion": lambda: [
            ent(g.pick(("architectural distortion", "architectural distortion", "distortion")), "DISTORTION")
        ],
        "asym": lambda: [
            ent(g.pick(("asymmetries", "asymmetry", "focal asymmetry", "developing asymmetry")), "ASYMMETRY")
        ],
        "ndesc": lambda: [ent(g.pick(("spiculated", "spiculated", "indistinct", "microlobulated")), "MARGIN")],
        "nshape": lambda: [ent(g.pick(("irregular", "round")), "SHAPE")],
        "nmorph": lambda: [
            ent(
                g.pick(("pleomorphic", "fine pleomorphic", "amorphous", "fine linear branching", "fine linear")),
                "CALC_MORPHOLOGY",
            )
        ],
        "ndist": lambda: [ent(g.pick(("clustered", "grouped", "segmental", "linear")), "CALC_DISTRIBUTION")],
        "lat": lambda: g.lat(g.pick(("right", "left"))),
        "where_both": lambda: g.fill(
            "[[in {either} breast|{bilaterally}|in {both} breasts|||in the {lat} breast]]",
            {"lat": lambda: g.lat(g.pick(("right", "left")))},
        ),
    }
    tpls = [
        "No suspicious {masses!}, {calcs!}, or {distortion!}[[ is seen| are seen| is identified]] {where_both}.",
        "There is no [[dominant |suspicious |]]{masses!}, suspicious {calcs!}, or {distortion!} {where_both}.",
        "No [[dominant |suspicious |new |]]{masses!}, {distortion!} or suspicious {calcs!}.",
        "Negative for {masses!} or suspicious {calcs!}.",
        "There are no {ndesc!} {masses!}, suspicious {calcs!}, or areas of {distortion!}.",
        "No {nshape!} {ndesc!} {masses!} [[are seen|are identified]].",
        "No {ndist!} {nmorph!} {calcs!} [[are seen|are present|are identified]].",
        "No suspicious {ndist!} {calcs!}.",
        "There is no mammographic evidence of malignancy.",
        "No [[new |suspicious |]]{masses!} or {calcs!}.",
        "No [[new |]]{masses!}, {calcs!}, {asym!}, or {distortion!}.",
        "No evidence of {masses!}, {distortion!}, or suspicious {calcs!} {where_both}.",
        "No e/o {masses!} or {calcs!}.",
        "Neither {masses!} nor {calcs!} [[are seen|are identified|are present]].",
        "The {lat} breast is free of {masses!} and suspicious {calcs!}.",
        "{Masses!}, {calcs!} and {distortion!} are absent.",
        "Suspicious {calcs!} are not seen.",
        "No suspicious findings.",
        "No {masses!}, {calcs!} or {distortion!} [[to suggest malignancy|suspicious for malignancy]].",
        "There are no findings suspicious for malignancy.",
        "Absence of {masses!}, {distortion!} or suspicious {calcs!}.",
        "Without {masses!} or {calcs!} of concern.",
        "{Masses!}: none. {Calcs!}: none. {Distortion!}: none.",
        "No {skinthick!}, {nippleret!}, or {adenopathy!}.",
        "No {adenopathy!}.",
        "The skin and nipples are [[unremarkable|normal]].",
        "No {skinthick!} or {nippleret!}.",
        "There is no {adenopathy!}[[ {bilaterally}]].",
        "No significant interval change.",
        "Stable mammogram.",
        "No [[new or enlarging |]]{masses!}.",
        "No new {calcs!} or {masses!}.",
        "No {asym!} [[or {distortion!} ]]is [[seen|identified]].",
        "[[No|There is no]] {distortion!}.",
        "Nil {masses!} or {calcs!}.",
        "The {lat} {axilla} is [[unremarkable|normal|clear]].",
        "No {adenopathy!} in the {lat} {axilla}.",
        "No suspicious findings in {either} breast.",
        "There is no evidence of malignancy in {either} breast.",
        # v1.3: coordinated prefixes sharing one head are one span; older synonyms keep their label
        "No {micromacro!}[[ are seen| are identified]].",
        "[[There are no|No]] suspicious {masses!} or {micromacro!}[[ {where_both}]].",
        "No {oldassoc!} or {oldassoc2!}.",
        "No {oldasym!}[[ is seen| is identified]].",
        "The skin is [[normal|unremarkable|intact]] and there is no {oldassoc!}.",
        "No {masses!}, {calcs!} or {adenopathy2!}.",
    ]
    nouns.update(
        micromacro=g.term("CALCIFICATION", "micro- or macrocalcifications", "macro- or microcalcifications"),
        oldassoc=g.term("ASSOCIATED_FEATURE", "skin tethering", "nipple inversion", "thickening of the skin"),
        oldassoc2=g.term("ASSOCIATED_FEATURE", "trabecular coarsening", "inverted nipple", "skin retraction"),
        oldasym=g.term("ASYMMETRY", "asymmetric density", "developing density", "asymmetric densities"),
        adenopathy2=g.term("ASSOCIATED_FEATURE", "adenopathy", "lymphadenopathy"),
    )
    return [g.fill(g.pick(tpls), nouns)]


def benign_sentences(g: Generator) -> List[Piece]:
    """Incidental benign findings, typically BI-RADS 2."""
    lat = lambda: g.lat(g.pick(("right", "left")))
    slots = {
        "lat": lat,
        "bmorph": lambda: [
            ent(
                g.pick(
                    (
                        "vascular",
                        "vascular",
                        "coarse",
                        "dystrophic",
                        "round",
                        "punctate",
                        "skin",
                        "dermal",
                        "rim",
                        "large rod-like",
                        "secretory",
                        "lucent-centered",
                        "milk of calcium",
                    )
                ),
                "CALC_MORPHOLOGY",
            )
        ],
        "popcorn": lambda: [ent(g.pick(("popcorn", "popcorn-like")), "CALC_MORPHOLOGY")],
        "coarse": lambda: [ent("coarse", "CALC_MORPHOLOGY")],
        "scattered": lambda: [ent(g.pick(("scattered", "scattered", "diffuse")), "CALC_DISTRIBUTION")],
        "round": lambda: [ent("round", "CALC_MORPHOLOGY")],
        "punctate": lambda: [ent("punctate", "CALC_MORPHOLOGY")],
        "vascular": lambda: [ent("vascular", "CALC_MORPHOLOGY")],
        "moc": lambda: [ent("milk of calcium", "CALC_MORPHOLOGY")],
        "quad": lambda: [ent(g.quad_text(g.pick(("UO", "UI", "LO", "LI"))), "LOCATION")],
        "clock": lambda: [ent(g.clock_text(g.rng.randint(1, 12)), "LOCATION")],
        "oilcyst": lambda: [ent(g.pick(("oil cyst", "oil cysts")), "OTHER_FINDING")],
        "skinlesion": lambda: [ent(g.pick(("skin lesion", "skin lesions")), "OTHER_FINDING")],
        "fn": lambda: [ent(g.pick(("fat necrosis",)), "OTHER_FINDING")],
    }
    tpls = [
        "[[Benign-appearing|Benign|Scattered benign]] {calcs} [[are present|are noted|are seen]] {bilaterally}.",
        "{Scattered} benign {calcs} {bilaterally}.",
        "{Vascular} {calcs} [[are noted|are present|are seen]][[ {bilaterally}| in the {lat} breast]].",
        "{Bmorph} {calcs} [[are noted|are present]] in the {lat} breast[[, unchanged| consistent with benign "
        "etiology| typically benign]].",
        "[[{Coarse}|Large]] {popcorn} {calcs} [[consistent with|compatible with|representing]] [[a degenerating|an "
        "involuting|a calcified]] {fa} in the {lat} breast.",
        "{Coarse} {popcorn} {calcs} in the {lat} {quad}.",
        "{Round} and {punctate} {calcs} are {scattered} throughout {both} breasts.",
        "{Moc} {calcs} layering on the 90-degree lateral view[[, benign]].",
        "{Bmorph} {calcs} at the lumpectomy site.",
        "Benign {imln} in the {lat} {quad}.",
        "A [[benign-appearing |]]{imln} is [[again ]]seen in the {lat} breast[[ at {clock}]].",
        "Benign-appearing {axnodes} [[are seen|are noted|are present]] [[{bilaterally}|in the {lat} {axilla}]].",
        "{Axnodes} with fatty hila [[are seen |]]in the {lat} {axilla}.",
        "[[Normal-appearing|Benign-appearing|Normal]] {axnodes} with [[preserved |]]fatty hila are [[seen|noted]] in "
        "the {lat} {axilla}.",
        "A benign {imln} with a fatty hilum is [[seen|noted]] in the {lat} {quad}[[ near the {axilla}]].",
        "A {imln} is seen [[near|adjacent to]] the {lat} {axilla}[[, unchanged]].",
        "{Post} in the {lat} breast[[, stable| unchanged| without suspicious findings]].",
        "[[Stable |Expected |]]{post} [[in|of]] the {lat} breast[[ at {clock}| in the {quad}]].",
        "{Bilat} {reduction}[[, stable| unchanged]].",
        "{Posttrauma} in the {lat} breast [[related to|following]] [[a prior motor vehicle accident|prior trauma|a "
        "seat belt injury]].",
        "[[Stable |]]{pss} in the {lat} breast[[ at {clock}| in the {quad}]].",
        "{Sclips} [[are present|are noted|are seen]] in the {lat} breast[[ from prior lumpectomy| at the lumpectomy "
        "site| in the {quad}]].",
        "[[Stable |Unchanged |]]{ccysts} in the {lat} breast[[ at {clock}| in the {quad}]].",
        "[[A stable|An unchanged|A]] {benmass} is [[noted|seen|present]] in the {lat} {quad}[[, benign]].",
        "Stable {lat} breast {benmass}[[ at {clock}]].",
        "A {sdd} is [[seen|noted]] in the {lat} {areolar} region[[, unchanged]].",
        # descriptor words that describe something else are not entities (v1.3)
        "[[Dense|Prominent|Dense but normal-appearing]] {axnodes} are [[seen|noted]] in the {lat} {axilla}[[, "
        "unchanged]].",
        "[[There is|Mild]] diffuse {skinthick}[[ and {trab}]] of the {lat} breast[[, compatible with prior "
        "radiation]].",
        "Scattered {cysts} are again [[seen|noted]] {bilaterally}[[, the largest measuring {bigsize}]].",
        "[[Several|Multiple|Three]] {cysts} [[measuring|ranging from]] {rangesize} are seen in the {lat} breast.",
        "A {nodeshape} {imln} with a fatty hilum is [[seen|noted]] in the {lat} {quad}[[, measuring {bigsize}]].",
        "{Nodeshape} {axnodes} with fatty hila are [[seen|present]] in the {lat} {axilla}.",
        "{Secretory} {calcs} [[are noted|are present|are seen]] {bilaterally}[[, consistent with secretory disease]].",
        "{Rodlike} {calcs} [[consistent with|compatible with|typical of]] secretory disease [[in the {lat} "
        "breast|{bilaterally}]].",
        "Findings [[are consistent with|compatible with]] secretory disease[[ in {both} breasts]].",
        "Stable {lat} breast {fa} with {coarse} {calcs}.",
        "{Clip} in the {lat} breast [[from prior benign biopsy|at the site of prior benign biopsy|unchanged]].",
        "A {clip} is present in the {lat} {quad}[[ from prior stereotactic biopsy]].",
        "{Rim} {calcs} consistent with an {oilcyst} in the {lat} breast.",
        "{Skinlesion} [[marked with a BB|marked by a skin marker]] in the {lat} breast.",
        "{Bmorph} {calcs} {bilaterally}.",
        "Stable {scattered} {bmorph} {calcs} {bilaterally}.",
        "There are {scattered} {bmorph} {calcs} in {both} breasts.",
        "{Lat} breast: benign {calcs}. No suspicious findings.",
        "No interval change in the known benign {calcs}.",
        "Unchanged {lat} breast {cyst}.",
        "Stable {lat} breast {fn} at the surgical site.",
        "Benign {bmorph} {calcs} in the {lat} breast, stable since " + str(g.rng.randint(2012, 2023)) + ".",
    ]
    slots.update(
        {
            "rim": lambda: [ent("rim", "CALC_MORPHOLOGY")],
            "post": lambda: [ent(g.pick(POST_CHANGES), "OTHER_FINDING")],
            "reduction": lambda: [ent("post-reduction changes", "OTHER_FINDING")],
            "posttrauma": lambda: [
                ent(g.pick(("post-traumatic changes", "post-traumatic changes", "fat necrosis")), "OTHER_FINDING")
            ],
            "pss": lambda: [
                ent(
                    g.pick(("post-surgical scar", "post-surgical scar", "postsurgical scar", "surgical scar")),
                    "OTHER_FINDING",
                )
            ],
            "sclips": lambda: [ent("surgical clips", "OTHER_FINDING")],
            "ccysts": lambda: [
                ent(g.pick(("complicated cysts", "microcysts", "complicated cyst", "cysts")), "OTHER_FINDING")
            ],
            "benmass": lambda: [
                ent(
                    g.pick(("lipoma", "galactocele", "seroma", "hematoma", "fat necrosis", "oil cyst")), "OTHER_FINDING"
                )
            ],
            "dd": lambda: [ent("dilated duct", "OTHER_FINDING")],
            "sdd": lambda: [ent("solitary dilated duct", "OTHER_FINDING")],
            "trab": lambda: [ent("trabecular thickening", "ASSOCIATED_FEATURE")],
            "nodeshape": g.term("SHAPE", "oval", "oval", "round", "lobulated"),
            "bigsize": lambda: g.size([g.rng.randint(6, 25)]),
            "rangesize": lambda: [ent(g.size_range_text(g.rng.randint(2, 6), g.rng.randint(8, 20)), "SIZE")],
            "areolar": lambda: [ent(g.pick(("subareolar", "retroareolar", "periareolar")), "LOCATION")],
            "secretory": lambda: [ent("secretory", "CALC_MORPHOLOGY")],
            "rodlike": lambda: [ent(g.pick(("rod-like", "rod-like", "large rod-like")), "CALC_MORPHOLOGY")],
            "imln": lambda: [
                ent(g.pick(("intramammary lymph node", "intramammary node", "lymph node")), "OTHER_FINDING")
            ],
        }
    )
    return g.fill(g.pick(tpls), slots)
