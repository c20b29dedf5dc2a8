"""The shipped pipeline: the trained tagger plus negation and findings (`python -m spacy mammo assemble MODEL OUT`).

The result is what users load and what `spacy package` ships: `doc.ents` (with the
abbreviations the text defines),
`span._.negated` / `span._.uncertain`, `doc._.findings` and `doc._.report`.
"""

import shutil
import tempfile
from pathlib import Path
from typing import List, Union

import spacy
from spacy.language import Language

PathLike = Union[str, Path]
# The components added after the tagger, in pipeline order.
RULE_COMPONENTS = ("mammo_abbreviations", "mammo_negation", "mammo_findings")


def load_pipeline(model: PathLike) -> Language:
    """Load a pipeline with `spacy.load` and add `mammo_abbreviations`,
    `mammo_negation` and `mammo_findings` after its NER when it lacks them.

    model (PathLike): A pipeline directory or installed package name.
    RETURNS (Language): The pipeline.
    """
    nlp = spacy.load(model)
    factories = {name: nlp.get_pipe_meta(name).factory for name in nlp.pipe_names}
    ner = [name for name, factory in factories.items() if factory in ("mammo_ner", "ner")]
    if not ner:
        raise ValueError(f"{model}: the pipeline has no mammo_ner component")
    # Each rule component runs after the one before it in this chain; one the pipeline has is kept where it is.
    previous = ner[-1]
    for factory in RULE_COMPONENTS:
        present = [name for name, pipe_factory in factories.items() if pipe_factory == factory]
        if present:
            previous = present[-1]
        else:
            nlp.add_pipe(factory, after=previous)
            previous = factory
    return nlp


def assemble(model: str, out: Path) -> List[str]:
    """Save `model` with `mammo_abbreviations`, `mammo_negation` and `mammo_findings` added; RETURNS the pipe names."""
    nlp = load_pipeline(model)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        nlp.to_disk(tmp)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return nlp.pipe_names
