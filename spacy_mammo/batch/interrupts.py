"""Clean interrupts for batch runs: SIGINT and SIGTERM become an `Interrupted`
exception in the main process, so the run stops between two records, its
`nlp.pipe` workers are told to stop, and the partial output stays resumable.

Workers forked by `run.pool_events` (or `nlp.pipe(n_process=...)`) ignore both signals (a Ctrl-C
reaches the whole process group; the parent stops them in order) and, on
Linux, die with their parent, so that a parent killed with SIGKILL leaves no
worker behind.
"""

import ctypes
import ctypes.util
import os
import signal
from contextlib import contextmanager
from typing import Any, Dict, Iterator, Optional

SIGNALS = (signal.SIGINT, signal.SIGTERM)
# prctl(2) option: the signal a process gets when its parent dies.
PR_SET_PDEATHSIG = 1


class Interrupted(BaseException):
    """A run stopped by a signal. A BaseException, as KeyboardInterrupt is, so
    that no `except Exception` on the way swallows it.

    signum (int): The signal.
    summary (Any): The run's counts when it stopped (set by `run.write_events`).
    """

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.summary: Any = None

    @property
    def exit_code(self) -> int:
        """128 + the signal number, as a shell reports it: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


_state: Dict[str, Optional[int]] = {"owner": None, "signum": None}


def _raise_interrupted(signum: int, frame: Any) -> None:
    if os.getpid() != _state["owner"] or _state["signum"] is not None:
        return  # a forked worker, or a second signal while the run is stopping
    _state["signum"] = signum
    raise Interrupted(signum)


def _in_forked_worker() -> None:
    if _state["owner"] is None:
        return
    for signum in SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        if libc is not None and hasattr(libc, "prctl"):
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


os.register_at_fork(after_in_child=_in_forked_worker)


@contextmanager
def interrupts_raise() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise `Interrupted` in this process
    (once; a second signal while stopping is ignored). Only in the main thread.
    """
    previous = {signum: signal.getsignal(signum) for signum in SIGNALS}
    _state.update(owner=os.getpid(), signum=None)
    for signum in SIGNALS:
        signal.signal(signum, _raise_interrupted)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _state.update(owner=None, signum=None)
