"""Rule-based baseline: the BI-RADS lexicon as a spaCy pipeline.

Two ways to apply the lexicon, compared on the synthetic dev split by
`benchmarks/run_benchmarks.py` (see benchmarks/results.md):

- "lexicon" (the default): one `mammo_rules` component that sets `doc.ents`
  from `lexicon_match.lexicon_spans`, the same matcher that gives the neural
  tagger its lexicon feature (terms and regexes over the raw text, longest
  match first).
- "entity_ruler": spaCy's `entity_ruler` with the token patterns of
  `lexicon.entity_ruler_patterns()`, followed by `mammo_rules` restricted to
  the regexes of `lexicon.PATTERNS` (sizes, distances, clock positions,
  BI-RADS and density categories), which token patterns cannot express.
"""

from typing import Any, Dict, Iterable, List, Tuple

from spacy.language import Language
from spacy.scorer import get_ner_prf
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import filter_spans

from ..tokenizer import blank_mammo_nlp
from .lexicon import compiled_patterns, entity_ruler_patterns
from .lexicon_match import lexicon_spans
from .spans import longest_first, merge_ents

METHODS = ("lexicon", "entity_ruler")
ALIGNMENT_MODES = ("strict", "contract", "expand")


@Language.factory(
    "mammo_rules",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={"terms": True, "alignment_mode": "expand", "overwrite_ents": True},
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_mammo_rules(nlp: Language, name: str, terms: bool, alignment_mode: str, overwrite_ents: bool) -> "MammoRules":
    """Create a `mammo_rules` component.

    terms (bool): match the lexicon terms as well as the regexes (False: regexes only,
        for use after an `entity_ruler` that holds the terms).
    alignment_mode (str): how a match that cuts a token is snapped to tokens, as in
        `Doc.char_span`: "strict" drops it, "contract" or "expand" snap it.
    overwrite_ents (bool): True replaces existing `doc.ents`; False keeps them and adds
        only matches that overlap none of them.
    """
    return MammoRules(name, terms=terms, alignment_mode=alignment_mode, overwrite_ents=overwrite_ents)


class MammoRules:
    """Set `doc.ents` from regular-expression matches of the BI-RADS lexicon."""

    def __init__(
        self,
        name: str = "mammo_rules",
        *,
        terms: bool = True,
        alignment_mode: str = "expand",
        overwrite_ents: bool = True,
    ):
        if alignment_mode not in ALIGNMENT_MODES:
            raise ValueError(f"mammo_rules: alignment_mode must be one of {ALIGNMENT_MODES}, not {alignment_mode!r}")
        self.name = name
        self.terms = terms
        self.alignment_mode = alignment_mode
        self.overwrite_ents = overwrite_ents

    def __call__(self, doc: Doc) -> Doc:
        matches = lexicon_spans(doc.text) if self.terms else pattern_spans(doc.text)
        spans = []
        for start, end, label in matches:
            span = doc.char_span(start, end, label=label, alignment_mode=self.alignment_mode)
            if span is not None and len(span):
                spans.append(span)
        # Snapping to tokens can make two character-disjoint matches share a token.
        spans = filter_spans(spans)
        merge_ents(doc, spans, overwrite=self.overwrite_ents)
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def score(self, examples: Iterable[Example], **kwargs) -> Dict[str, Any]:
        """Entity P/R/F, overall and per label (exact spans)."""
        return get_ner_prf(examples, **kwargs)


def pattern_spans(text: str) -> List[Tuple[int, int, str]]:
    """Non-overlapping (start, end, label) matches of `lexicon.PATTERNS` only, longest first, then leftmost."""
    return longest_first(
        (match.start(), match.end(), label)
        for label, regexes in compiled_patterns().items()
        for regex in regexes
        for match in regex.finditer(text)
    )


def build_rule_pipeline(
    method: str = "lexicon", alignment_mode: str = "expand", abbreviations: bool = False
) -> Language:
    """A blank mammography pipeline (`blank_mammo_nlp`) that finds entities with the lexicon only.

    method (str): "lexicon" (`mammo_rules` over `lexicon_spans`) or "entity_ruler"
        (spaCy's `entity_ruler` with the lexicon terms, then `mammo_rules` for the regexes).
    alignment_mode (str): how regex matches are snapped to tokens ("strict", "contract", "expand").
    abbreviations (bool): add `mammo_abbreviations` after the rules, as the shipped pipeline has it
        after the tagger, so that model and rules are compared with the same post-processing.
    RETURNS (Language): the pipeline; `nlp.to_disk` and `spacy.load` round-trip it.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    nlp = blank_mammo_nlp()
    if method == "lexicon":
        nlp.add_pipe("mammo_rules", config={"terms": True, "alignment_mode": alignment_mode})
    else:
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
        ruler.add_patterns(entity_ruler_patterns())
        nlp.add_pipe("mammo_rules", config={"terms": False, "alignment_mode": alignment_mode, "overwrite_ents": False})
    if abbreviations:
        nlp.add_pipe("mammo_abbreviations")
    return nlp
