"""The `review` command: page structure (parsed with html.parser) and a render
in headless Chromium."""

import json
import os
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy
import pytest

from spacy_mammo.assemble import load_pipeline
from spacy_mammo.evaluation.review import NEG_SUFFIX
from spacy_mammo.labels import LABELS

from ..conftest import REPORTS, invoke_cli, parse_markup

CHROMIUM = Path("/usr/bin/chromium")
TEXTS = [parse_markup(marked)[0] for marked in REPORTS]


@pytest.fixture(scope="module")
def model_dir(trained_nlp, tmp_path_factory):
    path = tmp_path_factory.mktemp("review") / "model"
    trained_nlp.to_disk(path)
    return path


class PageParser(HTMLParser):
    """Collects, per report section: entity labels, findings-table rows, headings."""

    def __init__(self):
        super().__init__()
        self.sections, self.legend, self.stack, self.tags = [], [], [], set()
        self.entity_text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        self.tags.add(tag)
        if tag == "section" and "report" in classes:
            self.sections.append({"labels": [], "rows": 0, "title": "", "summary": "", "html_tags_in_text": 0})
        if tag not in ("br", "meta"):
            self.stack.append((tag, classes))
        if self.sections and tag == "tr" and any(t == "tbody" for t, _ in self.stack):
            self.sections[-1]["rows"] += 1
        if self.sections and tag == "b" and any("entities" in c for _, c in self.stack):
            self.sections[-1]["html_tags_in_text"] += 1

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        inside = [tag for tag, _ in self.stack] or [""]
        classes = [c for _, cs in self.stack for c in cs]
        if "legend" in classes and inside[-1] == "span":
            self.legend.append(data.strip())
        if not self.sections:
            return
        section = self.sections[-1]
        if inside[-1] == "span" and "mark" in inside:
            section["labels"].append(data.strip())
        elif inside[-1] == "h2":
            section["title"] += data
        elif "summary" in classes:
            section["summary"] += data
        elif "entities" in classes:
            self.entity_text.append(data)


@pytest.fixture(scope="module")
def page(model_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("review_page")
    records = [{"id": f"r{i}", "text": TEXTS[i]} for i in (0, 1, 3)]
    records.insert(1, {"id": "bad", "text": None})
    records.append({"id": "<script>x", "text": "A <b>bold</b> mass in the right breast."})
    records.append({"id": "beyond-limit", "text": TEXTS[4]})
    (folder / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = folder / "review.html"
    result = invoke_cli("review", folder / "in.jsonl", "--model", model_dir, "--out", out, "--limit", 4)
    assert result.exit_code == 0
    assert "reports: 4 shown, 1 invalid skipped" in result.stdout
    return out, [r for r in records if r["text"] is not None][:4]


def test_review_page_structure(page, model_dir):
    out, records = page
    html_text = out.read_text(encoding="utf-8")
    parser = PageParser()
    parser.feed(html_text)
    assert "script" not in parser.tags and "http://" not in html_text and "https://" not in html_text
    assert "patient data" in html_text
    assert [s["title"] for s in parser.sections] == [f"{i}. {r['id']}" for i, r in enumerate(records, 1)]
    assert all(label in parser.legend for label in LABELS)
    nlp = load_pipeline(model_dir)
    for section, record in zip(parser.sections, records):
        doc = nlp(record["text"])
        expected = [e.label_ + (NEG_SUFFIX if e._.negated else " ?" if e._.uncertain else "") for e in doc.ents]
        assert section["labels"] == expected
        assert section["rows"] == len(doc._.findings)
        overall = doc._.report["birads"]["overall"] or "-"
        assert f"BI-RADS overall: {overall}" in section["summary"]
    negated = parser.sections[1]["labels"]
    assert "MASS" + NEG_SUFFIX in negated and "BIRADS" in negated
    assert "BI-RADS overall: 1" in parser.sections[1]["summary"]
    # The text is escaped: "<b>" in a report stays text, never markup.
    assert parser.sections[3]["html_tags_in_text"] == 0
    assert "<b>bold" in "".join(parser.entity_text)


def test_review_renders_in_headless_chromium(page, tmp_path):
    matplotlib_image = pytest.importorskip(
        "matplotlib.image", reason='reading the screenshot needs the train extra: pip install "spacy-mammo[train]"'
    )
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing on CI (apt-get install -y chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")
    out, _ = page
    png = tmp_path / "review.png"
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--screenshot={png}",
            "--window-size=1200,1600",
            out.resolve().as_uri(),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    image = matplotlib_image.imread(png)
    assert image.shape[:2] == (1600, 1200)
    colors = numpy.unique(image[..., :3].reshape(-1, 3), axis=0)
    assert len(colors) > 20  # text, label colours and hatching, not a blank page
    label_pixels = numpy.all(numpy.abs(image[..., :3] - numpy.array([0xFC, 0xA5, 0xA5]) / 255) < 0.02, axis=-1)
    assert label_pixels.sum() > 100  # the MASS colour is on the page
