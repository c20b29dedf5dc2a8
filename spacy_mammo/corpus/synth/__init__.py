"""Synthetic annotated mammography reports (annotation guidelines v1.3).

One module per part of a report: `template` (pieces and the template language), `vocabulary`, `surface`
(sides, positions, sizes, categories), `findings`, `history` (clinical histories), `sections` (headings,
header, comparison, technique, recommendation), `assessment` (assessment lines), `statements` (composition,
negatives, benign findings), `ultrasound`, `mri`, `procedures` (biopsies, localizations, clips), `reports`
(prose mammography reports), `styles` (terse, templates, tables, checklists), `narrative` (case reports and
teaching files), `noise` (typos, dictation slips, hard wrapping), and `generate` (assembly, corpus, JSONL,
command line).

Command line: `python -m spacy_mammo synth --n N --seed S --out FILE.jsonl`.
"""

from .generate import generate_report, generate_reports, write_jsonl

__all__ = ["generate_report", "generate_reports", "write_jsonl"]
