"""Training-time augmenters (`[corpora.train.augmenter]`): hard-wrapped text and entity substitution.

Both rebuild the example from its text and character spans, so the reference keeps exactly
its entities, and the predicted doc is tokenized by the pipeline as at run time.
"""

import random
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import spacy
from spacy.language import Language
from spacy.tokens import Span
from spacy.training import Example

from ..corpus.wrap import hard_wrap
from ..rules.lexicon import TERMS

AugmenterT = Callable[[Language, Example], Iterator[Example]]
Span3 = Tuple[int, int, str]


def rebuild(nlp: Language, text: str, spans: Sequence[Span3], negated: Sequence[bool]) -> Optional[Example]:
    """An example over `text` with `spans` as gold entities; None if a span does not fall on token boundaries."""
    reference = nlp.make_doc(text)
    ents = [reference.char_span(start, end, label=label) for start, end, label in spans]
    if any(ent is None for ent in ents):
        return None
    reference.ents = ents
    if Span.has_extension("negated"):
        for ent, neg in zip(reference.ents, negated):
            if neg:
                ent._.negated = True
    return Example(nlp.make_doc(text), reference)


def _spans(example: Example) -> Tuple[List[Span3], List[bool]]:
    ents = list(example.reference.ents)
    has_negated = Span.has_extension("negated")
    return [(e.start_char, e.end_char, e.label_) for e in ents], [bool(has_negated and e._.negated) for e in ents]


@spacy.registry.augmenters("spacy-mammo.wrap_augmenter.v1")
def create_wrap_augmenter(level: float, min_width: int = 60, max_width: int = 80) -> AugmenterT:
    """Yield the example, and with probability `level` a copy hard-wrapped at a random width.

    level (float): share of examples that also get a wrapped copy.
    min_width, max_width (int): range of the line width.
    RETURNS (Callable): a spaCy augmenter.
    """
    if not 0.0 <= level <= 1.0 or min_width < 1 or max_width < min_width:
        raise ValueError("wrap_augmenter: level must be in [0, 1] and 1 <= min_width <= max_width")

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        yield example
        if random.random() < level:
            spans, negated = _spans(example)
            text = hard_wrap(example.reference.text, random.randint(min_width, max_width), spans)
            if text != example.reference.text:
                wrapped = rebuild(nlp, text, spans, negated)
                if wrapped is not None:
                    yield wrapped

    return augment


@spacy.registry.augmenters("spacy-mammo.entity_substitution_augmenter.v1")
def create_entity_substitution_augmenter(
    level: float, per_entity: float = 0.3, labels: Sequence[str] = ("OTHER_FINDING", "ASSOCIATED_FEATURE", "MASS")
) -> AugmenterT:
    """Yield the example, and with probability `level` a copy whose entities of `labels` are each replaced,
    with probability `per_entity`, by another lexicon term of the same label, so that the tagger learns
    the contexts of a finding rather than a fixed list of words.

    level (float): share of examples that also get a substituted copy.
    per_entity (float): chance that an eligible entity is replaced.
    labels (Sequence[str]): the labels whose entities may be replaced.
    RETURNS (Callable): a spaCy augmenter.
    """
    if not 0.0 <= level <= 1.0 or not 0.0 <= per_entity <= 1.0:
        raise ValueError("entity_substitution_augmenter: level and per_entity must be in [0, 1]")
    choices: Dict[str, Tuple[str, ...]] = {label: TERMS[label] for label in labels if TERMS.get(label)}

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        yield example
        if random.random() >= level:
            return
        spans, negated = _spans(example)
        text = example.reference.text
        pieces, new_spans, last, changed = [], [], 0, False
        for start, end, label in spans:
            surface = text[start:end]
            if label in choices and random.random() < per_entity:
                surface = random.choice(choices[label])
                if text[start].isupper():
                    surface = surface[:1].upper() + surface[1:]
                changed = True
            pieces.append(text[last:start])
            offset = sum(len(p) for p in pieces)
            pieces.append(surface)
            new_spans.append((offset, offset + len(surface), label))
            last = end
        if not changed:
            return
        pieces.append(text[last:])
        substituted = rebuild(nlp, "".join(pieces), new_spans, negated)
        if substituted is not None:
            yield substituted

    return augment


@spacy.registry.augmenters("spacy-mammo.chain_augmenters.v1")
# Dict[str, Any], not Dict[str, AugmenterT]: confection validates the blocks of a dict argument before resolving them.
def create_chain_augmenters(augmenters: Dict[str, Any]) -> AugmenterT:
    """Apply several augmenters in turn, in the order of the config blocks: each one's outputs go through the next.

    augmenters (Dict[str, Callable]): named augmenters (`[corpora.train.augmenter.augmenters.NAME]` blocks).
    RETURNS (Callable): a spaCy augmenter.
    """

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        stream: List[Example] = [example]
        for augmenter in augmenters.values():
            stream = [out for eg in stream for out in augmenter(nlp, eg)]
        yield from stream

    return augment
