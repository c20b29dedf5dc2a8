"""Build the independent evaluation set: inline-markup reports -> span JSONL.

Markup (see README.md): a line `=== <id>` starts a report, the lines up to the
next header are its text (blank lines at either end dropped), and an entity is
written `[[text|LABEL]]`, or `[[text|LABEL|neg]]` when negated. Lines before
the first header are comments. Malformed markup raises MammoDataError, which
names the file, line and report id but never quotes report text.

Usage: python assets/independent/build.py [SOURCE] [OUTPUT]
"""
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

from spacy_mammo.errors import MammoDataError
from spacy_mammo.labels import LABELS, NEVER_NEGATED

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source.txt"
OUTPUT = HERE / "reports.jsonl"
HEADER = "=== "
OPEN, CLOSE, SEP = "[[", "]]", "|"
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def parse_markup(
    marked: str,
    *,
    path: Optional[Union[str, Path]] = None,
    first_line: int = 1,
    record: Optional[str] = None,
) -> Tuple[str, List[Dict]]:
    """Strip the entity markup from one report and compute character offsets.

    marked (str): The report text with `[[text|LABEL]]` / `[[text|LABEL|neg]]` markup.
    path (Optional[Union[str, Path]]): The source file, for error messages.
    first_line (int): The source line the report text starts on, for error messages.
    record (Optional[str]): The report id, for error messages.
    RETURNS (Tuple[str, List[Dict]]): The plain text and its spans
        (`start`, `end`, `label`, `negated`), in text order.
    """

    def fail(problem: str, pos: int) -> MammoDataError:
        line = first_line + marked.count("\n", 0, pos)
        return MammoDataError(problem, path=path, line=line, record=record)

    parts: List[str] = []
    spans: List[Dict] = []
    length = 0
    pos = 0
    while True:
        opening = marked.find(OPEN, pos)
        stray = marked.find(CLOSE, pos, opening if opening != -1 else len(marked))
        if stray != -1:
            raise fail("']]' without a matching '[['", stray)
        if opening == -1:
            break
        closing = marked.find(CLOSE, opening + len(OPEN))
        if closing == -1:
            raise fail("'[[' is never closed", opening)
        inner = marked[opening + len(OPEN) : closing]
        if OPEN in inner:
            raise fail("nested '[['", opening)
        fields = inner.split(SEP)
        if len(fields) not in (2, 3):
            raise fail(f"an entity needs 2 or 3 '|'-separated fields, found {len(fields)}", opening)
        surface, label = fields[0], fields[1]
        negated = len(fields) == 3
        if negated and fields[2] != "neg":
            raise fail("the third field of an entity may only be 'neg'", opening)
        if label not in LABELS:
            raise fail(f"unknown label {label!r}", opening)
        if not surface:
            raise fail("empty entity text", opening)
        if surface != surface.strip():
            raise fail("entity text starts or ends with whitespace", opening)
        if "\n" in surface:
            raise fail("entity text spans a line break", opening)
        if negated and label in NEVER_NEGATED:
            raise fail(f"label {label} is never negated", opening)
        before = marked[pos:opening]
        parts.append(before)
        length += len(before)
        parts.append(surface)
        spans.append({"start": length, "end": length + len(surface), "label": label, "negated": negated})
        length += len(surface)
        pos = closing + len(CLOSE)
    parts.append(marked[pos:])
    return "".join(parts), spans


def parse_source(source: str, *, path: Optional[Union[str, Path]] = None) -> List[Dict]:
    """Parse a whole source file into records.

    source (str): The file's text.
    path (Optional[Union[str, Path]]): The file, for error messages.
    RETURNS (List[Dict]): One record per report: `id`, `text`, `spans`.
    """
    blocks: List[Tuple[str, int, List[str]]] = []
    for number, line in enumerate(source.splitlines(), start=1):
        if line.startswith(HEADER) or line.rstrip() == HEADER.strip():
            report_id = line[len(HEADER) :].strip()
            if not ID_PATTERN.match(report_id):
                raise MammoDataError("missing or malformed report id", path=path, line=number)
            blocks.append((report_id, number, []))
        elif blocks:
            blocks[-1][2].append(line)
    if not blocks:
        raise MammoDataError("no '=== <id>' report header found", path=path)
    records = []
    seen = set()
    for report_id, number, lines in blocks:
        if report_id in seen:
            raise MammoDataError("duplicate report id", path=path, line=number, record=report_id)
        seen.add(report_id)
        first = 0
        while first < len(lines) and not lines[first].strip():
            first += 1
        last = len(lines)
        while last > first and not lines[last - 1].strip():
            last -= 1
        body = "\n".join(line.rstrip() for line in lines[first:last])
        if not body:
            raise MammoDataError("empty report", path=path, line=number, record=report_id)
        text, spans = parse_markup(body, path=path, first_line=number + 1 + first, record=report_id)
        records.append({"id": report_id, "text": text, "spans": spans})
    return records


def write_jsonl(records: List[Dict], output: Union[str, Path]) -> None:
    """Write records as JSONL through a temp file renamed into place.

    records (List[Dict]): The records to write.
    output (Union[str, Path]): The destination file.
    """
    output = Path(output)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf8") as file_:
            for record in records:
                file_.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.replace(tmp, output)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def build(source: Union[str, Path] = SOURCE, output: Union[str, Path] = OUTPUT) -> List[Dict]:
    """Convert the markup file to JSONL.

    source (Union[str, Path]): The markup file.
    output (Union[str, Path]): The JSONL file to write.
    RETURNS (List[Dict]): The records written.
    """
    records = parse_source(Path(source).read_text(encoding="utf8"), path=source)
    write_jsonl(records, output)
    return records


def main(argv: List[str]) -> int:
    source = Path(argv[0]) if argv else SOURCE
    output = Path(argv[1]) if len(argv) > 1 else OUTPUT
    records = build(source, output)
    n_spans = sum(len(record["spans"]) for record in records)
    print(f"{len(records)} reports, {n_spans} spans -> {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
