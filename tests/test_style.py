"""Style checks of the package: imports only run downwards through the layers;
the type check (mypy) and the lint (ruff) need the [dev] extra."""

import ast
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "spacy_mammo"

# Each top-level module or subpackage of spacy_mammo, by layer (low to high); "" is the
# package's own __init__. A module may import its own layer and the layers below.
LAYERS = {
    **dict.fromkeys(["", "labels", "errors", "io", "extensions", "extras", "tokenizer"], 0),
    **dict.fromkeys(["ner", "rules", "corpus", "training"], 1),
    **dict.fromkeys(["evaluation", "batch", "assemble"], 2),
    **dict.fromkeys(["cli", "__main__"], 3),
}
# Imports within a layer that are still forbidden: the data never depends on training.
FORBIDDEN = {"corpus": {"training"}}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.AST, module: str, is_package: bool) -> List[str]:
    """The absolute names an import statement imports (of any package)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - node.level + 1]
        name = ".".join(base + ([node.module] if node.module else []))
    else:
        name = node.module or ""
    # `from . import x` and `from spacy_mammo import x` may import the module x.
    if name == PACKAGE.name:
        return [f"{name}.{alias.name}" for alias in node.names]
    return [name]


def layer_violations(path: Path, source: str) -> List[str]:
    """One message per import in `source` (the file at `path` in the package) that
    imports a higher layer or a forbidden neighbour; imports inside functions count.
    """
    module = _module_name(path)
    unit = module.split(".")[1] if "." in module else ""
    messages = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        for name in _imported(node, module, path.name == "__init__.py"):
            parts = name.split(".")
            if parts[0] != PACKAGE.name:
                continue
            target = parts[1] if len(parts) > 1 else ""
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            if unit not in LAYERS:
                messages.append(f"{where}: spacy_mammo.{unit} has no layer; add it to LAYERS in tests/test_style.py")
            elif target not in LAYERS:
                messages.append(f"{where} imports {name}, which has no layer; add it to LAYERS in tests/test_style.py")
            elif target != unit and (LAYERS[target] > LAYERS[unit] or target in FORBIDDEN.get(unit, ())):
                messages.append(
                    f"{where} imports {name}: {unit or 'spacy_mammo'} (layer {LAYERS[unit]}) "
                    f"must not import {target} (layer {LAYERS[target]})"
                )
    return messages


def all_layer_violations() -> List[str]:
    violations = []
    for path in sorted(PACKAGE.rglob("*.py")):
        violations += layer_violations(path, path.read_text(encoding="utf-8"))
    return violations


def test_imports_only_run_downwards():
    # In a fresh interpreter: CPython 3.11's ast.parse can fail with "AST constructor recursion depth
    # mismatch" on large files in a process where an earlier test ran into a RecursionError.
    code = "from tests.test_style import all_layer_violations; print('\\n'.join(all_layer_violations()))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", result.stdout


@pytest.mark.parametrize(
    "path,source,expected",
    [
        ("rules/negation.py", "def f():\n    from ..batch.run import run\n", "rules (layer 1) must not import batch"),
        ("ner/__init__.py", "from ..cli import app\n", "ner (layer 1) must not import cli"),
        ("corpus/readers.py", "import spacy_mammo.training.curriculum\n", "corpus (layer 1) must not import training"),
        ("labels.py", "from . import tokenizer, assemble\n", "labels (layer 0) must not import assemble"),
        ("rules/layout.py", "from ..labels import LABELS\nfrom .spans import x\nimport spacy\n", None),
    ],
)
def test_layer_check_finds_upward_imports(path, source, expected):
    violations = layer_violations(PACKAGE / path, source)
    if expected is None:
        assert violations == []
    else:
        assert len(violations) == 1 and expected in violations[0], violations


@pytest.mark.parametrize("package", ["ner", "batch"])
def test_mypy(request, package):
    pytest.importorskip("mypy", reason="needs the [dev] extra")
    # pytest's cache keeps mypy's between runs: a cold check takes ~10x as long.
    cache = request.config.cache.mkdir("mypy")
    args = [sys.executable, "-m", "mypy", "--config-file", "pyproject.toml", "--cache-dir", str(cache)]
    result = subprocess.run([*args, f"spacy_mammo/{package}"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff(command):
    pytest.importorskip("ruff", reason="needs the [dev] extra")
    # The settings are pyproject.toml's [tool.ruff]; no cache, so that nothing is written to the tree.
    args = [sys.executable, "-m", "ruff", *command, "--no-cache", "spacy_mammo", "tests", "benchmarks"]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
