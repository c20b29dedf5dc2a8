from pathlib import Path
from typing import Optional

import typer

from ._util import Arg, Opt, app


@app.command("plot")
def plot_cli(
    # fmt: off
    log_path: Path = Arg(..., help="JSONL training log (spacy-mammo.jsonl_logger.v1)", exists=True, dir_okay=False),
    out_png: Path = Arg(..., help="PNG to write", dir_okay=False),
    title: Optional[str] = Opt(None, "--title", help="Figure title"),
    per_label: bool = Opt(False, "--per-label", help="Add thin per-label F1 lines"),
    # fmt: on
):
    """Plot entity F1 per epoch and per step from a training log, curriculum stages shaded."""
    from ..evaluation.plot import plot_training_log

    typer.echo(f"wrote {plot_training_log(log_path, out_png, title=title, per_label=per_label)}")
