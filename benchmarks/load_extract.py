"""Throughput and peak memory of the batch CLI (`python -m spacy_mammo extract`) as the input grows.

python benchmarks/load_extract.py [--model training/model-final] [--sizes 10000,50000,200000]
    [--seed 0] [--batch-size 64] [--out benchmarks/results_load.md]

Synthetic reports (`spacy_mammo.corpus.synth.generate_report`) are streamed to one
JSONL input of the largest size. One `python -m spacy_mammo extract` process
(one process, no `--n-process` workers) reads it, and this script watches it:
every half second it counts the reports in the growing OUT.partial and reads
the process's peak resident memory (VmHWM) and current RSS from
/proc/PID/status. When the output passes each size N, the row for N records
the time and the peak so far: what a run over the first N reports would show,
without running the smaller sizes again. A run over an empty input first
gives the start-up cost (Python, model load). Memory flat in input size means
the peak at 200k reports is the peak at 10k.

Words are whitespace-separated words of the input texts. Rates are end to end
(start-up and model load included) and "steady", over the time from the first
report written to N reports written.
"""

import argparse
import json
import os
import platform
import random
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure_inference import REPO, cpu_name
from spacy_mammo.evaluation.evaluate import write_text_atomic

DEFAULT_SIZES = (10_000, 50_000, 200_000)
POLL_SECONDS = 0.5


def write_input(path: Path, n_reports: int, seed: int) -> Dict[str, List[int]]:
    """Stream `n_reports` synthetic reports into `path` (JSONL, {"id", "text"} per line).

    RETURNS (Dict[str, List[int]]): "words" and "chars": running totals after each report.
    """
    from spacy_mammo.corpus.synth import generate_report

    rng = random.Random(seed)
    words, chars = [], []
    n_words = n_chars = 0
    with path.open("w", encoding="utf8") as file_:
        for i in range(n_reports):
            text, _ = generate_report(rng)
            file_.write(json.dumps({"id": f"load-{i + 1:07d}", "text": text}, ensure_ascii=False) + "\n")
            n_words += len(text.split())
            n_chars += len(text)
            words.append(n_words)
            chars.append(n_chars)
    return {"words": words, "chars": chars}


def parse_summary(stdout: str) -> Dict[str, int]:
    """The counts of the extractor's summary line ("reports: R read, W written, K kept ..., E errors; findings: F")."""
    found = re.search(r"reports: (\d+) read, (\d+) written, \d+ kept.*?, (\d+) errors; findings: (\d+)", stdout)
    if not found:
        return {}
    return dict(zip(("read", "written", "errors", "findings"), map(int, found.groups())))


def proc_memory_mib(pid: int) -> Dict[str, float]:
    """VmHWM (peak) and VmRSS (now) of a running process, in MiB; {} once it has gone."""
    values = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    values[line.split(":")[0]] = int(line.split()[1]) / 1024
    except OSError:
        return {}
    return values


class LineCounter:
    """Counts the complete lines of a growing file, reading only what was added."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = 0
        self.lines = 0

    def update(self) -> int:
        try:
            with self.path.open("rb") as file_:
                file_.seek(self.offset)
                added = file_.read()
        except FileNotFoundError:
            return self.lines
        complete = added[: added.rfind(b"\n") + 1]
        self.offset += len(complete)
        self.lines += complete.count(b"\n")
        return self.lines


def extract_command(input_path: Path, out_path: Path, model: Path, batch_size: int) -> List[str]:
    return [
        sys.executable,
        "-m",
        "spacy_mammo",
        "extract",
        str(input_path),
        "--model",
        str(model),
        "--out",
        str(out_path),
        "--batch-size",
        str(batch_size),
    ]


def watch_extract(command: Sequence[str], out_path: Path, sizes: Sequence[int]) -> Dict[str, Any]:
    """Run `command` and sample its output count and memory until it exits.

    RETURNS (Dict[str, Any]): "seconds" (wall), "returncode", "stdout", "stderr", "first_report_s"
        (when the first report was written), "samples" (size -> seconds, peak and current RSS in MiB
        when the output reached it) and "final_peak_rss_mib".
    """
    from spacy_mammo.batch.outputs import partial_path

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    counter = LineCounter(partial_path(out_path))
    pending = sorted(sizes)
    samples: Dict[int, Dict[str, float]] = {}
    first_report_s = None
    peak = 0.0
    memory: Dict[str, float] = {}
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, text=True, env=env, cwd=REPO)
        while True:
            finished = process.poll() is not None
            if not finished:
                memory = proc_memory_mib(process.pid) or memory
                peak = max(peak, memory.get("VmHWM", 0.0))
            else:
                # The run renamed OUT.partial to OUT: same bytes, so count on from the same offset.
                counter.path = out_path
            written = counter.update()
            elapsed = time.perf_counter() - start
            if written and first_report_s is None:
                first_report_s = elapsed
            # After the exit the last sample stands for the end of the run.
            while pending and written >= pending[0] and memory:
                samples[pending.pop(0)] = {
                    "seconds": elapsed,
                    "peak_rss_mib": memory["VmHWM"],
                    "rss_mib": memory["VmRSS"],
                }
            if finished:
                break
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - start
        stdout.seek(0)
        stderr.seek(0)
        return {
            "seconds": seconds,
            "returncode": process.returncode,
            "stdout": stdout.read(),
            "stderr": stderr.read(),
            "first_report_s": first_report_s,
            "samples": samples,
            "final_peak_rss_mib": peak,
        }


def measure(model: Path, sizes: Sequence[int], seed: int, batch_size: int) -> Dict[str, Any]:
    """The empty-input baseline, then one run over max(sizes) reports sampled at every size."""
    with tempfile.TemporaryDirectory(prefix="load-extract-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        totals = write_input(folder / "input.jsonl", max(sizes), seed)
        write_input(folder / "empty.jsonl", 0, seed)
        print(f"input written in {time.perf_counter() - start:.1f}s", file=sys.stderr)
        runs = {}
        for name, input_name, run_sizes in (("baseline", "empty.jsonl", []), ("load", "input.jsonl", sizes)):
            command = extract_command(folder / input_name, folder / f"out-{name}.jsonl", model, batch_size)
            run = watch_extract(command, folder / f"out-{name}.jsonl", run_sizes)
            if run["returncode"] not in (0, 1):
                tail = run["stderr"].strip().splitlines()[-5:]
                raise RuntimeError(f"extract exited with {run['returncode']}: " + " | ".join(tail))
            run["command"] = shlex.join(command)
            run["summary"] = parse_summary(run.pop("stdout"))
            run.pop("stderr")
            print(f"{name}: {run['seconds']:.1f}s, {run['summary']}", file=sys.stderr)
            runs[name] = run
    load = runs["load"]
    rows = []
    for n in sorted(sizes):
        sample = load["samples"].get(n)
        if sample is None:
            continue
        steady = sample["seconds"] - load["first_report_s"]
        n_words = totals["words"][n - 1]
        rows.append(
            {
                "reports": n,
                "words": n_words,
                "input_mib": totals["chars"][n - 1] / 2**20,
                **sample,
                "reports_per_s": n / sample["seconds"],
                "words_per_s": n_words / sample["seconds"],
                "steady_reports_per_s": n / steady if steady > 0 else None,
                "steady_words_per_s": n_words / steady if steady > 0 else None,
            }
        )
    return {"baseline": runs["baseline"], "load": load, "rows": rows}


def _rate(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:,.0f}"


def to_markdown(result: Dict[str, Any]) -> str:
    """The results as a Markdown table with the command, machine and model."""
    baseline = result["baseline"]
    load = result["load"]
    lines = [
        "# Batch extraction under load",
        "",
        f"- command: `{result['command']}`",
        f"- extract run: `{load['command']}`",
        f"- model: `{result['model']}`",
        f"- machine: {result['cpu']}; Python {result['python']}, spaCy {result['spacy']}, torch {result['torch']}",
        f"- one process, batch size {result['batch_size']}, seed {result['seed']}",
        f"- start-up (empty input: Python, model load): {baseline['seconds']:.1f} s, "
        f"peak RSS {baseline['final_peak_rss_mib']:.0f} MiB",
        f"- whole run: {load['seconds']:.0f} s, {load['summary']}, peak RSS {load['final_peak_rss_mib']:.0f} MiB",
        "- each row: the moment the output reached N reports, in the one run (peak RSS = VmHWM so far);",
        "  rates end to end (start-up included) and steady (from the first report written)",
        "",
        "| reports | words | input MiB | s | reports/s | words/s | steady reports/s | steady words/s | peak RSS MiB | RSS MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['reports']:,} | {row['words']:,} | {row['input_mib']:.1f} | {row['seconds']:.0f} "
            f"| {_rate(row['reports_per_s'])} | {_rate(row['words_per_s'])} "
            f"| {_rate(row['steady_reports_per_s'])} | {_rate(row['steady_words_per_s'])} "
            f"| {row['peak_rss_mib']:.0f} | {row['rss_mib']:.0f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=REPO / "training" / "model-final", help="mammo_ner pipeline")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="report counts, comma-separated")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic reports")
    parser.add_argument("--batch-size", type=int, default=64, help="extract --batch-size")
    parser.add_argument(
        "--out", type=Path, default=REPO / "benchmarks" / "results_load.md", help="Markdown results; JSON beside it"
    )
    args = parser.parse_args(argv)
    sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    if not sizes or sizes[0] < 1:
        parser.error("--sizes must be positive integers")
    if not (args.model / "config.cfg").exists():
        parser.error(f"no pipeline at {args.model} (train one first: python -m spacy project run all)")
    if not Path("/proc/self/status").exists():
        parser.error("this benchmark reads /proc/PID/status (Linux only)")

    import spacy
    import torch

    measured = measure(args.model.resolve(), sizes, args.seed, args.batch_size)
    result = {
        "command": shlex.join([Path(sys.executable).name, *sys.argv]),
        "model": str(args.model),
        "cpu": cpu_name(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "torch": torch.__version__,
        "batch_size": args.batch_size,
        "seed": args.seed,
        **measured,
    }
    markdown = to_markdown(result)
    write_text_atomic(args.out, markdown)
    write_text_atomic(args.out.with_suffix(".json"), json.dumps(result, indent=2) + "\n")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
