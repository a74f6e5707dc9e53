"""A broken rubric file on the command line: every verb that loads a rubric (score, template,
import, round create) prints its RubricError message (file, entry, rule) and exits 2, without
a traceback, and writes nothing. The database holds two rubrics (tests/two_rubrics.py): rounds
on the intact one still work."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evalcore import actions
from evalcore.__main__ import main
from evalcore.db import Store
from evalcore.paths import ROOT, RUBRIC_DIR
from evalcore.rubric import RubricError, load_rubric
from tests.two_rubrics import JX_YEAR

# jx-2022 with its dimension A declaring 31 points where its indicators sum to 30.
BROKEN = ("rubric jx-2022.toml: dimensions[A]: indicator maxima sum to 30, but the dimension "
          "declares 31 (they must be equal)")


@pytest.fixture
def broken_dir(tmp_path: Path, monkeypatch) -> Path:
    """A rubric directory (EVAL_RUBRIC_DIR) with zj-2020 intact and jx-2022 broken."""
    folder = tmp_path / "rubric"
    folder.mkdir()
    shutil.copy(RUBRIC_DIR / "zj-2020.toml", folder)
    text = (RUBRIC_DIR / "jx-2022.toml").read_text(encoding="utf-8")
    start = text.index('code = "A"')
    at = text.index("max = 30", start)
    (folder / "jx-2022.toml").write_text(text[:at] + "max = 31" + text[at + 8:],
                                         encoding="utf-8")
    monkeypatch.setenv("EVAL_RUBRIC_DIR", str(folder))
    return folder


@pytest.fixture
def db(two_rubric_db_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "cli.duckdb"
    shutil.copyfile(two_rubric_db_path, path)
    return path


def test_the_directory_is_read_from_the_environment(broken_dir) -> None:
    with pytest.raises(RubricError) as caught:
        load_rubric("jx-2022")
    assert str(caught.value) == BROKEN
    assert load_rubric("zj-2020").id == "zj-2020"


def test_score_names_the_broken_file_entry_and_rule(broken_dir, db, capsys) -> None:
    assert main(["score", "--db", str(db), "--round", "2022", "--level", "city"]) == 0
    capsys.readouterr()
    assert main(["score", "--db", str(db), "--round", str(JX_YEAR), "--level", "city"]) == 2
    out, err = capsys.readouterr()
    assert err.strip() == BROKEN and out == ""


def test_template_names_the_broken_rubric(broken_dir, db, tmp_path, capsys) -> None:
    target = tmp_path / "cross.xlsx"
    assert main(["template", "--db", str(db), "--round", str(JX_YEAR), "--stage", "self",
                 "--out", str(target)]) == 2
    assert capsys.readouterr().err.strip() == BROKEN
    assert not target.exists()


def test_import_names_the_broken_rubric_and_writes_nothing(broken_dir, db, tmp_path,
                                                           capsys) -> None:
    upload = tmp_path / "self.csv"
    upload.write_text("unit_code,A3\n330106,5\n", encoding="utf-8")
    with Store(db) as store:
        before = store.scores(JX_YEAR)
    assert main(["import", str(upload), "--db", str(db), "--round", str(JX_YEAR),
                 "--stage", "self"]) == 2
    assert capsys.readouterr().err.strip() == BROKEN
    with Store(db) as store:
        assert store.scores(JX_YEAR).equals(before)


def test_round_create_names_the_broken_rubric_and_writes_nothing(broken_dir, db,
                                                                  capsys) -> None:
    assert main(["round", "create", "2030", "--db", str(db), "--rubric", "jx-2022"]) == 2
    assert capsys.readouterr().err.strip().endswith(BROKEN)  # the file's message, named
    assert main(["round", "create", "2031", "--db", str(db), "--rubric", "zj-2020"]) == 0
    assert "round 2031 created (rubric zj-2020)" in capsys.readouterr().out
    with Store(db) as store:
        assert set(store.rounds()["year"]) == {2020, 2021, 2022, 2023, 2031}


def test_round_create_refuses_what_the_store_refuses(db, capsys) -> None:
    assert main(["round", "create", "2022", "--db", str(db), "--rubric", "zj-2020",
                 "--lang", "zh"]) == 2
    assert capsys.readouterr().err.strip() == "2022 年度考评已存在"


def test_a_missing_rubric_is_named(db, capsys) -> None:
    assert main(["round", "create", "2030", "--db", str(db), "--rubric", "xx-1999"]) == 2
    assert "unknown rubric version xx-1999" in capsys.readouterr().err


def test_the_create_round_action_refuses_a_broken_rubric(broken_dir, db) -> None:
    # The data page's path: a refusal in the user's language, carrying the file's message.
    with Store(db, read_only=False) as store:
        with pytest.raises(actions.Refused) as refused:
            actions.create_round(store, actions.CLI, 2030, "jx-2022")
        assert 2030 not in set(store.rounds()["year"])
    assert refused.value.render("zh").startswith("评分标准 jx-2022 的文件有误")
    assert refused.value.render("en") == f"rubric jx-2022 cannot be used for a round: {BROKEN}"


def test_no_traceback_from_a_real_process(broken_dir, db) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "evalcore", "score", "--db", str(db), "--round", str(JX_YEAR),
         "--level", "county"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "EVAL_RUBRIC_DIR": str(broken_dir)})
    assert done.returncode == 2
    assert done.stderr.strip() == BROKEN and "Traceback" not in done.stderr
