"""Assertion status of entities: `span._.negated` and `span._.uncertain`.

A rule-based component in the style of NegEx/ConText, following the negation
conventions of the annotation guidelines (v1.2):

- Clauses are `doc.sents` when the doc has sentence boundaries, else spans split
  on ".", "?", "!" (not inside numbers like "1.2"), and always on ";" and
  newlines. A boundary never falls inside an entity.
- Cue phrases are matched case-insensitively on the text (so the rules do not
  depend on the tokenizer). Where cues overlap, the leftmost-longest wins, so
  "no change" (pseudo) beats "no", "has not resolved" beats "resolved", and
  "is not seen" beats the terminator "is". Cues inside an entity are ignored.
  A few long one-word cues also match with one typo ("withuot", "absnt").
- A pre-cue scopes forward to the clause end, a terminator ("but", "which",
  "there is", a verb such as "is" or "extend") or the next cue. A post-cue
  ("is not seen", "have resolved") scopes backward to the clause start, a
  backward terminator ("but", "however", "and the") or the previous cue.
  A negation pre-cue with nothing after it in its clause but punctuation or
  unticked options ("Masses: none", "Calcifications: [ ] yes [x] no") scopes
  backward; a cue right after an empty checkbox ("[ ] no") is void.
- Pseudo cues ("no change", "not excluded", "is not palpable") negate nothing.
  Uncertainty cues set `uncertain`; differential cues ("versus") scope both
  ways. Entities in a hypothetical scope ("may obscure") are neither negated
  nor uncertain.
- Only labels outside NEVER_NEGATED are flagged: finding heads and the
  descriptors that stand in the same negated phrase ("No [spiculated]
  [masses]"). LATERALITY, LOCATION, DISTANCE, SIZE, COMPOSITION and BIRADS
  keep False.
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

register_extensions()

DEFAULT_PRE_NEGATION = [
    "no", "without", "negative for", "free of", "absence of", "absent", "none", "nil",
    "neither", "nor", "no evidence of", "no e/o", "no sign of", "no signs of",
    "without evidence of", "denies", "denied",
]
DEFAULT_POST_NEGATION = [
    "not seen", "not visualized", "not visualised", "not identified", "not demonstrated",
    "not present", "not visible", "not evident", "not appreciated", "no longer seen",
    "no longer visualized", "no longer visualised", "no longer visible", "no longer identified",
    "no longer present", "no longer demonstrated", "resolved", "has resolved", "have resolved",
    "is absent", "are absent",
]
DEFAULT_PSEUDO = [
    "no change", "no changes", "no interval change", "no significant change",
    "no significant interval change", "no appreciable change", "no appreciable interval change",
    "no definite change", "no increase", "no decrease", "no growth", "not changed",
    "not significantly changed", "has not resolved", "have not resolved", "not resolved",
    "not completely resolved", "not fully resolved", "is not palpable", "are not palpable",
    "not palpable", "no longer palpable", "not well seen", "not well visualized", "not well defined",
    "without change",
    "without interval change", "without significant change", "no further",
    # "not seen on the prior" says the finding is new, not absent.
    "not present on the prior", "not present on prior", "not present on the previous",
    "not present on the study", "not seen on the prior", "not seen on prior", "not seen on the previous",
    "not visualized on the prior", "not visualized on prior", "not previously seen", "not seen previously",
    "not previously present", "not present previously", "not previously visualized",
]
DEFAULT_PRE_UNCERTAINTY = [
    "possible", "possibly", "probable", "probably", "questionable", "question of", "questioned",
    "suspicious for", "suspicious of", "concerning for", "worrisome for", "suggestive of",
    "may represent", "might represent", "could represent", "may be", "could be", "might be",
    "likely", "likely representing", "most likely", "cannot exclude", "can not exclude",
    "cannot rule out", "can not rule out", "rule out", "r/o", "equivocal", "indeterminate",
    "presumed", "presumably",
]
DEFAULT_POST_UNCERTAINTY = [
    "cannot be excluded", "can not be excluded", "could not be excluded", "not excluded",
    "cannot be ruled out", "can not be ruled out", "not ruled out", "is suspected",
    "are suspected", "is questioned", "is possible", "are possible", "is likely", "are likely",
]
DEFAULT_BI_UNCERTAINTY = ["versus", "vs", "vs.", "differential", "differential diagnosis", "ddx"]
DEFAULT_HYPOTHETICAL = [
    "may obscure", "can obscure", "could obscure", "might obscure", "may mask", "can mask",
    "could mask", "may hide", "can hide", "could hide", "lowers the sensitivity",
    "may lower the sensitivity", "reduces the sensitivity", "may reduce the sensitivity",
    "limits the sensitivity", "limit the sensitivity", "limits detection", "limit detection",
    "if", "in the event of", "should", "to evaluate", "evaluate for", "to assess",
]
DEFAULT_TERMINATORS = [
    "but", "however", "although", "though", "except", "excepting", "with the exception of",
    "apart from", "aside from", "other than", "which", "whereas", "while", "yet",
    "there is", "there are", "there was", "there were", "is", "are", "was", "were", "has",
    "have", "had", "extend", "extends", "extending", "remain", "remains", "represents",
    "appears", "appear", "demonstrates", "demonstrate", "shows", "show", "at the site of",
    "in the area of", "corresponding to", "to correspond", "correlate", "correlates",
    "to account for", "to explain", "secondary to", "due to",
]
# Long enough that one edit does not reach another common word ("within" is two).
DEFAULT_TYPO_CUES = ["without", "absent", "resolved"]
DEFAULT_BACKWARD_TERMINATORS = [
    "but", "however", "although", "though", "whereas", "while", "yet", "except",
    "and the", "and there", "and a", "and an", "there is", "there are", "there was", "there were",
]

# Kinds of cue; the order is irrelevant, the strings are the keys of `_compile_cues`.
PRE_NEG, POST_NEG, PSEUDO = "pre_neg", "post_neg", "pseudo"
PRE_UNC, POST_UNC, BI_UNC, HYPO = "pre_unc", "post_unc", "bi_unc", "hypo"
TERM, BACK_TERM = "term", "back_term"

_WORD = re.compile(r"[A-Za-z]{5,}")
_EMPTY_BOX = re.compile(r"[\[(]\s*[\])]\s*$")
_TICKED_BOX = re.compile(r"[\[(]\s*[xX\u2713\u2714]\s*[\])]\s*$")
# Nothing left in the clause but punctuation and unticked template options.
_NOTHING_AFTER = re.compile(r"^(?:[^\w\[(]|[\[(]\s*[\])]\s*\w+|[\[(])*$")
_SENT_BREAK = re.compile(
    r"[;\n]|[?!]|(?<!\bvs)(?<!\be\.g)(?<!\bi\.e)(?<!\bapprox)(?<!\bdr)(?:\.(?!\d)|(?<!\d)\.)",
    re.IGNORECASE,
)
_HARD_BREAK = re.compile(r"[;\n]")

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
    # flat alternation, but most positions fail on one test per group (4x faster).
    groups: Dict[str, List[str]] = {}
    for phrase in phrases:
        pattern = phrase_pattern(phrase)  # raises on an empty phrase
        groups.setdefault(phrase.strip()[0].lower(), []).append(pattern)
    branches = (f"(?={re.escape(first)})(?:{'|'.join(patterns)})" for first, patterns in groups.items())
    return re.compile("|".join(branches), re.IGNORECASE)


def clause_bounds(doc: Doc, text: Optional[str] = None) -> List[Tuple[int, int]]:
    """Character ranges of the doc's clauses: `doc.sents` when set (else own
    splitting on sentence punctuation), always split on ";" and newlines, never
    inside an entity.

    doc (Doc): The document.
    text (Optional[str]): `doc.text`, when the caller has it (spaCy rebuilds it on every access).
    RETURNS (List[Tuple[int, int]]): (start_char, end_char) per clause, in order.
    """
    text = doc.text if text is None else text
    if doc.has_annotation("SENT_START"):
        sent_bounds = [(s.start_char, s.end_char) for s in doc.sents]
        pattern = _HARD_BREAK
    else:
        sent_bounds = [(0, len(text))]
        pattern = _SENT_BREAK
    ent_starts = [e.start_char for e in doc.ents]
    ent_ends = [e.end_char for e in doc.ents]
    bounds = []
    for s_start, s_end in sent_bounds:
        start = s_start
        for m in pattern.finditer(text, s_start, s_end):
            cut = m.end()
            i = bisect.bisect_right(ent_starts, m.start()) - 1
            if i >= 0 and ent_ends[i] > m.start() and (ent_starts[i] < m.start() or ent_ends[i] > cut):
                continue
            if text[start:cut].strip():
                bounds.append((start, cut))
            start = cut
        if text[start:s_end].strip():
            bounds.append((start, s_end))
    return bounds


def group_by_clause(bounds: Sequence[Tuple[int, int]], items: Sequence, start_end) -> List[list]:
    """Distribute items over clauses: an item belongs to the clause that
    contains it entirely; items that cross a clause boundary are dropped.

    bounds (Sequence[Tuple[int, int]]): Clause ranges from `clause_bounds`.
    items (Sequence): Items sorted by start, e.g. entities or cues.
    start_end (Callable): Maps an item to its (start_char, end_char).
    RETURNS (List[list]): One list of items per clause.
    """
    groups: List[list] = [[] for _ in bounds]
    starts = [b[0] for b in bounds]
    for item in items:
        start, end = start_end(item)
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and end <= bounds[i][1]:
            groups[i].append(item)
    return groups


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
    """Sets `span._.negated` and `span._.uncertain` on `doc.ents` by cue rules."""

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
        text = doc.text
        bounds = clause_bounds(doc, text)
        cues = self.find_cues(doc, bounds, text=text)
        negated, uncertain, hypothetical = set(), set(), set()
        targets = {PRE_NEG: negated, POST_NEG: negated, PRE_UNC: uncertain,
                   POST_UNC: uncertain, BI_UNC: uncertain, HYPO: hypothetical}
        cue_groups = group_by_clause(bounds, cues, lambda c: (c[0], c[1]))
        ent_groups = group_by_clause(bounds, range(len(ents)), lambda j: (ents[j].start_char, ents[j].end_char))
        for (c_start, c_end), clause_cues, clause_ents in zip(bounds, cue_groups, ent_groups):
            for i, (start, end, kind) in enumerate(clause_cues):
                if kind not in targets:
                    continue
                lo, hi = end, end
                if kind in (PRE_NEG, PRE_UNC, BI_UNC, HYPO):
                    hi = next((c[0] for c in clause_cues[i + 1:] if c[2] != BACK_TERM), c_end)
                if kind in (POST_NEG, POST_UNC, BI_UNC):
                    lo = max((c[1] for c in clause_cues[:i] if c[2] != TERM), default=c_start)
                for j in clause_ents:
                    if lo <= ents[j].start_char and ents[j].end_char <= hi:
                        targets[kind].add(j)
        for j, ent in enumerate(ents):
            flagged = ent.label_ not in NEVER_NEGATED and j not in hypothetical
            ent._.negated = flagged and j in negated
            ent._.uncertain = flagged and j in uncertain
        return doc

    def score(self, examples: Iterable[Example], **kwargs) -> Dict[str, Optional[float]]:
        """Assertion accuracies for `nlp.evaluate` (see `mammo_negation_score`)."""
        return self.scorer(examples, **kwargs)

    def find_cues(
        self, doc: Doc, bounds: Optional[List[Tuple[int, int]]] = None, *, text: Optional[str] = None
    ) -> List[Cue]:
        """All cue matches of the doc after overlap resolution and the
        template rules, as (start_char, end_char, kind), sorted by position.

        doc (Doc): The document.
        bounds (Optional[List[Tuple[int, int]]]): The doc's `clause_bounds`, if known.
        text (Optional[str]): `doc.text`, if known.
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
                    # A different ending is an inflection ("resolves"), not a typo.
                    if word[:-1] in (cue, cue[:-1]) or word == cue[:-1]:
                        continue
                    if within_one_edit(word, cue):
                        found.append((m.start(), m.end(), kind))
                        break
        ent_starts = [e.start_char for e in doc.ents]
        ent_ends = [e.end_char for e in doc.ents]
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
        return self._apply_template_rules(text, cues, clause_bounds(doc, text) if bounds is None else bounds)

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
                elif kind == PRE_NEG and (
                    _TICKED_BOX.search(before) or _NOTHING_AFTER.match(text[end:c_end])
                ):
                    kind = POST_NEG
            result.append((start, end, kind))
        return result


@Language.factory(
    "mammo_negation",
    assigns=["span._.negated", "span._.uncertain"],
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
