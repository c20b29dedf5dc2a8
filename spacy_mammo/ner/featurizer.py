"""The token featurizer: docs -> integer feature matrices for the torch tagger.

Per token: two hashed rows of each lexical attribute (NORM, PREFIX, SUFFIX, SHAPE
by default), the lexicon-match tag and the hashed character trigrams of the
lowercased token.
"""

import zlib
from functools import lru_cache
from typing import List, Sequence, Tuple

import numpy
from spacy.attrs import IDS as ATTR_IDS
from spacy.tokens import Doc
from thinc.api import Model
from thinc.types import Ints2d

# Second hash per attribute: the upper bits of spaCy's 64-bit string hash,
# independent of the lower bits that the first one uses.
_SECOND_HASH_SHIFT = numpy.uint64(29)


def build_featurizer(
    attrs: Sequence[str],
    hash_rows: Sequence[int],
    subword_rows: int,
    n_subwords: int,
    lexicon_features: bool,
) -> Model[List[Doc], List[Ints2d]]:
    """Docs -> one int64 matrix per doc: two hashed rows per attribute, lexicon tag, subwords.

    No parameters: the features are a fixed function of the text.
    """
    from ..rules.lexicon_match import N_LEXICON_TAGS

    attr_ids = [ATTR_IDS[name.upper()] for name in attrs]
    return Model(
        "mammo_featurizer",
        _featurize_forward,
        attrs={
            "attr_ids": attr_ids,
            "hash_rows": numpy.asarray(hash_rows, dtype="uint64"),
            "subword_rows": subword_rows,
            "n_subwords": n_subwords if subword_rows else 0,
            "lexicon_features": lexicon_features,
            "n_lexicon_tags": N_LEXICON_TAGS if lexicon_features else 0,
        },
    )


def _featurize_forward(model: Model, docs: List[Doc], is_train: bool):
    return [featurize_doc(model, doc) for doc in docs], lambda d: []


def featurize_doc(model: Model, doc: Doc) -> numpy.ndarray:
    """The feature matrix of one doc (see `build_featurizer`)."""
    rows = model.attrs["hash_rows"]
    hashes = doc.to_array(model.attrs["attr_ids"]).astype("uint64", copy=False).reshape((len(doc), -1))
    first = hashes % rows
    second = (hashes >> _SECOND_HASH_SHIFT) % rows
    columns = [numpy.stack([first, second], axis=2).reshape((len(doc), -1)).astype("int64")]
    if model.attrs["lexicon_features"]:
        from ..rules.lexicon_match import lexicon_tag_ids

        columns.append(lexicon_tag_ids(doc)[:, None])
    n_subwords = model.attrs["n_subwords"]
    if n_subwords:
        subword_rows = model.attrs["subword_rows"]
        columns.append(
            numpy.asarray(
                [subword_ids(token.lower_, subword_rows, n_subwords) for token in doc], dtype="int64"
            ).reshape((len(doc), n_subwords))
        )
    return numpy.concatenate(columns, axis=1)


# Reports reuse a few thousand token forms; a larger cache only grows with the
# numbers and ids of a long batch run (benchmarks/results_load.md).
@lru_cache(maxsize=20_000)
def subword_ids(lower: str, rows: int, n: int) -> Tuple[int, ...]:
    """Hashed character trigrams of "<token>", padded with 0 to `n` (first and last kept)."""
    marked = f"<{lower}>"
    grams = [marked[i : i + 3] for i in range(max(len(marked) - 2, 1))]
    if len(grams) > n:
        grams = grams[: n // 2] + grams[len(grams) - (n - n // 2) :]
    ids = [zlib.crc32(g.encode("utf8", "surrogatepass")) % (rows - 1) + 1 for g in grams]
    return tuple(ids) + (0,) * (n - len(ids))
