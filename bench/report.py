"""Rows, targets and the two outputs (a Markdown table and JSON). Pure functions only."""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

COLUMNS = ("metric", "scale", "value", "unit", "target", "ok")

# Upper bounds from issues 6 and 14, by scale then metric; a metric "name:detail" falls
# back to "name".
TARGETS: dict[str, dict[str, float]] = {
    "province": {
        "score_round_s": 0.05,
        "sensitivity_1000_s": 0.5,
        "notice_s": 2,  # issue #12: the annual notice
        "pack_s": 20,  # issue #12: the meeting pack, its charts rendered by kaleido
        "page_rerun_ms": 200,
        "browser_first_paint_s": 3,
        "sessions_p95_s:10": 1.5,
        "server_rss_mb": 500,
        # The public tier (issue 14): 50 sessions at once, first paint, the snapshot switch.
        "tier_sessions_p95_s:direct:50": 2,
        "tier_sessions_p95_s:nginx1:50": 2,
        "tier_sessions_p95_s:nginx2:50": 2,
        "tier_first_paint_s": 2,
        "tier_first_paint_10mbit_s": 3,
        "tier_first_paint_warm_s": 1,
        "snapshot_switch_failed_reruns": 0,
        "snapshot_switch_mixed_reruns": 0,
    },
    "national": {
        "build_db_s": 120,
        "score_round_s": 1,
        "score_floor_ratio": 5,
        "sensitivity_1000_s": 5,
        "page_rerun_ms": 1000,
        "server_rss_mb": 1500,
    },
}


@dataclass
class Row:
    """One measured figure: the median of `samples` (or a derived value), with its target."""

    metric: str
    scale: str
    value: float | None
    unit: str
    target: float | None = None
    samples: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool | None:
        """True/False against the target; None when there is no target; False on error."""
        if self.value is None or self.error:
            return False
        if self.target is None:
            return None
        return self.value <= self.target


def target_for(metric: str, scale: str) -> float | None:
    """The target of a metric at a scale: an exact name first, then the name before ':'."""
    table = TARGETS.get(scale, {})
    if metric in table:
        return table[metric]
    return table.get(metric.split(":", 1)[0])


def median(samples: Sequence[float]) -> float | None:
    return float(statistics.median(samples)) if samples else None


def percentile(samples: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100), as numpy's default; None when empty."""
    if not samples:
        return None
    ordered = sorted(samples)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def floor_ratio(value: float | None, floor: float | None) -> float | None:
    """How many times slower than the floor; None when either side is missing or the floor
    is not positive (a ratio to zero means nothing)."""
    if value is None or floor is None or floor <= 0:
        return None
    return value / floor


def paired_ratio(values: Sequence[float], floors: Sequence[float]) -> float | None:
    """Ratio of medians of two series timed in the same run (interleaved)."""
    return floor_ratio(median(values), median(floors))


def make_row(metric: str, scale: str, samples: Sequence[float], unit: str,
             error: str | None = None) -> Row:
    """A row whose value is the median of `samples`, with the target looked up."""
    value = None if error else median(samples)
    return Row(metric, scale, value, unit, target_for(metric, scale), list(samples), error)


def derived_row(metric: str, scale: str, value: float | None, unit: str,
                error: str | None = None) -> Row:
    """A row computed from other rows (a ratio, a percentile), with the target looked up."""
    if value is None and error is None:
        error = "no value"
    return Row(metric, scale, value, unit, target_for(metric, scale), [], error)


def format_value(value: float | None) -> str:
    if value is None:
        return "—"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _cells(row: Row) -> list[str]:
    value = f"error: {row.error}" if row.error else format_value(row.value)
    target = "" if row.target is None else f"≤ {format_value(row.target)}"
    ok = "" if row.ok is None else str(row.ok).lower()
    return [row.metric, row.scale, value.replace("|", "/"), row.unit, target, ok]


def markdown_table(rows: Iterable[Row]) -> str:
    """The report as one Markdown table: metric | scale | value | unit | target | ok."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(_cells(r)) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def to_json(rows: Iterable[Row], meta: dict) -> dict:
    """The same rows as the table (plus raw samples and errors) and the run's metadata."""
    out = []
    for row in rows:
        item = asdict(row)
        item["ok"] = row.ok
        out.append(item)
    return {"meta": meta, "rows": out}


def write_json(path: Path, rows: Iterable[Row], meta: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(to_json(rows, meta), ensure_ascii=False, indent=2, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")
