from pathlib import Path
from typing import List, Optional

import typer

from ._util import Arg, Opt, app, check_pipeline


@app.command("adapt")
def adapt_cli(
    # fmt: off
    model: str = Arg(..., help="Shipped pipeline directory to start from", callback=check_pipeline),
    local: Path = Arg(..., help="The site's annotated reports (guideline span JSONL)", exists=True, dir_okay=False),
    output: Path = Arg(..., help="Folder for the adapted pipeline (must not exist, unless --overwrite)"),
    more_local: List[Path] = Opt(
        [],
        "--more-local",
        help="Further annotated JSONL files, pooled with LOCAL (repeatable)",
        exists=True,
        dir_okay=False,
    ),
    synthetic: Optional[Path] = Opt(
        None,
        "--synthetic",
        help="Synthetic span JSONL mixed in (e.g. assets/mammo/train.jsonl)",
        exists=True,
        dir_okay=False,
    ),
    n_synthetic: int = Opt(300, "--n-synthetic", min=0, help="Synthetic reports mixed in"),
    dev_fraction: float = Opt(
        0.2,
        "--dev-fraction",
        min=0.0,
        max=0.9,
        help="Share of local reports for early stopping; 0: train on all of them for exactly --max-epochs",
    ),
    local_weight: int = Opt(3, "--local-weight", min=1, help="Repeats of each local training report per epoch"),
    max_epochs: int = Opt(8, "--max-epochs", min=1),
    patience: int = Opt(2, "--patience", min=1, help="Epochs without a better dev F1 before stopping"),
    learn_rate: float = Opt(0.0005, "--learn-rate", min=0.0),
    seed: int = Opt(0, "--seed"),
    runs: int = Opt(
        1, "--runs", min=1, help="Fine-tune this many times (seeds SEED, SEED+1, ...) and average the weights"
    ),
    overwrite: bool = Opt(
        False, "--overwrite", help="Replace an existing output folder once the new pipeline is complete"
    ),
    # fmt: on
):
    """Fine-tune a shipped pipeline on a site's own annotated reports, mixed with the synthetic corpus,
    with a dev split and early stopping; write the new pipeline."""
    from ..training.adapt import AdaptOptions, adapt

    options = AdaptOptions(
        dev_fraction=dev_fraction,
        n_synthetic=n_synthetic,
        local_weight=local_weight,
        max_epochs=max_epochs,
        patience_epochs=patience,
        learn_rate=learn_rate,
        seed=seed,
        n_runs=runs,
    )
    local_files = [local, *more_local]
    result = adapt(Path(model), local_files, output, synthetic_path=synthetic, options=options, overwrite=overwrite)
    n_dev = result["local_dev_reports"]
    stopping = f"early stopping on {n_dev}" if n_dev else f"{max_epochs} epochs, no dev split"
    typer.echo(
        f"adapted on {result['local_train_reports']} local reports (+{result['synthetic_reports']} synthetic), "
        f"{stopping}, {result['runs_averaged']} run(s) averaged; pipeline written to {output}"
    )
