"""Abbreviations defined in the text carry the label of what they abbreviate (`mammo_abbreviations`).

Study and case-report prose defines a short form once ("fibroadenomas (FAs)", "non-mass-like lesions
(NMLs)") and then uses only the short form, which no lexicon knows. When the tagger found the long
form and it is followed by "(ABBR)", the short form in the brackets and its later uses (singular or
plural) get the long form's label, in the spirit of Schwartz & Hearst (2003): the short form must be
one token, all capitals bar a plural "s", and start with the long form's first letter. A few words may
stand between the entity and the brackets when the short form spells them too: "[granular cell tumor]
of the breast ([GCTB])", whose last letter is the initial of "breast".
"""

from typing import Dict, List, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

MAX_SHORT_FORM = 8
# words between the entity and "(" that the short form may also abbreviate ("of the breast")
MAX_GAP_WORDS = 3


def short_form_after(span: Span) -> Optional[str]:
    """The abbreviation defined in brackets after `span` (right after it, or after a few words that its
    letters also spell), or None."""
    doc = span.doc
    for gap in range(MAX_GAP_WORDS + 1):
        bracket = span.end + gap
        if bracket + 2 >= len(doc) or not all(t.is_alpha for t in doc[span.end : bracket]):
            return None
        if doc[bracket].text == "(" and doc[bracket + 2].text == ")":
            break
    else:
        return None
    short = doc[bracket + 1].text
    capitals = sum(c.isupper() for c in short)
    # Capitals all through, bar a plural "s" or a digit ("FAs", "NMLE", "DCIS"), not a capitalised word.
    if not (2 <= len(short) <= MAX_SHORT_FORM and short.isalnum() and capitals >= 2 and capitals >= len(short) - 1):
        return None
    if short[0].lower() != span.text[0].lower():
        return None
    if gap and not _spells(short.rstrip("s"), [t.text for t in doc[span.start : bracket]]):
        return None
    return short


def _spells(short: str, words: List[str]) -> bool:
    """Whether the letters of `short` are initials of `words` in order, the last one of the last word."""
    if short[-1].lower() != words[-1][0].lower():
        return False
    initials = iter(w[0].lower() for w in words)
    return all(letter in initials for letter in short.lower())


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
