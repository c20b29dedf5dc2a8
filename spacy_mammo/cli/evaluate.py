from pathlib import Path
from typing import Optional

import typer

from ._util import Arg, Opt, app, check_pipeline


@app.command("evaluate")
def evaluate_cli(
    # fmt: off
    model: str = Arg(..., help="Pipeline directory or package name", callback=check_pipeline),
    data: Path = Arg(..., help="Test data (.spacy or span .jsonl)", exists=True, dir_okay=False),
    out_json: Optional[Path] = Opt(None, "--out-json", help="Write the metrics as JSON", dir_okay=False),
    out_md: Optional[Path] = Opt(None, "--out-md", help="Write the metrics as a Markdown table", dir_okay=False),
    findings: Optional[Path] = Opt(
        None,
        "--findings",
        help="Findings gold of DATA's reports (docs/FINDINGS_FORMAT.md): also score the findings",
        exists=True,
        dir_okay=False,
    ),
    gpu_id: int = Opt(-1, "--gpu-id", help="GPU to use, -1 for CPU"),
    batch_size: int = Opt(64, "--batch-size", min=1, help="nlp.pipe batch size"),
    # fmt: on
):
    """Score a pipeline on a test set: token BIO accuracy, entity P/R/F per label (JSON + Markdown); with
    --findings, the structured findings per field, on gold entities and end to end."""
    from ..evaluation.evaluate import evaluate_file, metrics_summary

    metrics = evaluate_file(
        model, data, out_json=out_json, out_md=out_md, findings=findings, gpu_id=gpu_id, batch_size=batch_size
    )
    typer.echo(metrics_summary(metrics))
