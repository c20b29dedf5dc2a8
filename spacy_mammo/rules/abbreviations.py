"""Abbreviations defined in the text carry the label of what they abbreviate (`mammo_abbreviations`).

Study and case-report prose defines a short form once ("fibroadenomas (FAs)", "non-mass-like lesions
(NMLs)") and then uses only the short form, which no lexicon knows. When the tagger found the long
form and it is followed by "(ABBR)", the short form in the brackets and its later uses (singular or
plural) get the long form's label, in the spirit of Schwartz & Hearst (2003): the short form must be
one token, all capitals bar a plural "s", and start with the long form's first letter.
"""

from typing import Dict, List, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

MAX_SHORT_FORM = 8


def short_form_after(span: Span) -> Optional[str]:
    """The abbreviation defined in brackets right after `span`, or None."""
    doc = span.doc
    if span.end + 2 >= len(doc) or doc[span.end].text != "(" or doc[span.end + 2].text != ")":
        return None
    short = doc[span.end + 1].text
    capitals = sum(c.isupper() for c in short)
    # Capitals all through, bar a plural "s" or a digit ("FAs", "NMLE", "DCIS"), not a capitalised word.
    if not (2 <= len(short) <= MAX_SHORT_FORM and short.isalnum() and capitals >= 2 and capitals >= len(short) - 1):
        return None
    if short[0].lower() != span.text[0].lower():
        return None
    return short


def _forms(short: str) -> List[str]:
    """The short form and its singular or plural ("FAs" <-> "FA")."""
    return [short, short[:-1]] if short.endswith("s") and short[:-1].isupper() else [short, short + "s"]


def label_abbreviations(doc: Doc) -> Doc:
    """Add the defined abbreviations of `doc.ents` to `doc.ents`; entities found by the tagger win."""
    labels: Dict[str, str] = {}
    for ent in doc.ents:
        short = short_form_after(ent)
        if short is not None:
            for form in _forms(short):
                labels.setdefault(form, ent.label_)
    if not labels:
        return doc
    new = [Span(doc, t.i, t.i + 1, label=labels[t.text]) for t in doc if t.text in labels and not t.ent_type]
    doc.ents = list(doc.ents) + new
    return doc


@Language.factory("mammo_abbreviations", assigns=["doc.ents"], requires=["doc.ents"])
def make_mammo_abbreviations(nlp: Language, name: str):
    """Build the abbreviations component (stateless: it is `label_abbreviations`)."""
    return label_abbreviations
