"""Throughput and peak memory of the batch CLI (`python -m spacy_mammo extract`) per input size.

python benchmarks/load_extract.py [--model training/model-final] [--sizes 10000,50000,200000]
    [--seed 0] [--batch-size 64] [--n-process 1] [--out benchmarks/results_load.md]

Synthetic reports (`spacy_mammo.synth.generate_report`) are streamed to one
JSONL input per size in a temporary folder, all sizes in one pass, so nothing
holds N reports in memory; a smaller size is a prefix of a larger one. Each
size, and a baseline with an empty input (Python start-up + model load), runs
`python -m spacy_mammo extract INPUT --model MODEL --out OUT.jsonl` in a fresh
process started from a small shell. Peak RSS comes from GNU `/usr/bin/time`
(the extract process and any `--n-process` workers: the largest single
process, not their sum); without it, from this process's RUSAGE_CHILDREN,
which is the peak over this run and every earlier one. The extractor streams
its input and flushes every batch, so peak RSS should stay flat in N.

Words are whitespace-separated words of the input texts. Rates are end to end
(start-up and model load included) and "steady", over the wall time minus the
baseline's.
"""
import argparse
import json
import os
import platform
import random
import re
import resource
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure_inference import REPO, run_fresh

DEFAULT_SIZES = (10_000, 50_000, 200_000)
GNU_TIME = Path("/usr/bin/time")


def write_inputs(folder: Path, sizes: Sequence[int], seed: int) -> Dict[int, Dict[str, Any]]:
    """Stream synthetic reports into `folder/input-N.jsonl` for every size N in one pass.

    folder (Path): Where the inputs go.
    sizes (Sequence[int]): Report counts; 0 makes an empty input.
    seed (int): Seed of the one `random.Random` all reports come from.
    RETURNS (Dict[int, Dict[str, Any]]): Size -> {"path", "reports", "words", "chars"}.
    """
    from spacy_mammo.synth import generate_report

    rng = random.Random(seed)
    inputs = {n: {"path": folder / f"input-{n}.jsonl", "reports": 0, "words": 0, "chars": 0} for n in sizes}
    files = {n: info["path"].open("w", encoding="utf8") for n, info in inputs.items()}
    try:
        for i in range(max(sizes, default=0)):
            text, _ = generate_report(rng)
            line = json.dumps({"id": f"load-{i + 1:07d}", "text": text}, ensure_ascii=False) + "\n"
            n_words = len(text.split())
            for n, file_ in files.items():
                if i < n:
                    file_.write(line)
                    inputs[n]["reports"] += 1
                    inputs[n]["words"] += n_words
                    inputs[n]["chars"] += len(text)
    finally:
        for file_ in files.values():
            file_.close()
    return inputs


def parse_summary(stdout: str) -> Dict[str, int]:
    """The counts of the extractor's summary line ("reports: R read, W written, K kept ..., E errors; findings: F")."""
    found = re.search(r"reports: (\d+) read, (\d+) written, \d+ kept.*?, (\d+) errors; findings: (\d+)", stdout)
    if not found:
        return {}
    return dict(zip(("read", "written", "errors", "findings"), map(int, found.groups())))


def run_extract(
    input_path: Path, out_path: Path, model: Path, batch_size: int, n_process: int, timeout: Optional[float] = None
) -> Dict[str, Any]:
    """Run the extract CLI once in a fresh process and measure it.

    RETURNS (Dict[str, Any]): "command", "seconds" (wall), "peak_rss_mib", "rss_source",
        "returncode" and the summary counts.
    """
    command = [
        sys.executable, "-m", "spacy_mammo", "extract", str(input_path),
        "--model", str(model), "--out", str(out_path),
        "--batch-size", str(batch_size), "--n-process", str(n_process),
    ]
    time_path = out_path.with_name(out_path.name + ".time")
    use_time = GNU_TIME.exists()
    wrapped = [str(GNU_TIME), "-f", "%M", "-o", str(time_path), *command] if use_time else command
    start = time.perf_counter()
    result = run_fresh(wrapped, timeout=timeout)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 1):
        tail = result.stderr.strip().splitlines()[-5:]
        raise RuntimeError(f"extract exited with {result.returncode}: " + " | ".join(tail))
    if use_time:
        peak_kib, source = int(time_path.read_text().split()[-1]), "GNU time %M"
    else:
        peak_kib, source = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "RUSAGE_CHILDREN (running max)"
    return {
        "command": shlex.join(command),
        "seconds": seconds,
        "peak_rss_mib": peak_kib / 1024,
        "rss_source": source,
        "returncode": result.returncode,
        **parse_summary(result.stdout),
    }


def measure(model: Path, sizes: Sequence[int], seed: int, batch_size: int, n_process: int) -> List[Dict[str, Any]]:
    """Baseline (empty input) first, then every size in increasing order, each in a fresh process."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="load-extract-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        inputs = write_inputs(folder, [0, *sizes], seed)
        print(f"inputs written in {time.perf_counter() - start:.1f}s", file=sys.stderr)
        baseline_seconds = None
        for n in [0, *sizes]:
            info = inputs[n]
            run = run_extract(info["path"], folder / f"out-{n}.jsonl", model, batch_size, n_process)
            if n == 0:
                baseline_seconds = run["seconds"]
            steady = run["seconds"] - baseline_seconds
            row = {
                "reports": n,
                "words": info["words"],
                "input_mib": info["path"].stat().st_size / 2**20,
                **run,
                "reports_per_s": n / run["seconds"] if n else None,
                "words_per_s": info["words"] / run["seconds"] if n else None,
                "steady_reports_per_s": n / steady if n and steady > 0 else None,
                "steady_words_per_s": info["words"] / steady if n and steady > 0 else None,
            }
            print(
                f"{n} reports: {run['seconds']:.1f}s, peak RSS {run['peak_rss_mib']:.0f} MiB, "
                f"written {run.get('written')}, errors {run.get('errors')}",
                file=sys.stderr,
            )
            rows.append(row)
            (folder / f"out-{n}.jsonl").unlink(missing_ok=True)
            info["path"].unlink()
    return rows


def cpu_name() -> str:
    """The CPU model from /proc/cpuinfo, with the logical core count."""
    name = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{name} ({os.cpu_count()} logical cores)"


def _rate(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:,.0f}"


def to_markdown(result: Dict[str, Any]) -> str:
    """The results as a Markdown table with the command, machine and model."""
    lines = [
        "# Batch extraction under load",
        "",
        f"- command: `{result['command']}`",
        f"- per size: `{result['extract_command']}`",
        f"- model: `{result['model']}`",
        f"- machine: {result['cpu']}; Python {result['python']}, spaCy {result['spacy']}",
        f"- batch size {result['batch_size']}, n_process {result['n_process']}, seed {result['seed']}",
        f"- peak RSS: {result['rss_source']}",
        "- rates: end to end (start-up and model load included); steady = over wall time minus the empty-input baseline",
        "",
        "| reports | words | input MiB | wall s | reports/s | words/s | steady reports/s | steady words/s | peak RSS MiB | written | errors |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['reports']:,} | {row['words']:,} | {row['input_mib']:.1f} | {row['seconds']:.1f} "
            f"| {_rate(row['reports_per_s'])} | {_rate(row['words_per_s'])} "
            f"| {_rate(row['steady_reports_per_s'])} | {_rate(row['steady_words_per_s'])} "
            f"| {row['peak_rss_mib']:.0f} | {row.get('written', '?')} | {row.get('errors', '?')} |"
        )
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to a temp file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf8")
    os.replace(tmp, path)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=REPO / "training" / "model-final", help="mammo_ner pipeline")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="report counts, comma-separated")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic reports")
    parser.add_argument("--batch-size", type=int, default=64, help="extract --batch-size")
    parser.add_argument("--n-process", type=int, default=1, help="extract --n-process")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results_load.md", help="Markdown results; JSON beside it")
    args = parser.parse_args(argv)
    sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    if not sizes or sizes[0] < 1:
        parser.error("--sizes must be positive integers")
    if not (args.model / "config.cfg").exists():
        parser.error(f"no pipeline at {args.model} (train one first: python -m spacy project run all)")

    import spacy

    rows = measure(args.model.resolve(), sizes, args.seed, args.batch_size, args.n_process)
    result = {
        "command": shlex.join([Path(sys.executable).name, *sys.argv]),
        "extract_command": rows[-1]["command"],
        "model": str(args.model),
        "cpu": cpu_name(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "batch_size": args.batch_size,
        "n_process": args.n_process,
        "seed": args.seed,
        "rss_source": rows[-1]["rss_source"],
        "rows": rows,
    }
    markdown = to_markdown(result)
    write_atomic(args.out, markdown)
    write_atomic(args.out.with_suffix(".json"), json.dumps(result, indent=2) + "\n")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
