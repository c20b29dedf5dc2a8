"""The real-text sets, assets/real_dev and assets/real_abstracts (evaluation) and assets/real_train
(adaptation only): valid, learnable, disjoint, and every text with a recorded source and licence."""

import csv
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spacy_mammo.corpus.readers import read_jsonl_records, records_to_docs
from spacy_mammo.tokenizer import blank_mammo_nlp

ASSETS = Path(__file__).resolve().parents[2] / "assets"
CHECK = ASSETS / "real_dev" / "check.py"
SETS = {
    "real_dev": (
        [ASSETS / "real_dev" / "open" / "reports.jsonl", ASSETS / "real_dev" / "blind" / "reports.jsonl"],
        ASSETS / "real_dev" / "sources.tsv",
    ),
    "real_abstracts": (
        [ASSETS / "real_abstracts" / "open" / "reports.jsonl", ASSETS / "real_abstracts" / "blind" / "reports.jsonl"],
        ASSETS / "real_abstracts" / "sources.tsv",
    ),
    "real_train": ([ASSETS / "real_train" / "reports.jsonl"], ASSETS / "real_train" / "sources.tsv"),
}
# The evaluation sets have an open and a blind part.
SPLIT_SETS = sorted(name for name, (paths, _) in SETS.items() if len(paths) == 2)
# What this repository may carry (issue 11): public domain, CC BY (no NC/ND/SA), MIT/Apache/BSD.
LICENCE = re.compile(r"^(CC BY \d\.\d|CC BY|Public domain|MIT|Apache)", re.IGNORECASE)
FORBIDDEN = re.compile(r"\b(NC|ND|SA)\b|NonCommercial|NoDerivatives|ShareAlike")


def _records(name):
    return [record for path in SETS[name][0] for record in read_jsonl_records(path)]


def _sources(name):
    """id -> sources.tsv row."""
    with SETS[name][1].open(encoding="utf8", newline="") as file_:
        return {row["id"]: row for row in csv.DictReader(file_, delimiter="\t")}


def _sentences(text):
    return {s.strip().lower() for s in re.split(r"(?<=[.!?])\s+|\n", text) if len(s.split()) >= 6}


@pytest.mark.parametrize("name", sorted(SETS))
def test_the_validator_accepts_the_set(name):
    result = subprocess.run(
        [sys.executable, str(CHECK), *map(str, SETS[name][0])], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert result.stdout.rstrip().endswith("OK")


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_span_falls_on_token_boundaries(name):
    """A span the domain tokenizer cannot reproduce could be neither learnt nor scored: the strict reader
    raises on it, and no span may be lost on the way to `doc.ents`."""
    nlp = blank_mammo_nlp()
    for path in SETS[name][0]:
        records = list(read_jsonl_records(path))
        docs = list(records_to_docs(records, nlp, path=path))
        assert [len(doc.ents) for doc in docs] == [len(record["spans"]) for record in records], path


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_text_has_a_source_with_an_allowed_licence(name):
    rows = _sources(name)
    ids = [record["id"] for record in _records(name)]
    assert len(ids) == len(set(ids)) and set(ids) <= set(rows)
    for doc_id in ids:
        licence = rows[doc_id]["licence"]
        assert LICENCE.match(licence) and not FORBIDDEN.search(licence.split("(")[0]), (doc_id, licence)
        assert rows[doc_id]["url_or_repo_path"].startswith(("http", "doi:")), doc_id


@pytest.mark.parametrize("first, second", list(itertools.combinations(sorted(SETS), 2)))
def test_the_sets_share_no_sentence_and_no_source(first, second):
    """Otherwise a text would count twice, and a blind text could be trained on or sit in the set used for
    error analysis."""
    seen = set().union(*(_sentences(r["text"]) for r in _records(second)))
    for record in _records(first):
        assert not _sentences(record["text"]) & seen, record["id"]
    sources = {
        name: {_source_key(row["url_or_repo_path"]) for row in _sources(name).values()} for name in (first, second)
    }
    assert not sources[first] & sources[second]


@pytest.mark.parametrize("name", SPLIT_SETS)
def test_the_open_and_blind_parts_share_no_source(name):
    """Two excerpts of one article must sit in the same part, or error analysis on the open part would
    look into the blind one."""
    rows = _sources(name)
    open_path, blind_path = SETS[name][0]
    open_keys, blind_keys = (
        {_source_key(rows[record["id"]]["url_or_repo_path"]) for record in read_jsonl_records(path)}
        for path in (open_path, blind_path)
    )
    assert not open_keys & blind_keys


def _source_key(url):
    """The DOI where the address holds one (one article has several addresses), else the address."""
    doi = re.search(r"10\.\d{4,9}/[-._;()/:a-z0-9]+", url.lower())
    key = doi.group(0).rstrip(").;") if doi else url.lower()
    return re.sub(r"/(full|fulltext\.html|abstract)?$", "", key.rstrip("/"))
