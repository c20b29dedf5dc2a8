"""Words per second of spaCy's `ner`, the `mammo_ner` tagger, the full pipeline and `extract`, in one run.

python benchmarks/pipeline_speed.py [--model training/model-final] [--n 600] [--seed 15] [--repeats 3]
    [--batch-size 256] [--work /tmp/pipeline-speed] [--ner DIR] [--reference OUT.jsonl]
    [--out benchmarks/results_pipeline_speed.md]

Everything runs at one torch thread and one BLAS/OpenMP thread.

1. `--n` synthetic reports (`spacy_mammo.corpus.synth.generate_reports`, `--seed`): a JSONL input
   for `extract` and a .spacy file of their gold entities.
2. spaCy's own `ner` (the efficiency preset of `run_benchmarks.py`, blank English with the
   project's tokenizer), trained briefly on those reports: one epoch with the budget rules of
   `run_benchmarks.train_spacy_system`. `--ner DIR` reuses a model trained by an earlier run.
3. Fresh processes (`measure_inference.run_fresh`), each timing `--repeats` rounds in which its
   systems take turns (the median per system is reported, ratios are between medians of the
   same process):
   - "pipe": glibc's heap as any library leaves it; `nlp.pipe` of spaCy ner, the tagger alone
     (`mammo_ner`) and the full pipeline (tagger, `mammo_negation`, `mammo_findings`);
   - "extract": as `extract` runs, the heap fixed by `batch.memory.fix_mmap_threshold` before the
     model loads; the tagger, the full pipeline and `extract_file` end to end after the load
     (reading the JSONL, record checks, memory zones, findings serialisation, writing and
     renaming the output) with `n_process` 1 and 2, and with `--batch-size 64` (the default
     before 256); and, without the output, the events of two processes from `nlp.pipe`'s own
     `n_process=2` (what extract used before) and from `batch.run.pool_events`;
   - "hugetlb": the tagger, the full pipeline and extract with `n_process=1` as in "extract", with
     GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (glibc >= 2.35, transparent huge pages in "madvise"
     mode), which makes the fixed heap's mmapped buffers fault in 2 MiB pages.
   The tagger runs in every process, so its ratio across processes is the cost of the fixed heap.
4. A cProfile of one `extract_file` run: the share of its time spent inside `nlp.pipe` and in
   extract's own functions.

Words are tokens of the project's tokenizer, which every system uses. The extract outputs of
`n_process` 1 and 2 (and `--reference`, e.g. an output written by an earlier version) are
compared byte for byte.
"""

import argparse
import cProfile
import hashlib
import json
import os
import platform
import pstats
import shlex
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure_inference import REPO, cpu_name, run_fresh

DEFAULT_MODEL = REPO / "training" / "model-final"
HUGETLB = "glibc.malloc.hugetlb=1"
# Functions of extract's own path whose cumulative time the profile reports.
OWN_PATH = (
    ("spacy_mammo/batch/run.py", "doc_record"),
    ("spacy_mammo/batch/outputs.py", "write"),
    ("spacy_mammo/batch/inputs.py", "_jsonl_records"),
    ("spacy_mammo/batch/inputs.py", "__call__"),
    ("spacy_mammo/batch/outputs.py", "flush"),
    ("spacy_mammo/batch/outputs.py", "commit"),
)


# ---------------------------------------------------------------------------
# Data and spaCy's ner


def write_data(work: Path, n: int, seed: int) -> Dict[str, Path]:
    """The JSONL input of `extract` ({"id", "text"} per line) and the .spacy file of the same reports."""
    from spacy_mammo.corpus.readers import records_to_docs, write_docbin
    from spacy_mammo.corpus.synth import generate_reports
    from spacy_mammo.tokenizer import blank_mammo_nlp

    records = generate_reports(n, seed)
    work.mkdir(parents=True, exist_ok=True)
    paths = {"input": work / "reports.jsonl", "train": work / "train.spacy", "dev": work / "dev.spacy"}
    with paths["input"].open("w", encoding="utf-8") as file_:
        for i, record in enumerate(records):
            file_.write(json.dumps({"id": f"speed-{i:04d}", "text": record["text"]}, ensure_ascii=False) + "\n")
    nlp = blank_mammo_nlp()
    write_docbin(records_to_docs(records, nlp), paths["train"])
    write_docbin(records_to_docs(records[: max(1, n // 10)], nlp), paths["dev"])
    return paths


def train_ner(paths: Dict[str, Path], work: Path) -> Dict[str, Any]:
    """spaCy ner (efficiency preset) trained for one epoch on the reports, at one thread."""
    from benchmarks.run_benchmarks import QUICK, train_spacy_system, training_threads

    settings = replace(QUICK, max_epochs=1, evals_per_run=2, patience_epochs=1)
    with training_threads(1):
        return train_spacy_system("spacy_ner_efficiency", "mammo", paths, settings, work)


# ---------------------------------------------------------------------------
# Measuring processes


def _rounds(systems: Dict[str, Callable[[], None]], n_words: int, repeats: int) -> Dict[str, List[float]]:
    """Words/second of each system per round; the systems take turns within a round."""
    speeds: Dict[str, List[float]] = {name: [] for name in systems}
    for _ in range(repeats):
        for name, run in systems.items():
            start = time.perf_counter()
            run()
            speeds[name].append(n_words / (time.perf_counter() - start))
    return speeds


def _tagger_name(nlp) -> str:
    return next(name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory == "mammo_ner")


def _consume(docs) -> None:
    for _ in docs:
        pass


def child(args: argparse.Namespace) -> Dict[str, Any]:
    """One measuring process ("pipe" or "extract"); RETURNS its speeds, words and load averages."""
    import spacy
    import torch
    from threadpoolctl import threadpool_limits

    from spacy_mammo.assemble import load_pipeline
    from spacy_mammo.batch.inputs import RecordChecker, iter_input
    from spacy_mammo.batch.memory import fix_mmap_threshold
    from spacy_mammo.batch.run import ExtractOptions, extract_file, pipe_in_memory_zones, pool_events

    load_before = os.getloadavg()
    torch.set_num_threads(1)
    if args.child in ("extract", "hugetlb"):
        fix_mmap_threshold()  # what extract_file does before it loads the model
    texts = [json.loads(line)["text"] for line in args.input.read_text(encoding="utf-8").splitlines()]
    nlp = load_pipeline(args.model)
    tagger = _tagger_name(nlp)
    batch_size = args.batch_size

    def run_tagger() -> None:
        with nlp.select_pipes(enable=[tagger]):
            _consume(nlp.pipe(texts, batch_size=batch_size))

    def run_full() -> None:
        _consume(nlp.pipe(texts, batch_size=batch_size))

    systems: Dict[str, Callable[[], None]] = {}
    outputs: Dict[str, str] = {}
    if args.child == "pipe":
        ner = spacy.load(args.ner)
        systems["spacy_ner"] = lambda: _consume(ner.pipe(texts, batch_size=batch_size))
    systems["tagger"] = run_tagger
    systems["full"] = run_full
    runs = {"extract_n1": (1, batch_size)}
    if args.child == "extract":
        runs.update(extract_n2=(2, batch_size), extract_n1_b64=(1, 64))
    if args.child != "pipe":
        for name, (n_process, size) in runs.items():
            out = args.work / f"{args.child}_{name}.jsonl"
            options = ExtractOptions(batch_size=size, n_process=n_process, overwrite=True, progress=False)
            systems[name] = lambda out=out, options=options: extract_file(args.input, nlp, out, options)
            outputs[name] = str(out)
    if args.child == "extract":
        records = list(map(RecordChecker(), iter_input(args.input)))
        systems["events_n2_spacy"] = lambda: _consume(
            pipe_in_memory_zones(nlp, records, n_process=2, batch_size=batch_size)
        )
        systems["events_n2_pool"] = lambda: _consume(pool_events(nlp, records, n_process=2, batch_size=batch_size))
    with threadpool_limits(limits=1):
        n_words = sum(len(nlp.make_doc(text)) for text in texts)
        for run in systems.values():  # warm-up
            run()
        speeds = _rounds(systems, n_words, args.repeats)
        profile = profile_extract(args, nlp) if args.child == "extract" else None
    return {
        "kind": args.child,
        "glibc_tunables": os.environ.get("GLIBC_TUNABLES"),
        "n_words": n_words,
        "n_reports": len(texts),
        "speeds": speeds,
        "median": {name: statistics.median(values) for name, values in speeds.items()},
        "outputs": {name: _digest(Path(path)) for name, path in outputs.items()},
        "profile": profile,
        "load_before": load_before,
        "load_after": os.getloadavg(),
    }


def profile_extract(args: argparse.Namespace, nlp) -> Dict[str, Any]:
    """cProfile one `extract_file` run: seconds in total, inside `nlp.pipe`, and in OWN_PATH."""
    from spacy_mammo.batch.run import ExtractOptions, extract_file

    options = ExtractOptions(batch_size=args.batch_size, overwrite=True, progress=False)
    profiler = cProfile.Profile()
    profiler.enable()
    extract_file(args.input, nlp, args.work / "extract_profiled.jsonl", options)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(tottime for _, _, tottime, _, _ in stats.values())
    cumulative: Dict[str, float] = {}
    pipe = 0.0
    for (filename, _, function), (_, _, _, cumtime, _) in stats.items():
        path = filename.replace(os.sep, "/")
        if path.endswith("spacy/language.py") and function == "pipe":
            pipe = max(pipe, cumtime)
        for suffix, name in OWN_PATH:
            if path.endswith(suffix) and function == name:
                key = f"{suffix.rsplit('/', 1)[-1]}:{name}"
                cumulative[key] = cumulative.get(key, 0.0) + cumtime
    return {"total_s": total, "nlp_pipe_s": pipe, "own": cumulative}


def _digest(path: Path) -> Dict[str, Any]:
    data = path.read_bytes()
    return {"bytes": len(data), "md5": hashlib.md5(data).hexdigest()}


def run_child(
    kind: str, args: argparse.Namespace, ner: Optional[Path], tunables: Optional[str] = None
) -> Dict[str, Any]:
    """Run one measuring process of this script and return its JSON."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        "--model",
        str(args.model),
        "--work",
        str(args.work),
        "--repeats",
        str(args.repeats),
        "--batch-size",
        str(args.batch_size),
    ]
    if ner is not None:
        command += ["--ner", str(ner)]
    env = ["env", "OMP_NUM_THREADS=1", "MKL_NUM_THREADS=1"] + ([f"GLIBC_TUNABLES={tunables}"] if tunables else [])
    done = run_fresh(env + command)
    if done.returncode != 0:
        raise RuntimeError(f"the {kind} process failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# Report


def _ratio(a: Optional[float], b: Optional[float]) -> str:
    return f"{a / b:.2f}" if a and b else "-"


def to_markdown(result: Dict[str, Any]) -> str:
    """The results file: one table per process, the ratios, the profile, the output check."""
    pipe, extract, huge = (result["processes"][k] for k in ("pipe", "extract", "hugetlb"))
    names = {
        "spacy_ner": "spaCy `ner` (efficiency preset, 1 epoch)",
        "tagger": "`mammo_ner` tagger alone, `nlp.pipe`",
        "full": "full pipeline (tagger, negation, findings), `nlp.pipe`",
        "extract_n1": "`extract_file` JSONL after load, `n_process=1`",
        "extract_n2": "`extract_file` JSONL after load, `n_process=2`",
        "extract_n1_b64": "`extract_file` JSONL after load, `n_process=1`, `batch_size=64`",
        "events_n2_spacy": "events only, `nlp.pipe(n_process=2)` (extract before)",
        "events_n2_pool": "events only, `run.pool_events(n_process=2)`",
    }
    lines = [
        "# Tagger, full pipeline and `extract`, one run",
        "",
        f"- command: `{result['command']}`",
        f"- machine: {result['cpu']}; Python {result['python']}; {result['started']} to {result['finished']}",
        f"- shared machine: load average (1 min) {result['load_range'][0]:.1f} to {result['load_range'][1]:.1f} "
        "while measuring; only ratios within this run mean anything",
        f"- data: {pipe['n_reports']} synthetic reports (seed {result['seed']}), {pipe['n_words']:,} tokens; "
        f"`batch_size={result['batch_size']}` unless named, one torch and one BLAS thread, median of "
        f"{result['repeats']} rounds after a warm-up, the systems of a process taking turns",
        f"- model: `{result['model']}`; spaCy ner: `{result['ner']}`",
        "",
    ]
    for title, process in (
        ("pipe: glibc's heap as a library leaves it", pipe),
        ("extract: heap fixed by `batch.memory.fix_mmap_threshold` before the load, as `extract` runs", extract),
        (f"hugetlb: as extract, with `GLIBC_TUNABLES={HUGETLB}`", huge),
    ):
        median = process["median"]
        lines += [f"## {title}", "", "| system | words/s | x tagger |", "| --- | ---: | ---: |"]
        for name, wps in median.items():
            lines.append(f"| {names[name]} | {wps:,.0f} | {_ratio(wps, median['tagger'])} |")
        lines.append("")
    tagger, ext = pipe["median"]["tagger"], extract["median"]
    rows = [
        ("tagger / spaCy ner (pipe)", tagger, pipe["median"]["spacy_ner"]),
        ("full pipeline / tagger (pipe)", pipe["median"]["full"], tagger),
        ("extract n=1 / tagger of the pipe process", ext["extract_n1"], tagger),
        ("extract n=1 / full pipeline (extract)", ext["extract_n1"], ext["full"]),
        ("extract n=1, batch 256 / batch 64 (extract)", ext["extract_n1"], ext["extract_n1_b64"]),
        ("extract n=2 / n=1 (extract)", ext["extract_n2"], ext["extract_n1"]),
        ("two processes: pool_events / nlp.pipe(n_process=2) (extract)", ext["events_n2_pool"], ext["events_n2_spacy"]),
        ("tagger, fixed heap / plain heap (extract / pipe)", ext["tagger"], tagger),
        ("tagger, fixed heap with hugetlb / plain heap (hugetlb / pipe)", huge["median"]["tagger"], tagger),
        ("extract n=1 with hugetlb / tagger of the pipe process", huge["median"]["extract_n1"], tagger),
    ]
    lines += ["## Ratios", "", "| ratio | value |", "| --- | ---: |"]
    lines += [f"| {name} | {_ratio(a, b)} |" for name, a, b in rows]
    own, rules, heap = ext["extract_n1"] / ext["full"], pipe["median"]["full"] / tagger, ext["tagger"] / tagger
    lines += [
        "",
        f"Reading: `extract` after load runs at {ext['extract_n1'] / tagger:.2f}x the tagger's `nlp.pipe`. "
        f"Its own path (input, record checks, memory zones, serialisation, output) leaves it at {own:.2f}x "
        f"the full pipeline in the same process; the rest is the rule components ({rules:.2f}x the tagger) "
        f"and the heap that `extract` fixes for flat memory ({heap:.2f}x the tagger's speed without it). "
        f"{own:.2f} x {rules:.2f} x {heap:.2f} = {own * rules * heap:.2f}.",
    ]
    profile = extract["profile"]
    lines += [
        "",
        "## Where `extract_file`'s time goes (cProfile, extract process, `n_process=1`)",
        "",
        f"- total {profile['total_s']:.2f} s, of which inside `nlp.pipe` {profile['nlp_pipe_s']:.2f} s "
        f"({profile['nlp_pipe_s'] / profile['total_s']:.1%}); cProfile slows Python code, so shares, not seconds",
        "",
        "| extract's own function (cumulative) | s | share |",
        "| --- | ---: | ---: |",
    ]
    for name, seconds in sorted(profile["own"].items(), key=lambda item: -item[1]):
        lines.append(f"| `{name}` | {seconds:.3f} | {seconds / profile['total_s']:.1%} |")
    identical = result["identical"]
    lines += ["", "## Output", ""]
    lines.append(
        f"- every `extract_file` output of this run byte-identical (n=1, n=2, batch 64, hugetlb): {identical['all']}"
    )
    if identical.get("reference") is not None:
        lines.append(f"- identical to `{result['reference']}`: {identical['reference']}")
    lines.append(f"- output of `n_process=1`: {extract['outputs']['extract_n1']}")
    return "\n".join(lines) + "\n"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="trained mammo_ner pipeline")
    parser.add_argument("--n", type=int, default=600, help="synthetic reports")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--repeats", type=int, default=3, help="timed rounds per process")
    parser.add_argument("--batch-size", type=int, default=256, help="nlp.pipe and extract batch size")
    parser.add_argument("--work", type=Path, default=Path("/tmp/pipeline-speed"), help="data, models, outputs")
    parser.add_argument("--ner", type=Path, default=None, help="a spaCy ner pipeline from an earlier run")
    parser.add_argument("--reference", type=Path, default=None, help="an extract output to compare with")
    parser.add_argument(
        "--out", type=Path, default=REPO / "benchmarks" / "results_pipeline_speed.md", help="Markdown; JSON beside it"
    )
    parser.add_argument("--child", choices=["pipe", "extract", "hugetlb"], help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        args.input = args.input or args.work / "reports.jsonl"
        print(json.dumps(child(args)))
        return 0

    from spacy_mammo.evaluation.evaluate import write_text_atomic

    started = time.strftime("%Y-%m-%d %H:%M:%S")
    paths = write_data(args.work, args.n, args.seed)
    ner = args.ner
    if ner is None:
        print("training spaCy ner for one epoch", file=sys.stderr, flush=True)
        ner = train_ner(paths, args.work)["model"]
    processes = {}
    for kind, tunables in (("pipe", None), ("extract", None), ("hugetlb", HUGETLB)):
        print(f"measuring: {kind}", file=sys.stderr, flush=True)
        processes[kind] = run_child(kind, args, ner, tunables)
    digests = {name: d["md5"] for p in ("extract", "hugetlb") for name, d in processes[p]["outputs"].items()}
    reference = _digest(args.reference)["md5"] if args.reference else None
    loads = [p[k][0] for p in processes.values() for k in ("load_before", "load_after")]
    result = {
        "command": shlex.join(["python", *sys.argv]),
        "cpu": cpu_name(),
        "python": platform.python_version(),
        "started": started,
        "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
        "load_range": [min(loads), max(loads)],
        "seed": args.seed,
        "batch_size": args.batch_size,
        "repeats": args.repeats,
        "model": str(args.model),
        "ner": str(ner),
        "reference": str(args.reference) if args.reference else None,
        "identical": {
            "all": len(set(digests.values())) == 1,
            "reference": None if reference is None else set(digests.values()) == {reference},
        },
        "processes": processes,
    }
    markdown = to_markdown(result)
    write_text_atomic(args.out, markdown)
    write_text_atomic(args.out.with_suffix(".json"), json.dumps(result, indent=2, default=str) + "\n")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
