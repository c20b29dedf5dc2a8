"""Tokenizer for mammography reports: spaCy's English rules plus splits for
the report forms listed under "Tokenization traps" in the guidelines.

Every change is an extra prefix, suffix or infix pattern (or a removed
exception), so the result is a plain `spacy.tokenizer.Tokenizer` that
serializes with the pipeline like any other.
"""

import re
from typing import Callable

import spacy
from spacy.lang.char_classes import ALPHA, ALPHA_LOWER
from spacy.lang.tokenizer_exceptions import URL_PATTERN
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

# Laterality glued to a clock position or a quadrant: "R2:00", "L10:00",
# "LUOQ", "RLIQ". A bare "L5" is left alone (a vertebra, not a side).
MAMMO_PREFIXES = [
    r"[RL](?=[0-9]{1,2}:[0-9]{2})",
    r"[RL](?=[UL][IO]Q(?![A-Za-z]))",
    r"~",
    # A comparison sign glued to a number: "≤10 mm", "≥5".
    r"[≤≥](?=[0-9])",
]

MAMMO_SUFFIXES = [
    # A full stop after a lone capital ("density C.", "R.") or a number with a
    # letter ("BI-RADS 4A."): English keeps these whole as abbreviations.
    r"(?<=^[A-Z])\.",
    r"(?<=[0-9][A-Z])\.",
    # Distance unit glued to the number: "6cmfn" -> "6" "cmfn".
    r"(?<=[0-9])(?:cm|mm|CM|MM)(?:fn|FN)",
]

MAMMO_INFIXES = [
    # "BI-RADS:4A", "Assessment:2"; times ("14:05") have digits on both sides.
    r"(?<=[A-Za-z]):(?=[0-9])",
    # A full stop with the space after it left out: "mass.no".
    r"(?<=[{al}]{{2}})\.(?=[{al}]{{2}})".format(al=ALPHA_LOWER),
    # A comparison sign glued between a word and a number: "BI-RADS≥4".
    r"(?<=[A-Za-z])[≤≥](?=[0-9])",
    # A bracket glued between numbers: "BI-RADS scores 1(57.46%)".
    r"(?<=[0-9])\((?=[0-9])",
    # Unicode hyphens, which publishers' HTML often uses ("ill\u2011defined"): split like "-".
    r"(?<=[{a}0-9])[\u2010\u2011](?=[{a}])".format(a=ALPHA),
]

# English takes "mass.no" and "breast.no" for domain names (".no" is a
# top-level domain), so a URL must also show a scheme, "www.", "/" or "@".
MAMMO_URL_MATCH = re.compile(r"(?u)(?=\S*(?:://|[/@])|[Ww]{3}\.)" + URL_PATTERN).match

# English exceptions that swallow the full stop after a report word: "Mass."
# (taken for Massachusetts) and lone letters ("[x] b. Scattered", "density c.").
REMOVED_EXCEPTIONS = ("Mass.",) + tuple(f"{chr(c)}." for c in range(ord("a"), ord("z") + 1))


@spacy.registry.tokenizers("spacy-mammo.Tokenizer.v1")
def create_mammo_tokenizer() -> Callable[[Language], Tokenizer]:
    """Registered function for the mammography tokenizer.

    RETURNS (Callable[[Language], Tokenizer]): Builds the tokenizer from the
        language defaults of the nlp object plus the mammography rules.
    """

    def mammo_tokenizer_factory(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        prefixes = MAMMO_PREFIXES + list(defaults.prefixes or [])
        suffixes = MAMMO_SUFFIXES + list(defaults.suffixes or [])
        infixes = MAMMO_INFIXES + list(defaults.infixes or [])
        rules = {
            orth: pieces
            for orth, pieces in (defaults.tokenizer_exceptions or {}).items()
            if orth not in REMOVED_EXCEPTIONS
        }
        return Tokenizer(
            nlp.vocab,
            rules=rules,
            prefix_search=compile_prefix_regex(prefixes).search,
            suffix_search=compile_suffix_regex(suffixes).search,
            infix_finditer=compile_infix_regex(infixes).finditer,
            token_match=defaults.token_match,
            url_match=MAMMO_URL_MATCH if defaults.url_match is not None else None,
        )

    return mammo_tokenizer_factory


def blank_mammo_nlp() -> Language:
    """Create a blank English pipeline with the mammography tokenizer.

    RETURNS (Language): The blank pipeline.
    """
    config = {"nlp": {"tokenizer": {"@tokenizers": "spacy-mammo.Tokenizer.v1"}}}
    return spacy.blank("en", config=config)
