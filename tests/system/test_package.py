"""`spacy package` turns a trained mammo_ner pipeline into a wheel that requires
spacy-mammo, carries the shipped evaluation and model card in its metadata, and
loads in a fresh virtualenv (the plugin found by entry points, no --code)."""

import json
import re
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import spacy

from spacy_mammo.evaluation import package_meta
from spacy_mammo.evaluation.evaluate import evaluate, examples_from_records

from ..conftest import REPORTS, parse_markup

NAME, VERSION = "mammo_ner_test", "0.0.1"
# spacy package prefixes the language: the installed package is en_mammo_ner_test.
PACKAGE = f"en_{NAME}"
URL = "https://example.org/spacy-mammo"


def run(args, **kwargs):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result


def venv_seeing_this_environment(venv):
    """A new venv whose own site-packages come first, then the running environment's.

    `--system-site-packages` would give the *base* interpreter's site-packages,
    which lack the project's dependencies when the tests run inside a venv (as in
    CI). A .pth line starting with `import` runs `site.addsitedir` for each site
    dir of this interpreter, so their own .pth files (the editable install of
    spacy_mammo) are processed too, which a plain path line would not do.
    """
    run([sys.executable, "-m", "venv", venv])
    python = venv / "bin" / "python"
    own = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    dirs = site.getsitepackages() + ([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])
    (Path(own) / "_running_env.pth").write_text(
        "import site; " + "; ".join(f"site.addsitedir({d!r})" for d in dirs) + "\n", encoding="utf-8"
    )
    return python


def write_metrics(nlp, reports, path):
    """The `evaluate` command's metrics JSON for the marked-up reports."""
    records = [
        {
            "id": str(i),
            "text": text,
            "spans": [{"start": s, "end": e, "label": lab, "negated": neg} for s, e, lab, neg in spans],
        }
        for i, (text, spans) in enumerate(parse_markup(marked) for marked in reports)
    ]
    metrics = evaluate(nlp, examples_from_records(nlp, records))
    path.write_text(json.dumps(metrics), encoding="utf-8")
    return metrics


@pytest.fixture(scope="module")
def built(trained_nlp, tmp_path_factory):
    """The wheel of the tiny pipeline plus negation, packaged as project.yml's package step does."""
    tmp_path = tmp_path_factory.mktemp("package")
    trained_nlp.to_disk(tmp_path / "trained")
    nlp = spacy.load(tmp_path / "trained")
    nlp.add_pipe("mammo_negation")
    model_dir = tmp_path / "model"
    nlp.to_disk(model_dir)
    evaluations = {
        "synthetic_test": write_metrics(nlp, REPORTS[:3], tmp_path / "test.json"),
        "independent_blind": write_metrics(nlp, REPORTS[3:], tmp_path / "blind.json"),
    }
    packages = tmp_path / "packages"
    run(
        [
            sys.executable,
            "-m",
            "spacy_mammo.evaluation.package_meta",
            model_dir,
            "--name",
            NAME,
            "--version",
            VERSION,
            "--evaluation",
            f"synthetic_test={tmp_path / 'test.json'}",
            "--evaluation",
            f"independent_blind={tmp_path / 'blind.json'}",
            "--meta-out",
            packages / "meta.json",
            "--readme-out",
            packages / f"{PACKAGE}-{VERSION}" / "README.md",
            f"--url={URL}",
        ]
    )
    run(
        [
            sys.executable,
            "-m",
            "spacy",
            "package",
            model_dir,
            packages,
            "--meta-path",
            packages / "meta.json",
            "--name",
            NAME,
            "--version",
            VERSION,
            "--build",
            "wheel",
        ]
    )
    (wheel,) = packages.glob(f"{PACKAGE}-{VERSION}/dist/*.whl")
    return wheel, evaluations


def wheel_metadata(wheel):
    """(headers, body) of the wheel's METADATA, and its packaged meta.json."""
    with zipfile.ZipFile(wheel) as archive:
        (metadata_name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = archive.read(metadata_name).decode("utf-8")
        (meta_name,) = [n for n in archive.namelist() if n.endswith(f"{PACKAGE}/meta.json")]
        meta = json.loads(archive.read(meta_name))
    headers, _, body = metadata.partition("\n\n")
    return headers.splitlines(), body, meta


@pytest.mark.slow
def test_wheel_metadata_and_model_card_hold_the_shipped_evaluation(built):
    wheel, evaluations = built
    headers, readme, meta = wheel_metadata(wheel)
    fields = dict(line.split(": ", 1) for line in headers if ": " in line and not line.startswith("Requires-Dist"))
    assert fields["Summary"] == package_meta.description(None)
    assert fields["Author"] == "spacy-mammo contributors"
    assert fields["License"] == "MIT"
    assert fields.get("Home-page", fields.get("Project-URL", "")).endswith(URL)
    expected = package_meta.performance(evaluations)
    assert set(meta["performance"]) == set(expected)
    scalars = {key: value for key, value in expected.items() if not isinstance(value, dict)}
    # spacy package writes meta.json with 10 significant digits.
    assert {key: meta["performance"][key] for key in scalars} == pytest.approx(scalars, rel=1e-8)
    assert "independent_blind_neg_acc" in scalars
    assert not any(key.startswith("ents_") for key in meta["performance"])  # spacy train's dev scores are gone
    assert [source["name"] for source in meta["sources"]] == [source["name"] for source in package_meta.SOURCES]
    # The model card: training data, intended use, limits, weak labels, the numbers.
    assert "## Model card" in readme
    for phrase in ("Synthetic only", "Intended use", "Never validated on real patient reports", "Known weak labels"):
        assert phrase in readme, phrase
    blind = evaluations["independent_blind"]
    assert "| `independent_blind` |" in readme and f"{100 * blind['ents_f']:.2f}" in readme
    assert f"({blind['negation']['correct']}/{blind['negation']['matched']})" in readme


@pytest.mark.slow
def test_package_wheel_installs_and_loads_in_a_fresh_venv(built, trained_nlp, tmp_path):
    wheel, _ = built
    # spaCy adds the plugin because the config's factories and architectures
    # resolve to the installed spacy_mammo module (entry points).
    headers, _, _ = wheel_metadata(wheel)
    requires = [line.split(":", 1)[1].strip() for line in headers if line.startswith("Requires-Dist:")]
    names = [re.split(r"[\s<>=!~;\[(]", req, maxsplit=1)[0].lower().replace("_", "-") for req in requires]
    assert "spacy-mammo" in names, requires

    venv = tmp_path / "venv"
    python = venv_seeing_this_environment(venv)
    run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check", wheel])
    text = parse_markup(REPORTS[0])[0]
    script = (
        "import json, spacy; "
        f"nlp = spacy.load({PACKAGE!r}); "
        f"doc = nlp({text!r}); "
        "print(json.dumps({'path': str(spacy.util.get_package_path("
        f"{PACKAGE!r})), 'ents': [[e.start_char, e.end_char, e.label_] for e in doc.ents]}}))"
    )
    result = run([python, "-c", script], cwd=tmp_path)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["path"].startswith(str(venv))
    expected = [[e.start_char, e.end_char, e.label_] for e in trained_nlp(text).ents]
    assert expected and loaded["ents"] == expected
