"""BIO-tagged token files: CoNLL TSV (token<TAB>tag) and token-per-row CSV (the
Kaggle NER layout), one Doc with entities per sequence.
"""

import itertools
import re
from typing import Iterator, List, Optional, Sequence

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from ..errors import MammoDataError
from .lines import LABEL_CHARS, PathLike, ReadStats, iter_lines, unknown_label

BIO_TAG = re.compile(rf"^(?:O|[BI]-{LABEL_CHARS})$")


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
            raise MammoDataError(unknown_label(tag_label), path=path, line=line)
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

    for number, line in iter_lines(path):
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
    for _ in iter_lines(path, encoding):  # reports bad bytes with their line
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
