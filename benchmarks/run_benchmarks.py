"""Train and measure mammo_ner, spaCy's ner (efficiency and accuracy tok2vec), a CRF
and the rule baseline side by side: same machine, same data, one run.

python benchmarks/run_benchmarks.py [--quick] [--out benchmarks/results] [--datasets mammo,ncbi]

Writes the trained pipelines, configs, data and logs under --out, and
results.md + results.json into --report-dir (default: benchmarks/ for a full
run, --out for a --quick run, so that a smoke test never overwrites the
committed numbers). See benchmarks/README.md for what every figure means.
"""

import argparse
import json
import math
import os
import platform
import random
import shlex
import shutil
import statistics
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import spacy
import torch
from spacy.tokens import DocBin
from spacy.training import Example
from spacy.training.initialize import init_nlp
from spacy.training.loop import train as train_loop
from spacy.util import registry
from thinc.api import Config
from threadpoolctl import threadpool_limits

from benchmarks import baselines
from benchmarks.measure_inference import cpu_model, run_fresh
from spacy_mammo.corpus.readers import read_conll_docs, read_jsonl_records, records_to_docs, write_docbin
from spacy_mammo.corpus.synth import generate_reports
from spacy_mammo.evaluation.evaluate import evaluate, read_examples, write_text_atomic
from spacy_mammo.rules.baseline import METHODS, build_rule_pipeline
from spacy_mammo.tokenizer import blank_mammo_nlp

REPO = Path(__file__).resolve().parent.parent
MAMMO_CONFIG = REPO / "configs" / "mammo_ner.cfg"
# mammo_ner's CPU config for each dataset: on NCBI the BI-RADS lexicon features are off (configs/ncbi.cfg).
MAMMO_NER_CONFIGS = {"mammo": MAMMO_CONFIG, "ncbi": REPO / "configs" / "ncbi.cfg"}
PROJECT_CORPUS = REPO / "corpus"
INDEPENDENT = REPO / "assets" / "independent" / "reports.jsonl"
NCBI_DIR = Path("/work/shared/data/biomed_ner/NCBI-disease-IOB")
NCBI_SPLITS = {"train": "train.tsv", "dev": "devel.tsv", "test": "test.tsv"}
# One seed per generated mammography split.
SYNTH_SEEDS = {"train": 1, "dev": 2, "test": 3}

DATASETS = ("mammo", "ncbi")
SYSTEMS = ("mammo_ner", "spacy_ner_efficiency", "spacy_ner_accuracy", "crf", "rules")
TRAINED_WITH_SPACY = ("mammo_ner", "spacy_ner_efficiency", "spacy_ner_accuracy")
REFERENCE_SYSTEM = "spacy_ner_efficiency"
TOKENIZERS = {"mammo": baselines.MAMMO_TOKENIZER, "ncbi": baselines.ENGLISH_TOKENIZER}


@dataclass(frozen=True)
class Settings:
    """Data sizes and the training budget shared by every trained system."""

    n_train: int  # generated mammography reports per split (unless corpus/*.spacy exists)
    n_dev: int
    n_test: int
    ncbi_limit: int  # sentences per NCBI split; 0 = all
    independent_limit: int  # first reports of the independent set; 0 = all 80
    max_epochs: int
    evals_per_run: int  # dev evaluations spread over max_epochs
    patience_epochs: float  # early stopping: this many epochs without a better dev score
    crf_max_iterations: int
    repeats: int
    threads: Tuple[int, ...]
    batch_size: int
    train_threads: int = 0  # torch and BLAS threads while training; 0 = the libraries' defaults
    seed: int = 0


FULL = Settings(
    n_train=2000,
    n_dev=300,
    n_test=500,
    ncbi_limit=0,
    independent_limit=0,
    max_epochs=10,
    evals_per_run=40,
    patience_epochs=3,
    crf_max_iterations=100,
    repeats=3,
    threads=(1, 2),
    batch_size=256,
)
QUICK = Settings(
    n_train=24,
    n_dev=8,
    n_test=8,
    ncbi_limit=24,
    independent_limit=8,
    max_epochs=1,
    evals_per_run=3,
    patience_epochs=1,
    crf_max_iterations=5,
    repeats=3,
    threads=(1, 2),
    batch_size=256,
)


# ---------------------------------------------------------------------------
# Data


def prepare_data(dataset: str, settings: Settings, quick: bool, data_dir: Path) -> Dict[str, Path]:
    """The .spacy files of a dataset: "train", "dev", "test" (and "independent" for mammo)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    paths: Dict[str, Path] = {}
    if dataset == "mammo":
        nlp = blank_mammo_nlp()
        sizes = {"train": settings.n_train, "dev": settings.n_dev, "test": settings.n_test}
        for split, n in sizes.items():
            project_file = PROJECT_CORPUS / f"{split}.spacy"
            if not quick and project_file.exists():
                paths[split] = project_file
                continue
            records = generate_reports(n, SYNTH_SEEDS[split])
            paths[split] = data_dir / f"{split}.spacy"
            write_docbin(records_to_docs(records, nlp), paths[split])
        records = list(read_jsonl_records(INDEPENDENT))
        if settings.independent_limit:
            records = records[: settings.independent_limit]
        paths["independent"] = data_dir / "independent.spacy"
        write_docbin(records_to_docs(records, nlp, path=INDEPENDENT), paths["independent"])
    elif dataset == "ncbi":
        nlp = spacy.blank("en")
        for split, name in NCBI_SPLITS.items():
            paths[split] = data_dir / f"{split}.spacy"
            write_docbin(read_conll_docs(NCBI_DIR / name, nlp.vocab, limit=settings.ncbi_limit), paths[split])
    else:
        raise ValueError(f"unknown dataset {dataset!r}; expected one of {DATASETS}")
    return paths


def data_summary(paths: Dict[str, Path]) -> Dict[str, Dict[str, Any]]:
    """Docs, tokens and entities per split."""
    nlp = spacy.blank("en")
    summary = {}
    for split, path in paths.items():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        summary[split] = {
            "path": _rel(path),
            "docs": len(docs),
            "tokens": sum(len(doc) for doc in docs),
            "entities": sum(len(doc.ents) for doc in docs),
        }
    return summary


# ---------------------------------------------------------------------------
# Training


def system_config(system: str, dataset: str) -> Config:
    """The training config of a spaCy-trained system, before the budget is filled in."""
    tokenizer = TOKENIZERS[dataset]
    if system == "mammo_ner":
        config = Config().from_disk(MAMMO_NER_CONFIGS[dataset], interpolate=False)
        config["nlp"]["tokenizer"] = dict(tokenizer)
    elif system == "spacy_ner_efficiency":
        config = baselines.spacy_ner_config("efficiency", tokenizer)
    elif system == "spacy_ner_accuracy":
        config = baselines.spacy_ner_config("accuracy", tokenizer)
    else:
        raise ValueError(f"{system!r} is not trained with spaCy's training loop")
    return config


def plan_budget(config: Config, train_examples: Sequence[Example], settings: Settings) -> Dict[str, int]:
    """Turn the epoch budget into this system's step counts by running its own batcher
    over the training data for max_epochs epochs (batch sizes differ between systems,
    so a shared step count would give them very different amounts of data).

    RETURNS (Dict[str, int]): "steps_per_epoch" (list), "eval_frequency", "patience".
    """
    batcher = registry.resolve({"batcher": config["training"]["batcher"]})["batcher"]
    rng = random.Random(settings.seed)
    steps_per_epoch = []
    for _ in range(settings.max_epochs):
        examples = list(train_examples)
        rng.shuffle(examples)
        steps_per_epoch.append(sum(1 for _ in batcher(examples)))
    total = sum(steps_per_epoch)
    return {
        "steps_per_epoch": steps_per_epoch,
        "eval_frequency": max(1, total // settings.evals_per_run),
        "patience": max(1, math.ceil(settings.patience_epochs * total / settings.max_epochs)),
    }


def train_spacy_system(
    system: str, dataset: str, paths: Dict[str, Path], settings: Settings, work: Path
) -> Dict[str, Any]:
    """Train one system with spaCy's training loop; model-best is the best dev ents_f.

    RETURNS (Dict[str, Any]): model path, wall time, steps, the budget as planned.
    """
    config = system_config(system, dataset)
    nlp_for_sizes = spacy.blank("en", config={"nlp": {"tokenizer": TOKENIZERS[dataset]}})
    budget = plan_budget(config, read_examples(nlp_for_sizes, paths["train"]), settings)
    log_path = work / "logs" / dataset / f"{system}.jsonl"
    config["paths"]["train"] = str(paths["train"])
    config["paths"]["dev"] = str(paths["dev"])
    config["system"]["seed"] = settings.seed
    config["training"].update(
        {
            "max_epochs": settings.max_epochs,
            "max_steps": 0,
            "eval_frequency": budget["eval_frequency"],
            "patience": budget["patience"],
        }
    )
    config["training"]["logger"] = {
        "@loggers": "spacy-mammo.jsonl_logger.v1",
        "path": str(log_path),
        "console": True,
        "progress_bar": False,
    }
    config_path = work / "configs" / dataset / f"{system}.cfg"
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config.to_disk(config_path)
    output = work / "models" / dataset / system
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with (work / "logs" / dataset / f"{system}.train.txt").open("w", encoding="utf8") as out:
        nlp = init_nlp(Config().from_disk(config_path, interpolate=False))
        train_loop(nlp, output, stdout=out, stderr=out)
    seconds = time.perf_counter() - start
    rows = [json.loads(line) for line in log_path.read_text(encoding="utf8").splitlines() if line.strip()]
    best = max(rows, key=lambda row: (row["score"], -row["step"]))
    return {
        "model": output / "model-best",
        "config": _rel(config_path),
        "train_seconds": seconds,
        "steps": rows[-1]["step"] if rows else 0,
        "epochs": (rows[-1]["epoch"] + 1) if rows else 0,
        "steps_to_best": best["step"],
        "epoch_of_best": best["epoch"],
        "best_dev_ents_f": best["score"],
        "budget": budget,
    }


def train_crf_system(dataset: str, paths: Dict[str, Path], settings: Settings, work: Path) -> Dict[str, Any]:
    """Train the CRF (L-BFGS, at most crf_max_iterations passes) and save it as a pipeline."""
    nlp = baselines.build_crf_pipeline(TOKENIZERS[dataset])
    start = time.perf_counter()
    train = read_examples(nlp, paths["train"])
    dev = read_examples(nlp, paths["dev"])
    info = baselines.train_crf(
        nlp.get_pipe("benchmark_crf_ner"), train, dev, max_iterations=settings.crf_max_iterations, work_dir=work / "tmp"
    )
    seconds = time.perf_counter() - start
    output = work / "models" / dataset / "crf"
    if output.exists():
        shutil.rmtree(output)
    nlp.to_disk(output)
    return {
        "model": output,
        "train_seconds": seconds,
        "steps": info["iterations"],
        "steps_to_best": info["best_iteration"],
        "best_dev_tag_f1": info["best_dev_tag_f1"],
        "budget": {"max_iterations": settings.crf_max_iterations, **baselines.CRF_PARAMS},
    }


def select_rule_system(paths: Dict[str, Path], work: Path) -> Dict[str, Any]:
    """Score every rule method on dev, keep the best (no training)."""
    dev_scores = {}
    for method in METHODS:
        nlp = build_rule_pipeline(method)
        dev_scores[method] = evaluate(nlp, read_examples(nlp, paths["dev"]))["ents_f"]
    chosen = max(METHODS, key=lambda m: dev_scores[m])
    output = work / "models" / "mammo" / "rules"
    if output.exists():
        shutil.rmtree(output)
    build_rule_pipeline(chosen).to_disk(output)
    return {"model": output, "train_seconds": 0.0, "method": chosen, "dev_ents_f_by_method": dev_scores}


# ---------------------------------------------------------------------------
# Measuring


def score_system(model: Path, paths: Dict[str, Path]) -> Dict[str, Dict[str, Any]]:
    """Exact-span P/R/F (overall and per label) on every split except train."""
    nlp = spacy.load(model)
    scores = {}
    for split, path in paths.items():
        if split == "train":
            continue
        metrics = evaluate(nlp, read_examples(nlp, path))
        metrics.pop("token_report", None)
        scores[split] = metrics
    return scores


def measure_inference(model: Path, data: Path, settings: Settings) -> Dict[str, Any]:
    """Speed and memory of `model` over `data`, in a fresh Python process."""
    command = [
        sys.executable,
        str(REPO / "benchmarks" / "measure_inference.py"),
        str(model),
        str(data),
        "--threads",
        ",".join(str(t) for t in settings.threads),
        "--repeats",
        str(settings.repeats),
        "--batch-size",
        str(settings.batch_size),
    ]
    done = run_fresh(command)
    if done.returncode != 0:
        raise RuntimeError(f"measure_inference failed for {model} (exit {done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["median_wps"] = {threads: statistics.median(runs) for threads, runs in result["runs"].items()}
    return result


def peak_memory_mb(inference: Dict[str, Any]) -> Tuple[float, float]:
    """(peak, peak right after loading) in MiB: VmHWM where /proc has it, else ru_maxrss."""
    if inference.get("hwm_peak_mb") is not None:
        return inference["hwm_peak_mb"], inference["hwm_loaded_mb"]
    return inference["rss_peak_mb"], inference["rss_loaded_mb"]


def model_size_bytes(model: Path) -> int:
    """Bytes of all files of a saved pipeline."""
    return sum(f.stat().st_size for f in Path(model).rglob("*") if f.is_file())


def machine_info() -> Dict[str, Any]:
    """CPU model, core counts, memory and library versions of this machine."""
    cpu = cpu_model() or "unknown"
    import thinc

    mem_total = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_total = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "logical_cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gib": mem_total,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "thinc": thinc.__version__,
        "torch": torch.__version__,
    }


# ---------------------------------------------------------------------------
# Run


def run(
    datasets: Sequence[str],
    systems: Sequence[str],
    settings: Settings,
    quick: bool,
    work: Path,
    report_dir: Path,
    command: str,
) -> Dict[str, Any]:
    """Prepare data, train, score and measure every system; write results.json and results.md.

    RETURNS (Dict[str, Any]): the results as written to results.json.
    """
    results: Dict[str, Any] = {
        "command": command,
        "quick": quick,
        "machine": machine_info(),
        "settings": asdict(settings),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "datasets": {},
    }
    for dataset in datasets:
        paths = prepare_data(dataset, settings, quick, work / "data" / dataset)
        entry: Dict[str, Any] = {"data": data_summary(paths), "systems": {}, "skipped": {}}
        results["datasets"][dataset] = entry
        for system in systems:
            if system == "rules" and dataset != "mammo":
                entry["skipped"][system] = (
                    "the rule baseline is the mammography lexicon; it has no rules for this dataset"
                )
                continue
            print(f"[{dataset}] {system}: training", flush=True)
            with training_threads(settings.train_threads):
                if system in TRAINED_WITH_SPACY:
                    trained = train_spacy_system(system, dataset, paths, settings, work)
                elif system == "crf":
                    trained = train_crf_system(dataset, paths, settings, work)
                else:
                    trained = select_rule_system(paths, work)
                trained["torch_threads"] = torch.get_num_threads()
            model = trained.pop("model")
            print(f"[{dataset}] {system}: scoring and measuring", flush=True)
            entry["systems"][system] = {
                "model": _rel(model),
                "train": trained,
                "scores": score_system(model, paths),
                "inference": measure_inference(model, paths["test"], settings),
                "model_size_bytes": model_size_bytes(model),
            }
        add_speed_ratios(entry["systems"])
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    report_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomic(report_dir / "results.json", json.dumps(results, indent=2, default=str) + "\n")
    write_text_atomic(report_dir / "results.md", results_markdown(results))
    return results


@contextmanager
def training_threads(n_threads: int) -> Iterator[None]:
    """Limit torch and numpy/BLAS/OpenMP threads to `n_threads` (0: leave the defaults)."""
    if not n_threads:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        with threadpool_limits(limits=n_threads):
            yield
    finally:
        torch.set_num_threads(before)


def add_speed_ratios(systems: Dict[str, Dict[str, Any]]) -> None:
    """Median words/second of each system over that of spaCy ner efficiency, per thread limit."""
    reference = systems.get(REFERENCE_SYSTEM)
    for entry in systems.values():
        inference = entry["inference"]
        inference["ratio_to_reference"] = {
            threads: (wps / reference["inference"]["median_wps"][threads]) if reference else None
            for threads, wps in inference["median_wps"].items()
        }


# ---------------------------------------------------------------------------
# Report


def results_markdown(results: Dict[str, Any]) -> str:
    """results.md: the machine, the command, the budget, then one section per dataset."""
    machine = results["machine"]
    settings = results["settings"]
    threads = [str(t) for t in settings["threads"]]
    lines = [
        "# Benchmarks: mammo_ner against spaCy ner, a CRF and the rules",
        "",
        f"Command: `{results['command']}`"
        + ("  (QUICK smoke run: tiny data, numbers mean nothing)" if results["quick"] else ""),
        "",
        f"Machine: {machine['cpu']}, {machine['usable_cores']} usable of {machine['logical_cores']} logical cores, "
        f"{machine['memory_gib']} GiB; load average at start {machine['load_average_at_start']}; "
        f"Python {machine['python']}, spaCy {machine['spacy']}, thinc {machine['thinc']}, torch {machine['torch']}. "
        f"Run {results['started']} to {results.get('finished')}.",
        "",
        "Budget for every trained system: at most "
        f"{settings['max_epochs']} epochs; dev evaluated {settings['evals_per_run']} times over that budget "
        f"(every total_steps / {settings['evals_per_run']} steps of the system's own batcher); early stopping after "
        f"{settings['patience_epochs']} epochs' worth of steps without a better dev entity F1; the kept model is "
        f"the best on dev (spaCy's model-best). The CRF: L-BFGS, at most {settings['crf_max_iterations']} passes "
        "(crfsuite cannot roll back to its best dev iteration; its dev tag F1 per pass is recorded). Training "
        "threads: "
        + (
            f"{settings['train_threads']} (torch and BLAS)."
            if settings["train_threads"]
            else "the libraries' defaults (torch: one per core)."
        ),
        "",
        f"Speed: words (tokens) per second of `nlp.pipe(batch_size={settings['batch_size']})` over the test split, "
        f"one process, median of {settings['repeats']} passes after a warm-up pass; thread limits apply to torch "
        "(`torch.set_num_threads`) and numpy/BLAS/OpenMP (threadpoolctl). `x eff` = speed / speed of spaCy ner "
        "efficiency at the same limit. Memory: peak resident memory (VmHWM, equal to `ru_maxrss` of the worker, "
        "which is started from a small shell so that it inherits no parent peak) of a fresh process per system "
        "after loading and running, in MiB; delta = peak minus the peak right after loading. Size: the saved "
        "pipeline folder.",
    ]
    for dataset, entry in results["datasets"].items():
        lines += ["", f"## {dataset}", "", _data_table(entry["data"]), ""]
        systems = entry["systems"]
        eval_splits = [
            split for split in ("test", "independent", "dev") if any(split in s["scores"] for s in systems.values())
        ]
        header = ["System"]
        for split in eval_splits:
            header += [f"{split} P", f"{split} R", f"{split} F1"]
        header += ["train s", "steps (best/total)"]
        for t in threads:
            header += [f"wps@{t}", f"x eff@{t}"]
        header += ["peak RSS MB", "delta MB", "size MB"]
        lines += ["| " + " | ".join(header) + " |", "| --- |" + " ---: |" * (len(header) - 1)]
        for system, s in systems.items():
            row = [system]
            for split in eval_splits:
                m = s["scores"].get(split)
                row += [_pct(m and m["ents_p"]), _pct(m and m["ents_r"]), _pct(m and m["ents_f"])]
            train = s["train"]
            steps = f"{train['steps_to_best']}/{train['steps']}" if "steps" in train else "-"
            row += [f"{train['train_seconds']:.0f}", steps]
            inference = s["inference"]
            for t in threads:
                ratio = inference["ratio_to_reference"].get(t)
                row += [f"{inference['median_wps'].get(t, 0):,.0f}", "-" if ratio is None else f"{ratio:.2f}"]
            peak, loaded = peak_memory_mb(inference)
            row += [f"{peak:.0f}", f"{peak - loaded:.0f}", f"{s['model_size_bytes'] / 1e6:.1f}"]
            lines.append("| " + " | ".join(row) + " |")
        for system, reason in entry["skipped"].items():
            lines.append(f"\n{system}: skipped ({reason}).")
        for system, s in systems.items():
            if "method" in s["train"]:
                by_method = ", ".join(f"{m} {_pct(f)}" for m, f in s["train"]["dev_ents_f_by_method"].items())
                lines.append(f"\n{system}: method chosen on dev: {s['train']['method']} (dev F1: {by_method}).")
        for split in eval_splits:
            lines += ["", f"Per-label F1 on {split} (exact spans):", "", _per_label_table(systems, split)]
    return "\n".join(lines) + "\n"


def _data_table(data: Dict[str, Dict[str, Any]]) -> str:
    lines = ["| Split | File | Docs | Tokens | Entities |", "| --- | --- | ---: | ---: | ---: |"]
    for split, d in data.items():
        lines.append(f"| {split} | `{d['path']}` | {d['docs']} | {d['tokens']} | {d['entities']} |")
    return "\n".join(lines)


def _per_label_table(systems: Dict[str, Dict[str, Any]], split: str) -> str:
    names = [name for name, s in systems.items() if split in s["scores"]]
    labels = sorted({label for name in names for label in systems[name]["scores"][split]["ents_per_type"]})
    lines = ["| Label | " + " | ".join(names) + " | Support |", "| --- |" + " ---: |" * (len(names) + 1)]
    for label in labels:
        cells, support = [], 0
        for name in names:
            prf = systems[name]["scores"][split]["ents_per_type"].get(label)
            cells.append(_pct(prf and prf["f"]))
            support = max(support, (prf or {}).get("support", 0))
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {support} |")
    return "\n".join(lines)


def _pct(value: Optional[float]) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def _rel(path: Path) -> str:
    path = Path(path).resolve()
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


def cli_main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/run_benchmarks.py", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny data and budget: a smoke test of the whole harness")
    parser.add_argument(
        "--out", type=Path, default=REPO / "benchmarks" / "results", help="work folder (data, models, logs)"
    )
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=None,
        help="where results.md/.json go (default: benchmarks/, or --out with --quick)",
    )
    parser.add_argument("--datasets", default=",".join(DATASETS), help=f"comma-separated, from {DATASETS}")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma-separated, from {SYSTEMS}")
    parser.add_argument("--threads", default=None, help="comma-separated thread limits (default 1,2)")
    parser.add_argument("--repeats", type=int, default=None, help="timed passes per thread limit (default 3)")
    parser.add_argument(
        "--train-threads", type=int, default=None, help="torch/BLAS threads for training (default: library defaults)"
    )
    parser.add_argument(
        "--max-epochs", type=int, default=None, help="training budget in epochs for every trained system (default 10)"
    )
    parser.add_argument("--ncbi-limit", type=int, default=None, help="sentences per NCBI split (default: all)")
    args = parser.parse_args(argv)
    datasets = [d.strip() for d in args.datasets.split(",") if d.strip()]
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    for name, chosen, allowed in (("dataset", datasets, DATASETS), ("system", systems, SYSTEMS)):
        unknown = sorted(set(chosen) - set(allowed))
        if unknown:
            parser.error(f"unknown {name}(s) {unknown}; choose from {allowed}")
    if REFERENCE_SYSTEM not in systems:
        print(f"note: without {REFERENCE_SYSTEM} no speed ratios are given", file=sys.stderr)
    settings = QUICK if args.quick else FULL
    if args.threads:
        settings = replace(settings, threads=tuple(int(t) for t in args.threads.split(",")))
    if args.repeats:
        settings = replace(settings, repeats=args.repeats)
    if args.train_threads is not None:
        settings = replace(settings, train_threads=args.train_threads)
    if args.max_epochs is not None:
        settings = replace(settings, max_epochs=args.max_epochs)
    if args.ncbi_limit is not None:
        settings = replace(settings, ncbi_limit=args.ncbi_limit)
    report_dir = args.report_dir or (args.out if args.quick else REPO / "benchmarks")
    command = "python " + shlex.join([sys.argv[0]] + list(argv))
    start = time.perf_counter()
    run(datasets, systems, settings, args.quick, args.out.resolve(), report_dir, command)
    print(f"done in {time.perf_counter() - start:.0f} s: {report_dir / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(cli_main(sys.argv[1:]))
