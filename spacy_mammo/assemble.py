"""The shipped pipeline: the trained tagger plus negation and findings (`python -m spacy mammo assemble MODEL OUT`).

The result is what users load and what `spacy package` ships: `doc.ents`,
`span._.negated` / `span._.uncertain`, `doc._.findings` and `doc._.report`.
"""
import shutil
import tempfile
from pathlib import Path
from typing import List

from .batch.extract import load_pipeline


def assemble(model: str, out: Path) -> List[str]:
    """Save `model` with `mammo_negation` and `mammo_findings` added; RETURNS the pipe names."""
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
