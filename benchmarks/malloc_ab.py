"""Speed and peak memory of `extract` with glibc's default malloc and with the fixed mmap threshold.

python benchmarks/malloc_ab.py [--model training/model-final] [--reports 2000] [--rounds 2]

`extract` fixes glibc's mmap threshold at 128 KiB (`spacy_mammo/batch/memory.py`) so that
freed tensor buffers go back to the OS. This runs the same input through the
extract CLI in fresh processes, alternating between glibc's dynamic threshold
("default", the fix switched off), 128 KiB ("128k", as shipped) and 4 MiB
("4m"), and prints wall seconds and peak RSS (GNU time) per run.
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import List, Optional

REPO = Path(__file__).resolve().parent.parent
GNU_TIME = "/usr/bin/time"
# Run in the child: choose the threshold, then the normal CLI.
CHILD = """
import sys
from spacy_mammo.batch import run
from spacy_mammo.batch import memory as heap
from spacy_mammo.cli import main
mode = sys.argv[1]
if mode == "default":
    run.fix_mmap_threshold = lambda: False
elif mode == "4m":
    run.fix_mmap_threshold = lambda: heap.fix_mmap_threshold(4 << 20)
main(["extract", *sys.argv[2:]])
"""
MODES = ("default", "128k", "4m")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=REPO / "training" / "model-final")
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    from spacy_mammo.corpus.synth import generate_report

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="malloc-ab-") as tmp:
        folder = Path(tmp)
        with (folder / "in.jsonl").open("w", encoding="utf8") as file_:
            for i in range(args.reports):
                file_.write(json.dumps({"id": str(i), "text": generate_report(rng)[0]}) + "\n")
        print("| round | malloc | wall s | peak RSS MiB |\n| ---: | --- | ---: | ---: |")
        for round_ in range(1, args.rounds + 1):
            for mode in MODES:
                timing = folder / "time.txt"
                command = [
                    GNU_TIME,
                    "-f",
                    "%e %M",
                    "-o",
                    str(timing),
                    sys.executable,
                    "-c",
                    CHILD,
                    mode,
                    str(folder / "in.jsonl"),
                    "--model",
                    str(args.model),
                    "--out",
                    str(folder / f"out-{mode}.jsonl"),
                ]
                subprocess.run(command, check=True, capture_output=True, cwd=REPO)
                seconds, peak_kib = timing.read_text().split()[-2:]
                print(f"| {round_} | {mode} | {float(seconds):.1f} | {int(peak_kib) / 1024:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
