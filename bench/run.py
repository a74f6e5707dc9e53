"""One benchmark run: every scale's rows, the table on stdout, JSON in bench/out/latest.json."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench.apptest import page_rows
from bench.config import PAGE_QUERIES, Profile, scale_label
from bench.documents import document_rows
from bench.engine import build_rows, engine_rows
from bench.report import Row, markdown_table, write_json
from bench.serve import log, server_rows
from bench.tier import tier_rows
from evalcore.db import Store
from evalcore.demo.national import NationalSpec
from evalcore.paths import ROOT

OUT = ROOT / "bench" / "out"
DATASETS = {
    "province": "demo: real Zhejiang regions (11 cities, 90 counties), synthetic communities "
                "and scores (evalcore.demo.build_demo)",
    "national": "synthetic-national: Zhejiang real, every other region synthetic (codes, names, "
                "square boundaries); synthetic communities and scores "
                "(evalcore.demo.national.build_national)",
}


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                             capture_output=True, text=True, timeout=10)
    except OSError:
        return None
    return out.stdout.strip() or None


def _meta(profile: Profile) -> dict:
    return {
        "mode": profile.name,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "versions": {p: version(p) for p in ("streamlit", "duckdb", "pandas", "numpy",
                                              "playwright")},
        "git_commit": _git_commit(),
        "profile": asdict(profile),
        "datasets": DATASETS,
        "national_spec": asdict(NationalSpec().scaled(profile.national_fraction)
                                if profile.national_fraction != 1 else NationalSpec()),
        "page_queries": PAGE_QUERIES,
        "method": "each value is the median of its samples, taken after warm-up runs; ratios "
                  "divide medians of series timed alternately in the same run",
        "tables": {},
        # Other work on the machine skews every figure: the load average says how much.
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


def run_scale(scale: str, profile: Profile, workdir: Path, meta: dict) -> list[Row]:
    options = tuple(meta["server_options"])
    fraction = 1.0 if scale == "province" else profile.national_fraction
    label = scale_label(scale, fraction)
    log(f"{label}: building the database ({profile.build_repeats}× after a warm-up)")
    rows, db = build_rows(scale, label, fraction, workdir, profile.build_repeats)
    with Store(db) as store:
        meta["tables"][label] = store.table_counts()
    log(f"{label}: loading and scoring a round, rank uncertainty")
    rows += engine_rows(db, label, profile.engine_repeats, profile.sensitivity_repeats,
                        profile.warmup)
    if scale == "province":
        log(f"{label}: the annual notice (PDF and DOCX) and the meeting pack (PDF)")
        rows += document_rows(db, label, profile.engine_repeats, profile.warmup)
    if scale == "national" and not profile.national_server:
        return rows
    log(f"{label}: AppTest reruns of every page")
    page, runs = page_rows(db, label, profile.page_reruns, profile.warmup)
    rows += page
    rows += server_rows(db, label, runs, profile, OUT, options)
    rows += tier_rows(db, label, runs, profile, workdir, OUT / "static")
    return rows


def run(profile: Profile, out: Path, scales: tuple[str, ...] | None = None,
        server_options: tuple[str, ...] = ()) -> int:
    """Measure, print the table, write the JSON; exit status 1 when a row could not be measured."""
    start = time.perf_counter()
    meta, rows = _meta(profile), []
    meta["server_options"] = list(server_options)  # beyond .streamlit/config.toml
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        for scale in scales or profile.scales:
            rows += run_scale(scale, profile, Path(tmp), meta)
    meta["duration_s"] = round(time.perf_counter() - start, 1)
    meta["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    write_json(out, rows, meta)
    print(markdown_table(rows))
    failed = [r for r in rows if r.error]
    for row in failed:
        print(f"error: {row.metric} [{row.scale}]: {row.error}", file=sys.stderr)
    log(f"{len(rows)} rows in {meta['duration_s']} s; JSON in {out}")
    return 1 if failed else 0
