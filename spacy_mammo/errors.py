"""The project's own error type for bad input data."""

from pathlib import Path
from typing import Optional, Union


class MammoDataError(ValueError):
    """Bad input: names the source (file or document id), the place and the problem.

    Messages never quote report text, only ids, positions and labels.
    """

    def __init__(
        self,
        problem: str,
        *,
        path: Optional[Union[str, Path]] = None,
        line: Optional[int] = None,
        record: Optional[str] = None,
    ):
        self.problem = problem
        self.path = str(path) if path is not None else None
        self.line = line
        self.record = record
        where = []
        if self.path is not None:
            where.append(self.path)
        if line is not None:
            where.append(f"line {line}")
        if record is not None:
            where.append(f"record {record!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {problem}" if prefix else problem)
