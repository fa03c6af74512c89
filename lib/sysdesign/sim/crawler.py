"""A web crawler's two deep dives: remembering which URLs it has seen, and staying polite to each host.

**URL dedup.** Before a URL enters the frontier the crawler asks "seen it before?". An exact set
of every URL (or of a 64-bit fingerprint of each) answers without mistakes but grows with the
crawl. A *Bloom filter* of ``m`` bits and ``k`` hash functions answers in a fixed amount of
memory; it never forgets a URL it saw, but sometimes says "seen" for a new one (a false
positive: that page is skipped). With ``n`` URLs inserted the false-positive rate is about
``(1 - exp(-k n / m)) ** k``; the best ``k`` is ``(m / n) ln 2`` and, for a target rate ``p``,
``m = n ln(1 / p) / (ln 2) ** 2`` bits (about 9.6 bits per URL for 1 %).

**Politeness.** A crawler must not send one host more than one request every ``delay_s``
seconds. So one host gives at most ``1 / delay_s`` pages a second, and a crawl that must reach
``target`` pages a second needs at least ``target * delay_s`` hosts in flight; each fetch also
keeps a fetcher busy for ``fetch_s`` seconds, so it needs ``target * fetch_s`` fetchers. The
*frontier* decides which URL goes next. ``"fifo"`` hands out URLs in the order they were found,
and links found on one page mostly point to the same site, so several fetchers hit one host at
once. ``"per_host"`` keeps one queue per host and a heap of the time each host may be visited
again (the back queues of the Mercator design), so no host is visited early.

Everything is seeded (``np.random.default_rng(seed)``) and vectorised with numpy where size matters.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from dataclasses import dataclass

import numpy as np

from .. import _check

FRONTIERS: tuple[str, ...] = ("fifo", "per_host")
"""Frontier designs: one queue in discovery order, or one queue per host with a politeness heap."""

LN2 = math.log(2)
MAX_SIM_BITS = 50_000_000
MAX_SIM_URLS = 2_000_000
MAX_SIM_PAGES = 200_000


def _whole(name: str, value: object, low: float, high: float = math.inf) -> int:
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low:g}, {high:g}], got {value!r}")
    return int(x)


# ------------------------------------------------------------------------------------- URL dedup
def seen_set_bytes(urls: float, bytes_per_url: float) -> float:
    """Memory of an exact seen-set: ``urls * bytes_per_url`` (B).

    >>> seen_set_bytes(10e9, 100)      # ten billion URLs of about 100 bytes each
    1000000000000.0
    """
    n = _check.number("urls", urls, low=0)
    b = _check.number("bytes_per_url", bytes_per_url, low=0)
    return n * b


def bloom_fp_rate(n: float, m_bits: float, k: int) -> float:
    """False-positive rate of a Bloom filter of ``m_bits`` bits and ``k`` hashes after ``n`` insertions:
    ``(1 - exp(-k n / m)) ** k``.

    >>> round(bloom_fp_rate(1_000_000, 9_585_059, 7), 4)
    0.01
    >>> bloom_fp_rate(0, 1_000, 3)
    0.0
    """
    items = _check.number("n", n, low=0)
    m = _check.number("m_bits", m_bits, low=1)
    kk = _whole("k", k, 1, 1_000)
    return (1.0 - math.exp(-kk * items / m)) ** kk


def bloom_bits(n: float, fp_rate: float) -> float:
    """Fewest bits for a false-positive rate ``fp_rate`` with ``n`` URLs: ``n ln(1/p) / (ln 2)**2``.

    >>> round(bloom_bits(1e9, 0.01) / 1e9, 2)     # bits per URL at 1 %
    9.59
    """
    items = _check.number("n", n, low=0)
    p = _check.number("fp_rate", fp_rate, low=0, high=1, low_open=True, high_open=True)
    return items * math.log(1 / p) / LN2**2


def bloom_hashes(n: float, m_bits: float) -> int:
    """The number of hash functions that minimises false positives: ``round((m / n) ln 2)``, at least 1.

    >>> bloom_hashes(1e9, 9.585e9)
    7
    """
    items = _check.number("n", n, low=0, low_open=True)
    m = _check.number("m_bits", m_bits, low=1)
    return max(1, round(m / items * LN2))


def bloom_simulation(n: int, m_bits: int, k: int, *, probes: int = 100_000, seed: int = 0) -> float:
    """Measured false-positive rate: insert ``n`` random URLs into a real bit array of ``m_bits`` bits
    with ``k`` hashes (double hashing of two 64-bit hashes), then look up ``probes`` URLs never
    inserted and count how many the filter claims to have seen.

    >>> measured = bloom_simulation(100_000, 958_506, 7, seed=1)
    >>> abs(measured - bloom_fp_rate(100_000, 958_506, 7)) < 0.002
    True
    """
    items = _whole("n", n, 0, MAX_SIM_URLS)
    m = _whole("m_bits", m_bits, 1, MAX_SIM_BITS)
    kk = _whole("k", k, 1, 64)
    tries = _whole("probes", probes, 1, MAX_SIM_URLS)
    rng = np.random.default_rng(seed)
    bits = np.zeros(m, dtype=bool)
    steps = np.arange(kk, dtype=np.uint64)

    def positions(count: int) -> np.ndarray:
        h1 = rng.integers(0, 2**63, size=count, dtype=np.uint64)
        h2 = rng.integers(0, 2**63, size=count, dtype=np.uint64) | np.uint64(1)
        return ((h1[:, None] + steps[None, :] * h2[:, None]) % np.uint64(m)).astype(np.int64)

    for start in range(0, items, 250_000):  # in slices, to keep the index arrays small
        bits[positions(min(250_000, items - start))] = True
    hits = bits[positions(tries)].all(axis=1)
    return float(hits.mean())


class BloomFilter:
    """A small, real Bloom filter over strings (for trying ideas; the crawl uses many machines' worth).

    >>> seen = BloomFilter(m_bits=10_000, k=7)
    >>> seen.add("https://example.com/a")
    >>> "https://example.com/a" in seen, "https://example.com/b" in seen
    (True, False)
    """

    def __init__(self, m_bits: int, k: int) -> None:
        self.m = _whole("m_bits", m_bits, 8, MAX_SIM_BITS)
        self.k = _whole("k", k, 1, 64)
        self.bits = np.zeros(self.m, dtype=bool)
        self.count = 0

    def _positions(self, url: str) -> list[int]:
        if not isinstance(url, str):
            raise TypeError(f"url must be a string, got {type(url).__name__}")
        digest = hashlib.blake2b(url.encode(), digest_size=16).digest()
        h1, h2 = int.from_bytes(digest[:8], "big"), int.from_bytes(digest[8:], "big") | 1
        return [(h1 + i * h2) % self.m for i in range(self.k)]

    def add(self, url: str) -> None:
        """Remember ``url``."""
        self.bits[self._positions(url)] = True
        self.count += 1

    def __contains__(self, url: object) -> bool:
        return bool(self.bits[self._positions(url)].all())  # type: ignore[arg-type]

    @property
    def fp_rate(self) -> float:
        """Expected false-positive rate after the URLs added so far."""
        return bloom_fp_rate(self.count, self.m, self.k)


# ------------------------------------------------------------------------------------- politeness
def hosts_needed(target_pages_per_s: float, delay_s: float) -> int:
    """Fewest hosts crawled in parallel to reach ``target_pages_per_s`` when each host allows one
    request every ``delay_s`` seconds: ``ceil(target * delay)``.

    >>> hosts_needed(400, 1), hosts_needed(1_000, 2.5)
    (400, 2500)
    """
    t = _check.number("target_pages_per_s", target_pages_per_s, low=0, low_open=True)
    d = _check.number("delay_s", delay_s, low=0, low_open=True)
    return math.ceil(t * d - 1e-9)


def fetchers_needed(target_pages_per_s: float, fetch_s: float) -> int:
    """Fewest fetchers when a fetch keeps one busy ``fetch_s`` seconds: ``ceil(target * fetch_s)``.

    >>> fetchers_needed(400, 0.5)
    200
    """
    t = _check.number("target_pages_per_s", target_pages_per_s, low=0, low_open=True)
    f = _check.number("fetch_s", fetch_s, low=0, low_open=True)
    return math.ceil(t * f - 1e-9)


def min_crawl_time(pages: float, delay_s: float) -> float:
    """Shortest time to crawl ``pages`` pages of one host politely: ``(pages - 1) * delay_s`` seconds
    (the first request goes at once).

    >>> min_crawl_time(10_000, 1) / 3_600    # hours for a 10,000-page site at one page a second
    2.7775
    """
    p = _check.number("pages", pages, low=1)
    d = _check.number("delay_s", delay_s, low=0)
    return (p - 1) * d


@dataclass(frozen=True)
class Crawl:
    """A simulated crawl: ``pages`` started in ``duration_s`` seconds (``pages_per_s``), and the
    smallest time between two requests to the same host (``min_gap_s``; ``inf`` when no host was
    visited twice). ``violations`` counts requests that came sooner than ``delay_s`` after the
    previous one to their host."""

    frontier: str
    hosts: int
    fetchers: int
    delay_s: float
    pages: int
    duration_s: float
    pages_per_s: float
    min_gap_s: float
    violations: int


def crawl(
    hosts: int,
    fetchers: int,
    delay_s: float,
    fetch_s: float,
    frontier: str = "per_host",
    *,
    duration_s: float = 20.0,
    links_per_page: int = 20,
    seed: int = 0,
) -> Crawl:
    """Simulate ``fetchers`` fetchers crawling ``hosts`` hosts (each with more pages than the crawl
    needs) for ``duration_s`` seconds. A fetch occupies a fetcher for ``fetch_s`` seconds; the
    politeness gap ``delay_s`` is measured from one request's start to the next one's, per host.

    ``frontier="per_host"``: a fetcher that is free takes the host that may be visited soonest and
    waits until it may (one queue per host, a heap of next-allowed times). ``"fifo"``: a free
    fetcher takes the next URL in discovery order at once; URLs arrive in runs of
    ``links_per_page`` from one host (the links of one page), the runs in random order.

    >>> polite = crawl(400, 200, 1.0, 0.5, "per_host", duration_s=10)
    >>> polite.pages_per_s, polite.min_gap_s >= 1.0, polite.violations
    (400.0, True, 0)
    >>> rude = crawl(400, 200, 1.0, 0.5, "fifo", duration_s=10)
    >>> rude.violations > 0
    True
    """
    h = _whole("hosts", hosts, 1, 1_000_000)
    f = _whole("fetchers", fetchers, 1, 1_000_000)
    d = _check.number("delay_s", delay_s, low=0, low_open=True, high=3_600)
    t_fetch = _check.number("fetch_s", fetch_s, low=0, low_open=True, high=600)
    _check.choice("frontier", frontier, FRONTIERS)
    horizon = _check.number("duration_s", duration_s, low=0, low_open=True, high=86_400)
    run = _whole("links_per_page", links_per_page, 1, 10_000)
    most = min(f * math.ceil(horizon / t_fetch), h * (math.floor(horizon / d) + 1))
    if most > MAX_SIM_PAGES:
        raise ValueError(
            f"duration_s: this crawl would start about {most:,} fetches; shorten duration_s so that it "
            f"stays under {MAX_SIM_PAGES:,}"
        )
    rng = np.random.default_rng(seed)
    if frontier == "fifo":
        count = f * math.ceil(horizon / t_fetch)
        starts = (np.arange(count) // f) * t_fetch
        runs = math.ceil(count / run)
        host_of = np.repeat(rng.integers(0, h, size=runs), run)[:count]
        keep = starts < horizon
        starts, host_of = starts[keep], host_of[keep]
    else:
        free = [(0.0, i) for i in range(f)]  # (time the fetcher is free, fetcher)
        ready = [(0.0, j) for j in range(h)]  # (time the host may be visited again, host)
        heapq.heapify(free)
        heapq.heapify(ready)
        starts_l: list[float] = []
        hosts_l: list[int] = []
        while True:
            t_free, fetcher = heapq.heappop(free)
            t_ready, host = heapq.heappop(ready)
            start = t_free if t_free > t_ready else t_ready
            if start >= horizon:
                break
            starts_l.append(start)
            hosts_l.append(host)
            heapq.heappush(free, (start + t_fetch, fetcher))
            heapq.heappush(ready, (start + d, host))
        starts, host_of = np.array(starts_l), np.array(hosts_l, dtype=np.int64)
    order = np.lexsort((starts, host_of))
    s, hh = starts[order], host_of[order]
    same = hh[1:] == hh[:-1]
    gaps = (s[1:] - s[:-1])[same]
    min_gap = float(gaps.min()) if gaps.size else math.inf
    violations = int((gaps < d * (1 - 1e-9)).sum())
    pages = int(starts.size)
    return Crawl(frontier, h, f, d, pages, horizon, pages / horizon, min_gap, violations)
