"""Spreading provincial totals over cities and counties in plausible, exact proportions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalcore.demo.figures import CITY_WEIGHTS

# Urban districts renovate more old stock than rural counties; county-level cities sit between.
KIND_WEIGHT = {"区": 3.0, "市": 2.0, "县": 1.0}


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to `weights` that sum exactly to `total` (Hamilton's method)."""
    share = total * weights / weights.sum()
    base = np.floor(share).astype(int)
    leftover = total - base.sum()
    order = np.argsort(-(share - base), kind="stable")
    base[order[:leftover]] += 1
    return base


def county_weights(regions: pd.DataFrame) -> pd.Series:
    """A weight per county: its city's weight shared by district, city or county kind."""
    counties = regions[regions["level"] == "county"].set_index("code")
    kind = counties["name"].str[-1].map(KIND_WEIGHT).fillna(1.0)
    city_sum = kind.groupby(counties["parent_code"]).transform("sum")
    city_weight = counties["parent_code"].map(CITY_WEIGHTS)
    return (city_weight * kind / city_sum).sort_index()


def allocate(
    total: int, weights: pd.Series, rng: np.random.Generator | None = None, noise: float = 0.0
) -> pd.Series:
    """Split `total` over the index of `weights`, at least 1 each (every county renovates),
    each weight jittered by a log-normal factor of sigma `noise`."""
    jitter = np.exp(rng.normal(0.0, noise, size=len(weights))) if rng is not None else 1.0
    counts = 1 + largest_remainder(total - len(weights), weights.to_numpy() * jitter)
    return pd.Series(counts, index=weights.index)
