"""Reading annotation files line by line, shared by the format readers: decoding
with line numbers (bad bytes are reported with their line), label checks that
never quote text, and the counts of a pass.
"""

import codecs
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Tuple, Union

from ..errors import MammoDataError

# Label characters: anything else is taken for misplaced text and never quoted.
LABEL_CHARS = r"[A-Za-z0-9_./:-]{1,60}"

PathLike = Union[str, Path]


@dataclass
class ReadStats:
    """Counts from one pass over a file; filled in while reading."""

    docs: int = 0
    entities: int = 0
    repairs: int = 0


def iter_lines(path: PathLike, encoding: str = "utf-8") -> Iterator[Tuple[int, str]]:
    """Yield (1-based line number, line without its line break), decoding line by
    line so that bad bytes are reported with their line.
    """
    path = Path(path)
    if not path.is_file():
        raise MammoDataError("file not found", path=path)
    try:
        # Incremental, so that multi-byte encodings (UTF-16) may be split at b"\n".
        decoder = codecs.getincrementaldecoder(encoding)()
    except LookupError:
        raise MammoDataError(f"unknown encoding {encoding!r}", path=path) from None
    number, offset, pending = 1, 0, ""
    with path.open("rb") as file_:
        for raw in itertools.chain(file_, [b""]):
            buffered = len(decoder.getstate()[0])
            try:
                pending += decoder.decode(raw, final=not raw)
            except UnicodeDecodeError as err:
                raise MammoDataError(
                    f"bytes that are not valid {encoding} at byte {offset - buffered + err.start} of the file",
                    path=path,
                    line=number,
                ) from None
            offset += len(raw)
            *lines, pending = pending.split("\n")
            for line in lines:
                yield number, _strip_bom(line, number).rstrip("\r")
                number += 1
    if pending:
        yield number, _strip_bom(pending, number).rstrip("\r")


def _strip_bom(line: str, number: int) -> str:
    return line.lstrip("\ufeff") if number == 1 else line


def unknown_label(label: object) -> str:
    """The problem text for an unknown label; a value that does not look like
    a label (columns mixed up, say) is not quoted, as it may be report text.
    """
    if isinstance(label, str) and re.fullmatch(LABEL_CHARS, label):
        return f"unknown label {label!r}"
    return "unknown label"
