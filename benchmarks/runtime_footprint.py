"""Installed size and start-up time of runtime-only virtual environments.

For each venv: the size of its site-packages (all, torch/ alone, the rest) and
the median wall time of N fresh `python -c "import spacy; spacy.load(MODEL)"`
processes, the runs of all venvs interleaved so that machine load hits them alike.

    python -m venv /tmp/rt && /tmp/rt/bin/pip install torch==2.13.0 && /tmp/rt/bin/pip install .
    /tmp/rt/bin/pip install --no-deps en_mammo_ner-0.1.0-py3-none-any.whl
    python benchmarks/runtime_footprint.py /tmp/rt [/tmp/other ...] --model en_mammo_ner --runs 5
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List

LOAD = "import spacy, sys; spacy.load(sys.argv[1])"


def dir_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20


def site_packages(venv: Path) -> Path:
    (path,) = venv.glob("lib/python3*/site-packages")
    return path


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("venvs", nargs="+", type=Path)
    parser.add_argument("--model", default="en_mammo_ner", help="installed pipeline package to load")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    times: Dict[Path, List[float]] = {venv: [] for venv in args.venvs}
    for _ in range(args.runs):
        for venv in args.venvs:
            start = time.perf_counter()
            subprocess.run([str(venv / "bin" / "python"), "-c", LOAD, args.model], check=True, cwd="/")
            times[venv].append(time.perf_counter() - start)
    print("| venv | site-packages MiB | torch/ MiB | without torch/ MiB | spacy.load s (median, min-max) |")
    print("|---|---:|---:|---:|---:|")
    for venv in args.venvs:
        site = site_packages(venv)
        total, torch = dir_mib(site), dir_mib(site / "torch")
        t = times[venv]
        print(
            f"| {venv} | {total:.0f} | {torch:.0f} | {total - torch:.0f} | "
            f"{statistics.median(t):.2f} ({min(t):.2f}-{max(t):.2f}) |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
