"""Pretrained character-trigram vectors to start the tagger's trigram table from.

Skip-gram with negative sampling over unlabelled text, with fastText's subword model
(Bojanowski et al. 2017): a word is the mean of the vectors of its hashed character
trigrams, exactly the ids the featurizer gives it (`subword_ids`). A word the synthetic
corpus never wrote ("hamartoma", "galactocele") then starts near the words it shares
contexts and trigrams with in biomedical abstracts, instead of at random.

The table is copied once, at `initialize` (`[initialize.components.mammo_ner]
subword_vectors`), into the tagger's trainable trigram table, which training then moves as usual.
Measured in `benchmarks/results_subword_vectors.md`: no significant gain, so the shipped config
does not use it.
"""

from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator, List, Optional, Sequence, Union

import numpy
import torch
from spacy.vocab import Vocab
from torch import nn

from ..corpus.bio import read_conll_docs
from ..corpus.jsonl import read_jsonl_records
from ..errors import MammoDataError
from ..ner.featurizer import subword_ids

PathLike = Union[str, Path]


def conll_sentences(path: PathLike) -> Iterator[List[str]]:
    """The lowercased tokens of each sequence of a CoNLL file (token<TAB>tag); the tags are not used."""
    for doc in read_conll_docs(path, Vocab(), repair_bio=True):
        yield [token.text.lower() for token in doc]


def jsonl_texts(path: PathLike, nlp) -> Iterator[List[str]]:
    """The lowercased tokens of each report of a guideline JSONL file, tokenized by `nlp`; spans not read."""
    texts = (record["text"] for record in read_jsonl_records(path))
    for doc in nlp.tokenizer.pipe(texts):
        yield [token.lower_ for token in doc if not token.is_space]


def train_subword_vectors(
    sentences: Iterable[Sequence[str]],
    *,
    rows: int,
    n_subwords: int,
    width: int,
    window: int = 5,
    negatives: int = 5,
    epochs: int = 3,
    min_count: int = 3,
    subsample: float = 1e-4,
    batch_size: int = 8192,
    learn_rate: float = 0.01,
    seed: int = 0,
    log: Optional[Callable[[str], None]] = None,
) -> numpy.ndarray:
    """Train the trigram table on `sentences` (lists of lowercased tokens).

    rows, n_subwords (int): as the tagger's `subword_rows` and `n_subwords`, so the ids match.
    width (int): vector width (the tagger's `embed_width`).
    Context words are those seen `min_count` times; every word is a centre word.
    log (Optional[Callable]): called with a line of progress per epoch.
    RETURNS (numpy.ndarray): float32 (rows, width); row 0 (padding) is zero.
    """
    rng = numpy.random.default_rng(seed)
    torch.manual_seed(seed)
    counts: Counter = Counter()
    corpus: List[List[str]] = []
    for sentence in sentences:
        if len(sentence) > 1:
            corpus.append(list(sentence))
            counts.update(sentence)
    if not corpus:
        raise MammoDataError("no sentences of two or more tokens to train subword vectors on")
    words = sorted(counts, key=lambda w: (-counts[w], w))
    index = {w: i for i, w in enumerate(words)}
    freq = numpy.asarray([counts[w] for w in words], dtype="float64")
    n_context = int((freq >= min_count).sum())
    trigrams = torch.tensor([subword_ids(w, rows, n_subwords) for w in words], dtype=torch.int64)
    token_ids = numpy.concatenate([numpy.asarray([index[w] for w in s], dtype="int64") for s in corpus])
    sentence_ids = numpy.concatenate([numpy.full(len(s), i, dtype="int64") for i, s in enumerate(corpus)])
    share = freq / freq.sum()
    keep_prob = numpy.minimum(1.0, numpy.sqrt(subsample / share) + subsample / share)
    noise = torch.tensor(freq[:n_context] ** 0.75, dtype=torch.float64)
    log = log or (lambda line: None)
    log(f"subword vectors: {len(token_ids)} tokens, {len(words)} words, {n_context} context words")

    centre_table = nn.EmbeddingBag(rows, width, mode="mean", sparse=True, padding_idx=0)
    nn.init.uniform_(centre_table.weight, -0.5 / width, 0.5 / width)
    with torch.no_grad():
        centre_table.weight[0].zero_()
    context_table = nn.Embedding(n_context, width, sparse=True)
    nn.init.zeros_(context_table.weight)
    optimizer = torch.optim.SparseAdam([centre_table.weight, context_table.weight], lr=learn_rate)
    for epoch in range(epochs):
        centres, contexts = _skipgram_pairs(token_ids, sentence_ids, keep_prob, n_context, window, rng)
        if not len(centres):
            raise MammoDataError(
                f"no (word, context) pairs to train on: too little text for min_count={min_count} "
                f"and subsample={subsample}"
            )
        order = torch.from_numpy(rng.permutation(len(centres)))
        centres, contexts = torch.from_numpy(centres)[order], torch.from_numpy(contexts)[order]
        total = 0.0
        for start in range(0, len(centres), batch_size):
            centre = centre_table(trigrams[centres[start : start + batch_size]])
            positive = contexts[start : start + batch_size]
            negative = torch.multinomial(noise, len(positive) * negatives, replacement=True).view(-1, negatives)
            targets = context_table(torch.cat([positive[:, None], negative], dim=1))
            scores = torch.einsum("bw,bkw->bk", centre, targets)
            loss = -(nn.functional.logsigmoid(scores[:, 0]) + nn.functional.logsigmoid(-scores[:, 1:]).sum(1)).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(positive)
        log(f"subword vectors: epoch {epoch + 1}/{epochs}, {len(centres)} pairs, loss {total / len(centres):.4f}")
    table = centre_table.weight.detach().numpy().astype("float32")
    table[0] = 0.0
    return table


def _skipgram_pairs(token_ids, sentence_ids, keep_prob, n_context, window, rng):
    """(centre, context) word-id pairs of one epoch: frequent words subsampled, a random window
    of 1..`window` words per centre (word2vec's), contexts only among the first `n_context` ids."""
    kept = rng.random(len(token_ids)) < keep_prob[token_ids]
    tokens, sentences = token_ids[kept], sentence_ids[kept]
    reach = rng.integers(1, window + 1, size=len(tokens))
    centres, contexts = [], []
    for offset in range(1, window + 1):
        left, right = tokens[:-offset], tokens[offset:]
        same = sentences[:-offset] == sentences[offset:]
        # right word as context of the left centre, and the left word as context of the right one
        forward = same & (reach[:-offset] >= offset) & (right < n_context)
        backward = same & (reach[offset:] >= offset) & (left < n_context)
        centres += [left[forward], right[backward]]
        contexts += [right[forward], left[backward]]
    return numpy.concatenate(centres), numpy.concatenate(contexts)


def build_subword_vectors(
    output: PathLike, conll_paths: Sequence[PathLike] = (), jsonl_paths: Sequence[PathLike] = (), **options
) -> numpy.ndarray:
    """Train the table on the token sequences of CoNLL files and the texts of JSONL span files; write it to
    `output` (.npy) whole or not at all. `options` go to `train_subword_vectors`."""
    from ..io import atomic_open
    from ..tokenizer import blank_mammo_nlp

    nlp = blank_mammo_nlp()

    def sentences() -> Iterator[List[str]]:
        for path in conll_paths:
            yield from conll_sentences(path)
        for path in jsonl_paths:
            yield from jsonl_texts(path, nlp)

    table = train_subword_vectors(sentences(), **options)
    with atomic_open(output, "wb") as file_:
        numpy.save(file_, table, allow_pickle=False)
    return table
