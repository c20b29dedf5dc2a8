"""Report-level style choices and the surface forms of sides, positions, sizes and categories."""

import random
import re
from typing import Dict, List, Optional, Tuple

from .template import Piece, SlotValue, ent, fill, txt
from .vocabulary import (
    ASSOC,
    CALC_NOUNS,
    CLIP_TYPES,
    COMPOSITION_FORMS,
    DEPTH_RANGES,
    DEPTHS,
    FIRST_NAMES,
    HOUR_WORDS,
    IMPLANT,
    IMPLANTS,
    LAST_NAMES,
    MARGINS_SUSP,
    MASS_NOUNS,
    MORPH_SUSP,
    NUMBER_WORDS,
    QUAD_FORMS,
    ROMAN,
)


class Writer:
    """Holds the report-level style choices and writes the surface forms of one report."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.abbrev = rng.random() < 0.25
        self.british = rng.random() < 0.15
        self.clock_style = rng.choice(("oclock", "oclock", "colon", "colon", "mixed"))
        self.dist_style = rng.choice(("words", "words", "fn", "cmfn", "mixed"))
        self.size_unit = rng.choice(("mm", "cm", "mixed"))
        self.typo_rate = rng.choice((0.0, 0.0, 0.0, 0.02, 0.05))
        self.birads_key = rng.choice(
            (
                "BI-RADS",
                "BI-RADS",
                "BI-RADS",
                "BIRADS",
                "Bi-RADS",
                "BI-RADS®",
                "Birads",
                "ACR BI-RADS",
                "BI RADS",
                "bi-rads",
            )
        )

    def p(self, prob: float) -> bool:
        return self.rng.random() < prob

    def pick(self, options):
        return self.rng.choice(options)

    def fill(self, template: str, slots: Optional[Dict[str, SlotValue]] = None) -> List[Piece]:
        return fill(self.rng, template, self.slots(slots or {}))

    def term(self, label: str, *options: str) -> SlotValue:
        """A slot that writes one of `options` as one span of `label`."""
        return lambda: [ent(self.pick(options), label)]

    def plain(self, *options: str) -> SlotValue:
        """A slot that writes one of `options` as plain text (words that are not entities)."""
        return lambda: [txt(self.pick(options))]

    def clip(self) -> List[Piece]:
        """A clip mention; a type word stays out of the span ("wing [clip]")."""
        if self.p(0.3):
            return [
                txt(self.pick(CLIP_TYPES) + self.pick((" ", " ", " marker ", " biopsy "))),
                ent("clip", "OTHER_FINDING"),
            ]
        return [ent(self.pick(("biopsy clip", "clip", "biopsy marker clip", "marker clip", "clip")), "OTHER_FINDING")]

    # -- surface forms ------------------------------------------------------

    def lat_text(self, side: str) -> str:
        if side == "bilateral":
            return self.pick(("bilateral", "bilateral", "bilateral", "bilat") if self.abbrev else ("bilateral",))
        if self.abbrev and self.p(0.8):
            forms = {"right": ("R", "RT", "Rt", "rt"), "left": ("L", "LT", "Lt", "lt")}[side]
            return self.pick(forms)
        if side == "right" and self.typo_rate and self.p(self.typo_rate * 0.6):
            return "write"  # speech recognition's homophone, annotated over the written surface
        return side

    def lat(self, side: str) -> List[Piece]:
        pieces = [ent(self.lat_text(side), "LATERALITY")]
        if self.typo_rate and self.p(self.typo_rate * 0.5):
            pieces += [txt(" "), pieces[0]]  # doubled word in dictation
        return pieces

    def clock_text(self, hour: int, half: bool = False) -> str:
        style = self.clock_style if self.clock_style != "mixed" else self.pick(("oclock", "colon"))
        r = self.rng.random()
        if half:
            if r < 0.1:
                return f"{HOUR_WORDS[hour]} thirty"
            if r < 0.2:
                return f"{hour}:30 o'clock"
            return f"{hour}:30"
        if r < 0.08:
            nxt = hour % 12 + self.pick((1, 1, 1, 2, 2, 3))
            nxt = nxt - 12 if nxt > 12 else nxt
            return self.pick(
                (
                    f"{hour}-{nxt} o'clock",
                    f"{hour}:00-{nxt}:00",
                    f"{hour} to {nxt} o'clock",
                    f"{hour}–{nxt} o'clock",
                    f"{hour} to {nxt} o'clock",
                )
            )
        if r < 0.12:
            return self.pick((f"{HOUR_WORDS[hour]} o'clock", f"{hour} oclock", f"{hour} o’clock", f"{hour} o' clock"))
        if style == "colon":
            return f"{hour}:00"
        return f"{hour} o'clock" if r < 0.9 else f"{hour} o’clock"

    def quad_text(self, quad: str) -> str:
        forms = QUAD_FORMS[quad]
        if self.abbrev and self.p(0.6):
            return forms[3]
        return self.pick(forms[:3] + ((forms[5],) if self.british else ()) + ((forms[4],) if self.p(0.3) else ()))

    def depth_text(self, depth: str) -> str:
        if self.p(0.06):
            return self.pick(DEPTH_RANGES)
        return self.pick(DEPTHS[depth][:-1]) if self.p(0.9) else DEPTHS[depth][0]

    def dist_range_text(self, cm: float) -> str:
        """A distance range from the nipple, for findings with extent ("3-7 cm from the nipple")."""
        low = max(1, int(cm) - self.rng.randint(1, 3))
        high = low + self.rng.randint(2, 5)
        sep = self.pick(("-", "-", " to ", "–"))
        return self.pick(
            (
                f"{low}{sep}{high} cm from the nipple",
                f"{low}{sep}{high} cm from the nipple",
                f"{low}{sep}{high} cm from nipple",
                f"{low}{sep}{high} cm FN",
                f"{low}-{high} cm FN",
                f"{low}-{high} cmfn",
            )
        )

    def dist_text(self, cm: float) -> str:
        num = f"{cm:g}"
        style = self.dist_style if self.dist_style != "mixed" else self.pick(("words", "fn", "cmfn"))
        if style == "words":
            return self.pick(
                (
                    f"{num} cm from the nipple",
                    f"{num} cm from the nipple",
                    f"{num} cm from nipple",
                    f"{num}cm from the nipple",
                    f"{num} centimeters from the nipple",
                    f"{num} cm posterior to the nipple",
                )
            )
        if style == "fn":
            return self.pick((f"{num} cm FN", f"{num} cm FN", f"{num}cm FN", f"{num} cm fn", f"{num} CM FN"))
        return self.pick((f"{num} cmfn", f"{num} cmfn", f"{num}cmfn", f"{num} CMFN", f"{num} cm fn"))

    def size_text(self, dims: List[int]) -> Tuple[str, str]:
        """A size string and an optional prefix ("~")."""
        unit = self.size_unit if self.size_unit != "mixed" else self.pick(("mm", "cm"))
        if len(dims) == 1 and dims[0] == 10 and self.p(0.3):
            return self.pick(("one centimeter", "1 centimeter", "one centimetre" if self.british else "1 cm")), ""
        if len(dims) == 1 and dims[0] == 5 and self.p(0.2):
            return self.pick(("half a centimeter", "5 millimeters", "five millimeters")), ""
        if unit == "cm":
            nums = [f"{d / 10:.1f}" if self.p(0.85) else f"{d / 10:g}" for d in dims]
        else:
            nums = [str(d) for d in dims]
        r = self.rng.random()
        if len(dims) == 1 and r < 0.05:
            body = f"{nums[0]}-{unit}"  # adjectival "a 4-cm mass", one token group
        elif r < 0.08 and len(dims) > 1:
            body = "x".join(nums) + unit  # glued "10x6x8mm"
        elif r < 0.13 and len(dims) == 2:
            body = f"{nums[0]} by {nums[1]} {unit}"
        elif r < 0.26 and len(dims) > 1:
            # a unit on each number is still one span: "1 cm x 0.7 cm", "2 cm by 1.5 cm"
            joiner = self.pick((" x ", " x ", " by ", " X ", " × "))
            body = joiner.join(f"{num}{self.pick((' ', ' ', ''))}{unit}" for num in nums)
        else:
            joiner = self.pick((" x ", " x ", " x ", " X ", " × ", "x", "×"))
            body = joiner.join(nums) + self.pick((" ", " ", " ", "")) + unit
        prefix = "~" if self.p(0.04) and len(dims) == 1 else ""
        if prefix and self.p(0.6):
            body = body.replace(" ", "")
        return body, prefix

    def size_range_text(self, low: int, high: int) -> str:
        """A size range in mm or cm ("3-8 mm", "0.5 to 1.2 cm"), one SIZE span."""
        unit = self.size_unit if self.size_unit != "mixed" else self.pick(("mm", "cm"))
        a, b = (str(low), str(high)) if unit == "mm" else (f"{low / 10:g}", f"{high / 10:g}")
        return a + self.pick(("-", "-", " to ", "–", " - ")) + b + self.pick((" ", " ", "")) + unit

    def volume_text(self, dims: List[int]) -> str:
        """An ellipsoid volume in cc or mL from three dimensions in mm ("2.4 cc")."""
        a, b, c = (dims + dims[-1:] * 3)[:3]
        volume = max(0.1, 0.52 * a * b * c / 1000)
        if self.p(0.2):
            return f"{1000 * volume:.1f}" + self.pick((" mm3", " mm³", "mm3"))
        return f"{volume:.1f}" + self.pick((" cc", " cc", " mL", " ml", "cc", " cm3", " cm³"))

    def size(self, dims: List[int]) -> List[Piece]:
        body, prefix = self.size_text(dims)
        return [txt(prefix), ent(body, "SIZE")] if prefix else [ent(body, "SIZE")]

    def birads_text(self, cat: str, key: Optional[str] = None) -> str:
        key = key or (
            self.birads_key if self.p(0.8) else self.pick(("BI-RADS", "BIRADS", "Bi-Rads", "BI-RADS", "ACR BI-RADS"))
        )
        num, letter = cat[0], cat[1:]
        if letter and self.p(0.08 if self.typo_rate else 0.02):
            # speech recognition writes "4B" as "for B"
            return key + self.pick((" category for ", " category for ", " for ", " Category for ")) + letter
        if self.p(0.007):
            return key + self.pick((" equivalent: ", " equivalent ", " Equivalent: ")) + cat
        r = self.rng.random()
        if r < 0.04 and not letter:
            value = ROMAN[num] if num != "0" else "0"
        elif r < 0.07 and not letter:
            value = NUMBER_WORDS[num]
        elif letter and r < 0.15:
            value = num + " " + letter
        elif letter and r < 0.25:
            value = num + letter.lower()
        else:
            value = cat
        r = self.rng.random()
        if r < 0.5:
            middle = " "
        elif r < 0.65:
            middle = self.pick((" category ", " Category ", " CATEGORY "))
        elif r < 0.75:
            middle = ": "
        elif r < 0.8 and re.match(r"\d", value):
            middle = ":"
        elif r < 0.85:
            middle = self.pick(
                (" Assessment: Category ", " assessment category ", " Category: ", " Final Assessment Category ")
            )
        elif r < 0.9 and re.match(r"\d", value):
            middle = ""
            key = self.pick(("birads", "BIRADS", "BI-RADS"))
        elif r < 0.93:
            middle = " "
            key = self.pick(("bi rads", "bi-rad", "by rads", "Bi Rads"))
        else:
            middle = self.pick((" - ", " cat. ", " "))
        return key + middle + value

    def birads(self, cat: str) -> List[Piece]:
        return [ent(self.birads_text(cat), "BIRADS")]

    def comp_text(self, letter: str) -> str:
        return self.pick(COMPOSITION_FORMS[letter])

    def comp_letter(self, letter: str) -> str:
        # lowercase letters stay in checklists: "c." would be one token
        up = letter.upper()
        return self.pick(
            (f"ACR {up}", f"ACR density {up}", f"category {up}", f"ACR category {up}", f"Category {up}", f"ACR {up}")
        )

    def mass_noun(self, plural: bool = False) -> str:
        if plural:
            return self.pick(("masses", "masses", "masses", "nodules", "lesions"))
        if self.british and self.p(0.3):
            return self.pick(("opacity", "mass", "lesion"))
        return self.pick(MASS_NOUNS)

    def calc_noun(self) -> str:
        if self.abbrev and self.p(0.5):
            return "calcs"
        return self.pick(CALC_NOUNS)

    def name(self) -> str:
        first, last = self.pick(FIRST_NAMES), self.pick(LAST_NAMES)
        return self.pick(
            (f"{first} {last}", f"{first[0]}. {last}", f"{last}, {first}", f"Dr. {first} {last}", f"Dr {last}")
        )

    def date(self, first_year: int = 2012, last_year: int = 2024) -> str:
        y, m, d = self.rng.randint(first_year, last_year), self.rng.randint(1, 12), self.rng.randint(1, 28)
        return self.pick(
            (
                f"{m:02d}/{d:02d}/{y}",
                f"{y}-{m:02d}-{d:02d}",
                f"{d:02d}.{m:02d}.{y}",
                f"{m}/{d}/{y}",
                f"{d} {('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec')[m - 1]} "
                f"{y}",
            )
        )

    def time(self) -> str:
        h, mi = self.rng.randint(7, 18), self.rng.randint(0, 59)
        return self.pick(
            (
                f"{h:02d}:{mi:02d}",
                f"{h}:{mi:02d}",
                f"{h:02d}:{mi:02d}:{self.rng.randint(0, 59):02d}",
                f"{(h - 1) % 12 + 1}:{mi:02d} {'AM' if h < 12 else 'PM'}",
            )
        )

    # -- slots ----------------------------------------------------------------

    def slots(self, extra: Dict[str, SlotValue]) -> Dict[str, SlotValue]:
        base: Dict[str, SlotValue] = {
            "right": lambda: self.lat("right"),
            "left": lambda: self.lat("left"),
            "bilat": lambda: [
                ent(
                    self.pick(("bilateral", "bilateral", "bilateral", "bilat") if self.abbrev else ("bilateral",)),
                    "LATERALITY",
                )
            ],
            "bilaterally": lambda: [ent("bilaterally", "LATERALITY")],
            "both": lambda: [ent("both", "LATERALITY")],
            "either": lambda: [ent("either", "LATERALITY")],
            "axilla": lambda: [ent("axilla", "LOCATION")],
            "axillae": lambda: [ent("axillae", "LOCATION")],
            "subareolar": lambda: [ent(self.pick(("subareolar", "subareolar", "retroareolar")), "LOCATION")],
            "masses": lambda: [ent(self.mass_noun(plural=True), "MASS")],
            "mass": lambda: [ent(self.mass_noun(), "MASS")],
            "calcs": lambda: [ent(self.calc_noun(), "CALCIFICATION")],
            "distortion": lambda: [
                ent(self.pick(("architectural distortion", "architectural distortion", "distortion")), "DISTORTION")
            ],
            "asym": self.term("ASYMMETRY", "asymmetry", "focal asymmetry", "asymmetries", "asymmetric density"),
            "lump": self.term("MASS", "lump", "lump", "mass", "lump"),
            "lumps": lambda: [ent(self.pick(("lumps", "lumps", "masses")), "MASS")],
            "assoc": lambda: [ent(self.pick(ASSOC), "ASSOCIATED_FEATURE")],
            "skinthick": lambda: [ent("skin thickening", "ASSOCIATED_FEATURE")],
            "nippleret": self.term(
                "ASSOCIATED_FEATURE", "nipple retraction", "skin retraction", "nipple inversion", "skin tethering"
            ),
            "adenopathy": lambda: [
                ent(
                    self.pick(
                        ("axillary adenopathy", "axillary lymphadenopathy", "axillary lymphadenopathy", "axillary LAD")
                    ),
                    "ASSOCIATED_FEATURE",
                )
            ],
            "axnodes": lambda: [
                ent(
                    self.pick(
                        (
                            "axillary lymph nodes",
                            "lymph nodes",
                            "axillary nodes",
                            "nodes",
                            "axillary LN",
                            "axillary lymph nodes",
                        )
                    ),
                    "OTHER_FINDING",
                )
            ],
            "imln": lambda: [
                ent(
                    self.pick(
                        (
                            "intramammary lymph node",
                            "intramammary lymph node",
                            "intramammary node",
                            "lymph node",
                            "IMLN",
                        )
                    ),
                    "OTHER_FINDING",
                )
            ],
            "clip": self.clip,
            "psc": lambda: [
                ent(
                    self.pick(
                        (
                            "post-surgical changes",
                            "postsurgical changes",
                            "post surgical changes",
                            "postoperative changes",
                        )
                    ),
                    "OTHER_FINDING",
                )
            ],
            "cyst": lambda: [ent(self.pick(("cyst", "simple cyst", "complicated cyst", "cyst")), "OTHER_FINDING")],
            "cysts": self.term("OTHER_FINDING", "cysts", "simple cysts", "oil cysts", "microcysts"),
            "fa": lambda: [
                ent(
                    self.pick(("fibroadenoma", "fibroadenoma", "fibro adenoma" if self.typo_rate else "fibroadenoma")),
                    "OTHER_FINDING",
                )
            ],
            "implants": self.term("OTHER_FINDING", *IMPLANTS),
            "implant": self.term("OTHER_FINDING", *IMPLANT),
            "rupture": self.term(
                "OTHER_FINDING",
                "implant rupture",
                "implant rupture",
                "silicone implant rupture",
                "saline implant rupture",
                "intracapsular rupture",
                "extracapsular rupture",
            ),
            "morph": lambda: [ent(self.pick(MORPH_SUSP), "CALC_MORPHOLOGY")],
            "dist": lambda: [
                ent(self.pick(("grouped", "clustered", "linear", "segmental", "regional")), "CALC_DISTRIBUTION")
            ],
            "shape": lambda: [ent(self.pick(("irregular", "round", "oval", "lobulated")), "SHAPE")],
            "margin": lambda: [ent(self.pick(MARGINS_SUSP), "MARGIN")],
        }
        base.update(extra)
        return base

    def join(self, items: List[Piece], sep: str, last_sep: str) -> List[Piece]:
        out: List[Piece] = []
        for i, item in enumerate(items):
            if i:
                out.append(txt(last_sep if i == len(items) - 1 else sep))
            out.append(item)
        return out
