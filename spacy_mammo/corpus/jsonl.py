"""Guideline JSONL span files: validated records, and records to Docs with
`ents` and `span._.negated` set, whole or cut into sentences or sections.
"""

import json
import re
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from ..errors import MammoDataError
from ..extensions import register_extensions
from ..labels import LABELS, NEVER_NEGATED
from ..rules.layout import heading_starts
from .lines import PathLike, ReadStats, iter_lines, unknown_label

SPLITS = ("report", "sentence", "section")
ALIGNMENT_MODES = ("strict", "contract", "expand")
# JSON can escape a lone surrogate, which spaCy can neither hash nor store
# (json.loads joins valid pairs itself).
SURROGATE = re.compile("[\ud800-\udfff]")
BLANK_LINE = re.compile(r"\n[ \t]*\n")


def read_jsonl_records(path: PathLike, *, labels: Optional[Sequence[str]] = None) -> Iterator[dict]:
    """Stream and validate the records of a guideline JSONL span file.

    path (PathLike): The JSONL file, one report a line.
    labels (Optional[Sequence[str]]): Allowed span labels; None means the 17 LABELS.
    YIELDS (dict): The record with "id" (str), "text" and "spans" (sorted dicts
        with "start", "end", "label", "negated"); other keys are kept.
    """
    allowed = frozenset(LABELS if labels is None else labels)
    seen_ids: Dict[str, int] = {}
    n_records = 0
    for number, line in iter_lines(path):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise MammoDataError(f"invalid JSON ({err.msg}, column {err.colno})", path=path, line=number) from None
        except RecursionError:
            raise MammoDataError("invalid JSON (nested too deeply)", path=path, line=number) from None
        except ValueError:  # an integer with more digits than Python converts
            raise MammoDataError("invalid JSON (a number too long to read)", path=path, line=number) from None
        if not isinstance(record, dict):
            raise MammoDataError("a line must hold a JSON object", path=path, line=number)
        for key in ("id", "text"):
            if key not in record:
                raise MammoDataError(f'missing "{key}"', path=path, line=number)
        record_id = record["id"]
        if isinstance(record_id, bool) or not isinstance(record_id, (str, int)) or record_id == "":
            raise MammoDataError('"id" must be a non-empty string or an integer', path=path, line=number)
        record_id = str(record_id)
        if SURROGATE.search(record_id):
            raise MammoDataError('"id" holds a lone surrogate (a \\ud800-\\udfff escape)', path=path, line=number)
        if record_id in seen_ids:
            raise MammoDataError(
                f"duplicate id (first seen on line {seen_ids[record_id]})", path=path, line=number, record=record_id
            )
        seen_ids[record_id] = number
        if not isinstance(record["text"], str):
            raise MammoDataError('"text" must be a string', path=path, line=number, record=record_id)
        surrogate = SURROGATE.search(record["text"])
        if surrogate:
            raise MammoDataError(
                f'"text" holds a lone surrogate (a \\ud800-\\udfff escape) at character {surrogate.start()}',
                path=path,
                line=number,
                record=record_id,
            )
        spans = _validate_spans(record.get("spans", []), record["text"], allowed, path, number, record_id)
        n_records += 1
        yield {**record, "id": record_id, "spans": spans}
    if n_records == 0:
        raise MammoDataError("empty file: no records", path=path)


def _validate_spans(
    spans: object, text: str, allowed: frozenset, path: PathLike, line: int, record_id: str
) -> List[dict]:
    def fail(problem: str) -> MammoDataError:
        return MammoDataError(problem, path=path, line=line, record=record_id)

    if not isinstance(spans, list):
        raise fail('"spans" must be a list')
    checked = []
    for i, span in enumerate(spans):
        if not isinstance(span, dict) or not all(k in span for k in ("start", "end", "label")):
            raise fail(f'span {i} must be an object with "start", "end" and "label"')
        start, end, label = span["start"], span["end"], span["label"]
        negated = span.get("negated", False)
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
            raise fail(f"span {i}: start and end must be integers")
        if not isinstance(negated, bool):
            raise fail(f'span {start}-{end}: "negated" must be true or false')
        if not isinstance(label, str) or label not in allowed:
            raise fail(f"span {start}-{end}: {unknown_label(label)}")
        if start >= end:
            raise fail(f"span {start}-{end}: start must be before end")
        if start < 0 or end > len(text):
            raise fail(f"span {start}-{end}: offsets out of range (text length {len(text)})")
        if text[start].isspace() or text[end - 1].isspace():
            raise fail(f"span {start}-{end}: starts or ends with whitespace")
        if negated and label in NEVER_NEGATED:
            raise fail(f"span {start}-{end}: {label} is never negated")
        checked.append({"start": start, "end": end, "label": label, "negated": negated})
    checked.sort(key=lambda s: (s["start"], s["end"]))
    for prev, span in zip(checked, checked[1:]):
        if span["start"] < prev["end"]:
            raise fail(f"spans {prev['start']}-{prev['end']} and {span['start']}-{span['end']} overlap")
    return checked


def records_to_docs(
    records: Iterable[dict],
    nlp: Language,
    *,
    split: str = "report",
    alignment_mode: str = "strict",
    path: Optional[PathLike] = None,
    stats: Optional[ReadStats] = None,
) -> Iterator[Doc]:
    """Turn validated records into Docs with `ents` and `span._.negated` set.

    records (Iterable[dict]): Records as `read_jsonl_records` yields them.
    nlp (Language): Its `make_doc` tokenizes the text.
    split (str): "report" (one Doc per record), "sentence" or "section".
    alignment_mode (str): "strict" (a span that cuts a token is an error),
        "contract" or "expand", as in `Doc.char_span`.
    path (Optional[PathLike]): The source file, named in error messages.
    stats (Optional[ReadStats]): Counts to update.
    YIELDS (Doc): One Doc per report or piece; `doc.user_data` holds
        "record_id" and "record_offset" (the piece's character offset).
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    if alignment_mode not in ALIGNMENT_MODES:
        raise ValueError(f"alignment_mode must be one of {ALIGNMENT_MODES}, not {alignment_mode!r}")
    register_extensions()
    for record in records:
        text, spans, record_id = record["text"], record["spans"], record["id"]
        for offset, piece in _split_text(nlp, text, spans, split):
            piece_spans = [s for s in spans if offset <= s["start"] and s["end"] <= offset + len(piece)]
            doc = _make_doc(nlp, piece, piece_spans, offset, alignment_mode, path, record_id)
            doc.user_data["record_id"] = record_id
            doc.user_data["record_offset"] = offset
            if stats is not None:
                stats.docs += 1
                stats.entities += len(doc.ents)
            yield doc


def _make_doc(
    nlp: Language,
    text: str,
    spans: List[dict],
    offset: int,
    alignment_mode: str,
    path: Optional[PathLike],
    record_id: str,
) -> Doc:
    doc = nlp.make_doc(text)
    ents = []
    for span in spans:
        start, end = span["start"] - offset, span["end"] - offset
        ent = doc.char_span(start, end, label=span["label"], alignment_mode=alignment_mode)
        if ent is None:
            raise MammoDataError(
                f"span {span['start']}-{span['end']} does not match token boundaries (alignment_mode {alignment_mode})",
                path=path,
                record=record_id,
            )
        if ents and ent.start < ents[-1][0].end:
            raise MammoDataError(
                f"span {span['start']}-{span['end']} overlaps the span before it once aligned to tokens "
                f"(alignment_mode {alignment_mode})",
                path=path,
                record=record_id,
            )
        ents.append((ent, span["negated"]))
    doc.ents = [ent for ent, _ in ents]
    for ent, negated in ents:
        if negated:
            ent._.negated = True
    return doc


def _split_text(nlp: Language, text: str, spans: List[dict], split: str) -> Iterator[Tuple[int, str]]:
    """Yield (offset, piece): the text cut at sentence or section boundaries,
    never inside a span, with whitespace trimmed from both ends.
    """
    if split == "report":
        yield 0, text
        return
    if not text.strip():
        return
    if split == "sentence":
        doc = Sentencizer()(nlp.make_doc(text))
        cuts = {sent.start_char for sent in doc.sents}
        cuts.update(m.end() for m in re.finditer("\n", text))
    else:
        cuts = {m.end() for m in BLANK_LINE.finditer(text)}
        cuts.update(heading_starts(text))
    cuts = {c for c in cuts if 0 < c < len(text) and not any(s["start"] < c < s["end"] for s in spans)}
    bounds = [0] + sorted(cuts) + [len(text)]
    for start, end in zip(bounds, bounds[1:]):
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            yield start + len(piece) - len(piece.lstrip()), stripped
