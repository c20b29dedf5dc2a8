"""Inference speed and peak memory of one saved pipeline, in a process of its own.

python benchmarks/measure_inference.py MODEL DATA.spacy [--threads 1,2] [--repeats 3] [--batch-size 256]

Prints one JSON object: words per second of `nlp.pipe` over the texts of DATA
(one process, batched) per thread limit (torch threads via
`torch.set_num_threads`, numpy/BLAS/OpenMP pools via threadpoolctl), one
untimed warm-up pass and `repeats` timed passes each; the resident-memory peak
(`ru_maxrss`, and VmHWM from /proc as a check) after loading the pipeline and
after all passes.

Linux keeps `ru_maxrss` across fork and exec: a worker started straight from
a big parent reports at least the parent's size. `run_fresh` therefore starts
workers from a small shell, which forks them.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


REPO = Path(__file__).resolve().parent.parent


def max_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def hwm_mb() -> Optional[float]:
    """Peak resident memory of this address space (VmHWM), in MiB; None where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="utf8") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def cpu_model() -> Optional[str]:
    """The CPU model name from /proc/cpuinfo; None where it cannot be read."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def cpu_name() -> str:
    """The CPU model with the logical core count, for results files."""
    import platform

    return f"{cpu_model() or platform.processor() or 'unknown'} ({os.cpu_count()} logical cores)"


def run_fresh(command: Sequence[str], timeout: Optional[float] = None) -> subprocess.CompletedProcess:
    """Run `command` as the child of a small shell, with the repository on PYTHONPATH.

    The shell forks the command (`; exit $?` stops it from exec-ing it in place), so
    the command's ru_maxrss starts from the shell's few MiB, not from this process.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    shell = ["/bin/sh", "-c", '"$@"; exit $?', "sh", *command]
    return subprocess.run(shell, capture_output=True, text=True, env=env, cwd=REPO, timeout=timeout)


def load_texts(path: Path) -> List[str]:
    """The texts of a .spacy file."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    return [doc.text for doc in DocBin().from_disk(path).get_docs(Vocab())]


def measure(model: Path, texts: Sequence[str], threads: Sequence[int], repeats: int, batch_size: int) -> Dict[str, Any]:
    """Load `model`, then time `nlp.pipe(texts)` under each thread limit.

    RETURNS (Dict[str, Any]): "rss_before_load_mb", "rss_loaded_mb", "rss_peak_mb" (ru_maxrss),
        "hwm_loaded_mb", "hwm_peak_mb" (VmHWM), "n_words" (tokens per pass) and "runs": thread count -> words/second per timed pass.
    """
    import spacy
    import torch
    from threadpoolctl import threadpool_limits

    import spacy_mammo.rules.baseline  # noqa: F401  (registers mammo_rules)
    from benchmarks import baselines  # noqa: F401  (registers benchmark_crf_ner)

    rss_before = max_rss_mb()
    nlp = spacy.load(model)
    rss_loaded, hwm_loaded = max_rss_mb(), hwm_mb()
    runs: Dict[str, List[float]] = {}
    n_words = 0
    for n_threads in threads:
        torch.set_num_threads(n_threads)
        with threadpool_limits(limits=n_threads):
            n_words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
            speeds = []
            for _ in range(repeats):
                start = time.perf_counter()
                for _doc in nlp.pipe(texts, batch_size=batch_size):
                    pass
                speeds.append(n_words / (time.perf_counter() - start))
        runs[str(n_threads)] = speeds
    return {
        "rss_before_load_mb": rss_before,
        "rss_loaded_mb": rss_loaded,
        "rss_peak_mb": max_rss_mb(),
        "hwm_loaded_mb": hwm_loaded,
        "hwm_peak_mb": hwm_mb(),
        "n_words": n_words,
        "runs": runs,
    }


def cli_main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, help="saved pipeline directory")
    parser.add_argument("data", type=Path, help=".spacy file whose texts are processed")
    parser.add_argument("--threads", default="1,2", help="comma-separated thread limits")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes per thread limit")
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args(argv)
    texts = load_texts(args.data)
    threads = [int(t) for t in args.threads.split(",") if t.strip()]
    print(json.dumps(measure(args.model, texts, threads, args.repeats, args.batch_size)))
    return 0


if __name__ == "__main__":
    sys.exit(cli_main(sys.argv[1:]))
