from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ._util import Arg, Opt, app, check_pipeline


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


class OutputLevel(str, Enum):
    report = "report"
    lesion = "lesion"


def check_n_process(value: int) -> int:
    """Option callback: a number of processes, or -1 for all CPUs."""
    if value == 0 or value < -1:
        raise typer.BadParameter(f"{value}: give a positive number of processes, or -1 for all CPUs")
    return value


@app.command("extract")
def extract_cli(
    # fmt: off
    ctx: typer.Context,
    input_path: Optional[Path] = Arg(
        None, help="CSV, Parquet, JSONL ({id, text} per line) or a folder of .txt", exists=True
    ),
    model: str = Opt(..., "--model", help="mammo_ner pipeline directory or package", callback=check_pipeline),
    out: Optional[Path] = Opt(
        None, "--out", help="Output .jsonl (a line per report) or .csv (a row per finding)", dir_okay=False
    ),
    input_sql: Optional[str] = Opt(None, "--input-sql", help="Read reports from this database (SQLAlchemy URL)"),
    query: Optional[str] = Opt(None, "--query", help='with --input-sql: e.g. "SELECT id, text FROM reports"'),
    out_sql: Optional[str] = Opt(None, "--out-sql", help="Write to this database (SQLAlchemy URL) instead of --out"),
    table: str = Opt("findings", "--table", help="with --out-sql: tables TABLE, TABLE_reports, TABLE_errors"),
    fmt: Optional[OutputFormat] = Opt(None, "--format", help="Output format (default: by --out extension)"),
    level: OutputLevel = Opt(
        OutputLevel.report,
        "--level",
        help="What a row is: report (a JSON line per report, a "
        "CSV/table row per finding) or lesion (a line/row per lesion of doc._.lesions)",
    ),
    id_column: str = Opt("id", "--id-column", help="CSV/Parquet/SQL id column"),
    text_column: str = Opt("text", "--text-column", help="CSV/Parquet/SQL text column"),
    batch_size: int = Opt(256, "--batch-size", min=1, help="nlp.pipe batch size and flush (transaction) interval"),
    n_process: int = Opt(1, "--n-process", help="Worker processes (-1: all CPUs)", callback=check_n_process),
    errors_path: Optional[Path] = Opt(None, "--errors", dir_okay=False, help="Errors file (default: OUT.errors.jsonl)"),
    resume: bool = Opt(False, "--resume", help="Keep the reports already written and skip their ids"),
    overwrite: bool = Opt(False, "--overwrite", help="Replace an existing output (refused without it)"),
    include_text: bool = Opt(False, "--include-text", help="Put the report text in the output (patient data)"),
    chunksize: int = Opt(10_000, "--chunksize", min=1, help="Parquet/SQL rows read at a time"),
    max_chars: int = Opt(1_000_000, "--max-chars", min=1, help="Longest report processed; longer ones are errors"),
    follow_symlinks: bool = Opt(False, "--follow-symlinks", help="Read symlinks in a folder input (never to outside)"),
    # fmt: on
):
    """Extract entities, findings and report-level BI-RADS from many reports.
    Reports that cannot be processed go to the errors file (id, position, reason; never
    the text) and make the run exit 1; a run that cannot start (output exists or is
    locked by another run) exits 2; SIGINT / SIGTERM stop it resumably with 130 / 143.
    """
    from ..batch.interrupts import Interrupted, interrupts_raise
    from ..batch.outputs import OUTPUT_FORMATS
    from ..batch.run import ExtractOptions, extract_file, interrupted_message
    from ..batch.sql import SqlSource, SqlTable

    if (input_path is None) == (input_sql is None) or (out is None) == (out_sql is None):
        raise typer.BadParameter("give one input (INPUT or --input-sql) and one output (--out or --out-sql)", ctx)
    if out_sql is not None and errors_path is not None:
        raise typer.BadParameter("with --out-sql the errors go to the table TABLE_errors", ctx, param_hint="'--errors'")
    if (input_sql is None) != (query is None):
        raise typer.BadParameter("--input-sql and --query go together", ctx, param_hint="'--query'")
    if out is not None and fmt is None and out.suffix.lower() not in OUTPUT_FORMATS:
        raise typer.BadParameter(
            f"cannot tell the format of {out.name!r}: use .jsonl or .csv, or give --format", ctx, param_hint="'--out'"
        )
    options = ExtractOptions(
        fmt=fmt.value if fmt else None,
        level=level.value,
        id_column=id_column,
        text_column=text_column,
        batch_size=batch_size,
        n_process=n_process,
        errors_path=errors_path,
        resume=resume,
        overwrite=overwrite,
        include_text=include_text,
        chunksize=chunksize,
        max_chars=max_chars,
        follow_symlinks=follow_symlinks,
    )
    source = input_path if input_sql is None else SqlSource(input_sql, query)
    target = out if out_sql is None else SqlTable(out_sql, table)
    try:
        with interrupts_raise():
            summary = extract_file(source, model, target, options)
    except Interrupted as err:
        typer.echo(interrupted_message(err, target), err=True)
        raise typer.Exit(err.exit_code) from None
    typer.echo(summary)
    raise typer.Exit(summary.exit_code)
