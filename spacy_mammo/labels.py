"""The 17 entity labels of the annotation guidelines (v1.2)."""

LABELS = (
    "COMPOSITION",
    "LATERALITY",
    "LOCATION",
    "DISTANCE",
    "SIZE",
    "MASS",
    "CALCIFICATION",
    "ASYMMETRY",
    "DISTORTION",
    "OTHER_FINDING",
    "SHAPE",
    "MARGIN",
    "MASS_DENSITY",
    "CALC_MORPHOLOGY",
    "CALC_DISTRIBUTION",
    "ASSOCIATED_FEATURE",
    "BIRADS",
)

# Labels that carry the `negated` attribute themselves (descriptors inside a
# negated noun phrase may carry it too, see the guidelines).
FINDING_LABELS = (
    "MASS",
    "CALCIFICATION",
    "ASYMMETRY",
    "DISTORTION",
    "OTHER_FINDING",
    "ASSOCIATED_FEATURE",
)

# Labels that are never negated.
NEVER_NEGATED = ("LATERALITY", "LOCATION", "DISTANCE", "SIZE", "COMPOSITION", "BIRADS")
