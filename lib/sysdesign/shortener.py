"""Case study: a URL shortener. Estimation, short codes, redirects, hot-link caching and sharding.

Everything the lesson ``11_url_shortener`` computes lives here:

* :class:`ShortenerScenario`: the read-heavy estimate (links per month, reads per link, record size,
  retention), built on :mod:`sysdesign.estimate`.
* Short codes: alphabets, base-N encoding, key-space capacity and the birthday-style collision
  probability ``1 - exp(-n(n-1) / 2N)`` of ``n`` random codes drawn from ``N`` possible ones.
* Four ways to make codes (hash and truncate, one global counter, base62 of a sequence handed out
  in ranges, a pre-generated key service), each simulated on the same links by :func:`simulate_ids`
  and compared by :func:`compare_ids`.
* Redirects: what a 301 (browsers remember it) and a 302 (browsers ask every time) do to the
  clicks that reach us and can be counted (:func:`redirect_clicks`).
* Hot links in a cache (:func:`hot_link_cache`, from :mod:`sysdesign.sim.caching`) and sharding the
  link table by code (:func:`shard_read_loads`, from :mod:`sysdesign.sim.sharding`).
* The API, the architecture graph, three tradeoffs and the failure scenarios of the design.

Sizes are bytes, rates per second, durations seconds unless a name says otherwise (``_days``).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import _check, api, components, estimate, reference, tradeoffs
from ._lazy import go, pd
from .requirements import Requirement
from .sim import caching, sharding, workload
from .units import DAYS_PER_YEAR, format_count, format_size, say_roughly

# --------------------------------------------------------------------------------------------
# Alphabets, encoding, capacity
# --------------------------------------------------------------------------------------------

_DIGITS = "0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_UPPER = _LOWER.upper()

ALPHABETS: dict[str, str] = {
    "base62": _DIGITS + _UPPER + _LOWER,
    "base58": "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz",
    "base64url": _UPPER + _LOWER + _DIGITS + "-_",
    "base36": _DIGITS + _LOWER,
    "hex": _DIGITS + "abcdef",
    "decimal": _DIGITS,
}
"""Characters a short code may use, by name.

base62 is letters and digits; base58 drops the look-alikes 0, O, I and l (easier to read aloud and
type); base64url adds ``-`` and ``_`` (safe in a URL); base36 is case-insensitive; hex is what a
hash digest prints as; decimal is a plain number.
"""

MAX_LENGTH = 32
"""Longest code the functions accept (characters)."""


def alphabet_chars(alphabet: str) -> str:
    """The characters of a named alphabet (see :data:`ALPHABETS`).

    >>> len(alphabet_chars("base62")), alphabet_chars("hex")
    (62, '0123456789abcdef')
    """
    return ALPHABETS[_check.choice("alphabet", alphabet, tuple(ALPHABETS))]


def alphabet_size(alphabet: str) -> int:
    """How many characters a named alphabet has.

    >>> alphabet_size("base58")
    58
    """
    return len(alphabet_chars(alphabet))


def _length(value: object, name: str = "length") -> int:
    x = _check.number(name, value, low=1, high=MAX_LENGTH)
    if not x.is_integer():
        raise ValueError(f"{name} must be a whole number of characters in [1, {MAX_LENGTH}], got {value!r}")
    return int(x)


def capacity(length: int, alphabet: str = "base62") -> int:
    """Distinct codes of exactly ``length`` characters: ``alphabet_size ** length`` (an exact int).

    >>> capacity(7)          # 62**7
    3521614606208
    >>> capacity(4, "hex")   # 16**4
    65536
    """
    return alphabet_size(alphabet) ** _length(length)


def encode(number: int, alphabet: str = "base62", length: int | None = None) -> str:
    """Write a whole ``number`` >= 0 in base N with the alphabet's characters (most significant first).

    ``length`` pads on the left with the alphabet's first character; a number that does not fit in
    ``length`` characters raises ``ValueError``.

    >>> encode(125), encode(125, length=4), encode(255, "hex")
    ('21', '0021', 'ff')
    """
    chars = alphabet_chars(alphabet)
    if isinstance(number, bool) or not isinstance(number, (int, np.integer)):
        raise TypeError(f"number must be a whole number >= 0, got {number!r}")
    n = int(number)
    if n < 0:
        raise ValueError(f"number must be a whole number >= 0, got {number!r}")
    base = len(chars)
    digits = []
    while True:
        n, r = divmod(n, base)
        digits.append(chars[r])
        if n == 0:
            break
    code = "".join(reversed(digits))
    if length is not None:
        size = _length(length)
        if len(code) > size:
            raise ValueError(
                f"number {number} needs {len(code)} {alphabet} characters; it does not fit in length={size}"
            )
        code = chars[0] * (size - len(code)) + code
    return code


def decode(code: str, alphabet: str = "base62") -> int:
    """The number a code stands for: the inverse of :func:`encode`.

    >>> decode("21"), decode("0021"), decode("ff", "hex")
    (125, 125, 255)
    """
    chars = alphabet_chars(alphabet)
    if not isinstance(code, str) or not code:
        raise ValueError(f"code must be a non-empty string of {alphabet} characters, got {code!r}")
    index = {c: i for i, c in enumerate(chars)}
    n = 0
    for c in code:
        if c not in index:
            raise ValueError(f"code {code!r} has {c!r}, which is not a {alphabet} character")
        n = n * len(chars) + index[c]
    return n


def length_for_capacity(n_links: float, alphabet: str = "base62") -> int:
    """Shortest code length whose key space holds ``n_links`` distinct codes (what a counter needs).

    >>> length_for_capacity(56_800_235_584), length_for_capacity(56_800_235_585)  # 62**6 and one more
    (6, 7)
    """
    n = _check.number("n_links", n_links, low=1, high=1e30)
    size = alphabet_size(alphabet)
    length = 1
    while size**length < n:
        length += 1
    if length > MAX_LENGTH:
        raise ValueError(f"n_links={n_links:g} needs more than {MAX_LENGTH} {alphabet} characters")
    return length


# --------------------------------------------------------------------------------------------
# Collisions of random codes
# --------------------------------------------------------------------------------------------


def _space(n_links: float, length: int, alphabet: str) -> tuple[float, float]:
    n = _check.number("n_links", n_links, low=0, high=1e30)
    return n, float(capacity(length, alphabet))


def expected_colliding_pairs(n_links: float, length: int, alphabet: str = "base62") -> float:
    """Expected number of pairs of links that draw the same random code: ``n(n-1) / 2N``.

    This is also the *birthday bound* (a union bound): the chance of at least one collision is
    never above it.

    >>> expected_colliding_pairs(23, 2, "decimal")   # 23 * 22 / 2 = 253 pairs over 100 codes
    2.53
    """
    n, space = _space(n_links, length, alphabet)
    return n * max(n - 1.0, 0.0) / (2.0 * space)


def birthday_bound(n_links: float, length: int, alphabet: str = "base62") -> float:
    """Upper bound on the collision probability: ``min(1, n(n-1) / 2N)``.

    >>> birthday_bound(1_000, 4, "hex")   # 1000 * 999 / 2 / 65536 = 7.6: the bound says nothing
    1.0
    """
    return min(1.0, expected_colliding_pairs(n_links, length, alphabet))


def collision_probability(n_links: float, length: int, alphabet: str = "base62") -> float:
    """Chance that at least two of ``n_links`` random codes of ``length`` characters are equal.

    Uses ``1 - exp(-n(n-1) / 2N)`` with ``N = alphabet_size ** length``; computed with ``expm1``
    so tiny probabilities keep their digits. More links than codes is a certain collision.

    >>> round(collision_probability(23, 1, "decimal") , 3)     # 23 links, 10 codes: certain
    1.0
    >>> round(collision_probability(100_000, 7), 6)             # 100 K links in 62**7 codes
    0.001419
    """
    n, space = _space(n_links, length, alphabet)
    if n > space:
        return 1.0
    return float(-math.expm1(-n * max(n - 1.0, 0.0) / (2.0 * space)))


def insert_collision_probability(existing_links: float, length: int, alphabet: str = "base62") -> float:
    """Chance that one new random code hits one of ``existing_links`` codes already taken: ``existing / N``.

    This is the retry rate of hash-and-truncate once the table holds ``existing_links`` codes.

    >>> insert_collision_probability(65_536, 4, "hex")
    1.0
    """
    n, space = _space(existing_links, length, alphabet)
    return min(1.0, n / space)


def min_length(n_links: float, alphabet: str = "base62", max_probability: float = 1e-3) -> int:
    """Shortest length at which ``n_links`` random codes collide with probability <= ``max_probability``.

    >>> min_length(1e6), min_length(1e6, "hex")
    (9, 13)
    """
    _check.number("n_links", n_links, low=0, high=1e30)
    target = _check.number("max_probability", max_probability, low=0, high=1, low_open=True)
    size = alphabet_size(alphabet)
    for length in range(1, MAX_LENGTH + 1):
        if collision_probability(n_links, length, alphabet) <= target:
            return length
    raise ValueError(
        f"n_links={n_links:g} cannot reach max_probability={target:g} within {MAX_LENGTH} "
        f"characters of a {size}-character alphabet"
    )


def collision_curve(
    n_links: float, alphabet: str = "base62", lengths: range | list[int] | None = None
) -> pd.DataFrame:
    """Per key length: capacity, share of the key space used, expected colliding pairs, collision
    probability and the chance the next insert collides.

    >>> collision_curve(1e6, lengths=[6, 7, 8])["probability"].round(4).tolist()
    [0.9998, 0.1324, 0.0023]
    """
    n = _check.number("n_links", n_links, low=0, high=1e30)
    sizes = list(range(1, 21) if lengths is None else lengths)
    if not sizes:
        raise ValueError("lengths must name at least one key length")
    rows = []
    for length in sizes:
        space = capacity(length, alphabet)
        rows.append(
            (
                _length(length),
                float(space),
                min(1.0, n / space),
                expected_colliding_pairs(n, length, alphabet),
                collision_probability(n, length, alphabet),
                insert_collision_probability(n, length, alphabet),
            )
        )
    return pd.DataFrame(
        rows, columns=["length", "capacity", "space_used", "expected_pairs", "probability", "next_insert"]
    )


# --------------------------------------------------------------------------------------------
# The estimate
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShortenerScenario:
    """A read-heavy shortener, from a handful of assumptions.

    ``links_per_month`` new short links (30-day months); ``reads_per_write`` redirects per link
    created; ``record_bytes`` per stored link (code, long URL, owner, dates); ``years`` kept;
    ``peak_factor`` peak over average; ``redirect_bytes`` one redirect response on the wire;
    ``active_links`` the links that draw nearly all clicks (for cache sizing; default: one month's).
    """

    links_per_month: float = 100e6
    reads_per_write: float = 100.0
    record_bytes: float = 500.0
    years: float = 10.0
    peak_factor: float = 3.0
    redirect_bytes: float = 500.0
    active_links: float | None = None
    name: str = "URL shortener"

    def __post_init__(self) -> None:
        _check.number("links_per_month", self.links_per_month, low_open=True)
        _check.number("reads_per_write", self.reads_per_write)
        _check.number("record_bytes", self.record_bytes, low_open=True)
        _check.number("years", self.years, low_open=True, high=100)
        _check.number("peak_factor", self.peak_factor, low=1.0)
        _check.number("redirect_bytes", self.redirect_bytes)
        if self.active_links is not None:
            _check.number("active_links", self.active_links, low=1)

    def writes(self) -> estimate.Traffic:
        """New links: per day, average and peak per second."""
        return estimate.traffic(per_month=self.links_per_month, peak_factor=self.peak_factor)

    def reads(self) -> estimate.Traffic:
        """Redirects: ``reads_per_write`` times the writes."""
        return estimate.traffic(
            per_month=self.links_per_month * self.reads_per_write, peak_factor=self.peak_factor
        )

    def storage(self) -> estimate.Storage:
        """Bytes of link records per day and over ``years``."""
        return estimate.storage(self.writes().per_day, self.record_bytes, years=self.years)

    def total_links(self) -> float:
        """Links stored at the end of the retention period."""
        return self.writes().per_day * DAYS_PER_YEAR * self.years

    def bandwidth(self) -> estimate.Bandwidth:
        """Ingress of new records; egress of redirect responses (each record leaves ``reads_per_write``
        times, ``redirect_bytes / record_bytes`` its size each time)."""
        fanout = self.reads_per_write * self.redirect_bytes / self.record_bytes
        return estimate.bandwidth(self.storage().per_day, fanout=fanout)

    def hot_links(self) -> float:
        """Links that draw nearly all the clicks (``active_links``, or one month of new links)."""
        return self.links_per_month if self.active_links is None else float(self.active_links)

    def table(self) -> pd.DataFrame:
        """The estimate as a table: quantity, value (base units), unit, readable form."""
        w, r, s, b = self.writes(), self.reads(), self.storage(), self.bandwidth()
        rows = [
            ("new links per day", w.per_day, "links", format_count(w.per_day)),
            ("writes, average", w.avg_qps, "1/s", format_count(w.avg_qps)),
            (f"writes, peak ({self.peak_factor:g}x)", w.peak_qps, "1/s", format_count(w.peak_qps)),
            ("redirects per day", r.per_day, "reads", format_count(r.per_day)),
            ("redirects, average", r.avg_qps, "1/s", format_count(r.avg_qps)),
            (f"redirects, peak ({self.peak_factor:g}x)", r.peak_qps, "1/s", format_count(r.peak_qps)),
            ("storage per day", s.per_day, "B", format_size(s.per_day)),
            (f"storage over {self.years:g} years", s.total, "B", format_size(s.total)),
            (
                f"links after {self.years:g} years",
                self.total_links(),
                "links",
                format_count(self.total_links()),
            ),
            ("ingress", b.ingress, "B/s", format_size(b.ingress) + "/s"),
            ("egress", b.egress, "B/s", format_size(b.egress) + "/s"),
        ]
        return pd.DataFrame(rows, columns=["quantity", "value", "unit", "readable"])


SHORTENER = ShortenerScenario()
"""The lesson's scenario: 100 M new links a month, 100 redirects per link, 500 B a record, 10 years."""

SHORTENER_BUDGET_S = 0.1
"""A redirect should feel instant: 100 ms end to end (our requirement)."""

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("Turn a long URL into a short link", "functional", "shorten"),
    Requirement("Send anyone who opens a short link on to the long URL", "functional", "redirect"),
    Requirement("Let a user pick a custom alias, if it is free", "functional", "custom alias"),
    Requirement("Let a link expire on a date its owner sets", "functional", "expiry"),
    Requirement("Show a link's owner how often it was clicked", "functional", "analytics"),
    Requirement(
        f"Redirects dominate: about {SHORTENER.reads_per_write:g} reads for every new link",
        "non-functional",
        "read-heavy",
    ),
    Requirement(f"A redirect completes within {SHORTENER_BUDGET_S * 1e3:g} ms", "non-functional", "latency"),
    Requirement("Redirects stay up 99.99 % of the time", "non-functional", "availability"),
    Requirement("Links keep working for years, and codes cannot be guessed", "non-functional", "durability"),
)
"""What the interviewer and we agreed on for the shortener."""


# --------------------------------------------------------------------------------------------
# Four ways to make a code
# --------------------------------------------------------------------------------------------

STRATEGIES: tuple[str, ...] = ("hash", "counter", "ranges", "key_service")
"""hash and truncate; one global counter; base62 of a sequence leased in ranges; pre-generated keys."""

STRATEGY_NAMES: dict[str, str] = {
    "hash": "hash and truncate",
    "counter": "one global counter",
    "ranges": "base62 of a sequence, ranges leased per server",
    "key_service": "pre-generated key service",
}

_QUALITIES: dict[str, tuple[str, str, str]] = {
    # (same long URL gives the same code?, who must agree with whom, main risk)
    "hash": (
        "yes",
        "none between servers; every insert is a conditional write that fails on a taken code",
        "collisions grow with the table; each one costs a retry with a salted hash",
    ),
    "counter": (
        "no",
        "every new link asks the one counter (a database sequence or Redis INCR)",
        "the counter is a bottleneck and a single point of failure; codes are enumerable",
    ),
    "ranges": (
        "no",
        "a server asks a coordinator (ZooKeeper, etcd, a DB row) once per block of numbers",
        "codes are enumerable; a crashed server wastes the rest of its block (harmless)",
    ),
    "key_service": (
        "no",
        "a server fetches a batch of unused keys; the service marks them taken",
        "the key pool must be stored and refilled; the service itself must be replicated",
    ),
}


def hash_code(url: str, length: int = 7, alphabet: str = "base62", attempt: int = 0) -> str:
    """Hash-and-truncate: SHA-256 of the URL, as a number, reduced to ``length`` characters.

    ``attempt`` > 0 salts the hash, which is how a collision is retried. The same URL and attempt
    always give the same code.

    >>> hash_code("https://example.com/a") == hash_code("https://example.com/a")
    True
    >>> len(hash_code("https://example.com/a", 6)), hash_code("x", 7) != hash_code("x", 7, attempt=1)
    (6, True)
    """
    if not isinstance(url, str) or not url:
        raise ValueError(f"url must be a non-empty string, got {url!r}")
    size = _length(length)
    tries = int(_check.number("attempt", attempt, low=0, high=1e6))
    text = url if tries == 0 else f"{url}#{tries}"
    digest = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")
    return encode(digest % capacity(size, alphabet), alphabet, size)


@dataclass(frozen=True)
class IdRun:
    """One strategy run on ``n_links`` new links.

    ``collisions``: links whose first code was already taken (each costs a retry); ``coordination_calls``:
    calls to a shared service (counter, coordinator or key service) to issue them; ``guessable_share``:
    share of issued codes whose numeric neighbour (code + 1) is also a live link, which is what a
    scraper counting upwards finds; ``longest_code``: characters of the longest code issued.
    """

    strategy: str
    n_links: int
    collisions: int
    coordination_calls: int
    guessable_share: float
    longest_code: int


MAX_SIM_LINKS = 2_000_000


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort and a compare: faster than ``np.unique``'s hashing here)."""
    ordered = np.sort(values)
    if ordered.size == 0:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def simulate_ids(
    strategy: str,
    n_links: int = 100_000,
    length: int = 7,
    alphabet: str = "base62",
    *,
    servers: int = 8,
    block_size: int = 10_000,
    seed: int = 0,
) -> IdRun:
    """Issue codes for ``n_links`` distinct new links with one strategy and measure what happened.

    * ``hash``: each link's code is a 64-bit hash of its id reduced to ``length`` characters (a
      stand-in for SHA-256 of distinct URLs: both are uniform); a code already taken is a collision.
    * ``counter``: codes are 0, 1, 2, ... from one counter; one call to it per link.
    * ``ranges``: ``servers`` app servers each lease blocks of ``block_size`` numbers; one call per block.
    * ``key_service``: random distinct codes from a pool; one call per batch of ``block_size`` keys.

    Counter and range codes start at 0 and grow: ``longest_code`` shows how long they get. Deterministic
    for a given ``seed``.

    >>> run = simulate_ids("counter", 1_000)
    >>> run.collisions, run.coordination_calls, run.guessable_share
    (0, 1000, 0.999)
    >>> simulate_ids("ranges", 1_000, servers=1, block_size=100).coordination_calls
    10
    """
    _check.choice("strategy", strategy, STRATEGIES)
    n = int(_check.number("n_links", n_links, low=1, high=MAX_SIM_LINKS))
    size = _length(length)
    space = capacity(size, alphabet)
    if space >= 2**63:
        raise ValueError(f"length={size} {alphabet} is too large to simulate (more than 2**63 codes)")
    n_servers = int(_check.number("servers", servers, low=1, high=10_000))
    block = int(_check.number("block_size", block_size, low=1, high=1e9))
    rng = np.random.default_rng(seed)
    collisions = 0
    if strategy == "hash":
        values = (sharding.hash64(np.arange(n, dtype=np.int64), salt=seed) % np.uint64(space)).astype(
            np.int64
        )
        collisions = n - int(_distinct(values).size)
        calls = 0
    elif strategy == "counter":
        values = np.arange(n, dtype=np.int64)
        calls = n
    elif strategy == "ranges":
        # Link i goes to server i % servers; each server fills its own blocks, and the coordinator
        # hands blocks out round-robin, so server s's k-th block is block number k * servers + s.
        server = np.arange(n) % n_servers
        rank = np.arange(n) // n_servers
        values = (((rank // block) * n_servers + server) * block + rank % block).astype(np.int64)
        per_server = np.bincount(server, minlength=n_servers)
        calls = int(np.sum(-(-per_server // block)))
    else:
        if n > space:
            raise ValueError(f"n_links={n} is more than the {space:,} codes of length {size}")
        values = _distinct(rng.integers(0, space, size=int(n * 1.1) + 16, dtype=np.int64))
        while values.size < n:
            more = rng.integers(0, space, size=n, dtype=np.int64)
            values = _distinct(np.concatenate((values, more)))
        values = rng.permutation(values)[:n]
        calls = math.ceil(n / block)
    live = _distinct(values)
    guessable = float(np.count_nonzero(np.diff(live) == 1)) / n  # live codes whose code + 1 is live too
    longest = len(encode(int(values.max()), alphabet))
    if strategy in ("hash", "key_service"):
        longest = size
    return IdRun(strategy, n, collisions, int(calls), guessable, longest)


def compare_ids(
    n_links: int = 100_000,
    length: int = 7,
    alphabet: str = "base62",
    *,
    servers: int = 8,
    block_size: int = 10_000,
    seed: int = 0,
) -> pd.DataFrame:
    """The four strategies on the same links, measured and described: one row each.

    >>> table = compare_ids(10_000, 4)
    >>> int(table.set_index("strategy").loc["hash and truncate", "collisions"]) > 0
    True
    """
    rows = []
    for s in STRATEGIES:
        run = simulate_ids(s, n_links, length, alphabet, servers=servers, block_size=block_size, seed=seed)
        same, coordination, risk = _QUALITIES[s]
        rows.append(
            (
                STRATEGY_NAMES[s],
                run.collisions,
                run.coordination_calls,
                run.guessable_share,
                run.longest_code,
                same,
                coordination,
                risk,
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "strategy",
            "collisions",
            "coordination_calls",
            "guessable_share",
            "longest_code",
            "same_url_same_code",
            "coordination",
            "main_risk",
        ],
    )


# --------------------------------------------------------------------------------------------
# 301 against 302
# --------------------------------------------------------------------------------------------

REDIRECT_STATUSES: tuple[str, ...] = ("301", "302")

_REDIRECT_ROWS = (
    (
        "301",
        "Moved Permanently",
        "yes: the browser (and shared caches) keep it and skip us on later clicks",
        "only the first click from each browser reaches us; repeat clicks go uncounted",
        "fewer requests to serve; the user saves a round trip on repeat clicks",
        "an edit or a deletion reaches a browser that cached the 301 only when its Cache-Control max-age "
        "runs out (RFC 9111); without that header browsers may keep it for good",
    ),
    (
        "302",
        "Found (temporary)",
        "no: the browser asks us on every click (unless we send caching headers)",
        "every click reaches us and can be counted, with its time, referrer and country",
        "every click costs us a request",
        "edits, expiry, abuse take-downs and A/B destinations all work",
    ),
)


def redirects() -> pd.DataFrame:
    """301 against 302 for a short link, one row each.

    307 and 308 behave like 302 and 301 but keep the request method.

    >>> list(redirects()["status"])
    ['301', '302']
    """
    columns = ["status", "meaning", "cached_by_browser", "analytics", "load", "control"]
    return pd.DataFrame(list(_REDIRECT_ROWS), columns=columns)


FOREVER_DAYS = math.inf
"""A 301 without caching headers: browsers may keep it indefinitely."""


@dataclass(frozen=True)
class RedirectResult:
    """Clicks on one link over ``days`` days and how many of them reach our servers.

    ``reached`` requests are all our analytics can count; ``uncounted_share`` is the share of clicks
    that never reached us; ``requests_per_click`` is our load per click.
    """

    status: str
    visitors: int
    clicks: int
    reached: int

    @property
    def uncounted_share(self) -> float:
        return 1.0 - self.reached / self.clicks if self.clicks else 0.0

    @property
    def requests_per_click(self) -> float:
        return self.reached / self.clicks if self.clicks else 0.0


def redirect_clicks(
    status: str = "302",
    visitors: int = 10_000,
    clicks_per_visitor: float = 3.0,
    *,
    cache_days: float = FOREVER_DAYS,
    days: float = 30.0,
    seed: int = 0,
) -> RedirectResult:
    """Simulate the clicks of ``visitors`` browsers on one short link over ``days`` days.

    Each visitor clicks ``1 + Poisson(clicks_per_visitor - 1)`` times at uniformly random moments.
    With ``"302"`` every click asks our servers. With ``"301"`` a browser that asked us keeps the
    answer for ``cache_days`` days (``inf``: for good), and clicks in that time go straight to the
    destination. Deterministic for a given ``seed``.

    >>> redirect_clicks("302", 1_000).requests_per_click
    1.0
    >>> r = redirect_clicks("301", 1_000)          # cached for good: one request per visitor
    >>> r.reached
    1000
    """
    _check.choice("status", status, REDIRECT_STATUSES)
    people = int(_check.number("visitors", visitors, low=1, high=1_000_000))
    mean = _check.number("clicks_per_visitor", clicks_per_visitor, low=1.0, high=1_000.0)
    keep = _check.number("cache_days", cache_days, low=0.0)
    span = _check.number("days", days, low=0.0, low_open=True, high=10_000)
    rng = np.random.default_rng(seed)
    per = 1 + rng.poisson(mean - 1.0, size=people)
    clicks = int(per.sum())
    if status == "302" or keep == 0.0:
        return RedirectResult(status, people, clicks, clicks)
    if keep >= span:
        return RedirectResult(status, people, clicks, people)
    who = np.repeat(np.arange(people), per)
    when = rng.random(clicks) * span
    order = np.lexsort((when, who))
    who, when = who[order], when[order]
    # A combined sort key: visitor first, then time (time < span < the gap between visitors).
    key = who * (span + keep + 1.0) + when
    starts = np.concatenate(([0], np.cumsum(per)[:-1]))
    current = starts.copy()  # the click of each visitor that reached us most recently
    reached = people
    active = np.ones(people, dtype=bool)
    while active.any():
        idx = np.flatnonzero(active)
        nxt = np.searchsorted(key, key[current[idx]] + keep, side="left")
        ends = starts[idx] + per[idx]
        ok = nxt < ends
        reached += int(np.count_nonzero(ok))
        current[idx[ok]] = nxt[ok]
        active[idx[~ok]] = False
    return RedirectResult(status, people, clicks, reached)


# --------------------------------------------------------------------------------------------
# Hot links in a cache
# --------------------------------------------------------------------------------------------

CACHE_ENTRY_OVERHEAD_BYTES = 100.0
"""Key, expiry and bookkeeping a cache stores next to each link record (assumption)."""

MODEL_LINKS = 10_000
"""Links in the popularity model behind :func:`hot_link_cache` (a cache holding a share of them).

With a Zipf law of skew near 1, a cache holding the same *share* of more links hits slightly more
often, so modelling a big table with fewer keys errs on the cautious side.
"""


CHE_POINTS = 120
"""Points on the hit-ratio curve that :func:`cache_hit_ratio` interpolates."""


def che_curve_binned(
    n_keys: int = MODEL_LINKS, skew: float = 1.0, points: int = CHE_POINTS, bins: int = 400
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`sysdesign.sim.caching.che_curve` computed on popularity bins instead of every key.

    Keys are grouped into about ``bins`` runs of neighbouring ranks (log-spaced), each standing in
    for its members with their mean probability; within a run the probabilities differ by a few
    percent at most, so the curve matches the per-key one closely at a fraction of the work. Returns
    ``(cache_sizes, hit_ratios)`` like ``che_curve``.

    >>> sizes, hits = che_curve_binned(1_000, 1.0, points=20)
    >>> ref_sizes, ref_hits = caching.che_curve(1_000, 1.0, points=20)
    >>> bool(np.allclose(sizes, ref_sizes, rtol=0.01) and np.allclose(hits, ref_hits, atol=0.005))
    True
    """
    p = workload.zipf_weights(n_keys, skew)
    m = int(_check.number("points", points, low=2, high=10_000))
    k = int(_check.number("bins", bins, low=1, high=100_000))
    edges = np.unique(np.geomspace(1, len(p) + 1, k + 1).astype(np.int64)) - 1  # rank boundaries
    counts = np.diff(edges).astype(float)
    mean_p = np.add.reduceat(p, edges[:-1]) / counts
    t = np.geomspace(0.5 / p.max(), 50.0 / p.min(), m)
    inside = -np.expm1(-np.outer(t, mean_p))
    return inside @ counts, inside @ (counts * mean_p)


@lru_cache(maxsize=32)
def _che(skew: float) -> tuple[np.ndarray, np.ndarray]:
    sizes, hits = che_curve_binned(MODEL_LINKS, skew, CHE_POINTS)
    return np.concatenate(([0.0], sizes / MODEL_LINKS)), np.concatenate(([0.0], hits))


def cache_hit_ratio(cache_share: float, skew: float = 1.0) -> float:
    """LRU hit ratio of a cache holding ``cache_share`` (0..1) of the active links, clicks Zipf(``skew``).

    From Che's approximation (:func:`sysdesign.sim.caching.che_curve`, on popularity bins:
    :func:`che_curve_binned`) on :data:`MODEL_LINKS` links.

    >>> cache_hit_ratio(0.0), cache_hit_ratio(1.0)
    (0.0, 1.0)
    >>> 0.6 < cache_hit_ratio(0.2, 1.0) < 0.9
    True
    """
    share = _check.number("cache_share", cache_share, low=0.0, high=1.0)
    s = round(_check.number("skew", skew, low=0.0, high=3.0), 3)
    if share >= 1.0:
        return 1.0
    x, y = _che(s)
    return float(np.interp(share, x, y))


@dataclass(frozen=True)
class CachePlan:
    """A cache of ``cached_links`` hot links: ``hit_ratio``, redirects/s still reaching the database at
    peak (``db_reads_per_s``), the cache's ``memory_bytes`` and the Redis ``nodes`` to hold it."""

    cache_share: float
    skew: float
    hit_ratio: float
    peak_reads_per_s: float
    db_reads_per_s: float
    cached_links: float
    memory_bytes: float
    nodes: int


def hot_link_cache(
    cache_share: float = 0.2,
    skew: float = 1.0,
    scenario: ShortenerScenario = SHORTENER,
    *,
    entry_overhead_bytes: float = CACHE_ENTRY_OVERHEAD_BYTES,
    node_bytes: float = caching.REDIS_NODE_BYTES,
) -> CachePlan:
    """Size a cache holding ``cache_share`` of the scenario's hot links and what it spares the database.

    >>> plan = hot_link_cache(0.2)
    >>> plan.cached_links, plan.memory_bytes, plan.nodes    # 20 M links x (500 + 100) B
    (20000000.0, 12000000000.0, 1)
    """
    if not isinstance(scenario, ShortenerScenario):
        raise TypeError(f"scenario must be a ShortenerScenario, got {type(scenario).__name__}")
    hit = cache_hit_ratio(cache_share, skew)
    overhead = _check.number("entry_overhead_bytes", entry_overhead_bytes)
    node = _check.number("node_bytes", node_bytes, low_open=True)
    cached = cache_share * scenario.hot_links()
    memory = cached * (scenario.record_bytes + overhead)
    peak = scenario.reads().peak_qps
    return CachePlan(
        cache_share=cache_share,
        skew=skew,
        hit_ratio=hit,
        peak_reads_per_s=peak,
        db_reads_per_s=peak * (1.0 - hit),
        cached_links=cached,
        memory_bytes=memory,
        nodes=max(1, math.ceil(memory / node - 1e-9)),
    )


def cache_curve(skew: float = 1.0, shares: list[float] | np.ndarray | None = None) -> pd.DataFrame:
    """Hit ratio against the share of hot links cached, for a plot.

    >>> cache_curve(1.0, [0.0, 0.5, 1.0])["hit_ratio"].tolist()[0::2]
    [0.0, 1.0]
    """
    points = np.linspace(0.0, 1.0, 51) if shares is None else np.asarray(shares, dtype=float)
    return pd.DataFrame(
        {"cache_share": points, "hit_ratio": [cache_hit_ratio(float(p), skew) for p in points]}
    )


# --------------------------------------------------------------------------------------------
# Storage and sharding by code
# --------------------------------------------------------------------------------------------

NODE_STORAGE_BYTES = 1e12
"""Data one database node should hold (assumption: 1 TB, leaving room on a few-TB SSD for compaction)."""

PLACEMENTS: tuple[str, ...] = ("hash", "range")
"""How codes map to shards: by a hash of the code, or by contiguous ranges of the sequence."""


@dataclass(frozen=True)
class StoragePlan:
    """Shards for the link table: by bytes (``by_storage``) and by database reads (``by_reads``);
    ``shards`` is the larger; ``replicas`` copies of each."""

    total_bytes: float
    node_bytes: float
    by_storage: int
    db_reads_per_s: float
    by_reads: int
    shards: int
    replicas: int

    @property
    def machines(self) -> int:
        return self.shards * self.replicas


def storage_plan(
    scenario: ShortenerScenario = SHORTENER,
    hit_ratio: float = 0.0,
    *,
    node_bytes: float = NODE_STORAGE_BYTES,
    replicas: int = 3,
) -> StoragePlan:
    """Shards the link table needs: enough nodes for the bytes and for the reads the cache misses.

    Reads per node come from :func:`sysdesign.tradeoffs.shards_needed` (the cautious relational figure).

    >>> p = storage_plan()            # 6.08 TB / 1 TB per node
    >>> p.by_storage, p.shards, p.machines
    (7, 7, 21)
    """
    if not isinstance(scenario, ShortenerScenario):
        raise TypeError(f"scenario must be a ShortenerScenario, got {type(scenario).__name__}")
    hit = _check.number("hit_ratio", hit_ratio, low=0.0, high=1.0)
    node = _check.number("node_bytes", node_bytes, low_open=True)
    copies = int(_check.number("replicas", replicas, low=1, high=10))
    total = scenario.storage().total
    by_storage = max(1, math.ceil(total / node - 1e-9))
    db_reads = scenario.reads().peak_qps * (1.0 - hit)
    by_reads = tradeoffs.shards_needed(db_reads).shards
    return StoragePlan(total, node, by_storage, db_reads, by_reads, max(by_storage, by_reads), copies)


@dataclass(frozen=True)
class ShardLoad:
    """Reads per shard for one placement: ``loads`` (array), ``hot_ratio`` (busiest over mean)."""

    placement: str
    n_shards: int
    loads: np.ndarray
    cached_links: int

    @property
    def hot_ratio(self) -> float:
        mean = float(self.loads.mean())
        return float(self.loads.max()) / mean if mean else 0.0


MAX_SHARD_LINKS = 1_000_000


def shard_read_loads(
    placement: str = "hash",
    n_shards: int = 8,
    *,
    n_links: int = 100_000,
    n_requests: int = 200_000,
    skew: float = 1.0,
    cached_links: int = 0,
    seed: int = 0,
) -> ShardLoad:
    """Database reads landing on each shard when clicks favour recent links.

    Links get sequential ids (the newest is ``n_links - 1``); click popularity is Zipf(``skew``) by
    age, so the newest links are the hottest. ``"hash"`` places a link by a hash of its id on a
    consistent-hash ring (:mod:`sysdesign.sim.sharding`); ``"range"`` gives each shard a contiguous
    block of ids. A cache holding the ``cached_links`` hottest links absorbs their clicks first.

    >>> shard_read_loads("range", 8).hot_ratio > 5       # the newest block takes most reads
    True
    >>> shard_read_loads("hash", 8).hot_ratio < 2
    True
    """
    _check.choice("placement", placement, PLACEMENTS)
    shards = int(_check.number("n_shards", n_shards, low=1, high=sharding.MAX_SHARDS))
    n = int(_check.number("n_links", n_links, low=1, high=MAX_SHARD_LINKS))
    cached = int(_check.number("cached_links", cached_links, low=0, high=n))
    ranks = workload.zipf_keys(n, n_requests, skew, seed)
    ranks = ranks[ranks >= cached]  # the hottest `cached` links are served from the cache
    ids = (n - 1) - ranks
    if placement == "range":
        shard = (ids * shards) // n
    else:
        shard = sharding.shard_of(ids, shards, "consistent")
    return ShardLoad(placement, shards, np.bincount(shard, minlength=shards).astype(float), cached)


# --------------------------------------------------------------------------------------------
# API, architecture, tradeoffs, failures
# --------------------------------------------------------------------------------------------

SHORTENER_API = api.Api(
    (
        api.Endpoint(
            "POST",
            "/api/v1/links",
            purpose="shorten a long URL (optionally with a custom alias and an expiry date)",
            request=("long_url", "custom_alias?", "expires_at?"),
            response=("code", "short_url", "expires_at"),
        ),
        api.Endpoint(
            "GET",
            "/{code}",
            purpose="follow a short link: answer 302 with the long URL in the Location header",
            response=("location",),
        ),
        api.Endpoint(
            "GET",
            "/api/v1/links/{code}",
            purpose="the owner reads a link's details and click count",
            response=("long_url", "created_at", "expires_at", "clicks"),
        ),
        api.Endpoint(
            "DELETE",
            "/api/v1/links/{code}",
            purpose="the owner removes a link",
            response=("status",),
        ),
    ),
    name="url shortener",
)
"""The shortener's core API: create, follow, inspect, delete."""

SHORTENER_OPERATIONS: tuple[str, ...] = ("create link", "get link", "delete link")
"""What the requirements need the API to do, in the vocabulary of :func:`sysdesign.api.supports`."""

REDIRECT_HIT_PATH: tuple[str, ...] = ("reader", "lb", "app", "cache")
"""A redirect whose link is in the cache."""
REDIRECT_MISS_PATH: tuple[str, ...] = ("reader", "lb", "app", "cache", "app", "db")
"""A redirect that misses the cache and reads the link table."""
CREATE_PATH: tuple[str, ...] = ("creator", "lb", "app", "keys", "app", "db")
"""Shortening a URL: take a code from the key service's batch, then write the record."""

DRAFT_SINGLES: tuple[str, ...] = ("cache", "keys")
"""What a first draft often runs once: the cache and the key service."""


def replicas(scenario: ShortenerScenario = SHORTENER, hit_ratio: float = 0.8) -> dict[str, int]:
    """Instances per component, each sized from the estimate or a stated rule.

    App servers: peak redirects plus writes at the cautious 1,000 requests/s of an app server, at least 2.
    Cache: peak redirects at 100 K operations/s per Redis node, at least 2. Link table: the shards of
    :func:`storage_plan` times 3 replicas. Key service, click queue and workers: a pair or more.

    >>> replicas()["app"], replicas()["db"]
    (12, 21)
    """
    rates = reference.throughput().set_index("component")
    app_rate = float(rates.loc["Application server (API)", "low"])
    redis_rate = float(rates.loc["Redis node", "low"])
    kafka_rate = float(rates.loc["Kafka broker", "low"])
    reads, writes = scenario.reads().peak_qps, scenario.writes().peak_qps
    plan = storage_plan(scenario, hit_ratio)
    return {
        "dns": 2,
        "lb": 2,
        "app": max(2, math.ceil((reads + writes) / app_rate)),
        "cache": max(2, math.ceil(reads / redis_rate)),
        "keys": 2,
        "db": plan.machines,
        "queue": max(3, math.ceil(reads / kafka_rate)),
        "workers": max(2, math.ceil(reads / app_rate / 4)),
        "analytics": 3,
    }


def shortener_architecture(
    scenario: ShortenerScenario = SHORTENER, *, draft: bool = False, hit_ratio: float = 0.8
) -> components.Architecture:
    """The shortener as a graph: clients, DNS, load balancer, app servers, Redis, a key service, the
    link table (a key-value store sharded by code), and a click queue feeding an analytics store.

    ``draft=True`` leaves :data:`DRAFT_SINGLES` with one instance each.

    >>> shortener_architecture().single_points_of_failure()
    []
    >>> shortener_architecture(draft=True).single_points_of_failure()
    ['cache', 'keys']
    """
    counts = replicas(scenario, hit_ratio)
    if draft:
        counts.update(dict.fromkeys(DRAFT_SINGLES, 1))
    a = components.Architecture("url shortener", SHORTENER_BUDGET_S)
    for name, kind, label in [
        ("reader", "client", "Someone clicking a link"),
        ("creator", "client", "Someone shortening a URL"),
        ("dns", "dns", "DNS"),
        ("lb", "load_balancer", "Load balancer"),
        ("app", "app_server", "App servers"),
        ("cache", "cache", "Redis (hot links)"),
        ("keys", "app_server", "Key service"),
        ("db", "database", "Link table (KV store)"),
        ("queue", "message_queue", "Click events (Kafka)"),
        ("workers", "worker", "Click counters"),
        ("analytics", "database", "Click analytics store"),
    ]:
        a.add_component(name, kind, replicas=counts.get(name, 1), label=label)
    for u, v, label in [
        ("reader", "dns", "resolve the short domain"),
        ("creator", "dns", "resolve the API host"),
        ("reader", "lb", "GET /{code}"),
        ("creator", "lb", "POST /api/v1/links"),
        ("lb", "app", "spread requests over app servers"),
        ("app", "cache", "code -> long URL (cache-aside)"),
        ("app", "db", "read on a miss; write new links"),
        ("app", "keys", "take the next unused code from a local batch"),
        ("app", "queue", "publish a click event (after answering)"),
        ("queue", "workers", "consume click events"),
        ("workers", "analytics", "add up clicks per link and day"),
    ]:
        a.connect(u, v, label)
    return a


TRADEOFFS: dict[str, tradeoffs.Tradeoff] = {
    "redirect": tradeoffs.Tradeoff(
        topic="302 over 301",
        choice="302 redirects",
        over="301 redirects",
        because="every click then reaches us, "
        "so click counts stay complete and links can be edited or removed",
        cost="each repeat click costs us a request and the user one more round trip",
        mitigation="the hot-link cache answers those repeat requests in well under a millisecond",
    ),
    "codes": tradeoffs.Tradeoff(
        topic="Pre-generated keys over hash and truncate",
        choice="a key service that hands out batches of random unused codes",
        over="hashing the URL and truncating",
        because="a code is never handed out twice, so inserts never collide and codes cannot be enumerated",
        cost="one more service to run and a pool of keys to store and refill",
        mitigation="batches of keys per app server keep the service off the request path, "
        "and it runs as a pair",
    ),
    "store": tradeoffs.Tradeoff(
        topic="Key-value store over a relational database",
        choice="a key-value store sharded by code",
        over="a single relational database",
        because="every lookup is by one key and the table grows to terabytes, which one node cannot hold",
        cost="no joins or ad-hoc queries across links, and resharding needs care",
        mitigation="consistent hashing moves few keys on a resize, and reports run on the analytics store",
    ),
}
"""Three decisions of the design, each in the three-part form."""


def failure_scenarios(
    scenario: ShortenerScenario = SHORTENER, cache_share: float = 0.2, skew: float = 1.0, batch: int = 10_000
) -> pd.DataFrame:
    """What breaks, what users notice, and the fix, with the numbers that matter (one row each).

    ``batch`` is how many codes an app server takes from the key service at a time.

    >>> failure_scenarios()["failure"].tolist()[0]
    'Redis cache lost'
    """
    plan = hot_link_cache(cache_share, skew, scenario)
    shards = storage_plan(scenario, plan.hit_ratio)
    per_db_node = tradeoffs.node_write_limit() * shards.shards
    batch = int(_check.number("batch", batch, low=1, high=1e9))
    app_servers = replicas(scenario, plan.hit_ratio)["app"]
    batch_minutes = batch / (scenario.writes().peak_qps / app_servers) / 60
    capacity_word = (
        "so redirects slow down (each pays a database read) but keep working"
        if plan.peak_reads_per_s <= per_db_node
        else "more than they take: the database overloads"
    )
    rows = [
        (
            "Redis cache lost",
            f"database reads jump from {format_count(plan.db_reads_per_s)}/s to "
            f"{format_count(plan.peak_reads_per_s)}/s at peak; the {shards.shards} shards sized for "
            f"storage take about {format_count(per_db_node)}/s, {capacity_word}",
            "replicate the cache; after a cold start let only one request per code fill it",
        ),
        (
            "Key service down",
            f"each app server still holds a batch of {batch:,} codes: about {batch_minutes:.0f} minutes "
            "of new links at peak",
            "run the key service as a pair on a replicated store; codes in a lost batch are simply skipped",
        ),
        (
            "One shard's primary down",
            f"1/{shards.shards} of the links cannot be written until a replica takes over; "
            "reads continue from the replicas",
            f"{shards.replicas} replicas per shard with automatic failover",
        ),
        (
            "Click pipeline slow or down",
            "redirects are unaffected; click counts lag behind",
            "publish click events after answering; Kafka keeps them until the workers catch up",
        ),
        (
            "A link goes viral",
            "one code takes a large share of all clicks, all on one shard",
            "the cache serves it; a 302 keeps even that traffic countable",
        ),
    ]
    return pd.DataFrame(rows, columns=["failure", "what happens", "mitigation"])


def format_probability(p: float) -> str:
    """A probability for reading: a percentage down to 0.1 %, then scientific notation.

    >>> format_probability(1.0), format_probability(0.99995), format_probability(0.1324)
    ('100%', '>99.9%', '13.2%')
    >>> format_probability(0.001419), format_probability(2.3e-9)
    ('0.142%', '2.3e-09')
    """
    x = _check.number("p", p, low=0.0, high=1.0)
    if x == 1.0:
        return "100%"
    if x == 0.0:
        return "0"
    if x >= 0.999:
        return ">99.9%"
    if x >= 0.001:
        return f"{x * 100:.3g}%"
    return f"{x:.2g}"


def shard_load_figure(*loads: ShardLoad, title: str = "Database reads per shard") -> go.Figure:
    """Bars of reads per shard, one group per :class:`ShardLoad`, with its hot-shard ratio in the legend.

    >>> fig = shard_load_figure(shard_read_loads("hash", 4), shard_read_loads("range", 4))
    >>> [t.name.split(":")[0] for t in fig.data]
    ['hash', 'range']
    """
    if not loads or not all(isinstance(x, ShardLoad) for x in loads):
        raise TypeError("shard_load_figure needs one or more ShardLoad results from shard_read_loads")
    fig = go.Figure()
    for load in loads:
        cached = f", {load.cached_links:,} hottest cached" if load.cached_links else ""
        fig.add_bar(
            x=[f"shard {i}" for i in range(load.n_shards)],
            y=load.loads.tolist(),
            name=f"{load.placement}{cached}: busiest {load.hot_ratio:.2f}x the mean",
        )
    fig.update_layout(
        title=title,
        barmode="group",
        yaxis_title="reads",
        height=340,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def spoken_summary(scenario: ShortenerScenario = SHORTENER, cache_share: float = 0.2) -> str:
    """The wrap-up as you would say it, with the design's numbers.

    >>> spoken_summary().split(".")[0]
    'To recap: a URL shortener taking about 120 new links and 12,000 redirects a second at peak'
    """
    if not isinstance(scenario, ShortenerScenario):
        raise TypeError(f"scenario must be a ShortenerScenario, got {type(scenario).__name__}")
    plan = hot_link_cache(cache_share, 1.0, scenario)
    shards = storage_plan(scenario, plan.hit_ratio)
    length = length_for_capacity(scenario.total_links()) + 1
    return (
        f"To recap: a URL shortener taking {say_roughly(scenario.writes().peak_qps)} new links and "
        f"{say_roughly(scenario.reads().peak_qps).removeprefix('about ')} redirects a second at peak. "
        f"A key service hands out random {length}-character base62 codes, so inserts never collide. "
        f"Redirects are 302s served by stateless app servers; Redis holds the hottest "
        f"{cache_share:.0%} of links and answers about {plan.hit_ratio:.0%} of redirects. "
        f"The links live in a key-value store sharded by code over {shards.shards} shards of "
        f"{shards.replicas} replicas ({format_size(scenario.storage().total)} "
        f"after {scenario.years:g} years), "
        "and click events flow through Kafka into an analytics store, off the redirect path."
    )
