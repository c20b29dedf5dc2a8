"""The `mammo` commands as a typer app inside spaCy's CLI: registration (the spacy_cli
entry point), help, the exit codes 0 / 1 (data error) / 2 (usage error), and
options that map one to one onto the package functions that do the work."""

import configparser
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from spacy_mammo.assemble import assemble
from spacy_mammo.batch.run import ExtractOptions, extract_file
from spacy_mammo.cli import app
from spacy_mammo.cli.assemble import assemble_cli
from spacy_mammo.cli.convert import convert_cli
from spacy_mammo.cli.evaluate import evaluate_cli
from spacy_mammo.cli.extract import extract_cli
from spacy_mammo.cli.plot import plot_cli
from spacy_mammo.cli.review import review_cli
from spacy_mammo.cli.stats import stats_cli
from spacy_mammo.corpus.readers import convert_file
from spacy_mammo.corpus.stats import corpus_markdown
from spacy_mammo.evaluation.evaluate import evaluate_file
from spacy_mammo.evaluation.plot import plot_training_log
from spacy_mammo.evaluation.review import review_file

from ..conftest import invoke_cli

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = [
    "adapt",
    "assemble",
    "convert",
    "errors",
    "evaluate",
    "extract",
    "plot",
    "review",
    "stats",
    "synth",
    "vectors",
]


def extract_parameters():
    """What `extract` maps its options onto: extract_file's paths, the fields of ExtractOptions,
    and the SqlSource / SqlTable of --input-sql/--query and --out-sql/--table."""


extract_parameters.__signature__ = inspect.Signature(
    list(inspect.signature(extract_file).parameters.values())[:3]
    + [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in inspect.signature(ExtractOptions).parameters.values()]
    + [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY) for name in ("input_sql", "query", "out_sql", "table")]
)
# (command, the function it calls): each option is a parameter of the function, with its default.
THIN = [
    (assemble_cli, assemble),
    (convert_cli, convert_file),
    (evaluate_cli, evaluate_file),
    (extract_cli, extract_parameters),
    (plot_cli, plot_training_log),
    (review_cli, review_file),
    (stats_cli, corpus_markdown),
]
# A record whose second line is cut off: a data error on line 2.
BROKEN_JSONL = '{"id": "a", "text": "No mass.", "spans": []}\n{"id": "b", "text": \n'


def test_setup_cfg_registers_the_app_as_a_spacy_cli_entry_point():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    entry_points = dict(line.split(" = ") for line in config["options.entry_points"]["spacy_cli"].strip().splitlines())
    assert entry_points == {"mammo": "spacy_mammo.cli:app"}


def test_spacys_app_has_the_mammo_group_with_every_command():
    result = CliRunner().invoke(spacy.cli.app, ["mammo", "--help"])
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = invoke_cli(command, "--help")
    assert result.exit_code == 0
    assert f"Usage: mammo {command} [OPTIONS]" in result.stdout and "--help" in result.stdout


@pytest.mark.slow
def test_python_m_spacy_mammo_lists_the_commands_and_passes_exit_codes(tmp_path):
    """Through spaCy's own entry: `python -m spacy mammo ...` (needs the installed entry point)."""
    if spacy.registry.cli.get_entry_point("mammo") is None:
        pytest.skip("the installed spacy-mammo metadata has no spacy_cli entry point: pip install -e .")
    run = dict(capture_output=True, text=True, timeout=300, cwd=ROOT)
    listing = subprocess.run([sys.executable, "-m", "spacy", "mammo", "--help"], **run)
    assert listing.returncode == 0, listing.stderr[-2000:]
    assert all(f"  {command} " in listing.stdout for command in COMMANDS)
    (tmp_path / "broken.jsonl").write_text(BROKEN_JSONL, encoding="utf8")
    stats = subprocess.run([sys.executable, "-m", "spacy", "mammo", "stats", str(tmp_path / "broken.jsonl")], **run)
    assert stats.returncode == 1
    assert stats.stderr.startswith(f"error: {tmp_path / 'broken.jsonl'}, line 2: ") and stats.stderr.count("\n") == 1
    standalone = subprocess.run([sys.executable, "-m", "spacy_mammo", "synth", "--n", "-1", "--out", "x.jsonl"], **run)
    assert standalone.returncode == 2 and "Usage: python -m spacy_mammo synth" in standalone.stderr


def test_exit_0_on_success(tmp_path):
    out = tmp_path / "synth.jsonl"
    assert invoke_cli("synth", "--n", 3, "--seed", 1, "--out", out).exit_code == 0
    result = invoke_cli("stats", out)
    assert result.exit_code == 0 and "| reports | 3 |" in result.stdout
    assert invoke_cli("convert", out, tmp_path / "synth.spacy").exit_code == 0


@pytest.mark.parametrize(
    "command,name,extra",
    [
        ("stats", "broken.jsonl", []),
        ("convert", "broken.jsonl", ["out.spacy"]),
        ("plot", "log.jsonl", ["f1.png"]),
    ],
)
def test_exit_1_on_a_data_error_with_one_line_naming_file_and_line(tmp_path, monkeypatch, command, name, extra):
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(BROKEN_JSONL if name == "broken.jsonl" else '{"epoch": 1, "step": 2}\n{"epoch"\n')
    result = invoke_cli(command, name, *extra)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {name}, line 2: ") and result.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize(
    "args,message",
    [
        (["synth", "--n", "-1", "--out", "x.jsonl"], "--n"),
        (["synth"], "Missing option '--out'"),
        (["stats", "missing.jsonl"], "does not exist"),
        (["convert", "data.jsonl", "out.spacy", "--repair-bio"], "CoNLL and CSV input only"),
        (["evaluate", "no-such-model", "data.jsonl"], "neither a pipeline directory nor an installed"),
        (["review", "data.jsonl", "--model", "no-such-model", "--out", "r.html"], "neither a pipeline directory"),
        (["plot", "data.jsonl", "f1.png", "--per-label", "yes"], "Got unexpected extra argument"),
        (["extract", "data.jsonl", "--out", "x.jsonl"], "Missing option '--model'"),
        (["nope"], "No such command 'nope'"),
    ],
)
def test_exit_2_on_a_usage_error(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    Path("data.jsonl").write_text(BROKEN_JSONL, encoding="utf8")
    result = invoke_cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr and "Usage: " in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.jsonl"]


def test_exit_2_with_one_line_when_the_pipeline_cannot_be_loaded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("data.jsonl").write_text(BROKEN_JSONL, encoding="utf8")
    Path("not_a_pipeline").mkdir()
    result = invoke_cli("evaluate", "not_a_pipeline", "data.jsonl")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: [E053] Could not read") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("command,function", THIN, ids=[command.__name__ for command, _ in THIN])
def test_commands_are_a_thin_mapping_onto_the_package_functions(command, function):
    options = {name: param.default for name, param in inspect.signature(command).parameters.items() if name != "ctx"}
    parameters = inspect.signature(function).parameters
    assert set(options) <= set(parameters)
    for name, option in options.items():
        if parameters[name].default is not inspect.Parameter.empty:
            assert option.default == parameters[name].default, name


def test_typer_app_is_the_same_for_both_entries():
    """`python -m spacy_mammo` runs the app that spaCy's CLI holds as `mammo`."""
    groups = [group.typer_instance for group in spacy.cli.app.registered_groups]
    assert app in groups and sorted(command.name for command in app.registered_commands) == COMMANDS


def test_errors_command_prints_the_table_and_listing_of_a_models_errors(tmp_path):
    fixture = Path(__file__).resolve().parents[1] / "fixtures"
    data = tmp_path / "gold.jsonl"
    data.write_text(
        '{"id": "r1", "text": "Irregular mass in the left breast.", "spans": ['
        '{"start": 0, "end": 9, "label": "SHAPE"}, {"start": 10, "end": 14, "label": "MASS"}, '
        '{"start": 22, "end": 26, "label": "LATERALITY"}, {"start": 27, "end": 33, "label": "LOCATION"}]}\n',
        encoding="utf8",
    )
    result = invoke_cli("errors", fixture / "pipeline_v0_1_0", data, "--out-json", tmp_path / "e.json")
    assert result.exit_code == 0
    assert result.stdout.startswith("| label | boundary | label | boundary+label | missed | spurious | total |")
    # "breast" is never a LOCATION in the fixture's training reports
    assert "## LOCATION / missed (1)\nr1\t'breast'|LOCATION -> -\t" in result.stdout
    assert json.loads((tmp_path / "e.json").read_text())[0]["doc_id"] == "r1"


def test_evaluate_findings_prints_and_writes_the_field_tables(tmp_path):
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    spans, gold = fixtures / "findings" / "reports.jsonl", fixtures / "findings" / "findings.jsonl"
    out_json, out_md = tmp_path / "metrics.json", tmp_path / "metrics.md"
    result = invoke_cli(
        "evaluate", fixtures / "pipeline_v0_1_0", spans, "--findings", gold, "--out-json", out_json, "--out-md", out_md
    )
    assert result.exit_code == 0, result.stderr
    headings = ["### Findings on gold entities (4 reports)", "### Findings end to end (the pipeline's own entities)"]
    markdown = out_md.read_text(encoding="utf-8")
    for text in (result.stdout, markdown):
        assert all(heading in text for heading in headings)
        assert text.count("| same lesion (pairs) | F1 |") == 2 and text.count("| report birads_left |") == 2
    findings = json.loads(out_json.read_text(encoding="utf-8"))["findings"]
    assert set(findings) == {"n_reports", "gold_entities", "end_to_end"}
    assert set(findings["end_to_end"]) == {"findings", "fields", "report", "lesions"}


def test_evaluate_findings_exits_1_naming_the_gold_line_that_disagrees_with_the_span_file(tmp_path):
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    spans = fixtures / "findings" / "reports.jsonl"
    lines = (fixtures / "findings" / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[1])
    record["findings"][0]["end"] += 2
    gold = tmp_path / "findings.jsonl"
    gold.write_text("\n".join(lines[:1] + [json.dumps(record)] + lines[2:]) + "\n", encoding="utf-8")
    result = invoke_cli("evaluate", fixtures / "pipeline_v0_1_0", spans, "--findings", gold)
    assert result.exit_code == 1
    assert (
        result.stderr.startswith(f"error: {gold}, line 2, record 'fx-002': finding 0 ")
        and result.stderr.count("\n") == 1
    )
