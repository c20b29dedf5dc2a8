"""Score structured findings against a findings gold standard (docs/FINDINGS_FORMAT.md).

`score_findings(gold, predicted)` compares per finding (each field over the
findings matched by head offsets), per report (composition, BI-RADS) and per
lesion grouping (pairwise "same lesion"). `read_findings_gold(path)` reads and
validates a gold file; `predicted_record(doc)` turns a processed doc into the
record it is compared with; `findings_table(scores)` renders the scores.
"""

import itertools
import json
import re
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union

from spacy.tokens import Doc

from ..errors import MammoDataError
from ..labels import FINDING_LABELS
from .findings import FINDING_KEYS
from .layout import SECTION_WORDS
from .lesions import group_lesions

GOLD_FINDING_KEYS = ("start", "end") + tuple(k for k in FINDING_KEYS if k not in ("start_char", "end_char"))
LIST_FIELDS = ("locations", "associated_features")
NUMBER_FIELDS = ("size_mm", "distance_from_nipple_cm")
FLAG_FIELDS = ("negated", "uncertain", "historical", "family")
TEXT_FIELDS = ("shape", "margin", "density", "calc_morphology", "calc_distribution")
SCALAR_FIELDS = tuple(k for k in GOLD_FINDING_KEYS if k not in ("start", "end") + LIST_FIELDS)
REPORT_FIELDS = ("composition", "birads_right", "birads_left", "birads_overall")
SIDES = ("right", "left", "bilateral")
SECTIONS = tuple(kind for kind, _ in SECTION_WORDS)
MODALITIES = ("mammography", "ultrasound", "mri", "procedure")
COMPOSITIONS = ("a", "b", "c", "d")
BIRADS_VALUES = ("0", "1", "2", "3", "4", "4A", "4B", "4C", "5", "6")
NUMBER_TOLERANCE = 0.05
_CLOCK = re.compile(r"\d{1,2}:\d\d(?:-\d{1,2}:\d\d)?")

PathLike = Union[str, Path]


# ----------------------------------------------------------------------------
# Records


def _check_value(key: str, value: object) -> Optional[str]:
    """What is wrong with a gold finding's value (never quoting it), or None."""
    if key in ("start", "end"):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else "must be a character offset (int >= 0)"
    if key == "type":
        return None if value in FINDING_LABELS else f"must be one of {', '.join(FINDING_LABELS)}"
    if key in LIST_FIELDS:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else "must be a list of strings"
    if key in FLAG_FIELDS:
        return None if isinstance(value, bool) else "must be true or false"
    if value is None:
        return None
    if key in NUMBER_FIELDS:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        return None if ok else "must be a number >= 0 or null"
    if key == "clock":
        return None if isinstance(value, str) and _CLOCK.fullmatch(value) else "must be H:MM or H:MM-H:MM or null"
    choices = {"laterality": SIDES, "section": SECTIONS, "modality": MODALITIES}.get(key)
    if choices is not None:
        return None if value in choices else f"must be one of {', '.join(choices)} or null"
    return None if isinstance(value, str) else "must be a string or null"


def validate_gold_record(record: object, *, path: Optional[PathLike] = None, line: Optional[int] = None) -> dict:
    """Check one gold record against the format; raise `MammoDataError` naming the
    line, record, finding and key of the first problem.

    record (object): A parsed JSON line.
    path (Optional[PathLike]): The file, for error messages.
    line (Optional[int]): The line number, for error messages.
    RETURNS (dict): The record.
    """
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise MammoDataError("a record must be an object with a string 'id'", path=path, line=line)

    def fail(problem: str) -> MammoDataError:
        return MammoDataError(problem, path=path, line=line, record=record["id"])

    missing = [k for k in ("findings", "report", "lesions") if k not in record]
    if missing:
        raise fail(f"missing key(s) {', '.join(missing)}")
    if not isinstance(record["findings"], list):
        raise fail("'findings' must be a list")
    for i, finding in enumerate(record["findings"]):
        if not isinstance(finding, dict):
            raise fail(f"finding {i} must be an object")
        keys = set(finding)
        if keys != set(GOLD_FINDING_KEYS):
            extra, absent = sorted(keys - set(GOLD_FINDING_KEYS)), sorted(set(GOLD_FINDING_KEYS) - keys)
            raise fail(f"finding {i}: unknown keys {extra}, missing keys {absent}")
        for key in GOLD_FINDING_KEYS:
            problem = _check_value(key, finding[key])
            if problem:
                raise fail(f"finding {i}: {key!r} {problem}")
        if finding["start"] >= finding["end"]:
            raise fail(f"finding {i}: 'start' must be before 'end'")
    report = record["report"]
    if not isinstance(report, dict) or set(report) != {"composition", "birads"}:
        raise fail("'report' must be an object with 'composition' and 'birads'")
    if report["composition"] not in COMPOSITIONS + (None,):
        raise fail("'report.composition' must be one of a, b, c, d or null")
    birads = report["birads"]
    if not isinstance(birads, dict) or set(birads) != {"right", "left", "overall"}:
        raise fail("'report.birads' must be an object with 'right', 'left' and 'overall'")
    for side, value in birads.items():
        if value not in BIRADS_VALUES + (None,):
            raise fail(f"'report.birads.{side}' must be one of {', '.join(BIRADS_VALUES)} or null")
    _validate_lesions(record, fail)
    return record


def _validate_lesions(record: dict, fail) -> None:
    lesions, findings = record["lesions"], record["findings"]
    if not isinstance(lesions, list) or not all(isinstance(group, list) and group for group in lesions):
        raise fail("'lesions' must be a list of non-empty lists of finding indices")
    seen: Set[int] = set()
    for group in lesions:
        for index in group:
            if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(findings):
                raise fail(f"'lesions' holds {index!r}, not an index into 'findings'")
            if index in seen:
                raise fail(f"'lesions': finding {index} is in more than one lesion")
            seen.add(index)
    lesion_findings = {i for i, f in enumerate(findings) if not f["negated"] and not f["family"]}
    if seen != lesion_findings:
        raise fail(
            f"'lesions' must hold each affirmed finding of the patient once: missing {sorted(lesion_findings - seen)}, "
            f"negated or family {sorted(seen - lesion_findings)}"
        )


def read_findings_gold(path: PathLike) -> Iterator[dict]:
    """Read and validate a findings gold file (JSONL, one report a line; blank lines skipped).

    path (PathLike): The file.
    YIELDS (dict): One validated record per report.
    """
    path = Path(path)
    if not path.is_file():
        raise MammoDataError("file not found", path=path)
    ids: Set[str] = set()
    with path.open(encoding="utf-8") as file_:
        for number, text in enumerate(file_, start=1):
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as err:
                problem = f"not valid JSON ({err.msg}, column {err.colno})"
                raise MammoDataError(problem, path=path, line=number) from None
            record = validate_gold_record(record, path=path, line=number)
            if record["id"] in ids:
                raise MammoDataError("duplicate id", path=path, line=number, record=record["id"])
            ids.add(record["id"])
            yield record


def predicted_record(doc: Doc, record_id: Optional[str] = None) -> dict:
    """The record a processed doc (after `mammo_findings`) is scored as.

    doc (Doc): The doc.
    record_id (Optional[str]): Its id; default `doc.user_data["record_id"]` as the readers set it.
    RETURNS (dict): {"id", "findings", "report", "lesions"}, lesions as lists of finding indices.
    """
    lesions = doc._.lesions if doc._.lesions is not None else group_lesions(doc._.findings, doc.text)
    return {
        "id": record_id if record_id is not None else doc.user_data.get("record_id"),
        "findings": doc._.findings,
        "report": doc._.report,
        "lesions": [lesion["mentions"] for lesion in lesions],
    }


# ----------------------------------------------------------------------------
# Scores


def _prf(correct: int, predicted: int, gold: int) -> Dict[str, Optional[float]]:
    p = correct / predicted if predicted else None
    r = correct / gold if gold else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return {"p": p, "r": r, "f": f}


def match_findings(gold: Sequence[dict], predicted: Sequence[dict]) -> Dict[int, int]:
    """Gold finding index -> predicted finding index: same head offsets first, then the
    largest overlap, one to one.

    gold (Sequence[dict]): Gold findings (`start`, `end`).
    predicted (Sequence[dict]): Predicted findings (`start_char`, `end_char`).
    RETURNS (Dict[int, int]): The matching.
    """
    by_offsets = {(f["start_char"], f["end_char"]): j for j, f in enumerate(predicted)}
    matched = {i: by_offsets[g["start"], g["end"]] for i, g in enumerate(gold) if (g["start"], g["end"]) in by_offsets}
    taken = set(matched.values())
    overlaps = []
    for i, g in enumerate(gold):
        if i in matched:
            continue
        for j, p in enumerate(predicted):
            overlap = min(g["end"], p["end_char"]) - max(g["start"], p["start_char"])
            if j not in taken and overlap > 0:
                overlaps.append((-overlap, i, j))
    for _, i, j in sorted(overlaps):
        if i not in matched and j not in taken:
            matched[i] = j
            taken.add(j)
    return matched


def _same(key: str, gold: object, predicted: object) -> bool:
    if key in NUMBER_FIELDS and gold is not None and predicted is not None:
        return abs(float(gold) - float(predicted)) <= NUMBER_TOLERANCE
    return gold == predicted


def _report_values(report: dict) -> Dict[str, Optional[str]]:
    birads = report.get("birads") or {}
    return {
        "composition": report.get("composition"),
        "birads_right": birads.get("right"),
        "birads_left": birads.get("left"),
        "birads_overall": birads.get("overall"),
    }


def _pairs(groups: Iterable[Iterable[int]], mapping: Optional[Dict[int, int]] = None) -> Set[Tuple[int, int]]:
    pairs = set()
    for group in groups:
        members = sorted(mapping[i] for i in group if i in mapping) if mapping is not None else sorted(group)
        pairs.update(itertools.combinations(members, 2))
    return pairs


def score_findings(gold: Sequence[dict], predicted: Sequence[dict]) -> Dict[str, object]:
    """Per-field, report-level and lesion-grouping scores (docs/FINDINGS_FORMAT.md).

    gold (Sequence[dict]): Gold records (`read_findings_gold`).
    predicted (Sequence[dict]): Predicted records (`predicted_record`), the same ids.
    RETURNS (Dict[str, object]): {"findings": detection counts and P/R/F, "fields": per field
        {"accuracy", "n"} or {"p", "r", "f", "n"}, "report": per value {"accuracy", "n"},
        "lesions": pair counts and P/R/F}.
    """
    by_id = {record["id"]: record for record in predicted}
    missing = [record["id"] for record in gold if record["id"] not in by_id]
    if missing:
        raise MammoDataError(f"no prediction for {len(missing)} gold record(s)", record=missing[0])
    counts = {"gold": 0, "predicted": 0, "matched": 0}
    field_correct = {k: 0 for k in SCALAR_FIELDS}
    list_counts = {k: [0, 0, 0] for k in LIST_FIELDS}  # correct, predicted, gold
    report_correct = {k: 0 for k in REPORT_FIELDS}
    lesion_counts = {"gold_pairs": 0, "predicted_pairs": 0, "correct_pairs": 0}
    for record in gold:
        pred = by_id[record["id"]]
        matched = match_findings(record["findings"], pred["findings"])
        counts["gold"] += len(record["findings"])
        counts["predicted"] += len(pred["findings"])
        counts["matched"] += len(matched)
        for i, j in matched.items():
            g, p = record["findings"][i], pred["findings"][j]
            for key in SCALAR_FIELDS:
                field_correct[key] += _same(key, g[key], p.get(key))
            for key in LIST_FIELDS:
                gold_items, pred_items = list(g[key]), list(p.get(key) or [])
                common = sum(min(gold_items.count(v), pred_items.count(v)) for v in set(gold_items))
                list_counts[key][0] += common
                list_counts[key][1] += len(pred_items)
                list_counts[key][2] += len(gold_items)
        gold_report, pred_report = _report_values(record["report"]), _report_values(pred["report"])
        for key in REPORT_FIELDS:
            report_correct[key] += gold_report[key] == pred_report[key]
        inverse = {j: i for i, j in matched.items()}
        gold_pairs = _pairs([[i for i in group if i in matched] for group in record["lesions"]])
        pred_pairs = _pairs(pred["lesions"], inverse)
        lesion_counts["gold_pairs"] += len(gold_pairs)
        lesion_counts["predicted_pairs"] += len(pred_pairs)
        lesion_counts["correct_pairs"] += len(gold_pairs & pred_pairs)
    n = counts["matched"]
    fields: Dict[str, Dict[str, Optional[float]]] = {
        key: {"accuracy": field_correct[key] / n if n else None, "n": n} for key in SCALAR_FIELDS
    }
    for key, (correct, n_pred, n_gold) in list_counts.items():
        fields[key] = {**_prf(correct, n_pred, n_gold), "n": n_gold}
    reports = len(gold)
    return {
        "findings": {**counts, **_prf(counts["matched"], counts["predicted"], counts["gold"])},
        "fields": fields,
        "report": {k: {"accuracy": v / reports if reports else None, "n": reports} for k, v in report_correct.items()},
        "lesions": {
            **lesion_counts,
            **_prf(lesion_counts["correct_pairs"], lesion_counts["predicted_pairs"], lesion_counts["gold_pairs"]),
        },
    }


def _fmt(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.3f}"


def findings_table(scores: Dict[str, object]) -> str:
    """The scores of `score_findings` as a Markdown table (field, score, n).

    scores (Dict[str, object]): The scores.
    RETURNS (str): The table.
    """
    rows: List[Tuple[str, str, str, object]] = []
    found = scores["findings"]
    rows.append(("finding heads", "F1", _fmt(found["f"]), found["gold"]))
    for key, value in scores["fields"].items():
        if key in LIST_FIELDS:
            rows.append((key, "F1", _fmt(value["f"]), value["n"]))
        else:
            rows.append((key, "accuracy", _fmt(value["accuracy"]), value["n"]))
    for key, value in scores["report"].items():
        rows.append((f"report {key}", "accuracy", _fmt(value["accuracy"]), value["n"]))
    lesions = scores["lesions"]
    rows.append(("same lesion (pairs)", "F1", _fmt(lesions["f"]), lesions["gold_pairs"]))
    lines = ["| field | measure | score | n |", "|---|---|---:|---:|"]
    lines += [f"| {name} | {measure} | {score} | {n} |" for name, measure, score, n in rows]
    return "\n".join(lines)
