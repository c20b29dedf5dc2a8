#!/usr/bin/env python3
"""Validate assets/real_dev/{open,blind}/reports.jsonl, or the span files given (stdlib only).

Checks: one JSON object per line, unique ids (across both files), offsets in
range, spans sorted without overlap, no span crossing a line break, no
leading/trailing whitespace inside a span, labels among the 17 of the
annotation guidelines, `negated` only on the labels that allow it.
Prints span counts per label for each file. Exit status 1 on any error.

Usage: python3 assets/real_dev/check.py [FILE.jsonl ...]
   (e.g. python3 assets/real_dev/check.py assets/real_abstracts/open/reports.jsonl)
"""
import collections
import json
import os
import sys

LABELS = {
    "COMPOSITION", "LATERALITY", "LOCATION", "DISTANCE", "SIZE", "MASS",
    "CALCIFICATION", "ASYMMETRY", "DISTORTION", "OTHER_FINDING", "SHAPE",
    "MARGIN", "MASS_DENSITY", "CALC_MORPHOLOGY", "CALC_DISTRIBUTION",
    "ASSOCIATED_FEATURE", "BIRADS",
}
# Finding labels may be negated; descriptors may be negated only as part of a
# negated noun phrase; these never may.
NEVER_NEGATED = {"LATERALITY", "LOCATION", "DISTANCE", "SIZE", "COMPOSITION", "BIRADS"}
HERE = os.path.dirname(os.path.abspath(__file__))
FILES = [os.path.join(HERE, "open", "reports.jsonl"), os.path.join(HERE, "blind", "reports.jsonl")]


def check_file(path, seen_ids, errors):
    counts = collections.Counter()
    n_docs = 0
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            where = f"{os.path.relpath(path, HERE)}:{lineno}"
            if not line.strip():
                errors.append(f"{where}: empty line")
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: invalid JSON ({e})")
                continue
            if not isinstance(doc, dict):
                errors.append(f"{where}: not a JSON object")
                continue
            n_docs += 1
            doc_id = doc.get("id")
            text = doc.get("text")
            spans = doc.get("spans")
            if not isinstance(doc_id, str) or not doc_id:
                errors.append(f"{where}: missing id")
            elif doc_id in seen_ids:
                errors.append(f"{where}: duplicate id {doc_id}")
            else:
                seen_ids.add(doc_id)
            if not isinstance(text, str) or not text:
                errors.append(f"{where}: missing text")
                continue
            if not isinstance(spans, list):
                errors.append(f"{where}: spans is not a list")
                continue
            prev_end = -1
            for k, s in enumerate(spans):
                sw = f"{where} span {k}"
                if not isinstance(s, dict):
                    errors.append(f"{sw}: not an object")
                    continue
                start, end, label = s.get("start"), s.get("end"), s.get("label")
                neg = s.get("negated", False)
                if not (isinstance(start, int) and isinstance(end, int)):
                    errors.append(f"{sw}: start/end not integers")
                    continue
                if not (0 <= start < end <= len(text)):
                    errors.append(f"{sw}: offsets out of range ({start}, {end})")
                    continue
                if start < prev_end:
                    errors.append(f"{sw}: overlaps or is out of order (starts {start} < previous end {prev_end})")
                prev_end = max(prev_end, end)
                surface = text[start:end]
                if "\n" in surface or "\r" in surface:
                    errors.append(f"{sw}: crosses a line break: {surface!r}")
                if surface != surface.strip():
                    errors.append(f"{sw}: leading/trailing whitespace: {surface!r}")
                if label not in LABELS:
                    errors.append(f"{sw}: unknown label {label!r}")
                if not isinstance(neg, bool):
                    errors.append(f"{sw}: negated is not a boolean")
                elif neg and label in NEVER_NEGATED:
                    errors.append(f"{sw}: label {label} may not be negated")
                counts[label] += 1
    return n_docs, counts


def main(paths=None):
    errors = []
    seen = set()
    total = collections.Counter()
    for path in paths or FILES:
        if not os.path.exists(path):
            errors.append(f"missing file {path}")
            continue
        n, counts = check_file(path, seen, errors)
        total.update(counts)
        print(f"{os.path.relpath(path, HERE)}: {n} texts, {sum(counts.values())} spans")
        for label in sorted(LABELS):
            print(f"  {label:20s} {counts.get(label, 0):4d}")
    print(f"all: {len(seen)} texts, {sum(total.values())} spans")
    if errors:
        print(f"\n{len(errors)} error(s):")
        for e in errors:
            print("  " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main([os.path.abspath(p) for p in sys.argv[1:]]))
