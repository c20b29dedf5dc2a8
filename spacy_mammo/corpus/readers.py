"""Readers for annotated data: guideline JSONL spans, CoNLL BIO TSV and CSV.

Each format has a plain function that streams validated Docs (`jsonl.py`,
`bio.py`; importable from here too) and a registered reader for training
configs that returns a callable `(nlp) -> Iterable[Example]`, like
`spacy.Corpus.v1`; `convert_file` writes any of them to a DocBin. Bad input
raises `MammoDataError` naming the file, line or record id and the problem;
messages never quote the text itself.
"""

from pathlib import Path
from typing import Callable, Iterable, Iterator, List, Optional, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.training import Example
from spacy.vocab import Vocab

from ..io import atomic_open
from .bio import read_conll_docs, read_csv_docs
from .jsonl import ALIGNMENT_MODES, SPLITS, read_jsonl_records, records_to_docs
from .lines import PathLike, ReadStats

FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".tsv": "conll", ".conll": "conll", ".iob": "conll", ".csv": "csv"}


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
