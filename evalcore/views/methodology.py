"""Methodology: the round's rubric as tables and plain words, the what-if ranking and the
rank-uncertainty table. Everything is read from the rubric object, so another province's
rubric file renders without a code change."""

from __future__ import annotations

import pandas as pd

from evalcore.labels import t
from evalcore.rubric import Rubric
from evalcore.scoring.weights import normalised_weights
from evalcore.views.common import rank_arrow, unit_names
from evalcore.views.profile import join_list

# As ui.uncertainty runs the simulation (scoring.rank_uncertainty's default sigma).
UNCERTAINTY_DRAWS = 1000
UNCERTAINTY_SIGMA = 0.1


def _num(x: float) -> str:
    return f"{x:g}"


def plain_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame for display, floats shown as 20 or 1.5 rather than st.table's 20.0000: a
    column of whole numbers becomes integers (still numbers), any other float column text.
    A plain frame, not a pandas Styler: st.table renders a Styler's display values cell by
    cell, which made the rubric tables most of this page's server time."""
    out = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if not pd.api.types.is_float_dtype(values):
            continue
        if values.notna().all() and (values == values.round()).all():
            out[column] = values.astype("int64")
        else:
            out[column] = [_num(v) if pd.notna(v) else "" for v in values]
    return out


# -- the rubric ----------------------------------------------------------------------------

def dimension_table(rubric: Rubric, lang: str) -> pd.DataFrame:
    """One row per dimension: code, name, points, number of indicators."""
    counts = pd.Series([i.dimension for i in rubric.indicators]).value_counts()
    return pd.DataFrame({
        t("mt_code", lang): [d.code for d in rubric.dimensions],
        t("mt_dimension", lang): [d.name(lang) for d in rubric.dimensions],
        t("mt_points", lang): [float(d.max) for d in rubric.dimensions],
        t("mt_n_indicators", lang): [int(counts.get(d.code, 0)) for d in rubric.dimensions],
    })


def _scored_by(indicator, lang: str) -> str:
    if indicator.derive is None:
        return t("mt_manual", lang)
    return t("mt_derived", lang).format(metric=indicator.derive.metric)


def indicator_table(rubric: Rubric, dimension: str, lang: str) -> pd.DataFrame:
    """One dimension's indicators: code, name, max, verifying stage, how scored, rule, text."""
    rows = [i for i in rubric.indicators if i.dimension == dimension]
    zh = lang != "en"
    return pd.DataFrame({
        t("mt_code", lang): [i.code for i in rows],
        t("mt_indicator", lang): [i.name(lang) for i in rows],
        t("mt_max", lang): [float(i.max) for i in rows],
        t("mt_verifying", lang): [t(i.stage, lang) for i in rows],
        t("mt_source_col", lang): [_scored_by(i, lang) for i in rows],
        t("mt_rule", lang): [i.rule_zh if zh else i.rule_en for i in rows],
        t("mt_description", lang): [i.description_zh if zh else i.description_en for i in rows],
    })


def dimension_heading(rubric: Rubric, dimension: str, lang: str) -> str:
    d = next(d for d in rubric.dimensions if d.code == dimension)
    n = sum(i.dimension == dimension for i in rubric.indicators)
    return t("mt_dim_expander", lang).format(code=d.code, name=d.name(lang), max=_num(d.max), n=n)


def total_rule(rubric: Rubric, lang: str) -> str:
    """How the total is made, then how it ranks (scoring.common.competition_ranks)."""
    total = t("mt_total_rule", lang).format(base=_num(rubric.rubric.base_total),
                                            bonus=_num(rubric.bonus.total_cap),
                                            ded=_num(rubric.deductions.total_cap))
    return total + (" " if lang == "en" else "") + t("mt_rank_rule", lang)


def bonus_table(rubric: Rubric, lang: str) -> pd.DataFrame:
    """Bonus categories: code, name, group (with its cap), points, verifying stage."""
    groups = {g.code: g for g in rubric.bonus.groups}
    cats = rubric.bonus.categories
    return pd.DataFrame({
        t("mt_code", lang): [c.code for c in cats],
        t("mt_name", lang): [c.name(lang) for c in cats],
        t("mt_group", lang): [groups[c.group].name(lang) for c in cats],
        t("mt_group_cap", lang): [float(groups[c.group].cap) for c in cats],
        t("mt_points", lang): [float(c.points) for c in cats],
        t("mt_verifying", lang): [t(c.stage, lang) for c in cats],
    })


def bonus_rule(rubric: Rubric, lang: str) -> str:
    return t("mt_bonus_rule", lang).format(cap=_num(rubric.bonus.total_cap))


def deduction_table(rubric: Rubric, lang: str) -> pd.DataFrame:
    items = rubric.deductions.items
    return pd.DataFrame({
        t("mt_code", lang): [d.code for d in items],
        t("mt_name", lang): [d.name(lang) for d in items],
        t("mt_min", lang): [float(d.min_points) for d in items],
        t("mt_max_deduction", lang): [float(d.max_points) for d in items],
        t("mt_item_cap", lang): [float(d.cap) for d in items],
    })


def deduction_rule(rubric: Rubric, lang: str) -> str:
    return t("mt_deduction_rule", lang).format(cap=_num(rubric.deductions.total_cap))


def veto_lines(rubric: Rubric, lang: str) -> tuple[str, list[str]]:
    """The veto sentence (with the lowest grade) and one line per veto item."""
    head = t("mt_vetoes", lang).format(grade=rubric.lowest_grade().name(lang))
    return head, [f"{v.code} {v.name(lang)}" for v in rubric.vetoes]


def credibility_text(rubric: Rubric, lang: str) -> str | None:
    cred = rubric.credibility
    item = next((d for d in rubric.deductions.items if d.code == cred.deduction_code), None)
    if item is None:
        return None
    return t("mt_credibility", lang).format(pct=f"{cred.inflation_threshold:.0%}",
                                            n=cred.min_inflated, item=item.name(lang),
                                            points=_num(item.min_points))


def grade_table(rubric: Rubric, lang: str) -> pd.DataFrame:
    """Grade bands best first; the lower bound is inclusive, the upper one exclusive except
    at the top."""
    bands = sorted(rubric.grades, key=lambda g: -g.min)
    ranges = [f"[{_num(g.min)}, {_num(g.max)}{']' if i == 0 else ')'}" for i, g in enumerate(bands)]
    return pd.DataFrame({
        t("grade", lang): [g.name(lang) for g in bands],
        t("mt_range", lang): ranges,
    })


def reconciliation_text(rubric: Rubric, lang: str) -> str:
    rec = rubric.reconciliation
    if rec.method != "blend":
        return t("mt_reconcile_verifying", lang)
    weights = join_list([f"{t(s, lang)} {w:.0%}" for s, w in rec.weights.items()], lang)
    return t("mt_reconcile_blend", lang).format(weights=weights)


def rubric_name(rubric: Rubric, lang: str) -> str:
    header = rubric.rubric
    return header.name_en if lang == "en" else header.name_zh


def source_note(rubric: Rubric, lang: str) -> str:
    header = rubric.rubric
    return header.source_note_en if lang == "en" else header.source_note_zh


# -- the stage process ---------------------------------------------------------------------

def inspection_table(groups: pd.DataFrame, regions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Group, leading city, inspected city and whether they are the same (they never are)."""
    names = regions.set_index("code")["name"]
    own = groups["leader_city_code"] == groups["inspected_city_code"]
    return pd.DataFrame({
        t("mt_group_no", lang): groups["group_no"].astype(int).to_numpy(),
        t("mt_leader", lang): groups["leader_city_code"].map(names).to_numpy(),
        t("mt_inspected", lang): groups["inspected_city_code"].map(names).to_numpy(),
        t("mt_own_city", lang): [t("mt_own_yes" if o else "mt_own_no", lang) for o in own],
    })


# -- what-if -------------------------------------------------------------------------------

def default_weights(rubric: Rubric) -> dict[str, float]:
    return {d.code: float(d.max) for d in rubric.dimensions}


def parse_weights(text: str | None, rubric: Rubric, ceiling: float) -> dict[str, float] | None:
    """Weights from the URL (`?w=20,15,35,10,20`, in the rubric's dimension order), or None
    when absent or not valid: one number in [0, ceiling] per dimension."""
    if not text:
        return None
    parts = text.split(",")
    codes = [d.code for d in rubric.dimensions]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        return None
    if len(values) != len(codes) or not all(0 <= v <= ceiling for v in values):
        return None
    return dict(zip(codes, values, strict=True))


def weights_text(weights: dict[str, float]) -> str:
    return ",".join(f"{w:g}" for w in weights.values())


def weight_pairs(weights: dict[str, float]) -> tuple[tuple[str, float], ...]:
    """Hashable, order-stable weights for the cached what-if loader."""
    return tuple((code, float(w)) for code, w in weights.items())


def rescaled_text(rubric: Rubric, weights: dict[str, float], lang: str) -> str:
    """'A 20 · B 15 …': the weights the engine scores with (scoring.weights rescales them)."""
    used = normalised_weights(rubric, weights)
    parts = [f"{code} {w:.1f}" for code, w in used.items()]
    return t("mt_weights_used", lang).format(w=" · ".join(parts))


def whatif_frame(result: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The re-scored ranking: new rank, unit, new total, base rank, base total, change."""
    return pd.DataFrame({
        t("mt_new_rank", lang): result["rank"].astype(int).to_numpy(),
        t("unit_name", lang): unit_names(result, lang).to_numpy(),
        t("mt_new_total", lang): result["total"].round(2).to_numpy(),
        t("mt_base_rank", lang): result["base_rank"].astype(int).to_numpy(),
        t("mt_base_total", lang): result["base_total"].round(2).to_numpy(),
        t("mt_change", lang): result["rank_change"].map(rank_arrow).to_numpy(),
    })


# -- uncertainty ---------------------------------------------------------------------------

def uncertainty_text(rubric: Rubric, lang: str) -> str:
    return t("mt_uncertainty_text", lang).format(
        draws=UNCERTAINTY_DRAWS, pct=f"{UNCERTAINTY_SIGMA:.0%}",
        base=_num(rubric.rubric.base_total))


def uncertainty_frame(uncertainty: pd.DataFrame, board: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per unit in rank order: rank, interval, median rank, P(top 3), tied with (names)."""
    names = board.set_index("unit_code")["unit_name"]
    u = uncertainty.sort_values(["rank", "unit_code"])
    low, high = u["rank_p05"].astype(int), u["rank_p95"].astype(int)
    return pd.DataFrame({
        t("rank", lang): u["rank"].astype(int).to_numpy(),
        t("unit_name", lang): u["unit_code"].map(names).to_numpy(),
        t("rank_interval", lang): [f"{a}" if a == b else f"{a}–{b}"
                                   for a, b in zip(low, high, strict=True)],
        t("mt_median_rank", lang): u["rank_median"].to_numpy(),
        t("p_top3", lang): u["p_top3"].map(lambda p: f"{p:.0%}").to_numpy(),
        t("mt_tied_with", lang): [join_list([names.get(c, c) for c in tied], lang)
                                  for tied in u["tied_with"]],
    })
