"""Writing `extract`'s results: JSONL (one line per report) or CSV (one row per
finding) and the errors JSONL, each written as OUT.partial and renamed to OUT
only when the run ends; `--resume` continues a partial file from its last
complete record.
"""
import csv
import json
import os
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple, Union

from ..errors import MammoDataError
from ..rules.findings import FINDING_KEYS
from .inputs import InputRecord

PathLike = Union[str, Path]
OUTPUT_FORMATS = {".jsonl": "jsonl", ".csv": "csv"}
REPORT_COLUMNS = ["id", "composition", "birads_right", "birads_left", "birads_overall"]


def partial_path(path: Path) -> Path:
    """OUT + ".partial": where a run writes until it ends."""
    return path.with_name(path.name + ".partial")


def _complete_lines(partial: Path) -> Tuple[bytes, List[int]]:
    """Cut a half-written last line off `partial`; return its content and the
    byte offset where each line starts.
    """
    data = partial.read_bytes()
    end = data.rfind(b"\n") + 1
    if end < len(data):
        with partial.open("r+b") as file_:
            file_.truncate(end)
        data = data[:end]
    starts = [0] + [m.end() for m in re.finditer(b"\n", data)][:-1] if data else []
    return data, starts


class _PartialFile:
    """A text file written as OUT.partial and renamed to OUT only by `commit`."""

    def __init__(self, path: PathLike):
        self.path = Path(path)
        self.partial = partial_path(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def flush(self) -> None:
        self.file.flush()

    def commit(self) -> None:
        """Close and rename OUT.partial to OUT."""
        self.file.close()
        os.replace(self.partial, self.path)

    def close(self) -> None:
        """Close without renaming (the partial output stays for --resume)."""
        self.file.close()


class JsonlOutput(_PartialFile):
    """One JSON line per report, written to OUT.partial and renamed at the end."""

    def __init__(self, path: PathLike, *, include_text: bool = False, resume: bool = False):
        """Open the output; with `resume`, keep what OUT.partial holds.

        path (PathLike): The final output path.
        include_text (bool): Whether records carry the text (checked on resume).
        resume (bool): Continue OUT.partial instead of starting afresh.
        """
        super().__init__(path)
        self.include_text = include_text
        self.done_ids: Set[str] = set()
        if resume and self.partial.exists():
            self.done_ids = self._recover()
            self.file = self.partial.open("a", encoding="utf-8")
        else:
            self.file = self.partial.open("w", encoding="utf-8")

    def _recover(self) -> Set[str]:
        data, starts = _complete_lines(self.partial)
        done = set()
        for number, line in enumerate(data.decode("utf-8").split("\n")[:-1], 1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                raise MammoDataError("not valid JSON: cannot resume", path=self.partial, line=number) from None
            if ("text" in record) != self.include_text:
                raise MammoDataError("written with another --include-text: cannot resume", path=self.partial)
            done.add(record["id"])
        return done

    def write(self, record: Dict[str, Any]) -> None:
        self.file.write(json.dumps(record, ensure_ascii=False) + "\n")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


class CsvOutput(JsonlOutput):
    """One CSV row per finding; a report without findings gets one row with
    empty finding columns. Report-level values repeat on each row.
    """

    def __init__(self, path: PathLike, *, include_text: bool = False, resume: bool = False):
        self.columns = REPORT_COLUMNS + list(FINDING_KEYS) + (["text"] if include_text else [])
        super().__init__(path, include_text=include_text, resume=resume)
        self.writer = csv.DictWriter(self.file, fieldnames=self.columns, lineterminator="\n")
        if self.file.tell() == 0:
            self.writer.writeheader()

    def _recover(self) -> Set[str]:
        # A report's rows are contiguous and the last report may lack some:
        # drop its rows too, it is processed again.
        data, starts = _complete_lines(self.partial)
        lines = data.decode("utf-8").split("\n")[:-1]
        reader = csv.reader(line + "\n" for line in lines)
        rows: List[Tuple[str, int]] = []
        try:
            line_index = 0
            for row in reader:
                rows.append((row[0] if row else "", starts[line_index]))
                line_index = reader.line_num
        except csv.Error:
            pass
        if not rows or next(csv.reader([lines[0] + "\n"])) != self.columns:
            if rows:
                raise MammoDataError("written with other columns (--include-text?): cannot resume", path=self.partial)
            return set()
        ids = rows[1:]
        keep = len(ids)
        while keep > 0 and ids[keep - 1][0] == ids[-1][0]:
            keep -= 1
        cut = ids[keep][1] if keep < len(ids) else len(data)
        with self.partial.open("r+b") as file_:
            file_.truncate(cut)
        return {report_id for report_id, _ in ids[:keep]}

    def write(self, record: Dict[str, Any]) -> None:
        birads = record["report"].get("birads") or {}
        base = {
            "id": record["id"],
            "composition": record["report"].get("composition"),
            "birads_right": birads.get("right"),
            "birads_left": birads.get("left"),
            "birads_overall": birads.get("overall"),
        }
        if self.include_text:
            base["text"] = record["text"]
        for finding in record["findings"] or [{}]:
            row = {**base, **finding}
            self.writer.writerow({key: _csv_cell(value) for key, value in row.items()})


def open_output(path: PathLike, fmt: Optional[str] = None, *, include_text: bool = False, resume: bool = False):
    """Open a JSONL or CSV output.

    path (PathLike): The final output path.
    fmt (Optional[str]): "jsonl" or "csv"; None: by the extension.
    include_text (bool): Records carry the report text.
    resume (bool): Continue OUT.partial.
    RETURNS (JsonlOutput): The output (a CsvOutput for CSV).
    """
    fmt = fmt or OUTPUT_FORMATS.get(Path(path).suffix.lower())
    if fmt not in ("jsonl", "csv"):
        raise ValueError(f"cannot tell the output format of {path}: use .jsonl or .csv, or give --format")
    cls = CsvOutput if fmt == "csv" else JsonlOutput
    return cls(path, include_text=include_text, resume=resume)


class ErrorLog(_PartialFile):
    """The errors JSONL: one line per report not processed (id, position, reason)."""

    def __init__(self, path: PathLike):
        super().__init__(path)
        self.file = self.partial.open("w", encoding="utf-8")

    def write(self, record: InputRecord, reason: str) -> None:
        key, position = record.where
        entry = {"id": record.id, key: position, "reason": reason}
        self.file.write(json.dumps(entry, ensure_ascii=False) + "\n")


def default_errors_path(out: PathLike) -> Path:
    """OUT + ".errors.jsonl"."""
    out = Path(out)
    return out.with_name(out.name + ".errors.jsonl")
