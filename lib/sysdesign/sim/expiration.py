"""Paste expiration: lazy clean-up on read against an active periodic sweep, simulated.

Pastes arrive at a steady rate over ``days`` days. Each gets a time to live drawn from a menu
(:data:`TTL_MIX`: an hour, a day, a week, a month, or never) and a size from a log-normal law.
Readers come back to a paste a random number of times, at delays drawn from a log-normal law
around ``interest_hours``; a few come back long after the paste has expired.

Four ways to clean up (:data:`MODES`):

* ``none``: nothing is ever deleted; expired pastes are still served.
* ``lazy``: every read checks the expiry time; an expired paste answers "gone" and is deleted
  then. Nothing is deleted that nobody reads again.
* ``active``: a sweeper runs every ``sweep_hours`` and deletes everything that has expired; reads
  are not checked, so an expired paste is served until the next sweep.
* ``both``: the read check of ``lazy`` plus the sweeper of ``active``.

:func:`simulate` returns an :class:`ExpiryRun` that reports storage over time, reads served
after expiry, and the work of each sweep. Deterministic for a given ``seed``; vectorised.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .. import _check
from .._lazy import pd

HOUR = 3_600.0
DAY = 86_400.0

TTL_MIX: tuple[tuple[str, float, float], ...] = (
    ("1 hour", HOUR, 0.15),
    ("1 day", DAY, 0.30),
    ("1 week", 7 * DAY, 0.25),
    ("1 month", 30 * DAY, 0.20),
    ("never", math.inf, 0.10),
)
"""(label, time to live in seconds, share of pastes): the expiry choices authors make (assumption)."""

MODES: tuple[str, ...] = ("none", "lazy", "active", "both")
MODE_NAMES: dict[str, str] = {
    "none": "no clean-up",
    "lazy": "lazy only (check on read)",
    "active": "active sweep only",
    "both": "lazy check + active sweep",
}

MAX_PASTES = 2_000_000
MAX_READS = 10_000_000


def _mix(ttl_mix: object) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    if isinstance(ttl_mix, str) or not isinstance(ttl_mix, (tuple, list)) or not ttl_mix:
        raise TypeError("ttl_mix must be a list of (label, ttl_seconds, share) tuples")
    labels, ttls, shares = [], [], []
    for i, item in enumerate(ttl_mix):
        if not isinstance(item, (tuple, list)) or len(item) != 3:
            raise TypeError(f"ttl_mix[{i}] must be (label, ttl_seconds, share), got {item!r}")
        label, ttl, share = item
        labels.append(str(label))
        ttls.append(_check.number(f"ttl_mix[{i}] ttl_seconds", ttl, low=0.0, low_open=True))
        shares.append(_check.number(f"ttl_mix[{i}] share", share, low=0.0, high=1.0))
    total = sum(shares)
    if not math.isclose(total, 1.0, rel_tol=1e-6):
        raise ValueError(f"ttl_mix shares must add up to 1, got {total:g}")
    return np.array(ttls), np.array(shares) / total, tuple(labels)


@dataclass(frozen=True, eq=False)
class ExpiryRun:
    """One simulated month of pastes and reads (arrays, one entry per paste or per read).

    Times are seconds from the start. ``created``, ``expires`` (``inf`` for never), ``size`` (bytes)
    and the deletion times ``lazy_at`` and ``active_at`` (``inf`` when it never happens) are per
    paste; ``read_at`` and ``read_paste`` per read. ``scale`` multiplies every count and byte
    figure the methods report (the real system's pastes per sampled paste). Compared by identity.
    """

    days: float
    sweep_s: float
    scale: float
    created: np.ndarray
    expires: np.ndarray
    size: np.ndarray
    lazy_at: np.ndarray
    active_at: np.ndarray
    read_at: np.ndarray
    read_paste: np.ndarray
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def horizon_s(self) -> float:
        return self.days * DAY

    def deleted_at(self, mode: str) -> np.ndarray:
        """When each paste is deleted under ``mode`` (``inf``: still stored at the end)."""
        _check.choice("mode", mode, MODES)
        if mode == "lazy":
            return self.lazy_at
        if mode == "active":
            return self.active_at
        key = ("deleted", mode)
        if key not in self._memo:
            if mode == "none":
                self._memo[key] = np.full(self.created.shape, np.inf)
            else:
                self._memo[key] = np.minimum(self.lazy_at, self.active_at)
            self._memo[key].flags.writeable = False
        return self._memo[key]

    def _read_expires(self) -> np.ndarray:
        """The expiry time of the paste each read asked for."""
        if "read_expires" not in self._memo:
            self._memo["read_expires"] = self.expires[self.read_paste]
        return self._memo["read_expires"]

    def served(self, mode: str) -> np.ndarray:
        """For each read, True if it returned the paste's content (False: "gone" or already deleted).

        Modes with the lazy check serve a read only before the paste expires; the others serve it
        as long as the paste is still stored.
        """
        deleted = self.deleted_at(mode)[self.read_paste]
        stored = self.read_at < deleted
        if mode in ("lazy", "both"):
            return stored & (self.read_at < self._read_expires())
        return stored

    def expired_reads_served(self, mode: str) -> int:
        """Reads that got the content of a paste that had already expired (scaled)."""
        late = self.read_at >= self._read_expires()
        return int(round(np.count_nonzero(self.served(mode) & late) * self.scale))

    def grid(self, step_hours: float = 1.0) -> np.ndarray:
        """Sample times from 0 to the end of the run, every ``step_hours`` (seconds)."""
        step = _check.number("step_hours", step_hours, low=0.01, high=24 * 365) * HOUR
        return np.arange(0.0, self.horizon_s + step / 2, step)

    def _times(self, name: str) -> np.ndarray:
        """A per-paste time array by name: "created", "expires", or "deleted:<mode>"."""
        if name.startswith("deleted:"):
            return self.deleted_at(name.removeprefix("deleted:"))
        return {"created": self.created, "expires": self.expires}[name]

    def _prefix(self, name: str, weight: str) -> tuple[np.ndarray, np.ndarray]:
        """The times of ``name`` sorted, and the running total of ``weight`` ("size" or "count") in
        that order (with a leading 0); computed once per run."""
        key = (name, weight)
        if key not in self._memo:
            if ("order", name) not in self._memo:
                values = self._times(name)
                order = np.argsort(values)
                self._memo[("order", name)] = (values[order], order)
            values_sorted, order = self._memo[("order", name)]
            w = self.size[order] if weight == "size" else np.ones(len(order))
            self._memo[key] = (values_sorted, np.concatenate(([0.0], np.cumsum(w))))
        return self._memo[key]

    def _between(self, times: np.ndarray, start: str, end: str, weight: str = "size") -> np.ndarray:
        """Total ``weight`` of pastes with start <= t < end, for each t in ``times`` (any order)."""
        t = np.asarray(times, dtype=float)
        s_sorted, s_cum = self._prefix(start, weight)
        e_sorted, e_cum = self._prefix(end, weight)
        total = (
            s_cum[np.searchsorted(s_sorted, t, side="right")]
            - e_cum[np.searchsorted(e_sorted, t, side="right")]
        )
        tiny = 1e-9 * max(1.0, float(s_cum[-1]))
        return np.where(np.abs(total) < tiny, 0.0, total)  # drop float noise of the running sums

    def stored_bytes(self, mode: str, times: np.ndarray | None = None) -> np.ndarray:
        """Bytes stored at each time under ``mode`` (scaled); hourly over the run by default."""
        _check.choice("mode", mode, MODES)
        t = self.grid() if times is None else times
        return self._between(t, "created", f"deleted:{mode}") * self.scale

    def expired_bytes(self, mode: str, times: np.ndarray | None = None) -> np.ndarray:
        """Bytes of pastes that have expired but are still stored under ``mode``, at each time (scaled)."""
        _check.choice("mode", mode, MODES)
        t = self.grid() if times is None else times
        return self._between(t, "expires", f"deleted:{mode}") * self.scale

    def live_bytes(self, times: np.ndarray | None = None) -> np.ndarray:
        """Bytes of pastes not yet expired at each time (scaled): the least any clean-up can keep."""
        t = self.grid() if times is None else times
        return self._between(t, "created", "expires") * self.scale

    def sweep_times(self) -> np.ndarray:
        """When the sweeper runs: every ``sweep_s`` seconds up to the end of the run."""
        count = int(math.floor(self.horizon_s / self.sweep_s + 1e-9))
        return self.sweep_s * np.arange(1, count + 1, dtype=float)

    def sweeps(self, mode: str = "both") -> pd.DataFrame:
        """One row per sweep: time (s), rows a full scan examines, rows deleted (what an expiry-time
        index examines), bytes reclaimed; all scaled. Empty for modes without a sweeper."""
        _check.choice("mode", mode, MODES)
        columns = ["time_s", "rows_scanned", "rows_deleted", "bytes_reclaimed"]
        if mode in ("none", "lazy"):
            return pd.DataFrame(columns=columns)
        times = self.sweep_times()
        deleted = self.deleted_at(mode)
        by_sweep = (deleted == self.active_at) & np.isfinite(self.active_at)
        slot = np.searchsorted(times, self.active_at[by_sweep], side="left")
        n = len(times)
        rows_deleted = np.bincount(slot, minlength=n + 1)[:n]
        bytes_freed = np.bincount(slot, weights=self.size[by_sweep], minlength=n + 1)[:n]
        # a full scan reads every row present just before the sweep deletes anything
        present = self._between(times, "created", f"deleted:{mode}", "count") + rows_deleted
        return pd.DataFrame(
            {
                "time_s": times,
                "rows_scanned": present * self.scale,
                "rows_deleted": rows_deleted * self.scale,
                "bytes_reclaimed": bytes_freed * self.scale,
            }
        )

    def read_path_deletes(self, mode: str) -> int:
        """Deletes done while answering a read (the lazy check's extra writes), scaled."""
        _check.choice("mode", mode, MODES)
        if mode not in ("lazy", "both"):
            return 0
        lazy = np.isfinite(self.lazy_at) & (self.lazy_at <= self.deleted_at(mode))
        if mode == "both":
            lazy &= self.lazy_at < self.active_at
        return int(round(np.count_nonzero(lazy) * self.scale))

    def summary(self, step_hours: float = 1.0) -> pd.DataFrame:
        """Per mode: bytes stored at the end and how much of it has expired; the most expired bytes
        held at any sample time (every ``step_hours``, and just before each sweep); expired reads
        served; deletes on the read
        path; sweeps run; and rows one sweep examines on average, by a full scan and through an
        index on the expiry time (which touches only the rows it deletes). All scaled."""
        times = self.grid(step_hours)
        # expired bytes peak just before a sweep: sample those moments too
        peaks = np.union1d(times, self.sweep_times() - 1e-3)
        rows = []
        for mode in MODES:
            stored = self.stored_bytes(mode, times)
            expired = self.expired_bytes(mode, times)
            most = float(self.expired_bytes(mode, peaks).max())
            sweeps = self.sweeps(mode)
            rows.append(
                (
                    mode,
                    MODE_NAMES[mode],
                    float(stored[-1]),
                    float(expired[-1]),
                    float(expired[-1] / stored[-1]) if stored[-1] else 0.0,
                    most,
                    self.expired_reads_served(mode),
                    self.read_path_deletes(mode),
                    len(sweeps),
                    float(sweeps["rows_scanned"].mean()) if len(sweeps) else 0.0,
                    float(sweeps["rows_deleted"].mean()) if len(sweeps) else 0.0,
                )
            )
        return pd.DataFrame(
            rows,
            columns=[
                "mode",
                "clean_up",
                "stored_bytes",
                "expired_bytes",
                "expired_share",
                "expired_bytes_max",
                "expired_reads_served",
                "read_path_deletes",
                "sweeps",
                "scan_rows_per_sweep",
                "indexed_rows_per_sweep",
            ],
        )


def simulate(
    days: float = 30.0,
    pastes_per_day: int = 2_000,
    *,
    ttl_mix: tuple[tuple[str, float, float], ...] | list = TTL_MIX,
    reads_per_paste: float = 4.0,
    interest_hours: float = 12.0,
    interest_sigma: float = 2.0,
    popularity_sigma: float = 1.0,
    sweep_hours: float = 6.0,
    median_bytes: float = 2_000.0,
    size_sigma: float = 1.8,
    represents_per_day: float | None = None,
    seed: int = 0,
) -> ExpiryRun:
    """Simulate ``days`` days of pastes with TTLs and the reads that come back to them.

    * ``pastes_per_day`` pastes arrive at uniformly random times; TTLs follow ``ttl_mix``; sizes are
      log-normal with median ``median_bytes`` and log-spread ``size_sigma``.
    * Each paste has a popularity weight (log-normal, mean 1, spread ``popularity_sigma``) and gets
      ``Poisson(reads_per_paste x weight)`` reads, each ``delay`` after creation, log-normal with
      median ``interest_hours`` and spread ``interest_sigma``. Reads after the end are dropped.
    * Lazy deletion happens at the first read at or after expiry; the sweeper runs every
      ``sweep_hours`` (first run at ``sweep_hours``) and deletes every paste expired by then.
    * ``represents_per_day`` (default: ``pastes_per_day``) scales counts and bytes to a bigger system.

    >>> run = simulate(days=7, pastes_per_day=500, seed=1)
    >>> swept = np.isfinite(run.active_at)
    >>> lag = run.active_at[swept] - run.expires[swept]
    >>> bool((run.lazy_at >= run.expires).all()), bool((lag < run.sweep_s).all())
    (True, True)
    """
    span = _check.number("days", days, low=0.0, low_open=True, high=3_650)
    rate = _check.number("pastes_per_day", pastes_per_day, low=1, high=MAX_PASTES)
    ttls, shares, _ = _mix(ttl_mix)
    mean_reads = _check.number("reads_per_paste", reads_per_paste, low=0.0, high=1_000)
    interest = _check.number("interest_hours", interest_hours, low=0.0, low_open=True, high=24 * 365)
    i_sigma = _check.number("interest_sigma", interest_sigma, low=0.0, high=5.0)
    p_sigma = _check.number("popularity_sigma", popularity_sigma, low=0.0, high=5.0)
    sweep = _check.number("sweep_hours", sweep_hours, low=0.0, low_open=True, high=24 * 365) * HOUR
    median = _check.number("median_bytes", median_bytes, low=0.0, low_open=True)
    s_sigma = _check.number("size_sigma", size_sigma, low=0.0, high=5.0)
    scale = 1.0
    if represents_per_day is not None:
        scale = _check.number("represents_per_day", represents_per_day, low=0.0, low_open=True) / rate
    n = int(round(rate * span))
    if n > MAX_PASTES:
        raise ValueError(f"days x pastes_per_day must be at most {MAX_PASTES:,} pastes, got {n:,}")
    horizon = span * DAY
    rng = np.random.default_rng(seed)
    created = np.sort(rng.random(n) * horizon)
    ttl = ttls[rng.choice(len(ttls), size=n, p=shares)]
    expires = created + ttl
    size = np.exp(rng.normal(math.log(median), s_sigma, n)) if s_sigma else np.full(n, median)
    weight = np.exp(rng.normal(-(p_sigma**2) / 2, p_sigma, n))  # mean 1
    counts = rng.poisson(mean_reads * weight)
    total = int(counts.sum())
    if total > MAX_READS:
        raise ValueError(f"reads_per_paste x pastes is too large ({total:,} reads; at most {MAX_READS:,})")
    read_paste = np.repeat(np.arange(n), counts)
    delay = (
        np.exp(rng.normal(math.log(interest * HOUR), i_sigma, total))
        if i_sigma
        else np.full(total, interest * HOUR)
    )
    read_at = created[read_paste] + delay
    keep = read_at < horizon
    read_paste, read_at = read_paste[keep], read_at[keep]
    # lazy: the first read at or after expiry deletes the paste
    late = read_at >= expires[read_paste]
    lazy_at = np.full(n, np.inf)
    np.minimum.at(lazy_at, read_paste[late], read_at[late])
    # active: the first sweep at or after expiry (sweeps at sweep, 2 sweep, ...; none after the end)
    runs = np.ceil(expires / sweep) * sweep  # the same product as ExpiryRun.sweep_times()
    active_at = np.where(np.isfinite(expires) & (runs <= horizon + 1e-9), runs, np.inf)
    for a in (created, expires, size, lazy_at, active_at, read_at, read_paste):
        a.flags.writeable = False
    return ExpiryRun(span, sweep, scale, created, expires, size, lazy_at, active_at, read_at, read_paste)


def retained_bytes(
    day: float,
    pastes_per_day: float,
    mean_bytes: float,
    ttl_mix: tuple[tuple[str, float, float], ...] | list = TTL_MIX,
) -> float:
    """Bytes of unexpired pastes ``day`` days after launch, in expectation: what a perfect clean-up keeps.

    Each TTL class holds ``min(ttl, day)`` days of its pastes.

    >>> mix = [("1 day", 86_400, 0.5), ("never", float("inf"), 0.5)]
    >>> retained_bytes(30, 1e6, 10e3, mix)  # 1e10 x (0.5 x 1 day + 0.5 x 30 days)
    155000000000.0
    """
    t = _check.number("day", day, low=0.0)
    rate = _check.number("pastes_per_day", pastes_per_day, low=0.0)
    mean = _check.number("mean_bytes", mean_bytes, low=0.0)
    ttls, shares, _ = _mix(ttl_mix)
    kept_days = np.minimum(ttls / DAY, t)
    return float(rate * mean * float(np.sum(shares * kept_days)))


def ttl_table(ttl_mix: tuple[tuple[str, float, float], ...] | list = TTL_MIX) -> pd.DataFrame:
    """The expiry menu as a table: label, time to live (seconds, ``inf`` for never) and share of pastes.

    >>> ttl_table()["expiry"].tolist()
    ['1 hour', '1 day', '1 week', '1 month', 'never']
    """
    ttls, shares, labels = _mix(ttl_mix)
    return pd.DataFrame({"expiry": labels, "ttl_s": ttls, "share": shares})
