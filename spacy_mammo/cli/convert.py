from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..corpus.readers import ALIGNMENT_MODES, FORMATS, SPLITS, convert_file, input_format
from ._util import Arg, Opt, app

InputFormat = Enum("InputFormat", {name: name for name in dict.fromkeys(FORMATS.values())}, type=str)
Split = Enum("Split", {name: name for name in SPLITS}, type=str)
AlignmentMode = Enum("AlignmentMode", {name: name for name in ALIGNMENT_MODES}, type=str)


@app.command("convert")
def convert_cli(
    # fmt: off
    ctx: typer.Context,
    input_path: Path = Arg(..., help="Input file (.jsonl, .tsv/.conll/.iob or .csv)", exists=True, dir_okay=False),
    output_path: Path = Arg(..., help="Output .spacy file", dir_okay=False),
    fmt: Optional[InputFormat] = Opt(None, "--format", help="Input format (default: by extension)"),
    split: Optional[Split] = Opt(None, "--split", help="JSONL only: one doc per report (default), sentence or section"),
    alignment_mode: Optional[AlignmentMode] = Opt(None, "--alignment-mode", help="JSONL only (default: strict)"),
    repair_bio: bool = Opt(False, "--repair-bio", help="CoNLL/CSV only: read an orphan I-X as B-X"),
    labels: Optional[str] = Opt(None, "--labels", help="Comma-separated allowed labels (JSONL default: the 17 LABELS)"),
    id_column: str = Opt("sentence_id", "--id-column", help="CSV: sequence id column"),
    token_column: str = Opt("token", "--token-column", help="CSV: token column"),
    tag_column: str = Opt("tag", "--tag-column", help="CSV: tag column"),
    encoding: str = Opt("utf-8", "--encoding", help="CSV: file encoding"),
    # fmt: on
):
    """Convert JSONL / CoNLL / CSV annotations to .spacy."""
    resolved = fmt.value if fmt else input_format(input_path)
    if resolved is None:
        message = f"cannot tell the format from the extension {input_path.suffix!r}: give --format"
        raise typer.BadParameter(message, ctx, param_hint="'input_path'")
    if resolved != "jsonl" and (split or alignment_mode):
        raise typer.BadParameter(f"JSONL input only, not {resolved}", ctx, param_hint="'--split' / '--alignment-mode'")
    if resolved == "jsonl" and repair_bio:
        raise typer.BadParameter("CoNLL and CSV input only, not jsonl", ctx, param_hint="'--repair-bio'")
    stats = convert_file(
        input_path,
        output_path,
        fmt=resolved,
        split=split.value if split else None,
        alignment_mode=alignment_mode.value if alignment_mode else None,
        repair_bio=repair_bio,
        labels=[label.strip() for label in labels.split(",") if label.strip()] if labels else None,
        id_column=id_column,
        token_column=token_column,
        tag_column=tag_column,
        encoding=encoding,
    )
    typer.echo(f"docs: {stats.docs}, entities: {stats.entities}, repairs: {stats.repairs} -> {output_path}")
