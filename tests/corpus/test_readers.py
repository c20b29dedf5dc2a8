"""Readers: guideline JSONL, CoNLL BIO TSV and CSV; validation errors; the
`convert` command."""

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin
from spacy.training import Example
from spacy.vocab import Vocab

from spacy_mammo.corpus.readers import (
    ReadStats,
    read_conll_docs,
    read_csv_docs,
    read_jsonl_records,
    records_to_docs,
    write_docbin,
)
from spacy_mammo.errors import MammoDataError
from spacy_mammo.tokenizer import blank_mammo_nlp

from ..conftest import invoke_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readers"
REPORTS = FIXTURES / "reports.jsonl"
NCBI_DEVEL = Path("/work/shared/data/biomed_ner/NCBI-disease-IOB/devel.tsv")
# A word that appears in report text below; error messages must never contain it.
SECRET = "Zyxwvut"


@pytest.fixture(scope="module")
def nlp():
    return blank_mammo_nlp()


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def record(rid="a", text=f"{SECRET} mass in the right breast.", spans=None):
    if spans is None:
        spans = [{"start": 8, "end": 12, "label": "MASS"}]
    return {"id": rid, "text": text, "spans": spans}


def raises_data_error(func, *, match):
    with pytest.raises(MammoDataError, match=match) as info:
        func()
    assert SECRET not in str(info.value)
    return info.value


def ents_of(doc):
    return [(e.text, e.label_, e._.negated) for e in doc.ents]


# --- JSONL ----------------------------------------------------------------


def test_read_jsonl_records():
    records = list(read_jsonl_records(REPORTS))
    assert [r["id"] for r in records] == ["r001", "r002", "r003"]
    first = records[0]["spans"]
    assert [s["negated"] for s in first] == [False, True, True, False]
    assert [s["start"] for s in first] == sorted(s["start"] for s in first)


def test_records_to_docs_sets_ents_and_negation(nlp):
    stats = ReadStats()
    docs = list(records_to_docs(read_jsonl_records(REPORTS), nlp, stats=stats))
    assert len(docs) == stats.docs == 3
    assert stats.entities == 18
    assert ents_of(docs[0])[1:3] == [("masses", "MASS", True), ("calcifications", "CALCIFICATION", True)]
    assert ents_of(docs[2])[:2] == [("R", "LATERALITY", False), ("2:00", "LOCATION", False)]
    assert docs[1].ents[-1].text == "BI-RADS 4A"
    assert docs[0].user_data["record_id"] == "r001"


@pytest.mark.parametrize("split,n_docs", [("report", 3), ("sentence", 11), ("section", 6)])
def test_split_keeps_spans_whole(nlp, split, n_docs):
    records = list(read_jsonl_records(REPORTS))
    docs = list(records_to_docs(records, nlp, split=split))
    assert len(docs) == n_docs
    by_id = {r["id"]: r for r in records}
    found = []
    for doc in docs:
        rec = by_id[doc.user_data["record_id"]]
        offset = doc.user_data["record_offset"]
        assert rec["text"][offset : offset + len(doc.text)] == doc.text
        found.extend((rec["id"], e.start_char + offset, e.end_char + offset, e.label_, e._.negated) for e in doc.ents)
    expected = [(r["id"], s["start"], s["end"], s["label"], s["negated"]) for r in records for s in r["spans"]]
    assert found == expected


def test_sentence_split_cuts_at_newlines_but_not_inside_spans(nlp):
    docs = list(records_to_docs(read_jsonl_records(REPORTS), nlp, split="sentence"))
    texts = [d.text for d in docs if d.user_data["record_id"] == "r003"]
    # v1.3: the BI-RADS value on its own line is the span, so the split may cut before it
    assert texts == ["R2:00 mass at 6cmfn.", "Density: C.", "Assessment: BI-RADS", "4"]
    # older data with a span across the line break is never cut inside the span
    text = "Assessment: BI-RADS\n4"
    old = record(rid="old", text=text, spans=[{"start": 12, "end": len(text), "label": "BIRADS", "negated": False}])
    assert [d.text for d in records_to_docs([old], nlp, split="sentence")] == [text]


def test_blank_texts_split(nlp):
    records = [record(rid="a", text="", spans=[]), record(rid="b", text=" \n ", spans=[])]
    assert [d.text for d in records_to_docs(records, nlp)] == ["", " \n "]
    assert list(records_to_docs(records, nlp, split="sentence")) == []


def test_jsonl_reader_from_registry(nlp):
    config = {"corpus": {"@readers": "spacy-mammo.JsonlReader.v1", "path": str(REPORTS), "split": "sentence"}}
    corpus = spacy.registry.resolve(config)["corpus"]
    examples = list(corpus(nlp))
    assert len(examples) == 11
    assert all(isinstance(eg, Example) for eg in examples)
    for eg in examples:
        assert [t.text for t in eg.predicted] == [t.text for t in eg.reference]
        assert not eg.predicted.ents
    assert sum(len(eg.reference.ents) for eg in examples) == corpus.stats.entities == 18
    negated = [e.text for eg in examples for e in eg.reference.ents if e._.negated]
    assert negated == ["masses", "calcifications"]


def test_jsonl_reader_limit(nlp):
    reader = spacy.registry.readers.get("spacy-mammo.JsonlReader.v1")
    assert len(list(reader(REPORTS, split="sentence", limit=4)(nlp))) == 4


def test_jsonl_reader_custom_labels(tmp_path, nlp):
    path = write_jsonl(tmp_path / "a.jsonl", [record(spans=[{"start": 8, "end": 12, "label": "THING"}])])
    reader = spacy.registry.readers.get("spacy-mammo.JsonlReader.v1")
    assert ents_of(next(iter(reader(path, labels=["THING"])(nlp))).reference) == [("mass", "THING", False)]
    raises_data_error(lambda: list(reader(path)(nlp)), match="unknown label 'THING'")


def test_strict_alignment_error_names_record_and_offsets(tmp_path, nlp):
    path = write_jsonl(tmp_path / "a.jsonl", [record(rid="rep-7", spans=[{"start": 8, "end": 11, "label": "MASS"}])])
    err = raises_data_error(
        lambda: list(records_to_docs(read_jsonl_records(path), nlp, path=path)), match="span 8-11 does not match"
    )
    assert err.record == "rep-7" and "rep-7" in str(err) and str(path) in str(err)


def test_contract_and_expand_alignment(tmp_path, nlp):
    text = f"{SECRET} irregular masses seen."
    spans = [{"start": 8, "end": 21, "label": "MASS"}]  # "irregular mas"
    path = write_jsonl(tmp_path / "a.jsonl", [record(text=text, spans=spans)])
    contracted = next(records_to_docs(read_jsonl_records(path), nlp, alignment_mode="contract"))
    expanded = next(records_to_docs(read_jsonl_records(path), nlp, alignment_mode="expand"))
    assert [e.text for e in contracted.ents] == ["irregular"]
    assert [e.text for e in expanded.ents] == ["irregular masses"]


def test_alignment_that_leaves_nothing_is_an_error(tmp_path, nlp):
    path = write_jsonl(tmp_path / "a.jsonl", [record(spans=[{"start": 8, "end": 11, "label": "MASS"}])])
    docs = records_to_docs(read_jsonl_records(path), nlp, alignment_mode="contract")
    raises_data_error(lambda: list(docs), match="span 8-11 does not match")


def test_expanded_spans_that_collide_are_an_error(tmp_path, nlp):
    spans = [{"start": 8, "end": 10, "label": "MASS"}, {"start": 10, "end": 12, "label": "MASS"}]
    path = write_jsonl(tmp_path / "a.jsonl", [record(spans=spans)])
    docs = records_to_docs(read_jsonl_records(path), nlp, alignment_mode="expand")
    raises_data_error(lambda: list(docs), match="span 10-12 overlaps")


BAD_RECORDS = [
    ({"id": "a", "spans": []}, 'line 1: missing "text"'),
    ({"text": "x", "spans": []}, 'line 1: missing "id"'),
    (record(spans=[{"start": 8, "end": 12, "label": "TUMOUR"}]), "unknown label 'TUMOUR'"),
    (record(spans=[{"start": 30, "end": 99, "label": "MASS"}]), "span 30-99: offsets out of range"),
    (record(spans=[{"start": -1, "end": 3, "label": "MASS"}]), "span -1-3: offsets out of range"),
    (record(spans=[{"start": 12, "end": 8, "label": "MASS"}]), "span 12-8: start must be before end"),
    (record(spans=[{"start": 8, "end": 8, "label": "MASS"}]), "span 8-8: start must be before end"),
    (
        record(spans=[{"start": 8, "end": 12, "label": "MASS"}, {"start": 10, "end": 15, "label": "LOCATION"}]),
        "spans 8-12 and 10-15 overlap",
    ),
    (record(spans=[{"start": 20, "end": 25, "label": "LATERALITY", "negated": True}]), "LATERALITY is never negated"),
    (record(spans=[{"start": 7, "end": 12, "label": "MASS"}]), "span 7-12: starts or ends with whitespace"),
    (record(spans=[{"start": 8, "end": 12, "label": "MASS", "negated": "yes"}]), "must be true or false"),
    (record(spans=[{"start": "8", "end": 12, "label": "MASS"}]), "must be integers"),
    (record(spans="none"), '"spans" must be a list'),
    ([1, 2], "JSON object"),
]


@pytest.mark.parametrize("bad,message", BAD_RECORDS)
def test_bad_jsonl_records(tmp_path, bad, message):
    path = write_jsonl(tmp_path / "bad.jsonl", [bad])
    raises_data_error(lambda: list(read_jsonl_records(path)), match=message)


def test_jsonl_invalid_json_names_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(record()) + "\n\n{" + SECRET + "\n", encoding="utf-8")
    err = raises_data_error(lambda: list(read_jsonl_records(path)), match="line 3: invalid JSON")
    assert err.line == 3


def test_jsonl_duplicate_ids(tmp_path):
    path = write_jsonl(tmp_path / "dup.jsonl", [record(rid="x"), record(rid="y"), record(rid="x")])
    message = r"line 3, record 'x': duplicate id \(first seen on line 1\)"
    raises_data_error(lambda: list(read_jsonl_records(path)), match=message)


def test_jsonl_empty_file(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    raises_data_error(lambda: list(read_jsonl_records(path)), match="empty file")


def test_jsonl_non_utf8_names_line(tmp_path):
    path = tmp_path / "latin.jsonl"
    good = json.dumps(record(rid="a")).encode("utf-8") + b"\n"
    bad = json.dumps(record(rid="b", text="caf\u00e9 " + SECRET)).encode("utf-8").replace(b"\\u00e9", b"\xe9")
    path.write_bytes(good + bad + b"\n")
    err = raises_data_error(lambda: list(read_jsonl_records(path)), match="line 2: bytes that are not valid utf-8")
    assert err.line == 2


def test_missing_file_is_a_data_error(tmp_path):
    raises_data_error(lambda: list(read_jsonl_records(tmp_path / "nope.jsonl")), match="file not found")


# --- CoNLL ----------------------------------------------------------------


def test_read_conll_docs():
    stats = ReadStats()
    docs = list(read_conll_docs(FIXTURES / "sample.tsv", Vocab(), stats=stats))
    assert [d.text for d in docs] == [
        "Germline mutations in BRCA1 cause breast cancer .",
        "Ataxia telangiectasia and cancer .",
    ]
    assert [[(e.text, e.label_) for e in d.ents] for d in docs] == [
        [("breast cancer", "Disease")],
        [("Ataxia telangiectasia", "Disease"), ("cancer", "Disease")],
    ]
    assert (stats.docs, stats.entities, stats.repairs) == (2, 3, 0)


def test_conll_reader_from_registry(nlp):
    corpus = spacy.registry.readers.get("spacy-mammo.ConllReader.v1")(FIXTURES / "sample.tsv", limit=1)
    examples = list(corpus(nlp))
    assert len(examples) == 1
    eg = examples[0]
    assert [t.text for t in eg.predicted] == [t.text for t in eg.reference]
    assert [e.text for e in eg.reference.ents] == ["breast cancer"]


def write_tsv(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_conll_orphan_inside_tag(tmp_path, nlp):
    path = write_tsv(tmp_path / "a.tsv", [f"{SECRET}\tO", "cancer\tI-Disease", "", "x\tB-Disease", "y\tI-Chem"])
    raises_data_error(lambda: list(read_conll_docs(path, Vocab())), match="line 2: I-Disease does not follow")
    stats = ReadStats()
    docs = list(read_conll_docs(path, Vocab(), repair_bio=True, stats=stats))
    assert [[(e.text, e.label_) for e in d.ents] for d in docs] == [
        [("cancer", "Disease")],
        [("x", "Disease"), ("y", "Chem")],
    ]
    assert stats.repairs == 2
    corpus = spacy.registry.readers.get("spacy-mammo.ConllReader.v1")(path, repair_bio=True)
    assert len(list(corpus(nlp))) == 2
    assert corpus.stats.repairs == 2


@pytest.mark.parametrize(
    "lines,message",
    [
        ([f"{SECRET}\tO\textra"], "line 1: expected 2 tab-separated columns, found 3"),
        (["ok\tO", f"{SECRET} O"], "line 2: expected 2 tab-separated columns, found 1"),
        ([f"{SECRET}\tB-"], "line 1: invalid tag"),
        ([f"{SECRET}\tX-Disease"], "line 1: invalid tag"),
        ([f"x\tB-{SECRET} words"], "line 1: invalid tag"),
        (["\tO"], "line 1: empty token"),
        (["", "  "], "empty file"),
        (["-DOCSTART-\tO", ""], "empty file"),
    ],
)
def test_bad_conll(tmp_path, lines, message):
    path = write_tsv(tmp_path / "bad.tsv", lines)
    raises_data_error(lambda: list(read_conll_docs(path, Vocab())), match=message)


def test_conll_known_labels(tmp_path):
    path = write_tsv(tmp_path / "a.tsv", [f"{SECRET}\tB-Disease", "x\tB-Chemical"])
    assert len(list(read_conll_docs(path, Vocab(), labels=["Disease", "Chemical"]))) == 1
    raises_data_error(
        lambda: list(read_conll_docs(path, Vocab(), labels=["Disease"])), match="line 2: unknown label 'Chemical'"
    )


def test_conll_non_utf8_names_line(tmp_path):
    path = tmp_path / "a.tsv"
    path.write_bytes(b"ok\tO\nok\tO\nbad\xff\tO\n")
    raises_data_error(lambda: list(read_conll_docs(path, Vocab())), match="line 3: bytes that are not valid utf-8")


@pytest.mark.skipif(not NCBI_DEVEL.exists(), reason="NCBI-disease devel.tsv not in /work/shared/data")
def test_ncbi_disease_devel_reads_fully():
    stats = ReadStats()
    docs = list(read_conll_docs(NCBI_DEVEL, Vocab(), labels=["Disease"], stats=stats))
    assert len(docs) == stats.docs == 923
    assert sum(len(d.ents) for d in docs) == stats.entities == 787
    assert stats.repairs == 0


# --- CSV ------------------------------------------------------------------

KAGGLE = {"id_column": "Sentence #", "token_column": "Word", "tag_column": "Tag"}


def test_read_csv_docs_forward_fills_ids():
    stats = ReadStats()
    docs = list(read_csv_docs(FIXTURES / "kaggle.csv", Vocab(), stats=stats, **KAGGLE))
    assert [d.text for d in docs] == [
        "Thousands of demonstrators marched through London .",
        "Iranian officials in New York",
    ]
    assert [d.user_data["record_id"] for d in docs] == ["Sentence: 1", "Sentence: 2"]
    assert [[(e.text, e.label_) for e in d.ents] for d in docs] == [
        [("London", "geo")],
        [("Iranian", "gpe"), ("New York", "geo")],
    ]
    assert (stats.docs, stats.entities) == (2, 3)


def test_csv_reader_from_registry(nlp):
    config = {"c": {"@readers": "spacy-mammo.CsvReader.v1", "path": str(FIXTURES / "kaggle.csv"), **KAGGLE}}
    corpus = spacy.registry.resolve(config)["c"]
    assert [len(eg.reference.ents) for eg in corpus(nlp)] == [1, 2]


def write_csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text,kwargs,message",
    [
        ("sentence_id,token\n1,x\n", {}, r"line 1: missing columns \['tag'\] in the header"),
        (f"sentence_id,token,tag\n1,{SECRET},O\n1,x\n", {}, "line 3: invalid tag"),
        ("", {}, "empty file"),
        ("sentence_id,token,tag\n", {}, "empty file"),
        (f"sentence_id,token,tag\n1,{SECRET},O\n1,x,I-geo\n", {}, "line 3: I-geo does not follow"),
        (f"sentence_id,token,tag\n1,{SECRET},O\n2,x,O\n1,y,O\n", {}, "line 4: duplicate sentence_id"),
        (f"sentence_id,token,tag\n,{SECRET},O\n", {}, "line 2: the first row has no sentence_id"),
        (f"sentence_id,token,tag\n1,{SECRET},O,extra\n", {}, "malformed CSV"),
        (f"sentence_id,token,tag\n1,{SECRET},B-geo\n", {"labels": ["per"]}, "line 2: unknown label 'geo'"),
    ],
)
def test_bad_csv(tmp_path, text, kwargs, message):
    path = write_csv(tmp_path / "bad.csv", text)
    raises_data_error(lambda: list(read_csv_docs(path, Vocab(), **kwargs)), match=message)


def test_csv_repair_bio(tmp_path):
    path = write_csv(tmp_path / "a.csv", "sentence_id,token,tag\n1,a,I-geo\n1,b,I-geo\n2,c,O\n")
    stats = ReadStats()
    docs = list(read_csv_docs(path, Vocab(), repair_bio=True, stats=stats))
    assert [[e.text for e in d.ents] for d in docs] == [["a b"], []]
    assert stats.repairs == 1


def test_csv_keeps_na_like_tokens(tmp_path):
    path = write_csv(tmp_path / "a.csv", "sentence_id,token,tag\n1,NA,O\n1,null,O\n")
    assert next(read_csv_docs(path, Vocab())).text == "NA null"


def test_csv_non_utf8_names_line(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"sentence_id,token,tag\n1,ok,O\n1,caf\xe9,O\n")
    raises_data_error(lambda: list(read_csv_docs(path, Vocab())), match="line 3: bytes that are not valid utf-8")
    assert next(read_csv_docs(path, Vocab(), encoding="latin-1")).text == "ok caf\u00e9"


# --- Output and CLI -------------------------------------------------------


def test_write_docbin_is_atomic(tmp_path, nlp):
    out = tmp_path / "out.spacy"
    out.write_bytes(b"old")

    def docs():
        yield nlp.make_doc("one")
        raise MammoDataError("broken input")

    with pytest.raises(MammoDataError):
        write_docbin(docs(), out)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.spacy"]
    assert write_docbin([nlp.make_doc("one"), nlp.make_doc("two")], out) == 2
    assert len(DocBin().from_disk(out)) == 2


def test_convert_jsonl_keeps_negation(tmp_path):
    out = tmp_path / "train.spacy"
    result = invoke_cli("convert", REPORTS, out, "--split", "sentence")
    assert result.exit_code == 0
    assert "docs: 11, entities: 18, repairs: 0" in result.stdout
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(out).get_docs(nlp.vocab))
    assert len(docs) == 11
    assert [e.text for d in docs for e in d.ents if e._.negated] == ["masses", "calcifications"]


def test_convert_conll_repairs(tmp_path):
    src = write_tsv(tmp_path / "a.tsv", ["x\tI-Disease", "y\tO"])
    out = tmp_path / "a.spacy"
    assert invoke_cli("convert", src, out).exit_code == 1
    assert not out.exists()
    result = invoke_cli("convert", src, out, "--repair-bio")
    assert result.exit_code == 0
    assert "docs: 1, entities: 1, repairs: 1" in result.stdout
    assert out.exists()


def test_convert_csv_with_columns(tmp_path):
    out = tmp_path / "k.spacy"
    args = ["convert", FIXTURES / "kaggle.csv", out, "--id-column", "Sentence #", "--token-column", "Word"]
    result = invoke_cli(*args, "--tag-column", "Tag", "--labels", "geo,gpe")
    assert result.exit_code == 0
    assert "docs: 2, entities: 3" in result.stdout
    result = invoke_cli(*args, "--tag-column", "Tag", "--labels", "geo")
    assert result.exit_code == 1
    assert "unknown label 'gpe'" in result.stderr


def test_convert_error_leaves_no_output(tmp_path):
    src = write_jsonl(tmp_path / "bad.jsonl", [record(rid="a"), record(rid="a")])
    out = tmp_path / "bad.spacy"
    result = invoke_cli("convert", src, out)
    assert result.exit_code == 1
    assert "duplicate id" in result.stderr and SECRET not in result.stderr
    assert list(tmp_path.iterdir()) == [src]


@pytest.mark.parametrize(
    "args,message",
    [
        (["sample.tsv", "--split", "sentence"], "JSONL input only, not conll"),
        (["kaggle.csv", "--alignment-mode", "expand"], "JSONL input only, not csv"),
        (["reports.jsonl", "--repair-bio"], "CoNLL and CSV input only"),
        (["reports.jsonl", "--format", "xml"], "'xml' is not one of"),
        (["notes.txt"], "cannot tell the format from the extension '.txt'"),
    ],
)
def test_convert_rejects_options_of_other_formats_as_usage_errors(tmp_path, args, message):
    (tmp_path / "notes.txt").write_text("x", encoding="utf8")
    name, *options = args
    src = tmp_path / name if name == "notes.txt" else FIXTURES / name
    result = invoke_cli("convert", src, tmp_path / "x.spacy", *options)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "x.spacy").exists()
