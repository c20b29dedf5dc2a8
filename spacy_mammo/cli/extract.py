from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ._util import Arg, Opt, app, check_pipeline


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


def check_n_process(value: int) -> int:
    """Option callback: a number of processes, or -1 for all CPUs."""
    if value == 0 or value < -1:
        raise typer.BadParameter(f"{value}: give a positive number of processes, or -1 for all CPUs")
    return value


@app.command("extract")
def extract_cli(
    # fmt: off
    ctx: typer.Context,
    input_path: Path = Arg(..., help="CSV, Parquet, JSONL ({id, text} per line) or a folder of .txt", exists=True),
    model: str = Opt(..., "--model", help="mammo_ner pipeline directory or package", callback=check_pipeline),
    out: Path = Opt(..., "--out", help="Output .jsonl (a line per report) or .csv (a row per finding)", dir_okay=False),
    fmt: Optional[OutputFormat] = Opt(None, "--format", help="Output format (default: by --out extension)"),
    id_column: str = Opt("id", "--id-column", help="CSV/Parquet id column"),
    text_column: str = Opt("text", "--text-column", help="CSV/Parquet text column"),
    batch_size: int = Opt(64, "--batch-size", min=1, help="nlp.pipe batch size and flush interval"),
    n_process: int = Opt(1, "--n-process", help="nlp.pipe processes (-1: all CPUs)", callback=check_n_process),
    errors_path: Optional[Path] = Opt(None, "--errors", dir_okay=False, help="Errors file (default: OUT.errors.jsonl)"),
    resume: bool = Opt(False, "--resume", help="Keep the reports in OUT.partial and skip their ids"),
    include_text: bool = Opt(False, "--include-text", help="Put the report text in the output (patient data)"),
    chunksize: int = Opt(10_000, "--chunksize", min=1, help="CSV/Parquet rows read at a time"),
    max_chars: int = Opt(1_000_000, "--max-chars", min=1, help="Longest report processed; longer ones are errors"),
    # fmt: on
):
    """Extract entities, findings and report-level BI-RADS from many reports.
    Reports that cannot be processed go to the errors file (id, position, reason; never
    the text) and make the run exit 1.
    """
    from ..batch import extract

    if fmt is None and out.suffix.lower() not in extract.OUTPUT_FORMATS:
        raise typer.BadParameter(f"cannot tell the format of {out.name!r}: use .jsonl or .csv, or give --format", ctx,
                                 param_hint="'--out'")
    summary = extract.extract_file(
        input_path,
        model,
        out,
        fmt=fmt.value if fmt else None,
        id_column=id_column,
        text_column=text_column,
        batch_size=batch_size,
        n_process=n_process,
        errors_path=errors_path,
        resume=resume,
        include_text=include_text,
        chunksize=chunksize,
        max_chars=max_chars,
    )
    typer.echo(summary)
    raise typer.Exit(summary.exit_code)
