"""Hard-wrapped copies of reports, as fixed-width exports write them.

A space becomes a newline where a line would pass the width; characters and offsets stay
the same, so span annotations carry over unchanged. Following the guidelines (a span never
crosses a line break), spaces inside annotated spans are never turned into newlines.
"""

from typing import Iterable, List, Sequence


def hard_wrap(text: str, width: int, protected: Sequence[tuple] = ()) -> str:
    """`text` with spaces turned into newlines so that lines hold at most `width` characters where possible.

    text (str): the report.
    width (int): the line width (a word longer than it stays whole on its own line).
    protected (Sequence[tuple]): (start, end, ...) character ranges whose spaces must stay spaces.
    RETURNS (str): the wrapped text, the same length as `text`.
    """
    if width < 1:
        raise ValueError("width must be at least 1")
    inside = bytearray(len(text))
    for span in protected:
        inside[span[0] : span[1]] = b"\x01" * (span[1] - span[0])
    chars = list(text)
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        breaks = [i for i in range(pos, end) if text[i] == " " and not inside[i]]
        line_start, candidate = pos, None
        for b in breaks + [end]:
            while b - line_start > width:
                if candidate is not None and candidate >= line_start:
                    cut, candidate = candidate, None
                elif b < end:
                    cut = b  # a word longer than the width: break right after it
                else:
                    break
                chars[cut] = "\n"
                line_start = cut + 1
            if b < end and b >= line_start:
                candidate = b
        pos = end + 1
    return "".join(chars)


def wrap_records(records: Iterable[dict], width: int) -> List[dict]:
    """Copies of span records (guideline JSONL) with hard-wrapped text and the same spans."""
    wrapped = []
    for record in records:
        spans = [(s["start"], s["end"]) for s in record.get("spans", [])]
        wrapped.append({**record, "text": hard_wrap(record["text"], width, spans)})
    return wrapped
