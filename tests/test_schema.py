"""The schema's CHECK constraints are built from the vocabulary and hold in DuckDB."""

from __future__ import annotations

import duckdb
import pytest

from evalcore import schema, vocab

COMMUNITY = ("INSERT INTO communities (id, name, county_code, lon, lat, households, batch_year, "
             "status, planned_investment_wan) VALUES ('c1', 'x', '330106', 120.1, 30.2, 10, 2022, "
             "?, 1)")


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    for statement in schema.DDL:
        con.execute(statement)
    con.execute("INSERT INTO regions VALUES ('330106', '西湖区', '西湖', 'county', NULL, "
                "NULL, NULL, NULL)")
    yield con
    con.close()


def test_checks_name_the_vocabulary_in_its_order() -> None:
    ddl = "\n".join(schema.DDL)
    assert schema.STAGE_CHECK == "stage IN ('self', 'cross', 'third_party')"
    assert "level IN ('province', 'city', 'county')" in ddl
    assert "status IN ('planned', 'started', 'completed', 'accepted')" in ddl
    assert "property_management IN ('professional', 'quasi', 'none')" in ddl
    assert schema.COMMUNITY_STATUSES == vocab.COMMUNITY_STATUSES


@pytest.mark.parametrize("status", vocab.COMMUNITY_STATUSES)
def test_every_status_of_the_vocabulary_is_accepted(con, status: str) -> None:
    con.execute(COMMUNITY, [status])
    assert con.execute("SELECT status FROM communities").fetchall() == [(status,)]


@pytest.mark.parametrize(
    ("sql", "value"),
    [(COMMUNITY, "finished"),
     ("INSERT INTO regions VALUES ('330107', 'x', 'x', ?, NULL, NULL, NULL, NULL)", "town")],
)
def test_values_outside_the_vocabulary_are_refused(con, sql: str, value: str) -> None:
    with pytest.raises(duckdb.ConstraintException):
        con.execute(sql, [value])
