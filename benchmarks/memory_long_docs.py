"""Peak memory and time of mammo_ner on one long document, per document length.

python benchmarks/memory_long_docs.py [--model training/model-best] [--sizes 1000,5000,20000]
    [--out benchmarks/results_memory.md]

Every length runs in a fresh process (started from a small shell, see
`measure_inference.run_fresh`): load the pipeline, run one short warm-up
report so that lazy set-up counts as "loaded", then process the long document
(synthetic reports joined until it has exactly N tokens) `--repeats` times.
Memory growth = peak resident memory after the runs minus the peak after the
warm-up; with windowed attention and a BiLSTM it should grow about linearly
with N.
"""

import argparse
import json
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Sequence

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure_inference import REPO, hwm_mb, max_rss_mb, run_fresh

DEFAULT_SIZES = (1000, 5000, 20000)


def long_text(n_tokens: int, seed: int = 7) -> str:
    """Synthetic reports joined by blank lines, cut to exactly `n_tokens` tokens of the mammography tokenizer."""
    from spacy_mammo.corpus.synth import generate_reports
    from spacy_mammo.tokenizer import blank_mammo_nlp

    nlp = blank_mammo_nlp()
    texts: List[str] = []
    n_reports = max(1, n_tokens // 80)
    while True:
        texts = [record["text"] for record in generate_reports(n_reports, seed)]
        doc = nlp.make_doc("\n\n".join(texts))
        if len(doc) >= n_tokens:
            return doc[:n_tokens].text
        n_reports *= 2


def worker(model: Path, text_path: Path, repeats: int, threads: int) -> Dict[str, Any]:
    """Run in the fresh process: load, warm up, then time `nlp(text)`."""
    import spacy
    import torch

    import spacy_mammo  # noqa: F401

    torch.set_num_threads(threads)
    text = text_path.read_text(encoding="utf8")
    nlp = spacy.load(model)
    nlp("Right breast: 1.2 cm oval circumscribed mass at 10 o'clock. BI-RADS 3.")
    rss_loaded, hwm_loaded = max_rss_mb(), hwm_mb()
    seconds, n_tokens, n_ents = [], 0, 0
    for _ in range(repeats):
        start = time.perf_counter()
        doc = nlp(text)
        seconds.append(time.perf_counter() - start)
        n_tokens, n_ents = len(doc), len(doc.ents)
    return {
        "tokens": n_tokens,
        "entities": n_ents,
        "seconds": statistics.median(seconds),
        "rss_loaded_mb": rss_loaded,
        "rss_peak_mb": max_rss_mb(),
        "hwm_loaded_mb": hwm_loaded,
        "hwm_peak_mb": hwm_mb(),
    }


def measure_sizes(model: Path, sizes: Sequence[int], repeats: int, threads: int) -> List[Dict[str, Any]]:
    """One fresh worker process per document length."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n_tokens in sizes:
            text_path = Path(tmp) / f"doc_{n_tokens}.txt"
            text_path.write_text(long_text(n_tokens), encoding="utf8")
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--worker",
                str(text_path),
                "--model",
                str(model),
                "--repeats",
                str(repeats),
                "--threads",
                str(threads),
            ]
            done = run_fresh(command)
            if done.returncode != 0:
                raise RuntimeError(
                    f"worker failed for {n_tokens} tokens (exit {done.returncode}):\n{done.stderr[-3000:]}"
                )
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return rows


def memory_markdown(rows: Sequence[Dict[str, Any]], model: Path, command: str, threads: int) -> str:
    """The results table; memory from VmHWM (equal to ru_maxrss in these fresh workers)."""
    from benchmarks.run_benchmarks import machine_info

    machine = machine_info()
    lines = [
        "# mammo_ner memory and time per document length",
        "",
        f"Command: `{command}`",
        "",
        f"Model: `{model}`. Machine: {machine['cpu']}, {machine['usable_cores']} usable cores, load average at "
        f"start {machine['load_average_at_start']}; torch threads {threads}. One fresh process per length; "
        "growth = peak resident memory after processing the document minus the peak after loading and a "
        "short warm-up report; time = median of the runs of `nlp(text)` on the one document.",
        "",
        "| Tokens | Entities | Time s | Tokens/s | Loaded MiB | Peak MiB | Growth MiB | Growth KiB/token |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    growths = []
    for row in rows:
        peak = row["hwm_peak_mb"] if row.get("hwm_peak_mb") is not None else row["rss_peak_mb"]
        loaded = row["hwm_loaded_mb"] if row.get("hwm_loaded_mb") is not None else row["rss_loaded_mb"]
        growth = peak - loaded
        growths.append((row["tokens"], growth))
        lines.append(
            f"| {row['tokens']} | {row['entities']} | {row['seconds']:.2f} | {row['tokens'] / row['seconds']:,.0f} | "
            f"{loaded:.0f} | {peak:.0f} | {growth:.1f} | {1024 * growth / max(row['tokens'], 1):.2f} |"
        )
    lines += [
        "",
        "A small document can fit into memory that loading used and freed, so its growth reads low (even 0); "
        "the growth per extra token between consecutive lengths is the better measure of the slope:",
        "",
    ]
    for (n_small, small), (n_large, large) in zip(growths, growths[1:]):
        lines.append(
            f"- {n_small} -> {n_large} tokens: {1024 * (large - small) / (n_large - n_small):.2f} KiB per extra token"
        )
    return "\n".join(lines) + "\n"


def cli_main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/memory_long_docs.py", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model", type=Path, default=REPO / "training" / "model-best", help="trained mammo_ner pipeline"
    )
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES), help="document lengths in tokens")
    parser.add_argument("--repeats", type=int, default=3, help="runs per document (time = median)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results_memory.md")
    parser.add_argument("--worker", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        print(json.dumps(worker(args.model, args.worker, args.repeats, args.threads)))
        return 0
    if not (args.model / "config.cfg").exists():
        parser.error(f"no pipeline at {args.model}; train one first (see benchmarks/README.md)")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = measure_sizes(args.model, sizes, args.repeats, args.threads)
    from spacy_mammo.evaluation.evaluate import write_text_atomic

    command = "python " + shlex.join([sys.argv[0]] + list(argv))
    markdown = memory_markdown(rows, args.model, command, args.threads)
    write_text_atomic(args.out, markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(cli_main(sys.argv[1:]))
