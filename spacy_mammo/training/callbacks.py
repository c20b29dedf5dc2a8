"""Training callbacks that make spaCy's checkpoints safe to interrupt and free of report text.

spaCy's loop saves `model-last` with `nlp.to_disk` and then replaces
`model-best` with `rmtree` + `copytree`; a SIGTERM in between leaves no
`model-best`, or half of one. And `nlp.to_disk` writes the whole StringStore
(`vocab/strings.json`), which holds every token of every training report, so a
pipeline trained on hospital reports would carry their text. Use both callbacks
together:

    [training.before_to_disk]
    @callbacks = "spacy-mammo.safe_checkpoints.v1"

    [training.before_update]
    @callbacks = "spacy-mammo.deliver_deferred_signals.v1"
"""

import functools
import os
import signal
import threading
from pathlib import Path
from typing import Callable, Dict, List

import srsly
from spacy.language import Language
from spacy.util import registry

_DEFERRED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
_state: Dict[str, object] = {"saving": False, "pending": [], "previous": {}, "timer": None}


def _defer(signum, frame) -> None:
    if _state["saving"]:
        _state["pending"].append(signum)
    else:
        _deliver(signum)


def _deliver(signum: int) -> None:
    previous = _state["previous"].get(signum, signal.SIG_DFL)
    signal.signal(signum, previous)
    if callable(previous):
        previous(signum, None)  # Python's SIGINT handler raises KeyboardInterrupt
    else:
        os.kill(os.getpid(), signum)


def _release() -> None:
    """End the deferral and re-send the first signal that waited for it."""
    timer = _state["timer"]
    if timer is not None:
        timer.cancel()
    _state["saving"] = False
    if _state["pending"]:
        os.kill(os.getpid(), _state["pending"].pop(0))


def saved_strings(nlp: Language) -> List[str]:
    """The strings a saved pipeline needs: its labels (features are hashes of the text)."""
    return sorted({label for labels in nlp.pipe_labels.values() for label in labels})


def _to_disk_without_corpus_strings(nlp: Language, path, *, exclude=tuple()) -> None:
    Language.to_disk(nlp, path, exclude=exclude)
    strings_path = Path(path) / "vocab" / "strings.json"
    if strings_path.exists():
        tmp = strings_path.with_name(".strings.json.tmp")
        srsly.write_json(tmp, saved_strings(nlp))
        os.replace(tmp, strings_path)


@registry.callbacks("spacy-mammo.safe_checkpoints.v1")
def make_safe_checkpoints(
    strip_strings: bool = True, max_defer_seconds: float = 30.0
) -> Callable[[Language], Language]:
    """before_to_disk: hold SIGTERM/SIGINT/SIGHUP until the next training step (or
    `max_defer_seconds`, since the final checkpoint has no next step), and save only
    the label strings (not the corpus vocabulary) when `strip_strings`.
    """

    def before_to_disk(nlp: Language) -> Language:
        for signum in _DEFERRED:
            current = signal.getsignal(signum)
            # An ignored signal (nohup, a background job of a non-interactive shell)
            # stays ignored; None is a handler not set from Python, left alone.
            if current not in (_defer, signal.SIG_IGN, None):
                _state["previous"][signum] = signal.signal(signum, _defer)
        _state["saving"] = True
        if _state["timer"] is not None:
            _state["timer"].cancel()
        _state["timer"] = threading.Timer(max_defer_seconds, _release)
        _state["timer"].daemon = True
        _state["timer"].start()
        if strip_strings and "to_disk" not in nlp.__dict__:
            # The loop calls `before_to_disk(nlp).to_disk(path)`; an instance
            # attribute keeps the returned object a Language, as spaCy requires.
            nlp.to_disk = functools.partial(_to_disk_without_corpus_strings, nlp)
        return nlp

    return before_to_disk


@registry.callbacks("spacy-mammo.deliver_deferred_signals.v1")
def make_deliver_deferred_signals() -> Callable:
    """before_update: the previous checkpoint (model-last and model-best) is complete;
    deliver a signal that arrived while it was written."""

    def before_update(nlp: Language, info: dict) -> None:
        if _state["saving"]:
            _release()

    return before_update
