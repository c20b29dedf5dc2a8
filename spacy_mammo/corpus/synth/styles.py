"""House styles: terse dictations, structured templates and findings tables."""

from typing import List, Tuple

from .assessment import assessment_line, pick_cat
from .findings import Finding, Generator
from .sections import Report, exam_title, header
from .statements import composition, density_checklist
from .template import Piece, ent, tidy, txt
from .vocabulary import QUAD_FORMS


def report_terse(g: Generator) -> Tuple[Report, str]:
    """Short dictations and abbreviation-heavy notes."""
    g.abbrev = g.p(0.7)
    cat = pick_cat(g)
    f = g.new_finding(g.pick(("mass", "calc", "asym", "distortion", "other")), cat)
    s = g.finding_slots(f)
    s.update(
        {
            "comp": lambda: [ent(g.comp_text(g.pick("abcd")), "COMPOSITION")],
            "cletter": lambda: [ent(g.comp_letter(g.pick("abcd")), "COMPOSITION")],
            "fgt": lambda: [
                ent(g.pick(("Scattered FGT", "scattered FGT", "Scattered fibroglandular tissue")), "COMPOSITION")
            ],
            "bir": lambda: g.birads(cat),
            "abbr_calcs": lambda: [ent("calcs", "CALCIFICATION")],
            "ad": lambda: [ent("AD", "DISTORTION")],
            "bl": lambda: [ent(g.pick(("Bilat", "Bilateral", "BILAT")), "LATERALITY")],
        }
    )
    negative = [
        "{Bl} screening. {Fgt}. No suspicious {mass!}, {abbr_calcs!} or {ad!}. {Bir}.",
        "{Bl} mammo. {Comp}. Neg. {Bir}",
        "Screening: {cletter}. No findings. {Bir}.",
        "{Bl} screening, {comp}. Benign {abbr_calcs}. {Bir}. RTC 1 yr.",
        "Findings: {Comp}. No suspicious {mass!}, {abbr_calcs!} or {ad!}. {Bir}.",
        "{Comp}. No {mass!}, {abbr_calcs!}, {ad!}. {Bir}.",
        "Screening mammo {bl}: {cletter}, neg. {Bir}",
    ]
    positive = [
        "{Lat} breast {finding} {clock} {fdist}, {size}. {Bir}.",
        "Findings: {lat} {clock} {fdist} {size} {finding}. Impression: {bir}.",
        "{Lat} {clock} {fdist}: {finding}, {size}. US correlate. {Bir}. Bx.",
        "Dx mammo {lat}. {Finding} {where}. {Bir}.",
        "Mammo: {comp}. {Finding} {lat} {quad}. Assessment {bir}.",
        "{Lat}: {finding} at {clock}, {size}. {Bir}.\nRec: bx.",
        "IMPRESSION: {Lat} {finding}, {bir}.",
        "Stable {finding} {lat}. {Bir}. Annual f/u.",
        "{Lat} {quad}: {finding} {size}. {Bir}.",
        "{Finding} {lat}, {size}, {clock}. {Bir}",
    ]
    tpls = negative if cat == "1" else positive if cat not in ("2",) else negative + positive
    r = Report(g)
    if g.p(0.3):
        r.add(header(g, []))
        r.text("\n")
    r.add(g.fill(g.pick(tpls), s))
    if g.p(0.3):
        r.text(g.pick((" ", "\n")))
        r.add(g.fill(g.pick(("No {adenopathy!}.", "Letter to pt.", "Pt informed.", "No {skinthick!}.")), s))
    return r, cat


def report_template(g: Generator) -> Tuple[Report, str]:
    """A structured form with checkboxes and field: value lines."""
    cat = pick_cat(g)
    kind = g.pick(("mass", "calc", "asym", "distortion"))
    f = g.new_finding(kind, cat)
    letter = g.pick("abcd")
    yes, no = g.pick(
        (
            ("[x] yes [ ] no", "[ ] yes [x] no"),
            ("[X] Yes [ ] No", "[ ] Yes [X] No"),
            ("Yes", "No"),
            ("present", "absent"),
            ("yes", "none"),
        )
    )
    r = Report(g)
    if g.p(0.5):
        r.add(header(g, exam_title(g, g.pick(("bilateral", f.side)), g.pick(("screening", "diagnostic")))))
        r.text("\n\n")
    lines: List[List[Piece]] = [
        density_checklist(g, letter)
        if g.p(0.6)
        else g.fill("Breast composition: {cletter}", {"cletter": lambda: [ent(g.comp_letter(letter), "COMPOSITION")]})
    ]
    fields = (
        ("MASS", ("Mass", "Masses", "Mass")),
        ("CALCIFICATION", ("Calcifications", "Microcalcifications", "Calcifications")),
        ("ASYMMETRY", ("Asymmetry", "Focal asymmetry", "Asymmetry")),
        ("DISTORTION", ("Architectural distortion", "Distortion", "Architectural distortion")),
    )
    present = (
        {"mass": "MASS", "calc": "CALCIFICATION", "asym": "ASYMMETRY", "distortion": "DISTORTION"}[kind]
        if cat not in ("1",)
        else ""
    )
    for label, names in fields:
        name = g.pick(names)
        val = yes if label == present else no
        lines.append([ent(name, label, negated=label != present), txt(": " + val)])
    if g.p(0.5):
        for name, label in (
            (g.pick(("Skin thickening", "Skin retraction")), "ASSOCIATED_FEATURE"),
            (g.pick(("Axillary adenopathy", "Axillary lymphadenopathy")), "ASSOCIATED_FEATURE"),
        ):
            lines.append([ent(name, label, negated=True), txt(": " + no)])
    if present:
        side_piece = [txt("Side: "), ent(g.pick((f.side, f.side.capitalize(), f.side[0].upper())), "LATERALITY")]
        lines.append(side_piece)
        lines.append(
            [txt(g.pick(("Location: clock ", "Clock: ", "Clock position: "))), ent(str(f.hour), "LOCATION")]
            + ([txt(", quadrant: "), ent(QUAD_FORMS[f.quad][3], "LOCATION")] if g.p(0.4) else [])
        )
        lines.append([txt("Depth: "), ent(g.pick(("anterior", "middle", "posterior", "mid")), "LOCATION")])
        if g.p(0.4):
            # the unit sits in the field name: the bare number is the DISTANCE
            lines.append(
                [
                    txt(
                        g.pick(
                            (
                                "Distance from nipple (cm): ",
                                "FN (cm): ",
                                "Distance from nipple (cm): ",
                                "Dist. FN (cm): ",
                            )
                        )
                    ),
                    ent(f"{f.dist_cm:g}", "DISTANCE"),
                ]
            )
        else:
            lines.append(
                [
                    txt(g.pick(("Distance from nipple: ", "FN: ", "Dist. from nipple: "))),
                    ent(f"{f.dist_cm:g} cm", "DISTANCE"),
                ]
            )
        lines.append([txt(g.pick(("Size: ", "Size: ", "Max. diameter: "))), ent(g.size_text(f.dims)[0], "SIZE")])
        if kind == "mass":
            lines.append([txt("Shape: "), ent(f.shape, "SHAPE")])
            lines.append([txt(g.pick(("Margin: ", "Margins: "))), ent(f.margin, "MARGIN")])
            if g.p(0.6):
                bare = {
                    "high density": "high",
                    "hyperdense": "high",
                    "equal density": "equal",
                    "low density": "low",
                }.get(f.density, f.density)
                lines.append([txt("Density: "), ent(g.pick((f.density, bare, bare)), "MASS_DENSITY")])
        if kind == "calc":
            lines.append([txt("Morphology: "), ent(f.morph[0], "CALC_MORPHOLOGY")])
            lines.append([txt("Distribution: "), ent(f.distribution, "CALC_DISTRIBUTION")])
    lines.append(
        [
            txt(g.pick(("BI-RADS: ", "Assessment: ", "Final assessment: "))),
            ent(g.pick((cat, f"Category {cat}", cat)), "BIRADS"),
        ]
        if g.p(0.5)
        else [txt(g.pick(("", "Assessment: "))), ent(g.birads_text(cat), "BIRADS")]
    )
    lines[-1] = tidy(lines[-1])
    if lines[-1][0][1] == "BIRADS" and lines[-1][0][0].isdigit():
        lines[-1] = [txt("Assessment: ")] + lines[-1]
    for i, line in enumerate(lines):
        if i:
            r.text("\n")
        r.add(line)
    if g.p(0.5):
        r.text("\n")
        r.add(
            g.fill(
                g.pick(
                    (
                        "Recommendation: annual screening.",
                        "Recommendation: biopsy.",
                        "Comments: none.",
                        "Follow-up: 6 months.",
                    )
                )
            )
        )
    return r, cat


def report_table(g: Generator) -> Tuple[Report, str]:
    """A findings table: bare numbers take the label of their column header."""
    cat = g.pick(("4A", "4B", "4C", "3", "2", "5", "4"))
    n = g.rng.randint(1, 3)
    findings = [
        g.new_finding(g.pick(("mass", "mass", "calc", "asym")), cat if i == 0 else g.pick(("2", "3")), None)
        for i in range(n)
    ]
    r = Report(g)
    if g.p(0.6):
        r.add(header(g, exam_title(g, "bilateral", "us")))
        r.text("\n\n")
    r.text(g.pick(("FINDINGS:\n", "Findings:\n", "Lesion table:\n", "")))
    if g.p(0.5):
        r.add(composition(g, g.pick("abcd")))
        r.text("\n")
    sep = g.pick((" | ", "\t", "  ", " | "))
    size_head = g.pick(("Size (mm)", "Size (mm)", "Size (cm)"))
    headers = {
        "no": "#",
        "side": g.pick(("Side", "Side", "Lat")),
        "clock": g.pick(("Clock", "Location", "Clock")),
        "fn": g.pick(("FN (cm)", "Dist. FN (cm)", "FN (cm)", "Distance from nipple (cm)")),
        "size": size_head,
        "finding": g.pick(("Finding", "Type")),
        "birads": g.pick(("BI-RADS", "BI-RADS", "BIRADS")),
    }
    order = list(
        g.pick(
            (
                ("no", "side", "clock", "fn", "size", "finding", "birads"),
                ("no", "side", "clock", "fn", "size", "finding", "birads"),
                ("finding", "side", "clock", "size", "fn", "birads"),
                ("side", "size", "fn", "birads"),
                ("no", "finding", "size", "fn", "birads", "side"),
                ("side", "clock", "size", "birads"),
            )
        )
    )
    cols = [headers[key] for key in order]
    r.text(sep.join(cols).strip() + "\n")
    if sep == " | ":
        r.text("|".join("---" for _ in cols) + "\n")
    for i, f in enumerate(findings):
        if i:
            r.text("\n")
        size_num = (
            "x".join(str(d) for d in f.dims) if "mm" in size_head else " x ".join(f"{d / 10:.1f}" for d in f.dims)
        )
        noun = {"mass": f.noun or "mass", "calc": f.noun or "calcifications", "asym": f.asym or "asymmetry"}[f.kind]
        label = {"mass": "MASS", "calc": "CALCIFICATION", "asym": "ASYMMETRY"}[f.kind]
        by_key = {
            "no": [txt(str(i + 1))],
            "side": [ent(g.pick((f.side[0].upper(), f.side.capitalize(), f.side)), "LATERALITY")],
            "clock": [ent(g.pick((f"{f.hour}:00", str(f.hour), f"{f.hour} o'clock")), "LOCATION")],
            "fn": [ent(f"{f.dist_cm:g}", "DISTANCE")],
            "size": [ent(size_num, "SIZE")],
            "finding": [ent(noun, label)],
            "birads": [ent(f.birads, "BIRADS")],
        }
        cells = [by_key[key] for key in order]
        for j, cell in enumerate(cells):
            if j:
                r.text(sep)
            r.add(cell)
    r.text("\n\n")
    r.section("impression", [assessment_line(g, cat)])
    return r, cat


def _checklist_item(g: Generator, name: str, label: str, f: Finding, present: bool, sep: str) -> List[Piece]:
    """A structured-list finding header and its fields; all fields none or zero negate the header (v1.3)."""
    head = [ent(name, label, negated=not present), txt(":" + (sep if sep.startswith("\n") else " "))]
    if not present:
        empty = g.pick(("-", "n/a", "none", "N/A"))
        fields = ["Number: 0"] + [f"{field}: {empty}" for field in ("Size", "Location") if g.p(0.5)]
        return head + [txt(sep.join(fields))]
    out = head + [txt(f"Number: {g.pick(('1', '1', '2', '3'))}")]
    extra: List[List[Piece]] = [
        [txt("Location: ")] + g.lat(f.side) + [txt(" breast, "), ent(g.clock_text(f.hour, f.half), "LOCATION")],
        [txt("Size: ")] + g.size(f.dims),
    ]
    if label == "MASS":
        extra += [[txt("Shape: "), ent(f.shape, "SHAPE")], [txt("Margin: "), ent(f.margin, "MARGIN")]]
    if label == "CALCIFICATION":
        extra += [
            [txt("Morphology: "), ent(f.morph[0], "CALC_MORPHOLOGY")],
            [txt("Distribution: "), ent(f.distribution, "CALC_DISTRIBUTION")],
        ]
    for line in extra:
        out += [txt(sep)] + line
    return out


def report_checklist(g: Generator) -> Tuple[Report, str]:
    """A structured checklist: one header per finding type with Number/Size/Location fields."""
    cat = g.pick(("1", "1", "2", "0", "3", "4A", "4B", "5"))
    kind = g.pick(("mass", "calc", "asym", "distortion"))
    f = g.new_finding(kind, cat)
    present = kind if cat not in ("1", "2") else ""
    r = Report(g)
    r.add(
        g.fill(
            g.pick(("BREAST IMAGING CHECKLIST", "Structured report", "MAMMOGRAPHY - STRUCTURED FINDINGS", "Checklist"))
            + "\n[[Laterality: {bilat}\n]]",
        )
    )
    lines: List[List[Piece]] = [
        g.fill(
            "Breast composition: {cletter}", {"cletter": lambda: [ent(g.comp_letter(g.pick("abcd")), "COMPOSITION")]}
        )
    ]
    items = (
        ("mass", g.pick(("Masses", "Mass", "MASSES")), "MASS"),
        ("calc", g.pick(("Calcifications", "Microcalcifications", "CALCIFICATIONS")), "CALCIFICATION"),
        ("distortion", g.pick(("Architectural distortion", "Distortion")), "DISTORTION"),
        ("asym", g.pick(("Asymmetries", "Asymmetry", "Focal asymmetry")), "ASYMMETRY"),
    )
    sep = g.pick(("\n  ", "\n- ", ", ", "; "))
    for key, name, label in items:
        lines.append(_checklist_item(g, name, label, f, key == present, sep))
    lines.append(
        g.fill(
            "{Nodes}: {axillary} [[normal|unremarkable|no abnormal {nodes2!}]][[; {imln}: none]]",
            {
                "nodes": g.term("OTHER_FINDING", "Lymph nodes", "Lymph nodes", "LN"),
                "axillary": g.term("LOCATION", "axillary", "Axillary"),
                "nodes2": g.term("OTHER_FINDING", "nodes", "lymph nodes"),
                "imln": lambda: [ent("Intramammary lymph nodes", "OTHER_FINDING", negated=True)],
            },
        )
    )
    if g.p(0.6):
        lines.append(g.fill("Skin: [[normal|unremarkable|no thickening]]"))
    if g.p(0.6):
        lines.append(
            [ent(g.pick(("Nipple retraction", "Skin retraction")), "ASSOCIATED_FEATURE", True), txt(": absent")]
        )
    if g.p(0.4):
        lines.append([ent("Implants", "OTHER_FINDING", True), txt(": " + g.pick(("none", "no", "absent")))])
    lines.append([txt(g.pick(("Overall assessment: ", "Assessment: ", "Final assessment: ")))] + g.birads(cat))
    for i, line in enumerate(lines):
        r.text("\n" if i or r.pieces else "")
        r.add(line)
    return r, cat
