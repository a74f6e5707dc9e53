"""Rubric files: the shipped ones load; broken ones are refused with a message naming the entry."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import get_args

import pytest

from evalcore import vocab
from evalcore.paths import RUBRIC_DIR
from evalcore.rubric import STAGES, RubricError, Stage, list_rubrics, load_rubric, parse_rubric

ZJ = RUBRIC_DIR / "zj-2020.toml"


def test_stage_type_and_stages_are_the_vocabulary() -> None:
    assert get_args(Stage) == vocab.STAGES
    assert STAGES is vocab.STAGES  # evalcore.rubric.STAGES is re-exported, not declared again


def test_shipped_rubrics_are_listed() -> None:
    assert {"zj-2020", "jx-2022"} <= set(list_rubrics())


def test_zhejiang_default_structure() -> None:
    r = load_rubric("zj-2020")
    dims = {d.code: (d.name_zh, d.max) for d in r.dimensions}
    assert dims == {
        "A": ("统筹领导", 20), "B": ("监督检查", 15), "C": ("项目推进", 35),
        "D": ("资金筹集", 10), "E": ("长效管理", 20),
    }
    # domain.md Part C lists 23 indicators (A1-A5, B1-B4, C1-C6, D1-D3, E1-E5).
    assert len(r.indicators) == 23
    assert r.rubric.base_total == 100 and r.max_total == 110
    assert all(i.stage in STAGES for i in r.indicators)
    assert all(i.name_en and i.rule_zh and i.rule_en and i.description_zh for i in r.indicators)


def test_zhejiang_bonus_and_grades() -> None:
    r = load_rubric("zj-2020")
    funding = [c for c in r.bonus.categories if c.group == "funding"]
    assert [c.points for c in funding] == [1] * 6
    assert {g.code: g.cap for g in r.bonus.groups}["funding"] == 6
    assert r.bonus.total_cap == 10
    assert [g.name_zh for g in sorted(r.grades, key=lambda g: -g.min)] == [
        "优秀", "良好", "合格", "不合格"]
    assert {v.code for v in r.vetoes} == {"V1", "V2"}


def test_jiangxi_example_loads_with_its_own_structure() -> None:
    r = load_rubric("jx-2022")
    assert len(r.dimensions) == 5 and len(r.indicators) == 18
    assert r.reconciliation.method == "blend"


def _broken(tmp_path: Path, mutate) -> Path:
    data = tomllib.loads(ZJ.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "broken.toml"
    path.write_text(_dump(data), encoding="utf-8")
    return path


def _dump(data: dict) -> str:
    """A tiny TOML writer for the test's mutated copies (tomllib only reads)."""
    import json

    def value(v):
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + " }"
        return json.dumps(v, ensure_ascii=False)

    lines = []
    for key, v in data.items():
        if isinstance(v, list):
            for item in v:
                lines.append(f"[[{key}]]")
                lines += [f"{k} = {value(x)}" for k, x in item.items()]
        elif isinstance(v, dict):
            lines.append(f"[{key}]")
            for k, x in v.items():
                if isinstance(x, list) and x and isinstance(x[0], dict):
                    continue
                lines.append(f"{k} = {value(x)}")
            for k, x in v.items():
                if isinstance(x, list) and x and isinstance(x[0], dict):
                    for item in x:
                        lines.append(f"[[{key}.{k}]]")
                        lines += [f"{kk} = {value(xx)}" for kk, xx in item.items()]
    return "\n".join(lines)


def _ind(data: dict, code: str) -> dict:
    return next(i for i in data["indicators"] if i["code"] == code)


BROKEN = [
    ("duplicate code", lambda d: _ind(d, "A2").update(code="A1"), r"indicators\[A1\].*more than once"),
    ("sum mismatch", lambda d: _ind(d, "A1").update(max=5), r"dimensions\[A\].*sum to 21.*declares 20"),
    ("base total", lambda d: d["rubric"].update(base_total=99), r"rubric.base_total.*sum to 100"),
    ("bad reference", lambda d: _ind(d, "B1").update(dimension="Z"), r"indicators\[B1\].*dimension 'Z'"),
    ("negative cap", lambda d: d["bonus"]["groups"][0].update(cap=-1), r"bonus.groups.*greater than or equal to 0"),
    ("unknown metric", lambda d: _ind(d, "C1")["derive"].update(metric="speed"), r"indicators\[C1\].derive.*unknown metric 'speed'"),
    ("grade gap", lambda d: d["grades"][1].update(min=81), r"grades\[excellent\]|grades\[good\]"),
    ("grade overlap", lambda d: d["grades"][2].update(max=85), r"overlaps"),
    ("top band", lambda d: d["grades"][0].update(max=100), r"top band must end at the maximum total 110"),
    ("unknown stage", lambda d: _ind(d, "A1").update(stage="peer"), r"indicators\[A1\].stage"),
    ("missing field", lambda d: _ind(d, "A1").pop("max"), r"indicators\[A1\].max.*required"),
    ("unknown key", lambda d: _ind(d, "A1").update(weight=2), r"indicators\[A1\].weight.*not permitted"),
    ("bad group", lambda d: d["bonus"]["categories"][0].update(group="x"), r"bonus.categories\[F1\].*group 'x'"),
    ("credibility ref", lambda d: d["credibility"].update(deduction_code="ZZ"), r"credibility.deduction_code.*'ZZ'"),
]


@pytest.mark.parametrize(("case", "mutate", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_rubric_is_refused_naming_entry_and_rule(tmp_path, case, mutate, message) -> None:
    path = _broken(tmp_path, mutate)
    with pytest.raises(RubricError, match=message) as info:
        parse_rubric(path)
    assert str(info.value).startswith("rubric broken.toml:")


def test_unmodified_roundtrip_of_the_test_writer_is_valid(tmp_path) -> None:
    assert parse_rubric(_broken(tmp_path, lambda d: None)).id == "zj-2020"


def test_unreadable_toml_names_the_file(tmp_path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[rubric\nid = 1", encoding="utf-8")
    with pytest.raises(RubricError, match=re.escape("rubric bad.toml: cannot be read")):
        parse_rubric(path)


def test_unknown_version_lists_what_exists() -> None:
    with pytest.raises(RubricError, match="not found.*zj-2020"):
        load_rubric("xx-1999")


def test_every_rubric_field_is_documented() -> None:
    from evalcore import rubric as module
    from evalcore.paths import ROOT

    doc = (ROOT / "docs" / "rubric.md").read_text(encoding="utf-8")
    models = [module.Header, module.Reconciliation, module.Credibility, module.Rollup,
              module.Dimension, module.Indicator, module.Derive, module.Bonus,
              module.BonusGroup, module.BonusCategory, module.Deductions,
              module.DeductionItem, module.Grade]
    missing = {f"{m.__name__}.{f}" for m in models for f in m.model_fields
               if f"`{f}`" not in doc and f" {f}" not in doc}
    assert not missing, f"undocumented rubric fields: {sorted(missing)}"


def test_the_format_doc_states_the_engine_rules() -> None:
    """docs/rubric.md says what the engine does with the file where the file is silent: each
    rule here is pinned by a scoring test (test_scoring_common, _credibility, _reconcile,
    _penalties); this keeps the text in step with the constants."""
    from evalcore.rubric import EPS
    from evalcore.scoring.common import NOISE_DECIMALS, ROUND_DECIMALS

    text = (RUBRIC_DIR.parent.parent / "docs" / "rubric.md").read_text(encoding="utf-8")
    assert EPS == 1e-9 and "1e-9 (`EPS`)" in text and "`EPS` = 1e-9" in text
    assert (ROUND_DECIMALS, NOISE_DECIMALS) == (2, 6)
    assert "to two decimals" in text and "rounded to six decimals" in text
    assert "renormalised over the weighted stages present" in text
    assert "refused with an error naming the unit, item and points, never clipped" in text
    assert "ranks the unit after every unit without a veto" in text
