"""Write output files whole or not at all."""

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator, Optional, Union


@contextmanager
def atomic_open(path: Union[str, Path], mode: str = "w", encoding: Optional[str] = None) -> Iterator[IO]:
    """Open a temp file beside `path`; rename it to `path` when the block ends
    without error, delete it otherwise. Readers never see a half-written file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes 0600 files; outputs are ordinary files
        with os.fdopen(fd, mode, encoding=encoding) as file_:
            yield file_
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
