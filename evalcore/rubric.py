"""The scoring rubric: one TOML file per version in data/rubric/, validated on load.

The rubric drives scoring, page selectors, import templates and the methodology page, so a
province can swap in its own sheet without a code change. Format: docs/rubric.md.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from evalcore.metrics import METRIC_NAMES
from evalcore.paths import rubric_dir
from evalcore.schema import FUNDING_SOURCES
from evalcore.vocab import STAGES as STAGES  # re-exported: evalcore.rubric.STAGES stays public

# The evaluation stages (vocab.STAGES, earliest first) as a type for pydantic; a test checks
# that the two agree. A rubric may leave a stage unused.
Stage = Literal["self", "cross", "third_party"]
EPS = 1e-9


class RubricError(ValueError):
    """A rubric file that breaks a rule; the message names the file, entry and rule."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Named(_Model):
    code: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_\-]+$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh


class Derive(_Model):
    """How an indicator is computed from community and target data instead of typed in."""

    metric: str
    method: Literal["linear", "bands"]
    zero_below: float = Field(default=0.0, ge=0)
    bands: list[tuple[float, float]] = []


class Dimension(Named):
    max: float = Field(gt=0)


class Indicator(Named):
    dimension: str
    max: float = Field(gt=0)
    stage: Stage
    description_zh: str = ""
    description_en: str = ""
    rule_zh: str = ""
    rule_en: str = ""
    derive: Derive | None = None
    internal: bool = False

    @property
    def is_derived(self) -> bool:
        return self.derive is not None


class BonusGroup(Named):
    cap: float = Field(ge=0)


class BonusCategory(Named):
    group: str
    points: float = Field(ge=0)
    stage: Stage
    # The funding channel a case of this category raises money through (a column
    # fund_<source>_wan of communities): reviewers see the unit's own figures beside a claim,
    # and a case states the amount it raised. None: not a funding channel.
    funding_source: str | None = None


class Bonus(_Model):
    total_cap: float = Field(ge=0)
    groups: list[BonusGroup] = []
    categories: list[BonusCategory] = []


class DeductionItem(Named):
    min_points: float = Field(ge=0)
    max_points: float = Field(ge=0)
    cap: float = Field(ge=0)


class Deductions(_Model):
    total_cap: float = Field(ge=0)
    items: list[DeductionItem] = []


class Grade(Named):
    min: float
    max: float


class Reconciliation(_Model):
    method: Literal["verifying_stage", "blend"] = "verifying_stage"
    weights: dict[Stage, float] = {}


class Credibility(_Model):
    inflation_threshold: float = Field(default=0.15, gt=0, le=1)
    min_inflated: int = Field(default=3, ge=1)
    deduction_code: str | None = None


class Rollup(_Model):
    city_method: Literal["direct", "household_weighted"] = "direct"


class Incentives(_Model):
    """A rule that links results to incentives (issue #12 §3): a fund pool split among the
    units of `level` by grade coefficients or by points above a threshold, and how many of
    the best-ranked units are nominated for 督查激励."""

    method: Literal["grade_coefficients", "score_above_threshold"]
    level: Literal["city", "county"] = "county"
    default_pool_wan: float = Field(default=1000.0, gt=0)
    coefficients: dict[str, float] = {}  # grade code -> coefficient (grade_coefficients)
    threshold: float | None = None  # total points (score_above_threshold)
    nominate: int = Field(default=0, ge=0)
    note_zh: str = ""
    note_en: str = ""


class Header(_Model):
    id: str = Field(min_length=1)
    name_zh: str
    name_en: str
    region_code: str
    base_total: float = Field(gt=0)
    source_note_zh: str = ""
    source_note_en: str = ""


class Rubric(_Model):
    rubric: Header
    reconciliation: Reconciliation = Reconciliation()
    credibility: Credibility = Credibility()
    rollup: Rollup = Rollup()
    dimensions: list[Dimension]
    indicators: list[Indicator]
    bonus: Bonus
    deductions: Deductions
    vetoes: list[Named] = []
    grades: list[Grade]
    incentives: Incentives | None = None

    @property
    def id(self) -> str:
        return self.rubric.id

    @property
    def max_total(self) -> float:
        return self.rubric.base_total + self.bonus.total_cap

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)

    def manual_indicators(self) -> list[Indicator]:
        """Indicators that evaluators score by hand (the columns of an import template)."""
        return [i for i in self.indicators if not i.is_derived]

    def lowest_grade(self) -> Grade:
        return min(self.grades, key=lambda g: g.min)

    @model_validator(mode="after")
    def _check_consistency(self) -> Rubric:
        for problem in _consistency_problems(self):
            raise ValueError(problem)
        return self


def _duplicates(codes: list[str]) -> list[str]:
    return sorted({c for c in codes if codes.count(c) > 1})


def _consistency_problems(r: Rubric) -> list[str]:
    """Cross-entry rules pydantic's field types cannot express, first problem first."""
    checks = (
        _check_unique_codes,
        _check_references,
        _check_sums,
        _check_derive,
        _check_bonus_and_deductions,
        _check_reconciliation,
        _check_grades,
        _check_incentives,
    )
    return [p for check in checks for p in check(r)]


def _check_incentives(r: Rubric) -> list[str]:
    rule = r.incentives
    if rule is None:
        return []
    grades = {g.code for g in r.grades}
    problems = [f"incentives.coefficients[{code}]: grade '{code}' does not exist "
                "(references must resolve)" for code in rule.coefficients if code not in grades]
    problems += [f"incentives.coefficients[{code}]: {value:g} is negative (coefficients must "
                 "be 0 or more)" for code, value in rule.coefficients.items() if value < 0]
    if rule.method == "grade_coefficients":
        missing = sorted(grades - set(rule.coefficients))
        if missing:
            problems.append(f"incentives.coefficients: no coefficient for grade(s) "
                            f"{', '.join(missing)} (every grade needs one)")
        elif not any(v > 0 for v in rule.coefficients.values()):
            problems.append("incentives.coefficients: every coefficient is 0 (at least one "
                            "must be positive)")
    if rule.method == "score_above_threshold":
        if rule.threshold is None:
            problems.append("incentives.threshold: missing (score_above_threshold needs one)")
        elif not 0 <= rule.threshold < r.max_total:
            problems.append(f"incentives.threshold: {rule.threshold:g} is outside 0 to "
                            f"{r.max_total:g} (the rubric's point range)")
    return problems


def _check_unique_codes(r: Rubric) -> list[str]:
    families = {
        "dimensions": [d.code for d in r.dimensions],
        "indicators": [i.code for i in r.indicators],
        "bonus.groups": [g.code for g in r.bonus.groups],
        "bonus.categories": [c.code for c in r.bonus.categories],
        "deductions.items": [d.code for d in r.deductions.items],
        "vetoes": [v.code for v in r.vetoes],
        "grades": [g.code for g in r.grades],
    }
    problems = [
        f"{family}[{code}]: code '{code}' is used more than once (codes must be unique)"
        for family, codes in families.items()
        for code in _duplicates(codes)
    ]
    penalties = families["deductions.items"] + families["vetoes"]
    problems += [
        f"vetoes[{c}]: code '{c}' is also a deduction item (codes must be unique)"
        for c in _duplicates(penalties)
    ]
    return problems


def _check_references(r: Rubric) -> list[str]:
    dims = {d.code for d in r.dimensions}
    groups = {g.code for g in r.bonus.groups}
    items = {d.code for d in r.deductions.items}
    problems = [
        f"indicators[{i.code}]: dimension '{i.dimension}' does not exist (references must resolve)"
        for i in r.indicators
        if i.dimension not in dims
    ]
    problems += [
        f"bonus.categories[{c.code}]: group '{c.group}' does not exist (references must resolve)"
        for c in r.bonus.categories
        if c.group not in groups
    ]
    problems += [
        f"bonus.categories[{c.code}]: funding_source '{c.funding_source}' is not a funding "
        f"column of communities (known: {', '.join(FUNDING_SOURCES)})"
        for c in r.bonus.categories
        if c.funding_source is not None and c.funding_source not in FUNDING_SOURCES
    ]
    code = r.credibility.deduction_code
    if code is not None and code not in items:
        problems.append(
            f"credibility.deduction_code: '{code}' is not a deduction item "
            "(references must resolve)"
        )
    return problems


def _check_sums(r: Rubric) -> list[str]:
    problems = []
    for d in r.dimensions:
        total = sum(i.max for i in r.indicators if i.dimension == d.code)
        if abs(total - d.max) > EPS:
            problems.append(
                f"dimensions[{d.code}]: indicator maxima sum to {total:g}, "
                f"but the dimension declares {d.max:g} (they must be equal)"
            )
    dim_total = sum(d.max for d in r.dimensions)
    if abs(dim_total - r.rubric.base_total) > EPS:
        problems.append(
            f"rubric.base_total: dimensions sum to {dim_total:g}, but base_total is "
            f"{r.rubric.base_total:g} (they must be equal)"
        )
    return problems


def _check_derive(r: Rubric) -> list[str]:
    problems = []
    for i in r.indicators:
        if i.derive is None:
            continue
        where = f"indicators[{i.code}].derive"
        if i.derive.metric not in METRIC_NAMES:
            known = ", ".join(sorted(METRIC_NAMES))
            problems.append(f"{where}: unknown metric '{i.derive.metric}' (known: {known})")
        if i.derive.method == "bands":
            thresholds = [t for t, _ in i.derive.bands]
            if not i.derive.bands:
                problems.append(f"{where}: method 'bands' needs a non-empty bands list")
            if thresholds != sorted(thresholds, reverse=True):
                problems.append(f"{where}: band thresholds must be in descending order")
            if any(p < 0 or p > i.max + EPS for _, p in i.derive.bands):
                problems.append(f"{where}: band points must lie between 0 and max {i.max:g}")
    return problems


def _check_bonus_and_deductions(r: Rubric) -> list[str]:
    problems = [
        f"deductions.items[{d.code}]: min_points {d.min_points:g} exceeds max_points "
        f"{d.max_points:g}"
        for d in r.deductions.items
        if d.min_points > d.max_points
    ]
    problems += [
        f"bonus.groups[{g.code}]: cap {g.cap:g} exceeds the total bonus cap "
        f"{r.bonus.total_cap:g}"
        for g in r.bonus.groups
        if g.cap > r.bonus.total_cap + EPS
    ]
    return problems


def _check_reconciliation(r: Rubric) -> list[str]:
    rec = r.reconciliation
    if rec.method != "blend":
        return []
    if not rec.weights:
        return ["reconciliation.weights: method 'blend' needs stage weights"]
    if any(w < 0 for w in rec.weights.values()):
        return ["reconciliation.weights: weights must be ≥ 0"]
    total = sum(rec.weights.values())
    if abs(total - 1) > 1e-6:
        return [f"reconciliation.weights: weights sum to {total:g}, they must sum to 1"]
    return []


def _check_grades(r: Rubric) -> list[str]:
    if not r.grades:
        return ["grades: at least one grade band is required"]
    bands = sorted(r.grades, key=lambda g: g.min)
    problems = [
        f"grades[{g.code}]: min {g.min:g} is not below max {g.max:g}"
        for g in bands
        if g.min >= g.max
    ]
    if abs(bands[0].min) > EPS:
        problems.append(f"grades[{bands[0].code}]: the lowest band must start at 0")
    if abs(bands[-1].max - r.max_total) > EPS:
        problems.append(
            f"grades[{bands[-1].code}]: the top band must end at the maximum total "
            f"{r.max_total:g} (base + bonus cap), not {bands[-1].max:g}"
        )
    for lower, upper in zip(bands, bands[1:], strict=False):
        if upper.min < lower.max - EPS:
            problems.append(f"grades[{upper.code}]: overlaps grades[{lower.code}]")
        elif upper.min > lower.max + EPS:
            problems.append(
                f"grades[{upper.code}]: gap between {lower.max:g} and {upper.min:g} "
                "(bands must cover the range)"
            )
    return problems


def _format_validation_error(path: Path, data: dict, err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        loc = list(e["loc"])
        # Name list entries by their code, not their position, so the author can find them.
        if len(loc) >= 2 and isinstance(loc[1], int):
            family = data.get(loc[0]) if isinstance(data.get(loc[0]), list) else None
            if family and loc[1] < len(family) and isinstance(family[loc[1]], dict):
                loc[1] = family[loc[1]].get("code", loc[1])
        where = ".".join(f"[{p}]" if i == 1 else str(p) for i, p in enumerate(loc))
        message = e["msg"].removeprefix("Value error, ")
        lines.append(f"{where.replace('.[', '[')}: {message}" if where else message)
    return f"rubric {path.name}: " + "; ".join(lines)


def parse_rubric(path: Path) -> Rubric:
    """Read and validate one rubric file; raise RubricError naming the entry and rule."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RubricError(f"rubric {path.name}: cannot be read: {exc}") from exc
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        raise RubricError(_format_validation_error(path, data, exc)) from None


def rubric_path(version: str) -> Path:
    return rubric_dir() / f"{version}.toml"


def list_rubrics() -> list[str]:
    return sorted(p.stem for p in rubric_dir().glob("*.toml"))


def load_rubric(version: str) -> Rubric:
    """The rubric of that version (e.g. 'zj-2020') from the rubric directory (paths.rubric_dir:
    data/rubric, or EVAL_RUBRIC_DIR); cached, rubrics are immutable. RubricError when it is
    missing or breaks a rule."""
    return _load_rubric(str(rubric_dir()), version)


@lru_cache(maxsize=16)
def _load_rubric(directory: str, version: str) -> Rubric:
    path = Path(directory) / f"{version}.toml"
    if not path.exists():
        raise RubricError(f"rubric '{version}' not found in {directory} (have: {list_rubrics()})")
    rubric = parse_rubric(path)
    if rubric.id != version:
        raise RubricError(f"rubric {path.name}: rubric.id '{rubric.id}' must match the file name")
    return rubric
