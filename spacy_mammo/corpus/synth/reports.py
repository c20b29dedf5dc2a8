"""Report types written as prose: screening, diagnostic, post-treatment, implants, male, British."""

from typing import List, Tuple

from .assessment import assessment_line
from .findings import Generator
from .history import history
from .sections import Report, comparison, exam_title, header, recommendation, technique
from .statements import (
    benign_sentences,
    composition,
    density_checklist,
    density_notice,
    negative_sentences,
)
from .template import Piece, ent, txt
from .ultrasound import node_sentences, us_other, us_sentences
from .vocabulary import BIRADS_VERBAL


def report_screening(g: Generator) -> Tuple[Report, str]:
    cat = g.pick(("1", "1", "1", "2", "2", "0", "0"))
    r = Report(g)
    letter = g.pick("abbccd")
    findings = []
    if cat == "0":
        findings = [
            g.new_finding(g.pick(("mass", "calc", "asym", "asym", "distortion")), "0")
            for _ in range(g.rng.choice((1, 1, 1, 2)))
        ]
    if g.p(0.7):
        r.add(header(g, exam_title(g, "bilateral", "screening")))
    if g.p(0.7):
        r.section("history", history(g, "screening", findings, "bilateral"))
    if g.p(0.6):
        r.section("comparison", comparison(g))
    if g.p(0.5):
        r.section("technique", technique(g, "bilateral", "screening"))
    body = [composition(g, letter) if g.p(0.85) else density_checklist(g, letter)]
    if g.p(0.25):
        # house style with one paragraph per breast
        r.section("findings", body)
        both_paragraph = not findings and g.p(0.35)
        if both_paragraph:
            # one paragraph for both breasts: "Both breasts: No suspicious ..."
            upper = g.p(0.5)
            r.text(g.pick(("\n", "\n\n")))
            r.add(
                [
                    ent("BOTH" if upper else "Both", "LATERALITY"),
                    txt((" BREASTS:" if upper else " breasts:") + g.pick((" ", "\n"))),
                ]
            )
            r.body(([benign_sentences(g)] if cat == "2" else []) + negative_sentences(g) + negative_sentences(g))
        for side in () if both_paragraph else ("right", "left"):
            block: List[List[Piece]] = [g.describe(f) for f in findings if f.side == side]
            block += [benign_sentences(g)] if cat == "2" and g.p(0.5) else []
            block += negative_sentences(g) if g.p(0.8) or not block else []
            head = g.lat(side)
            r.text(g.pick(("\n", "\n\n")))
            upper = g.p(0.6)
            r.add(
                [
                    (head[0][0].upper() if upper else head[0][0].capitalize(), head[0][1], False),
                    txt(g.pick((" BREAST:" if upper else " breast:", ":")) + g.pick((" ", "\n"))),
                ]
            )
            r.body(block)
    else:
        for f in findings:
            body.append(g.describe(f))
            if g.p(0.3):
                body.append(
                    g.fill(
                        g.pick(
                            (
                                "Further evaluation with diagnostic mammography is recommended.",
                                "This warrants additional evaluation.",
                                "This requires further evaluation.",
                            )
                        )
                    )
                )
        if cat == "2" or g.p(0.15):
            for _ in range(g.rng.choice((1, 1, 2))):
                body.append(benign_sentences(g))
        body += negative_sentences(g)
        if g.p(0.4):
            body += negative_sentences(g)
        r.section("findings", body, bullets=g.p(0.15))
    imp: List[List[Piece]] = []
    if cat == "0":
        for f in findings:
            imp.append(
                g.fill(
                    g.pick(
                        (
                            "{Finding} {where} requires further evaluation.",
                            "Possible {finding} in the {lat} breast. Recommend diagnostic evaluation.",
                            "{Finding} {where}. Additional imaging recommended.",
                        )
                    ),
                    g.finding_slots(f),
                )
            )
    else:
        imp.append(
            g.fill(
                g.pick(
                    (
                        "Negative [[{bilat} ]]screening mammogram." if cat == "1" else "Benign findings.",
                        "No mammographic evidence of malignancy.",
                        "No suspicious findings." if cat == "1" else "Benign mammographic findings.",
                        "",
                    )
                )
            )
        )
    imp.append(assessment_line(g, cat))
    r.section("impression", [p for p in imp if p], bullets=g.p(0.2))
    if g.p(0.6):
        r.section("recommendation", recommendation(g, cat, findings[0] if findings else None))
    if letter in "cd" and g.p(0.35):
        r.text("\n\n")
        r.body(density_notice(g, letter))
    return r, cat


def report_diagnostic(g: Generator, kind: str) -> Tuple[Report, str]:
    cat = {
        "palpable": g.pick(("1", "2", "3", "4A", "4B", "4C", "5", "4")),
        "callback": g.pick(("1", "2", "3", "4A", "4B", "4C", "4", "5")),
        "followup": g.pick(("2", "3", "3", "2")),
        "known": "6",
        "postbiopsy": g.pick(("6", "2", "4", "3")),
    }[kind]
    side = g.pick(("right", "left"))
    r = Report(g)
    long = g.p(0.25)
    n_find = 0 if cat == "1" else g.rng.randint(2, 4) if long else g.rng.choice((1, 1, 1, 2, 2, 3))
    kinds = {
        "palpable": ("mass", "mass", "other", "asym"),
        "callback": ("mass", "calc", "asym", "distortion", "calc"),
        "followup": ("mass", "calc", "asym", "other"),
        "known": ("mass", "mass", "calc", "distortion"),
        "postbiopsy": ("calc", "mass", "other"),
    }[kind]
    findings = [
        g.new_finding(g.pick(kinds), cat if i == 0 else g.pick(("2", "3", cat)), side if i == 0 or g.p(0.6) else None)
        for i in range(max(n_find, 1))
    ]
    if cat == "1":
        findings = findings[:1]
    with_us = kind in ("palpable", "callback", "known") and g.p(0.6)
    if g.p(0.75):
        r.add(header(g, exam_title(g, side, "us" if with_us else "diagnostic")))
    r.section("history", history(g, kind, findings, side))
    if g.p(0.7):
        r.section("comparison", comparison(g))
    if g.p(0.6):
        r.section("technique", technique(g, side if g.p(0.8) else "bilateral", "diagnostic"))
    letter = g.pick("abbccd")
    body: List[List[Piece]] = []
    if g.p(0.75):
        body.append(composition(g, letter))
    if cat == "1":
        body += [
            g.fill(
                g.pick(
                    (
                        "No [[mammographic ]]abnormality is seen at the site of the palpable {lump} in the {lat} "
                        "breast.",
                        "Spot compression views of the {lat} breast show normal fibroglandular tissue[[ without a "
                        "{mass!}]].",
                        "The [[previously questioned |]]{fasym} in the {lat} breast [[resolves|disperses]] on spot "
                        "compression views, consistent with overlapping tissue.",
                        "The previously seen {fasym!} [[is no longer visualized|has resolved|is not seen]] on the "
                        "additional views.",
                    )
                ),
                g.finding_slots(findings[0]),
            )
        ]
    elif kind == "postbiopsy":
        body.append(
            g.fill(
                g.pick(
                    (
                        "A {clip} is present at the biopsy site {where}[[, in satisfactory position]].",
                        "Post-biopsy mammogram demonstrates the {clip} {where}[[, within 5 mm of the targeted site]].",
                        "The {clip} is located 6 mm lateral to the biopsy cavity in the {lat} breast.",
                        "{Clip} in good position {where}. [[Small post-biopsy {hema}."
                        "|Residual {fcalc} surround the {clip}.|No residual {fcalc!} are seen.]]",
                    )
                ),
                dict(
                    g.finding_slots(findings[0]),
                    hema=lambda: [ent(g.pick(("hematoma", "haematoma" if g.british else "hematoma")), "OTHER_FINDING")],
                ),
            )
        )
    else:
        for f in findings:
            body.append(g.describe(f))
            while g.p(0.5 if long else 0.2):
                body.append(g.more(f))
    if kind == "lumpectomy" or g.p(0.1):
        body.append(
            g.fill(
                "{Psc} [[are present|are again noted|are seen]] in the {lat} breast[[ at {clock}| in the {quad}]][[ "
                "consistent with prior lumpectomy]].",
                g.finding_slots(findings[0]),
            )
        )
    for _ in range(2 if long else 1):
        if g.p(0.3):
            body.append(benign_sentences(g))
        if g.p(0.7):
            body += negative_sentences(g)
    r.section("findings", body, bullets=g.p(0.15))
    if with_us:
        us_body: List[List[Piece]] = []
        for f in findings[: len(findings) if long else g.rng.choice((1, 2))]:
            if f.kind == "mass":
                us_body += us_sentences(g, f)
            else:
                us_body += us_other(g, f)
        if g.p(0.25):
            us_body += node_sentences(g, findings[0])
        r.section("us", us_body)
    imp: List[List[Piece]] = []
    verdicts = {
        "2": ("consistent with a benign process", "benign", "unchanged and benign"),
        "3": ("probably benign", "likely benign", "stable and probably benign"),
        "6": ("consistent with the known malignancy", "compatible with biopsy-proven carcinoma", "known cancer"),
        "0": ("indeterminate", "requires further evaluation"),
    }
    for f in findings if cat != "1" else []:
        s = g.finding_slots(f)
        options = verdicts.get(
            f.birads, ("suspicious for malignancy", "highly suggestive of malignancy", "indeterminate", "suspicious")
        )
        s["verdict"] = [txt(g.pick(options))]
        template = g.pick(
            (
                "{Lat} breast {finding} at {clock}[[, {fdist}]], {verdict}.",
                "{Finding} {where}, {verdict}.",
                "{Finding} in the {lat} {quad}, {verdict}.",
                "{Size} {finding} {where}.",
                "{Lat} {clock} {finding}: {fbirads}.",
            )
        )
        line = g.fill(template, s)
        if "{fbirads}" not in template and g.p(0.5):
            line += [txt(" ")] + g.birads(f.birads)
            if g.p(0.4):
                line.append(txt(": " + g.pick(BIRADS_VERBAL[f.birads]) + "."))
            else:
                line.append(txt("."))
        imp.append(line)
    if cat == "1":
        imp.append(
            g.fill(
                g.pick(
                    (
                        "No mammographic [[or sonographic ]]abnormality to account for the palpable finding.",
                        "Negative diagnostic mammogram.",
                        "No evidence of malignancy.",
                    )
                )
            )
        )
    sides = None
    if g.p(0.3):
        other = "left" if side == "right" else "right"
        sides = {side: cat, other: g.pick(("1", "2"))}
    imp.append(assessment_line(g, cat, sides))
    if g.p(0.1):
        # some radiologists dictate the impression in capitals
        imp = [
            [(text.upper() if len(text.upper()) == len(text) else text, label, neg) for text, label, neg in line]
            for line in imp
        ]
    r.section("impression", imp, bullets=g.p(0.35))
    if g.p(0.4):
        r.section("assessment", [g.birads(cat) + [txt(g.pick((".", "", " - " + g.pick(BIRADS_VERBAL[cat]))))]])
    if g.p(0.7):
        rec = recommendation(g, cat, findings[0])
        if len(findings) > 1 and cat[0] in "45" and g.p(0.4):
            # "both" here names the findings, not the breasts
            rec.insert(
                0,
                g.fill(
                    g.pick(
                        (
                            "[[Ultrasound-guided|Stereotactic]] biopsy of both is recommended.",
                            "Tissue sampling of both is recommended.",
                            "Biopsy of both [[sites |findings |]]is recommended.",
                        )
                    )
                ),
            )
        r.section("recommendation", rec)
    if letter in "cd" and g.p(0.5 if long else 0.15):
        r.text("\n\n")
        r.body(density_notice(g, letter))
    return r, cat


def report_lumpectomy(g: Generator) -> Tuple[Report, str]:
    cat = g.pick(("2", "2", "3", "1", "4A"))
    side = g.pick(("right", "left"))
    r = Report(g)
    f = g.new_finding("other", cat, side)
    s = g.finding_slots(f)
    s["dystrophic"] = lambda: [ent(g.pick(("dystrophic", "coarse", "dystrophic")), "CALC_MORPHOLOGY")]
    s["oilcyst"] = lambda: [ent(g.pick(("oil cyst", "oil cysts")), "OTHER_FINDING")]
    s["fatnec"] = lambda: [
        ent(
            g.pick(("fat necrosis", "seroma", "scar", "surgical scar", "post-surgical scar", "hematoma")),
            "OTHER_FINDING",
        )
    ]
    s["sclips"] = lambda: [ent("surgical clips", "OTHER_FINDING")]
    s["seroma"] = lambda: [ent(g.pick(("seroma", "seroma", "hematoma")), "OTHER_FINDING")]
    s["postlump"] = lambda: [
        ent(
            g.pick(
                (
                    "post-lumpectomy changes",
                    "post-lumpectomy changes",
                    "post-excisional changes",
                    "post lumpectomy changes",
                )
            ),
            "OTHER_FINDING",
        )
    ]
    s["postrad"] = lambda: [
        ent(
            g.pick(
                ("post-radiation changes", "post-radiation changes", "post-radiation change", "postradiation changes")
            ),
            "OTHER_FINDING",
        )
    ]
    s["pss"] = lambda: [ent(g.pick(("post-surgical scar", "postsurgical scar")), "OTHER_FINDING")]
    if g.p(0.7):
        r.add(header(g, exam_title(g, "bilateral", g.pick(("screening", "diagnostic")))))
    r.section("history", history(g, "lumpectomy", [f], side))
    if g.p(0.5):
        r.section("comparison", comparison(g))
    body = [composition(g, g.pick("abbccd"))]
    body.append(
        g.fill(
            g.pick(
                (
                    "{Psc} [[are present|are again noted|are seen]] in the {lat} breast[[ at {clock}| in the "
                    "{quad}]][[ with {skinthick} and {trab}]].",
                    "{Psc} in the {lat} {quad} are stable[[ with {dystrophic} {calcs}]].",
                    "Stable {psc} {where}[[, including {dystrophic} {calcs}]].",
                    "Lumpectomy site {where} with {psc}[[ and {clip}]].",
                    "Expected {psc} {where}, with {fatnec}[[ and {sclips}]].",
                    "The lumpectomy bed {where} shows {psc} and {dystrophic} {calcs}.",
                    "{Postlump} [[are seen|are again noted|are present]] in the {lat} breast[[ at {clock}| in the "
                    "{quad}]][[ with {sclips}]].",
                    "{Postrad} [[of|in]] the {lat} breast[[ with {skinthick}| with {trab}]][[, stable| decreasing "
                    "since the prior study]].",
                    "Stable {postrad} and {postlump} in the {lat} breast[[ with {clips} at the lumpectomy bed]].",
                    "{Pss} in the {lat} {quad}[[ with {sclips}]][[, stable]].",
                )
            ),
            dict(
                s,
                trab=lambda: [ent("trabecular thickening", "ASSOCIATED_FEATURE")],
                clips=lambda: [ent("clips", "OTHER_FINDING")],
            ),
        )
    )
    if g.p(0.5):
        body.append(
            g.fill(
                g.pick(
                    (
                        "{Dystrophic} {calcs} at the lumpectomy site are unchanged.",
                        "{Oilcyst} at the surgical site[[, stable]].",
                        "[[Mild |Residual |]]{skinthick} of the {lat} breast[[ related to radiation therapy| is "
                        "decreasing]].",
                        "{Clip} at the lumpectomy bed.",
                        "{Sclips} at the lumpectomy bed[[ are unchanged]].",
                        "A {seroma} at the lumpectomy site [[is decreasing in size|is stable|is smaller]].",
                        "No {mass!} or suspicious {calcs!} at the lumpectomy site.",
                        "Benign post-radiation {skinthick} is again seen.",
                    )
                ),
                s,
            )
        )
    if cat == "4A":
        f2 = g.new_finding(g.pick(("mass", "calc")), "4A", side)
        body.append(g.describe(f2))
    body += negative_sentences(g)
    r.section("findings", body)
    r.section(
        "impression",
        [
            g.fill(
                g.pick(
                    (
                        "Stable {psc} in the {lat} breast.",
                        "No evidence of recurrent malignancy.",
                        "{Postlump} {lat} breast, stable.",
                        "{Postrad} {lat} breast.",
                        "Stable {postlump} and {postrad} in the {lat} breast.",
                    )
                ),
                s,
            ),
            assessment_line(g, cat),
        ],
    )
    if g.p(0.5):
        r.section("recommendation", recommendation(g, cat, None))
    return r, cat


def report_implants(g: Generator) -> Tuple[Report, str]:
    cat = g.pick(("1", "2", "2", "0"))
    r = Report(g)
    s = {
        "placement": [txt(g.pick(("subpectoral", "retroglandular", "subglandular", "retropectoral")))],
    }
    if g.p(0.6):
        r.add(header(g, exam_title(g, "bilateral", "screening")))
    r.section("history", history(g, "implants", [], "bilateral"))
    if g.p(0.5):
        r.section("technique", [g.fill("Standard and implant-displaced views [[of {both} breasts ]]were obtained.")])
    body = [composition(g, g.pick("abbc"))]
    body.append(
        g.fill(
            g.pick(
                (
                    "{Bilat} {placement} {implants} are present.",
                    "There are {bilat} {placement} {implants_pl}.",
                    "{Implants} are in {placement} position {bilaterally}[[ and appear intact]].",
                    "{Bilat} {implants}, {placement}[[, with normal contour]].",
                    "{Bilat} {placement} {implants}. No evidence of {rupture!}.",
                    "The {right} {implant} is [[intact|unremarkable]]. The {left} {implant} is "
                    "[[intact|unremarkable]].",
                )
            ),
            dict(
                s,
                implant=lambda: [ent(g.pick(("implant", "silicone implant", "saline implant")), "OTHER_FINDING")],
                implants_pl=lambda: [
                    ent(g.pick(("implants", "silicone implants", "saline implants")), "OTHER_FINDING")
                ],
            ),
        )
    )
    if cat == "0":
        body.append(g.describe(g.new_finding(g.pick(("mass", "asym", "calc")), "0")))
    elif g.p(0.6):
        body.append(
            g.fill(
                g.pick(
                    (
                        "No evidence of {rupture!}.",
                        "There is no mammographic evidence of {rupture!}.",
                        "No {rupture!} is seen.",
                        "Possible {rupture} cannot be excluded; MRI may be considered.",
                    )
                )
            )
        )
    implant = lambda: [ent(g.pick(("implant", "implant", "silicone implant")), "OTHER_FINDING")]
    if g.p(0.5):
        body.append(
            g.fill(
                g.pick(
                    (
                        "Mammography is limited in the evaluation of {implant} integrity[[; MRI is the preferred "
                        "modality]].",
                        "{Implant} integrity [[is not fully assessed|cannot be fully evaluated]] by mammography.",
                        "{Implant} integrity [[appears maintained|is grossly maintained]] {bilaterally}.",
                        "Dense peripheral capsular {calcs} [[surround|are seen along]] the {lat} {implant}[[, "
                        "unchanged]].",
                        "There are dense peripheral capsular {calcs} around the {lat} {implant}.",
                    )
                ),
                {"implant": implant, "lat": lambda: g.lat(g.pick(("right", "left")))},
            )
        )
    body += negative_sentences(g)
    r.section("findings", body)
    r.section(
        "impression",
        [
            g.fill(
                g.pick(
                    (
                        "{Bilat} {implants}[[ without evidence of {rupture!}]].",
                        "Benign findings.",
                        "No mammographic evidence of malignancy.",
                    )
                ),
                s,
            ),
            assessment_line(g, cat),
        ],
    )
    return r, cat


def report_male(g: Generator) -> Tuple[Report, str]:
    cat = g.pick(("2", "2", "1", "4"))
    side = g.pick(("right", "left", "bilateral"))
    r = Report(g)
    lat = (lambda: [ent(g.lat_text("bilateral"), "LATERALITY")]) if side == "bilateral" else (lambda: g.lat(side))
    s = {
        "lat": lat,
        "gyn": lambda: [
            ent(
                g.pick(("gynecomastia", "gynecomastia", "gynaecomastia" if g.british else "gynecomastia")),
                "OTHER_FINDING",
            )
        ],
        "region": lambda: [ent(g.pick(("subareolar", "retroareolar")), "LOCATION")],
    }
    if g.p(0.6):
        r.add(header(g, exam_title(g, side, "diagnostic")))
    f = g.new_finding("mass", "4", side if side != "bilateral" else "left")
    r.section("history", history(g, "male", [f], side if side != "bilateral" else "left"))
    body = [
        g.fill(
            g.pick(
                (
                    "There is [[flame-shaped |nodular |dendritic |]]{region} fibroglandular tissue in the {lat} "
                    "breast consistent with {gyn}.",
                    "{Lat} {region} density consistent with {gyn}.",
                    "{Gyn} {lat}[[, nodular pattern]].",
                    "{Region} {gyn} [[is seen |]]in the {lat} breast.",
                )
            ),
            s,
        )
    ]
    if cat == "4":
        body.append(g.describe(f))
    else:
        body.append(
            g.fill(
                g.pick(("No discrete {mass!} is seen.", "No suspicious {masses!} or {calcs!}.", "There is no {mass!}."))
            )
        )
    r.section("findings", body)
    r.section(
        "impression",
        [
            g.fill("{Lat} {gyn}.", s) if cat != "4" else g.fill("{Lat} breast {finding}.", g.finding_slots(f)),
            assessment_line(g, cat),
        ],
    )
    return r, cat


def report_british(g: Generator) -> Tuple[Report, str]:
    g.british = True
    cat = g.pick(("1", "2", "3", "4", "5", "0"))
    r = Report(g)
    r.heading_style = "title"
    side = g.pick(("right", "left"))
    findings = [] if cat in ("1", "2") else [g.new_finding(g.pick(("mass", "mass", "calc", "distortion")), cat, side)]
    if g.p(0.6):
        r.add(header(g, exam_title(g, "bilateral", "diagnostic")))
    r.section("history", history(g, "palpable" if findings else "screening", findings, side))
    body = [
        g.fill(
            g.pick(
                (
                    "{Bilat} mammograms. The breasts show {comp}.",
                    "The breast parenchyma is {comp}.",
                    "{Comp} breasts.",
                )
            ),
            {
                "comp": lambda: [ent(g.comp_text(g.pick("abcd")), "COMPOSITION")],
                "bilat": lambda: [ent("Bilateral", "LATERALITY")],
            },
        )
    ]
    for f in findings:
        body.append(g.describe(f))
    body.append(
        g.fill(
            g.pick(
                (
                    "No other suspicious {masses!}, {distortion!} or {calcs!} in {either} breast.",
                    "The {left} breast is unremarkable.",
                    "No features of malignancy in the contralateral breast.",
                    "Nil else of note.",
                    "The {axillae} are clear.",
                    "No {adenopathy!}.",
                )
            )
        )
    )
    r.section("findings", body)
    imp = []
    if findings:
        imp.append(
            g.fill(
                g.pick(
                    (
                        "{Lat} {finding}, favour malignancy.",
                        "{Size} {finding} {where}, suspicious.",
                        "Indeterminate {finding} in the {lat} breast centre.",
                    )
                ).replace("{lat} breast centre", "{lat} breast"),
                g.finding_slots(findings[0]),
            )
        )
    else:
        imp.append(
            g.fill(g.pick(("Normal mammograms.", "Benign appearances.", "No mammographic features of malignancy.")))
        )
    imp.append(assessment_line(g, cat))
    r.section("impression", imp)
    return r, cat
