"""Structures for scale: a trie's stored top-k lists, Bloom filters measured against their formula,
a count-min sketch over a skewed stream and HyperLogLog for distinct counts, each with the memory
it saves and the error it pays.

* **Trie with top-k per node** (autocomplete): the trie itself is :mod:`sysdesign.typeahead`;
  :func:`trie_memory` prices the stored lists for a few ``k``.
* **Bloom filter** (a URL-seen test): the formula, the simulation and a real filter live in
  :mod:`sysdesign.sim.crawler`; :func:`bloom_sweep` measures the false-positive rate for each
  number of hashes at a given number of bits per item and sets it beside
  ``(1 - exp(-k n / m)) ** k`` (Bloom 1970; Broder & Mitzenmacher 2004, section 2).
* **Count-min sketch** (trending counts): ``depth`` rows of ``width`` counters; an item adds its
  count to one counter per row and is estimated by the smallest of its counters, so it is never
  under-counted. With ``width = ceil(e / eps)`` and ``depth = ceil(ln(1 / delta))`` the estimate is
  at most ``eps * N`` too high with probability at least ``1 - delta``, ``N`` the stream's total
  (Cormode & Muthukrishnan 2005, Theorem 1).
* **HyperLogLog** (distinct viewers): ``m`` registers each keep the longest run of leading zero
  bits seen among the hashes routed to it; the harmonic mean of ``2 ** register`` estimates the
  number of distinct items with a standard error of about ``1.04 / sqrt(m)`` (Flajolet et al. 2007).
  Redis keeps 16,384 six-bit registers, 12 KB, for a 0.81 % standard error (Redis docs, PFCOUNT).

Everything is seeded (``np.random.default_rng(seed)``) and vectorised with numpy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _check, typeahead
from .sim import crawler
from .sim.crawler import _whole

MAX_KEYS = 1_000_000
MAX_EVENTS = 10**12
MAX_WIDTH = 1_000_000
MAX_DEPTH = 32
MIN_PRECISION, MAX_PRECISION = 4, 18
REGISTER_BITS = 6
"""Bits per HyperLogLog register: enough for a run of up to 63 zeros (Redis stores 6 bits each)."""

_PRIME = 2**31 - 1  # Mersenne prime for the count-min hashes ((a x + b) mod p) mod width
_MASK64 = np.uint64(2**64 - 1)


def uses() -> pd.DataFrame:
    """Where each structure comes up in an interview: what it answers, the problem, the error it makes.

    >>> uses()["structure"].tolist()
    ['trie with top-k per node', 'Bloom filter', 'count-min sketch', 'HyperLogLog']
    """
    return pd.DataFrame(
        [
            ("trie with top-k per node", "the top suggestions for a typed prefix",
             "search autocomplete (typeahead)", "none; the lists are as stale as the last rebuild"),
            ("Bloom filter", "have I seen this item?",
             "crawler's URL-seen test; a cheap first check before a dedup store",
             "false positives only: says 'seen' for some new items"),
            ("count-min sketch", "about how often has this item occurred?",
             "trending hashtags or searches, heavy hitters per minute",
             "overestimates only, by at most eps x N with probability 1 - delta"),
            ("HyperLogLog", "about how many distinct items?",
             "distinct viewers of a video, unique visitors per day",
             "relative, about 1.04 / sqrt(registers) standard error"),
        ],
        columns=["structure", "answers", "in the interview", "error"],
    )  # fmt: skip


# ------------------------------------------------------------------------------------------ trie
def trie_memory(
    counts: Mapping[str, int], ks: Sequence[int] = (1, 5, 10), bytes_per_entry: float = 8
) -> pd.DataFrame:
    """Memory of the top-k lists stored at every node of a trie over ``counts``, for each ``k``:
    nodes, entries actually stored (a node near the leaves has fewer than ``k`` below it), their
    bytes, and the ``nodes x k x bytes_per_entry`` upper bound.

    >>> trie_memory({"cat": 5, "car": 9, "cart": 9, "dog": 20}, ks=(1, 2))["stored entries"].tolist()
    [9, 13]

    (9 nodes; with k = 2 the root, c, ca and car hold two entries, the other five nodes one.)
    """
    rows = []
    for k in ks:
        index = typeahead.build(counts, k)
        rows.append(
            {
                "k": index.k,
                "nodes": index.n_nodes,
                "stored entries": index.stored_entries,
                "bytes": index.memory_bytes(bytes_per_entry),
                "upper bound (bytes)": typeahead.topk_memory(index.n_nodes, index.k, bytes_per_entry),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------- Bloom filter
def bloom_sweep(
    n: int,
    bits_per_item: float,
    ks: Sequence[int] = tuple(range(1, 13)),
    *,
    probes: int = 20_000,
    seed: int = 0,
) -> pd.DataFrame:
    """False-positive rate of a Bloom filter of ``bits_per_item * n`` bits holding ``n`` items, for each
    number of hashes in ``ks``: measured (:func:`sysdesign.sim.crawler.bloom_simulation`, ``probes``
    lookups of items never inserted) beside the formula ``(1 - exp(-k n / m)) ** k`` and the
    binomial standard deviation ``sd = sqrt(p (1 - p) / probes)`` a measurement has around it.

    >>> sweep = bloom_sweep(2_000, 10, ks=(1, 7))
    >>> sweep["formula"].round(4).tolist()
    [0.0952, 0.0082]
    >>> bool(abs(sweep["measured"] / sweep["formula"] - 1).max() < 0.2)
    True
    """
    items = _whole("n", n, 1, crawler.MAX_SIM_URLS)
    b = _check.number("bits_per_item", bits_per_item, low=0, low_open=True, high=1_000)
    tries = _whole("probes", probes, 1, crawler.MAX_SIM_URLS)
    m = max(1, round(b * items))
    rows = []
    for k in ks:
        measured = crawler.bloom_simulation(items, m, k, probes=probes, seed=seed)
        p = crawler.bloom_fp_rate(items, m, k)
        rows.append({"k": int(k), "measured": measured, "formula": p, "sd": math.sqrt(p * (1 - p) / tries)})
    return pd.DataFrame(rows)


def optimal_hashes(bits_per_item: float) -> float:
    """The number of hashes that minimises false positives, ``(m / n) ln 2``, before rounding.

    >>> round(optimal_hashes(10), 2)
    6.93
    """
    b = _check.number("bits_per_item", bits_per_item, low=0, low_open=True)
    return b * math.log(2)


# ------------------------------------------------------------------------------ count-min sketch
def countmin_dimensions(eps: float, delta: float) -> tuple[int, int]:
    """Width and depth for error at most ``eps * N`` with probability ``1 - delta``:
    ``(ceil(e / eps), ceil(ln(1 / delta)))`` (Cormode & Muthukrishnan 2005).

    >>> countmin_dimensions(0.001, 0.01)     # e / 0.001 = 2718.3; ln(100) = 4.6
    (2719, 5)
    """
    e = _check.number("eps", eps, low=0, high=1, low_open=True, high_open=True)
    d = _check.number("delta", delta, low=0, high=1, low_open=True, high_open=True)
    return math.ceil(math.e / e), math.ceil(math.log(1 / d))


def zipf_counts(n_events: int, n_keys: int, exponent: float = 1.1, seed: int = 0) -> np.ndarray:
    """A seeded skewed stream, as how many of its ``n_events`` events went to each of ``n_keys`` keys:
    key ``i`` (0-based) is drawn with probability proportional to ``1 / (i + 1) ** exponent``.

    >>> c = zipf_counts(100_000, 1_000, seed=1)
    >>> int(c.sum()), bool(c[0] > c[10] > c[500])
    (100000, True)
    """
    events = _whole("n_events", n_events, 0, MAX_EVENTS)
    keys = _whole("n_keys", n_keys, 1, MAX_KEYS)
    s = _check.number("exponent", exponent, low=0, high=5)
    weights = 1.0 / np.arange(1, keys + 1, dtype=np.float64) ** s
    return np.random.default_rng(seed).multinomial(events, weights / weights.sum()).astype(np.int64)


class CountMinSketch:
    """``depth`` rows of ``width`` counters over integer keys in ``[0, 2**31 - 1)``, with the
    pairwise-independent hashes ``((a x + b) mod p) mod width`` of the paper, ``p = 2**31 - 1``.

    >>> cms = CountMinSketch(width=50, depth=4, seed=0)
    >>> cms.add([7, 7, 7, 3])
    >>> cms.estimate([7, 3]).tolist(), cms.total
    ([3, 1], 4)
    """

    def __init__(self, width: int, depth: int, seed: int = 0) -> None:
        self.width = _whole("width", width, 1, MAX_WIDTH)
        self.depth = _whole("depth", depth, 1, MAX_DEPTH)
        rng = np.random.default_rng(seed)
        self._a = rng.integers(1, _PRIME, size=self.depth, dtype=np.int64)
        self._b = rng.integers(0, _PRIME, size=self.depth, dtype=np.int64)
        self.table = np.zeros((self.depth, self.width), dtype=np.int64)
        self.total = 0

    def __repr__(self) -> str:
        return f"CountMinSketch(width={self.width}, depth={self.depth}, total={self.total})"

    def _columns(self, keys: object) -> np.ndarray:
        x = np.asarray(keys)
        if x.dtype.kind not in "iu":
            raise TypeError(f"keys must be integers in [0, {_PRIME - 1}), got dtype {x.dtype}")
        if x.size and (x.min() < 0 or x.max() >= _PRIME - 1):
            raise ValueError(f"keys must be integers in [0, {_PRIME - 1})")
        x = x.astype(np.int64).ravel()
        return ((self._a[:, None] * x[None, :] + self._b[:, None]) % _PRIME) % self.width

    def add(self, keys: object, counts: object = 1) -> None:
        """Count ``keys`` (one event each, or ``counts[i]`` events of ``keys[i]``, counts >= 0)."""
        cols = self._columns(keys)
        c = np.broadcast_to(np.asarray(counts), cols.shape[1:])
        if c.dtype.kind not in "iu" or (c.size and c.min() < 0):
            raise ValueError("counts must be whole numbers >= 0, one per key (or one for all)")
        for row in range(self.depth):
            self.table[row] += np.bincount(cols[row], weights=c, minlength=self.width).astype(np.int64)
        self.total += int(c.sum())

    def estimate(self, keys: object) -> np.ndarray:
        """The count of each key: the smallest of its ``depth`` counters (never below the true count)."""
        cols = self._columns(keys)
        return self.table[np.arange(self.depth)[:, None], cols].min(axis=0)

    def memory_bytes(self, counter_bytes: float = 4) -> float:
        """Bytes of the counters: ``width * depth * counter_bytes``."""
        b = _check.number("counter_bytes", counter_bytes, low=0, low_open=True)
        return float(self.width * self.depth * b)


@dataclass(frozen=True)
class CountMinRun:
    """A count-min sketch of ``width x depth`` counters over a skewed stream of ``total`` events on
    ``keys`` keys. Errors are estimate minus true count, per key; ``bound`` is ``eps * total`` with
    ``eps = e / width``, exceeded with probability at most ``delta = exp(-depth)``."""

    width: int
    depth: int
    keys: int
    total: int
    eps: float
    delta: float
    bound: float
    min_error: int
    mean_error: float
    max_error: int
    share_over_bound: float
    top10_found: int
    memory_bytes: float


def countmin_run(
    width: int, depth: int = 4, *, n_events: int = 1_000_000, n_keys: int = 100_000,
    exponent: float = 1.1, seed: int = 0,
) -> CountMinRun:  # fmt: skip
    """Sketch :func:`zipf_counts` with a :class:`CountMinSketch` and measure every key's error;
    ``top10_found`` is how many of the ten most frequent keys are also the sketch's top ten.

    >>> run = countmin_run(2_719, 5, n_events=100_000, n_keys=10_000)
    >>> run.min_error >= 0, run.max_error <= run.bound, run.top10_found
    (True, True, 10)
    """
    true = zipf_counts(n_events, n_keys, exponent, seed)
    sketch = CountMinSketch(width, depth, seed=seed)
    keys = np.arange(true.size)
    sketch.add(keys, true)
    error = sketch.estimate(keys) - true
    eps = math.e / sketch.width
    bound = eps * sketch.total
    top_true = set(np.argsort(-true, kind="stable")[:10].tolist())
    top_sketch = set(np.argsort(-(true + error), kind="stable")[:10].tolist())
    return CountMinRun(
        sketch.width,
        sketch.depth,
        int(true.size),
        sketch.total,
        eps,
        math.exp(-sketch.depth),
        bound,
        int(error.min()),
        float(error.mean()),
        int(error.max()),
        float((error > bound).mean()),
        len(top_true & top_sketch),
        sketch.memory_bytes(),
    )


# ---------------------------------------------------------------------------------- HyperLogLog
def hll_standard_error(registers: int) -> float:
    """HyperLogLog's relative standard error with ``registers`` registers: ``1.04 / sqrt(m)``.

    >>> round(hll_standard_error(16_384) * 100, 2)     # Redis: 0.81 %
    0.81
    """
    m = _whole("registers", registers, 16, 2**MAX_PRECISION)
    return 1.04 / math.sqrt(m)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's output function: nearby 64-bit ids get unrelated hashes (Steele, Lea & Flood 2014)."""
    z = x.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _leading_zeros(w: np.ndarray) -> np.ndarray:
    """Leading zero bits of each uint64 (64 for zero), exact: each 32-bit half fits a float64."""
    hi = (w >> np.uint64(32)).astype(np.float64)
    lo = (w & np.uint64(0xFFFFFFFF)).astype(np.float64)
    with np.errstate(divide="ignore"):
        lz_hi = 31 - np.floor(np.log2(hi))
        lz_lo = 63 - np.floor(np.log2(lo))
    return np.where(hi > 0, lz_hi, np.where(lo > 0, lz_lo, 64)).astype(np.int64)


class HyperLogLog:
    """``2 ** precision`` registers over integer ids, hashed with a 64-bit mix salted by ``seed``.

    >>> hll = HyperLogLog(precision=14)
    >>> hll.add(np.arange(100_000))
    >>> hll.add(np.arange(50_000))           # repeats change nothing
    >>> abs(hll.estimate() / 100_000 - 1) < 3 * hll_standard_error(hll.m)
    True
    """

    def __init__(self, precision: int = 14, seed: int = 0) -> None:
        self.p = _whole("precision", precision, MIN_PRECISION, MAX_PRECISION)
        self.m = 2**self.p
        self._salt = np.uint64(np.random.default_rng(seed).integers(0, 2**63))
        self.registers = np.zeros(self.m, dtype=np.uint8)

    def __repr__(self) -> str:
        return f"HyperLogLog(registers={self.m})"

    def add(self, ids: object) -> None:
        """Add integer ids (seen before or not)."""
        x = np.asarray(ids)
        if x.dtype.kind not in "iu":
            raise TypeError(f"ids must be integers, got dtype {x.dtype}")
        h = _mix(x.ravel().astype(np.uint64) ^ self._salt)
        index = (h >> np.uint64(64 - self.p)).astype(np.int64)
        rest = (h << np.uint64(self.p)) & _MASK64
        rank = np.minimum(_leading_zeros(rest), 64 - self.p) + 1
        np.maximum.at(self.registers, index, rank.astype(np.uint8))

    def merge(self, other: HyperLogLog) -> HyperLogLog:
        """The sketch of both sets (register-wise maximum); both must share precision and seed."""
        if not isinstance(other, HyperLogLog) or other.p != self.p or other._salt != self._salt:
            raise ValueError("other must be a HyperLogLog with the same precision and seed")
        out = HyperLogLog.__new__(HyperLogLog)
        out.p, out.m, out._salt = self.p, self.m, self._salt
        out.registers = np.maximum(self.registers, other.registers)
        return out

    def estimate(self) -> float:
        """Distinct ids added: ``alpha_m m**2 / sum(2 ** -register)``, with linear counting
        ``m ln(m / empty registers)`` when that is at most ``2.5 m`` (Flajolet et al. 2007, Fig. 3)."""
        m = self.m
        alpha = {16: 0.673, 32: 0.697, 64: 0.709}.get(m, 0.7213 / (1 + 1.079 / m))
        raw = alpha * m * m / float(np.sum(np.exp2(-self.registers.astype(np.float64))))
        empty = int((self.registers == 0).sum())
        if raw <= 2.5 * m and empty:
            return m * math.log(m / empty)
        return raw

    def memory_bytes(self) -> float:
        """Bytes of the registers at six bits each (12,288 B for 16,384 registers, as in Redis)."""
        return self.m * REGISTER_BITS / 8


def hll_errors(registers: int, n_distinct: int = 50_000, trials: int = 20, seed: int = 0) -> np.ndarray:
    """Relative error ``estimate / n_distinct - 1`` of ``trials`` HyperLogLogs, each fed
    ``n_distinct`` different ids under its own hash salt.

    >>> errors = hll_errors(1_024, 20_000, trials=30)
    >>> bool(0.5 < errors.std() / hll_standard_error(1_024) < 1.5)
    True
    """
    m = _whole("registers", registers, 16, 2**MAX_PRECISION)
    p = int(round(math.log2(m)))
    if 2**p != m:
        raise ValueError(f"registers must be a power of two in [16, {2**MAX_PRECISION}], got {registers!r}")
    n = _whole("n_distinct", n_distinct, 1, 10_000_000)
    t = _whole("trials", trials, 1, 1_000)
    ids = np.arange(n)
    out = np.empty(t)
    for i in range(t):
        hll = HyperLogLog(p, seed=seed * 1_000_003 + i)
        hll.add(ids)
        out[i] = hll.estimate() / n - 1
    return out


def distinct_viewers(
    n_views: int = 1_000_000, n_viewers: int = 100_000, days: int = 2, precision: int = 14, seed: int = 0
) -> pd.DataFrame:
    """Distinct viewers of a video per day and over all days: the exact count beside a HyperLogLog's.

    Each day is a :func:`zipf_counts` stream of ``n_views`` views by ``n_viewers`` possible viewers
    (seed ``seed + day``), fed view by view, repeats included; the last row merges the days' sketches.

    >>> table = distinct_viewers(100_000, 20_000, days=2, precision=12)
    >>> table["period"].tolist()
    ['day 1', 'day 2', 'all 2 days']
    >>> bool((abs(table["error"]) < 3 * hll_standard_error(4_096)).all())
    True
    """
    d = _whole("days", days, 1, 30)
    seen = np.zeros(_whole("n_viewers", n_viewers, 1, MAX_KEYS), dtype=bool)
    rows, merged = [], None
    for day in range(d):
        counts = zipf_counts(n_views, n_viewers, seed=seed + day)
        hll = HyperLogLog(precision, seed=seed)
        hll.add(np.repeat(np.arange(counts.size), counts))
        merged = hll if merged is None else merged.merge(hll)
        seen |= counts > 0
        rows.append((f"day {day + 1}", int(counts.sum()), int((counts > 0).sum()), hll.estimate()))
    assert merged is not None
    rows.append((f"all {d} days", int(n_views) * d, int(seen.sum()), merged.estimate()))
    frame = pd.DataFrame(rows, columns=["period", "views", "exact distinct", "HyperLogLog"])
    frame["error"] = frame["HyperLogLog"] / frame["exact distinct"] - 1
    return frame


# ---------------------------------------------------------------------------------- comparison
COLUMNS = ("structure", "memory", "exact memory", "error", "measured", "predicted")
"""The columns of :func:`compare`: bytes of the sketch and of the exact structure, what the error
measures, its measured value and the formula's (fractions)."""
BLOOM_ITEMS = 2_000
"""Items in the Bloom filter of :func:`bloom_row` (and the lesson's sweep)."""
BLOOM_PROBES = 20_000
"""Lookups of items never inserted per measured false-positive rate."""
HLL_DISTINCT = 50_000
"""Distinct ids per HyperLogLog trial in :func:`compare` (8-byte ids in the exact set)."""


def bloom_row(
    bits_per_item: float, k: int, *, n: int = BLOOM_ITEMS, probes: int = BLOOM_PROBES, seed: int = 0
) -> tuple:
    """The Bloom filter's row of :func:`compare`: ``n`` items at ``bits_per_item`` bits each and ``k``
    hashes; error = false-positive rate, measured as in :func:`bloom_sweep`; exact: 8-byte fingerprints.

    >>> bloom_row(10, 7)[1:3]     # 20,000 bits = 2,500 B against 2,000 x 8 B
    (2500.0, 16000.0)
    """
    items = _whole("n", n, 1, crawler.MAX_SIM_URLS)
    m_bits = max(1, round(_check.number("bits_per_item", bits_per_item, low=0, low_open=True) * items))
    measured = crawler.bloom_simulation(items, m_bits, k, probes=probes, seed=seed)
    return ("Bloom filter", m_bits / 8, items * 8.0, "false-positive rate", measured,
            crawler.bloom_fp_rate(items, m_bits, k))  # fmt: skip


def countmin_row(width: int, depth: int = 4, *, seed: int = 0) -> tuple:
    """The count-min sketch's row of :func:`compare` (:func:`countmin_run` with its defaults): error =
    the largest overestimate over all keys as a fraction of the stream's ``N`` events; predicted:
    ``eps = e / width``, which each key stays under with probability ``1 - delta``. Exact: a hash map
    of an 8-byte key and a 4-byte count per key.

    >>> countmin_row(1_000)[5]      # e / 1,000
    0.002718281828459045
    """
    run = countmin_run(width, depth, seed=seed)
    return ("count-min sketch", run.memory_bytes, run.keys * 12.0, "largest overestimate / N",
            run.max_error / run.total, run.eps)  # fmt: skip


def hll_row(registers: int, *, seed: int = 0) -> tuple:
    """HyperLogLog's row of :func:`compare`: :func:`hll_errors` with :data:`HLL_DISTINCT` distinct
    ids; error = root mean square of the relative errors, predicted ``1.04 / sqrt(m)``; exact: a set
    of 8-byte ids.

    >>> hll_row(1_024)[1:3]     # 1,024 six-bit registers against 50,000 x 8 B
    (768.0, 400000.0)
    """
    errors = hll_errors(registers, HLL_DISTINCT, seed=seed)
    return ("HyperLogLog", registers * REGISTER_BITS / 8, HLL_DISTINCT * 8.0, "relative standard error",
            float(np.sqrt(np.mean(errors**2))), hll_standard_error(registers))  # fmt: skip


def compare(
    bits_per_item: float, k: int, cms_width: int, hll_registers: int, *, seed: int = 0
) -> pd.DataFrame:
    """One row per sketch at these settings (:func:`bloom_row`, :func:`countmin_row`, :func:`hll_row`):
    its memory, the exact structure's memory (bytes), what the error measures, measured and predicted.

    >>> compare(10, 7, 1_000, 1_024)["structure"].tolist()
    ['Bloom filter', 'count-min sketch', 'HyperLogLog']
    """
    rows = [
        bloom_row(bits_per_item, k, seed=seed),
        countmin_row(cms_width, seed=seed),
        hll_row(hll_registers, seed=seed),
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))
