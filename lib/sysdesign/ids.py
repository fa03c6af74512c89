"""Unique IDs: auto-increment and ticket servers, UUIDv4 and UUIDv7, Snowflake-style IDs, clock skew.

* Auto-increment: one database hands out 1, 2, 3, ...; Flickr's ticket servers (2010) run two
  databases that step by 2 from offsets 1 and 2, so one issues the odd IDs and the other the even.
* UUIDv4 (RFC 9562 §5.4): 122 random bits; collisions follow the birthday bound
  ``1 - exp(-n(n-1) / 2^123)``.
* UUIDv7 (RFC 9562 §5.7): a 48-bit Unix timestamp in milliseconds, then 74 random bits: sortable by
  creation time to the millisecond.
* Snowflake (Twitter, 2010): a 64-bit integer of a 41-bit millisecond timestamp, a 10-bit machine id
  and a 12-bit sequence (:data:`SNOWFLAKE`); :class:`Layout` computes what a bit split allows.

:func:`simulate` issues IDs on several machines whose clocks are off by up to ``skew_ms`` and are
corrected once by NTP halfway (a clock that ran ahead steps back), and :func:`compare` measures every
scheme on the same requests: duplicates, refusals, waits, and how far ID order strays from true time.
Times are milliseconds unless a name says otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from . import _check
from ._lazy import pd
from .units import DAYS_PER_YEAR, SECONDS_PER_DAY

MS_PER_YEAR = DAYS_PER_YEAR * SECONDS_PER_DAY * 1000
"""Milliseconds in a 365-day year."""

TWITTER_EPOCH_MS = 1_288_834_974_657
"""Twitter's Snowflake epoch, Unix milliseconds (2010-11-04 01:42:54.657 UTC; twitter-archive/snowflake)."""

UUID_RANDOM_BITS = 122
"""Random bits of a UUIDv4: 128 minus 4 version and 2 variant bits (RFC 9562 §5.4)."""

UUID7_RANDOM_BITS = 74
"""Random bits of a UUIDv7: 128 minus 48 timestamp, 4 version and 2 variant bits (RFC 9562 §5.7)."""

POLICIES: tuple[str, ...] = ("wait", "refuse", "ignore")
"""What a Snowflake generator does when its clock reads earlier than the last ID it issued:
wait until the clock catches up, refuse (raise an error; Twitter's Snowflake did), or ignore the
step back (a bug: it can reissue an ID)."""

MAX_IDS = 200_000


def _whole(name: str, value: object, low: int, high: int) -> int:
    """``value`` as an exact int in [low, high] (large IDs lose digits as floats, so ints stay ints)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        if not low <= int(value) <= high:
            raise ValueError(f"{name} must be a whole number in [{low:,}, {high:,}], got {value!r}")
        return int(value)
    x = _check.number(name, value, low=low, high=high)
    if x != int(x):
        raise ValueError(f"{name} must be a whole number in [{low:,}, {high:,}], got {value!r}")
    return int(x)


@dataclass(frozen=True)
class Layout:
    """A Snowflake-style bit split of a 64-bit ID (bit 63, the sign, stays 0).

    >>> s = Layout(41, 10, 12)
    >>> s.ids_per_ms, s.machines, round(s.years, 1)
    (4096, 1024, 69.7)
    """

    timestamp_bits: int
    machine_bits: int
    sequence_bits: int

    def __post_init__(self) -> None:
        _whole("timestamp_bits", self.timestamp_bits, 1, 63)
        _whole("machine_bits", self.machine_bits, 0, 62)
        _whole("sequence_bits", self.sequence_bits, 0, 62)
        total = self.timestamp_bits + self.machine_bits + self.sequence_bits
        if total > 63:
            raise ValueError(
                f"timestamp_bits + machine_bits + sequence_bits must be at most 63 (the sign bit stays 0), "
                f"got {total}"
            )

    @property
    def ids_per_ms(self) -> int:
        """IDs one machine can issue in one millisecond: ``2 ** sequence_bits``."""
        return 2**self.sequence_bits

    @property
    def machines(self) -> int:
        """Distinct machine ids: ``2 ** machine_bits``."""
        return 2**self.machine_bits

    @property
    def years(self) -> float:
        """How long the timestamp lasts from its epoch: ``2 ** timestamp_bits`` ms in 365-day years."""
        return 2**self.timestamp_bits / MS_PER_YEAR

    def runs_out(self, epoch_ms: int = TWITTER_EPOCH_MS) -> int:
        """The year the timestamp field overflows, counting from ``epoch_ms`` (Unix milliseconds).

        >>> SNOWFLAKE.runs_out()
        2080
        """
        end_s = (_check.number("epoch_ms", epoch_ms) + 2**self.timestamp_bits) / 1000
        if end_s >= 253_402_300_800:  # 10000-01-01
            return 10_000
        return datetime.fromtimestamp(end_s, tz=UTC).year

    def compose(self, ms: int, machine: int, sequence: int) -> int:
        """The ID of timestamp ``ms`` (from the layout's epoch), ``machine`` and ``sequence``.

        >>> SNOWFLAKE.compose(1, 0, 0), SNOWFLAKE.compose(0, 1, 0), SNOWFLAKE.compose(0, 0, 1)
        (4194304, 4096, 1)
        """
        t = _whole("ms", ms, 0, 2**self.timestamp_bits - 1)
        m = _whole("machine", machine, 0, self.machines - 1)
        s = _whole("sequence", sequence, 0, self.ids_per_ms - 1)
        return (t << (self.machine_bits + self.sequence_bits)) | (m << self.sequence_bits) | s

    def split(self, id_: int) -> tuple[int, int, int]:
        """(timestamp ms, machine, sequence) of an ID.

        >>> SNOWFLAKE.split(4194304 + 4096 * 3 + 7)
        (1, 3, 7)
        """
        x = _whole("id_", id_, 0, 2**63 - 1)
        seq = x & (self.ids_per_ms - 1)
        machine = (x >> self.sequence_bits) & (self.machines - 1)
        return x >> (self.machine_bits + self.sequence_bits), machine, seq

    def table(self) -> pd.DataFrame:
        """One row: the bits of each field and what they allow."""
        return pd.DataFrame(
            [
                (
                    self.timestamp_bits,
                    self.machine_bits,
                    self.sequence_bits,
                    round(self.years, 1),
                    self.machines,
                    self.ids_per_ms,
                    self.machines * self.ids_per_ms * 1000,
                )
            ],
            columns=[
                "timestamp bits",
                "machine bits",
                "sequence bits",
                "years of life",
                "machines",
                "IDs/ms per machine",
                "IDs/s in all",
            ],
        )


SNOWFLAKE = Layout(41, 10, 12)
"""Twitter's 2010 layout: 41-bit ms timestamp, 10-bit machine id, 12-bit sequence."""


# --------------------------------------------------------------------------------------------
# Auto-increment and ticket servers
# --------------------------------------------------------------------------------------------


def ticket_ids(server: int, count: int, servers: int = 2) -> np.ndarray:
    """The first ``count`` IDs of ticket server ``server`` (1-based) of ``servers``: each database
    starts at its own offset and steps by the number of servers (MySQL ``auto_increment_offset`` and
    ``auto_increment_increment``, as in Flickr's ticket servers).

    >>> ticket_ids(1, 4).tolist(), ticket_ids(2, 4).tolist()
    ([1, 3, 5, 7], [2, 4, 6, 8])
    """
    n_servers = _whole("servers", servers, 1, 1_000)
    s = _whole("server", server, 1, n_servers)
    n = _whole("count", count, 0, MAX_IDS)
    return s + n_servers * np.arange(n, dtype=np.int64)


# --------------------------------------------------------------------------------------------
# UUIDs
# --------------------------------------------------------------------------------------------


def collision_probability(n: float, bits: int = UUID_RANDOM_BITS) -> float:
    """Chance that ``n`` IDs of ``bits`` random bits hold a repeat: ``1 - exp(-n(n-1) / 2^(bits+1))``.

    >>> f"{collision_probability(1e9):.1e}"     # a billion UUIDv4s
    '9.4e-20'
    """
    count = _check.number("n", n, high=1e30)
    b = _whole("bits", bits, 1, 256)
    return float(-math.expm1(-count * max(count - 1.0, 0.0) / 2.0 ** (b + 1)))


def ids_for_probability(p: float, bits: int = UUID_RANDOM_BITS) -> float:
    """How many random IDs of ``bits`` bits give a repeat with probability ``p``: the ``n`` with
    ``n(n-1) = 2^(bits+1) * ln(1 / (1 - p))``, about ``sqrt(2^(bits+1) * ln(1 / (1 - p)))``.

    >>> f"{ids_for_probability(0.5):.2e}"
    '2.71e+18'
    """
    q = _check.number("p", p, low=0, high=1, low_open=True, high_open=True)
    b = _whole("bits", bits, 1, 256)
    return (1 + math.sqrt(1 + 4 * 2.0 ** (b + 1) * -math.log1p(-q))) / 2


def _random_ints(rng: np.random.Generator, n: int, bits: int) -> list[int]:
    """``n`` random integers of ``bits`` bits (at most 128) as Python ints."""
    hi = rng.integers(0, 2**63, size=n, dtype=np.int64).tolist()
    lo = rng.integers(0, 2**63, size=n, dtype=np.int64).tolist()
    mask = (1 << bits) - 1
    return [((h << 63) | ell) & mask for h, ell in zip(hi, lo, strict=True)]


def uuid4_ints(n: int, seed: int = 0) -> list[int]:
    """``n`` version-4 UUIDs as 128-bit integers: 122 seeded random bits, version 4, variant ``10``.

    >>> import uuid
    >>> u = uuid.UUID(int=uuid4_ints(1)[0]); (u.version, u.variant == uuid.RFC_4122)
    (4, True)
    """
    count = _whole("n", n, 0, MAX_IDS)
    rand = _random_ints(np.random.default_rng(seed), count, UUID_RANDOM_BITS)
    # 48 random bits, version 0100, 12 random bits, variant 10, 62 random bits (RFC 9562 §5.4)
    return [
        ((r >> 74) << 80) | (4 << 76) | (((r >> 62) & 0xFFF) << 64) | (2 << 62) | (r & (2**62 - 1))
        for r in rand
    ]


def uuid7_int(unix_ms: int, rand_a: int, rand_b: int) -> int:
    """A version-7 UUID as a 128-bit integer: 48-bit ``unix_ms``, version 7, 12-bit ``rand_a``,
    variant ``10``, 62-bit ``rand_b`` (RFC 9562 §5.7).

    >>> f"{uuid7_int(0x017F22E279B0, 0xCC3, 0x18C4DC0C0C07398F):032x}"   # RFC 9562 Appendix A.6
    '017f22e279b07cc398c4dc0c0c07398f'
    """
    t = _whole("unix_ms", unix_ms, 0, 2**48 - 1)
    a = _whole("rand_a", rand_a, 0, 2**12 - 1)
    b = _whole("rand_b", rand_b, 0, 2**62 - 1)
    return (t << 80) | (7 << 76) | (a << 64) | (2 << 62) | b


def uuid7_ints(unix_ms: np.ndarray, seed: int = 0) -> list[int]:
    """Version-7 UUIDs for the given millisecond timestamps, random bits seeded.

    >>> a, b = uuid7_ints(np.array([5, 6])); a < b
    True
    """
    ms = np.asarray(unix_ms, dtype=np.int64)
    rand = _random_ints(np.random.default_rng(seed), ms.size, UUID7_RANDOM_BITS)
    return [uuid7_int(int(t), r >> 62, r & (2**62 - 1)) for t, r in zip(ms.tolist(), rand, strict=True)]


# --------------------------------------------------------------------------------------------
# A Snowflake generator on one machine
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issued:
    """What one generator did with its requests, in arrival order.

    ``ids``: the IDs (-1 where the request was refused); ``waited_ms``: how long each request
    waited for the clock (a step back, or a full sequence in the current millisecond).
    """

    ids: np.ndarray
    waited_ms: np.ndarray

    @property
    def refused(self) -> int:
        """Requests refused."""
        return int((self.ids < 0).sum())


def snowflake_ids(
    clock_ms: np.ndarray, machine: int, layout: Layout = SNOWFLAKE, on_clock_back: str = "wait"
) -> Issued:
    """Issue one ID per request on one machine, given its clock (whole ms since the epoch) at each request.

    The sequence counts IDs within a millisecond; when it is full the generator waits for the next
    millisecond. When the clock reads earlier than the last ID's millisecond, ``on_clock_back``
    (one of :data:`POLICIES`) decides: ``wait`` issues in the last millisecond and on (waiting for
    the clock), ``refuse`` refuses the request, ``ignore`` uses the clock as it reads (it may
    reissue an ID).

    >>> issued = snowflake_ids(np.array([10, 10, 12, 11]), machine=1, layout=Layout(41, 10, 12))
    >>> [layout_ids for layout_ids in map(SNOWFLAKE.split, issued.ids.tolist())]
    [(10, 1, 0), (10, 1, 1), (12, 1, 0), (12, 1, 1)]
    >>> issued.waited_ms.tolist()
    [0, 0, 0, 1]
    """
    _check.choice("on_clock_back", on_clock_back, POLICIES)
    clock = np.asarray(clock_ms, dtype=np.int64)
    if clock.ndim != 1 or clock.size > MAX_IDS:
        raise ValueError(
            f"clock_ms must be a 1-D array of at most {MAX_IDS:,} readings, got shape {clock.shape}"
        )
    if clock.size and (clock.min() < 0 or clock.max() >= 2**layout.timestamp_bits):
        raise ValueError(
            f"clock_ms must be in [0, 2**{layout.timestamp_bits}) for a {layout.timestamp_bits}-bit timestamp"
        )
    m = _whole("machine", machine, 0, layout.machines - 1)
    shift_t, shift_m, full = (
        layout.machine_bits + layout.sequence_bits,
        layout.sequence_bits,
        layout.ids_per_ms,
    )
    ids = np.full(clock.size, -1, dtype=np.int64)
    waited = np.zeros(clock.size, dtype=np.int64)
    last, seq = -1, 0
    for i, now in enumerate(clock.tolist()):
        if now < last and on_clock_back == "refuse":
            continue
        t = max(now, last) if on_clock_back == "wait" else now
        if t == last:
            seq += 1
            if seq == full:  # the millisecond is used up: wait for the next one
                t, seq = t + 1, 0
        else:
            seq = 0
        # the clock must reach t; later requests queue behind this one
        waited[i] = t - now
        ids[i] = (t << shift_t) | (m << shift_m) | seq
        last = t
    return Issued(ids, waited)


def max_per_ms(ids: np.ndarray, layout: Layout = SNOWFLAKE) -> int:
    """Most IDs that share one (timestamp, machine) pair: the IDs per ms a generator reached.

    >>> max_per_ms(snowflake_ids(np.zeros(5_000, dtype=np.int64), 0).ids)
    4096
    """
    x = np.asarray(ids, dtype=np.int64)
    x = x[x >= 0] >> layout.sequence_bits
    if x.size == 0:
        return 0
    return int(np.unique(x, return_counts=True)[1].max())


# --------------------------------------------------------------------------------------------
# Ordering
# --------------------------------------------------------------------------------------------


def ordering(ids: list[int] | np.ndarray, true_ms: np.ndarray) -> tuple[float, float]:
    """Sort requests by ID and compare with the true times they were issued at.

    Returns (share of neighbouring pairs in ID order whose true times run backwards, the worst lag:
    how much earlier in true time an ID is than one sorted before it, ms). Perfect order gives
    (0, 0); a k-sorted sequence has a worst lag of at most k.

    >>> ordering([1, 2, 3], np.array([0.0, 1.0, 2.0])), ordering([3, 2, 1], np.array([0.0, 1.0, 2.0]))
    ((0.0, 0.0), (1.0, 2.0))
    """
    t = np.asarray(true_ms, dtype=float)
    values = list(ids)
    if len(values) != t.size:
        raise ValueError(f"ids and true_ms must have the same length, got {len(values)} and {t.size}")
    if t.size < 2:
        return 0.0, 0.0
    order = sorted(range(t.size), key=values.__getitem__)
    s = t[order]
    backwards = float(np.mean(s[1:] < s[:-1]))
    return backwards, float(np.max(np.maximum.accumulate(s) - s))


# --------------------------------------------------------------------------------------------
# Many machines, skewed clocks
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requests:
    """Seeded ID requests on several machines with skewed clocks.

    ``true_ms``: when each request arrived (true time, ms, sorted); ``machine``: which machine got
    it; ``clock_ms``: that machine's clock at the time (whole ms); ``offset_ms``: each machine's
    clock error before the NTP correction at ``corrected_at_ms`` (after it, clocks are exact).
    """

    true_ms: np.ndarray
    machine: np.ndarray
    clock_ms: np.ndarray
    offset_ms: np.ndarray
    corrected_at_ms: np.ndarray


def requests(
    machines: int = 8,
    duration_ms: float = 200.0,
    rate_per_ms: float = 1.0,
    skew_ms: float = 5.0,
    *,
    start_ms: int = 1_000,
    seed: int = 0,
) -> Requests:
    """Poisson requests at ``rate_per_ms`` on each of ``machines`` for ``duration_ms``.

    Each machine's clock is off by a seeded error uniform in ``[-skew_ms, skew_ms]`` until NTP
    corrects it once at a seeded moment in the middle half of the run: a clock that ran ahead
    steps back. True time starts at ``start_ms`` after the epoch.

    >>> r = requests(machines=2, duration_ms=10, skew_ms=0, seed=1)
    >>> bool((r.clock_ms == np.floor(r.true_ms)).all())
    True
    """
    n_m = _whole("machines", machines, 1, 4_096)
    d = _check.number("duration_ms", duration_ms, low=0, low_open=True, high=1e7)
    rate = _check.number("rate_per_ms", rate_per_ms, low=0, low_open=True, high=1_000)
    skew = _check.number("skew_ms", skew_ms, high=1e6)
    start = _whole("start_ms", start_ms, 0, 2**40)
    if start < skew:
        raise ValueError(
            f"start_ms must be at least skew_ms ({skew:g}) so clocks never read before the epoch"
        )
    rng = np.random.default_rng(seed)
    counts = rng.poisson(rate * d, size=n_m)
    if counts.sum() > MAX_IDS:
        raise ValueError(
            f"machines * rate_per_ms * duration_ms must stay under {MAX_IDS:,} requests, "
            f"got about {rate * d * n_m:,.0f}"
        )
    machine = np.repeat(np.arange(n_m), counts)
    true = start + rng.uniform(0.0, d, size=machine.size)
    offset = rng.uniform(-skew, skew, size=n_m)
    fix = start + rng.uniform(d / 4, 3 * d / 4, size=n_m)
    order = np.argsort(true, kind="stable")
    true, machine = true[order], machine[order]
    error = np.where(true < fix[machine], offset[machine], 0.0)
    return Requests(true, machine, np.floor(true + error).astype(np.int64), offset, fix)


@dataclass(frozen=True)
class Run:
    """One scheme's IDs for a set of requests (``ids`` as Python ints; None where refused)."""

    scheme: str
    bits: int
    ids: list[int | None]
    waited_ms: np.ndarray

    def measures(self, true_ms: np.ndarray) -> dict[str, float | int | str]:
        """Issued, duplicates, refused, out-of-order share, worst lag and mean wait."""
        keep = [i for i, x in enumerate(self.ids) if x is not None]
        issued = [x for x in self.ids if x is not None]
        backwards, lag = ordering(issued, np.asarray(true_ms)[keep])
        return {
            "scheme": self.scheme,
            "bits": self.bits,
            "issued": len(issued),
            "duplicates": len(issued) - len(set(issued)),
            "refused": len(self.ids) - len(issued),
            "out of order %": round(100 * backwards, 1),
            "worst lag (ms)": round(lag, 1),
            "mean wait (ms)": round(float(self.waited_ms.mean()) if self.waited_ms.size else 0.0, 2),
        }


def simulate(
    reqs: Requests, scheme: str, layout: Layout = SNOWFLAKE, *, tickets: int = 2, seed: int = 0
) -> Run:
    """Issue IDs for ``reqs`` with one scheme of :data:`SCHEMES`.

    ``auto-increment``: one database numbers requests in arrival order. ``ticket servers``: each
    request goes to one of ``tickets`` databases at random, which count in steps of ``tickets``.
    ``uuid4`` / ``uuid7``: random UUIDs (v7 stamped with the machine's clock). ``snowflake-<policy>``:
    one Snowflake generator per machine (machine id = machine number), with a :data:`POLICIES` policy.

    >>> r = requests(machines=4, duration_ms=50, skew_ms=3, seed=2)
    >>> simulate(r, "auto-increment").measures(r.true_ms)["out of order %"]
    0.0
    """
    _check.choice("scheme", scheme, SCHEMES)
    n = reqs.true_ms.size
    zero = np.zeros(n, dtype=np.int64)
    if scheme == "auto-increment":
        return Run(scheme, 64, list(range(1, n + 1)), zero)
    if scheme == "ticket servers":
        k = _whole("tickets", tickets, 1, 1_000)
        server = np.random.default_rng(seed).integers(0, k, size=n)
        rank = np.zeros(n, dtype=np.int64)
        for s in range(k):
            rank[server == s] = np.arange(int((server == s).sum()))
        return Run(scheme, 64, (server + 1 + k * rank).tolist(), zero)
    if scheme == "uuid4":
        return Run(scheme, 128, list(uuid4_ints(n, seed)), zero)
    if scheme == "uuid7":
        return Run(scheme, 128, list(uuid7_ints(reqs.clock_ms, seed)), zero)
    policy = scheme.split("-", 1)[1]
    if int(reqs.machine.max(initial=0)) >= layout.machines:
        raise ValueError(
            f"machines must be at most {layout.machines} with {layout.machine_bits} machine bits, "
            f"got {int(reqs.machine.max()) + 1}"
        )
    ids = np.full(n, -1, dtype=np.int64)
    waited = np.zeros(n, dtype=np.int64)
    for m in np.unique(reqs.machine).tolist():
        where = np.flatnonzero(reqs.machine == m)
        issued = snowflake_ids(reqs.clock_ms[where], m, layout, policy)
        ids[where], waited[where] = issued.ids, issued.waited_ms
    return Run(scheme, 64, [None if x < 0 else x for x in ids.tolist()], waited)


def stamp_error(
    reqs: Requests, run: Run, layout: Layout = SNOWFLAKE
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each ID a Snowflake run issued: the true time (ms), the ID's millisecond minus that true time
    (the clock error, plus any wait, stamped into it, ms) and the machine.

    >>> r = requests(machines=2, duration_ms=20, skew_ms=0, seed=1)
    >>> t, error, machine = stamp_error(r, simulate(r, "snowflake-wait"))
    >>> bool(((error > -1) & (error <= 0)).all())
    True
    """
    keep = np.array([x is not None for x in run.ids], dtype=bool)
    shift = layout.machine_bits + layout.sequence_bits
    stamped = np.array([x >> shift for x in run.ids if x is not None], dtype=float)
    return reqs.true_ms[keep], stamped - reqs.true_ms[keep], reqs.machine[keep]


SCHEMES: tuple[str, ...] = (
    "auto-increment",
    "ticket servers",
    "uuid4",
    "uuid7",
    *(f"snowflake-{p}" for p in POLICIES),
)
"""The schemes :func:`simulate` knows."""


def run_all(
    machines: int = 8,
    skew_ms: float = 5.0,
    layout: Layout = SNOWFLAKE,
    *,
    duration_ms: float = 200.0,
    rate_per_ms: float = 1.0,
    seed: int = 0,
) -> tuple[Requests, dict[str, Run]]:
    """The same seeded :func:`requests` issued by every scheme of :data:`SCHEMES`."""
    reqs = requests(
        machines, duration_ms, rate_per_ms, skew_ms, start_ms=max(1_000, math.ceil(skew_ms)), seed=seed
    )
    return reqs, {s: simulate(reqs, s, layout, seed=seed) for s in SCHEMES}


def compare(
    machines: int = 8,
    skew_ms: float = 5.0,
    layout: Layout = SNOWFLAKE,
    *,
    duration_ms: float = 200.0,
    rate_per_ms: float = 1.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Every scheme on the same seeded requests: one row each (see :meth:`Run.measures`).

    >>> t = compare(machines=4, skew_ms=5, duration_ms=100).set_index("scheme")
    >>> int(t.loc["snowflake-wait", "duplicates"]), int(t.loc["auto-increment", "duplicates"])
    (0, 0)
    """
    reqs, runs = run_all(
        machines, skew_ms, layout, duration_ms=duration_ms, rate_per_ms=rate_per_ms, seed=seed
    )
    return pd.DataFrame([run.measures(reqs.true_ms) for run in runs.values()])
