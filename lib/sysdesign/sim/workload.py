"""Synthetic request workloads: the key each request touches, drawn from a Zipf (power-law) popularity.

Key ids are popularity ranks: key 0 is the hottest, key ``n_keys - 1`` the coldest. A skew of 0 gives a
uniform workload; around 1 is typical of chat activity, social feeds and web caches.
"""

from __future__ import annotations

import numpy as np

from .. import _check

MAX_KEYS = 10_000_000
MAX_REQUESTS = 50_000_000


def zipf_weights(n_keys: int, skew: float) -> np.ndarray:
    """Probability of each key (rank 0 first) under a Zipf law: p(k) proportional to 1 / (k+1)**skew.

    The weights sum to 1. ``skew`` = 0 is uniform; larger values concentrate traffic on the first keys.

    >>> w = zipf_weights(4, 1.0)          # 1, 1/2, 1/3, 1/4 normalised by 25/12
    >>> [round(float(x), 3) for x in w]
    [0.48, 0.24, 0.16, 0.12]
    >>> zipf_weights(3, 0.0).tolist()
    [0.3333333333333333, 0.3333333333333333, 0.3333333333333333]
    """
    n = int(_check.number("n_keys", n_keys, low=1, high=MAX_KEYS))
    s = _check.number("skew", skew, low=0.0, high=5.0)
    ranks = np.arange(1, n + 1, dtype=float)
    w = ranks ** (-s)
    return w / w.sum()


def zipf_keys(n_keys: int, n_requests: int, skew: float = 1.0, seed: int = 0) -> np.ndarray:
    """Draw ``n_requests`` key ids in ``[0, n_keys)`` from a Zipf popularity law (vectorised, seeded).

    Deterministic for a given ``seed``. Returns an ``int64`` array; key 0 is the most requested.

    >>> keys = zipf_keys(1000, 10_000, skew=1.0, seed=1)
    >>> keys.shape, int(keys.min()) >= 0, int(keys.max()) < 1000
    ((10000,), True, True)
    >>> bool((keys == 0).sum() > (keys == 999).sum())
    True
    >>> bool((zipf_keys(50, 100, 1.2, seed=7) == zipf_keys(50, 100, 1.2, seed=7)).all())
    True
    """
    m = int(_check.number("n_requests", n_requests, low=0, high=MAX_REQUESTS))
    w = zipf_weights(n_keys, skew)
    rng = np.random.default_rng(seed)
    cdf = np.cumsum(w)
    cdf[-1] = 1.0
    keys = np.searchsorted(cdf, rng.random(m), side="right")
    return np.minimum(keys, len(w) - 1).astype(np.int64)


def top_share(n_keys: int, skew: float, top_fraction: float) -> float:
    """Return the expected share of requests that hit the most popular ``top_fraction`` of keys (0..1).

    >>> round(top_share(100, 0.0, 0.2), 3)   # uniform: the top 20% of keys get 20% of requests
    0.2
    >>> top_share(10_000, 1.0, 0.01) > 0.5   # skew 1: the top 1% of keys take over half the traffic
    True
    """
    f = _check.number("top_fraction", top_fraction, low=0.0, high=1.0)
    w = zipf_weights(n_keys, skew)
    k = int(round(f * len(w)))
    return float(w[:k].sum())
