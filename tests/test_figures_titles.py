"""Chart titles on a phone: long titles break onto two lines (plotly does not wrap them)."""

from __future__ import annotations

import pytest

from evalcore.figures import BELOW, wrap_title


@pytest.mark.parametrize(("text", "expected"), [
    ("各设区市开工、完工与目标 · 2022", "各设区市开工、完工与目标 · 2022"),
    ("Points by dimension and stage · 西湖区 (330106) · 2022",
     "Points by dimension and stage<br>西湖区 (330106) · 2022"),
    ("Started and completed against target, by city · 2022",
     "Started and completed against<br>target, by city · 2022"),
    ("x" * 50, "x" * 50),  # nowhere to break
])
def test_wrap_title(text, expected) -> None:
    assert wrap_title(text) == expected


def test_legends_below_grow_downwards() -> None:
    assert BELOW["yanchor"] == "top" and BELOW["y"] < 0 and BELOW["orientation"] == "h"
