"""Style checks of the package that need the [dev] extra."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_ner(request):
    pytest.importorskip("mypy", reason="needs the [dev] extra")
    # pytest's cache keeps mypy's between runs: a cold check takes ~10x as long.
    cache = request.config.cache.mkdir("mypy")
    args = [sys.executable, "-m", "mypy", "--config-file", "pyproject.toml", "--cache-dir", str(cache)]
    result = subprocess.run([*args, "spacy_mammo/ner"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
