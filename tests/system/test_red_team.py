"""`extract` attacked as a hostile user or a bad night would (issue 16).

One test per numbered problem of the issue (test_problem_N_...), each failing
before the fix, and the attacks that already held (kill -9 at random points,
full disk, read-only folder, hostile ids, a planted marker). Runs use the
pipeline saved in tests/fixtures and short reports; most run the `mammo extract`
command in this process (typer's CliRunner) or in a forked child (no new interpreter to start), one runs the
real command line.
"""

import csv
import json
import multiprocessing
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from spacy_mammo.assemble import load_pipeline
from spacy_mammo.batch import run as batch_run
from spacy_mammo.batch.outputs import CsvOutput, JsonlOutput
from spacy_mammo.cli import main as cli

from ..conftest import REPORTS, invoke_cli, parse_markup
from .test_no_patient_text import find_marker

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "tests" / "fixtures" / "pipeline_v0_1_0"
MARKER = "ZZREDTEAMMARKERZZ"
TEXTS = [parse_markup(marked)[0] for marked in REPORTS]
HOSTILE_IDS = [
    "two\nlines",
    'a "quoted", comma',
    "tab\tand\r\nCRLF",
    "ünïcødé 乳腺",
    "../../etc/passwd",
    ",",
    '"',
    "\nx",
    "x" * 300,
]
FORK = multiprocessing.get_context("fork")
_PIPELINES = {}


@pytest.fixture(autouse=True)
def load_once(monkeypatch):
    """The fixture pipeline is loaded once; runs in this process and forked children reuse it."""

    def cached(model):
        if str(model) not in _PIPELINES:
            _PIPELINES[str(model)] = load_pipeline(model)
        return _PIPELINES[str(model)]

    monkeypatch.setattr(batch_run, "load_pipeline", cached)


def reports(n, marker=MARKER):
    return [{"id": f"r{i:04d}", "text": f"{marker} {TEXTS[i % len(TEXTS)]}"} for i in range(n)]


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def extract(input_path, out, *extra):
    """`mammo extract` in this process: RETURNS (Result): exit_code, stdout, stderr."""
    return invoke_cli("extract", input_path, "--model", MODEL, "--out", out, *extra)


def _child(argv, log):
    # pytest captures at the sys level too: point both the fds and sys.stdout/stderr at the log.
    file_ = open(log, "w", encoding="utf-8", buffering=1)
    os.dup2(file_.fileno(), 1)
    os.dup2(file_.fileno(), 2)
    sys.stdout = sys.stderr = file_
    try:
        cli(argv)
    except SystemExit as err:
        file_.flush()
        os._exit(err.code if isinstance(err.code, int) else 3)
    os._exit(0)


def start_child(input_path, out, log, *extra):
    """`extract` in a forked child (the pipeline is already loaded here), output in `log`."""
    argv = ["extract", str(input_path), "--model", str(MODEL), "--out", str(out), "--batch-size", "2", *map(str, extra)]
    child = FORK.Process(target=_child, args=(argv, str(log)))
    child.start()
    return child


def wait_for_lines(path, n_lines, process, timeout=120):
    """Wait until `path` holds at least `n_lines` newlines (or the process ended)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= n_lines:
            return True
        alive = process.is_alive() if hasattr(process, "is_alive") else process.poll() is None
        if not alive:
            return False
        time.sleep(0.001)
    raise AssertionError(f"{path} did not reach {n_lines} lines")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """40 reports with the marker, a few bad ones among them, and the uninterrupted outputs."""
    folder = tmp_path_factory.mktemp("red_team")
    records = reports(40)
    records[7] = {"id": records[7]["id"], "text": 12}  # an error in the errors file
    input_path = write_jsonl(folder / "in.jsonl", records)
    outputs = {fmt: folder / f"reference.{fmt}" for fmt in ("jsonl", "csv")}
    for out in outputs.values():
        assert extract(input_path, out).exit_code == 1
    return {
        "input": input_path,
        **{fmt: out.read_bytes() for fmt, out in outputs.items()},
        "errors": outputs["jsonl"].with_name("reference.jsonl.errors.jsonl").read_bytes(),
    }


# ---------------------------------------------------------------------------
# The numbered problems of issue 16


def _hold_lock(lock_file):
    """A process that holds OUT.lock as a running extract does (lockf, pid inside)."""
    code = (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(lock_file)!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.lockf(fd, fcntl.LOCK_EX)\n"
        "os.write(fd, str(os.getpid()).encode())\n"
        "print('locked', flush=True)\n"
        "time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_problem_1_a_second_run_on_the_same_output_is_refused_at_once(corpus, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    partial = tmp_path / "out.jsonl.partial"
    partial.write_bytes(corpus["jsonl"][:100])  # the first run's work so far
    holder = _hold_lock(tmp_path / "out.jsonl.lock")
    try:
        start = time.monotonic()
        result = extract(corpus["input"], out, "--resume")
        assert result.exit_code == 2
        assert time.monotonic() - start < 5
        assert f"another extract run (pid {holder.pid})" in result.stderr
        assert partial.read_bytes() == corpus["jsonl"][:100] and not out.exists()
    finally:
        holder.kill()
        holder.wait()
    # The holder was killed: its lock is stale, and the next run takes it over.
    assert (tmp_path / "out.jsonl.lock").read_text() == str(holder.pid)
    assert extract(corpus["input"], out, "--resume").exit_code == 1
    assert out.read_bytes() == corpus["jsonl"]
    assert not (tmp_path / "out.jsonl.lock").exists()


def test_problem_1_two_concurrent_runs_one_refuses(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    first = start_child(corpus["input"], out, tmp_path / "first.log")
    try:
        wait_for_lines(tmp_path / "out.jsonl.partial", 1, first)
        assert extract(corpus["input"], out, "--resume").exit_code == 2
    finally:
        first.join(120)
    assert first.exitcode == 1
    assert out.read_bytes() == corpus["jsonl"]


def test_problem_2_an_unbalanced_quote_swallows_no_report(tmp_path):
    rows = [("a", TEXTS[0]), ("b", TEXTS[1]), ("c", TEXTS[2]), ("d", TEXTS[3]), ("e", TEXTS[4])]
    lines = ["id,text"] + [f'{i},"{t}"' for i, t in rows]
    lines[2] = 'b,"unbalanced ' + TEXTS[1]  # the quote never closes on its line
    lines.insert(4, "x,one,field too many")
    (tmp_path / "in.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert extract(tmp_path / "in.csv", tmp_path / "out.jsonl").exit_code == 1
    assert [r["id"] for r in read_jsonl(tmp_path / "out.jsonl")] == ["a", "c", "d", "e"]
    errors = read_jsonl(tmp_path / "out.jsonl.errors.jsonl")
    assert [(e["line"], e["reason"].split(" (")[0]) for e in errors] == [
        (3, "malformed CSV"),
        (5, "expected 2 fields, saw 3"),
    ]


def test_problem_3_an_existing_output_is_not_replaced(corpus, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out.jsonl"
    out.write_text("yesterday's results\n", encoding="utf-8")
    loads = []
    monkeypatch.setattr(batch_run, "load_pipeline", lambda model: loads.append(model))
    result = extract(corpus["input"], out)
    assert result.exit_code == 2
    assert "--overwrite" in result.stderr
    assert out.read_text(encoding="utf-8") == "yesterday's results\n" and loads == []
    assert not (tmp_path / "out.jsonl.partial").exists()
    assert extract(corpus["input"], out, "--resume").exit_code == 2  # nothing to resume: the run is done
    assert loads == []
    monkeypatch.undo()
    assert extract(corpus["input"], out, "--overwrite").exit_code == 1
    assert out.read_bytes() == corpus["jsonl"]


def test_problem_4_ctrl_c_with_two_processes_stops_within_seconds(corpus, tmp_path):
    """The real command line, two nlp.pipe workers, Ctrl-C sent to the whole process group as a terminal does."""
    input_path = write_jsonl(tmp_path / "in.jsonl", reports(400))
    out = tmp_path / "out.jsonl"
    command = [
        sys.executable,
        "-m",
        "spacy_mammo",
        "extract",
        str(input_path),
        "--model",
        str(MODEL),
        "--out",
        str(out),
        "--n-process",
        "2",
        "--batch-size",
        "4",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
    )
    try:
        assert wait_for_lines(tmp_path / "out.jsonl.partial", 8, process, timeout=240)
        os.killpg(process.pid, signal.SIGINT)
        start = time.monotonic()
        stdout, stderr = process.communicate(timeout=30)
        stopped_in = time.monotonic() - start
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, stderr
    assert stopped_in < 10
    # What is left once tqdm's progress bar is taken out: one line.
    lines = [line for line in re.split(r"[\r\n]+", stderr) if line.strip() and " reports [" not in line]
    assert len(lines) == 1 and lines[0].startswith("interrupted by SIGINT") and "--resume" in lines[0], stderr
    partial = (tmp_path / "out.jsonl.partial").read_bytes()
    assert partial.endswith(b"\n")  # a record boundary
    assert not (tmp_path / "out.jsonl.lock").exists()
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no worker is left in the process group


def test_problem_4_sigterm_stops_a_run_with_workers_resumably(corpus, tmp_path):
    out = tmp_path / "out.csv"
    child = start_child(corpus["input"], out, tmp_path / "log", "--n-process", "2")
    wait_for_lines(tmp_path / "out.csv.partial", 3, child)
    os.kill(child.pid, signal.SIGTERM)
    child.join(20)
    assert child.exitcode == 143
    log = (tmp_path / "log").read_text(encoding="utf-8")
    assert "interrupted by SIGTERM" in log and "Traceback" not in log
    assert extract(corpus["input"], out, "--resume").exit_code == 1
    assert out.read_bytes() == corpus["csv"]


def test_problem_5_one_bad_entry_does_not_abort_the_run(tmp_path):
    rows = [{"id": f"c{i}", "text": text} for i, text in enumerate(TEXTS)]
    data = pd.DataFrame(rows).to_csv(index=False).encode("utf-8")
    data = data.replace(b"heterogeneously", b"h\xe9terogeneously", 1)  # one latin-1 byte in one row (c2)
    (tmp_path / "in.csv").write_bytes(data)
    assert extract(tmp_path / "in.csv", tmp_path / "csv.jsonl").exit_code == 1
    assert [r["id"] for r in read_jsonl(tmp_path / "csv.jsonl")] == [r["id"] for r in rows if r["id"] != "c2"]
    (error,) = read_jsonl(tmp_path / "csv.jsonl.errors.jsonl")
    assert error == {"id": "c2", "line": 4, "reason": "not valid UTF-8"}

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "good.txt").write_text(TEXTS[0], encoding="utf-8")
    (folder / "sub.txt").mkdir()
    (folder / "dangling.txt").symlink_to(folder / "missing")
    os.mkfifo(folder / "fifo.txt")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "sock.txt"))
        assert extract(folder, tmp_path / "folder.jsonl").exit_code == 1  # the FIFO must not hang the run
    assert [r["id"] for r in read_jsonl(tmp_path / "folder.jsonl")] == ["good"]
    reasons = {e["file"]: e["reason"] for e in read_jsonl(tmp_path / "folder.jsonl.errors.jsonl")}
    assert reasons == {
        "dangling.txt": "a symbolic link (not followed without --follow-symlinks)",
        "fifo.txt": "a FIFO, not a regular file",
        "sock.txt": "a socket, not a regular file",
        "sub.txt": "a folder, not a regular file",
    }
    assert extract(folder, tmp_path / "follow.jsonl", "--follow-symlinks").exit_code == 1
    assert {e["file"]: e["reason"] for e in read_jsonl(tmp_path / "follow.jsonl.errors.jsonl")}["dangling.txt"] == (
        "a dangling symbolic link"
    )


def test_problem_6_symlinks_are_not_followed_and_never_outside(tmp_path):
    secret = tmp_path / "outside.txt"
    secret.write_text(f"{MARKER} outside the input folder", encoding="utf-8")
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "real.txt").write_text(TEXTS[0], encoding="utf-8")
    (folder / "inside.txt").symlink_to("real.txt")
    (folder / "escape.txt").symlink_to(secret)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    assert extract(folder, tmp_path / "out.jsonl", "--include-text").exit_code == 1
    assert [r["id"] for r in read_jsonl(tmp_path / "out.jsonl")] == ["real"]
    assert extract(folder, tmp_path / "follow.jsonl", "--include-text", "--follow-symlinks").exit_code == 1
    assert [r["id"] for r in read_jsonl(tmp_path / "follow.jsonl")] == ["inside", "real"]
    reasons = {e["file"]: e["reason"] for e in read_jsonl(tmp_path / "follow.jsonl.errors.jsonl")}
    assert reasons == {name: "a symbolic link to outside the input folder" for name in ("escape.txt", "passwd.txt")}
    assert find_marker([tmp_path / "out.jsonl", tmp_path / "follow.jsonl"], marker=MARKER) == []
    assert "root:" not in (tmp_path / "follow.jsonl").read_text(encoding="utf-8")


def _resume_at_every_cut(output_cls, path, records, reference):
    """Cut OUT.partial at every byte; a resumed output must keep only whole reports and end up as `reference`."""
    partial = path.with_name(path.name + ".partial")
    for cut in range(len(reference) + 1):
        partial.write_bytes(reference[:cut])
        output = output_cls(path, resume=True)
        kept = output.done_ids
        assert partial.read_bytes() == reference[: len(partial.read_bytes())]
        for record in records:
            if record["id"] not in kept:
                output.write(record)
        output.commit()
        assert path.read_bytes() == reference, f"cut at byte {cut}"


@pytest.mark.parametrize("output_cls", [JsonlOutput, CsvOutput], ids=["jsonl", "csv"])
def test_problem_7_resume_is_exact_whatever_the_ids(output_cls, tmp_path):
    records = [
        {
            "id": report_id,
            "entities": [],
            "report": {"birads": {"overall": "2"}, "composition": "b"},
            "findings": [{"type": "MASS", "locations": ["UOQ", "12 o'clock"], "negated": False}] * (i % 3),
        }
        for i, report_id in enumerate(HOSTILE_IDS)
    ]
    full = output_cls(tmp_path / "full", resume=False)
    for record in records:
        full.write(record)
    full.commit()
    reference = (tmp_path / "full").read_bytes()
    _resume_at_every_cut(output_cls, tmp_path / "out", records, reference)
    if output_cls is CsvOutput:
        with (tmp_path / "out").open(encoding="utf-8", newline="") as file_:
            ids = [row["id"] for row in csv.DictReader(file_)]
        assert list(dict.fromkeys(ids)) == HOSTILE_IDS


def test_problem_8_errors_name_their_file_and_early_failures_leave_nothing(corpus, tmp_path, capsys, monkeypatch):
    pytest.importorskip("pyarrow", reason='Parquet input needs the parquet extra: pip install "spacy-mammo[parquet]"')
    (tmp_path / "corrupt.parquet").write_bytes(b"PAR1 not really parquet")
    result = extract(tmp_path / "corrupt.parquet", tmp_path / "out.jsonl")
    assert result.exit_code == 1  # a data error
    assert "corrupt.parquet: not a readable Parquet file" in result.stderr

    loads = []
    monkeypatch.setattr(batch_run, "load_pipeline", lambda model: loads.append(model))
    (tmp_path / "folder_out.jsonl").mkdir()
    result = extract(corpus["input"], tmp_path / "folder_out.jsonl")
    assert result.exit_code == 2
    assert "folder_out.jsonl" in result.stderr and "is a directory" in result.stderr
    pd.DataFrame({"id": ["a"], "body": ["x"]}).to_csv(tmp_path / "in.csv", index=False)
    result = extract(tmp_path / "in.csv", tmp_path / "out.jsonl")
    assert result.exit_code == 1
    assert "missing columns ['text']" in result.stderr
    assert loads == []
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith("out.jsonl")]
    assert leftovers == []  # no empty .partial, no lock file


# ---------------------------------------------------------------------------
# Attacks that already held


def _mount(kind_options, target):
    target.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", kind_options, "tmpfs", str(target)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.decode(errors='replace').strip()})")


def test_full_disk_fails_naming_the_file_and_resumes(corpus, tmp_path, capsys):
    small = tmp_path / "small"
    _mount("size=12k", small)
    try:
        out = small / "out.jsonl"
        input_path = write_jsonl(tmp_path / "in.jsonl", reports(120))
        result = extract(input_path, out)
        assert result.exit_code == 2
        err = result.stderr
        assert "No space left on device" in err and "out.jsonl" in err and "Traceback" not in err
        kept = (small / "out.jsonl.partial").read_bytes()
        subprocess.run(["mount", "-o", "remount,size=4m", str(small)], check=True)
        assert extract(input_path, out, "--resume").exit_code == 0
        assert out.read_bytes()[: kept.rfind(b"\n") + 1] == kept[: kept.rfind(b"\n") + 1]
        assert [r["id"] for r in read_jsonl(out)] == [f"r{i:04d}" for i in range(120)]
    finally:
        subprocess.run(["umount", str(small)], check=False)


def test_read_only_folder_fails_before_work(corpus, tmp_path, capsys):
    read_only = tmp_path / "ro"
    _mount("ro,size=64k", read_only)
    try:
        result = extract(corpus["input"], read_only / "out.jsonl")
        assert result.exit_code == 2
        err = result.stderr
        assert "Read-only file system" in err and "out.jsonl" in err and "Traceback" not in err
    finally:
        subprocess.run(["umount", str(read_only)], check=False)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_kill_9_at_random_points_then_resume_gives_the_uninterrupted_output(corpus, tmp_path, fmt):
    rng = random.Random(fmt)
    out = tmp_path / f"out.{fmt}"
    partial = tmp_path / f"out.{fmt}.partial"
    half = corpus[fmt].count(b"\n") // 2  # kill points in the first half: a fast machine must not finish first
    for attempt in range(3):
        written = partial.read_bytes().count(b"\n") if partial.exists() else 0
        child = start_child(corpus["input"], out, tmp_path / "log", *(["--resume"] if attempt else []))
        wait_for_lines(partial, min(written + rng.randint(1, 6), half), child)
        time.sleep(rng.random() * 0.01)
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        assert child.exitcode == -signal.SIGKILL
    assert extract(corpus["input"], out, "--resume").exit_code == 1
    assert out.read_bytes() == corpus[fmt]
    assert out.with_name(out.name + ".errors.jsonl").read_bytes() == corpus["errors"]


def test_hostile_ids_come_out_exactly(tmp_path):
    records = [{"id": report_id, "text": TEXTS[i % len(TEXTS)]} for i, report_id in enumerate(HOSTILE_IDS)]
    records.append({"id": "\ud800 lone surrogate", "text": TEXTS[0]})
    write_jsonl(tmp_path / "in.jsonl", records)
    assert extract(tmp_path / "in.jsonl", tmp_path / "out.jsonl").exit_code == 1
    assert [r["id"] for r in read_jsonl(tmp_path / "out.jsonl")] == HOSTILE_IDS
    (error,) = read_jsonl(tmp_path / "out.jsonl.errors.jsonl")
    assert error == {"id": None, "line": len(records), "reason": "id is not valid Unicode (a lone surrogate)"}
    pd.DataFrame(records[:-1]).to_csv(tmp_path / "in.csv", index=False)
    assert extract(tmp_path / "in.csv", tmp_path / "out.csv").exit_code == 0
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as file_:
        assert list(dict.fromkeys(row["id"] for row in csv.DictReader(file_))) == HOSTILE_IDS


def test_planted_marker_reaches_no_output_error_or_console(corpus, tmp_path, capfd):
    records = reports(12) + [
        {"id": "bad", "text": None},
        {"id": "r0001", "text": f"{MARKER} duplicate"},
        {"id": "long", "text": f"{MARKER} " * 400},
    ]
    input_path = write_jsonl(tmp_path / "in.jsonl", records)
    results = [extract(input_path, tmp_path / f"out.{fmt}", "--max-chars", 1000) for fmt in ("jsonl", "csv")]
    assert [result.exit_code for result in results] == [1, 1]
    child = start_child(input_path, tmp_path / "killed.jsonl", tmp_path / "log")
    wait_for_lines(tmp_path / "killed.jsonl.partial", 1, child)
    os.kill(child.pid, signal.SIGINT)
    child.join(30)
    assert child.exitcode == 130
    captured = capfd.readouterr()
    assert (
        find_marker(
            [p for p in tmp_path.iterdir() if p != input_path],
            texts=[captured.out, captured.err] + [r.stdout + r.stderr for r in results],
            marker=MARKER,
        )
        == []
    )
