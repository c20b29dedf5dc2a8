"""fp32 vs mixed precision (fp16 autocast + grad scaling) training on CUDA: speed and dev F1.

Prepared for a GPU machine; on a machine without CUDA it says so and exits 2.

    python benchmarks/mixed_precision.py --train corpus/train.spacy --dev corpus/dev.spacy --steps 300 --out benchmarks/results_mixed_precision.json
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import srsly

REPO = Path(__file__).resolve().parent.parent


def train_once(config: str, train: Path, dev: Path, steps: int, out: Path) -> dict:
    from spacy.cli.train import train as spacy_train

    log = out / "log.jsonl"
    overrides = {
        "paths.train": str(train),
        "paths.dev": str(dev),
        "paths.log": str(log),
        "training.max_steps": steps,
        "training.max_epochs": 0,
        "training.eval_frequency": max(steps // 4, 1),
    }
    start = time.perf_counter()
    spacy_train(REPO / "configs" / config, out, overrides=overrides, use_gpu=0)
    seconds = time.perf_counter() - start
    rows = list(srsly.read_jsonl(log))
    return {
        "config": config,
        "steps": steps,
        "seconds": round(seconds, 1),
        "words_per_second": round(rows[-1]["words"] / seconds) if rows else None,
        "best_dev_ents_f": max((r["ents_f"] for r in rows), default=None),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=REPO / "corpus" / "train.spacy")
    parser.add_argument("--dev", type=Path, default=REPO / "corpus" / "dev.spacy")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results_mixed_precision.json")
    args = parser.parse_args(argv)
    import torch

    if not torch.cuda.is_available():
        print("no CUDA device: mixed precision can only be measured on a GPU machine", file=sys.stderr)
        return 2
    results = {"device": torch.cuda.get_device_name(0), "runs": []}
    for config in ("mammo_ner.cfg", "mammo_ner_gpu.cfg"):
        with tempfile.TemporaryDirectory() as tmp:
            results["runs"].append(train_once(config, args.train, args.dev, args.steps, Path(tmp)))
            print(results["runs"][-1], flush=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
