"""Training logger: spaCy's console table plus one JSONL row per evaluation.

Rows hold numbers only (epoch, step, curriculum stage, losses, scores, words,
seconds), never report text. The file is flushed after every row so it can be
plotted while training runs (`python -m spacy_mammo plot`).
"""

import json
import sys
from pathlib import Path
from typing import IO, Any, Callable, Dict, Optional, Tuple

import spacy
from spacy.language import Language

from . import curriculum

CURRICULUM_BATCHERS = ("spacy-mammo.curriculum_batcher.v1", "spacy-mammo.competence_batcher.v1")

LogStepT = Callable[[Optional[Dict[str, Any]]], None]


@spacy.registry.loggers("spacy-mammo.jsonl_logger.v1")
def jsonl_logger(path: str, console: bool = True, progress_bar: bool = True):
    """Log like `spacy.ConsoleLogger.v3` and write every evaluation as a JSONL row.

    path (str): the JSONL file, overwritten when training starts.
    console (bool): print spaCy's console table.
    progress_bar (bool): show a progress bar up to the next evaluation.
    RETURNS (Callable): spaCy's logger protocol, `setup_printer(nlp, stdout, stderr)`.
    """
    console_logger = spacy.registry.loggers.get("spacy.ConsoleLogger.v3")
    setup_console = console_logger(progress_bar="eval" if progress_bar else None, console_output=console)
    log_path = Path(path)

    def setup_printer(
        nlp: Language, stdout: IO = sys.stdout, stderr: IO = sys.stderr
    ) -> Tuple[LogStepT, Callable[[], None]]:
        console_step, console_finalize = setup_console(nlp, stdout, stderr)
        uses_curriculum = nlp.config["training"]["batcher"].get("@batchers") in CURRICULUM_BATCHERS
        # The batcher is first called after this point, so a stage seen later belongs to this run.
        curriculum.reset_current_stage()
        log_path.parent.mkdir(parents=True, exist_ok=True)
        stream = log_path.open("w", encoding="utf8")

        def log_step(info: Optional[Dict[str, Any]]) -> None:
            console_step(info)
            if info is None:
                return
            stage = curriculum.current_stage() if uses_curriculum else None
            stream.write(json.dumps(make_row(info, stage)) + "\n")
            stream.flush()

        def finalize() -> None:
            console_finalize()
            stream.close()

        return log_step, finalize

    return setup_printer


def make_row(info: Dict[str, Any], stage: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """One JSONL row from the training loop's `info` dict (scores in 0..1, as spaCy reports them).

    info (Dict[str, Any]): the info dict of `spacy.training.loop.train_while_improving`.
    stage (Dict[str, Any] or None): `curriculum.current_stage()`, or None without a curriculum.
    RETURNS (Dict[str, Any]): the row.
    """
    scores = info.get("other_scores") or {}
    per_type = scores.get("ents_per_type") or {}
    return {
        "epoch": info["epoch"],
        "step": info["step"],
        "stage": stage["stage_name"] if stage else None,
        "stage_index": stage["stage_index"] if stage else None,
        "competence": stage.get("competence") if stage else None,
        "losses": {name: float(value) for name, value in info["losses"].items()},
        "score": _float(info["score"]),
        "ents_p": _float(scores.get("ents_p")),
        "ents_r": _float(scores.get("ents_r")),
        "ents_f": _float(scores.get("ents_f")),
        "ents_per_type_f": {label: _float(prf.get("f")) for label, prf in per_type.items()},
        "words": info["words"],
        "seconds": info["seconds"],
    }


def _float(value: Any) -> Optional[float]:
    return None if value is None else float(value)
