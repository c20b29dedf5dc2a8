from pathlib import Path
from typing import Optional

import typer

from ._util import Arg, Opt, app


@app.command("stats")
def stats_cli(
    # fmt: off
    path: Path = Arg(..., help="JSONL file with {id, text, spans} records", exists=True, dir_okay=False),
    out: Optional[Path] = Opt(None, "--out", help="Also write the Markdown to this file", dir_okay=False),
    # fmt: on
):
    """Print corpus statistics of a JSONL span corpus as Markdown."""
    from ..corpus.stats import corpus_markdown

    typer.echo(corpus_markdown(path, out), nl=False)
