"""Case study: a paste bin. Blobs and metadata, content addressing, size limits, a CDN, the design.

What the lesson ``12_paste_bin`` computes, apart from expiration (:mod:`sysdesign.sim.expiration`):

* :class:`PasteScenario`: the estimate (pastes per day, reads per paste, a log-normal size law,
  metadata per paste), built on :mod:`sysdesign.estimate`, with bytes split between the metadata
  database and object storage.
* Content addressing: :func:`content_key` (SHA-256 of the bytes) and :class:`ContentStore`, which
  stores each distinct content once and counts references; :func:`simulate_pastes` and
  :func:`dedup_savings` measure the bytes deduplication saves for a share of repeated pastes.
* Size limits: the share of pastes and of bytes above a limit (log-normal tail formulas), and the
  storage one abusive client can fill per day at a given limit.
* A CDN in front of reads: origin requests and bandwidth left for a hit ratio.
* The API, the architecture graph, three tradeoffs and the failure scenarios.

Sizes are bytes, rates per second, times seconds unless a name says otherwise.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np

from . import _check, api, components, estimate, reference
from ._lazy import go, pd
from .requirements import Requirement
from .sim import expiration, workload
from .tradeoffs import Tradeoff
from .units import DAYS_PER_YEAR, SECONDS_PER_DAY, format_count, format_size, say_roughly

# --------------------------------------------------------------------------------------------
# Paste sizes: a log-normal law
# --------------------------------------------------------------------------------------------


def _phi(z: float) -> float:
    """Standard normal cumulative distribution."""
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def _size_law(median_bytes: float, sigma: float) -> tuple[float, float]:
    m = _check.number("median_bytes", median_bytes, low=0.0, low_open=True)
    s = _check.number("sigma", sigma, low=0.0, high=5.0)
    return m, s


def mean_size(median_bytes: float, sigma: float) -> float:
    """Mean of a log-normal size law: ``median x exp(sigma**2 / 2)`` (bytes).

    >>> round(mean_size(2_000, 1.8))   # 2,000 x e**1.62
    10106
    """
    m, s = _size_law(median_bytes, sigma)
    return m * math.exp(s * s / 2.0)


def share_above(limit_bytes: float, median_bytes: float, sigma: float) -> float:
    """Share of pastes larger than ``limit_bytes``: ``1 - Phi((ln limit - ln median) / sigma)``.

    >>> share_above(2_000, 2_000, 1.8)      # half the pastes are above the median
    0.5
    """
    limit = _check.number("limit_bytes", limit_bytes, low=0.0, low_open=True)
    m, s = _size_law(median_bytes, sigma)
    if s == 0:
        return 1.0 if m > limit else 0.0
    return 1.0 - _phi((math.log(limit) - math.log(m)) / s)


def bytes_share_above(limit_bytes: float, median_bytes: float, sigma: float) -> float:
    """Share of all bytes that sit in pastes larger than ``limit_bytes``.

    For a log-normal law this is ``1 - Phi((ln limit - ln median - sigma**2) / sigma)``: big pastes
    are rare but carry a large share of the bytes.

    >>> round(bytes_share_above(2_000, 2_000, 1.8), 3)   # half the pastes, most of the bytes
    0.964
    """
    limit = _check.number("limit_bytes", limit_bytes, low=0.0, low_open=True)
    m, s = _size_law(median_bytes, sigma)
    if s == 0:
        return 1.0 if m > limit else 0.0
    return 1.0 - _phi((math.log(limit) - math.log(m) - s * s) / s)


def abuse_bytes_per_day(limit_bytes: float, pastes_per_s: float = 1.0) -> float:
    """Bytes one client can store per day writing maximum-size pastes at ``pastes_per_s``.

    >>> abuse_bytes_per_day(10e6, 1.0)    # 10 MB x 86,400 pastes
    864000000000.0
    """
    limit = _check.number("limit_bytes", limit_bytes, low=0.0, low_open=True)
    rate = _check.number("pastes_per_s", pastes_per_s, low=0.0)
    return limit * rate * SECONDS_PER_DAY


# --------------------------------------------------------------------------------------------
# The estimate
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PasteScenario:
    """A paste bin, from a handful of assumptions.

    ``pastes_per_day`` new pastes; ``reads_per_write`` reads per paste; paste sizes are log-normal
    with ``median_bytes`` and log-spread ``size_sigma``; ``metadata_bytes`` per paste in the database
    (id, content hash, owner, dates, syntax, visibility); ``size_limit`` the largest paste accepted;
    ``years`` of pastes kept if none expired; ``peak_factor`` peak over average.
    """

    pastes_per_day: float = 1e6
    reads_per_write: float = 5.0
    median_bytes: float = 2_000.0
    size_sigma: float = 1.8
    metadata_bytes: float = 300.0
    size_limit: float = 10e6
    years: float = 5.0
    peak_factor: float = 3.0
    name: str = "Paste bin"

    def __post_init__(self) -> None:
        _check.number("pastes_per_day", self.pastes_per_day, low_open=True)
        _check.number("reads_per_write", self.reads_per_write)
        _size_law(self.median_bytes, self.size_sigma)
        _check.number("metadata_bytes", self.metadata_bytes)
        _check.number("size_limit", self.size_limit, low_open=True)
        _check.number("years", self.years, low_open=True, high=100)
        _check.number("peak_factor", self.peak_factor, low=1.0)

    @property
    def mean_bytes(self) -> float:
        """Mean paste size (bytes) under the log-normal law, before the limit."""
        return mean_size(self.median_bytes, self.size_sigma)

    def writes(self) -> estimate.Traffic:
        """New pastes: per day, average and peak per second."""
        return estimate.traffic(self.pastes_per_day, peak_factor=self.peak_factor)

    def reads(self) -> estimate.Traffic:
        """Paste views: ``reads_per_write`` times the writes."""
        return estimate.traffic(self.pastes_per_day * self.reads_per_write, peak_factor=self.peak_factor)

    def blob_storage(self) -> estimate.Storage:
        """Paste contents (object storage): bytes per day and over ``years`` if nothing expired."""
        return estimate.storage(self.pastes_per_day, self.mean_bytes, years=self.years)

    def metadata_storage(self) -> estimate.Storage:
        """Metadata rows (database): bytes per day and over ``years`` if nothing expired."""
        return estimate.storage(self.pastes_per_day, self.metadata_bytes, years=self.years)

    def bandwidth(self) -> estimate.Bandwidth:
        """Ingress of paste contents; egress when each is read ``reads_per_write`` times."""
        return estimate.bandwidth(self.blob_storage().per_day, fanout=self.reads_per_write)

    def table(self) -> pd.DataFrame:
        """The estimate as a table: quantity, value (base units), unit, readable form."""
        w, r, blobs, meta, b = (
            self.writes(),
            self.reads(),
            self.blob_storage(),
            self.metadata_storage(),
            self.bandwidth(),
        )
        y = f"{self.years:g} years"
        rows = [
            ("new pastes per day", w.per_day, "pastes", format_count(w.per_day)),
            ("writes, average", w.avg_qps, "1/s", format_count(w.avg_qps)),
            (f"writes, peak ({self.peak_factor:g}x)", w.peak_qps, "1/s", format_count(w.peak_qps)),
            ("reads, average", r.avg_qps, "1/s", format_count(r.avg_qps)),
            (f"reads, peak ({self.peak_factor:g}x)", r.peak_qps, "1/s", format_count(r.peak_qps)),
            ("mean paste size", self.mean_bytes, "B", format_size(self.mean_bytes)),
            ("contents per day (object storage)", blobs.per_day, "B", format_size(blobs.per_day)),
            ("metadata per day (database)", meta.per_day, "B", format_size(meta.per_day)),
            (f"contents over {y}, none expiring", blobs.total, "B", format_size(blobs.total)),
            (f"metadata over {y}, none expiring", meta.total, "B", format_size(meta.total)),
            ("ingress", b.ingress, "B/s", format_size(b.ingress) + "/s"),
            ("egress", b.egress, "B/s", format_size(b.egress) + "/s"),
        ]
        return pd.DataFrame(rows, columns=["quantity", "value", "unit", "readable"])

    def retained(self, day: float, ttl_mix: tuple = expiration.TTL_MIX) -> float:
        """Content bytes of unexpired pastes ``day`` days after launch (what a perfect clean-up keeps)."""
        return expiration.retained_bytes(day, self.pastes_per_day, self.mean_bytes, ttl_mix)


PASTEBIN = PasteScenario()
"""The lesson's scenario: 1 M pastes a day, 5 reads each, median 2 KB (mean about 10 KB), 10 MB limit."""

PASTEBIN_BUDGET_S = 0.2
"""Reads should render fast: 200 ms end to end (our requirement)."""

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("Paste text and get back a link to it", "functional", "create"),
    Requirement("Anyone with the link can read the paste", "functional", "read"),
    Requirement(
        "The author picks an expiry: an hour, a day, a week, a month or never", "functional", "expiry"
    ),
    Requirement("The author can delete a paste", "functional", "delete"),
    Requirement(f"Pastes are at most {format_size(PASTEBIN.size_limit)}", "non-functional", "size limit"),
    Requirement(f"A read renders within {PASTEBIN_BUDGET_S * 1e3:g} ms", "non-functional", "latency"),
    Requirement("An accepted paste is never lost before it expires", "non-functional", "durability"),
    Requirement("An expired paste is never shown again", "non-functional", "expiry"),
)
"""What the interviewer and we agreed on for the paste bin."""


def storage_split(scenario: PasteScenario = PASTEBIN) -> pd.DataFrame:
    """Where the bytes go: metadata in the database, contents in object storage, per day and total.

    >>> split = storage_split().set_index("store")
    >>> round(float(split.loc["object storage", "share"]), 3)
    0.971
    """
    if not isinstance(scenario, PasteScenario):
        raise TypeError(f"scenario must be a PasteScenario, got {type(scenario).__name__}")
    meta, blobs = scenario.metadata_storage(), scenario.blob_storage()
    total = meta.total + blobs.total
    rows = [
        ("database", "metadata rows", meta.per_day, meta.total, meta.total / total),
        ("object storage", "paste contents", blobs.per_day, blobs.total, blobs.total / total),
    ]
    return pd.DataFrame(rows, columns=["store", "holds", "bytes_per_day", "bytes_total", "share"])


# --------------------------------------------------------------------------------------------
# Content addressing
# --------------------------------------------------------------------------------------------


def content_key(content: bytes | str) -> str:
    """The address of a paste's content: the SHA-256 of its bytes (UTF-8 for text), in hex.

    Equal contents get equal keys; a different byte gives an unrelated key.

    >>> content_key("hello")[:16]
    '2cf24dba5fb0a30e'
    >>> content_key("hello") == content_key(b"hello"), content_key("hello") == content_key("hello!")
    (True, False)
    """
    if isinstance(content, str):
        data = content.encode("utf-8")
    elif isinstance(content, (bytes, bytearray, memoryview)):
        data = bytes(content)
    else:
        raise TypeError(f"content must be bytes or str, got {type(content).__name__}")
    return hashlib.sha256(data).hexdigest()


class ContentStore:
    """An object store addressed by content: each distinct content is kept once, with a reference count.

    ``put`` returns the content's key and adds a reference; ``release`` drops one and deletes the
    bytes when none are left. ``stored_bytes`` counts each content once; ``logical_bytes`` counts
    every live reference, as a store without deduplication would.

    >>> store = ContentStore()
    >>> a, b = store.put("print('hi')"), store.put("print('hi')")
    >>> a == b, len(store), store.stored_bytes, store.logical_bytes
    (True, 1, 11, 22)
    >>> store.release(a); store.get(a)
    b"print('hi')"
    >>> store.release(a); a in store
    False
    """

    def __init__(self, max_bytes: float | None = None) -> None:
        self._blobs: dict[str, bytes] = {}
        self._refs: dict[str, int] = {}
        self.max_bytes = None if max_bytes is None else _check.number("max_bytes", max_bytes, low_open=True)
        self.writes = 0  # blob writes actually made (a duplicate put writes nothing)

    def put(self, content: bytes | str) -> str:
        """Store ``content`` (or add a reference to the copy already stored) and return its key."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        key = content_key(data)
        if self.max_bytes is not None and len(data) > self.max_bytes:
            raise ValueError(
                f"content is {len(data):,} bytes; the size limit max_bytes is {self.max_bytes:,.0f}"
            )
        if key not in self._blobs:
            self._blobs[key] = bytes(data)
            self._refs[key] = 0
            self.writes += 1
        self._refs[key] += 1
        return key

    def get(self, key: str) -> bytes:
        """The content stored under ``key``; ``KeyError`` if there is none."""
        return self._blobs[key]

    def release(self, key: str) -> None:
        """Drop one reference to ``key``; delete the content when it was the last."""
        if key not in self._refs:
            raise KeyError(f"no content stored under key {key!r}")
        self._refs[key] -= 1
        if self._refs[key] == 0:
            del self._refs[key], self._blobs[key]

    def refs(self, key: str) -> int:
        """How many pastes point at ``key`` (0 if none)."""
        return self._refs.get(key, 0)

    def __contains__(self, key: object) -> bool:
        return key in self._blobs

    def __len__(self) -> int:
        return len(self._blobs)

    @property
    def stored_bytes(self) -> int:
        """Bytes held: each distinct content once."""
        return sum(len(b) for b in self._blobs.values())

    @property
    def logical_bytes(self) -> int:
        """Bytes the live pastes add up to, counting every copy."""
        return sum(len(self._blobs[k]) * n for k, n in self._refs.items())


@dataclass(frozen=True, eq=False)
class PasteSample:
    """Simulated pastes: ``size`` (bytes) and ``content`` (a content id; equal ids are equal bytes)
    for each paste, and ``accepted`` (False: over the size limit and refused). Compared by identity."""

    size: np.ndarray
    content: np.ndarray
    accepted: np.ndarray
    size_limit: float


MAX_SAMPLE = 2_000_000


def simulate_pastes(
    n_pastes: int = 50_000,
    duplicate_share: float = 0.2,
    median_bytes: float = 2_000.0,
    sigma: float = 1.8,
    *,
    popularity_skew: float = 1.0,
    size_limit: float = math.inf,
    seed: int = 0,
) -> PasteSample:
    """Draw ``n_pastes`` pastes, of which about ``duplicate_share`` repeat an earlier paste's content.

    Original contents get log-normal sizes (``median_bytes``, ``sigma``). Each duplicate copies one
    original, chosen by a Zipf popularity law of ``popularity_skew`` (a few contents, such as a
    common config file or a bot's spam, are repeated many times). Pastes above ``size_limit`` bytes
    are refused, copies included. Deterministic for a given ``seed``.

    >>> s = simulate_pastes(1_000, 0.5, seed=1)
    >>> len(s.size), len(np.unique(s.content)) < 1_000
    (1000, True)
    """
    n = int(_check.number("n_pastes", n_pastes, low=1, high=MAX_SAMPLE))
    share = _check.number("duplicate_share", duplicate_share, low=0.0, high=1.0, high_open=True)
    m, s = _size_law(median_bytes, sigma)
    skew = _check.number("popularity_skew", popularity_skew, low=0.0, high=5.0)
    limit = _check.number("size_limit", size_limit, low=0.0, low_open=True)
    rng = np.random.default_rng(seed)
    is_dup = rng.random(n) < share
    is_dup[0] = False  # the first paste has nothing to copy
    n_orig = int(n - is_dup.sum())
    orig_size = np.exp(rng.normal(math.log(m), s, n_orig)) if s else np.full(n_orig, m)
    content = np.empty(n, dtype=np.int64)
    content[~is_dup] = np.arange(n_orig)
    # popularity ranks are a random order of the originals, independent of their size
    ranking = rng.permutation(n_orig)
    picks = workload.zipf_keys(n_orig, int(is_dup.sum()), skew, seed=seed + 1)
    content[is_dup] = ranking[picks]
    size = orig_size[content]
    accepted = size <= limit
    for a in (size, content, accepted):
        a.flags.writeable = False
    return PasteSample(size, content, accepted, limit)


@dataclass(frozen=True)
class DedupResult:
    """Bytes with and without deduplication for the accepted pastes, and what the limit refused.

    ``logical_bytes``: every accepted paste counted in full; ``stored_bytes``: each distinct content
    once; ``rejected``/``rejected_bytes``: pastes over the limit and their bytes."""

    pastes: int
    duplicates: int
    distinct: int
    logical_bytes: float
    stored_bytes: float
    rejected: int
    rejected_bytes: float

    @property
    def saved_bytes(self) -> float:
        return self.logical_bytes - self.stored_bytes

    @property
    def saved_share(self) -> float:
        """Share of the accepted bytes that deduplication does not store."""
        return self.saved_bytes / self.logical_bytes if self.logical_bytes else 0.0

    @property
    def duplicate_share(self) -> float:
        """Share of accepted pastes that repeat a content (by count)."""
        accepted = self.pastes - self.rejected
        return self.duplicates / accepted if accepted else 0.0


def dedup_result(sample: PasteSample) -> DedupResult:
    """Count the bytes deduplication saves on a :class:`PasteSample`.

    >>> r = dedup_result(simulate_pastes(10_000, 0.0))
    >>> r.saved_bytes, r.duplicates
    (0.0, 0)
    """
    if not isinstance(sample, PasteSample):
        raise TypeError(f"sample must be a PasteSample, got {type(sample).__name__}")
    ok = sample.accepted
    sizes, ids = sample.size[ok], sample.content[ok]
    distinct, first = np.unique(ids, return_index=True)
    logical = float(sizes.sum())
    stored = float(sizes[first].sum())
    return DedupResult(
        pastes=int(len(sample.size)),
        duplicates=int(len(ids) - len(distinct)),
        distinct=int(len(distinct)),
        logical_bytes=logical,
        stored_bytes=stored,
        rejected=int(np.count_nonzero(~ok)),
        rejected_bytes=float(sample.size[~ok].sum()),
    )


def dedup_savings(
    n_pastes: int = 50_000,
    duplicate_share: float = 0.2,
    median_bytes: float = 2_000.0,
    sigma: float = 1.8,
    *,
    popularity_skew: float = 1.0,
    size_limit: float = math.inf,
    seed: int = 0,
) -> DedupResult:
    """:func:`simulate_pastes` then :func:`dedup_result`.

    >>> 0.1 < dedup_savings(50_000, 0.2).saved_share < 0.35
    True
    """
    return dedup_result(
        simulate_pastes(
            n_pastes,
            duplicate_share,
            median_bytes,
            sigma,
            popularity_skew=popularity_skew,
            size_limit=size_limit,
            seed=seed,
        )
    )


SIZE_BINS: tuple[float, ...] = (0.0, 1e3, 1e4, 1e5, 1e6, 1e7, math.inf)
SIZE_BIN_LABELS: tuple[str, ...] = ("< 1 KB", "1-10 KB", "10-100 KB", "100 KB-1 MB", "1-10 MB", "> 10 MB")


def bytes_by_size(sample: PasteSample) -> pd.DataFrame:
    """Per size band: pastes, bytes stored (each content once), bytes saved by deduplication, bytes
    refused by the size limit.

    >>> table = bytes_by_size(simulate_pastes(5_000, 0.3, seed=2))
    >>> list(table.columns)
    ['band', 'pastes', 'stored_bytes', 'saved_bytes', 'rejected_bytes']
    """
    if not isinstance(sample, PasteSample):
        raise TypeError(f"sample must be a PasteSample, got {type(sample).__name__}")
    band = np.searchsorted(np.array(SIZE_BINS[1:-1]), sample.size, side="right")
    _, first = np.unique(sample.content, return_index=True)
    is_first = np.zeros(len(sample.size), dtype=bool)
    is_first[first] = True
    k = len(SIZE_BIN_LABELS)
    ok = sample.accepted

    def total(mask: np.ndarray) -> np.ndarray:
        return np.bincount(band[mask], weights=sample.size[mask], minlength=k)

    return pd.DataFrame(
        {
            "band": SIZE_BIN_LABELS,
            "pastes": np.bincount(band, minlength=k),
            "stored_bytes": total(ok & is_first),
            "saved_bytes": total(ok & ~is_first),
            "rejected_bytes": total(~ok),
        }
    )


# --------------------------------------------------------------------------------------------
# A CDN in front of reads
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CdnLoad:
    """Reads split between the CDN's edges and our origin, at peak: requests/s and bytes/s."""

    hit_ratio: float
    read_qps: float
    origin_qps: float
    edge_bytes_per_s: float
    origin_bytes_per_s: float


def cdn_load(hit_ratio: float, scenario: PasteScenario = PASTEBIN) -> CdnLoad:
    """What reaches the origin when the CDN answers ``hit_ratio`` (0..1) of peak reads.

    >>> load = cdn_load(0.9)
    >>> round(load.origin_qps, 1), round(load.read_qps, 1)    # 10 % of 173.6 reads/s
    (17.4, 173.6)
    """
    hit = _check.number("hit_ratio", hit_ratio, low=0.0, high=1.0)
    if not isinstance(scenario, PasteScenario):
        raise TypeError(f"scenario must be a PasteScenario, got {type(scenario).__name__}")
    reads = scenario.reads().peak_qps
    size = scenario.mean_bytes
    return CdnLoad(hit, reads, reads * (1 - hit), reads * hit * size, reads * (1 - hit) * size)


def cdn_max_age(seconds_left: float, default_s: float = 3_600.0) -> float:
    """How long edges may cache a paste: the default, but never past the paste's own expiry.

    >>> cdn_max_age(600), cdn_max_age(float("inf"))
    (600.0, 3600.0)
    """
    left = _check.number("seconds_left", seconds_left, low=0.0)
    default = _check.number("default_s", default_s, low=0.0)
    return min(left, default)


# --------------------------------------------------------------------------------------------
# API, architecture, tradeoffs, failures
# --------------------------------------------------------------------------------------------

PASTEBIN_API = api.Api(
    (
        api.Endpoint(
            "POST",
            "/api/v1/pastes",
            purpose="create a paste; the body is limited in size",
            request=("content", "expires_in?", "syntax?", "visibility?"),
            response=("paste_id", "url", "expires_at"),
        ),
        api.Endpoint(
            "GET",
            "/api/v1/pastes/{paste_id}",
            purpose="read a paste with its metadata (404 once it has expired)",
            response=("content", "syntax", "created_at", "expires_at"),
        ),
        api.Endpoint(
            "GET",
            "/{paste_id}",
            purpose="the raw text, cacheable at the CDN until the paste expires",
            response=("content",),
        ),
        api.Endpoint(
            "DELETE",
            "/api/v1/pastes/{paste_id}",
            purpose="the author deletes a paste",
            response=("status",),
        ),
    ),
    name="paste bin",
)
"""The paste bin's core API: create, read (JSON and raw), delete."""

PASTEBIN_OPERATIONS: tuple[str, ...] = ("create paste", "get paste", "delete paste")

READ_HIT_PATH: tuple[str, ...] = ("reader", "cdn")
"""A read the CDN answers."""
READ_MISS_PATH: tuple[str, ...] = ("reader", "cdn", "lb", "app", "cache", "app", "meta", "app", "blobs")
"""A read the CDN misses: metadata from the cache or the database, then the content from object storage."""
WRITE_PATH: tuple[str, ...] = ("author", "lb", "app", "blobs", "app", "meta")
"""Creating a paste: the content is stored first, then the metadata row that points at it."""
SWEEP_PATH: tuple[str, ...] = ("scheduler", "sweeper", "meta", "sweeper", "blobs")
"""The active clean-up: find expired rows, delete them, then drop contents nobody references."""

DRAFT_SINGLES: tuple[str, ...] = ("scheduler", "meta")
"""What a first draft often runs once: the cron host and the metadata database."""


def replicas(scenario: PasteScenario = PASTEBIN, cdn_hit_ratio: float = 0.8) -> dict[str, int]:
    """Instances per component, each sized from the estimate or a stated rule.

    App servers: peak writes plus the reads the CDN misses, at the cautious 1,000 requests/s of an
    app server, at least 2. Metadata database: a primary and 2 replicas. Scheduler: 2 with one
    leader, so the sweep survives a lost host. Everything else: a pair.

    >>> replicas()["app"], replicas()["meta"]
    (2, 3)
    """
    rates = reference.throughput().set_index("component")
    app_rate = float(rates.loc["Application server (API)", "low"])
    origin = cdn_load(cdn_hit_ratio, scenario).origin_qps + scenario.writes().peak_qps
    return {
        "dns": 2,
        "cdn": 2,
        "lb": 2,
        "app": max(2, math.ceil(origin / app_rate)),
        "cache": 2,
        "meta": 3,
        "blobs": 3,
        "scheduler": 2,
        "sweeper": 2,
    }


def pastebin_architecture(
    scenario: PasteScenario = PASTEBIN, *, draft: bool = False, cdn_hit_ratio: float = 0.8
) -> components.Architecture:
    """The paste bin as a graph: a CDN in front, app servers, a metadata database with a cache,
    object storage for contents, and a scheduled sweeper for expired pastes.

    >>> pastebin_architecture().single_points_of_failure()
    []
    >>> pastebin_architecture(draft=True).single_points_of_failure()
    ['meta', 'scheduler']
    """
    counts = replicas(scenario, cdn_hit_ratio)
    if draft:
        counts.update(dict.fromkeys(DRAFT_SINGLES, 1))
    a = components.Architecture("paste bin", PASTEBIN_BUDGET_S)
    for name, kind, label in [
        ("author", "client", "Someone pasting"),
        ("reader", "client", "Someone reading"),
        ("dns", "dns", "DNS"),
        ("cdn", "cdn", "CDN (raw pastes)"),
        ("lb", "load_balancer", "Load balancer"),
        ("app", "app_server", "App servers"),
        ("cache", "cache", "Redis (metadata)"),
        ("meta", "database", "Metadata DB"),
        ("blobs", "object_storage", "Object storage (contents)"),
        ("scheduler", "scheduler", "Scheduler"),
        ("sweeper", "worker", "Expiry sweeper"),
    ]:
        a.add_component(name, kind, replicas=counts.get(name, 1), label=label)
    for u, v, label in [
        ("author", "dns", "resolve the host"),
        ("reader", "dns", "resolve the host"),
        ("reader", "cdn", "GET /{paste_id}"),
        ("cdn", "lb", "misses go to the origin"),
        ("author", "lb", "POST /api/v1/pastes"),
        ("lb", "app", "spread requests"),
        ("app", "cache", "metadata by paste id (cache-aside)"),
        ("app", "meta", "metadata rows; check expiry on read"),
        ("app", "blobs", "contents by SHA-256 key"),
        ("scheduler", "sweeper", "start a sweep every few hours"),
        ("sweeper", "meta", "delete rows past expires_at (indexed)"),
        ("sweeper", "blobs", "delete contents with no references left"),
    ]:
        a.connect(u, v, label)
    return a


TRADEOFFS: dict[str, Tradeoff] = {
    "blobs": Tradeoff(
        topic="Object storage over database rows for contents",
        choice="contents in object storage with only metadata in the database",
        over="storing the text in the database row",
        because="contents are most of the bytes, and object storage keeps them durably at a fraction "
        "of a database's cost per byte",
        cost="a read needs two lookups and a write must keep the two stores consistent",
        mitigation="write the content first and the row second, let the CDN serve repeat reads, "
        "and let the sweeper remove contents no row points at",
    ),
    "expiry": Tradeoff(
        topic="Lazy check plus active sweep",
        choice="a check on every read plus a sweep every few hours through an index on expires_at",
        over="either one alone",
        because="the read check never shows an expired paste, "
        "and the sweep reclaims pastes nobody reads again",
        cost="a sweeper to schedule and an extra index to maintain on every write",
        mitigation="run the sweep in small batches at quiet hours, with a leader-elected scheduler",
    ),
    "dedup": Tradeoff(
        topic="Content addressing over a random key per content",
        choice="the SHA-256 of the content as its storage key",
        over="a fresh random key for every paste's content",
        because="identical pastes are stored once and a key can always be checked against its bytes",
        cost="deletion needs reference counts, and equal keys reveal that two pastes are identical",
        mitigation="keep the hash internal (public ids stay random) and delete contents in the sweep, "
        "once no row references them",
    ),
}
"""Three decisions of the design, each in the three-part form."""


def failure_scenarios(scenario: PasteScenario = PASTEBIN, cdn_hit_ratio: float = 0.8) -> pd.DataFrame:
    """What breaks, what users notice, and the fix, with the numbers that matter (one row each).

    >>> failure_scenarios()["failure"].tolist()[0]
    'CDN down'
    """
    with_cdn = cdn_load(cdn_hit_ratio, scenario)
    finite = sum(share for _, ttl, share in expiration.TTL_MIX if math.isfinite(ttl))
    expiring_per_day = scenario.pastes_per_day * finite * scenario.mean_bytes
    rows = [
        (
            "CDN down",
            f"origin reads jump from {format_count(with_cdn.origin_qps)}/s "
            f"to {format_count(with_cdn.read_qps)}/s "
            f"at peak, and origin egress from {format_size(with_cdn.origin_bytes_per_s)}/s to "
            f"{format_size(with_cdn.read_qps * scenario.mean_bytes)}/s",
            "keep app servers sized for the full read rate for a while, or fail over to a second CDN",
        ),
        (
            "Sweeper stopped",
            f"nothing breaks for readers (the read check hides expired pastes), but up to "
            f"{format_size(expiring_per_day)} a day of expired contents stop being reclaimed",
            "alert when a sweep is late; the next sweep catches up, in batches",
        ),
        (
            "Metadata database primary down",
            "new pastes fail until a replica is promoted; cached and CDN reads go on",
            "automatic failover to one of the replicas",
        ),
        (
            "Object storage slow in one region",
            "reads that miss the CDN are slow; writes wait",
            "replicate buckets across regions; the CDN keeps serving cached pastes",
        ),
        (
            "A paste goes viral",
            "one key draws a large share of reads",
            "the CDN serves it from the edge; only its first request per edge reaches us",
        ),
    ]
    return pd.DataFrame(rows, columns=["failure", "what happens", "mitigation"])


def growth(scenario: PasteScenario = PASTEBIN, days: int = 365) -> pd.DataFrame:
    """Content bytes over ``days`` days: with every paste kept, and with expired pastes removed.

    >>> g = growth(days=60)
    >>> bool((g["kept_forever"] >= g["expired_removed"]).all())
    True
    """
    if not isinstance(scenario, PasteScenario):
        raise TypeError(f"scenario must be a PasteScenario, got {type(scenario).__name__}")
    horizon = int(_check.number("days", days, low=1, high=100 * DAYS_PER_YEAR))
    day = np.arange(0, horizon + 1)
    forever = day * scenario.pastes_per_day * scenario.mean_bytes
    removed = np.array([scenario.retained(float(d)) for d in day])
    return pd.DataFrame({"day": day, "kept_forever": forever, "expired_removed": removed})


def growth_figure(scenario: PasteScenario = PASTEBIN, days: int = 365) -> go.Figure:
    """Content bytes over ``days`` days, kept forever against expired pastes removed (a line chart).

    >>> [t.name for t in growth_figure(days=30).data]
    ['every paste kept', 'expired pastes removed']
    """
    g = growth(scenario, days)
    fig = go.Figure()
    fig.add_scatter(x=g["day"], y=g["kept_forever"] / 1e12, mode="lines", name="every paste kept")
    fig.add_scatter(x=g["day"], y=g["expired_removed"] / 1e12, mode="lines", name="expired pastes removed")
    fig.update_layout(
        title=f"Paste contents over {days} days",
        xaxis_title="day",
        yaxis_title="stored (TB)",
        height=340,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def spoken_summary(scenario: PasteScenario = PASTEBIN, cdn_hit_ratio: float = 0.8) -> str:
    """The wrap-up as you would say it, with the design's numbers.

    >>> spoken_summary().split(".")[0]
    'To recap: a paste bin taking about 30 new pastes and 170 reads a second at peak'
    """
    if not isinstance(scenario, PasteScenario):
        raise TypeError(f"scenario must be a PasteScenario, got {type(scenario).__name__}")
    load = cdn_load(cdn_hit_ratio, scenario)
    year = scenario.retained(DAYS_PER_YEAR)
    return (
        f"To recap: a paste bin taking {say_roughly(scenario.writes().peak_qps)} new pastes and "
        f"{say_roughly(scenario.reads().peak_qps).removeprefix('about ')} reads a second at peak. "
        "Contents go to object storage under their SHA-256, so identical pastes are stored once; "
        "a small metadata row in a replicated database points at them. "
        f"A CDN answers {cdn_hit_ratio:.0%} of reads, "
        f"leaving the origin {say_roughly(load.origin_qps)} a second. "
        "Every read checks the expiry time, and a sweeper deletes expired pastes every few hours through an "
        f"index, which keeps about {format_size(year)} after a year instead of "
        f"{format_size(DAYS_PER_YEAR * scenario.pastes_per_day * scenario.mean_bytes)}."
    )
