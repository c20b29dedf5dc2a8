"""Readers for annotated data: guideline JSONL spans, CoNLL BIO TSV and CSV.

Each format has a plain function that streams validated Docs (used by the CLI
and other modules) and a registered reader for training configs that returns
a callable `(nlp) -> Iterable[Example]`, like `spacy.Corpus.v1`. Bad input
raises `MammoDataError` naming the file, line or record id and the problem;
messages never quote the text itself.
"""
import codecs
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example
from spacy.vocab import Vocab

from ..io import atomic_open
from ..errors import MammoDataError
from ..extensions import register_extensions
from ..labels import LABELS, NEVER_NEGATED
from ..rules.layout import heading_starts

SPLITS = ("report", "sentence", "section")
ALIGNMENT_MODES = ("strict", "contract", "expand")
FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".tsv": "conll", ".conll": "conll", ".iob": "conll", ".csv": "csv"}

# Label characters: anything else is taken for misplaced text and never quoted.
LABEL_CHARS = r"[A-Za-z0-9_./:-]{1,60}"
BIO_TAG = re.compile(rf"^(?:O|[BI]-{LABEL_CHARS})$")
# JSON can escape a lone surrogate, which spaCy can neither hash nor store
# (json.loads joins valid pairs itself).
SURROGATE = re.compile("[\ud800-\udfff]")
BLANK_LINE = re.compile(r"\n[ \t]*\n")

PathLike = Union[str, Path]


@dataclass
class ReadStats:
    """Counts from one pass over a file; filled in while reading."""

    docs: int = 0
    entities: int = 0
    repairs: int = 0


# ---------------------------------------------------------------------------
# Lines


def _iter_lines(path: PathLike, encoding: str = "utf-8") -> Iterator[Tuple[int, str]]:
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


def _unknown_label(label: object) -> str:
    """The problem text for an unknown label; a value that does not look like
    a label (columns mixed up, say) is not quoted, as it may be report text.
    """
    if isinstance(label, str) and re.fullmatch(LABEL_CHARS, label):
        return f"unknown label {label!r}"
    return "unknown label"


# ---------------------------------------------------------------------------
# JSONL


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
    for number, line in _iter_lines(path):
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
            raise fail(f"span {start}-{end}: {_unknown_label(label)}")
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
                f"span {span['start']}-{span['end']} does not match token boundaries "
                f"(alignment_mode {alignment_mode})",
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


# ---------------------------------------------------------------------------
# BIO sequences (CoNLL and CSV)


def _bio_doc(
    vocab: Vocab,
    words: List[str],
    tags: List[str],
    lines: List[int],
    *,
    allowed: Optional[frozenset],
    repair_bio: bool,
    path: PathLike,
    stats: Optional[ReadStats],
) -> Doc:
    """Build a Doc with entities from one BIO-tagged sequence."""
    doc = Doc(vocab, words=words, spaces=[True] * (len(words) - 1) + [False])
    ents = []
    start, label = None, None
    for i, (tag, line) in enumerate(zip(tags, lines)):
        if not BIO_TAG.match(tag):
            raise MammoDataError("invalid tag (expected O, B-LABEL or I-LABEL)", path=path, line=line)
        prefix, tag_label = tag[0], tag[2:]
        if tag_label and allowed is not None and tag_label not in allowed:
            raise MammoDataError(_unknown_label(tag_label), path=path, line=line)
        if prefix == "I" and tag_label != label:
            if not repair_bio:
                raise MammoDataError(
                    f"I-{tag_label} does not follow B-{tag_label} or I-{tag_label} (use repair_bio to read it as B-)",
                    path=path,
                    line=line,
                )
            prefix = "B"
            if stats is not None:
                stats.repairs += 1
        if prefix != "I" and start is not None:
            ents.append(Span(doc, start, i, label=label))
            start, label = None, None
        if prefix == "B":
            start, label = i, tag_label
    if start is not None:
        ents.append(Span(doc, start, len(words), label=label))
    doc.ents = ents
    if stats is not None:
        stats.docs += 1
        stats.entities += len(ents)
    return doc


def read_conll_docs(
    path: PathLike,
    vocab: Vocab,
    *,
    repair_bio: bool = False,
    labels: Optional[Sequence[str]] = None,
    limit: int = 0,
    stats: Optional[ReadStats] = None,
) -> Iterator[Doc]:
    """Stream Docs from a CoNLL BIO file: token<TAB>tag, a blank line between
    sequences, "-DOCSTART-" lines skipped.

    path (PathLike): The TSV file.
    vocab (Vocab): The vocab of the Docs.
    repair_bio (bool): Read an I-X that follows no B-X/I-X as B-X (counted in
        `stats.repairs`) instead of raising.
    labels (Optional[Sequence[str]]): Allowed labels; None allows any.
    limit (int): Stop after this many Docs; 0 for all.
    stats (Optional[ReadStats]): Counts to update.
    YIELDS (Doc): One Doc per sequence, tokens joined by single spaces.
    """
    allowed = None if labels is None else frozenset(labels)
    words: List[str] = []
    tags: List[str] = []
    lines: List[int] = []
    n_docs = 0

    def flush() -> Doc:
        doc = _bio_doc(vocab, words, tags, lines, allowed=allowed, repair_bio=repair_bio, path=path, stats=stats)
        words.clear(), tags.clear(), lines.clear()
        return doc

    for number, line in _iter_lines(path):
        if not line.strip():
            if words:
                yield flush()
                n_docs += 1
                if limit and n_docs >= limit:
                    return
            continue
        columns = line.split("\t")
        if columns[0] == "-DOCSTART-":
            continue
        if len(columns) != 2:
            raise MammoDataError(f"expected 2 tab-separated columns, found {len(columns)}", path=path, line=number)
        if not columns[0].strip():
            raise MammoDataError("empty token", path=path, line=number)
        words.append(columns[0])
        tags.append(columns[1].strip())
        lines.append(number)
    if words:
        yield flush()
        n_docs += 1
    if n_docs == 0:
        raise MammoDataError("empty file: no sequences", path=path)


def read_csv_docs(
    path: PathLike,
    vocab: Vocab,
    *,
    id_column: str = "sentence_id",
    token_column: str = "token",
    tag_column: str = "tag",
    repair_bio: bool = False,
    labels: Optional[Sequence[str]] = None,
    limit: int = 0,
    encoding: str = "utf-8",
    stats: Optional[ReadStats] = None,
) -> Iterator[Doc]:
    """Read Docs from a CSV with one token a row (the Kaggle NER layout). The id
    column may be filled only on the first row of a sequence ("Sentence #").

    path (PathLike): The CSV file.
    vocab (Vocab): The vocab of the Docs.
    id_column (str): Column holding the sequence id; forward-filled.
    token_column (str): Column holding the token.
    tag_column (str): Column holding the BIO tag.
    repair_bio (bool): Read an orphan I-X as B-X instead of raising.
    labels (Optional[Sequence[str]]): Allowed labels; None allows any.
    limit (int): Stop after this many Docs; 0 for all.
    encoding (str): The file's encoding (the Kaggle file is latin-1).
    stats (Optional[ReadStats]): Counts to update.
    YIELDS (Doc): One Doc per sequence; `doc.user_data["record_id"]` is its id.
    """
    import pandas

    allowed = None if labels is None else frozenset(labels)
    for _ in _iter_lines(path, encoding):  # reports bad bytes with their line
        pass
    try:
        # header=None: with a header row pandas would take an extra field on the
        # first data row for an index column instead of reporting it.
        frame = pandas.read_csv(path, header=None, dtype=str, keep_default_na=False, encoding=encoding)
    except pandas.errors.EmptyDataError:
        raise MammoDataError("empty file", path=path) from None
    except pandas.errors.ParserError as err:
        raise _csv_parser_error(err, path) from None
    frame = frame.fillna("")
    frame = frame.iloc[1:].set_axis([str(c) for c in frame.iloc[0]], axis=1).reset_index(drop=True)
    missing = [c for c in (id_column, token_column, tag_column) if c not in frame.columns]
    if missing:
        raise MammoDataError(f"missing columns {missing} in the header", path=path, line=1)
    repeated = sorted({c for c in (id_column, token_column, tag_column) if list(frame.columns).count(c) > 1})
    if repeated:
        raise MammoDataError(f"columns {repeated} appear more than once in the header", path=path, line=1)
    if len(frame) == 0:
        raise MammoDataError("empty file: no rows", path=path)
    ids = frame[id_column].str.strip()
    ids = ids.mask(ids == "").ffill()
    if pandas.isna(ids.iloc[0]):
        raise MammoDataError(f"the first row has no {id_column}", path=path, line=2)
    tokens = frame[token_column].tolist()
    tags = [tag.strip() for tag in frame[tag_column]]
    seen = set()
    n_docs = 0
    for seq_id, group in itertools.groupby(range(len(frame)), key=ids.tolist().__getitem__):
        rows = list(group)
        # The header is line 1; this assumes no line breaks inside quoted fields.
        lines = [row + 2 for row in rows]
        if seq_id in seen:
            raise MammoDataError(f"duplicate {id_column} (its rows are not contiguous)", path=path, line=lines[0])
        seen.add(seq_id)
        words = [tokens[row] for row in rows]
        for word, line in zip(words, lines):
            if not word.strip():
                raise MammoDataError("empty token", path=path, line=line)
        seq_tags = [tags[row] for row in rows]
        doc = _bio_doc(vocab, words, seq_tags, lines, allowed=allowed, repair_bio=repair_bio, path=path, stats=stats)
        doc.user_data["record_id"] = seq_id
        yield doc
        n_docs += 1
        if limit and n_docs >= limit:
            return


def _csv_parser_error(err: Exception, path: PathLike) -> MammoDataError:
    """A MammoDataError from pandas' parser error, keeping only its line number
    and field counts (the message may quote the data)."""
    message = str(err)
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if fields:
        expected, line, saw = map(int, fields.groups())
        return MammoDataError(f"malformed CSV: expected {expected} fields, saw {saw}", path=path, line=line)
    # "row" is the 0-based row where an unclosed quote starts.
    row = re.search(r"starting at row (\d+)", message)
    if row:
        return MammoDataError("malformed CSV: a quoted field is never closed", path=path, line=int(row.group(1)) + 1)
    return MammoDataError("malformed CSV: parser error", path=path)


# ---------------------------------------------------------------------------
# Registered readers


class JsonlCorpus:
    """Examples from a guideline JSONL span file; `stats` holds the counts of
    the latest pass.
    """

    def __init__(
        self,
        path: PathLike,
        *,
        split: str = "report",
        alignment_mode: str = "strict",
        limit: int = 0,
        labels: Optional[Sequence[str]] = None,
    ):
        if split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
        if alignment_mode not in ALIGNMENT_MODES:
            raise ValueError(f"alignment_mode must be one of {ALIGNMENT_MODES}, not {alignment_mode!r}")
        self.path = Path(path)
        self.split = split
        self.alignment_mode = alignment_mode
        self.limit = limit
        self.labels = labels
        self.stats = ReadStats()

    def __call__(self, nlp: Language) -> Iterator[Example]:
        self.stats = ReadStats()
        records = read_jsonl_records(self.path, labels=self.labels)
        docs = records_to_docs(
            records, nlp, split=self.split, alignment_mode=self.alignment_mode, path=self.path, stats=self.stats
        )
        for i, reference in enumerate(docs):
            if self.limit and i >= self.limit:
                break
            yield Example(nlp.make_doc(reference.text), reference)


class BioCorpus:
    """Examples from a BIO-tagged file read by `read_conll_docs` or
    `read_csv_docs`; the predicted docs keep the file's tokens. `stats` holds the
    counts of the latest pass (`stats.repairs` with repair_bio).
    """

    def __init__(self, read_docs: Callable[..., Iterator[Doc]], path: PathLike, **kwargs):
        self.read_docs = read_docs
        self.path = Path(path)
        self.kwargs = kwargs
        self.stats = ReadStats()

    def __call__(self, nlp: Language) -> Iterator[Example]:
        self.stats = ReadStats()
        for reference in self.read_docs(self.path, nlp.vocab, stats=self.stats, **self.kwargs):
            words = [token.text for token in reference]
            spaces = [bool(token.whitespace_) for token in reference]
            yield Example(Doc(nlp.vocab, words=words, spaces=spaces), reference)


@spacy.registry.readers("spacy-mammo.JsonlReader.v1")
def create_jsonl_reader(
    path: Path,
    *,
    split: str = "report",
    alignment_mode: str = "strict",
    limit: int = 0,
    labels: Optional[List[str]] = None,
) -> Callable[[Language], Iterable[Example]]:
    """Registered reader for guideline JSONL span files.

    path (Path): The JSONL file.
    split (str): "report", "sentence" or "section": one Example per piece.
    alignment_mode (str): "strict", "contract" or "expand" for spans that cut tokens.
    limit (int): Stop after this many Examples; 0 for all.
    labels (Optional[List[str]]): Allowed labels; None means the 17 LABELS.
    RETURNS (Callable[[Language], Iterable[Example]]): The corpus.
    """
    return JsonlCorpus(path, split=split, alignment_mode=alignment_mode, limit=limit, labels=labels)


@spacy.registry.readers("spacy-mammo.ConllReader.v1")
def create_conll_reader(
    path: Path,
    *,
    repair_bio: bool = False,
    limit: int = 0,
    labels: Optional[List[str]] = None,
) -> Callable[[Language], Iterable[Example]]:
    """Registered reader for CoNLL BIO TSV files (token<TAB>tag).

    path (Path): The TSV file.
    repair_bio (bool): Read an orphan I-X as B-X instead of raising.
    limit (int): Stop after this many Examples; 0 for all.
    labels (Optional[List[str]]): Allowed labels; None allows any.
    RETURNS (Callable[[Language], Iterable[Example]]): The corpus.
    """
    return BioCorpus(read_conll_docs, path, repair_bio=repair_bio, limit=limit, labels=labels)


@spacy.registry.readers("spacy-mammo.CsvReader.v1")
def create_csv_reader(
    path: Path,
    *,
    id_column: str = "sentence_id",
    token_column: str = "token",
    tag_column: str = "tag",
    repair_bio: bool = False,
    limit: int = 0,
    labels: Optional[List[str]] = None,
    encoding: str = "utf-8",
) -> Callable[[Language], Iterable[Example]]:
    """Registered reader for token-per-row CSV files (the Kaggle NER layout).

    path (Path): The CSV file.
    id_column (str): Sequence id column, forward-filled ("Sentence #" on Kaggle).
    token_column (str): Token column ("Word" on Kaggle).
    tag_column (str): BIO tag column ("Tag" on Kaggle).
    repair_bio (bool): Read an orphan I-X as B-X instead of raising.
    limit (int): Stop after this many Examples; 0 for all.
    labels (Optional[List[str]]): Allowed labels; None allows any.
    encoding (str): The file's encoding.
    RETURNS (Callable[[Language], Iterable[Example]]): The corpus.
    """
    return BioCorpus(
        read_csv_docs,
        path,
        id_column=id_column,
        token_column=token_column,
        tag_column=tag_column,
        repair_bio=repair_bio,
        limit=limit,
        labels=labels,
        encoding=encoding,
    )


# ---------------------------------------------------------------------------
# Output and conversion


def write_docbin(docs: Iterable[Doc], out_path: PathLike) -> int:
    """Write Docs to a .spacy file (user data included, so `span._.negated`
    survives), through a temp file renamed into place.

    docs (Iterable[Doc]): The Docs; if reading them raises, nothing is written.
    out_path (PathLike): The .spacy file.
    RETURNS (int): The number of Docs written.
    """
    out_path = Path(out_path)
    doc_bin = DocBin(store_user_data=True)
    for doc in docs:
        doc_bin.add(doc)
    data = doc_bin.to_bytes()
    with atomic_open(out_path, "wb") as file_:
        file_.write(data)
    return len(doc_bin)


def input_format(path: PathLike) -> Optional[str]:
    """The annotation format that a file's extension names ("jsonl", "conll" or "csv"); None if unknown."""
    return FORMATS.get(Path(path).suffix.lower())


def convert_file(
    input_path: PathLike,
    output_path: PathLike,
    *,
    fmt: Optional[str] = None,
    split: Optional[str] = None,
    alignment_mode: Optional[str] = None,
    repair_bio: bool = False,
    labels: Optional[List[str]] = None,
    id_column: str = "sentence_id",
    token_column: str = "token",
    tag_column: str = "tag",
    encoding: str = "utf-8",
) -> ReadStats:
    """Convert JSONL spans, CoNLL BIO or token-per-row CSV annotations to a .spacy DocBin.
    Nothing is written when the input has an error.

    input_path (PathLike): The annotations.
    output_path (PathLike): The .spacy file.
    fmt (Optional[str]): "jsonl", "conll" or "csv"; None: by the extension.
    split (Optional[str]): JSONL: "report" (the default), "sentence" or "section".
    alignment_mode (Optional[str]): JSONL: "strict" (the default), "contract" or "expand".
    repair_bio (bool): CoNLL/CSV: read an orphan I-X as B-X.
    labels (Optional[List[str]]): Allowed labels; None: the 17 LABELS for JSONL, any for CoNLL/CSV.
    id_column (str): CSV: sequence id column.
    token_column (str): CSV: token column.
    tag_column (str): CSV: BIO tag column.
    encoding (str): CSV: file encoding.
    RETURNS (ReadStats): The docs, entities and repairs written.
    """
    fmt = fmt or input_format(input_path)
    if fmt not in ("jsonl", "conll", "csv"):
        raise ValueError(f"{input_path}: cannot tell the annotation format from the extension; give the format")
    stats = ReadStats()
    if fmt == "jsonl":
        from ..tokenizer import blank_mammo_nlp

        records = read_jsonl_records(input_path, labels=labels)
        docs = records_to_docs(
            records,
            blank_mammo_nlp(),
            split=split or "report",
            alignment_mode=alignment_mode or "strict",
            path=input_path,
            stats=stats,
        )
    elif fmt == "conll":
        docs = read_conll_docs(input_path, Vocab(), repair_bio=repair_bio, labels=labels, stats=stats)
    else:
        docs = read_csv_docs(
            input_path,
            Vocab(),
            id_column=id_column,
            token_column=token_column,
            tag_column=tag_column,
            repair_bio=repair_bio,
            labels=labels,
            encoding=encoding,
            stats=stats,
        )
    write_docbin(docs, output_path)
    return stats
