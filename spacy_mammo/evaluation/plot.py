"""Plot entity F1 per epoch and per step from a JSONL training log.

`python -m spacy mammo plot LOG.jsonl OUT.png [--title T] [--per-label]`
The log is the one `spacy-mammo.jsonl_logger.v1` writes; curriculum stages are
shaded in the background.
"""

import json
from pathlib import Path
from typing import Optional, Union

import pandas as pd

from ..errors import MammoDataError
from ..extras import require
from ..io import atomic_open

REQUIRED_COLUMNS = ("epoch", "step", "ents_f")


def read_training_log(log_path: Union[str, Path]) -> pd.DataFrame:
    """The log as a DataFrame, one row per evaluation, sorted by step.

    log_path (str or Path): the JSONL log.
    RETURNS (pd.DataFrame): the rows.
    """
    log_path = Path(log_path)
    if not log_path.exists():
        raise MammoDataError("training log not found", path=log_path)
    lines = log_path.read_text(encoding="utf8").splitlines()
    for i, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            raise MammoDataError("not valid JSON", path=log_path, line=i) from None
        if not isinstance(row, dict):
            raise MammoDataError("a row must be a JSON object", path=log_path, line=i)
    if not any(line.strip() for line in lines):
        raise MammoDataError("training log is empty", path=log_path)
    df = pd.read_json(log_path, lines=True)
    missing = [col for col in REQUIRED_COLUMNS if col not in df.columns]
    if missing:
        raise MammoDataError(f"missing column(s): {', '.join(missing)}", path=log_path)
    return df.sort_values("step").reset_index(drop=True)


def plot_training_log(
    log_path: Union[str, Path],
    out_png: Union[str, Path],
    title: Optional[str] = None,
    per_label: bool = False,
) -> Path:
    """Write a PNG with entity F1 per epoch (last evaluation of each epoch) and per step.

    log_path (str or Path): the JSONL log.
    out_png (str or Path): the PNG to write (atomically).
    title (str or None): figure title.
    per_label (bool): add thin per-label F1 lines to the step panel.
    RETURNS (Path): the PNG path.
    """
    df = read_training_log(log_path)
    plt = _pyplot()
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    out_png = Path(out_png)
    fig, (ax_epoch, ax_step) = plt.subplots(1, 2, figsize=(12, 4.5))
    stage_colors = _stage_colors(df)
    by_epoch = df.groupby("epoch", as_index=False).last()
    low, high = f1_range(df["ents_f"])
    for ax, x, data in ((ax_epoch, "epoch", by_epoch), (ax_step, "step", df)):
        _shade_stages(ax, data, x, stage_colors)
        ax.plot(data[x], data["ents_f"], marker="o", color="black", linewidth=1.8, label="ents_f")
        ax.set_xlabel(x)
        ax.set_ylabel("entity F1")
        ax.set_ylim(low, high)
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _progress_axis(ax_step, df)
    if per_label and "ents_per_type_f" in df.columns:
        labels = pd.DataFrame([row if isinstance(row, dict) else {} for row in df["ents_per_type_f"]])
        palette = plt.get_cmap("tab10").colors
        for i, label in enumerate(sorted(labels.columns)):
            color = palette[i % len(palette)]
            ax_step.plot(df["step"], labels[label], linewidth=0.8, color=color, label=label)
    ax_epoch.set_title("F1 per epoch (last evaluation)")
    ax_step.set_title("F1 per step")
    handles = [Patch(facecolor=color, alpha=0.5, label=f"stage: {name}") for name, color in stage_colors.items()]
    ax_epoch.legend(handles=ax_epoch.get_legend_handles_labels()[0] + handles, loc="lower right", fontsize="small")
    ax_step.legend(loc="lower right", fontsize="x-small", ncol=2 if per_label else 1)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    try:
        with atomic_open(out_png, "wb") as file_:
            fig.savefig(file_, format="png", dpi=120)
    finally:
        plt.close(fig)
    return out_png


def f1_range(scores: pd.Series, pad: float = 0.1) -> "tuple[float, float]":
    """The y range the curve uses: the scores after the first evaluation (the untrained zero at step 0
    would flatten everything), padded by `pad` of their spread, within [0, 1.005]."""
    values = scores.dropna()
    values = values.iloc[1:] if len(values) > 2 else values
    if values.empty:
        return 0.0, 1.005
    lo, hi = float(values.min()), float(values.max())
    margin = max(pad * (hi - lo), 0.002)
    return max(0.0, lo - margin), min(1.005, hi + margin)


def _progress_axis(ax, df: pd.DataFrame) -> None:
    """The curriculum's progress on a second y axis: competence c(t) where logged, else the stage index."""
    for column, label in (("competence", "competence c(t)"), ("stage_index", "curriculum stage")):
        if column in df.columns and df[column].notna().any():
            twin = ax.twinx()
            twin.step(df["step"], df[column], where="post", color="tab:blue", linestyle="--", linewidth=1.2)
            twin.set_ylabel(label, color="tab:blue")
            twin.tick_params(axis="y", colors="tab:blue")
            if column == "stage_index":
                twin.yaxis.get_major_locator().set_params(integer=True)
            return


def _pyplot():
    """matplotlib.pyplot on the Agg backend (files only, no display)."""
    require("matplotlib", "train", "plotting the training log").use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _stage_colors(df: pd.DataFrame) -> dict:
    """A colour per stage name, by stage index where logged, so a stage keeps its colour across plots."""
    if "stage" not in df.columns:
        return {}
    palette = _pyplot().get_cmap("Pastel1").colors
    colors = {}
    for i, row in df.iterrows():
        name = row["stage"]
        if isinstance(name, str) and name not in colors:
            index = row.get("stage_index")
            key = int(index) if pd.notna(index) else len(colors)
            colors[name] = palette[key % len(palette)]
    return colors


def _shade_stages(ax, data: pd.DataFrame, x: str, colors: dict) -> None:
    """Shade each run of rows with the same stage.

    Epochs get whole-epoch bands; on the step axis a band runs up to the next
    stage's first evaluation, since the exact step of a stage change is not logged.
    """
    if not colors:
        return
    stages = data["stage"].where(data["stage"].notna(), None).tolist()
    xs = data[x].tolist()
    run_start = 0
    for i in range(1, len(xs) + 1):
        if i == len(xs) or stages[i] != stages[run_start]:
            if stages[run_start] is not None:
                if x == "epoch":
                    left, right = xs[run_start] - 0.5, xs[i - 1] + 0.5
                else:
                    left, right = xs[run_start], xs[i] if i < len(xs) else xs[-1]
                if left == right:  # a lone last evaluation still gets a visible band
                    right = left + max(1, (xs[-1] - xs[0]) / 50)
                ax.axvspan(left, right, color=colors[stages[run_start]], alpha=0.5, linewidth=0)
            run_start = i
