"""Assertion context of entities: `span._.negated`, `uncertain`, `historical` and `family`.

A rule-based component in the style of NegEx/ConText, following the negation
conventions of the annotation guidelines (v1.3):

- Clauses are those of `layout.clause_bounds`: `doc.sents` when the doc has
  sentence boundaries, else spans split on ".", "?", "!" (not inside numbers
  like "1.2"), always on ";", and on the newlines that end a line of text (not
  those of hard-wrapped text). A boundary never falls inside an entity.
- Cue phrases are matched case-insensitively on the text (so the rules do not
  depend on the tokenizer). Where cues overlap, the leftmost-longest wins, so
  "no change" (pseudo) beats "no", "has not resolved" beats "resolved", and
  "is not seen" beats the terminator "is". Cues inside an entity are ignored.
  A few long one-word cues also match with one typo ("withuot", "absnt").
- Each cue belongs to a family: assertion (negation, uncertainty, pseudo,
  hypothetical), temporality (historical) or experiencer (family). A pre-cue
  scopes forward to the clause end, a terminator ("but", "which", "there is",
  a verb such as "is" or "extend") or the next cue of its family. A post-cue
  ("is not seen", "have resolved", "was excised") scopes backward to the
  clause start, a backward terminator ("but", "however", "and the") or the
  previous cue of its family. Context terminators ("now", "new", "presents")
  also end historical and family scopes.
- A negation pre-cue with nothing after it in its clause but punctuation or
  unticked options ("Masses: none", "Calcifications: [ ] yes [x] no") scopes
  backward; a cue right after an empty checkbox ("[ ] no") is void.
- Pseudo cues ("no change", "not excluded", "is not palpable") negate nothing.
  Uncertainty cues set `uncertain`; differential cues ("versus") scope both
  ways. Entities in a hypothetical scope ("may obscure") are neither negated
  nor uncertain.
- Historical: "history of", "status post", "s/p" scope like a pre-cue; "prior",
  "previous", "previously", "known" reach only the noun phrase right after them
  (at most three words, no punctuation: "prior biopsy [clip]", "known
  [fibroadenoma]", not "Compared with prior, the [mass]"); entities in a
  history or comparison section are historical. Family: "family history of",
  "mother", "sister", ... scope like a pre-cue; entities in a family history
  section are family.
- Only labels outside NEVER_NEGATED are negated or uncertain: finding heads and
  the descriptors that stand in the same negated phrase ("No [spiculated]
  [masses]"). Historical and family flag every label but LATERALITY,
  LOCATION, DISTANCE and SIZE (a prior [BI-RADS 3] is historical).
"""

import bisect
import re
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import registry

from ..errors import MammoDataError
from ..extensions import register_extensions
from ..labels import FINDING_LABELS, NEVER_NEGATED
from .layout import clause_bounds, group_by_clause, report_layout

register_extensions()

DEFAULT_PRE_NEGATION = [
    "no",
    "without",
    "negative for",
    "free of",
    "absence of",
    "absent",
    "none",
    "nil",
    "neither",
    "nor",
    "no evidence of",
    "no e/o",
    "no sign of",
    "no signs of",
    "without evidence of",
    "denies",
    "denied",
]
DEFAULT_POST_NEGATION = [
    "not seen",
    "not visualized",
    "not visualised",
    "not identified",
    "not demonstrated",
    "not present",
    "not visible",
    "not evident",
    "not appreciated",
    "no longer seen",
    "no longer visualized",
    "no longer visualised",
    "no longer visible",
    "no longer identified",
    "no longer present",
    "no longer demonstrated",
    "resolved",
    "has resolved",
    "have resolved",
    "is absent",
    "are absent",
]
DEFAULT_PSEUDO = [
    "no change",
    "no changes",
    "no interval change",
    "no significant change",
    "no significant interval change",
    "no appreciable change",
    "no appreciable interval change",
    "no definite change",
    "no increase",
    "no decrease",
    "no growth",
    "not changed",
    "not significantly changed",
    "has not resolved",
    "have not resolved",
    "not resolved",
    "not completely resolved",
    "not fully resolved",
    "is not palpable",
    "are not palpable",
    "not palpable",
    "no longer palpable",
    "not well seen",
    "not well visualized",
    "not well defined",
    "without change",
    "without interval change",
    "without significant change",
    "no further",
    # "not seen on the prior" says the finding is new, not absent.
    "not present on the prior",
    "not present on prior",
    "not present on the previous",
    "not present on the study",
    "not seen on the prior",
    "not seen on prior",
    "not seen on the previous",
    "not visualized on the prior",
    "not visualized on prior",
    "not previously seen",
    "not seen previously",
    "not previously present",
    "not present previously",
    "not previously visualized",
]
DEFAULT_PRE_UNCERTAINTY = [
    "possible",
    "possibly",
    "probable",
    "probably",
    "questionable",
    "question of",
    "questioned",
    "suspicious for",
    "suspicious of",
    "concerning for",
    "worrisome for",
    "suggestive of",
    "may represent",
    "might represent",
    "could represent",
    "may be",
    "could be",
    "might be",
    "likely",
    "likely representing",
    "most likely",
    "cannot exclude",
    "can not exclude",
    "cannot rule out",
    "can not rule out",
    "rule out",
    "r/o",
    "equivocal",
    "indeterminate",
    "presumed",
    "presumably",
]
DEFAULT_POST_UNCERTAINTY = [
    "cannot be excluded",
    "can not be excluded",
    "could not be excluded",
    "not excluded",
    "cannot be ruled out",
    "can not be ruled out",
    "not ruled out",
    "is suspected",
    "are suspected",
    "is questioned",
    "is possible",
    "are possible",
    "is likely",
    "are likely",
]
DEFAULT_BI_UNCERTAINTY = ["versus", "vs", "vs.", "differential", "differential diagnosis", "ddx"]
DEFAULT_HYPOTHETICAL = [
    "may obscure",
    "can obscure",
    "could obscure",
    "might obscure",
    "may mask",
    "can mask",
    "could mask",
    "may hide",
    "can hide",
    "could hide",
    "lowers the sensitivity",
    "may lower the sensitivity",
    "reduces the sensitivity",
    "may reduce the sensitivity",
    "limits the sensitivity",
    "limit the sensitivity",
    "limits detection",
    "limit detection",
    "if",
    "in the event of",
    "should",
    "to evaluate",
    "evaluate for",
    "to assess",
]
DEFAULT_TERMINATORS = [
    "but",
    "however",
    "although",
    "though",
    "except",
    "excepting",
    "with the exception of",
    "apart from",
    "aside from",
    "other than",
    "which",
    "whereas",
    "while",
    "yet",
    "there is",
    "there are",
    "there was",
    "there were",
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "extend",
    "extends",
    "extending",
    "remain",
    "remains",
    "represents",
    "appears",
    "appear",
    "demonstrates",
    "demonstrate",
    "shows",
    "show",
    "at the site of",
    "in the area of",
    "corresponding to",
    "to correspond",
    "correlate",
    "correlates",
    "to account for",
    "to explain",
    "secondary to",
    "due to",
]
DEFAULT_HISTORICAL = [
    "history of",
    "hx of",
    "h/o",
    "hx",
    "personal history of",
    "past history of",
    "prior history of",
    "previous history of",
    "known history of",
    "status post",
    "s/p",
    "previously treated",
    "treated for",
]
DEFAULT_HISTORICAL_NEAR = ["prior", "previous", "previously", "known", "old", "remote", "former"]
DEFAULT_POST_HISTORICAL = [
    "was excised",
    "were excised",
    "was removed",
    "were removed",
    "was resected",
    "were resected",
    "excised in",
    "removed in",
    "resected in",
    "in the past",
    "years ago",
]
DEFAULT_FAMILY = [
    "family history of",
    "family history",
    "fhx of",
    "fhx",
    "fh of",
    "mother",
    "mother's",
    "mom",
    "sister",
    "sisters",
    "sister's",
    "aunt",
    "aunts",
    "grandmother",
    "daughter",
    "cousin",
    "father",
    "brother",
    "niece",
    "maternal",
    "paternal",
    "first-degree relative",
    "first degree relative",
    "relative",
    "relatives",
]
DEFAULT_CONTEXT_TERMINATORS = [
    "now",
    "currently",
    "presents",
    "presenting",
    "here for",
    "today",
    "new",
    "recalled",
    "returns",
    "patient",
]
# Long enough that one edit does not reach another common word ("within" is two).
DEFAULT_TYPO_CUES = ["without", "absent", "resolved"]
DEFAULT_BACKWARD_TERMINATORS = [
    "but",
    "however",
    "although",
    "though",
    "whereas",
    "while",
    "yet",
    "except",
    "and the",
    "and there",
    "and a",
    "and an",
    "there is",
    "there are",
    "there was",
    "there were",
]

# Kinds of cue, and the family each belongs to (a scope ends at the next cue of its family).
PRE_NEG, POST_NEG, PSEUDO = "pre_neg", "post_neg", "pseudo"
PRE_UNC, POST_UNC, BI_UNC, HYPO = "pre_unc", "post_unc", "bi_unc", "hypo"
PRE_HIST, NEAR_HIST, POST_HIST, PRE_FAM = "pre_hist", "near_hist", "post_hist", "pre_fam"
TERM, BACK_TERM, CONTEXT_TERM = "term", "back_term", "context_term"
FAMILY_OF = {
    PRE_NEG: "assertion",
    POST_NEG: "assertion",
    PSEUDO: "assertion",
    PRE_UNC: "assertion",
    POST_UNC: "assertion",
    BI_UNC: "assertion",
    HYPO: "assertion",
    PRE_HIST: "temporality",
    NEAR_HIST: "temporality",
    POST_HIST: "temporality",
    PRE_FAM: "experiencer",
    TERM: None,
    BACK_TERM: None,
    CONTEXT_TERM: None,
}
FORWARD = (PRE_NEG, PRE_UNC, BI_UNC, HYPO, PRE_HIST, NEAR_HIST, PRE_FAM)
BACKWARD = (POST_NEG, POST_UNC, BI_UNC, POST_HIST)
CONTEXT_EXEMPT = ("LATERALITY", "LOCATION", "DISTANCE", "SIZE")
HISTORY_KINDS = ("history", "comparison")
FAMILY_KINDS = ("family_history",)

_WORD = re.compile(r"[A-Za-z]{5,}")
_EMPTY_BOX = re.compile(r"[\[(]\s*[\])]\s*$")
_TICKED_BOX = re.compile(r"[\[(]\s*[xX\u2713\u2714]\s*[\])]\s*$")
# Nothing left in the clause but punctuation and unticked template options.
_NOTHING_AFTER = re.compile(r"^(?:[^\w\[(]|[\[(]\s*[\])]\s*\w+|[\[(])*$")
# The noun phrase a near cue reaches: up to three words, no punctuation.
_NEAR_GAP = re.compile(r"\s*(?:[\w'/-]+\s+){0,3}")
Cue = Tuple[int, int, str]


def phrase_pattern(phrase: str) -> str:
    """Regex source for a cue phrase: words joined by any whitespace, word
    boundaries where the phrase starts or ends with a word character.

    phrase (str): The cue, e.g. "no evidence of".
    RETURNS (str): The pattern source.
    """
    words = phrase.strip().split()
    if not words:
        raise MammoDataError("empty cue phrase in the negation config")
    body = r"\s+".join(re.escape(w) for w in words)
    if re.match(r"\w", words[0]):
        body = r"(?<!\w)" + body
    if re.search(r"\w$", words[-1]):
        body = body + r"(?!\w)"
    return body


def _compile(phrases: Iterable[str]) -> Optional["re.Pattern[str]"]:
    # Longest first, so that an alternation prefers "no evidence of" to "no".
    phrases = sorted(set(phrases), key=len, reverse=True)
    if not phrases:
        return None
    # Grouped by first character behind a lookahead: only phrases that can
    # match at the same position share a group, so the matches are those of the
    # flat alternation, but most positions fail on one test per group.
    groups: Dict[str, List[str]] = {}
    for phrase in phrases:
        pattern = phrase_pattern(phrase)  # raises on an empty phrase
        groups.setdefault(phrase.strip()[0].lower(), []).append(pattern)
    branches = "|".join(f"(?={re.escape(first)})(?:{'|'.join(patterns)})" for first, patterns in groups.items())
    # Every phrase that starts with a word character starts at a word start: positions inside a
    # word, or at a character no phrase starts with, fail on the first test (3x faster, same matches).
    word_start = r"(?<!\w)" if all(re.match(r"\w", p.strip()) for p in phrases) else ""
    firsts = "".join(re.escape(first) for first in sorted(groups))
    return re.compile(f"{word_start}(?=[{firsts}])(?:{branches})", re.IGNORECASE)


def _ends_forward(kind: str, other: str) -> bool:
    """Whether a cue of kind `other` ends the forward scope of a cue of `kind`."""
    if other == TERM:
        return True
    if other == CONTEXT_TERM:
        return FAMILY_OF[kind] != "assertion"
    return FAMILY_OF[other] == FAMILY_OF[kind]


def _ends_backward(kind: str, other: str) -> bool:
    """Whether a cue of kind `other` ends the backward scope of a cue of `kind`."""
    return other == BACK_TERM or FAMILY_OF[other] == FAMILY_OF[kind]


def _near(text: str, cue_end: int, ent_start: int) -> bool:
    """Whether an entity starts in the noun phrase right after a near cue."""
    m = _NEAR_GAP.match(text, cue_end, ent_start)
    return m is not None and m.end() == ent_start


def within_one_edit(a: str, b: str) -> bool:
    """Whether two different words are one insertion, deletion, substitution
    or swap of neighbours apart ("withuot"/"without", "absnt"/"absent").

    a (str): A word.
    b (str): Another word.
    RETURNS (bool): True when they differ by exactly one edit.
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:]


class MammoNegation:
    """Sets `span._.negated`, `uncertain`, `historical` and `family` on `doc.ents` by cue rules."""

    def __init__(
        self,
        name: str = "mammo_negation",
        *,
        pre_negation: Sequence[str] = tuple(DEFAULT_PRE_NEGATION),
        post_negation: Sequence[str] = tuple(DEFAULT_POST_NEGATION),
        pseudo: Sequence[str] = tuple(DEFAULT_PSEUDO),
        pre_uncertainty: Sequence[str] = tuple(DEFAULT_PRE_UNCERTAINTY),
        post_uncertainty: Sequence[str] = tuple(DEFAULT_POST_UNCERTAINTY),
        bi_uncertainty: Sequence[str] = tuple(DEFAULT_BI_UNCERTAINTY),
        hypothetical: Sequence[str] = tuple(DEFAULT_HYPOTHETICAL),
        terminators: Sequence[str] = tuple(DEFAULT_TERMINATORS),
        backward_terminators: Sequence[str] = tuple(DEFAULT_BACKWARD_TERMINATORS),
        typo_cues: Sequence[str] = tuple(DEFAULT_TYPO_CUES),
        scorer: Optional[Callable] = None,
        historical: Sequence[str] = tuple(DEFAULT_HISTORICAL),
        historical_near: Sequence[str] = tuple(DEFAULT_HISTORICAL_NEAR),
        post_historical: Sequence[str] = tuple(DEFAULT_POST_HISTORICAL),
        family: Sequence[str] = tuple(DEFAULT_FAMILY),
        context_terminators: Sequence[str] = tuple(DEFAULT_CONTEXT_TERMINATORS),
    ):
        """Initialise the component.

        name (str): The component name.
        pre_negation (Sequence[str]): Cues that negate what follows them.
        post_negation (Sequence[str]): Cues that negate what precedes them.
        pseudo (Sequence[str]): Phrases that look like negation but are not.
        pre_uncertainty (Sequence[str]): Cues that make what follows uncertain.
        post_uncertainty (Sequence[str]): Cues that make what precedes uncertain.
        bi_uncertainty (Sequence[str]): Differential cues, uncertain both ways.
        hypothetical (Sequence[str]): Cues after which nothing is negated or uncertain.
        terminators (Sequence[str]): Phrases that end a forward scope.
        backward_terminators (Sequence[str]): Phrases that end a backward scope.
        typo_cues (Sequence[str]): One-word negation cues that also match one
            edit away ("withuot", "absnt"); ignored unless also a pre- or post-cue.
        scorer (Optional[Callable]): Scores `negated`/`uncertain` for `nlp.evaluate`;
            None means `mammo_negation_score`.
        historical (Sequence[str]): Cues that make what follows historical.
        historical_near (Sequence[str]): Cues that make the noun phrase right after them historical.
        post_historical (Sequence[str]): Cues that make what precedes them historical.
        family (Sequence[str]): Cues after which what follows is a relative's.
        context_terminators (Sequence[str]): Phrases that end historical and family scopes.
        """
        self.name = name
        self.scorer = mammo_negation_score if scorer is None else scorer
        self._patterns = {
            PRE_NEG: _compile(pre_negation),
            POST_NEG: _compile(post_negation),
            PSEUDO: _compile(pseudo),
            PRE_UNC: _compile(pre_uncertainty),
            POST_UNC: _compile(post_uncertainty),
            BI_UNC: _compile(bi_uncertainty),
            HYPO: _compile(hypothetical),
            TERM: _compile(terminators),
            BACK_TERM: _compile(backward_terminators),
            PRE_HIST: _compile(historical),
            NEAR_HIST: _compile(historical_near),
            POST_HIST: _compile(post_historical),
            PRE_FAM: _compile(family),
            CONTEXT_TERM: _compile(context_terminators),
        }
        self._fuzzy_cues: Dict[str, str] = {}
        pre_words = {p.strip().lower() for p in pre_negation}
        post_words = {p.strip().lower() for p in post_negation}
        for cue in typo_cues:
            cue = cue.strip().lower()
            if cue in post_words:
                self._fuzzy_cues[cue] = POST_NEG
            elif cue in pre_words:
                self._fuzzy_cues[cue] = PRE_NEG

    def __call__(self, doc: Doc) -> Doc:
        """Set the assertion attributes of every entity of the doc.

        doc (Doc): A doc with `doc.ents` set.
        RETURNS (Doc): The same doc.
        """
        ents = list(doc.ents)
        if not ents:
            return doc
        layout = report_layout(doc)
        text, bounds, offsets = layout.text, layout.bounds, layout.ents
        cues = self.find_cues(doc, bounds, text=text, offsets=offsets)
        negated, uncertain, hypothetical, historical, family = set(), set(), set(), set(), set()
        targets = {
            PRE_NEG: negated,
            POST_NEG: negated,
            PRE_UNC: uncertain,
            POST_UNC: uncertain,
            BI_UNC: uncertain,
            HYPO: hypothetical,
            PRE_HIST: historical,
            NEAR_HIST: historical,
            POST_HIST: historical,
            PRE_FAM: family,
        }
        cue_groups = group_by_clause(bounds, cues, lambda c: (c[0], c[1]))
        ent_groups = group_by_clause(bounds, range(len(ents)), offsets.__getitem__)
        for (c_start, c_end), clause_cues, clause_ents in zip(bounds, cue_groups, ent_groups):
            if not clause_ents:
                continue
            for i, (start, end, kind) in enumerate(clause_cues):
                if kind not in targets:
                    continue
                lo, hi = end, end
                if kind in FORWARD:
                    hi = next((c[0] for c in clause_cues[i + 1 :] if _ends_forward(kind, c[2])), c_end)
                if kind in BACKWARD:
                    lo = max((c[1] for c in clause_cues[:i] if _ends_backward(kind, c[2])), default=c_start)
                for j in clause_ents:
                    e_start, e_end = offsets[j]
                    if lo <= e_start and e_end <= hi and (kind != NEAR_HIST or _near(text, end, e_start)):
                        targets[kind].add(j)
        for j, ent in enumerate(ents):
            label = ent.label_
            flagged = label not in NEVER_NEGATED and j not in hypothetical
            ent._.negated = flagged and j in negated
            ent._.uncertain = flagged and j in uncertain
            kind = layout.section_at(offsets[j][0])[1]
            in_context = label not in CONTEXT_EXEMPT
            ent._.historical = in_context and (j in historical or kind in HISTORY_KINDS)
            ent._.family = in_context and (j in family or kind in FAMILY_KINDS)
        return doc

    def score(self, examples: Iterable[Example], **kwargs) -> Dict[str, Optional[float]]:
        """Assertion accuracies for `nlp.evaluate` (see `mammo_negation_score`)."""
        return self.scorer(examples, **kwargs)

    def find_cues(
        self,
        doc: Doc,
        bounds: Optional[List[Tuple[int, int]]] = None,
        *,
        text: Optional[str] = None,
        offsets: Optional[Sequence[Tuple[int, int]]] = None,
    ) -> List[Cue]:
        """All cue matches of the doc after overlap resolution and the
        template rules, as (start_char, end_char, kind), sorted by position.

        doc (Doc): The document.
        bounds (Optional[List[Tuple[int, int]]]): The doc's `clause_bounds`, if known.
        text (Optional[str]): `doc.text`, if known.
        offsets (Optional[Sequence[Tuple[int, int]]]): The entities' (start_char, end_char), if known.
        RETURNS (List[Tuple[int, int, str]]): The cues.
        """
        text = doc.text if text is None else text
        found = []
        for kind, pattern in self._patterns.items():
            if pattern is not None:
                found.extend((m.start(), m.end(), kind) for m in pattern.finditer(text))
        if self._fuzzy_cues:
            for m in _WORD.finditer(text):
                word = m.group().lower()
                for cue, kind in self._fuzzy_cues.items():
                    # One edit away keeps the first or the last letter (and the length within one).
                    if abs(len(word) - len(cue)) > 1 or (word[0] != cue[0] and word[-1] != cue[-1]):
                        continue
                    # A different ending is an inflection ("resolves"), not a typo.
                    if word[:-1] in (cue, cue[:-1]) or word == cue[:-1]:
                        continue
                    if within_one_edit(word, cue):
                        found.append((m.start(), m.end(), kind))
                        break
        offsets = [(e.start_char, e.end_char) for e in doc.ents] if offsets is None else offsets
        ent_starts = [start for start, _ in offsets]
        ent_ends = [end for _, end in offsets]
        found.sort(key=lambda c: (c[0], c[0] - c[1]))
        cues: List[Cue] = []
        for start, end, kind in found:
            if cues and start < cues[-1][1]:
                continue
            # Entities do not overlap, so only the last one starting before `end` can overlap the cue.
            i = bisect.bisect_left(ent_starts, end) - 1
            if i >= 0 and ent_ends[i] > start:
                continue
            cues.append((start, end, kind))
        bounds = clause_bounds(doc, text, offsets) if bounds is None else bounds
        return self._apply_template_rules(text, cues, bounds)

    def _apply_template_rules(self, text: str, cues: List[Cue], bounds: List[Tuple[int, int]]) -> List[Cue]:
        result = []
        for (c_start, c_end), clause_cues in zip(bounds, group_by_clause(bounds, cues, lambda c: c[:2])):
            result.extend(self._template_kinds(text, c_start, c_end, clause_cues))
        return result

    @staticmethod
    def _template_kinds(text: str, c_start: int, c_end: int, cues: List[Cue]) -> List[Cue]:
        result = []
        for start, end, kind in cues:
            if kind in (PRE_NEG, POST_NEG):
                before = text[c_start:start]
                if _EMPTY_BOX.search(before):
                    kind = PSEUDO
                elif kind == PRE_NEG and (_TICKED_BOX.search(before) or _NOTHING_AFTER.match(text[end:c_end])):
                    kind = POST_NEG
            result.append((start, end, kind))
        return result


@Language.factory(
    "mammo_negation",
    assigns=["span._.negated", "span._.uncertain", "span._.historical", "span._.family"],
    requires=["doc.ents"],
    default_config={
        "pre_negation": DEFAULT_PRE_NEGATION,
        "post_negation": DEFAULT_POST_NEGATION,
        "pseudo": DEFAULT_PSEUDO,
        "pre_uncertainty": DEFAULT_PRE_UNCERTAINTY,
        "post_uncertainty": DEFAULT_POST_UNCERTAINTY,
        "bi_uncertainty": DEFAULT_BI_UNCERTAINTY,
        "hypothetical": DEFAULT_HYPOTHETICAL,
        "terminators": DEFAULT_TERMINATORS,
        "backward_terminators": DEFAULT_BACKWARD_TERMINATORS,
        "typo_cues": DEFAULT_TYPO_CUES,
        "scorer": {"@scorers": "spacy-mammo.negation_scorer.v1"},
        "historical": DEFAULT_HISTORICAL,
        "historical_near": DEFAULT_HISTORICAL_NEAR,
        "post_historical": DEFAULT_POST_HISTORICAL,
        "family": DEFAULT_FAMILY,
        "context_terminators": DEFAULT_CONTEXT_TERMINATORS,
    },
    # Reported next to the entity scores, not used to select checkpoints (the rules
    # are not trained). unc_acc has no column: the guidelines' gold has no uncertainty.
    default_score_weights={"neg_acc": 0.0, "unc_acc": None},
)
def make_mammo_negation(
    nlp: Language,
    name: str,
    pre_negation: List[str],
    post_negation: List[str],
    pseudo: List[str],
    pre_uncertainty: List[str],
    post_uncertainty: List[str],
    bi_uncertainty: List[str],
    hypothetical: List[str],
    terminators: List[str],
    backward_terminators: List[str],
    typo_cues: List[str],
    scorer: Optional[Callable],
    historical: List[str],
    historical_near: List[str],
    post_historical: List[str],
    family: List[str],
    context_terminators: List[str],
) -> MammoNegation:
    """Build the rule-based assertion component (cue lists as in `MammoNegation`).

    RETURNS (MammoNegation): The component.
    """
    return MammoNegation(
        name,
        pre_negation=pre_negation,
        post_negation=post_negation,
        pseudo=pseudo,
        pre_uncertainty=pre_uncertainty,
        post_uncertainty=post_uncertainty,
        bi_uncertainty=bi_uncertainty,
        hypothetical=hypothetical,
        terminators=terminators,
        backward_terminators=backward_terminators,
        typo_cues=typo_cues,
        scorer=scorer,
        historical=historical,
        historical_near=historical_near,
        post_historical=post_historical,
        family=family,
        context_terminators=context_terminators,
    )


def mammo_negation_score(examples: Iterable[Example], **kwargs) -> Dict[str, Optional[float]]:
    """`neg_acc`: accuracy of `negated` over the gold finding entities that the
    prediction found with the same span and label; `unc_acc`: the same for
    `uncertain`, over the gold spans that carry it (None when none does).
    """
    examples = list(examples)
    gold = [eg.reference for eg in examples]
    pred = [eg.predicted for eg in examples]
    return {
        "neg_acc": negation_accuracy(gold, pred)["accuracy"],
        "unc_acc": uncertainty_accuracy(gold, pred)["accuracy"],
    }


@registry.scorers("spacy-mammo.negation_scorer.v1")
def make_mammo_negation_scorer() -> Callable:
    return mammo_negation_score


def negation_accuracy(docs_gold: Sequence[Doc], docs_pred: Sequence[Doc]) -> Dict[str, object]:
    """Accuracy of `negated` over gold finding entities (FINDING_LABELS) that
    the prediction found with the exact span and label. A gold span without the
    attribute counts as not negated, as the guidelines' span format says.

    docs_gold (Sequence[Doc]): Docs with gold entities and gold `negated`.
    docs_pred (Sequence[Doc]): Predicted docs over the same texts, same order.
    RETURNS (Dict[str, object]): "accuracy" (None when nothing matched),
        "matched", "correct", "gold_findings", "unmatched", and the confusion
        counts "tp", "fp", "fn", "tn" with negated as the positive class.
    """
    return _assertion_accuracy(docs_gold, docs_pred, "negated", gold_must_carry=False)


def uncertainty_accuracy(docs_gold: Sequence[Doc], docs_pred: Sequence[Doc]) -> Dict[str, object]:
    """Accuracy of `uncertain`, as `negation_accuracy`, but only over gold spans that
    carry the attribute: the guidelines' gold (v1.3) annotates negation only, so a
    span without it says nothing about uncertainty."""
    return _assertion_accuracy(docs_gold, docs_pred, "uncertain", gold_must_carry=True)


def _carries(span: Span, attr: str) -> bool:
    # spaCy keeps a span extension's value in doc.user_data under this key once
    # it is set (and DocBin(store_user_data=True) saves it).
    return ("._.", attr, span.start_char, span.end_char) in span.doc.user_data


def _assertion_accuracy(
    docs_gold: Sequence[Doc], docs_pred: Sequence[Doc], attr: str, *, gold_must_carry: bool
) -> Dict[str, object]:
    if len(docs_gold) != len(docs_pred):
        raise MammoDataError(f"{attr} accuracy got {len(docs_gold)} gold docs and {len(docs_pred)} predicted docs")
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    gold_total = 0
    for i, (gold, pred) in enumerate(zip(docs_gold, docs_pred)):
        if gold.text != pred.text:
            raise MammoDataError("gold and predicted doc texts differ", record=str(i))
        predicted = {(e.start_char, e.end_char, e.label_): bool(e._.get(attr)) for e in pred.ents}
        for ent in gold.ents:
            if ent.label_ not in FINDING_LABELS or (gold_must_carry and not _carries(ent, attr)):
                continue
            gold_total += 1
            key = (ent.start_char, ent.end_char, ent.label_)
            if key not in predicted:
                continue
            g, p = bool(ent._.get(attr)), predicted[key]
            counts[("t" if g == p else "f") + ("p" if p else "n")] += 1
    matched = sum(counts.values())
    correct = counts["tp"] + counts["tn"]
    return {
        "accuracy": correct / matched if matched else None,
        "matched": matched,
        "correct": correct,
        "gold_findings": gold_total,
        "unmatched": gold_total - matched,
        **counts,
    }
