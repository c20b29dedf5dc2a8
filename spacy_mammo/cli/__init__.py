"""Command line, written with typer as spaCy's own commands are: `python -m spacy mammo COMMAND`
(and `python -m spacy_mammo COMMAND`, the same app). One thin module per command parses
the options and calls a plain function of the package that does the work.

The `spacy_cli` entry point (setup.cfg) makes spaCy import this package before it builds
its command line, so the `mammo` group is added to spaCy's app here. spaCy does that for
every `python -m spacy` command: the command modules import the package's heavy modules
(pandas, matplotlib, scikit-learn, the generator) inside the commands, not at the top.
"""

from spacy.cli import app as spacy_app

from . import adapt, assemble, convert, errors, evaluate, extract, plot, review, stats, synth, vectors  # noqa: F401  (register)
from ._util import app, main

spacy_app.add_typer(app)

__all__ = ["app", "main"]
