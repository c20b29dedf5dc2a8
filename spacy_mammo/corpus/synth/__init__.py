"""Synthetic annotated mammography reports (annotation guidelines v1.2).

One module per part of a report: `template` (pieces and the template language), `vocabulary`, `surface`
(sides, positions, sizes, categories), `findings`, `sections`, `statements` (composition, negatives, benign
findings, ultrasound), `reports` (prose report types), `styles` (terse, templates, tables), `noise`, and
`generate` (assembly, corpus, JSONL, command line).

Command line: `python -m spacy_mammo synth --n N --seed S --out FILE.jsonl`.
"""

from .generate import cli_main, generate_report, generate_reports, write_jsonl

__all__ = ["cli_main", "generate_report", "generate_reports", "write_jsonl"]
