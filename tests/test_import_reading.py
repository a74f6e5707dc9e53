"""Reading a file held in memory (an upload) exactly as the same file on disk: same cells, same
problems naming the same file, same hash; nothing is read from or written to disk."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pandas as pd
import pytest

from evalcore.db import Store
from evalcore.importer import ImportRejected, prepare_scores
from evalcore.importer.reading import read_table
from tests.test_import import HEADER, MANUAL, write_csv, write_xlsx

NOW = datetime(2024, 2, 1, 9, 30)
ROWS = [["西湖区", "", *[1.5] * len(MANUAL), "第三组（杭州）", "说明"]]


@pytest.mark.parametrize(("name", "encoding"), [("s.csv", "utf-8-sig"), ("s.csv", "gb18030"),
                                                ("s.xlsx", None)])
def test_bytes_read_like_the_file(tmp_path, name, encoding) -> None:
    path = tmp_path / name
    if encoding:
        write_csv(path, HEADER, ROWS, encoding)
    else:
        write_xlsx(path, HEADER, ROWS)
    from_disk = read_table(path)
    # Only the name is used: the path points nowhere and is never opened.
    from_memory = read_table(tmp_path / "elsewhere" / name, path.read_bytes())
    pd.testing.assert_frame_equal(from_memory, from_disk)


@pytest.mark.parametrize("content", [b"", b"\n\n", "a,b\n1,2\n".encode("utf-16")],
                         ids=["empty", "blank-lines", "utf16"])
def test_bytes_are_refused_like_the_file(tmp_path, content) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRejected) as on_disk:
        read_table(path)
    with pytest.raises(ImportRejected) as in_memory:
        read_table("e.csv", content)
    assert [str(p) for p in in_memory.value.problems] == [str(p) for p in on_disk.value.problems]
    assert in_memory.value.problems[0].file == "e.csv"


def test_prepared_from_bytes_equals_prepared_from_the_file(writable_db, tmp_path) -> None:
    path = write_csv(tmp_path / "cross.csv", HEADER, ROWS)
    data = path.read_bytes()
    with Store(writable_db, read_only=True) as store:
        from_disk = prepare_scores(store, path, 2023, "cross", now=NOW)
        from_memory = prepare_scores(store, "../../cross.csv", 2023, "cross", now=NOW, data=data)
    assert from_memory.result == from_disk.result
    assert from_memory.result.file == "cross.csv"  # the upload's own name, no directory
    assert from_memory.result.sha256 == hashlib.sha256(data).hexdigest()
    assert from_memory.detail == from_disk.detail
    pd.testing.assert_frame_equal(from_memory.rows, from_disk.rows)
