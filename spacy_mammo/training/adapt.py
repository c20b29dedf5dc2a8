"""Site adaptation: fine-tune a shipped pipeline on a site's own annotated reports.

The site's reports (guideline JSONL spans) are split into train and dev; the train part,
repeated `local_weight` times, is mixed with a sample of the synthetic corpus so that the
tagger keeps what it knew, and `spacy train` resumes the sourced `mammo_ner` with early
stopping on the site's dev reports. `n_runs` > 1 repeats this with further seeds and averages
the tagger weights of the runs (a model soup). With `dev_fraction=0` every local report is trained on
for exactly `max_epochs` epochs (an epoch count chosen beforehand, e.g. by cross-validation),
and the last model is kept. The result is a complete pipeline (tagger, negation,
findings) written to the output folder.
"""

import random
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from ..corpus.readers import read_jsonl_records, records_to_docs
from ..errors import MammoDataError

PathLike = Union[str, Path]


@dataclass
class AdaptOptions:
    """How `adapt` fine-tunes; the defaults suit 5 to 50 local reports on a CPU."""

    dev_fraction: float = 0.2  # share of the local reports held out for early stopping (at least one); 0: none
    n_synthetic: int = 300  # synthetic reports mixed into every epoch (0: local reports only)
    local_weight: int = 3  # how often each local training report is repeated per epoch
    max_epochs: int = 8
    patience_epochs: int = 2  # stop after this many epochs without a better dev F1
    learn_rate: float = 0.0005
    batch_words: int = 1500
    seed: int = 0
    n_runs: int = 1  # runs with seeds seed, seed+1, ...; more than one: their tagger weights are averaged


def split_records(records: Sequence[dict], dev_fraction: float, seed: int) -> "tuple[list, list]":
    """Deterministic train/dev split of local records; dev gets at least one record when there are two or more,
    and none when `dev_fraction` is 0."""
    shuffled = list(records)
    random.Random(seed).shuffle(shuffled)
    n_dev = 0 if len(shuffled) < 2 or dev_fraction == 0 else max(1, round(dev_fraction * len(shuffled)))
    return shuffled[n_dev:], shuffled[:n_dev]


def _docs(sourced: Sequence["tuple[PathLike, dict]"], nlp: Language) -> List[Doc]:
    """Docs of (file, record) pairs; a bad record is reported with its own file."""
    return [doc for path, record in sourced for doc in records_to_docs([record], nlp, path=path)]


def adapt_config(base: Language, base_path: Path, train: Path, dev: Path, options: AdaptOptions, steps_per_epoch: int):
    """The training config: every component sourced from the base pipeline, a plain word batcher,
    evaluation once an epoch and patience in epochs (none without a dev split)."""
    config = base.config.copy()
    config["paths"]["train"] = str(train)
    config["paths"]["dev"] = str(dev)
    config["paths"]["log"] = None
    config["components"] = {name: {"source": str(base_path)} for name in base.pipe_names}
    training = config["training"]
    training["max_epochs"] = options.max_epochs
    training["max_steps"] = 0
    training["eval_frequency"] = max(1, steps_per_epoch)
    training["patience"] = max(1, steps_per_epoch) * options.patience_epochs if options.dev_fraction else 0
    training["seed"] = options.seed
    training["frozen_components"] = []
    training["annotating_components"] = []
    training["batcher"] = {
        "@batchers": "spacy.batch_by_words.v1",
        "size": options.batch_words,
        "tolerance": 0.2,
        "discard_oversize": False,
        "get_length": None,
    }
    training["optimizer"]["learn_rate"] = options.learn_rate
    training["logger"] = {"@loggers": "spacy.ConsoleLogger.v1", "progress_bar": False}
    config["system"]["seed"] = options.seed
    return config


def _fine_tune(
    base: Language,
    base_path: Path,
    sourced: Sequence["tuple[PathLike, dict]"],
    synthetic: Sequence[dict],
    synthetic_path: Optional[PathLike],
    options: AdaptOptions,
    seed: int,
    work: Path,
) -> "tuple[Path, Dict[str, int]]":
    """One `spacy train` run from the base pipeline with this seed (split, synthetic sample, shuffling);
    returns the kept model folder (inside `work`) and the counts used."""
    from spacy.cli.train import train as spacy_train

    options = replace(options, seed=seed)
    train_records, dev_records = split_records(sourced, options.dev_fraction, seed)
    train_docs = _docs(train_records, base) * options.local_weight
    # spacy train needs a dev corpus; without a split it scores the training reports and the last model is kept
    dev_docs = _docs(dev_records or train_records, base)
    sample = list(synthetic)
    random.Random(seed).shuffle(sample)
    synthetic_docs = list(records_to_docs(sample[: options.n_synthetic], base, path=synthetic_path))
    mixed = train_docs + synthetic_docs
    steps_per_epoch = max(1, round(sum(len(doc) for doc in mixed) / options.batch_words))
    work.mkdir(parents=True)
    DocBin(docs=mixed, store_user_data=True).to_disk(work / "train.spacy")
    DocBin(docs=dev_docs, store_user_data=True).to_disk(work / "dev.spacy")
    config = adapt_config(base, base_path, work / "train.spacy", work / "dev.spacy", options, steps_per_epoch)
    config.to_disk(work / "config.cfg")
    spacy_train(work / "config.cfg", work / "training", use_gpu=-1)
    counts = {
        "local_train_reports": len(train_records),
        "local_dev_reports": len(dev_records),
        "synthetic_reports": len(synthetic_docs),
        "steps_per_epoch": steps_per_epoch,
    }
    return work / "training" / ("model-best" if dev_records else "model-last"), counts


def tagger_module(nlp: Language):
    """The torch module behind the pipeline's mammo_ner (its PyTorchWrapper_v2 shim)."""
    ner = next(nlp.get_pipe(name) for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory == "mammo_ner")
    return next(shim._model for node in ner.model.walk() for shim in node.shims)


def average_tagger_weights(paths: Sequence[Path], output_path: Path) -> Path:
    """Write the first pipeline with the tagger weights averaged over all of them (a "model soup": the runs
    are fine-tuned from one base, so their weights stay close enough to average)."""
    pipelines = [spacy.load(path) for path in paths]
    states = [tagger_module(nlp).state_dict() for nlp in pipelines]
    averaged = {
        key: (sum(state[key].float() for state in states) / len(states)).to(value.dtype)
        if value.is_floating_point()
        else value
        for key, value in states[0].items()
    }
    tagger_module(pipelines[0]).load_state_dict(averaged)
    pipelines[0].to_disk(output_path)
    return output_path


def adapt(
    base_path: PathLike,
    local_path: Union[PathLike, Sequence[PathLike]],
    output_path: PathLike,
    *,
    synthetic_path: Optional[PathLike] = None,
    options: Optional[AdaptOptions] = None,
    local_records: Optional[Sequence[dict]] = None,
    overwrite: bool = False,
) -> Dict[str, Any]:
    """Fine-tune the pipeline at `base_path` on the annotated reports in `local_path`; write it to `output_path`.

    base_path (PathLike): a saved pipeline with `mammo_ner` (e.g. training/model-final).
    local_path (Union[PathLike, Sequence[PathLike]]): the site's reports, guideline JSONL spans, one file or
        several (read unless `local_records` is given).
    output_path (PathLike): where the adapted pipeline goes; it must not exist yet unless `overwrite`.
    synthetic_path (Optional[PathLike]): synthetic reports (JSONL spans) mixed in; None mixes none.
    options (Optional[AdaptOptions]): fine-tuning settings.
    local_records (Optional[Sequence[dict]]): already-read local records (cross-validation uses this).
    overwrite (bool): replace an existing `output_path`, only once the new pipeline is complete.
    RETURNS (Dict[str, Any]): the counts used and the best dev scores (of the first run, when several are
        averaged).
    """
    options = options or AdaptOptions()
    base_path, output_path = Path(base_path), Path(output_path)
    if output_path.exists() and not overwrite:
        raise MammoDataError("output already exists; choose a new folder or pass --overwrite", path=output_path)
    if not (base_path / "config.cfg").is_file():
        raise MammoDataError("not a saved pipeline (no config.cfg)", path=base_path)
    base = spacy.load(base_path)
    if "mammo_ner" not in [base.get_pipe_meta(name).factory for name in base.pipe_names]:
        raise MammoDataError("the pipeline has no mammo_ner component", path=base_path)
    local_paths = [local_path] if isinstance(local_path, (str, Path)) else list(local_path)
    if local_records is not None:
        sourced = [(local_paths[0], record) for record in local_records]
    else:
        sourced = [(path, record) for path in local_paths for record in read_jsonl_records(path)]
    if len(sourced) < 2 and options.dev_fraction:
        raise MammoDataError("need at least two annotated reports (one for training, one for dev)", path=local_paths[0])
    if not sourced:
        raise MammoDataError("no annotated reports", path=local_paths[0])
    synthetic: List[dict] = []
    if synthetic_path is not None and options.n_synthetic > 0:
        synthetic = list(read_jsonl_records(synthetic_path))

    output_path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=output_path.parent, prefix=f".{output_path.name}."))
    try:
        runs = [
            _fine_tune(
                base, base_path.resolve(), sourced, synthetic, synthetic_path, options, seed, work / f"run{seed}"
            )
            for seed in range(options.seed, options.seed + options.n_runs)
        ]
        model, counts = runs[0]
        if len(runs) > 1:
            model = average_tagger_weights([path for path, _ in runs], work / "average")
        n_dev = counts["local_dev_reports"]
        meta = srsly.read_json(model / "meta.json")
        meta["spacy_mammo_adaptation"] = {
            "base": base_path.name,
            "local": ", ".join(Path(path).as_posix() for path in local_paths),
            **{key: counts[key] for key in ("local_train_reports", "local_dev_reports", "synthetic_reports")},
            "local_weight": options.local_weight,
            "epochs": "early stopping on the dev reports" if n_dev else f"{options.max_epochs}, no dev split",
            "max_epochs": options.max_epochs,
            "runs_averaged": len(runs),
        }
        srsly.write_json(model / "meta.json", meta)
        if output_path.exists():
            # the old pipeline goes only now, when the new one is complete beside it
            shutil.rmtree(output_path)
        model.rename(output_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        **counts,
        "runs_averaged": len(runs),
        "best_scores": meta.get("performance", {}),
    }
