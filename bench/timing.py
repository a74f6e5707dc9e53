"""Timing helpers: warm-up runs are discarded, then each sample is one perf_counter span."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def time_once(fn: Callable[[], object]) -> float:
    """Seconds one call takes (garbage collected first, so a pending sweep is not billed)."""
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(fn: Callable[[], object], repeats: int, warmup: int = 1) -> list[float]:
    """`warmup` untimed calls, then `repeats` timed ones (seconds)."""
    for _ in range(warmup):
        fn()
    return [time_once(fn) for _ in range(repeats)]


def measure_pair(
    fn: Callable[[], object], floor: Callable[[], object], repeats: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Time `fn` and its `floor` alternately, so both see the same machine conditions."""
    for _ in range(warmup):
        fn()
        floor()
    pairs = [(time_once(fn), time_once(floor)) for _ in range(repeats)]
    return [a for a, _ in pairs], [b for _, b in pairs]
