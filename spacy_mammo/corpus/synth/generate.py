"""Report assembly: one report from a random state, a corpus from a seed, JSONL output."""

import json
import random
import re
from pathlib import Path
from typing import List, Sequence, Tuple, Union

from ...io import atomic_open
from .findings import Generator
from .literature import report_literature
from .mri import report_mri
from .narrative import report_narrative
from .noise import add_noise, hard_wrap
from .procedures import report_procedure
from .reports import (
    report_british,
    report_diagnostic,
    report_implants,
    report_lumpectomy,
    report_male,
    report_screening,
)
from .sections import signature
from .studies import report_study
from .styles import report_checklist, report_table, report_template, report_terse
from .template import assemble, tidy_keep, txt
from .ultrasound import report_ultrasound

REPORT_TYPES = (
    (report_screening, 26),
    (lambda g: report_diagnostic(g, "palpable"), 10),
    (lambda g: report_diagnostic(g, "callback"), 12),
    (lambda g: report_diagnostic(g, "followup"), 5),
    (lambda g: report_diagnostic(g, "known"), 5),
    (lambda g: report_diagnostic(g, "postbiopsy"), 3),
    (report_lumpectomy, 5),
    (report_implants, 4),
    (report_male, 2),
    (report_terse, 12),
    (report_template, 6),
    (report_table, 4),
    (report_british, 5),
    (report_procedure, 9),
    (report_ultrasound, 7),
    (report_mri, 6),
    (report_narrative, 8),
    (report_literature, 10),
    (report_study, 7),
    (report_checklist, 3),
)


def _length(text: str) -> int:
    return len(re.findall(r"\w+|[^\w\s]", text))


def generate_report(rng: random.Random) -> Tuple[str, List[dict]]:
    """Generate one annotated report.

    rng (random.Random): Random state; the only source of randomness.
    RETURNS (Tuple[str, List[dict]]): The text and its spans.
    """
    g = Generator(rng)
    builders, weights = zip(*REPORT_TYPES)
    builder = rng.choices(builders, weights=weights)[0]
    report, _ = builder(g)
    pieces = list(report.pieces)
    if g.p(0.55):
        pieces += [txt(g.pick(("\n\n", "\n\n", "\n", "\n\n\n")))] + signature(g)
    if g.p(0.04):
        pieces.append(txt(g.pick(("\n", " ", "  \n"))))
    pieces, glued = add_noise(g, pieces)
    if g.p(0.07) and not glued:
        upper = [(t.upper(), label, neg) for t, label, neg in pieces]
        if all(len(a[0]) == len(b[0]) for a, b in zip(upper, pieces)):
            pieces = upper
    text, spans = assemble(tidy_keep(pieces))
    if g.p(0.15):
        text = hard_wrap(text, spans, g.rng.randint(60, 80))
    return text, spans


def generate_reports(n: int, seed: int) -> List[dict]:
    """Generate `n` annotated synthetic reports, deterministic for a seed.

    n (int): Number of reports.
    seed (int): Random seed.
    RETURNS (List[dict]): Records `{"id", "text", "spans"}` as in the guidelines' JSONL format.
    """
    rng = random.Random(seed)
    records = []
    for i in range(n):
        for _ in range(20):
            text, spans = generate_report(rng)
            if 20 <= _length(text) <= 600:
                break
        records.append({"id": f"synth-{i + 1:06d}", "text": text, "spans": spans})
    return records


def write_jsonl(records: Sequence[dict], path: Union[str, Path]) -> None:
    """Write records as JSONL atomically (temp file in the same folder, then rename).

    records (Sequence[dict]): The records.
    path (Union[str, Path]): Output file.
    """
    with atomic_open(path, "w", encoding="utf8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
