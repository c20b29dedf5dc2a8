from pathlib import Path

import typer

from ._util import Arg, app, check_pipeline


@app.command("assemble")
def assemble_cli(
    # fmt: off
    model: str = Arg(..., help="Trained pipeline (e.g. training/model-best)", callback=check_pipeline),
    out: Path = Arg(..., help="Output pipeline directory", file_okay=False),
    # fmt: on
):
    """Add negation and findings to a trained pipeline: the pipeline users load and `spacy package` ships."""
    from ..assemble import assemble

    typer.echo(f"pipeline {assemble(model, out)} -> {out}")
