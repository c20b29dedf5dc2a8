"""`spacy package` turns a trained mammo_ner pipeline into a wheel that requires
spacy-mammo and loads in a fresh virtualenv (the plugin found by entry points,
no --code)."""
import json
import re
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ..conftest import REPORTS, parse_markup

NAME, VERSION = "mammo_ner_test", "0.0.1"
# spacy package prefixes the language: the installed package is en_mammo_ner_test.
PACKAGE = f"en_{NAME}"


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


@pytest.mark.slow
def test_package_wheel_installs_and_loads_in_a_fresh_venv(trained_nlp, tmp_path):
    model_dir = tmp_path / "model"
    trained_nlp.to_disk(model_dir)
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    meta.update(name=NAME, version=VERSION)
    (model_dir / "meta.json").write_text(json.dumps(meta), encoding="utf-8")

    packages = tmp_path / "packages"
    packages.mkdir()
    run([sys.executable, "-m", "spacy", "package", model_dir, packages, "--name", NAME, "--version", VERSION,
         "--build", "wheel"])
    (wheel,) = packages.glob(f"{PACKAGE}-{VERSION}/dist/*.whl")

    # spaCy adds the plugin because the config's factories and architectures
    # resolve to the installed spacy_mammo module (entry points).
    with zipfile.ZipFile(wheel) as archive:
        (metadata_name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = archive.read(metadata_name).decode("utf-8")
    requires = [line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
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
        "print(doc.ents); "
        "print(json.dumps({'path': str(spacy.util.get_package_path("
        f"{PACKAGE!r})), 'ents': [[e.start_char, e.end_char, e.label_] for e in doc.ents]}}))"
    )
    result = run([python, "-c", script], cwd=tmp_path)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["path"].startswith(str(venv))
    expected = [[e.start_char, e.end_char, e.label_] for e in trained_nlp(text).ents]
    assert expected and loaded["ents"] == expected
