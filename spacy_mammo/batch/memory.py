"""Keep a long batch run's resident memory flat: return freed tensor buffers to the OS.

glibc raises its mmap threshold each time a large block is freed, so after
the first batches torch's temporary buffers (several MB each) come from the
heap instead of mmap. Interleaved with small long-lived objects they
fragment it and the process's RSS creeps up with every chunk of reports
even though nothing is kept (measured in benchmarks/results_load.md). A
fixed threshold turns that adaptation off: buffers above it are mmapped and
go back to the OS when freed.
"""

import ctypes
import ctypes.util
import logging
from typing import Optional

logger = logging.getLogger(__name__)

# mallopt parameter number of M_MMAP_THRESHOLD in glibc's malloc.h.
M_MMAP_THRESHOLD = -3
# glibc's own starting value; setting it explicitly is what fixes it.
MMAP_THRESHOLD_BYTES = 128 * 1024


def _libc() -> Optional[ctypes.CDLL]:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") else None


def fix_mmap_threshold(threshold: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Fix glibc's mmap threshold at `threshold` bytes for this process.

    A no-op, returning False, where the C library is not glibc (macOS,
    Windows, musl); the environment variable MALLOC_MMAP_THRESHOLD_ does the
    same from outside the process.

    threshold (int): Allocations of at least this many bytes use mmap.
    RETURNS (bool): Whether the threshold was set.
    """
    libc = _libc()
    if libc is None:
        return False
    done = bool(libc.mallopt(M_MMAP_THRESHOLD, threshold))
    if not done:
        logger.debug("mallopt(M_MMAP_THRESHOLD, %d) was refused", threshold)
    return done
