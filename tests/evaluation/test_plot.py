import json

import pytest

from spacy_mammo.errors import MammoDataError
from spacy_mammo.evaluation.plot import plot_training_log, read_training_log

from ..conftest import invoke_cli

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def write_log(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf8")
    return path


def make_rows(stages):
    rows = []
    for i, stage in enumerate(stages):
        f = i / (len(stages) + 1)
        rows.append(
            {
                "epoch": i // 2,
                "step": 10 * i,
                "stage": stage,
                "stage_index": None if stage is None else ["easy", "medium", "hard", "all"].index(stage),
                "losses": {"mammo_ner": 10.0 - i},
                "score": f,
                "ents_p": f,
                "ents_r": f,
                "ents_f": f,
                "ents_per_type_f": {"MASS": 0.8 * f, "LATERALITY": 0.5 * f},
                "words": 100 * (i + 1),
                "seconds": i,
            }
        )
    return rows


@pytest.mark.parametrize(
    "stages",
    [["easy", "easy", "medium", "medium", "hard", "hard", "all", "all"], [None, None, None]],
    ids=["curriculum", "plain"],
)
def test_plot_writes_png(tmp_path, stages):
    pytest.importorskip("matplotlib", reason='plotting needs the train extra: pip install "spacy-mammo[train]"')
    log = write_log(tmp_path / "log.jsonl", make_rows(stages))
    out = plot_training_log(log, tmp_path / "plots" / "f1.png", title="tiny", per_label=True)
    assert out.read_bytes()[:8] == PNG_MAGIC
    assert [p.name for p in out.parent.iterdir()] == ["f1.png"]


def test_cli(tmp_path):
    pytest.importorskip("matplotlib", reason='plotting needs the train extra: pip install "spacy-mammo[train]"')
    log = write_log(tmp_path / "log.jsonl", make_rows(["easy", "medium"]))
    result = invoke_cli("plot", log, tmp_path / "f1.png", "--title", "tiny", "--per-label")
    assert result.exit_code == 0
    assert (tmp_path / "f1.png").read_bytes()[:8] == PNG_MAGIC
    assert "f1.png" in result.stdout


def test_read_log_sorts_by_step(tmp_path):
    rows = make_rows(["easy", "medium", "hard"])
    df = read_training_log(write_log(tmp_path / "log.jsonl", rows[::-1]))
    assert df["step"].tolist() == [row["step"] for row in rows]


def test_empty_log(tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_text("\n", encoding="utf8")
    with pytest.raises(MammoDataError, match="empty"):
        plot_training_log(log, tmp_path / "f1.png")
    assert not (tmp_path / "f1.png").exists()


def test_malformed_log_names_line(tmp_path):
    log = write_log(tmp_path / "log.jsonl", make_rows(["easy"]))
    with log.open("a", encoding="utf8") as file_:
        file_.write('{"epoch": 1, "step"\n')
    with pytest.raises(MammoDataError) as err:
        plot_training_log(log, tmp_path / "f1.png")
    assert err.value.line == 2


def test_missing_column(tmp_path):
    log = write_log(tmp_path / "log.jsonl", [{"epoch": 0, "step": 0}])
    with pytest.raises(MammoDataError, match="ents_f"):
        read_training_log(log)


def test_f1_range_zooms_to_the_curve_and_ignores_the_untrained_zero():
    import pandas as pd

    from spacy_mammo.evaluation.plot import f1_range

    low, high = f1_range(pd.Series([0.0, 0.95, 0.99, 0.998]))
    assert 0.94 < low < 0.95 and 0.998 < high <= 1.005
    assert f1_range(pd.Series([], dtype=float)) == (0.0, 1.005)
