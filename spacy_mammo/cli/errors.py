import json
from pathlib import Path
from typing import Optional

import typer

from ._util import Arg, Opt, app, check_pipeline


@app.command("errors")
def errors_cli(
    # fmt: off
    model: str = Arg(..., help="Pipeline directory or package name", callback=check_pipeline),
    data: Path = Arg(..., help="Gold data (.spacy or span .jsonl)", exists=True, dir_okay=False),
    limit: int = Opt(0, "--limit", min=0, help="Show at most this many errors per label and kind (0: all)"),
    out_json: Optional[Path] = Opt(None, "--out-json", help="Write every error as JSON", dir_okay=False),
    # fmt: on
):
    """Print a model's false positives and negatives on a gold file, grouped by label and kind
    (boundary, label, boundary+label, missed, spurious), with their text in context."""
    from ..evaluation.errors import analyse_file, error_listing, errors_as_dicts, summary_table
    from ..io import atomic_open

    errors = analyse_file(model, data)
    typer.echo(summary_table(errors))
    if errors:
        typer.echo("\n" + error_listing(errors, limit_per_group=limit))
    if out_json is not None:
        with atomic_open(out_json, "w", encoding="utf8") as file_:
            json.dump(errors_as_dicts(errors), file_, indent=1)
