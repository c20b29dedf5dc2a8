from pathlib import Path

import typer

from ._util import Arg, Opt, app, check_pipeline


@app.command("review")
def review_cli(
    # fmt: off
    input_path: Path = Arg(..., help="CSV, Parquet, JSONL ({id, text} per line) or a folder of .txt", exists=True),
    model: str = Opt(..., "--model", help="mammo_ner pipeline directory or package", callback=check_pipeline),
    out: Path = Opt(..., "--out", help="Output .html (contains report text)", dir_okay=False),
    limit: int = Opt(200, "--limit", min=1, help="First N valid reports"),
    id_column: str = Opt("id", "--id-column", help="CSV/Parquet id column"),
    text_column: str = Opt("text", "--text-column", help="CSV/Parquet text column"),
    # fmt: on
):
    """Render a self-contained HTML page for reviewing predictions: entities highlighted, findings
    table, composition and BI-RADS per report. The page CONTAINS REPORT TEXT (patient data) by
    design: keep it where the reports may be.
    """
    from ..evaluation.review import review_file

    shown, skipped = review_file(input_path, model, out, limit=limit, id_column=id_column, text_column=text_column)
    typer.echo(f"reports: {shown} shown, {skipped} invalid skipped -> {out}")
