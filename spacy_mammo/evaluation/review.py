"""Review page: `python -m spacy mammo review INPUT --model PATH --out review.html`.

One self-contained HTML page (inline styles, no external resources) for a
reviewer: per report, the entities highlighted by displaCy (a colour per label;
negated entities hatched with a "neg" suffix, uncertain ones dotted with "?"),
the report-level composition and BI-RADS, and a table of the findings. The page
contains report text by design: it is patient data.
"""

import html
import warnings
from itertools import islice
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple, Union

import pandas as pd
from spacy import displacy
from spacy.tokens import Doc

from ..assemble import load_pipeline
from ..batch.inputs import DEFAULT_CHUNKSIZE, MAX_TEXT_CHARS, RecordChecker, iter_input
from ..labels import LABELS
from ..rules.lesions import ATTRIBUTE_KEYS
from .evaluate import write_text_atomic

PathLike = Union[str, Path]
LABEL_COLORS: Dict[str, str] = {
    "COMPOSITION": "#d9d9d9",
    "LATERALITY": "#aee3f5",
    "LOCATION": "#9fd8c8",
    "DISTANCE": "#c7e9b4",
    "SIZE": "#fde68a",
    "MASS": "#fca5a5",
    "CALCIFICATION": "#f9a8d4",
    "ASYMMETRY": "#fdba74",
    "DISTORTION": "#f87171",
    "OTHER_FINDING": "#e9d5ff",
    "SHAPE": "#bfdbfe",
    "MARGIN": "#a5b4fc",
    "MASS_DENSITY": "#ddd6fe",
    "CALC_MORPHOLOGY": "#fbcfe8",
    "CALC_DISTRIBUTION": "#f5d0fe",
    "ASSOCIATED_FEATURE": "#fed7aa",
    "BIRADS": "#86efac",
}
NEG_SUFFIX = " neg"
UNCERTAIN_SUFFIX = " ?"
FINDING_TABLE_COLUMNS = ["text", "type", "negated", "uncertain", *ATTRIBUTE_KEYS, "section"]
PAGE_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em; color: #222; }
.warning { background: #fff4e5; border: 1px solid #f0b429; padding: 0.6em 1em; }
.legend span.swatch { display: inline-block; padding: 0.2em 0.5em; margin: 0.2em; border-radius: 0.3em;
  font-size: 0.85em; font-weight: bold; }
section.report { border-top: 2px solid #ccc; margin-top: 1.5em; padding-top: 0.5em; }
section.report h2 { font-size: 1.1em; margin: 0.3em 0; }
p.summary { margin: 0.2em 0 0.8em; }
table.findings { border-collapse: collapse; font-size: 0.85em; margin-top: 0.8em; }
table.findings th, table.findings td { border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left; }
table.findings th { background: #f0f0f0; }
"""


def _hatched(color: str) -> str:
    return f"repeating-linear-gradient(45deg, {color}, {color} 6px, #ffffff 6px, #ffffff 9px)"


def _dotted(color: str) -> str:
    return f"radial-gradient(rgba(0, 0, 0, 0.4) 18%, transparent 21%) 0 0 / 7px 7px, {color}"


def label_colors() -> Dict[str, str]:
    """displaCy colours: one per label, hatched for negated, dotted for uncertain.

    RETURNS (Dict[str, str]): Display label to CSS background.
    """
    colors = dict(LABEL_COLORS)
    for label, color in LABEL_COLORS.items():
        colors[label + NEG_SUFFIX] = _hatched(color)
        colors[label + UNCERTAIN_SUFFIX] = _dotted(color)
    return colors


def display_label(span) -> str:
    """The label shown for an entity: "MASS", "MASS neg" or "MASS ?"."""
    if span._.negated:
        return span.label_ + NEG_SUFFIX
    if span._.uncertain:
        return span.label_ + UNCERTAIN_SUFFIX
    return span.label_


def render_entities(doc: Doc) -> str:
    """displaCy entity markup of a doc with negation and uncertainty in the labels.

    doc (Doc): A processed doc.
    RETURNS (str): HTML (text escaped by displaCy).
    """
    parsed = displacy.parse_ents(doc)
    for ent, span in zip(parsed["ents"], doc.ents):
        ent["label"] = display_label(span)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W006\]")  # a report without entities is normal
        return displacy.render(parsed, style="ent", manual=True, page=False, options={"colors": label_colors()})


def findings_table(doc: Doc) -> str:
    """The findings of a doc as an HTML table (escaped), one row per finding.

    doc (Doc): A doc with `doc._.findings`.
    RETURNS (str): The table, or a paragraph when there are none.
    """
    findings = doc._.findings or []
    if not findings:
        return '<p class="no-findings">No findings.</p>'
    rows = []
    for finding in findings:
        row = {**finding, "text": doc.text[finding["start_char"] : finding["end_char"]]}
        rows.append({c: "; ".join(map(str, v)) if isinstance(v, list) else v for c, v in row.items()})
    frame = pd.DataFrame(rows, columns=FINDING_TABLE_COLUMNS).fillna("")
    frame = frame.loc[:, [c for c in frame.columns if c in ("text", "type") or (frame[c] != "").any()]]
    return frame.to_html(index=False, escape=True, classes="findings", border=0)


def report_summary_html(doc: Doc) -> str:
    """Composition and BI-RADS per breast as one escaped line."""
    report = doc._.report or {}
    birads = report.get("birads") or {}
    parts = [f"Composition: <b>{html.escape(str(report.get('composition') or '-'))}</b>"]
    for side in ("right", "left", "overall"):
        parts.append(f"BI-RADS {side}: <b>{html.escape(str(birads.get(side) or '-'))}</b>")
    return '<p class="summary">' + " &middot; ".join(parts) + "</p>"


def legend_html() -> str:
    """The colour legend: the 17 labels, then a negated and an uncertain example."""
    items = [f'<span class="swatch" style="background: {LABEL_COLORS[label]}">{label}</span>' for label in LABELS]
    items.append(
        f'<span class="swatch negated" style="background: {_hatched("#fca5a5")}">MASS{NEG_SUFFIX}</span> = negated'
    )
    items.append(
        f'<span class="swatch uncertain" style="background: {_dotted("#fca5a5")}">'
        f"MASS{UNCERTAIN_SUFFIX}</span> = uncertain"
    )
    return '<div class="legend"><h2>Legend</h2>' + " ".join(items) + "</div>"


def render_review(
    reports: Iterable[Tuple[str, Doc]], *, title: str = "Mammography report review", note: Optional[str] = None
) -> str:
    """A self-contained HTML review page.

    reports (Iterable[Tuple[str, Doc]]): (id, processed doc) pairs.
    title (str): The page title.
    note (Optional[str]): A line under the title (e.g. the model and counts).
    RETURNS (str): The HTML page.
    """
    sections = []
    for i, (report_id, doc) in enumerate(reports, 1):
        sections.append(
            f'<section class="report" id="report-{i}">'
            f"<h2>{i}. {html.escape(report_id)}</h2>"
            f"{report_summary_html(doc)}{render_entities(doc)}{findings_table(doc)}</section>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        + (f'<p class="note">{html.escape(note)}</p>' if note else "")
        + '<p class="warning">This page contains report text (patient data). Do not share it outside the '
        "review.</p>" + legend_html() + "".join(sections) + "</body></html>\n"
    )


def review_file(
    input_path: PathLike,
    model: PathLike,
    out: PathLike,
    *,
    limit: int = 200,
    id_column: str = "id",
    text_column: str = "text",
) -> Tuple[int, int]:
    """Write the review page of the first `limit` valid reports of an input.

    input_path (PathLike): CSV, Parquet, JSONL or a folder of .txt files (as for `extract`).
    model (PathLike): A mammo_ner pipeline.
    out (PathLike): The .html file, written atomically.
    limit (int): Reports on the page.
    id_column (str): CSV/Parquet id column.
    text_column (str): CSV/Parquet text column.
    RETURNS (Tuple[int, int]): (reports shown, reports skipped as invalid).
    """
    nlp = load_pipeline(model)
    checker = RecordChecker(max_chars=MAX_TEXT_CHARS)
    records = map(
        checker, iter_input(input_path, id_column=id_column, text_column=text_column, chunksize=DEFAULT_CHUNKSIZE)
    )
    skipped: List[str] = []

    def valid() -> Iterable[Tuple[str, str]]:
        for record in records:
            if record.processable:
                yield record.text, record.id
            else:
                skipped.append(record.problem or "")

    pairs = [(report_id, doc) for doc, report_id in nlp.pipe(islice(valid(), limit), as_tuples=True)]
    meta = nlp.meta
    note = f"Model {meta.get('name', '?')} {meta.get('version', '')}; {len(pairs)} reports"
    if skipped:
        note += f"; {len(skipped)} invalid input records skipped (see `extract` for the errors file)"
    write_text_atomic(Path(out), render_review(pairs, note=note))
    return len(pairs), len(skipped)
