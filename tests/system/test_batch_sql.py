"""`extract --input-sql URL --query Q --out-sql URL --table T` (issue 12, "A real database"):
rows equal the JSONL output, every report written or in the errors table,
kill -9 and a dropped connection resume with no duplicate or missing row, one
run per table, no report text, clear errors. SQLite here; a real PostgreSQL 15
server, started by the test, at the end."""

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from spacy_mammo.batch import sql as batch_sql
from spacy_mammo.rules.findings import FINDING_KEYS

from ..conftest import invoke_cli
from .test_no_patient_text import find_marker
from .test_red_team import FORK, MARKER, MODEL, _child, _hold_lock, load_once, read_jsonl, reports  # noqa: F401

sqlalchemy = pytest.importorskip("sqlalchemy", reason='needs the sql extra: pip install "spacy-mammo[sql]"')

QUERY = "SELECT report_id AS id, body AS text FROM reports ORDER BY seq"
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def sql_records():
    """24 reports with the marker, plus a null text and a duplicate id (errors)."""
    records = reports(24)
    records.insert(5, {"id": "no-text", "text": None})
    records.insert(9, {"id": records[0]["id"], "text": f"{MARKER} duplicate"})
    return records


def fill_sqlite(path, records):
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE reports (seq INTEGER PRIMARY KEY, report_id TEXT, body TEXT, ward TEXT)")
        db.executemany(
            "INSERT INTO reports (report_id, body, ward) VALUES (?, ?, 'x')", [(r["id"], r["text"]) for r in records]
        )
    return path


def expected_tables(jsonl_path, errors_path):
    """The rows the three tables must hold, from the JSONL output and errors file of the same input."""
    out = read_jsonl(jsonl_path)
    report_rows = sorted(
        (
            {
                "id": r["id"],
                "composition": r["report"].get("composition"),
                **{
                    f"birads_{side}": (r["report"].get("birads") or {}).get(side)
                    for side in ("right", "left", "overall")
                },
                "n_findings": len(r["findings"]),
            }
            for r in out
        ),
        key=lambda row: row["id"],
    )
    finding_rows = sorted(
        (
            {"report_id": r["id"], "finding_index": i, **{key: f.get(key) for key in FINDING_KEYS}}
            for r in out
            for i, f in enumerate(r["findings"])
        ),
        key=lambda row: (row["report_id"], row["finding_index"]),
    )
    return {"reports": report_rows, "findings": finding_rows, "errors": read_jsonl(errors_path)}


def actual_tables(url, table="findings"):
    errors = [
        {"id": row["id"], **{k: row[k] for k in ("line", "row", "file") if row[k] is not None}, "reason": row["reason"]}
        for row in batch_sql.table_rows(url, f"{table}_errors")
    ]
    return {
        "reports": batch_sql.table_rows(url, f"{table}_reports"),
        "findings": batch_sql.table_rows(url, table),
        "errors": errors,
    }


def count_rows(url, table):
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sqlalchemy.text(f'SELECT count(*) FROM "{table}"')).scalar()
    except sqlalchemy.exc.SQLAlchemyError:
        return 0
    finally:
        engine.dispose()


def wait_for_rows(url, table, n_rows, process, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.is_alive():
        if count_rows(url, table) >= n_rows:
            return
        time.sleep(0.01)
    raise AssertionError(f"{table} did not reach {n_rows} rows")


def sql_args(input_url, out_url, *extra):
    return ["--input-sql", input_url, "--query", QUERY, "--out-sql", out_url, "--table", "findings", *extra]


def run_sql(input_url, out_url, *extra):
    return extract_cli(sql_args(input_url, out_url, *extra))


def extract_cli(args):
    """`mammo extract` in this process: RETURNS (Result): exit_code, stdout, stderr."""
    return invoke_cli("extract", *args, "--model", MODEL)


@pytest.fixture(scope="module")
def sqlite_reference(tmp_path_factory):
    """The SQLite input, and the JSONL output and errors file of the same query."""
    folder = tmp_path_factory.mktemp("sql")
    database = fill_sqlite(folder / "hospital.db", sql_records())
    url = f"sqlite:///{database}"
    result = extract_cli(["--input-sql", url, "--query", QUERY, "--out", str(folder / "ref.jsonl")])
    assert result.exit_code == 1, result.stderr
    return {"url": url, "expected": expected_tables(folder / "ref.jsonl", folder / "ref.jsonl.errors.jsonl")}


def test_sqlite_tables_equal_the_jsonl_output_and_hold_no_text(sqlite_reference, tmp_path, capfd):
    url = sqlite_reference["url"]  # input and output in one database file
    first = run_sql(url, url)
    assert first.exit_code == 1
    actual = actual_tables(url)
    assert actual == sqlite_reference["expected"]
    assert [e["reason"] for e in actual["errors"]] == ["text is not a string (null)", "duplicate id"]
    rows = [
        str(row)
        for name in ("findings", "findings_reports", "findings_errors")
        for row in batch_sql.table_rows(url, name)
    ]
    captured = capfd.readouterr()
    texts = rows + [captured.out, captured.err, first.stdout, first.stderr]
    assert find_marker(texts=texts, marker=MARKER) == []
    # A finished table is not written again without --resume or --overwrite.
    result = run_sql(url, url)
    assert result.exit_code == 2
    assert "table findings exists" in result.stderr
    assert run_sql(url, url, "--overwrite").exit_code == 1
    assert actual_tables(url) == sqlite_reference["expected"]
    assert run_sql(url, url, "--resume").exit_code == 1  # nothing left to do, nothing doubled
    assert actual_tables(url) == sqlite_reference["expected"]


def test_sqlite_include_text_and_separate_databases(sqlite_reference, tmp_path):
    out_url = f"sqlite:///{tmp_path / 'out.db'}"
    assert run_sql(sqlite_reference["url"], out_url, "--include-text").exit_code == 1
    reports_rows = batch_sql.table_rows(out_url, "findings_reports")
    assert all(row["text"].startswith(MARKER) for row in reports_rows)
    result = run_sql(sqlite_reference["url"], out_url, "--resume")  # the columns differ
    assert result.exit_code == 1 and "cannot resume" in result.stderr


def test_sqlite_kill_9_then_resume_has_no_duplicate_or_missing_row(sqlite_reference, tmp_path):
    input_url, out_url = sqlite_reference["url"], f"sqlite:///{tmp_path / 'out.db'}"
    rng = random.Random(9)
    for attempt in range(2):
        done = count_rows(out_url, "findings_reports")
        args = sql_args(input_url, out_url, *(["--resume"] if attempt else []))
        child = _start_sql_child(args, tmp_path / "log")
        wait_for_rows(out_url, "findings_reports", done + rng.randint(2, 6), child)
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        assert child.exitcode == -signal.SIGKILL
    assert run_sql(input_url, out_url, "--resume").exit_code == 1
    assert actual_tables(out_url) == sqlite_reference["expected"]


def _start_sql_child(args, log):
    child = FORK.Process(target=_child, args=(["extract", *args, "--model", str(MODEL), "--batch-size", "2"], str(log)))
    child.start()
    return child


def test_sqlite_one_run_per_table(sqlite_reference, tmp_path, capsys):
    database = tmp_path / "out.db"
    holder = _hold_lock(tmp_path / "out.db.findings.lock")
    try:
        result = run_sql(sqlite_reference["url"], f"sqlite:///{database}")
        assert result.exit_code == 2
        assert f"another extract run (pid {holder.pid})" in result.stderr
    finally:
        holder.kill()
        holder.wait()
    assert count_rows(f"sqlite:///{database}", "findings_reports") == 0


def test_bad_urls_tables_and_columns_fail_clearly(sqlite_reference, tmp_path, capsys):
    url, out_url = sqlite_reference["url"], f"sqlite:///{tmp_path / 'out.db'}"
    cases = [  # 2: the run cannot start; 1: the input data are wrong
        (sql_args("nodriver://host/db", out_url), 2, "not a usable database URL"),
        (sql_args(url, "nodriver://host/db"), 2, "not a usable database URL"),
        (
            ["--input-sql", url, "--query", "SELECT id, text FROM missing", "--out-sql", out_url],
            2,
            "the input query failed (OperationalError: no such table: missing)",
        ),
        (
            ["--input-sql", url, "--query", "SELECT report_id AS id FROM reports", "--out-sql", out_url],
            1,
            "the query has no columns ['text']",
        ),
        (sql_args(f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}", out_url), 2, "the input query failed"),
    ]
    for args, code, message in cases:
        result = extract_cli(args)
        assert result.exit_code == code, result.stderr
        err = result.stderr
        assert message in err and "Traceback" not in err, err
    assert count_rows(out_url, "findings_reports") == 0


def test_sql_options_that_do_not_go_together_are_usage_errors(sqlite_reference, tmp_path):
    url, out = sqlite_reference["url"], tmp_path / "out.jsonl"
    cases = [
        (["--input-sql", url, "--out", out], "--input-sql and --query go together"),
        ([tmp_path, "--input-sql", url, "--query", QUERY, "--out", out], "give one input"),
        (["--input-sql", url, "--query", QUERY, "--out", out, "--out-sql", url], "and one output"),
        (sql_args(url, url, "--errors", tmp_path / "e.jsonl"), "the errors go to the table"),
    ]
    for args, message in cases:
        result = extract_cli(args)
        assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_dropped_connection_mid_run_loses_nothing(sqlite_reference, tmp_path, capsys, monkeypatch):
    input_url, out_url = sqlite_reference["url"], f"sqlite:///{tmp_path / 'out.db'}"
    flush = batch_sql.SqlOutput.flush
    calls = []

    def dropping(self):
        calls.append(1)
        if len(calls) == 3:  # the database goes away under the run's third transaction
            self.engine.dispose()
            self.engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'gone' / 'out.db'}")
        flush(self)

    monkeypatch.setattr(batch_sql.SqlOutput, "flush", dropping)
    result = run_sql(input_url, out_url, "--batch-size", "4")
    assert result.exit_code == 2
    err = result.stderr
    assert "writing findings failed (OperationalError: unable to open database file)" in err and MARKER not in err
    monkeypatch.undo()
    assert run_sql(input_url, out_url, "--resume").exit_code == 1
    assert actual_tables(out_url) == sqlite_reference["expected"]


def test_without_sqlalchemy_the_error_names_the_extra(sqlite_reference, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)
    result = run_sql(sqlite_reference["url"], f"sqlite:///{tmp_path / 'out.db'}")
    assert result.exit_code == 2
    assert 'pip install "spacy-mammo[sql]"' in result.stderr


# ---------------------------------------------------------------------------
# PostgreSQL 15


def _as_postgres(command, **kwargs):
    """Run a PostgreSQL binary as the `postgres` user when we are root (postgres refuses root)."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


@pytest.fixture()
def postgres(tmp_path):
    """A PostgreSQL 15 server on a unix socket in a temporary folder, stopped at the end."""
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        pytest.skip(f"PostgreSQL 15 is not installed ({PG_BIN}; Debian package postgresql-15)")
    pytest.importorskip("psycopg", reason='PostgreSQL needs psycopg: pip install "spacy-mammo[sql]"')
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: postgres refuses to run as root")
    # Not under pytest's tmp folder: the postgres user must be able to reach it.
    folder = Path(tempfile.mkdtemp(prefix="mammo-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    try:
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"])
        options = f"-k {folder} -c listen_addresses='' -c fsync=off"
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(folder / "log"), "start"])
        yield f"postgresql+psycopg://postgres@/postgres?host={folder}"
    except subprocess.CalledProcessError as err:
        pytest.fail(f"PostgreSQL did not start: {err.stderr}")
    finally:
        if (data / "postmaster.pid").exists():
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)


def test_postgresql_round_trip_lock_and_dropped_connection(postgres, tmp_path, capsys):
    records = sql_records()
    engine = sqlalchemy.create_engine(postgres)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text("CREATE TABLE reports (seq SERIAL PRIMARY KEY, report_id TEXT, body TEXT)"))
        connection.execute(sqlalchemy.text("INSERT INTO reports (report_id, body) VALUES (:id, :text)"), records)
    assert extract_cli(["--input-sql", postgres, "--query", QUERY, "--out", str(tmp_path / "ref.jsonl")]).exit_code == 1
    expected = expected_tables(tmp_path / "ref.jsonl", tmp_path / "ref.jsonl.errors.jsonl")

    # A connection dropped by the server mid-run: a clear error, then --resume completes.
    child = _start_sql_child(sql_args(postgres, postgres), tmp_path / "log")
    wait_for_rows(postgres, "findings_reports", 4, child)
    with engine.begin() as connection:
        connection.execute(
            sqlalchemy.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                "AND backend_type = 'client backend'"
            )
        )
    child.join(60)
    log = (tmp_path / "log").read_text(encoding="utf-8")
    assert child.exitcode == 2 and "failed (" in log and "Traceback" not in log, log

    # One run per table: a held advisory lock (another run's connection) is refused at once.
    key = batch_sql.zlib.crc32(b"spacy-mammo:findings") & 0x7FFFFFFF
    with engine.connect() as holder:
        holder.execute(sqlalchemy.text("SELECT pg_advisory_lock(:k)"), {"k": key})
        result = run_sql(postgres, postgres, "--resume")
        assert result.exit_code == 2
        assert "another extract run (server process" in result.stderr
        holder.execute(sqlalchemy.text("SELECT pg_advisory_unlock(:k)"), {"k": key})

    assert run_sql(postgres, postgres, "--resume").exit_code == 1
    assert actual_tables(postgres) == expected
    engine.dispose()
