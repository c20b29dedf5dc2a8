from pathlib import Path
from typing import List

import typer

from ._util import Arg, Opt, app


@app.command("vectors")
def vectors_cli(
    # fmt: off
    output: Path = Arg(..., help="The .npy table to write", dir_okay=False),
    conll: List[Path] = Opt(
        [], "--conll", help="CoNLL token<TAB>tag file of text (repeatable; tags not read)", exists=True, dir_okay=False
    ),
    jsonl: List[Path] = Opt(
        [],
        "--jsonl",
        help="Guideline JSONL span file (repeatable; only the texts are read)",
        exists=True,
        dir_okay=False,
    ),
    rows: int = Opt(20000, "--rows", min=2, help="The tagger's subword_rows"),
    n_subwords: int = Opt(12, "--n-subwords", min=1, help="The tagger's n_subwords"),
    width: int = Opt(96, "--width", min=1, help="The tagger's embed_width"),
    epochs: int = Opt(3, "--epochs", min=1),
    seed: int = Opt(0, "--seed"),
    # fmt: on
):
    """Pretrain character-trigram vectors (skip-gram, fastText subwords) on unlabelled text; a config
    starts the tagger's trigram table from them with [initialize.components.mammo_ner] subword_vectors."""
    from ..training.subword_vectors import build_subword_vectors

    if not conll and not jsonl:
        raise typer.BadParameter("give at least one --conll or --jsonl file")
    table = build_subword_vectors(
        output,
        conll,
        jsonl,
        rows=rows,
        n_subwords=n_subwords,
        width=width,
        epochs=epochs,
        seed=seed,
        log=lambda line: typer.echo(line, err=True),
    )
    typer.echo(f"{table.shape[0]} x {table.shape[1]} subword vectors written to {output}")
