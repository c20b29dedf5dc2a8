"""Profile mammo_ner inference with cProfile and say where the time goes.

python benchmarks/profile_inference.py [--model training/model-best] [--n 300] [--top 25]
    [--out benchmarks/results_profile.md]

Runs `nlp.pipe` over `--n` synthetic reports (after a short warm-up), prints
the top functions by own time and by cumulative time, and a breakdown of the
inference path into its stages (tokenizer, featurizer with the lexicon regex
matching and the subword ids, padding, the torch module's embedding / BiLSTM /
attention, Viterbi, setting `doc.ents`).
"""

import argparse
import cProfile
import io
import pstats
import shlex
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure_inference import REPO

# Stage -> (file suffix, function name) whose cumulative time is the stage's time.
# Nested stages (the lexicon inside the featurizer) are listed both on their own
# and inside their parent, so the shares do not add up to 100%.
STAGES: Sequence[Tuple[str, str, str]] = (
    ("tokenizer (nlp.make_doc)", "spacy/language.py", "make_doc"),
    ("mammo_ner.predict (all below)", "spacy_mammo/ner/component.py", "predict"),
    ("  featurizer: all", "spacy_mammo/ner/featurizer.py", "featurize_doc"),
    ("    lexicon tags: lexicon_tag_ids", "spacy_mammo/rules/lexicon_match.py", "lexicon_tag_ids"),
    ("      lexicon regexes: lexicon_spans", "spacy_mammo/rules/lexicon_match.py", "lexicon_spans"),
    ("      Doc.char_span", "spacy/tokens/doc.pyx", "char_span"),
    ("    subword ids (cache misses only)", "spacy_mammo/ner/featurizer.py", "subword_ids"),
    ("    Doc.to_array", "spacy/tokens/doc.pyx", "to_array"),
    ("  padding: _convert_inputs", "spacy_mammo/ner/architectures.py", "_convert_inputs"),
    ("  torch module forward", "spacy_mammo/ner/torch_tagger.py", "forward"),
    ("    embeddings + mix", "spacy_mammo/ner/torch_tagger.py", "embed"),
    ("      embedding lookups", "torch/nn/functional.py", "embedding"),
    ("    pack_padded_sequence", "torch/nn/utils/rnn.py", "pack_padded_sequence"),
    ("    BiLSTM kernel (torch.lstm)", "~", "<built-in method torch.lstm>"),
    ("    pad_packed_sequence", "torch/nn/utils/rnn.py", "pad_packed_sequence"),
    ("    windowed attention", "spacy_mammo/ner/torch_tagger.py", "windowed_attention"),
    ("      attention kernel", "~", "<built-in method torch._native_multi_head_attention>"),
    ("  unpadding: _convert_outputs", "spacy_mammo/ner/architectures.py", "_convert_outputs"),
    ("  log-softmax", "spacy_mammo/ner/component.py", "_log_softmax"),
    ("  Viterbi: viterbi_decode", "spacy_mammo/ner/bio.py", "viterbi_decode"),
    ("mammo_ner.set_annotations", "spacy_mammo/ner/component.py", "set_annotations"),
    ("  tags_to_spans", "spacy_mammo/ner/bio.py", "tags_to_spans"),
)


def stage_times(stats: pstats.Stats) -> List[Tuple[str, Optional[float], int]]:
    """(stage, cumulative seconds or None if not seen, calls) for every entry of STAGES."""
    rows = []
    for stage, file_suffix, function in STAGES:
        seconds, calls, seen = 0.0, 0, False
        for (file_name, _line, name), (_cc, n_calls, _tt, cumulative, _callers) in stats.stats.items():
            if name == function and file_name.replace("\\", "/").endswith(file_suffix):
                seconds += cumulative
                calls += n_calls
                seen = True
        rows.append((stage, seconds if seen else None, calls))
    return rows


def direct_stage_times(nlp, texts: Sequence[str]) -> List[Tuple[str, float]]:
    """CPU seconds of each stage of mammo_ner's inference path, called one after the other
    without a profiler (cProfile's per-call hooks inflate spaCy's Cython code, which is
    built with profiling support). Mirrors `MammoNER.predict`; reads its internals only.
    """
    from thinc.api import to_numpy

    from spacy_mammo.ner.bio import viterbi_decode
    from spacy_mammo.ner.component import _length_chunks, _log_softmax
    from spacy_mammo.rules.lexicon_match import lexicon_spans

    ner = nlp.get_pipe("mammo_ner")
    featurizer, tagger = ner.model.layers
    clock = time.process_time
    rows = []
    start = clock()
    docs = [nlp.make_doc(text) for text in texts]
    rows.append(("tokenizer (nlp.make_doc)", clock() - start))
    start = clock()
    for doc in docs:
        lexicon_spans(doc.text)
    rows.append(("lexicon regexes alone (lexicon_spans(doc.text))", clock() - start))
    order = sorted((i for i, doc in enumerate(docs) if len(doc)), key=lambda i: len(docs[i]))
    chunks = list(_length_chunks(order, docs, ner.cfg.get("batch_tokens", 20000)))
    start = clock()
    features = [featurizer.predict([docs[i] for i in chunk]) for chunk in chunks]
    rows.append(("featurizer (hashes, lexicon tags, subwords)", clock() - start))
    start = clock()
    scores = [tagger.predict(chunk_features) for chunk_features in features]
    rows.append(("padding + torch module + unpadding", clock() - start))
    start_allowed, transition_allowed = ner._decode_tables()
    start = clock()
    paths = []
    for chunk_scores in scores:
        log_probs = [_log_softmax(to_numpy(s)) for s in chunk_scores]
        paths.extend(viterbi_decode(log_probs, start_allowed, transition_allowed))
    rows.append(("log-softmax + Viterbi", clock() - start))
    ordered_docs = [docs[i] for chunk in chunks for i in chunk]
    start = clock()
    ner.set_annotations(ordered_docs, paths)
    rows.append(("set_annotations (doc.ents)", clock() - start))
    rows.append(
        ("sum of the stages above but the lexicon line", sum(s for name, s in rows if not name.startswith("lexicon")))
    )
    start = clock()
    for _ in nlp.pipe(texts, batch_size=256):
        pass
    rows.append(("nlp.pipe end to end, for comparison", clock() - start))
    return rows


def top_functions(stats: pstats.Stats, sort: str, top: int) -> str:
    """pstats' own listing of the `top` functions by `sort` ("tottime" or "cumulative")."""
    stream = io.StringIO()
    stats.stream = stream
    stats.sort_stats(sort).print_stats(top)
    text = stream.getvalue()
    return text[text.index("   ncalls") :] if "   ncalls" in text else text


def profile(
    model: Path, n_reports: int, seed: int, threads: int, batch_size: int
) -> Tuple[pstats.Stats, Dict[str, float], List[Tuple[str, float]]]:
    """Profile `nlp.pipe` of `model` over synthetic reports.

    RETURNS (Tuple): the cProfile stats, run totals, and `direct_stage_times`.
    """
    import spacy
    import torch

    import spacy_mammo  # noqa: F401
    from spacy_mammo.corpus.synth import generate_reports

    torch.set_num_threads(threads)
    texts = [record["text"] for record in generate_reports(n_reports, seed)]
    nlp = spacy.load(model)
    for _ in nlp.pipe(texts[:20], batch_size=batch_size):
        pass
    start, start_cpu = time.perf_counter(), time.process_time()
    n_words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
    plain_seconds, plain_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    # CPU time of this process: the machine may be shared, and wall time would count waiting.
    profiler = cProfile.Profile(time.process_time)
    start = time.perf_counter()
    profiler.enable()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    profiler.disable()
    profiled_seconds = time.perf_counter() - start
    totals = {
        "reports": len(texts),
        "words": n_words,
        "plain_seconds": plain_seconds,
        "plain_cpu_seconds": plain_cpu,
        "profiled_seconds": profiled_seconds,
    }
    return pstats.Stats(profiler), totals, direct_stage_times(nlp, texts)


def profile_markdown(
    stats: pstats.Stats,
    totals: Dict[str, float],
    direct: Sequence[Tuple[str, float]],
    model: Path,
    command: str,
    threads: int,
    top: int,
) -> str:
    """results_profile.md: the stage breakdown and both top-function listings."""
    total = stats.total_tt
    lines = [
        "# mammo_ner inference profile (cProfile)",
        "",
        f"Command: `{command}`",
        "",
        f"Model: `{model}`; {totals['reports']} synthetic reports, {totals['words']} tokens; torch threads {threads}. "
        f"Without the profiler: {totals['plain_seconds']:.2f} s wall, {totals['plain_cpu_seconds']:.2f} s CPU "
        f"({totals['words'] / totals['plain_cpu_seconds']:,.0f} words per CPU second); with it: "
        f"{totals['profiled_seconds']:.2f} s wall, {total:.2f} s CPU. Times below are CPU seconds of this process "
        "(the profiler's timer is `time.process_time`, so time spent waiting for a shared CPU does not count). "
        "cProfile adds a fixed cost to every Python call, so Python-heavy stages look somewhat bigger than they are.",
        "",
        "Stages timed directly, without the profiler (CPU seconds, same reports):",
        "",
        "| Stage | CPU s | Share of end to end |",
        "| --- | ---: | ---: |",
    ]
    end_to_end = direct[-1][1]
    for stage, seconds in direct:
        lines.append(f"| {stage} | {seconds:.3f} | {100 * seconds / end_to_end:.1f}% |")
    lines += [
        "",
        "Stages under cProfile (cumulative CPU seconds; nested rows are part of the row above them):",
        "",
        "| Stage | Cumulative s | Share of total | Calls |",
        "| --- | ---: | ---: | ---: |",
    ]
    for stage, seconds, calls in stage_times(stats):
        if seconds is None:
            lines.append(f"| {stage} | - | - | 0 |")
        else:
            lines.append(f"| {stage} | {seconds:.3f} | {100 * seconds / total:.1f}% | {calls} |")
    lines += [
        "",
        f"## Top {top} functions by own time",
        "",
        "```",
        top_functions(stats, "tottime", top).rstrip(),
        "```",
        "",
        f"## Top {top} functions by cumulative time",
        "",
        "```",
        top_functions(stats, "cumulative", top).rstrip(),
        "```",
    ]
    return "\n".join(lines) + "\n"


def cli_main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/profile_inference.py", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model", type=Path, default=REPO / "training" / "model-best", help="trained mammo_ner pipeline"
    )
    parser.add_argument("--n", type=int, default=300, help="synthetic reports to process")
    parser.add_argument("--seed", type=int, default=5, help="seed of the synthetic reports")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--top", type=int, default=25, help="functions to list")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results_profile.md")
    args = parser.parse_args(argv)
    if not (args.model / "config.cfg").exists():
        parser.error(f"no pipeline at {args.model}; train one first (see benchmarks/README.md)")
    stats, totals, direct = profile(args.model, args.n, args.seed, args.threads, args.batch_size)
    from spacy_mammo.evaluation.evaluate import write_text_atomic

    command = "python " + shlex.join([sys.argv[0]] + list(argv))
    markdown = profile_markdown(stats, totals, direct, args.model, command, args.threads, args.top)
    write_text_atomic(args.out, markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(cli_main(sys.argv[1:]))
