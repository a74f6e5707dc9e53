"""Home: links for each audience, carrying the round and language."""

from __future__ import annotations

import pytest

from tests.pages_helper import open_page, open_restricted, restricted_views


def test_home_links_each_audience_to_its_pages(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "home", round="2021", lang="en")
    assert [s.value for s in at.subheader] == ["The public", "Leadership", "Cities and counties"]
    links = at.get("page_link")
    assert len(links) == 11
    assert all("round=2021" in link.proto.query_string for link in links)
    # A phone reaches every public page from here, the community search and the big screen too.
    public = [link.proto.page for link in links[:4]]
    assert public == ["progress", "map", "community", "screen"]


@pytest.mark.parametrize(("role", "codes", "level"), restricted_views())
def test_unit_and_group_users_open_home_in_the_draft_round(demo_db_path, monkeypatch, role,
                                                           codes, level) -> None:
    at = open_restricted(demo_db_path, monkeypatch, "home", role, codes, level)
    links = at.get("page_link")
    assert len(links) == 11
    assert all("round=2023" in link.proto.query_string for link in links)
