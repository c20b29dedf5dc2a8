from pathlib import Path

import typer

from ._util import Opt, app


@app.command("synth")
def synth_cli(
    # fmt: off
    n: int = Opt(1000, "--n", min=0, help="Number of reports"),
    seed: int = Opt(0, "--seed", help="Random seed"),
    out: Path = Opt(..., "--out", dir_okay=False, help="Output JSONL file"),
    # fmt: on
):
    """Generate synthetic annotated mammography reports (JSONL)."""
    from ..corpus.synth import generate_reports, write_jsonl

    records = generate_reports(n, seed)
    write_jsonl(records, out)
    typer.echo(f"wrote {len(records)} reports to {out}")
