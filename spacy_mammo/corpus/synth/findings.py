"""Findings: their random attributes, where they are, and the sentences that describe them."""

from dataclasses import dataclass, field
from typing import Dict, List, Optional

from .surface import Writer
from .template import Piece, SlotValue, ent, fill, txt
from .vocabulary import (
    ASYM_TYPES,
    MARGINS_BENIGN,
    MARGINS_SUSP,
    MASS_DENSITIES,
    MORPH_BENIGN,
    MORPH_SUSP,
    NO_SIZE_OTHER,
    OTHER,
    QUAD_FORMS,
    REGION_DEPTHS,
    REGION_WORDS,
    REGIONS,
)


@dataclass
class Finding:
    kind: str  # mass | calc | asym | distortion | other | assoc
    side: str  # right | left
    hour: int
    half: bool
    quad: str
    depth: str
    dist_cm: float
    dims: List[int]
    birads: str
    shape: str = ""
    margin: str = ""
    density: str = ""
    morph: List[str] = field(default_factory=list)
    distribution: str = ""
    asym: str = ""
    other: str = ""
    noun: str = ""
    region: str = ""


def suspicious_morph(f: Finding) -> bool:
    """Whether a calcification finding has a suspicious morphology."""
    return any(m in MORPH_SUSP for m in f.morph)


class Generator(Writer):
    """Adds findings to the surface forms: their attributes, positions and descriptions."""

    def finding_slots(self, f: Finding) -> Dict[str, SlotValue]:
        slots: Dict[str, SlotValue] = {
            "lat": lambda: self.lat(f.side),
            "clock": lambda: [ent(self.clock_text(f.hour, f.half), "LOCATION")],
            "quad": lambda: [ent(self.quad_text(f.quad), "LOCATION")],
            "region": lambda: [ent(f.region, "LOCATION")],
            "depth": lambda: [ent(self.depth_text(f.depth), "LOCATION")],
            "fdist": lambda: [ent(self.dist_text(f.dist_cm), "DISTANCE")],
            "fdistrange": lambda: [ent(self.dist_range_text(f.dist_cm), "DISTANCE")],
            "size": lambda: self.size(f.dims),
            "sizerange": lambda: [ent(self.size_range_text(max(2, min(f.dims) // 3), max(f.dims)), "SIZE")],
            "size2": lambda: self.size([max(3, d - self.rng.randint(0, 2)) for d in f.dims]),
            "where": lambda: self.where(f),
            "fshape": lambda: [ent(f.shape, "SHAPE")],
            "fmargin": lambda: [ent(f.margin, "MARGIN")],
            # before "margins" an irregular outline is a MARGIN, not a SHAPE (v1.3)
            "fmargins": lambda: [ent("irregular" if f.margin in MARGINS_SUSP and self.p(0.35) else f.margin, "MARGIN")],
            "fdens": lambda: [ent(f.density, "MASS_DENSITY")],
            "desc": lambda: self.mass_desc(f),
            "fmass": lambda: [ent(f.noun if f.kind == "mass" and f.noun else "mass", "MASS")],
            "fcalc": lambda: [ent(f.noun if f.kind == "calc" else self.calc_noun(), "CALCIFICATION")],
            "cmorph": lambda: self.morph_list(f),
            "cdist": lambda: [ent(f.distribution, "CALC_DISTRIBUTION")],
            "fasym": lambda: [ent(f.asym, "ASYMMETRY")],
            "fdistortion": lambda: [ent(f.noun or "architectural distortion", "DISTORTION")],
            "fother": lambda: [ent(f.other, "OTHER_FINDING")],
            "finding": lambda: self.finding_np(f),
            "fbirads": lambda: self.birads(f.birads),
            "cluster": lambda: [ent(self.pick(("cluster", "group", "cluster", "group")), "CALC_DISTRIBUTION")],
        }
        return slots

    def where(self, f: Finding) -> List[Piece]:
        templates = [
            "in the {lat} breast at {clock}",
            "in the {lat} breast at {clock}, {fdist}",
            "in the {lat} breast at {clock}[[ position]], {fdist}",
            "at {clock} in the {lat} breast",
            "at the {clock} position of the {lat} breast[[, {fdist}]]",
            "in the {lat} {quad}",
            "in the {quad} of the {lat} breast",
            "in the {lat} {quad}[[,]] at {clock}",
            "in the {lat} breast, {quad}, {depth}",
            "in the {lat} breast at {clock}, {depth}",
            "in the {lat} breast at {clock} {fdist}",
            "in the {depth} of the {lat} {quad}",
            "in the {lat} breast {clock} {fdist}",
            "[[located ]]in the {lat} breast at {clock}, {depth}, {fdist}",
            "in the {quad} of the {lat} breast, {fdist}",
            "{lat} {clock}[[,]] {fdist}",
            "{lat} breast, {clock}",
            "in the {lat} breast, {clock} axis, {fdist}",
            "at {clock} {fdist} in the {lat} breast",
            "in the {lat} {quad} ({clock})",
            "in the {lat} breast at {clock}[[,]] {depth}[[,]] approximately {fdist}",
        ]
        slots = self.finding_slots(f)
        if f.region == "posterior":
            regional = [
                "in the {region} {lat} breast",
                "in the {lat} breast, {region}[[, at {clock}]]",
                "in the {region} aspect of the {lat} breast",
                "in the {region} {lat} breast at {clock}",
                "in the far {region} {lat} breast",
            ]
        elif f.region in REGION_WORDS:
            regional = [
                "in the {region} {lat} breast",
                "in the {region} aspect of the {lat} breast",
                "in the {lat} breast, {region}[[, {depth}]]",
                "in the {region} portion of the {lat} breast[[ at {clock}]]",
                "in the {region} {lat} breast[[, {fdist}]]",
                "{lat} breast, {region}[[, {clock}]]",
            ]
        elif f.region in REGION_DEPTHS:
            regional = [
                "in the {lat} breast at {region}",
                "at {region} in the {lat} breast[[ at {clock}]]",
                "in the {lat} breast at {clock}, {region}",
                "in the {lat} {quad} at {region}",
            ]
        elif f.region == "axilla":
            regional = [
                "in the {lat} {region}",
                "in the {lat} {region}",
                "[[near|in]] the {lat} {region}",
                "in the {lat} breast near the {region}",
                "in the {lat} breast, extending to the {region}",
            ]
        elif f.region.endswith("areolar"):
            regional = [
                "in the {lat} {region}[[ region]]",
                "in the {lat} {region}[[ area]]",
                "in the {lat} breast, {region}",
                "in the {region} region of the {lat} breast",
                "in the {region} {lat} breast[[ at {clock}]]",
                "{lat} {region}",
            ]
        else:
            regional = [
                "in the {lat} {region}[[ region]]",
                "in the {lat} {region}",
                "in the {lat} breast, {region}",
                "in the {region} of the {lat} breast",
                "[[near|at]] the {lat} {region}",
            ]
        if f.region and self.p(0.45):
            templates = regional
        if self.abbrev and self.p(0.08):
            # glued forms: "R2:00", "LUOQ"
            if self.p(0.5):
                return [
                    ent(f.side[0].upper(), "LATERALITY"),
                    ent(f"{f.hour}:00", "LOCATION"),
                    txt(" "),
                    ent(self.dist_text(f.dist_cm), "DISTANCE"),
                ]
            return [txt("in the "), ent(f.side[0].upper(), "LATERALITY"), ent(QUAD_FORMS[f.quad][3], "LOCATION")]
        return fill(self.rng, self.pick(templates), self.slots(slots))

    def mass_desc(self, f: Finding) -> List[Piece]:
        items = []
        if f.shape and self.p(0.8):
            items.append(ent(f.shape, "SHAPE"))
        if f.margin and self.p(0.7):
            items.append(ent(f.margin, "MARGIN"))
        if f.density and self.p(0.45):
            items.append(ent(f.density, "MASS_DENSITY"))
        if self.p(0.3):
            self.rng.shuffle(items)
        return self.join(items, self.pick((" ", " ", " ", ", ")), self.pick((" ", ", ", " and ")))

    def morph_list(self, f: Finding) -> List[Piece]:
        return self.join(
            [ent(m, "CALC_MORPHOLOGY") for m in f.morph], ", ", self.pick((" and ", " and ", ", ", " or "))
        )

    def finding_np(self, f: Finding) -> List[Piece]:
        """A short noun phrase naming the finding, as used in impressions."""
        slots = self.slots(self.finding_slots(f))
        if f.kind == "mass":
            return fill(
                self.rng, self.pick(("[[{fshape} ]]{fmass}", "{desc} {fmass}", "{fmass}", "{fmargin} {fmass}")), slots
            )
        if f.kind == "calc":
            return fill(
                self.rng,
                self.pick(
                    (
                        "{cmorph} {fcalc}",
                        "{cdist} {cmorph} {fcalc}",
                        "{fcalc}",
                        "{cmorph} {fcalc} in a {cdist} distribution",
                        "{cluster} of {cmorph} {fcalc}",
                    )
                ),
                slots,
            )
        if f.kind == "asym":
            return fill(self.rng, "{fasym}", slots)
        if f.kind == "distortion":
            return fill(self.rng, "{fdistortion}", slots)
        return fill(self.rng, "{fother}", slots)

    # -- random findings ------------------------------------------------------

    def new_finding(self, kind: str, birads: str, side: Optional[str] = None) -> Finding:
        rng = self.rng
        side = side or self.pick(("right", "left"))
        hour = rng.randint(1, 12)
        upper = hour in (9, 10, 11, 12, 1, 2, 3)
        outer = (hour in range(6, 13)) if side == "right" else (hour in range(0, 7))
        quad = ("U" if upper else "L") + ("O" if outer else "I")
        suspicious = birads in ("4", "4A", "4B", "4C", "5", "6", "0")
        f = Finding(
            kind=kind,
            side=side,
            hour=hour,
            half=self.p(0.1),
            quad=quad,
            depth=self.pick(("anterior", "middle", "posterior")),
            dist_cm=self.pick((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 2.5, 3.5, 4.5, 1.5, 6.5)),
            dims=[],
            birads=birads,
            region=self.pick(REGIONS) if self.p(0.25) else "",
        )
        if kind == "mass":
            big = rng.randint(4, 45 if suspicious else 25)
            f.dims = (
                [big]
                if self.p(0.5)
                else [big, max(3, big - rng.randint(0, 6))] + ([max(3, big - rng.randint(0, 8))] if self.p(0.4) else [])
            )
            f.shape = (
                self.pick(("irregular", "irregular", "round", "lobulated"))
                if suspicious
                else self.pick(("oval", "oval", "round", "lobulated"))
            )
            f.margin = self.pick(MARGINS_SUSP) if suspicious else self.pick(MARGINS_BENIGN)
            f.density = (
                self.pick(("high density", "high density", "equal density", "hyperdense"))
                if suspicious
                else self.pick(MASS_DENSITIES)
            )
            f.noun = self.mass_noun()
        elif kind == "calc":
            f.dims = [rng.randint(3, 60)] if self.p(0.8) else [rng.randint(5, 40), rng.randint(3, 20)]
            pool = MORPH_SUSP if suspicious else MORPH_BENIGN
            f.morph = [self.pick(pool)] + ([self.pick(pool)] if self.p(0.25) else [])
            if len(f.morph) == 2 and f.morph[0] == f.morph[1]:
                f.morph.pop()
            f.distribution = self.pick(
                ("grouped", "clustered", "linear", "segmental", "regional")
                if suspicious
                else ("scattered", "diffuse", "regional", "grouped", "scattered")
            )
            f.noun = self.calc_noun()
        elif kind == "asym":
            f.dims = [rng.randint(8, 40)]
            f.asym = (
                self.pick(ASYM_TYPES)
                if not self.typo_rate or self.p(0.7)
                else self.pick(("focal a symmetry", "assymetry"))
            )
        elif kind == "distortion":
            f.dims = [rng.randint(8, 35)]
            f.noun = self.pick(
                ("architectural distortion", "architectural distortion", "distortion", "parenchymal distortion")
            )
        elif kind == "other":
            f.dims = [rng.randint(3, 30)]
            f.other = self.pick(OTHER)
        return f

    # -- finding sentences ----------------------------------------------------

    def describe(self, f: Finding) -> List[Piece]:
        """One or two sentences describing a finding in the findings section."""
        slots = self.finding_slots(f)
        method = getattr(self, "_describe_" + f.kind)
        return method(f, slots)

    def _describe_mass(self, f: Finding, s) -> List[Piece]:
        tpls = [
            "[[There is|There is again|Redemonstrated is|Noted is|Seen is|Demonstrated is|There is a persistent]] a "
            "{desc} {fmass} {where}[[, measuring {size}| measuring {size}|, which measures {size}| ({size})]].",
            "A {size} {desc} {fmass} is [[seen|noted|present|identified|demonstrated|visualized]] {where}.",
            "{Where}, there is a {desc} {fmass} measuring [[approximately |about |up to |]]{size}.",
            "{Where} [[is|there is]] a {fshape} {fmass} with {fmargins} margins[[, measuring {size}]].",
            "A {fmass} with {fmargins} margins is [[seen|present|noted]] {where}. It is {fshape} and {fdens}[[, "
            "measuring {size}]].",
            "{Lat} breast: {size} {desc} {fmass} at {clock}[[, {fdist}]].",
            "{Lat} {clock} {fdist}: {size} {desc} {fmass}.",
            "{Fmass} {where}: {fshape}, {fmargin}, {fdens}, {size}.",
            "In the {lat} breast at {clock}[[ position]], {fdist}, there is a {desc} {fmass} [[measuring|of|which "
            "measures]] {size}.",
            "A {fshape}, {fmargin}[[ and|,]] {fdens} {fmass} [[measuring {size} ]]is [[seen|present]] {where}.",
            "{Desc} {fmass} {where}[[, {size}| ({size})| measuring {size}]].",
            "The {fmass} [[measures|is]] {size} and is [[located|situated]] {where}.",
            "Corresponding to the [[palpable abnormality|area of clinical concern|site marked by the BB|palpable "
            "{lump}]], there is a {desc} {fmass} measuring {size}[[ {where}]].",
            "There is a {fdens} {fshape} {fmass} with {fmargins} margins {where}, [[measuring|which measures|that "
            "measures]] {size}[[ in greatest dimension| in maximal diameter| in long axis]].",
            "[[A|One]] {desc} {fmass} [[is seen|projects|is visualized]] {where}[[, best seen on the MLO view|, seen "
            "on the CC view only| on the spot compression views]].",
            "{Where} there is a [[new |persistent |possible |questionable |]]{fmass} [[measuring|of]] {size} with "
            "{fmargins} margins.",
            "A {fmass} is again seen {where}, [[unchanged|stable]] in size at {size}[[ (previously {size2})]].",
            "Spot compression [[views ]][[confirm|demonstrate|show]] a {desc} {fmass} {where}.",
            "Tomosynthesis [[images ]][[demonstrate|show]] a {desc} {fmass} {where}, [[approximately |]]{size}.",
            "{Lat}: {desc} {fmass}, {clock}, {fdist}, {size}.",
            "Mammographically, the {fmass} is {fshape} with {fmargins} margins and {fdens}[[, measuring {size}]].",
            "[[Within|In]] the {lat} {quad} [[there is|is]] a {size} {desc} {fmass}[[ at {clock}]][[, {depth}]].",
            "{Fmass}: {lat} breast, {clock}, {fdist}. Size {size}. Shape {fshape}. Margins {fmargin}.",
            "The [[previously described |known |]]{desc} {fmass} {where} [[now measures|measures]] {size}[[, "
            "previously {size2}| (previously {size2})]].",
            "A {fdens} {fmass} with {fmargins} margins [[is present|is identified]] {where}.",
            "A {fshape} {fmass} with a {fmargins} margin is [[seen|noted]] {where}[[, measuring {size}]].",
            "There is a {fmass} with {fmargins} or {fmargin} margins {where}.",
        ]
        if self.british:
            tpls += [
                "There is a {size} {fmargin} {fmass} in the {lat} {quad}[[ at {clock}]].",
                "A {fmargin} {fshape} {fmass} [[is demonstrated|is shown]] {where}, measuring {size}.",
            ]
        pieces = self.fill(self.pick(tpls), s)
        r = self.rng.random()
        if r < 0.15:
            pieces += [txt(" ")] + self.fill("[[There is|There is an|With]] associated {assoc}[[ and {nippleret}]].", s)
        elif r < 0.19 and f.margin in MARGINS_SUSP:
            pieces += [txt(" ")] + self.fill(
                "[[There is|It shows]] {microlob}[[ of its margins| along its anterior border]].",
                dict(s, microlob=self.term("MARGIN", "microlobulation")),
            )
        elif r < 0.3:
            pieces += [txt(" ")] + self.fill(
                self.pick(
                    (
                        "No associated {calcs!}[[ or {distortion!}]].",
                        "There are no associated {calcs!}.",
                        "No {calcs!} [[extend beyond|are associated with|are seen within]] the {fmass}.",
                        "The {fmass} is [[not palpable|palpable]][[ on clinical examination]].",
                        "No {skinthick!} or {nippleret!}.",
                        "[[Associated |]]{distortion} cannot be excluded.",
                        "There is no change in the {fmass} compared with prior[[ studies]].",
                    )
                ),
                s,
            )
        return pieces

    def _describe_calc(self, f: Finding, s) -> List[Piece]:
        tpls = [
            "{Cmorph} {fcalc} {where}[[, spanning {size}| extending over {size}| over an area of {size}| measuring "
            "{size}]].",
            "There [[are|are new]] {cmorph} {fcalc} in a {cdist} distribution {where}[[, spanning {size}]].",
            "A {cluster} of {cmorph} {fcalc} [[is seen|is present|is identified]] {where}[[, measuring {size}]].",
            "{Cmorph} {fcalc} in a {cdist} distribution {where}[[, spanning {size}]].",
            "There are {cdist} {cmorph} {fcalc} {where}.",
            "{Cmorph} {fcalc} measuring {sizerange} are seen {where}.",
            "{Where}, there are {cmorph} {fcalc} [[in a {cdist} distribution|in a {cdist} configuration|arranged in "
            "a {cdist} pattern]][[ spanning| measuring| over]] {size}.",
            "Magnification views [[demonstrate|show|confirm]] {cmorph} {fcalc} {where}[[ in a {cdist} distribution]].",
            "{Cdist} {cmorph} {fcalc} {where}[[, new since the prior study|, not present on the prior exam|, "
            "increased in number]].",
            "{Lat} breast: {cdist} {cmorph} {fcalc} at {clock}, {fdist}, spanning {size}.",
            "{Fcalc} {where}: {cmorph}, {cdist}, {size}.",
            "{Lat} {clock} {fdist}: {cdist} {cmorph} {fcalc} over {size}.",
            "A {cluster} of {cmorph} {fcalc} [[measuring|spanning]] {size} is [[seen|noted]] {where}.",
            "A {size} {cluster} of {cmorph} {fcalc} [[is seen|is noted|is present]] {where}.",
            "{Where}, there is a {size} {cluster} of {cmorph} {fcalc}.",
            "{Cmorph} {fcalc} [[are seen|are present]] in a {cluster} {where}[[, spanning {size}]].",
            "There is a {cdist} distribution of {cmorph} {fcalc} {where}, [[spanning|extending over]] {size}.",
            "[[Within|In]] the {lat} {quad}, {cmorph} {fcalc} are [[seen|present|identified]] in a {cdist} "
            "distribution[[ spanning {size}]].",
            "{Cmorph} {fcalc} are again [[seen|noted]] {where}, [[unchanged|stable]] in extent[[ ({size})]].",
        ]
        if f.distribution in ("segmental", "linear", "regional"):
            tpls += [
                "{Cmorph} {fcalc} in a {cdist} distribution {where}, extending {fdistrange}.",
                "There are {cdist} {cmorph} {fcalc} in the {lat} breast at {clock}, [[spanning|extending "
                "over|located]] {fdistrange}.",
                "{Lat} breast: {cdist} {cmorph} {fcalc} at {clock}, {fdistrange}[[, spanning {size}]].",
            ]
        pieces = self.fill(self.pick(tpls), s)
        r = self.rng.random()
        if r < 0.06:
            # position and extent relative to the finding itself are not LOCATION
            pieces += [txt(" ")] + self.fill(
                self.pick(
                    (
                        "A {clip} was placed at the [[posterior|anterior|medial|lateral|superior]] aspect of the "
                        "{fcalc}.",
                        "The {fcalc} [[measure|span]] {size} in anterior and posterior extent.",
                        "The anterior and posterior extent of the {fcalc} is {size}.",
                        "The biopsy targeted the posterior aspect of the {fcalc}.",
                        "The {clip} is [[located |]]at the [[posterior|anterior|inferior]] margin of the {fcalc}.",
                    )
                ),
                s,
            )
        elif r < 0.14 and suspicious_morph(f):
            # a denied descriptor is negated alone; the calcifications stay affirmed (v1.3)
            denied = [m for m in ("fine pleomorphic", "fine linear branching", "pleomorphic") if m not in f.morph]
            pieces += [txt(" ")] + self.fill(
                self.pick(
                    (
                        "These are not classic {denied!} {fcalc}.",
                        "The {fcalc} are {cmorph} and not {denied!}.",
                        "No {denied!} forms are seen among the {fcalc}.",
                    )
                ),
                dict(s, denied=self.term("CALC_MORPHOLOGY", *denied)),
            )
        return pieces

    def _describe_asym(self, f: Finding, s) -> List[Piece]:
        tpls = [
            "There is a {fasym} {where}[[, seen only on the CC view|, seen on the MLO view only|, visible on the CC "
            "view| on the MLO view]].",
            "{Fasym} {where}[[, which persists on spot compression views|, which does not efface on spot "
            "compression|, partially effacing on spot compression]].",
            "A {fasym} [[is noted|is seen|is present|is identified]] {where}[[, measuring {size}]].",
            "{Where}, there is a {fasym}[[ without associated {calcs!}| without a definite {mass!}| without "
            "{distortion!}]].",
            "[[A|The]] {fasym} {where} is [[new|larger|more conspicuous]] compared with the prior "
            "[[study|examination|exam]].",
            "{Lat} breast: {fasym} at {clock}, {depth}[[, {fdist}]].",
            "{Lat} {clock} {fdist}: {fasym}.",
            "The [[previously described |questioned |]]{fasym} {where} persists on spot compression "
            "[[views|imaging]][[, measuring {size}]].",
            "[[Tomosynthesis|Spot compression]] [[images ]][[show|demonstrate]] a {fasym} {where}[[ without an "
            "underlying {mass!}]].",
            "{Fasym} [[is seen |]]{where}[[, {size}]].",
        ]
        return self.fill(self.pick(tpls), s)

    def _describe_distortion(self, f: Finding, s) -> List[Piece]:
        tpls = [
            "There is {fdistortion} {where}[[ without an associated {mass!}| without associated {calcs!}]].",
            "{Fdistortion} {where}[[, best seen on tomosynthesis| seen on tomosynthesis only|, seen on the CC view]].",
            "An area of {fdistortion} is [[noted|present|seen]] {where}[[, measuring {size}]].",
            "{Where}: {fdistortion}[[, {size}]].",
            "[[Subtle |Possible |Questionable |New |]]{fdistortion} {where}.",
            "{Lat} breast: {fdistortion} at {clock}[[, {depth}]][[, {fdist}]].",
            "{Lat} {clock} {fdist}: {fdistortion}.",
            "Tomosynthesis demonstrates {fdistortion} {where}[[ with no associated {mass!}]].",
            "[[There is|Seen is]] {fdistortion} {where} without [[a ]]sonographic correlate.",
            "{Fdistortion} {where} with [[no|no definite]] central {mass!}.",
            "There is {fdistortion} with a central {cmargin} {mass} {where}[[, measuring {size}]].",
        ]
        s = dict(
            s, cmargin=lambda: [ent(self.pick(("ill-defined", "ill-defined", "indistinct", "spiculated")), "MARGIN")]
        )
        return self.fill(self.pick(tpls), s)

    def _describe_other(self, f: Finding, s) -> List[Piece]:
        tpls = [
            "[[There is a|A]] {fother} [[is seen|is noted|is present]] {where}[[, measuring {size}]].",
            "{Fother} {where}[[, {size}]][[, unchanged| unchanged from prior| stable]].",
            "[[Stable|Unchanged|Benign-appearing]] {fother} {where}.",
            "{Lat} breast: {fother} at {clock}.",
            "A {size} {fother} is [[seen|noted|identified]] {where}.",
        ]
        t = self.pick(tpls)
        if f.other in NO_SIZE_OTHER:
            t = self.pick(
                (
                    "[[There is a|A]] {fother} [[is seen|is noted|is present]] {where}.",
                    "{Fother} {where}[[, unchanged| stable]].",
                    "{Lat} breast: {fother} at {clock}.",
                )
            )
        if f.other == "dilated duct" and self.p(0.5):
            # v1.3: "solitary dilated duct" is a lexicon term and one span
            f.other = "solitary dilated duct"
            t = self.pick(
                (
                    "A {fother} [[is seen|is noted|is present]] {where}[[, measuring {size}]].",
                    "{Fother} {where}[[, unchanged| stable]].",
                )
            )
        # "There is a post-surgical changes" reads wrong: plural nouns get their own frame
        if f.other.endswith(("changes", "lesions", "cysts", "clips")):
            t = self.pick(
                ("{Fother} {where}[[, unchanged| stable]].", "[[There are|Again noted are]] {fother} {where}.")
            )
        pieces = self.fill(t, s)
        if f.other in (
            "radial scar",
            "post-surgical scar",
            "surgical scar",
            "post-lumpectomy changes",
            "post-surgical changes",
        ) and self.p(0.3):
            # "central" relative to the finding is not LOCATION
            pieces += [txt(" ")] + self.fill(
                self.pick(
                    (
                        "There is no central {mass!}.",
                        "No central {mass!} is identified.",
                        "[[It has|There is]] a central lucency without a central {mass!}.",
                        "However, there is a central {margin} {mass}[[ measuring {size}]].",
                    )
                ),
                dict(
                    s,
                    margin=lambda: [
                        ent(self.pick(("ill-defined", "ill-defined", "indistinct", "spiculated")), "MARGIN")
                    ],
                ),
            )
        return pieces

    def more(self, f: Finding) -> List[Piece]:
        """A follow-up sentence about a finding already described."""
        s = self.finding_slots(f)
        noun = {"mass": "{fmass}", "calc": "{fcalc}", "asym": "{fasym}", "distortion": "{fdistortion}"}.get(
            f.kind, "{fother}"
        )
        tpls = [
            "It [[measures|spans|is]] [[approximately |]]{size}[[ and is located {fdist}]].",
            "This corresponds to the [[palpable abnormality|area of clinical concern|finding on the outside study]].",
            "The "
            + noun
            + " is [[unchanged|slightly larger|new]] compared with the prior [[study|exam]] of "
            + self.date()
            + ".",
            "No {calcs!} are associated with the " + noun + "."
            if f.kind != "calc"
            else "The {fcalc} [[are|appear]] new.",
            "[[On tomosynthesis, the|On the spot compression views, the|The]] "
            + noun
            + " [[persists|is more conspicuous|remains visible]].",
            "The " + noun + " is located {fdist}[[, {depth}]].",
            "There is no associated {skinthick!} or {nippleret!}.",
            "The " + noun + " is [[best seen|only seen]] on the [[CC|MLO|ML]] view[[ at {depth}]].",
            "This finding was not present on the study from " + self.date() + ".",
            "[[Given its appearance, |]]tissue sampling is recommended.",
            # a negation aimed at a modality or a view leaves the finding affirmed (v1.3)
            "The "
            + noun
            + " [[is not seen|was not seen|is not visualized]] on [[ultrasound|the MLO view|the CC view|MRI]].",
            "[[There is no|No]] sonographic correlate [[for|to]] the " + noun + "[[ was identified| is seen]].",
            "The " + noun + " is not [[palpable|seen sonographically]].",
        ]
        return self.fill(self.pick(tpls), s)

    def _describe_assoc(self, f: Finding, s) -> List[Piece]:
        return self.fill("[[There is |]]{assoc} {where}.", s)
